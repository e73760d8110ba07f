"""Long documents in Writer: a generated multi-page document with headings and lists is
summarised by map-reduce against the real small model (2048-token window) without touching the
document; Stop mid-way leaves it exactly as it was; a long rewrite goes by batches and is
applied as one undo step."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from harness.longdocs import long_document
from harness.office import Office, props
from snapshot import snapshot

from support.faulty_server import FaultyServer

STYLES = {0: "Text body", 1: "Heading 1", 2: "Heading 2"}


@pytest.fixture
def long_doc(office: Office, llama_config: None) -> Iterator[Any]:
    doc = office.desktop.loadComponentFromURL("private:factory/swriter", "_blank", 0, props(Hidden=True))
    text = doc.getText()
    cursor = text.createTextCursor()
    for index, (content, level) in enumerate(long_document(4)):
        if index:
            text.insertControlCharacter(cursor, 0, False)  # PARAGRAPH_BREAK
        cursor.setPropertyValue("ParaStyleName", STYLES[level])
        text.insertString(cursor, content, False)
    yield doc
    doc.close(True)


def test_a_long_summary_names_its_parts_and_leaves_the_document_alone(office: Office, long_doc: Any) -> None:
    before = snapshot(long_doc)
    event = office.run(long_doc, "plume:summarize?mode=preview", timeout=600)
    assert event["state"] == "done", event
    first_line = event["message"].splitlines()[0]
    parts = [content for content, level in long_document(4) if level == 1]
    assert first_line.startswith("Sections covered:") and all(part in first_line for part in parts)
    assert snapshot(long_doc) == before


def test_stop_during_a_long_summary_leaves_the_document_exactly_as_it_was(office: Office, long_doc: Any) -> None:
    before = snapshot(long_doc)
    office.watch(long_doc)
    seen = len(office.listener.events)
    office.dispatch(long_doc, "plume:summarize?mode=after")
    time.sleep(4)  # inside the first requests of the map stage
    office.dispatch(long_doc, "plume:stop")
    assert office.listener.wait_end(seen, timeout=60)["state"] == "cancelled"
    assert snapshot(long_doc) == before


def test_a_long_rewrite_is_applied_by_batches_as_one_undo_step(office: Office, long_doc: Any, faulty: FaultyServer) -> None:
    # The scripted server answers every batch with the same sentence: what is checked here is
    # the plumbing (several requests, one application, one undo), not the wording.
    faulty.script = "Paragraphe revu."
    office.configure(base_url=faulty.url + "/script")
    before = snapshot(long_doc)
    everything = long_doc.getText().createTextCursor()
    everything.gotoStart(False)
    everything.gotoEnd(True)
    long_doc.getCurrentController().select(everything)
    event = office.run(long_doc, "plume:rewrite?style=correct&mode=replace", timeout=300)
    assert event["state"] == "done", event
    assert len(faulty.bodies) > 3, "several batches"
    after = snapshot(long_doc)
    # One answer line per batch (a paragraph split over batches answers on one line): each
    # line is its own paragraph, styled from the first paragraph of its own batch.
    assert 3 < len(after) <= len(faulty.bodies)
    assert [p[0] for p in after if not p[0].startswith("Paragraphe revu.") or "\n" in p[0]] == []
    assert after[0][1] == before[0][1] == "Heading 1" and {p[1] for p in after} <= {p[1] for p in before}
    long_doc.getUndoManager().undo()
    assert snapshot(long_doc) == before
