"""How LongGeneration plans requests, with the network replaced by a recorder that answers
every request with the same short text (httpx.MockTransport): the real-server behaviour is in
tests/integration/test_long_documents.py; here, many window sizes and texts are tried in
milliseconds. No request may exceed the window; every block is sent; progress ends complete."""

from __future__ import annotations

import pytest
from harness.longdocs import long_document
from hypothesis import given, settings
from hypothesis import strategies as st

from plume.actions import ActionSpec
from plume.backends.base import create_backend
from plume.budget import estimate_prompt_tokens
from plume.errors import NeedsConfirmation
from plume.longdoc import Block, LongGeneration
from plume.settings import Settings
from plume.types import Message
from support.mock_http import Recorder, openai_chunks, sse

pytestmark = pytest.mark.unit
SETTINGS = Settings(backend="openai", base_url="http://127.0.0.1:9/v1", model="m")


def _run(
    spec: ActionSpec, blocks: list[Block], window: int, max_output: int = 256, **values: object
) -> tuple[LongGeneration, Recorder]:
    recorder = Recorder(lambda request: sse(openai_chunks("Réponse ", "courte.")))
    settings = SETTINGS.replace(max_output_tokens=max_output, **values)
    run = LongGeneration(create_backend(settings, "", recorder.transport), settings, spec, blocks, model="m", window=window)
    run.run()
    return run, recorder


def _sent_tokens(body: dict[str, object]) -> int:
    messages = [Message(m["role"], m["content"]) for m in body["messages"]]  # type: ignore[attr-defined, index]
    return estimate_prompt_tokens(messages) + int(body["max_tokens"])  # type: ignore[call-overload]


def _blocks(pages: int) -> list[Block]:
    return [Block(text, level) for text, level in long_document(pages)]


@pytest.mark.parametrize("window", [1024, 2048, 8192])
@pytest.mark.parametrize("action", ["summarize", "rewrite"])
def test_no_request_exceeds_the_window_and_every_block_is_sent(window: int, action: str) -> None:
    blocks = _blocks(10)
    spec = ActionSpec(action, style="formal" if action == "rewrite" else "")
    run, recorder = _run(spec, blocks, window)
    assert all(_sent_tokens(body) <= window for body in recorder.bodies)
    sent = "\n".join(body["messages"][-1]["content"] for body in recorder.bodies)
    assert all(block.text in sent for block in blocks if len(block.text) < 200), "short blocks are sent whole"
    assert run.progress == (len(recorder.bodies), len(recorder.bodies))


def test_a_short_text_is_one_request_with_the_usual_answer_size() -> None:
    run, recorder = _run(ActionSpec("rewrite", style="formal"), [Block("Le conseil a voté le budget.")], 4096)
    assert run.fits and len(recorder.bodies) == 1 and recorder.bodies[0]["max_tokens"] == 256 and run.progress is None


def test_a_long_rewrite_joins_batches_in_order_and_keeps_paragraphs_apart() -> None:
    blocks = [Block(f"Paragraphe {i}. " + "Une phrase de plus. " * (30 if i % 2 else 3)) for i in range(8)]
    run, recorder = _run(ActionSpec("rewrite", style="formal"), blocks, 2048, max_output=200)
    assert len(recorder.bodies) > 1 and {r.stage for r in run.requests} == {"batch"}
    assert run.text.count("\n") == len(blocks) - 1, "one line per source paragraph, sentences of one paragraph joined by spaces"
    # Segments: whole paragraphs, each once and in order, their answers making up the text.
    assert [text for segment in run.segments for text in segment.sources] == [b.text for b in blocks]
    assert "\n".join(segment.answer for segment in run.segments) == run.text
    assert 1 < len(run.segments) < len(recorder.bodies), "a long paragraph's batches are one segment"


def test_the_warn_policy_asks_before_the_first_request_for_the_whole_text() -> None:
    blocks = [*_blocks(3), Block("Contact : M. Jean Dupont, 06 12 34 56 78.")]
    recorder = Recorder(lambda request: sse(openai_chunks("x")))
    settings = SETTINGS.replace(local_policy="warn")
    with pytest.raises(NeedsConfirmation) as raised:
        LongGeneration(
            create_backend(settings, "", recorder.transport), settings, ActionSpec("summarize"), blocks, model="m", window=2048
        )
    assert recorder.bodies == [] and raised.value.replaced >= 2 and "06 12 34 56 78" not in raised.value.text


