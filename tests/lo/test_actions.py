"""The actions as data in a real LibreOffice: drafting at the cursor, replying after the
selected letter, continuing a paragraph, ``plume:run?action=<id>`` for any action of the
registry (an IT action included, with no other change), and a clear refusal for what
cannot run. The scripted server answers where the words matter (where they go); the
real model where the plumbing is what is checked."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import quote

import pytest
from harness.office import Office, props
from snapshot import select_paragraph, snapshot

from plume.actions import registry_for
from plume.settings import Settings
from plume_build.menus import addons_xcu
from plume_lo.document import BODY_STYLES
from support.faulty_server import FaultyServer

# An action IT declares (policy_actions): reads the document, adds its answer after it.
IT_ACTION = json.dumps([{"id": "note-elu", "label": "Note pour l'élu", "label_en": "Note for the councillor",
                         "prompt": "Fais du texte ci-dessus une note de trois lignes pour l'élu.",
                         "reads": "document", "apply": "after"}], ensure_ascii=False)  # fmt: skip


def _records(doc: Any) -> list[dict[str, Any]]:
    container = doc.getDocumentProperties().getUserDefinedProperties()
    return [json.loads(container.getPropertyValue(p.Name)) for p in container.getPropertySetInfo().getProperties()
            if p.Name.startswith("PlumeAI-")]  # fmt: skip


def _plume_comments(doc: Any) -> list[str]:
    found = []
    fields = doc.getTextFields().createEnumeration()
    while fields.hasMoreElements():
        field = fields.nextElement()
        if field.supportsService("com.sun.star.text.textfield.Annotation") and field.Author == "Plume (IA)":
            found.append(field.getAnchor().getString())
    return found


def _script(office: Office, faulty: FaultyServer, answer: str) -> list[str]:
    """Make the scripted server answer ``answer``; its paragraphs, as they should land."""
    faulty.script = answer
    office.configure(base_url=faulty.url + "/script", max_output_tokens=1024)
    return [line.strip() for line in answer.split("\n") if line.strip()]


def _sent(faulty: FaultyServer) -> str:
    """What the last request asked the model (its messages' text)."""
    return "\n".join(m["content"] for m in json.loads(faulty.bodies[-1])["messages"])


def _cursor_at_end_of(doc: Any, index: int) -> str:
    """Put the cursor (no selection) at the end of the index-th paragraph; return its text."""
    enum = doc.getText().createEnumeration()
    for _ in range(index):
        enum.nextElement()
    paragraph = enum.nextElement()
    doc.getCurrentController().select(paragraph.getText().createTextCursorByRange(paragraph.getEnd()))
    return str(paragraph.getString())


@pytest.fixture
def empty_doc(office: Office, llama_config: None) -> Iterator[Any]:
    doc = office.desktop.loadComponentFromURL("private:factory/swriter", "_blank", 0, props(Hidden=True))
    yield doc
    doc.close(True)


def test_drafting_in_an_empty_document_writes_paragraphs_as_one_undo_step_with_the_ai_mark(
    office: Office, empty_doc: Any, faulty: FaultyServer
) -> None:
    wanted = _script(office, faulty, "Objet : travaux de l'école\n\nMadame, Monsieur,\n\n"
                                     "Les travaux commenceront le [date].\n\nVeuillez agréer mes salutations distinguées.")  # fmt: skip
    instruction = quote("Courrier aux parents : les travaux de l'école commencent bientôt")
    event = office.run(empty_doc, f"plume:run?action=draft&text={instruction}")
    assert event["state"] == "done" and event["command"] == "draft", event
    written = snapshot(empty_doc)
    assert [p[0] for p in written] == wanted, "one paragraph per paragraph of the answer, nothing else"
    assert all(p[1] in BODY_STYLES and not p[2] for p in written), "body text, outside any list"
    assert "les travaux de l'école commencent bientôt" in _sent(faulty), "the instruction was sent"
    assert len(_records(empty_doc)) == 1 and len(_plume_comments(empty_doc)) == 1
    undo = empty_doc.getUndoManager()
    assert undo.getCurrentUndoActionTitle() == "Plume: Draft"
    undo.undo()
    assert empty_doc.getText().getString() == "" and _records(empty_doc) == []
    assert not undo.isUndoPossible(), "the whole draft was one undo step"


def test_drafting_with_the_real_model_is_one_marked_undo_step(office: Office, empty_doc: Any) -> None:
    """The plumbing with the real small model (its French is poor: only the structure counts)."""
    instruction = quote("Rédige un courrier informant les parents que la cantine fermera le 3 mars")
    event = office.run_applied(empty_doc, f"plume:run?action=draft&mode=after&text={instruction}")
    assert event["state"] == "done", event
    written = snapshot(empty_doc)
    assert any(p[0].strip() for p in written) and all(p[1] in BODY_STYLES for p in written)
    assert len(_records(empty_doc)) == 1
    undo = empty_doc.getUndoManager()
    undo.undo()
    assert empty_doc.getText().getString() == "" and _records(empty_doc) == []


def test_drafting_between_two_paragraphs_leaves_them_whole(office: Office, document: Any, faulty: FaultyServer) -> None:
    wanted = _script(office, faulty, "Premier paragraphe rédigé.\n\nSecond paragraphe rédigé.")
    before = snapshot(document)
    _cursor_at_end_of(document, 3)
    assert office.run(document, "plume:run?action=draft&text=Deux%20paragraphes")["state"] == "done"
    after = snapshot(document)
    assert after[:4] == before[:4] and after[4 + len(wanted) :] == before[4:]
    assert [p[0] for p in after[4 : 4 + len(wanted)]] == wanted


def test_a_reply_goes_after_the_selected_letter_as_new_paragraphs(office: Office, document: Any, faulty: FaultyServer) -> None:
    wanted = _script(office, faulty, "Madame,\n\nNous avons bien reçu votre courrier.\n\nCordialement.")
    before = snapshot(document)
    letter = select_paragraph(document, 3)
    event = office.run(document, "plume:run?action=reply&text=R%C3%A9ponse%20favorable")
    assert event["state"] == "done", event["message"]
    after = snapshot(document)
    assert after[:4] == before[:4], "the letter and what precedes it are untouched"
    assert [p[0] for p in after[4 : 4 + len(wanted)]] == wanted
    assert all(p[1] in BODY_STYLES for p in after[4 : 4 + len(wanted)])
    assert after[4 + len(wanted) :] == before[4:], "what follows the letter is untouched"
    assert letter.strip() in _sent(faulty), "the letter was sent"
    document.getUndoManager().undo()
    assert snapshot(document) == before


def test_continue_appends_to_the_paragraph_the_cursor_is_in(office: Office, document: Any, faulty: FaultyServer) -> None:
    (continuation,) = _script(office, faulty, "Elle durera huit semaines.")
    before = snapshot(document)
    paragraph = _cursor_at_end_of(document, 3)
    event = office.run(document, "plume:run?action=continue")
    assert event["state"] == "done", event["message"]
    after = snapshot(document)
    assert len(after) == len(before) and after[:3] == before[:3] and after[4:] == before[4:]
    assert after[3][0] == f"{paragraph.rstrip()} {continuation}" and after[3][1] == before[3][1]
    assert paragraph.strip() in _sent(faulty)
    document.getUndoManager().undo()
    assert snapshot(document) == before


@pytest.mark.parametrize(
    ("command", "says"),
    [
        ("plume:run?action=no-such-action", "no-such-action"),
        ("plume:no-such-action", "no-such-action"),
        ("plume:run?action=reply", "select"),  # nothing selected: no letter to answer
        ("plume:run?action=draft", "panel"),  # no instruction: it is typed in the sidebar
    ],
)
def test_what_cannot_run_ends_with_one_clear_line(office: Office, document: Any, command: str, says: str) -> None:
    before = snapshot(document)
    event = office.run(document, command, timeout=60)
    assert event["state"] == "error" and says in event["message"], event
    assert "\n" not in event["message"] and "Traceback" not in event["message"]
    assert snapshot(document) == before and not document.isModified()


def test_an_action_it_adds_is_in_the_menus_runs_by_its_id_and_is_listed_by_the_cli(
    office: Office, document: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The action is only data in the settings: nothing else changes for it."""
    assert "plume:run?action=it-note-elu" in addons_xcu(registry_for(Settings(policy_actions=IT_ACTION)))
    office.configure(policy_actions=IT_ACTION)
    before = snapshot(document)
    event = office.run_applied(document, "plume:run?action=it-note-elu&mode=after")  # the real model
    assert event["state"] == "done" and event["command"] == "it-note-elu", event
    after = snapshot(document)
    assert after[: len(before)] == before and len(after) > len(before), "its answer went after the document"
    assert _records(document)[-1]["action"] == "Note for the councillor", "the AI mark names it (English UI)"

    from plume.cli import main

    monkeypatch.setenv("PLUME_POLICY_ACTIONS", IT_ACTION)
    out = io.StringIO()
    assert main(["actions"], stdout=out) == 0
    assert "it-note-elu" in out.getvalue()


def test_refine_twice_go_back_once_and_apply_the_chosen_version(office: Office, document: Any, faulty: FaultyServer) -> None:
    """The preview keeps the versions of one result: each follow-up is a request carrying the
    conversation, Back shows the version before, and Apply applies the version shown."""
    _script(office, faulty, "Version A du paragraphe.")
    before = snapshot(document)
    select_paragraph(document, 3)
    first = office.run(document, "plume:run?action=rewrite-formal&mode=preview")
    assert first["state"] == "done" and snapshot(document) == before, "a preview changes nothing"
    assert first["message"].strip() == "Version A du paragraphe.", first
    faulty.script = "Version B du paragraphe."
    assert office.run(document, "plume:refine?text=Plus%20court")["state"] == "done"
    sent = json.loads(faulty.bodies[-1])["messages"]
    assert [m["role"] for m in sent][-2:] == ["assistant", "user"] and "Version A" in sent[-2]["content"]
    assert "Plus court" in sent[-1]["content"]
    faulty.script = "Version C du paragraphe."
    assert office.run(document, "plume:refine?text=Moins%20familier")["state"] == "done"
    sent = json.loads(faulty.bodies[-1])["messages"]
    assert [m["content"].strip() for m in sent if m["role"] == "assistant"] == [
        "Version A du paragraphe.",
        "Version B du paragraphe.",
    ]
    back = office.run(document, "plume:back")
    assert back["state"] == "done" and back["message"].strip() == "Version B du paragraphe.", back
    assert snapshot(document) == before, "nothing applied yet"
    assert office.run(document, "plume:apply?mode=replace")["state"] == "done"
    after = snapshot(document)
    assert after[3][0].strip() == "Version B du paragraphe." and after[:3] == before[:3] and after[4:] == before[4:]
    document.getUndoManager().undo()
    assert snapshot(document) == before, "one undo step"
    refused = office.run(document, "plume:back", timeout=60)
    assert refused["state"] == "error" and "\n" not in refused["message"], "applied: nothing waits any more"
