"""plume.runs.prepare_run: what every front end calls to run an action. The network is a
scripted server (httpx.MockTransport): what was sent, in which order, and what the run says
about its result."""

from __future__ import annotations

import json

import pytest

from plume.actions import ActionSpec
from plume.errors import DestinationBlocked, NeedsConfirmation, SettingsError, UnsupportedError
from plume.longdoc import Block
from plume.runs import ModelRun, prepare_run, signature_of, spec_for
from plume.settings import Settings
from support.fake_chat import PLACEHOLDER, FakeChat, echo_placeholders

SETTINGS = Settings(backend="openai", base_url="http://127.0.0.1:8080", model="m", context_window=4096)
SOURCE = "Le conseil municipal, présidé par M. Jean Dupont, a voté le budget de 1 240 000 € le 3 avril 2026."
PHONE = "06 12 34 56 78"
IT_ACTIONS = json.dumps([{"id": "reclamation", "label": "Réclamation", "prompt": "Réponds à la réclamation. {instruction}",
                          "reads": "letter", "instruction": "optional"}])  # fmt: skip


def _run(chat: FakeChat, spec: ActionSpec, text: str, settings: Settings = SETTINGS, **options: object) -> ModelRun:
    blocks = [Block(line) for line in text.split("\n")]
    return prepare_run(settings, spec, blocks, transport=chat.transport, **options)  # type: ignore[arg-type]


def _consume(run: ModelRun) -> str:
    return "".join(run.pieces())


def test_a_run_streams_the_answer_and_checks_its_facts_against_the_text_read() -> None:
    chat = FakeChat("Le budget de 1 240 000 € a été voté. Il sera porté à 2 000 000 € en 2027.")
    run = _run(chat, ActionSpec("rewrite-formal"), SOURCE)
    assert run.stats is None and run.unsupported is None, "nothing asked yet"
    assert _consume(run) == run.text and len(chat.chats) == 1
    assert run.stats is not None and run.stats.model == "m" and run.window == 4096 and not run.truncated
    assert run.unsupported is not None and {f.text for f in run.unsupported} >= {"2 000 000 €"}
    assert "1 240 000 €" not in {f.text for f in run.unsupported}
    assert run.door.requests == 2 and run.notes("fr") == [], "the window asked of the server, then the answer"


def test_what_is_refused_at_once_sends_nothing() -> None:
    chat = FakeChat("x")
    with pytest.raises(UnsupportedError, match="no text"):
        _run(chat, ActionSpec("summarize"), " \n ")
    with pytest.raises(DestinationBlocked):
        _run(chat, ActionSpec("summarize"), SOURCE, SETTINGS.replace(base_url="https://llm.example.org"))
    with pytest.raises(SettingsError):
        _run(chat, ActionSpec("summarize"), SOURCE, SETTINGS.replace(draft_mode="nowhere"))
    assert chat.chats == []


def test_drafting_sends_only_the_instruction_pseudonymised_and_checks_the_draft_against_it() -> None:
    chat = FakeChat(echo_placeholders("Objet : rendez-vous. Montant : 300 €. Contact :"))
    settings = SETTINGS.replace(local_policy="pseudonymise")
    instruction = f"Courrier à M. Jean Dupont ({PHONE}) pour confirmer le rendez-vous du 3 avril."
    run = _run(chat, ActionSpec("draft", instruction=instruction), "Texte du document, jamais lu.", settings)
    assert run.blocks == [] and run.source == ""
    _consume(run)
    sent = chat.sent()
    assert "jamais lu" not in sent and "rendez-vous du 3 avril" in sent, "the instruction is the whole input"
    assert PHONE not in sent and "Dupont" not in sent and PLACEHOLDER.search(sent)
    assert PHONE in run.text, "the answer is restored for the user"
    assert run.unsupported is not None and [f.text for f in run.unsupported] == ["300 €"], (
        "only what the instruction did not give"
    )


