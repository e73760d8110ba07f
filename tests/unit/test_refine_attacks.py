"""Attacks on refinement (plume.runs.Conversation) and the runs around it: what a model's
answer, a follow-up, a setting or a confirmation can make leave in clear. Each test is a
finding of an attacker's review and states what must hold. The model is a scripted server
(httpx.MockTransport)."""

from __future__ import annotations

import pytest

from plume.actions import ActionSpec
from plume.cancel import CancelToken
from plume.egress.door import Door
from plume.errors import Cancelled, LeakPrevented, NeedsConfirmation, TooLong
from plume.longdoc import Block
from plume.runs import Conversation, prepare_run, spec_for
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


def _confirmed_conversation(chat: FakeChat) -> tuple[Conversation, str]:
    """As :func:`_conversation` under "warn", the first run sent with the token of what the
    user was shown; the token is returned too."""
    settings = PSEUDONYMISE.replace(local_policy="warn")
    spec = ActionSpec("rewrite-formal")
    with pytest.raises(NeedsConfirmation) as first:
        "".join(prepare_run(settings, spec, [Block(SOURCE)], transport=chat.transport).pieces())
    run = prepare_run(settings, spec, [Block(SOURCE)], transport=chat.transport, confirmed=first.value.token)
    "".join(run.pieces())
    return run.conversation(), first.value.token


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


# --- the signature block -----------------------------------------------------------------
SIGNATURE = "Jean-Baptiste Lefèvre\\nChargé de mission\\n01 23 45 67 89\\njb.lefevre@mairie-exemple.fr"
AGENT = ("Lefèvre", "Jean-Baptiste", "45 67 89", "jb.lefevre")


def _signed(messages: list[dict[str, str]]) -> str:
    """A letter ending with what the model was given as the signature block."""
    block = messages[-1]["content"].split(":\n", 1)[1].split("\n.", 1)[0]
    return f"Objet : relance\nMadame,\nVeuillez régler la somme due.\nBien cordialement,\n{block}"


@pytest.mark.parametrize("policy", ["pseudonymise", "warn"])
def test_the_signature_block_leaves_masked_and_comes_back_whole(policy: str) -> None:
    """The agent's name alone on a line has no cue a detector reads: the block leaves as one
    placeholder, is shown as such under "warn", and the letter ends with it restored."""
    settings = PSEUDONYMISE.replace(local_policy=policy, signature_block=SIGNATURE)
    chat = FakeChat(_signed, "Version B.")
    spec = spec_for(settings, "draft", instruction="Une relance pour un impayé de cantine.")
    confirmed: bool | str = False
    if policy == "warn":
        with pytest.raises(NeedsConfirmation) as raised:
            "".join(prepare_run(settings, spec, [], transport=chat.transport).pieces())
        shown, masked = prepare_run(settings, spec, [], transport=chat.transport).what_is_sent()
        assert masked == 1 and not [v for v in AGENT if v in shown] and "impayé de cantine" in shown
        confirmed = raised.value.token
    run = prepare_run(settings, spec, [], transport=chat.transport, confirmed=confirmed)
    text = "".join(run.pieces())
    assert not [value for value in AGENT if value in chat.sent(0)]
    assert text.endswith(SIGNATURE.replace("\\n", "\n")), "the block as it is"
    assert run.unsupported == [], "the block's number is the user's, not an invented one"
    conversation = run.conversation()
    if policy == "warn":
        with pytest.raises(NeedsConfirmation) as again:
            "".join(conversation.revise("Plus ferme.").pieces())
        assert not [value for value in AGENT if value in again.value.text]
        confirmed = again.value.token
    "".join(conversation.revise("Plus ferme.", confirmed=confirmed).pieces())
    sent = chat.sent(1)
    assert "Veuillez régler" in sent and not [value for value in AGENT if value in sent]


