"""Hybrid retrieval: the lexical ranking fused with a ranking by meaning (the server's
embeddings), then, when configured, reordered by the server's reranker.

- Vectors: :func:`embed_missing` computes one per passage with the embedding model the
  settings name (``knowledge_embedding_model``), through the backend and so through the
  door (texts leave pseudonymised like any text), in batches, resumable, with progress
  and Stop; the index remembers the model (vectors of another model are dropped).
- Search: the question's vector against every passage's (cosine), streamed from the index
  in chunks (memory bounded by the chunk, not the collection: numpy when present, else
  plain Python for small collections), fused with the lexical hits by reciprocal rank
  fusion (score = sum of 1 / (60 + rank)), then reranked (``/v1/rerank``) if
  ``knowledge_rerank_model`` is set.
- Relevance: the lexical gate decides (:mod:`.lexical`): when no passage holds enough of the
  question, the result is empty whatever the vectors say (a vector always has a nearest
  neighbour, so vectors alone cannot say "nothing found").
- When the server has no embeddings (no such endpoint or model, unreachable) or the policy
  asks to confirm every sending ("warn"), the search is lexical and ``notes`` says so.
"""

from __future__ import annotations

import array
import math
from collections.abc import Callable, Mapping
from typing import Any

import httpx

from ..backends.base import create_backend
from ..cancel import CancelToken
from ..errors import BackendError, Cancelled, DestinationBlocked, LeakPrevented
from ..settings import Settings
from .lexical import LexicalRetriever
from .store import Store
from .types import Hit

RRF_K = 60
POOL = 20  # candidates from each ranking fused and, with a reranker, reordered
EMBED_BATCH = 16


def to_blob(vector: list[float]) -> bytes:
    """A unit vector as float32 bytes (normalised once, so that cosine is a dot product)."""
    norm = math.sqrt(sum(x * x for x in vector)) or 1.0
    return array.array("f", (x / norm for x in vector)).tobytes()


def fuse(rankings: list[list[int]], k: int = RRF_K) -> list[tuple[int, float]]:
    """Reciprocal rank fusion of several rankings of ids, best first."""
    scores: dict[int, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking, 1):
            scores[item] = scores.get(item, 0.0) + 1.0 / (k + rank)
    return sorted(scores.items(), key=lambda pair: -pair[1])


def nearest(store: Store, query: list[float], n: int) -> list[int]:
    """Ids of the ``n`` passages whose vectors are closest to ``query`` (cosine)."""
    probe = array.array("f")
    probe.frombytes(to_blob(query))
    try:
        import numpy as np
    except ImportError:  # the extension without the translation runtime: plain Python
        best: list[tuple[float, int]] = []
        for chunk in store.vectors():
            for rowid, blob in chunk:
                values = array.array("f")
                values.frombytes(blob)
                if len(values) == len(probe):
                    best.append((sum(a * b for a, b in zip(values, probe, strict=True)), rowid))
            best = sorted(best, reverse=True)[:n]
        return [rowid for _, rowid in best]
    q = np.frombuffer(probe.tobytes(), dtype=np.float32)
    top: list[tuple[float, int]] = []
    for chunk in store.vectors():
        ids = np.array([rowid for rowid, blob in chunk if len(blob) == q.nbytes])
        if not len(ids):
            continue
        matrix = np.frombuffer(b"".join(blob for _, blob in chunk if len(blob) == q.nbytes), dtype=np.float32)
        scores = matrix.reshape(len(ids), q.size) @ q
        keep = np.argsort(-scores)[:n]
        top = sorted(top + [(float(scores[i]), int(ids[i])) for i in keep], reverse=True)[:n]
    return [rowid for _, rowid in top]


