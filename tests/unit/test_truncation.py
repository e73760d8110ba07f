"""An answer cut at max_tokens is known as such: both backends report the server's reason
(OpenAI ``finish_reason``, Ollama ``done_reason``) and the run's stats say ``truncated``. A
summary's prompt states a length that fits the limit, a summary still cut ends at its last
complete sentence (``trimmed``), other actions are never shortened; the command line and the
AI record say so."""

from __future__ import annotations

import io
import json

import httpx
import pytest
from harness.longdocs import long_document

from plume.actions import ActionSpec, build_messages
from plume.backends.base import create_backend
from plume.longdoc import Block, LongGeneration, blocks_from_text
from plume.marking import Mark
from plume.pipeline import Generation
from plume.settings import Settings
from plume.truncation import MIN_WORDS, complete_sentences, summary_words
from support.mock_http import Recorder, ndjson, sse

TEXT = "Le conseil municipal a voté le budget de la cantine scolaire pour l'année prochaine."


def _openai(reason: str | None) -> httpx.MockTransport:
    def handle(request: httpx.Request) -> httpx.Response:
        chunks = [{"choices": [{"index": 0, "delta": {"content": "Le conseil a "}, "finish_reason": None}]},
                  {"choices": [{"index": 0, "delta": {"content": "voté le"}, "finish_reason": reason}]}]  # fmt: skip
        return sse([json.dumps(c) for c in chunks] + ["[DONE]"])

    return httpx.MockTransport(handle)


def _ollama(reason: str | None) -> httpx.MockTransport:
    def handle(request: httpx.Request) -> httpx.Response:
        base = {"model": "m", "created_at": "2026-01-01T00:00:00Z"}
        lines = [{**base, "message": {"role": "assistant", "content": "Le conseil a voté le"}, "done": False},
                 {**base, "message": {"role": "assistant", "content": ""}, "done": True, "done_reason": reason}]  # fmt: skip
        return ndjson([json.dumps(line) for line in lines])

    return httpx.MockTransport(handle)


@pytest.mark.parametrize(("backend", "transport"), [("openai", _openai), ("ollama", _ollama)])
@pytest.mark.parametrize(("reason", "truncated"), [("length", True), ("stop", False), (None, False)])
def test_an_answer_cut_at_max_tokens_is_reported(backend: str, transport: object, reason: str | None, truncated: bool) -> None:
    settings = Settings(backend=backend, base_url="http://127.0.0.1:9", model="m")
    generation = Generation(create_backend(settings, transport=transport(reason)), settings, ActionSpec("summarize"), TEXT,  # type: ignore[operator]
                            model="m")  # fmt: skip
    assert generation.run()
    assert generation.stats.truncated is truncated


# --- summaries ask for a length that fits, and a cut one ends at a complete sentence ------


def _chunks(*pieces: str, reason: str | None) -> httpx.Response:
    last = len(pieces) - 1
    events = [{"choices": [{"index": 0, "delta": {"content": p}, "finish_reason": reason if i == last else None}]}
              for i, p in enumerate(pieces)]  # fmt: skip
    return sse([json.dumps(e) for e in events] + ["[DONE]"])


def _long(spec: ActionSpec, text: str, reason: str | None, *pieces: str, window: int = 4096, max_output: int = 96,
          blocks: list[Block] | None = None) -> tuple[LongGeneration, Recorder]:  # fmt: skip
    recorder = Recorder(lambda request: _chunks(*pieces, reason=reason))
    settings = Settings(backend="openai", base_url="http://127.0.0.1:9", model="m", max_output_tokens=max_output)
    run = LongGeneration(create_backend(settings, "", recorder.transport), settings, spec,
                         blocks if blocks is not None else blocks_from_text(text), model="m", window=window)  # fmt: skip
    run.run()
    return run, recorder


def test_the_summary_prompt_states_a_length_that_fits_the_answer_limit() -> None:
    assert summary_words(96) == 30 and summary_words(1024) == 340 and summary_words(16) == MIN_WORDS
    french = build_messages(ActionSpec("summarize"), TEXT, "fr", max_tokens=96)[1].content
    english = build_messages(ActionSpec("summarize"), "The council voted.", "en", max_tokens=1024)[1].content
    assert "phrases claires et complètes, 30 mots au plus." in french
    assert "complete sentences, 340 words at most." in english
    assert "mots au plus" not in build_messages(ActionSpec("summarize"), TEXT, "fr")[1].content
    rewrite = build_messages(ActionSpec("rewrite", style="formal"), TEXT, "fr", max_tokens=96)[1].content
    assert "mots" not in rewrite.split("\n")[-1], "only a summary's length is stated"
    _, recorder = _long(ActionSpec("summarize"), TEXT, "stop", "Le conseil a voté.", max_output=300)
    (body,) = recorder.bodies
    assert "100 mots au plus" in body["messages"][-1]["content"] and body["max_tokens"] == 300


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Le conseil a voté le budget. Les travaux commencent le", "Le conseil a voté le budget."),
        ("Première décision ! Deuxième ? Trois", "Première décision ! Deuxième ?"),
        ("Il a dit « oui. » Puis il", "Il a dit « oui. »"),
        ("Il a dit « oui.\u00a0» Puis il", "Il a dit « oui.\u00a0»"),
        ("Le budget est voté.\n- travaux : 3 M€\n- cantine : 1,2", "Le budget est voté.\n- travaux : 3 M€"),
        ("M. Martin a signé l'art. 12. Mme Li a lu la p. 3 avec J. Dupont et", "M. Martin a signé l'art. 12."),
        ("Le montant de 1.5 M€ est voté. Le solde de 2.5", "Le montant de 1.5 M€ est voté."),
        ("Le conseil a voté le budget.", None),  # nothing to remove
        ("Le conseil a voté le budget de la", None),  # no complete sentence: kept as it is
    ],
)
def test_a_cut_text_keeps_its_last_complete_sentence(text: str, kept: str | None) -> None:
    assert complete_sentences(text) == kept


