"""The local index: recall on the generated municipal collection, incremental updates,
Stop and resume, the open document's retriever, the command line."""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest

from plume.cancel import CancelToken
from plume.cli import main
from plume.errors import Cancelled
from plume.knowledge import document_retriever, index_folders, open_collection
from plume.knowledge.indexer import Progress
from plume.knowledge.lexical import LexicalRetriever
from plume.knowledge.store import Store
from plume.longdoc import Block
from plume.settings import Settings
from support.municipal import Collection, generate


def _norm(text: str) -> str:
    return " ".join(text.split())


@pytest.fixture(scope="module")
def municipal(tmp_path_factory: pytest.TempPathFactory) -> tuple[Collection, Store]:
    root = tmp_path_factory.mktemp("municipal")
    collection = generate(root / "docs", seed=20, n_files=200, questions_per_fact=2)
    store = Store(root / "index" / "mairie.plume-index")
    report = index_folders(store, [root / "docs"])
    assert report.failed == [] and report.read == 200
    return collection, store


def test_lexical_recall_at_5_on_the_municipal_collection(municipal: tuple[Collection, Store]) -> None:
    collection, store = municipal
    retriever = LexicalRetriever(store)
    assert len(collection.questions) >= 150
    found = 0
    for question in collection.questions:
        hits = retriever.search(question.question, 5)
        found += any(
            hit.passage.source == str(question.file.resolve()) and _norm(question.contains) in _norm(hit.passage.text)
            for hit in hits
        )
    assert found / len(collection.questions) >= 0.9


@pytest.mark.parametrize(
    "question",
    ["Quelle est la capitale de l'Australie ?", "Comment fonctionne un moteur diesel ?", "Recette de la tarte aux pommes"],
)
def test_a_question_off_the_collection_finds_nothing(municipal: tuple[Collection, Store], question: str) -> None:
    assert LexicalRetriever(municipal[1]).search(question, 5) == []


def test_hits_name_their_file_place_and_offsets(municipal: tuple[Collection, Store]) -> None:
    collection, store = municipal
    question = next(q for q in collection.questions if q.file.suffix == ".odt")
    hit = LexicalRetriever(store).search(question.question, 5)[0]
    passage = hit.passage
    assert passage.id == f"{passage.source}#{passage.start}" and passage.end - passage.start == len(passage.text)
    assert passage.place.paragraph is not None and passage.place.paragraph >= 1
    assert passage.title and passage.modified[:2] == "20"


def _write(root: Path, name: str, text: str) -> Path:
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_a_changed_file_is_read_again_an_unchanged_one_is_not(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    first = _write(docs, "a.txt", "La piscine ouvre le lundi.")
    second = _write(docs, "b.md", "# Cantine\n\nLe tarif de la cantine est de 3 euros.")
    store = Store(tmp_path / "i.plume-index")
    assert index_folders(store, [docs]).read == 2
    first.write_text("La piscine ouvre le mardi désormais.", encoding="utf-8")
    os.utime(second, ns=(second.stat().st_atime_ns, second.stat().st_mtime_ns + 10**9))  # touched, same content
    report = index_folders(store, [docs])
    assert (report.read, report.unchanged) == (1, 1)
    assert "mardi" in LexicalRetriever(store).search("piscine mardi", 1)[0].passage.text
    second.unlink()
    report = index_folders(store, [docs])
    assert (report.read, report.unchanged, report.removed) == (0, 1, 1)
    assert store.counts() == (1, 1)


def test_stop_keeps_the_work_done_and_the_next_run_resumes(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    for number in range(12):
        _write(docs, f"note-{number:02d}.txt", f"Note numéro {number} sur la voirie communale.")
    store = Store(tmp_path / "i.plume-index")
    cancel = CancelToken()

    def stop_after_five(step: Progress) -> None:
        if step.done == 5:
            cancel.cancel()

    with pytest.raises(Cancelled):
        index_folders(store, [docs], progress=stop_after_five, cancel=cancel)
    store.close()
    store = Store(tmp_path / "i.plume-index")  # a new process, as after Stop
    assert store.counts()[0] == 5
    report = index_folders(store, [docs])
    assert (report.read, report.unchanged) == (7, 5)


def test_nothing_outside_the_folders_given_is_indexed(tmp_path: Path) -> None:
    docs, elsewhere = tmp_path / "docs", tmp_path / "private"
    _write(docs, "ok.txt", "Texte choisi.")
    _write(docs, ".cache/hidden.txt", "Texte caché.")
    _write(elsewhere, "secret.txt", "Texte privé.")
    (docs / "link").symlink_to(elsewhere, target_is_directory=True)
    (docs / "file-link.txt").symlink_to(elsewhere / "secret.txt")
    store = Store(tmp_path / "i.plume-index")
    report = index_folders(store, [docs])
    assert report.files == 1 and store.counts()[0] == 1


def test_the_open_document_retriever_points_at_blocks() -> None:
    blocks = [Block("Budget 2027", 1), Block(""), Block("La cantine reçoit 48 500 euros."), Block("Autres dépenses", 1),
              Block("La voirie reçoit 12 000 euros.")]  # fmt: skip
    hits = document_retriever(blocks).search("Combien pour la cantine ?", 3)
    assert hits and hits[0].passage.source == ""
    place = hits[0].passage.place
    assert place.section == "Budget 2027" and place.paragraph == 1
    assert "48 500" in hits[0].passage.text
    voirie = document_retriever(blocks).search("montant de la voirie", 1)[0].passage
    assert voirie.place.paragraph == 4 and blocks[voirie.place.paragraph - 1].text == "Autres dépenses"


def test_open_collection_reads_the_shared_index_without_writing(tmp_path: Path) -> None:
    docs = tmp_path / "docs"
    _write(docs, "a.txt", "La médiathèque ouvre le samedi à 10h.")
    shared = tmp_path / "shared"
    out = io.StringIO()
    assert main(["index", str(docs), "--shared", "--collection", "mairie", "--index-dir", str(shared)], stdout=out) == 0
    assert "1 files found: 1 read" in out.getvalue()
    shared.chmod(0o555)
    (shared / "mairie.plume-index").chmod(0o444)
    try:
        retriever = open_collection(
            "mairie", settings=Settings(knowledge_shared_index=str(shared)), personal_dir=tmp_path / "none"
        )
        hits = retriever.search("horaires de la médiathèque samedi", 3)
        retriever.close()
        assert hits and hits[0].passage.source == str((docs / "a.txt").resolve())
    finally:
        shared.chmod(0o755)
    assert sorted(p.name for p in shared.iterdir()) == ["mairie.plume-index"]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["index", "/no/such/folder"], "no such folder"),
        (["index", ".", "--collection", "../escape"], "not a collection name"),
        (["index", ".", "--shared"], "PLUME_KNOWLEDGE_SHARED_INDEX"),
    ],
)
def test_index_command_errors_are_one_line_and_exit_2(argv: list[str], message: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--lang", "en", *argv], stdout=io.StringIO()) == 2
    err = capsys.readouterr().err.strip()
    assert message in err and len(err.splitlines()) == 1 and err.startswith("plume:")