class HybridRetriever:
    def __init__(
        self,
        store: Store,
        settings: Settings,
        *,
        api_key: str = "",
        transport: httpx.BaseTransport | None = None,
        environ: Mapping[str, str] | None = None,
        backend: Any = None,
    ) -> None:
        self.store, self.settings = store, settings
        self.lexical = LexicalRetriever(store)
        self.notes: list[str] = []
        self._backend = backend
        self._make_backend: Callable[[], Any] = lambda: create_backend(settings, api_key, transport, environ=environ)

    def _server(self) -> Any:
        if self._backend is None:
            self._backend = self._make_backend()
        return self._backend

    def search(self, query: str, k: int = 8, *, cancel: CancelToken | None = None) -> list[Hit]:
        self.notes = []
        lexical = self.lexical.scored(query, max(k, POOL), cancel=cancel)
        if not lexical:
            return []  # the lexical gate: nothing holds enough of the question
        hits = {rowid: hit for rowid, hit in lexical}
        rankings = [[rowid for rowid, _ in lexical]]
        semantic = self._semantic(query, cancel)
        if semantic:
            rankings.append(semantic)
            for rowid, passage in self.store.passages([i for i in semantic if i not in hits]).items():
                hits[rowid] = Hit(passage, 0.0)
        fused = [(rowid, score) for rowid, score in fuse(rankings) if rowid in hits][:POOL]
        fused = self._reranked(query, fused, hits, cancel)
        return [Hit(hits[rowid].passage, score) for rowid, score in fused[:k]]

    def _semantic(self, query: str, cancel: CancelToken | None) -> list[int]:
        model = self.settings.knowledge_embedding_model
        if not model:
            return []
        if self.store.embedding_model() != model or not self.store.vector_count():
            self.notes.append("knowledge.note.no_vectors")
            return []
        try:
            server = self._server()
            if server.door.decision.needs_confirmation:
                self.notes.append("knowledge.note.lexical_only")
                return []
            vector = server.embed([query], model, cancel)[0]
        except Cancelled:
            raise
        except (BackendError, DestinationBlocked, LeakPrevented, AttributeError):
            self.notes.append("knowledge.note.lexical_only")
            return []
        return nearest(self.store, vector, POOL)

    def _reranked(
        self, query: str, fused: list[tuple[int, float]], hits: dict[int, Hit], cancel: CancelToken | None
    ) -> list[tuple[int, float]]:
        model = self.settings.knowledge_rerank_model
        if not model or len(fused) < 2:
            return fused
        try:
            scores = self._server().rerank(query, [hits[rowid].passage.text for rowid, _ in fused], model, cancel)
        except Cancelled:
            raise
        except (BackendError, DestinationBlocked, LeakPrevented, AttributeError):
            self.notes.append("knowledge.note.no_rerank")
            return fused
        return sorted(((rowid, score) for (rowid, _), score in zip(fused, scores, strict=True)), key=lambda p: -p[1])


def embed_missing(
    store: Store,
    settings: Settings,
    *,
    api_key: str = "",
    transport: httpx.BaseTransport | None = None,
    environ: Mapping[str, str] | None = None,
    backend: Any = None,
    progress: Callable[[int, int], None] | None = None,
    cancel: CancelToken | None = None,
) -> int:
    """Give every passage of ``store`` a vector of ``settings.knowledge_embedding_model``;
    the number computed. Each batch is committed: Stop keeps them, the next run goes on."""
    model = settings.knowledge_embedding_model
    if not model:
        return 0
    server: Any = backend if backend is not None else create_backend(settings, api_key, transport, environ=environ)
    store.use_embedding_model(model)
    total, done = store.missing_vectors(), 0
    while batch := store.without_vector(EMBED_BATCH):
        if cancel is not None:
            cancel.raise_if_cancelled()
        vectors = server.embed([text for _, text in batch], model, cancel)
        store.put_vectors((rowid, to_blob(vector)) for (rowid, _), vector in zip(batch, vectors, strict=True))
        store.db.commit()
        done += len(batch)
        if progress is not None:
            progress(done, total)
    return done
