"""``python -m plume ask`` in this process (main() with its backend talking to a scripted
server): the answer streamed then its cited sources as JSON lines, ``--json`` as one object,
exit 4 and an empty stdout when nothing relevant is found (the server is not asked), one line
and exit 2 for bad input."""

from __future__ import annotations

import io
import json
import os
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from plume import cli
from plume.backends.base import create_backend
from plume.cli_ask import EXIT_NOTHING_FOUND
from plume.knowledge import answer as answer_module
from plume.knowledge.indexer import index_folders
from plume.knowledge.store import Store
from support.fake_chat import FakeChat

FILE_TEXT = """# Délibération 2027-014

## Restauration scolaire

Le conseil municipal fixe le tarif de la cantine scolaire à 3,40 € par repas à compter de la rentrée.

## Travaux

La réfection de la toiture du gymnase est confiée à l'entreprise retenue après appel d'offres.
"""
FIELDS = {"number", "file", "title", "place", "page", "section", "paragraph", "start", "end", "modified", "passage", "score"}


def _cite_the_cantine(messages: list[dict[str, str]]) -> str:
    passages = re.split(r"\n\n(?=\[\d+\] )", messages[-1]["content"])
    numbers = [int(p[1 : p.index("]")]) for p in passages if p.startswith("[") and "cantine scolaire à" in p]
    return f"Le repas coûte 3,40 € [{numbers[0]}]." if numbers else "Rien."


@pytest.fixture
def chat(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Iterator[FakeChat]:
    fake = FakeChat(_cite_the_cantine)
    monkeypatch.setattr(answer_module, "create_backend", lambda settings, key, **_: create_backend(settings, key, fake.transport))
    for name in [n for n in os.environ if n.startswith("PLUME_") or n in ("LC_ALL", "LANG")]:
        monkeypatch.delenv(name)
    env = {"BACKEND": "openai", "BASE_URL": "http://127.0.0.1:8080", "MODEL": "m", "CONTEXT_WINDOW": "4096",
           "KNOWLEDGE_DIR": str(tmp_path / "indexes")}  # fmt: skip
    for name, value in env.items():
        monkeypatch.setenv(f"PLUME_{name}", value)
    yield fake


def _main(*argv: str) -> tuple[int, str]:
    out = io.StringIO()
    try:
        code = cli.main(["--lang", "en", *argv], stdin=io.StringIO(""), stdout=out)
    except SystemExit as usage:  # argparse's errors leave by SystemExit (the process's exit code)
        code = int(usage.code or 0)
    return code, out.getvalue()


def _file(tmp_path: Path, name: str = "deliberation.md") -> Path:
    path = tmp_path / "docs" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(FILE_TEXT, encoding="utf-8")
    return path


def test_a_file_is_asked_the_answer_streamed_then_its_cited_sources_as_json_lines(
    chat: FakeChat, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _file(tmp_path)
    code, out = _main("ask", "Quel est le tarif de la cantine scolaire ?", "--document", str(path))
    assert code == 0 and len(chat.chats) == 1
    answer, *lines = out.rstrip("\n").split("\n")
    assert re.fullmatch(r"Le repas coûte 3,40 € \[\d\]\.", answer)
    records = [json.loads(line) for line in lines]
    assert len(records) == 1 and set(records[0]) == FIELDS
    assert records[0]["file"] == str(path) and "cantine scolaire à 3,40 €" in records[0]["passage"]
    assert "Restauration scolaire" in records[0]["section"] and capsys.readouterr().err == ""


def test_json_gives_one_object_with_the_answer_its_sources_and_its_check(chat: FakeChat, tmp_path: Path) -> None:
    path = _file(tmp_path, "deliberation.txt")
    code, out = _main("ask", "Quel est le tarif de la cantine scolaire ?", "--document", str(path), "--json")
    result = json.loads(out)
    assert code == 0 and result["found"] and result["answer"].startswith("Le repas coûte 3,40 €")
    assert [s["file"] for s in result["sources"]] == [str(path)] and result["unsupported"] == []
    assert result["uncited"] is False and result["unknown"] == [] and result["notes"] == []


def test_a_collection_is_asked_by_name(chat: FakeChat, tmp_path: Path) -> None:
    path = _file(tmp_path)
    store = Store(tmp_path / "indexes" / "mairie.plume-index")
    index_folders(store, [path.parent])
    store.close()
    code, out = _main("ask", "tarif de la cantine scolaire", "--collection", "mairie", "--json")
    result = json.loads(out)
    assert code == 0 and [Path(s["file"]).name for s in result["sources"]] == [path.name]


def test_nothing_found_is_exit_4_with_an_empty_stdout_and_no_request(
    chat: FakeChat, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _file(tmp_path)
    code, out = _main("ask", "Quelle est la capitale de l'Australie ?", "--document", str(path))
    err = capsys.readouterr().err.strip().splitlines()
    assert (code, out, chat.chats) == (EXIT_NOTHING_FOUND, "", []) and len(err) == 1 and "Nothing found" in err[0]
    code, out = _main("ask", "Quelle est la capitale de l'Australie ?", "--document", str(path), "--json")
    assert code == EXIT_NOTHING_FOUND and json.loads(out)["found"] is False and json.loads(out)["sources"] == []


def test_an_uncited_answer_is_said_on_stderr(chat: FakeChat, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    chat.answers = ["Le repas coûte 4 €."]
    code, out = _main("ask", "Quel est le tarif de la cantine scolaire ?", "--document", str(_file(tmp_path)))
    err = capsys.readouterr().err
    assert code == 0 and out == "Le repas coûte 4 €.\n" and "without a source" in err and "4 €" in err


@pytest.mark.parametrize(
    "argv",
    [
        ("ask", "cantine", "--document", "{missing}"),
        ("ask", "cantine", "--collection", "nowhere"),
        ("ask", "cantine", "--collection", "../etc"),
        ("ask", "  ", "--document", "{file}"),
        ("ask", "cantine", "-k", "99", "--document", "{file}"),
        ("ask", "cantine", "--collection", "a", "--document", "{file}"),
        ("ask",),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    argv: tuple[str, ...], chat: FakeChat, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    values = {"missing": str(tmp_path / "missing.odt"), "file": str(_file(tmp_path))}
    code, out = _main(*(a.format(**values) for a in argv))
    err = capsys.readouterr().err.strip().splitlines()
    assert (code, out, chat.chats) == (2, "", []) and len(err) == 1 and err[0].startswith("plume: "), err


def test_a_warn_policy_needs_yes_and_then_shows_what_is_sent(
    chat: FakeChat, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("PLUME_LOCAL_POLICY", "warn")
    path = _file(tmp_path)
    code, out = _main("ask", "Quel est le tarif de la cantine scolaire ?", "--document", str(path))
    assert (code, out, chat.chats) == (2, "", []) and len(capsys.readouterr().err.strip().splitlines()) == 1
    code, out = _main("ask", "Quel est le tarif de la cantine scolaire ?", "--document", str(path), "--yes")
    assert code == 0 and out.startswith("Le repas coûte 3,40 €") and len(chat.chats) == 1
    assert "cantine scolaire à 3,40 €" in capsys.readouterr().err  # the passages shown before sending
