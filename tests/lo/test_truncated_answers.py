"""An answer cut at max_tokens in a real LibreOffice: the scripted server ends its answer with
``finish_reason: "length"``. A command that asked to replace or insert applies nothing: the
document is unchanged, and the ``plume:status`` done event says ``truncated`` (the result waits
in the sidebar's preview for the user, who may apply it: ``plume:apply``, as the sidebar's
buttons; the AI record then says ``truncated``). A cut summary is held the same way, shortened
to its last complete sentence; the same summary, not cut, is inserted as usual."""

from __future__ import annotations

import json
import re
from typing import Any

from harness.office import Office
from snapshot import select_paragraph, snapshot

from plume.i18n import t
from support.faulty_server import FaultyServer

SUMMARY = "Les travaux de l'école débuteront le 6 juillet 2026. Ils dureront huit semaines. La cantine sera"


def _records(doc: Any) -> list[dict[str, Any]]:
    container = doc.getDocumentProperties().getUserDefinedProperties()
    names = [p.Name for p in container.getPropertySetInfo().getProperties() if p.Name.startswith("PlumeAI-")]
    return [json.loads(container.getPropertyValue(name)) for name in names]


def _plume_comments(doc: Any) -> list[str]:
    found, fields = [], doc.getTextFields().createEnumeration()
    while fields.hasMoreElements():
        field = fields.nextElement()
        if field.supportsService("com.sun.star.text.textfield.Annotation") and field.Author == "Plume (IA)":
            found.append(str(field.Content))
    return found


def _scripted(office: Office, faulty: FaultyServer, answer: str, finish: str) -> None:
    faulty.script, faulty.script_finish = answer, finish
    office.configure(base_url=faulty.url + "/script", max_output_tokens=1024)


def test_a_rewrite_cut_by_length_is_not_applied_and_the_status_says_truncated(
    office: Office, document: Any, faulty: FaultyServer
) -> None:
    _scripted(office, faulty, "Les travaux de rénovation de l'école débuteront le 6 juillet et dureront", "length")
    before = snapshot(document)
    select_paragraph(document, 3)
    event = office.run(document, "plume:rewrite?style=formal&mode=replace")
    assert event["state"] == "done" and event["truncated"] is True, event
    assert event["message"].strip() == faulty.script.strip(), "the whole cut answer waits in the preview"
    assert snapshot(document) == before and not document.isModified()

    # The user applies it anyway (plume:apply, as the sidebar's Replace button): the AI record
    # and the comment say it is incomplete. Nothing waits any more after that.
    applied = office.run(document, "plume:apply?mode=replace")
    assert applied["command"] == "apply" and applied["state"] == "done", applied
    assert snapshot(document) != before and faulty.script.strip() in document.getText().getString()
    (record,) = _records(document)
    assert record["truncated"] is True
    (comment,) = _plume_comments(document)
    assert comment.splitlines()[-1] == t("mark.truncated", "en")
    again = office.run(document, "plume:apply?mode=replace")
    assert again["state"] == "error" and t("apply.nothing", "en") in again["message"]
    document.getUndoManager().undo()
    assert snapshot(document) == before


def test_a_cut_summary_is_held_at_its_last_complete_sentence_and_a_whole_one_is_inserted(
    office: Office, document: Any, faulty: FaultyServer
) -> None:
    before = snapshot(document)
    _scripted(office, faulty, SUMMARY, "length")
    event = office.run(document, "plume:summarize?mode=after")
    assert event["state"] == "done" and event["truncated"] is True, event
    assert event["message"] == "Les travaux de l'école débuteront le 6 juillet 2026. Ils dureront huit semaines."
    assert snapshot(document) == before and not document.isModified()
    prompt = json.loads(faulty.bodies[-1])["messages"][-1]["content"]
    assert re.search(r", \d+ mots au plus\.", prompt), "the summary is asked for a length that fits max_output_tokens"

    _scripted(office, faulty, SUMMARY + " ouverte.", "stop")
    event = office.run(document, "plume:summarize?mode=after")
    assert event["state"] == "done" and event["truncated"] is False, event
    assert snapshot(document)[: len(before)] == before and len(snapshot(document)) > len(before)
    assert "La cantine sera ouverte." in document.getText().getString()
