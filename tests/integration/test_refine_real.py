"""Refining a result against the real llama.cpp server (the small test model): a rewrite
refined twice, back once, refined again from the first version. Structure only: the model
writes poor French."""

from __future__ import annotations

from plume.actions import ActionSpec
from plume.longdoc import blocks_from_text
from plume.runs import prepare_run
from plume.settings import Settings

LETTER = (
    "Madame, Monsieur,\n"
    "Par délibération du 12 mars 2026, le conseil municipal a approuvé la rénovation de l'école Jules-Ferry "
    "pour un montant de 240 000 euros. Les travaux commenceront en juillet et dureront huit semaines.\n"
    "Pour toute question, contactez M. Jean Dupont au 06 12 34 56 78."
)


def test_a_rewrite_refined_twice_then_from_its_first_version(openai_settings: Settings) -> None:
    settings = openai_settings.replace(local_policy="pseudonymise", max_output_tokens=160)
    run = prepare_run(settings, ActionSpec("rewrite-formal"), blocks_from_text(LETTER))
    assert "".join(run.pieces()) and run.text.strip() and run.unsupported is not None
    conversation = run.conversation()
    assert conversation.first, "the letter and its answer fit one request: the conversation is continued"
    for instruction in ("Plus court.", "Plus poli."):
        turn = conversation.revise(instruction)
        pieces = list(turn.pieces())
        assert "".join(pieces) and turn.text.strip() and turn.unsupported is not None
        assert conversation.current.text == turn.text and conversation.current.instruction == instruction
    assert [v.parent for v in conversation.versions] == [None, 0, 1]
    assert conversation.back().instruction == "Plus court." and conversation.index == 1
    conversation.back(0)
    turn = conversation.revise("En une phrase.")
    "".join(turn.pieces())
    assert [v.parent for v in conversation.versions] == [None, 0, 1, 0] and conversation.index == 3
    assert conversation.door.requests == 5 and conversation.door.prevented == 0, "the window, then four answers: one door"
    assert conversation.door.masked >= 2, "the name and the phone number were pseudonymised"
