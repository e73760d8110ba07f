"""An answer cut at max_tokens in a real LibreOffice: the scripted server ends its answer with
``finish_reason: "length"``. A command that asked to replace or insert applies nothing: the
document is unchanged, and the ``plume:status`` done event says ``truncated`` (the result waits
in the sidebar's preview for the user). A cut summary is held the same way, shortened to its
last complete sentence; the same summary, not cut, is inserted as usual."""

from __future__ import annotations

import json
import re
from typing import Any

from harness.office import Office
from snapshot import select_paragraph, snapshot

from support.faulty_server import FaultyServer

SUMMARY = "Les travaux de l'école débuteront le 6 juillet 2026. Ils dureront huit semaines. La cantine sera"


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