def test_the_kept_prefix_is_never_cut_into() -> None:
    head = "Parties couvertes : Budget ; Travaux\n"
    assert complete_sentences(head + "Le conseil a voté. Les trav", len(head)) == head + "Le conseil a voté."
    assert complete_sentences(head + "Le conseil a voté le", len(head)) is None


def test_a_cut_summary_ends_at_its_last_complete_sentence() -> None:
    run, _ = _long(ActionSpec("summarize"), TEXT, "length", "Le conseil a voté le budget. ", "La cantine ouvrira le")
    assert run.stats.truncated and run.stats.trimmed
    assert run.text == "Le conseil a voté le budget." and run.stats.output_chars == len(run.text)
    whole, _ = _long(ActionSpec("summarize"), TEXT, "stop", "Le conseil a voté le budget. ", "La cantine ouvrira le")
    assert not whole.stats.truncated and not whole.stats.trimmed and whole.text.endswith("ouvrira le")


def test_a_cut_summary_without_a_complete_sentence_is_kept_and_still_reported() -> None:
    run, _ = _long(ActionSpec("summarize"), TEXT, "length", "Le conseil a voté le budget de la")
    assert run.stats.truncated and not run.stats.trimmed and run.text == "Le conseil a voté le budget de la"


def test_a_cut_rewrite_is_reported_never_shortened() -> None:
    spec = ActionSpec("rewrite", style="formal")
    run, _ = _long(spec, TEXT, "length", "Le conseil municipal a adopté. Le budget de la")
    assert run.stats.truncated and not run.stats.trimmed and run.text == "Le conseil municipal a adopté. Le budget de la"


def test_a_rewrite_by_batches_with_a_small_limit_is_reported() -> None:
    blocks = [Block(text, level) for text, level in long_document(3)]
    run, recorder = _long(ActionSpec("rewrite", style="formal"), "", "length", "Texte revu et coupé", window=1024,
                          max_output=64, blocks=blocks)  # fmt: skip
    assert len(recorder.bodies) > 1 and run.stats.truncated and not run.stats.trimmed


def test_a_long_summary_cut_at_the_end_keeps_the_sections_it_covers() -> None:
    blocks = [Block(text, level) for text, level in long_document(10)]
    run, recorder = _long(ActionSpec("summarize"), "", "length", "La commune rénove l'école. ", "Le budget de", window=2048,
                          blocks=blocks)  # fmt: skip
    assert len(recorder.bodies) > 2, "map-reduce"
    assert run.stats.truncated and run.stats.trimmed
    head, body = run.text.split("\n", 1)
    assert head.startswith("Parties couvertes : Partie 1") and body == "La commune rénove l'école."
    partial = [b for b in recorder.bodies[:-1]]
    assert all("mots au plus" in b["messages"][-1]["content"] for b in partial), "partial summaries are asked a length too"


# --- where the user is told: the command line and the AI record ---------------------------


@pytest.mark.parametrize(("lang", "expected"), [("fr_FR.UTF-8", "réponse incomplète"), ("en_GB.UTF-8", "incomplete answer")])
def test_the_command_line_says_so_on_stderr_and_exits_0(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], lang: str, expected: str
) -> None:
    from plume import cli
    from plume.runs import model_run

    for reason in ("length", "stop"):
        recorder = Recorder(lambda request, reason=reason: _chunks("Le conseil a voté le", reason=reason))  # type: ignore[misc]
        monkeypatch.setattr(
            model_run, "create_backend", lambda settings, key, r=recorder, **_: create_backend(settings, key, r.transport)
        )
        monkeypatch.setenv("LANG", lang)
        monkeypatch.delenv("LC_ALL", raising=False)
        for name, value in {
            "BACKEND": "openai",
            "BASE_URL": "http://127.0.0.1:9",
            "MODEL": "m",
            "CONTEXT_WINDOW": "4096",
        }.items():
            monkeypatch.setenv(f"PLUME_{name}", value)
        stdout = io.StringIO()
        assert cli.main(["run", "rewrite", "--style", "formal"], stdin=io.StringIO(TEXT), stdout=stdout) == 0
        assert stdout.getvalue() == "Le conseil a voté le\n"
        err = capsys.readouterr().err
        if reason == "length":
            assert err.count("\n") == 1 and err.startswith("plume: ") and expected in err and "PLUME_MAX_OUTPUT_TOKENS" in err
        else:
            assert err == ""


def test_the_record_says_truncated_and_the_comment_has_a_line_for_it() -> None:
    mark = Mark.now("Reformuler", "smollm2", "local", 42, (("date", "9 juillet 2026"),), truncated=True)
    assert json.loads(mark.to_json())["truncated"] is True and Mark.from_json(mark.to_json()) == mark
    french, english = mark.comment("fr").split("\n"), mark.comment("en").split("\n")
    assert len(french) == 3 and french[2].startswith("Réponse incomplète") and "(1)" in french[1]
    assert len(english) == 3 and english[2].startswith("Incomplete answer")
    assert (
        "\n" not in Mark.now("Résumer", "m", "local", 3).comment("fr")
        and json.loads(Mark.now("R", "m", "local", 3).to_json())["truncated"] is False
    )
    old = json.dumps({"action": "Résumer", "model": "m", "destination": "local", "date": "2026-01-01T00:00:00+00:00", "chars": 3})
    assert Mark.from_json(old).truncated is False
