"""Attacks on refinement (plume.runs.Conversation) and the runs around it: what a model's
answer, a follow-up, a setting or a confirmation can make leave in clear. Each test is a
finding of an attacker's review and states what must hold. The model is a scripted server
(httpx.MockTransport)."""

from __future__ import annotations

import pytest

from plume.actions import ActionSpec
from plume.egress.door import Door
from plume.errors import LeakPrevented
from plume.longdoc import Block
from plume.runs import Conversation, prepare_run
from plume.settings import Settings
from support.fake_chat import FakeChat

PSEUDONYMISE = Settings(
    backend="openai", base_url="http://127.0.0.1:8080", model="m", context_window=4096, local_policy="pseudonymise"
)
IBAN = "FR76 3000 6000 0112 3456 7890 189"
TEL = "06 12 34 56 78"
SOURCE = f"Mme Hélène Dupont, IBAN {IBAN}, téléphone {TEL}, demande un remboursement."
# Pieces of each value that must never be in a request, whatever surrounds them.
CLEAR = ("Dupont", "Hélène", "3000 6000", "0112 3456", "34 56 78")


def _conversation(chat: FakeChat, settings: Settings = PSEUDONYMISE, source: str = SOURCE) -> Conversation:
    run = prepare_run(settings, ActionSpec("rewrite-formal"), [Block(source)], transport=chat.transport, confirmed=True)
    "".join(run.pieces())
    return run.conversation()


@pytest.mark.parametrize(
    "written",
    ["[NOM_1]ne", "[NOM_1]s", "l[NOM_1]", "[IBAN_1]12", "9[IBAN_1]", "[TEL_1]9", "x[TEL_1]", "[TEL_1]0[IBAN_1]"],
)
def test_an_answer_with_a_placeholder_glued_to_a_word_goes_back_masked(written: str) -> None:
    """The model glued a placeholder to letters or digits: restored for the user, the value
    is no whole word and no valid identifier ("06 12 34 56 789"), yet it is the value. Sent
    back in the next turn, it must be masked again, not leave in clear."""
    chat = FakeChat(f"Le dossier de {written} est complet.", "Version B.")
    conversation = _conversation(chat)
    assert any(value in conversation.current.text for value in CLEAR), "the user sees the values"
    "".join(conversation.revise("Plus court.").pieces())
    sent = chat.sent(1)
    assert not [value for value in CLEAR if value in sent]
    assert "est complet" in sent, "the answer itself is sent back"


def test_a_glued_answer_revised_alone_goes_back_masked_too() -> None:
    """When the conversation does not fit the window, the answer is revised alone: the same
    masking applies to it."""
    chat = FakeChat("Le dossier de [TEL_1]9 et de [NOM_1]ne est complet.", "Version B.")
    conversation = _conversation(chat)
    conversation.first = ()  # as for a long text: the answer alone is revised
    turn = conversation.revise("Plus court.")
    "".join(turn.pieces())
    assert turn.alone
    sent = chat.sent(1)
    assert not [value for value in CLEAR if value in sent]


def test_what_a_warn_turn_shows_is_masked_like_what_it_sends() -> None:
    chat = FakeChat("Le dossier de [TEL_1]9 est complet.", "Version B.")
    conversation = _conversation(chat, PSEUDONYMISE.replace(local_policy="warn"))
    shown, masked = conversation.revise("Plus court.").what_is_sent()
    assert "34 56 78" not in shown and "[TEL_1]9" in shown and masked >= 1


def test_the_door_stops_a_known_identifier_glued_to_other_digits() -> None:
    """The last check: a phone number or an IBAN masked earlier in the run, glued to other
    digits in a body, is still that value."""
    door = Door(PSEUDONYMISE)
    door.protect(SOURCE)
    for body in (f'{{"content": "appelez le 1{TEL}9"}}', f'{{"content": "{IBAN}12"}}'):
        with pytest.raises(LeakPrevented):
            door.check_body(body.encode())


def test_the_door_lets_a_name_inside_another_word_pass() -> None:
    """A surname inside an ordinary word ("Martin" in "Martinique") is not that person: the
    last check does not stop a request for it (the refinement masks it all the same)."""
    door = Door(PSEUDONYMISE)
    door.protect("M. Paul Martin habite ici.")
    door.check_body(b'{"content": "la Martinique"}')
    assert door.prevented == 0