def test_a_confirmation_without_the_signature_block_does_not_send_it() -> None:
    """The token names what the user saw: the same instruction with a signature block added
    afterwards (the setting changed) must be confirmed again."""
    settings = PSEUDONYMISE.replace(local_policy="warn")
    chat = FakeChat(_signed)
    instruction = "Une relance pour un impayé de cantine."
    with pytest.raises(NeedsConfirmation) as unsigned:
        "".join(
            prepare_run(settings, spec_for(settings, "draft", instruction=instruction), [], transport=chat.transport).pieces()
        )
    signed = settings.replace(signature_block=SIGNATURE)
    run = prepare_run(signed, spec_for(signed, "draft", instruction=instruction), [], transport=chat.transport,
                      confirmed=unsigned.value.token)  # fmt: skip
    with pytest.raises(NeedsConfirmation):
        "".join(run.pieces())
    assert chat.chats == []


def test_a_placeholder_typed_in_a_draft_instruction_is_not_given_to_the_signature() -> None:
    """A letter template's "[NOM_1]" stays the template's: the signature block gets another
    placeholder, and the model's "[NOM_1]" is not restored as the agent's block."""
    settings = PSEUDONYMISE.replace(signature_block=SIGNATURE)
    chat = FakeChat(lambda m: "Madame [NOM_1],\nBien cordialement,\n" + _signed(m).rsplit("\n", 1)[1])
    spec = spec_for(settings, "draft", instruction="Une relance adressée à [NOM_1].")
    text = "".join(prepare_run(settings, spec, [], transport=chat.transport).pieces())
    assert text.startswith("Madame [NOM_1],") and text.endswith(SIGNATURE.replace("\\n", "\n"))


# --- confirmations, Stop, the window -----------------------------------------------------
def test_the_runs_confirmation_is_not_a_turns() -> None:
    chat = FakeChat("Le dossier de [NOM_1] est complet.", "Version B.")
    conversation, token = _confirmed_conversation(chat)
    with pytest.raises(NeedsConfirmation):
        "".join(conversation.revise(SOURCE, confirmed=token).pieces())
    assert len(chat.chats) == 1 and len(conversation.versions) == 1


def test_stop_in_the_middle_of_a_turn_keeps_the_versions_as_they_were() -> None:
    chat = FakeChat("Le dossier de [NOM_1] est complet.", "Une version B qui ne finira jamais, coupée par Stop.", "C.")
    conversation = _conversation(chat)
    cancel = CancelToken()
    turn = conversation.revise("Plus court.", cancel=cancel)
    with pytest.raises(Cancelled):
        for piece in turn.pieces():
            if piece:
                cancel.cancel()
    assert len(conversation.versions) == 1 and conversation.index == 0 and turn.version is None
    "".join(conversation.revise("Plus long.").pieces())
    assert [v.parent for v in conversation.versions] == [None, 0] and conversation.current.text == "C."
    assert "Plus court." not in chat.sent(2) and "Version B" not in chat.sent(2), "the stopped turn is no version"


def test_a_revision_that_fits_no_window_is_refused_before_anything_is_sent() -> None:
    chat = FakeChat("Réponse courte.", "Jamais envoyée.")
    settings = PSEUDONYMISE.replace(context_window=1024, max_output_tokens=128)
    conversation = _conversation(chat, settings, source="Un texte court à réécrire.")
    with pytest.raises(TooLong):
        "".join(conversation.revise("Développe : " + "ajoute ce détail, " * 800).pieces())
    assert len(chat.chats) == 1 and len(conversation.versions) == 1


def test_the_audit_records_a_glued_answer_masked() -> None:
    """With audit_include_text, the answer is recorded as the door would let it out: a value
    the model glued to a word is masked there too, not written to disk in clear."""
    from plume.audit import as_sent

    chat = FakeChat("Le dossier de [TEL_1]9 et de [NOM_1]ne est complet.")
    run = prepare_run(PSEUDONYMISE, ActionSpec("rewrite-formal"), [Block(SOURCE)], transport=chat.transport)
    "".join(run.pieces())
    recorded = as_sent(run.door, run.text, answer=True)
    assert recorded is not None and "est complet" in recorded
    assert not [value for value in CLEAR if value in recorded]


