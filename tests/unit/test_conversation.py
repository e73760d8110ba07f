"""Refining a result (plume.runs.Conversation): each turn goes through the run's door with
the same mapping, the same policy and the same fact check; going back makes an earlier
version the base of the next revision. The model is a scripted server (httpx.MockTransport)."""

from __future__ import annotations

import pytest
from harness.longdocs import long_document

from plume.actions import ActionSpec
from plume.errors import NeedsConfirmation, UnsupportedError
from plume.longdoc import Block
from plume.runs import Conversation, ModelRun, prepare_run
from plume.settings import Settings
from support.fake_chat import PLACEHOLDER, FakeChat, echo_placeholders

SETTINGS = Settings(backend="openai", base_url="http://127.0.0.1:8080", model="m", context_window=4096)
PHONE = "06 12 34 56 78"
SOURCE = f"M. Jean Dupont ({PHONE}) demande le report de la réunion du 3 avril 2026 sur le budget de 1 240 000 €."


def _finished(chat: FakeChat, spec: ActionSpec, blocks: list[Block], settings: Settings = SETTINGS) -> ModelRun:
    run = prepare_run(settings, spec, blocks, transport=chat.transport, confirmed=True)
    "".join(run.pieces())
    return run


def _conversation(chat: FakeChat, settings: Settings = SETTINGS, spec: ActionSpec | None = None) -> Conversation:
    return _finished(chat, spec or ActionSpec("rewrite-formal"), [Block(SOURCE)], settings).conversation()


def test_the_follow_up_sends_the_previous_answer_as_placeholders_and_no_clear_value() -> None:
    chat = FakeChat(echo_placeholders("Version A pour"), echo_placeholders("Version B pour"))
    conversation = _conversation(chat, SETTINGS.replace(local_policy="pseudonymise"))
    first = conversation.current
    assert PHONE in first.text and "Dupont" in first.text, "the user sees the values"
    turn = conversation.revise("Plus court.")
    text = "".join(turn.pieces())
    messages = chat.chats[1]["messages"]
    assert [m["role"] for m in messages] == ["system", "user", "assistant", "user"], "first request, answer, follow-up"
    assert messages[:2] == chat.chats[0]["messages"], "the first request as it was sent"
    assert messages[2]["content"].startswith("Version A pour") and PLACEHOLDER.search(messages[2]["content"])
    assert set(PLACEHOLDER.findall(messages[2]["content"])) <= set(PLACEHOLDER.findall(messages[1]["content"])), (
        "the answer's values keep their first placeholders"
    )
    assert "Plus court." in messages[3]["content"]
    sent = chat.sent(1)
    assert PHONE not in sent and "Dupont" not in sent
    assert text == turn.text == conversation.current.text and PHONE in text and text.startswith("Version B")
    assert [v.instruction for v in conversation.versions] == ["", "Plus court."] and conversation.current.parent == 0
    assert conversation.door.requests == 3, "the window, the first answer, the revision: one door"


def test_back_then_revise_builds_on_the_chosen_version() -> None:
    chat = FakeChat("Version A du texte.", "Version B du texte.", "Version C du texte.")
    conversation = _conversation(chat)
    "".join(conversation.revise("Plus formel.").pieces())
    assert conversation.index == 1 and conversation.can_go_back
    assert conversation.back().text == "Version A du texte." and not conversation.can_go_back
    with pytest.raises(UnsupportedError):
        conversation.back()
    "".join(conversation.revise("Plus court.").pieces())
    sent = chat.sent(2)
    assert "Version A du texte." in sent and "Version B" not in sent and "Plus formel." not in sent
    assert [v.parent for v in conversation.versions] == [None, 0, 0], "no version is dropped"
    assert conversation.current.text == "Version C du texte."
    conversation.back(1)
    "".join(conversation.revise("Encore.").pieces())
    assert [m["content"] for m in chat.chats[3]["messages"] if m["role"] == "assistant"] == [
        "Version A du texte.",
        "Version B du texte.",
    ], "the path to the chosen version, each answer with the follow-up that revised it"
    assert conversation.path(conversation.index) == [0, 1, 3]


