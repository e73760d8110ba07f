"""``python -m plume actions`` and ``run ACTION`` for every action the settings give, in
this process (main() with its backend talking to a scripted server): the exit codes and
one-line errors of the CLI's contract, and drafting never waits for stdin."""

from __future__ import annotations

import io
import json
import os
from collections.abc import Iterator

import pytest

from plume import cli
from plume.backends.base import create_backend
from plume.runs import model_run
from support.fake_chat import FakeChat

IT_ACTIONS = json.dumps([{"id": "reclamation", "label": "Réclamation", "label_en": "Complaint",
                          "prompt": "Réponds à cette réclamation. {instruction}", "reads": "letter",
                          "instruction": "optional"}])  # fmt: skip
MY_ACTIONS = json.dumps([{"id": "merci", "label": "Remercier", "prompt": "Remercie l'auteur du texte ci-dessus."}])
TEXT = "Le conseil municipal a voté le budget de la cantine le 3 avril 2026."


class _NoRead(io.StringIO):
    """A stdin that must not be read (a terminal would wait for the user)."""

    def read(self, size: int | None = -1) -> str:
        raise AssertionError("stdin was read")


@pytest.fixture
def chat(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeChat]:
    fake = FakeChat("Réponse du modèle.")
    monkeypatch.setattr(model_run, "create_backend", lambda settings, key, **_: create_backend(settings, key, fake.transport))
    for name in [n for n in os.environ if n.startswith("PLUME_") or n in ("LC_ALL", "LANG")]:
        monkeypatch.delenv(name)
    for name, value in {"BACKEND": "openai", "BASE_URL": "http://127.0.0.1:8080", "MODEL": "m", "CONTEXT_WINDOW": "4096"}.items():
        monkeypatch.setenv(f"PLUME_{name}", value)
    yield fake


def _main(*argv: str, stdin: io.StringIO | None = None) -> tuple[int, str]:
    out = io.StringIO()
    code = cli.main(list(argv), stdin=stdin if stdin is not None else io.StringIO(TEXT), stdout=out)
    return code, out.getvalue()


def _one_line(capsys: pytest.CaptureFixture[str]) -> str:
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and err.startswith("plume: ") and "Traceback" not in err, err
    return err


def test_actions_lists_the_registry_for_these_settings(chat: FakeChat, monkeypatch: pytest.MonkeyPatch) -> None:
    code, out = _main("--lang", "fr", "actions")
    rows = [line.split("\t") for line in out.splitlines()]
    assert code == 0 and rows[0] == ["draft", "Rédiger", "nothing", "required", "builtin"]
    assert "rewrite-formal" in [r[0] for r in rows] and all(r[4] == "builtin" for r in rows)
    monkeypatch.setenv("PLUME_POLICY_ACTIONS", IT_ACTIONS)
    monkeypatch.setenv("PLUME_PERSONAL_ACTIONS", MY_ACTIONS)
    code, out = _main("--lang", "en", "actions", "--json")
    listed = {a["id"]: a for a in json.loads(out)}
    assert code == 0 and listed["it-reclamation"]["origin"] == "policy" and listed["it-reclamation"]["label"] == "Complaint"
    assert listed["it-reclamation"]["reads"] == "letter" and listed["it-reclamation"]["instruction"] == "optional"
    assert "my-merci" not in listed, "personal actions only when IT allows them"
    monkeypatch.setenv("PLUME_ALLOW_PERSONAL_ACTIONS", "true")
    assert json.loads(_main("actions", "--json")[1])[-1]["id"] == "my-merci"
    assert chat.chats == []


def test_an_it_action_runs_on_stdin(chat: FakeChat, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLUME_POLICY_ACTIONS", IT_ACTIONS)
    code, out = _main("run", "it-reclamation", "--instruction", "Accepter.")
    assert code == 0 and out == "Réponse du modèle.\n"
    assert TEXT in chat.sent() and "Réponds à cette réclamation. Accepter." in chat.sent()


def test_draft_reads_no_stdin_and_sends_the_instruction(chat: FakeChat, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PLUME_SIGNATURE_BLOCK", "Jean Dupont\\nMaire")
    code, out = _main("run", "draft", "--instruction", "Invitation au conseil du 3 avril.", stdin=_NoRead())
    assert code == 0 and out == "Réponse du modèle.\n"
    assert "Invitation au conseil du 3 avril." in chat.sent() and "Jean Dupont\nMaire" in chat.sent()


def test_rewrite_with_a_style_is_still_the_rewrite_action(chat: FakeChat) -> None:
    from plume.actions import BUILTINS

    assert _main("run", "rewrite", "--style", "formal")[0] == 0
    assert BUILTINS.get("rewrite-formal").prompt.fr in chat.sent()


@pytest.mark.parametrize(
    "argv",
    [["run", "dance"], ["run", "it-reclamation"], ["run", "draft"], ["run", "instruct"], ["run", "rewrite"],
     ["run", "draft", "--instruction", "  "]],
)  # fmt: skip
def test_an_unknown_action_or_a_missing_instruction_is_one_line_and_exit_2(
    chat: FakeChat, capsys: pytest.CaptureFixture[str], argv: list[str]
) -> None:
    assert _main(*argv, stdin=_NoRead())[0] == 2
    _one_line(capsys)
    assert chat.chats == []


def test_an_unknown_action_is_a_usage_error_naming_the_known_ones(chat: FakeChat, capsys: pytest.CaptureFixture[str]) -> None:
    assert _main("--lang", "fr", "run", "dance")[0] == 2
    line = _one_line(capsys)
    assert line.startswith("plume: commande incorrecte") and "draft" in line and "python -m plume run --help" in line


def test_a_letter_too_long_to_answer_is_an_input_error(chat: FakeChat, capsys: pytest.CaptureFixture[str]) -> None:
    letter = "\n".join(f"Paragraphe {i} de la lettre, avec sa demande détaillée et ses justificatifs." for i in range(200))
    assert _main("--lang", "fr", "run", "reply", stdin=io.StringIO(letter))[0] == 2
    assert "trop long" in _one_line(capsys) and chat.chats == []