def test_a_short_signature_is_masked_as_a_word_not_inside_every_word() -> None:
    """A one-word signature ("DGS", "a") must not mask the letters of every word, nor make
    the door's last check see it in the request's own keys ("assistant")."""
    settings = PSEUDONYMISE.replace(signature_block="a")
    chat = FakeChat(_signed, "Version B.")
    run = prepare_run(settings, spec_for(settings, "draft", instruction="Une relance à la cantine."), [],
                      transport=chat.transport)  # fmt: skip
    text = "".join(run.pieces())
    assert "relance à la cantine" in chat.sent(0) and "Veuillez régler" in text and text.endswith("\na")
    "".join(run.conversation().revise("Plus ferme.").pieces())
    assert run.door.prevented == 0 and len(chat.chats) == 2


def test_a_confirmation_token_cannot_be_computed_outside_plume() -> None:
    """Whoever wrote the letter can guess what the user would be shown; a token computed
    from that text (a link "plume:instruct?confirmed=..." in the letter) must not confirm."""
    import hashlib

    settings = PSEUDONYMISE.replace(local_policy="warn")
    chat = FakeChat("Réponse.")
    run = prepare_run(settings, ActionSpec("reply"), [Block(SOURCE)], transport=chat.transport)
    shown, _ = run.what_is_sent()
    forged = hashlib.sha256(shown.encode("utf-8")).hexdigest()[:32]
    run = prepare_run(settings, ActionSpec("reply"), [Block(SOURCE)], transport=chat.transport, confirmed=forged)
    with pytest.raises(NeedsConfirmation) as raised:
        "".join(run.pieces())
    assert raised.value.text == shown and chat.chats == []
    run = prepare_run(settings, ActionSpec("reply"), [Block(SOURCE)], transport=chat.transport, confirmed=raised.value.token)
    assert "".join(run.pieces()) == "Réponse."


def test_a_follow_up_leaves_as_the_warn_turn_showed_it() -> None:
    """The follow-up is masked the same way in what the user confirms and in what is sent:
    a value of the text glued to a word in the follow-up is not shown masked, then sent."""
    chat = FakeChat("Le dossier de [NOM_1] est complet.", "Version B.")
    conversation, _ = _confirmed_conversation(chat)
    follow_up = "Écris Dupontne comme dans le formulaire."
    with pytest.raises(NeedsConfirmation) as turn:
        "".join(conversation.revise(follow_up).pieces())
    assert "Dupont" not in turn.value.text
    "".join(conversation.revise(follow_up, confirmed=turn.value.token).pieces())
    assert "Dupont" not in chat.sent(1)


def test_a_confirmation_is_for_the_server_it_named() -> None:
    """The user confirmed a text for one server; the settings then name another (approved
    too): the same text must be confirmed again before it goes there."""
    first = PSEUDONYMISE.replace(
        operator_policy="warn", base_url="https://llm-a.example", approved_hosts="llm-a.example,llm-b.example"
    )
    second = first.replace(base_url="https://llm-b.example")
    chat = FakeChat("Réponse.")
    with pytest.raises(NeedsConfirmation) as raised:
        "".join(prepare_run(first, ActionSpec("reply"), [Block(SOURCE)], transport=chat.transport).pieces())
    run = prepare_run(second, ActionSpec("reply"), [Block(SOURCE)], transport=chat.transport, confirmed=raised.value.token)
    with pytest.raises(NeedsConfirmation) as again:
        "".join(run.pieces())
    assert again.value.text == raised.value.text and again.value.token != raised.value.token and chat.chats == []


def test_a_personal_actions_prompt_is_shown_under_warn_as_it_leaves() -> None:
    """The prompt of an action the user wrote leaves with the text: the confirmation shows it
    (masked), not only the text, so what the user confirms is what is sent."""
    from plume.actions.custom import dump_actions, parse_actions

    prompt = f"Réponds en signant « Joseph Durand, {TEL} » avec courtoisie."
    mine = parse_actions(f'[[action]]\nid = "signer"\nlabel = "Signer"\nprompt = "{prompt}"\n', "mine", "personal")
    settings = PSEUDONYMISE.replace(local_policy="warn", allow_personal_actions=True, personal_actions=dump_actions(mine))
    spec = spec_for(settings, "my-signer")
    shown, masked = prepare_run(settings, spec, [Block("Un texte.", 0)], transport=FakeChat("Réponse.").transport).what_is_sent()
    assert "avec courtoisie" in shown and TEL not in shown and masked >= 1
