"""Hybrid retrieval with a scripted embeddings server (httpx.MockTransport): vectors through
the door, fusion, reranking, and word search when the server has no embeddings."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from plume.knowledge.collection import CollectionInfo, CollectionRetriever
from plume.knowledge.hybrid import embed_missing, fuse
from plume.knowledge.lexical import LexicalRetriever
from plume.knowledge.store import Store
from plume.settings import Settings
from support.mock_http import Recorder

# The scripted model's meaning: words of one concept share a dimension.
CONCEPTS = [("cantine", "restauration", "repas"), ("budget", "euros", "enveloppe", "montant"), ("kermesse", "fête"),
            ("samedi", "dimanche"), ("colette",), ("école",), ("piscine", "bassin")]  # fmt: skip


def meaning(text: str) -> list[float]:
    words = text.lower().replace("'", " ").split()
    return [float(sum(any(w.startswith(c) for c in concept) for w in words)) + 0.01 for concept in CONCEPTS]


def server(request: httpx.Request) -> httpx.Response:
    body = json.loads(request.read())
    if request.url.path == "/v1/embeddings":
        data = [{"index": i, "embedding": meaning(text)} for i, text in enumerate(body["input"])]
        return httpx.Response(200, json={"data": list(reversed(data))})  # any order: the index says which
    if request.url.path == "/v1/rerank":  # prefers the shortest document: visibly not the fused order
        scores = [{"index": i, "relevance_score": -len(d)} for i, d in enumerate(body["documents"])]
        return httpx.Response(200, json={"results": scores})
    return httpx.Response(404, json={"error": "not found"})


SETTINGS = Settings(backend="openai", base_url="http://127.0.0.1:8080", model="m", knowledge_embedding_model="emb")


@pytest.fixture
def store(tmp_path: Path) -> Store:
    docs = tmp_path / "docs"
    docs.mkdir()
    texts = {
        "a.txt": "La restauration scolaire de l'école Colette reçoit une enveloppe de 48 500 euros.",
        "b.txt": "L'école Colette organise sa kermesse le samedi 12 juin, l'école Colette invite les parents.",
        "c.txt": "La piscine ouvre le dimanche. Contact : accueil.piscine@mairie.example.",
        "d.txt": "Le conseil de l'école Colette s'est réuni ; l'école Colette compte huit classes.",
    }
    for name, text in texts.items():
        (docs / name).write_text(text, encoding="utf-8")
    from plume.knowledge.indexer import index_folders

    result = Store(tmp_path / "i.plume-index")
    index_folders(result, [docs])
    return result


def _retriever(store: Store, settings: Settings, transport: httpx.BaseTransport) -> CollectionRetriever:
    return CollectionRetriever(CollectionInfo("t", store.path, False), store, settings=settings, transport=transport)


def test_fusion_ranks_by_reciprocal_ranks() -> None:
    assert [item for item, _ in fuse([[1, 2, 3], [3, 2, 9]])] == [3, 2, 1, 9]


def test_vectors_go_through_the_door_and_meaning_lifts_the_answer(store: Store) -> None:
    recorder = Recorder(server)
    settings = SETTINGS.replace(local_policy="pseudonymise")
    assert embed_missing(store, settings, transport=recorder.transport) == 4
    assert store.vector_count() == 4 and store.embedding_model() == "emb"
    sent = " ".join(text for body in recorder.bodies for text in body["input"])
    assert "accueil.piscine@mairie.example" not in sent and "piscine" in sent  # pseudonymised like any text
    assert embed_missing(store, settings, transport=recorder.transport) == 0  # nothing left to compute
    question = "Quel budget pour la cantine de l'école Colette ?"
    lexical = [Path(h.passage.source).name for h in LexicalRetriever(store).search(question, 4)]
    assert lexical.index("a.txt") == 2  # words alone: the passages naming the school twice come first
    hybrid = _retriever(store, SETTINGS, Recorder(server).transport)
    fused = [Path(h.passage.source).name for h in hybrid.search(question, 4)]
    assert fused.index("a.txt") < 2 and hybrid.notes == []


def test_another_model_drops_the_old_vectors(store: Store) -> None:
    embed_missing(store, SETTINGS, transport=Recorder(server).transport)
    store.use_embedding_model("other")
    assert store.vector_count() == 0


def test_without_embeddings_the_search_is_lexical_with_a_note(store: Store) -> None:
    embed_missing(store, SETTINGS, transport=Recorder(server).transport)
    refusing = Recorder(lambda request: httpx.Response(501, json={"error": "embeddings not supported"}))
    hybrid = _retriever(store, SETTINGS, refusing.transport)
    hits = hybrid.search("Quel budget pour la cantine de l'école Colette ?", 3)
    assert [h.passage.id for h in hits] == [
        h.passage.id for h in LexicalRetriever(store).search("Quel budget pour la cantine de l'école Colette ?", 3)
    ]
    assert hybrid.notes == ["knowledge.note.lexical_only"]


def test_a_reranker_reorders_the_passages(store: Store) -> None:
    embed_missing(store, SETTINGS, transport=Recorder(server).transport)
    recorder = Recorder(server)
    hybrid = _retriever(store, SETTINGS.replace(knowledge_rerank_model="rr"), recorder.transport)
    hits = hybrid.search("école Colette", 3)
    assert [len(h.passage.text) for h in hits] == sorted(len(h.passage.text) for h in hits)
    assert any(r.url.path == "/v1/rerank" for r in recorder.requests)


def test_nothing_relevant_stays_nothing_whatever_the_vectors(store: Store) -> None:
    embed_missing(store, SETTINGS, transport=Recorder(server).transport)
    assert _retriever(store, SETTINGS, Recorder(server).transport).search("capitale de l'Australie", 3) == []