def test_a_100_page_summary_with_wordy_partial_summaries_still_converges() -> None:
    # Partial summaries as long as allowed, and labels naming many sections: each level must
    # still at least halve (a first version looped forever here, found by the real server).
    answer = "Le conseil municipal a examiné les propositions et adopté les mesures. " * 12
    recorder = Recorder(lambda request: sse(openai_chunks(answer)))
    settings = SETTINGS.replace(max_output_tokens=64)
    run = LongGeneration(
        create_backend(settings, "", recorder.transport), settings, ActionSpec("summarize"), _blocks(100), model="m", window=2048
    )
    run.run()
    stages = [r.stage for r in run.requests]
    assert stages.count("final") == 1 and stages.count("reduce") < stages.count("map"), "each level at least halves"
    assert all(_sent_tokens(body) <= 2048 for body in recorder.bodies) and run.progress == (len(stages), len(stages))


@pytest.mark.parametrize("pages", [0, 3])
def test_pseudonymised_texts_still_fit_though_placeholders_are_longer(pages: int) -> None:
    # Short values ("Li", "Ng") become longer placeholders ("[NOM_12]"): the plan keeps slack.
    people = " ".join(
        f"M. {a} et Mme {b} ont signé." for a, b in zip(["Li", "Wu", "Ba", "Ly"] * 6, ["Ng", "Do", "Vo", "Ha"] * 6, strict=True)
    )
    blocks = [*_blocks(pages), Block(people)] if pages else [Block(people)]
    for action in ("summarize", "rewrite"):
        spec = ActionSpec(action, style="formal" if action == "rewrite" else "")
        run, recorder = _run(spec, blocks, 1024, max_output=1024, local_policy="pseudonymise")
        assert all(_sent_tokens(body) <= 1024 for body in recorder.bodies) and run.stats.pseudonymised > 0


@settings(max_examples=25, deadline=None)
@given(
    st.integers(min_value=1024, max_value=6000), st.integers(min_value=16, max_value=1024), st.integers(min_value=1, max_value=12)
)
def test_any_window_and_answer_size_keep_every_request_inside(window: int, max_output: int, pages: int) -> None:
    _, recorder = _run(ActionSpec("summarize"), _blocks(pages), window, max_output=max_output)
    assert recorder.bodies and all(_sent_tokens(body) <= window for body in recorder.bodies)


@pytest.mark.parametrize("action", ["reply", "continue"])
def test_an_action_that_needs_the_whole_text_refuses_a_long_one_before_any_request(action: str) -> None:
    from plume.errors import TooLong

    recorder = Recorder(lambda request: sse(openai_chunks("x")))
    settings = SETTINGS.replace(max_output_tokens=256)
    backend = create_backend(settings, "", recorder.transport)
    with pytest.raises(TooLong) as raised:
        LongGeneration(backend, settings, ActionSpec(action), _blocks(10), model="m", window=2048)
    assert raised.value.whole_text and raised.value.window == 2048 and recorder.bodies == []
    # The same text is summarised part by part, and a short letter is answered in one request.
    run, recorder = _run(ActionSpec(action), [Block("Madame, je demande le report de ma facture du 3 avril.")], 2048)
    assert run.fits and len(recorder.bodies) == 1 and all(_sent_tokens(body) <= 2048 for body in recorder.bodies)


def test_a_whole_text_action_uses_the_room_an_answer_needs_not_a_batch() -> None:
    # A letter longer than a rewrite batch (max_output_tokens) still fits one request.
    letter = [Block(f"Paragraphe {i} : nous vous demandons de revoir la facture de la cantine.") for i in range(20)]
    run, recorder = _run(ActionSpec("reply"), letter, 8192, max_output=128)
    assert run.fits and len(recorder.bodies) == 1


def test_a_draft_is_one_request_holding_the_instruction_alone() -> None:
    run, recorder = _run(ActionSpec("draft", instruction="Invitation au conseil du 3 avril."), [], 2048)
    (body,) = recorder.bodies
    assert run.fits and [m["role"] for m in body["messages"]] == ["system", "user"]
    assert body["messages"][-1]["content"].endswith("Invitation au conseil du 3 avril.") and run.text == "Réponse courte."