def test_a_draft_under_warn_shows_the_pseudonymised_instruction_first() -> None:
    chat = FakeChat(echo_placeholders("Courrier pour"))
    settings = SETTINGS.replace(local_policy="warn")
    spec = ActionSpec("draft", instruction=f"Écris à M. Jean Dupont, {PHONE}.")
    with pytest.raises(NeedsConfirmation) as raised:
        _consume(_run(chat, spec, "", settings))
    assert chat.chats == [] and raised.value.text.startswith("Écris à") and PHONE not in raised.value.text
    assert raised.value.replaced >= 1
    run = _run(chat, spec, "", settings, confirmed=raised.value.token)
    assert run.what_is_sent()[0] == raised.value.text
    _consume(run)
    assert len(chat.chats) == 1 and PHONE not in chat.sent()


def test_the_signature_block_ends_letters_only() -> None:
    settings = SETTINGS.replace(signature_block="Jean Dupont\\nMaire de Trifouillis")
    assert signature_of(settings) == "Jean Dupont\nMaire de Trifouillis"
    assert spec_for(settings, "draft", instruction="Un courrier.").signature == "Jean Dupont\nMaire de Trifouillis"
    assert spec_for(settings, "reply").signature and not spec_for(settings, "rewrite-formal").signature
    chat = FakeChat("Madame, Monsieur.")
    run = _run(chat, ActionSpec("draft", instruction="Un courrier d'invitation."), "", settings)
    assert run.spec.signature == "Jean Dupont\nMaire de Trifouillis", "filled in when the front end built the spec itself"
    _consume(run)
    assert "Jean Dupont\nMaire de Trifouillis" in chat.sent()


def test_spec_for_finds_every_action_the_settings_give() -> None:
    settings = SETTINGS.replace(policy_actions=IT_ACTIONS)
    assert spec_for(settings, "it-reclamation").definition.origin == "policy"
    assert spec_for(settings, "rewrite", style="formal").key == "rewrite-formal"
    assert spec_for(settings, "translate").target == settings.translate_target
    assert spec_for(settings, "translate", target="de").target == "de"
    assert spec_for(settings, "rewrite-formal", target="de").target == "", "only a translation has a target"
    with pytest.raises(UnsupportedError, match="translate_with_model"):
        _run(FakeChat("x"), spec_for(settings, "translate"), SOURCE, settings.replace(translate_with_model=False))
    with pytest.raises(UnsupportedError, match="unknown action"):
        spec_for(SETTINGS, "it-reclamation")
    with pytest.raises(UnsupportedError, match="needs an instruction"):
        spec_for(settings, "instruct")


@pytest.mark.parametrize(
    ("action", "instruction", "flagged"),
    [
        ("reply", "Accepter pour 500 €.", []),  # the reply's figures come from the letter or the instruction
        ("reply", "", ["500 €"]),
        ("rewrite-formal", "", ["500 €"]),
    ],
)
def test_a_reply_is_checked_against_the_letter_and_the_instruction(action: str, instruction: str, flagged: list[str]) -> None:
    chat = FakeChat("Nous acceptons la subvention de 500 € votée le 3 avril 2026.")
    run = _run(chat, ActionSpec(action, instruction=instruction), SOURCE)
    _consume(run)
    assert run.unsupported is not None and [f.text for f in run.unsupported] == flagged


def test_a_reply_too_long_for_the_window_is_refused_before_any_request() -> None:
    from plume.errors import TooLong
    from plume.i18n import describe_error

    chat = FakeChat("x")
    letter = "\n".join(f"Paragraphe {i} de la lettre reçue, avec sa demande détaillée." * 3 for i in range(60))
    run = _run(chat, ActionSpec("reply"), letter, SETTINGS.replace(context_window=1024))
    with pytest.raises(TooLong) as raised:
        _consume(run)
    assert raised.value.whole_text and chat.chats == []
    assert "1024" in describe_error(raised.value, "fr") and "plus court" in describe_error(raised.value, "fr")