def test_a_warn_policy_asks_again_for_each_turn() -> None:
    chat = FakeChat(echo_placeholders("Version A pour"), echo_placeholders("Version B pour"))
    conversation = _conversation(chat, SETTINGS.replace(local_policy="warn"))
    turn = conversation.revise(f"Ajoute le numéro {PHONE}.")
    with pytest.raises(NeedsConfirmation) as raised:
        "".join(turn.pieces())
    assert len(chat.chats) == 1, "nothing sent before the user has seen it"
    assert PHONE not in raised.value.text and "Dupont" not in raised.value.text and raised.value.replaced >= 2
    assert raised.value.text.startswith("Version A pour"), "the answer sent back, then the follow-up"
    with pytest.raises(NeedsConfirmation):
        "".join(conversation.revise(f"Ajoute le numéro {PHONE}.", confirmed="another text's token").pieces())
    assert len(conversation.versions) == 1
    "".join(conversation.revise(f"Ajoute le numéro {PHONE}.", confirmed=raised.value.token).pieces())
    assert len(chat.chats) == 2 and PHONE not in chat.sent() and len(conversation.versions) == 2


def test_the_fact_check_runs_on_each_turn_against_the_source_and_the_follow_ups() -> None:
    chat = FakeChat(
        "Report de la réunion du 3 avril 2026 demandé.",
        "Report demandé ; budget de 2 000 000 €.",
        "Report demandé ; subvention de 500 €.",
    )
    conversation = _conversation(chat)
    assert conversation.current.unsupported == ()
    turn = conversation.revise("Ajoute le budget.")
    "".join(turn.pieces())
    assert turn.unsupported is not None and [f.text for f in turn.unsupported] == ["2 000 000 €"]
    assert conversation.current.unsupported == turn.unsupported
    "".join(conversation.revise("Ajoute la subvention de 500 €.").pieces())
    assert conversation.current.unsupported == (), "a figure the user gave in a follow-up is supported"


def test_a_draft_is_refined_against_its_instruction() -> None:
    chat = FakeChat("Objet : invitation du 3 avril.", "Objet : invitation du 3 avril à 18 h, salle 12.")
    run = _finished(chat, ActionSpec("draft", instruction="Invitation au conseil du 3 avril."), [])
    conversation = run.conversation()
    assert [m["role"] for m in chat.chats[0]["messages"]] == ["system", "user"]
    turn = conversation.revise("Précise l'heure : 18 h.")
    "".join(turn.pieces())
    assert turn.unsupported is not None and [f.text for f in turn.unsupported] == ["12"], "the room number was invented"


def test_a_conversation_too_long_for_the_window_revises_the_answer_alone() -> None:
    long_answer = "Le conseil municipal a délibéré longuement sur chaque point. " * 12
    chat = FakeChat(long_answer, "Version courte.")
    settings = SETTINGS.replace(context_window=1024, max_output_tokens=256)
    text = " ".join(f"Phrase {i} du texte à réécrire." for i in range(14))
    conversation = _finished(chat, ActionSpec("rewrite-formal"), [Block(text)], settings).conversation()
    assert conversation.first, "the first answer came from one request"
    turn = conversation.revise("Plus court.")
    "".join(turn.pieces())
    assert turn.alone and conversation.current.alone
    messages = chat.chats[1]["messages"]
    assert [m["role"] for m in messages] == ["system", "user"] and "Phrase 3 " not in chat.sent(1)
    assert messages[1]["content"].startswith(long_answer.strip()[:40]) and "Plus court." in messages[1]["content"]


def test_a_long_summary_is_refined_alone_through_the_same_door() -> None:
    blocks = [Block(text, level) for text, level in long_document(6)]
    chat = FakeChat("Résumé partiel.", "Résumé partiel.", "Résumé partiel.", "Résumé partiel.", "Résumé partiel.",
                    "Résumé partiel.", "Résumé partiel.", "Résumé partiel.")  # fmt: skip
    settings = SETTINGS.replace(context_window=1024, max_output_tokens=128)
    run = _finished(chat, ActionSpec("summarize"), blocks, settings)
    assert run.long is not None and not run.long.fits and len(chat.chats) > 2, "map-reduce"
    conversation = run.conversation()
    assert conversation.first == ()
    before = len(chat.chats)
    "".join(conversation.revise("En deux phrases.").pieces())
    assert len(chat.chats) == before + 1 and [m["role"] for m in chat.chats[-1]["messages"]] == ["system", "user"]
    assert conversation.current.alone and conversation.versions[0].text == run.text


def test_nothing_to_refine_and_no_instruction_are_refused() -> None:
    chat = FakeChat("Réponse.")
    run = prepare_run(SETTINGS, ActionSpec("rewrite-formal"), [Block(SOURCE)], transport=chat.transport)
    with pytest.raises(UnsupportedError):
        run.conversation()
    "".join(run.pieces())
    with pytest.raises(UnsupportedError):
        run.conversation().revise("  ")
