"""Asking the open document in a real LibreOffice (``plume:ask``): the answer waits in the
preview, then goes in with its sources as real footnotes, one undo step; a question the
document says nothing about takes the "nothing found" path and changes nothing. The scripted
server (``/script``) answers, citing [1]: wording does not matter here, placement does."""

from __future__ import annotations

import re
import shutil
import subprocess
import tempfile
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from harness.office import Office, props
from snapshot import snapshot

from plume.i18n import STRINGS, t
from plume.marking import COMMENT_AUTHOR, PROPERTY_PREFIX
from support.faulty_server import FaultyServer

QUESTION = "Quel est le montant de la rénovation de l'école ?"
ANSWER = "La rénovation coûte 240 000 euros [1]. Elle est votée par le conseil municipal."


def _footnotes(doc: Any) -> list[str]:
    notes = doc.getFootnotes()
    return [notes.getByIndex(i).getString() for i in range(notes.getCount())]


def _body(doc: Any) -> str:
    cursor = doc.getText().createTextCursor()
    cursor.gotoStart(False)
    cursor.gotoEnd(True)
    return str(cursor.getString())


def _marks(doc: Any) -> tuple[list[str], list[str]]:
    """Plume's AI marks: its records (custom properties) and its comments."""
    container = doc.getDocumentProperties().getUserDefinedProperties()
    records = [p.Name for p in container.getPropertySetInfo().getProperties() if p.Name.startswith(PROPERTY_PREFIX)]
    fields, comments = doc.getTextFields().createEnumeration(), []
    while fields.hasMoreElements():
        field = fields.nextElement()
        if field.supportsService("com.sun.star.text.textfield.Annotation") and field.Author == COMMENT_AUTHOR:
            comments.append(str(field.getAnchor().getString()))
    return records, comments


def _ask(question: str, mode: str = "preview") -> str:
    return f"plume:ask?q={quote(question)}&scope=document&mode={mode}"


@pytest.fixture
def scripted(office: Office, faulty: FaultyServer, llama_url: str) -> Any:
    faulty.script = ANSWER
    office.configure(base_url=faulty.url + "/script", mark_ai_output=True, max_output_tokens=256)
    yield faulty
    office.configure(base_url=llama_url, max_output_tokens=96)


def test_an_answer_from_the_document_goes_in_with_its_sources_as_footnotes_in_one_undo_step(
    office: Office, document: Any, scripted: FaultyServer
) -> None:
    before, body, sent = snapshot(document), _body(document), len(scripted.bodies)
    event = office.run(document, _ask(QUESTION))
    assert event["command"] == "ask" and event["state"] == "done", event
    assert event["message"].strip() == ANSWER
    assert len(scripted.bodies) == sent + 1 and "240 000" in scripted.bodies[-1], "the passage was sent"
    assert snapshot(document) == before, "the answer waits in the preview"

    refused = office.run(document, "plume:apply?mode=replace")
    assert refused["state"] == "error", "an answer goes in with its sources, never over the text"
    assert office.run(document, "plume:apply?mode=sources")["state"] == "done"

    notes = _footnotes(document)
    assert len(notes) == 1, notes
    # The open document's passages have no file or date: the note says where (its paragraph).
    assert re.fullmatch(r"(.+ — )?[§¶] \d+", notes[0]), notes[0]
    anchor = document.getFootnotes().getByIndex(0).getAnchor()
    paragraph = anchor.getText().createTextCursorByRange(anchor)
    paragraph.gotoStartOfParagraph(True)
    assert paragraph.getString().startswith("La rénovation coûte 240 000 euros"), "the call sits where [1] was"
    assert "[1]" not in _body(document) and "Elle est votée par le conseil municipal." in _body(document)
    records, comments = _marks(document)
    assert len(records) == 1 and len(comments) == 1 and "Elle est votée" in comments[0], "the AI mark covers the answer"

    document.getUndoManager().undo()
    assert _footnotes(document) == [] and snapshot(document) == before and _body(document) == body
    assert _marks(document) == ([], []), "one undo removes the answer, its notes and its mark"


def test_a_question_the_document_does_not_answer_says_so_and_changes_nothing(
    office: Office, document: Any, scripted: FaultyServer
) -> None:
    before, sent = snapshot(document), len(scripted.bodies)
    event = office.run(document, _ask("Quelle recette de tarte aux pommes préférez-vous ?", mode="sources"))
    assert event["state"] == "done" and event["message"] in (STRINGS["ask.nothing"]["fr"], STRINGS["ask.nothing"]["en"]), event
    assert len(scripted.bodies) == sent, "the model was not asked: no answer from memory"
    assert snapshot(document) == before and _footnotes(document) == []
    assert office.run(document, "plume:apply?mode=sources")["state"] == "error", "nothing waits to be inserted"


def test_a_source_from_a_shared_collection_opens_its_file_at_the_passage(
    office: Office, document: Any, scripted: FaultyServer
) -> None:
    from plume.knowledge.collection import index_path
    from plume.knowledge.indexer import index_folders
    from plume.knowledge.store import Store

    # IT's shared index of a folder, readable by the soffice user as on a share.
    root = Path(tempfile.mkdtemp(prefix="plume-collection-"))
    try:
        (root / "docs").mkdir()
        cantine = "Délibération cantine\nLe conseil municipal vote 18 000 euros pour la cantine scolaire.\n"
        (root / "docs" / "deliberation-cantine.txt").write_text(cantine, encoding="utf-8")
        (root / "docs" / "voirie.txt").write_text("Arrêté voirie\nLa rue des Tilleuls est fermée le 3 mai.\n", encoding="utf-8")
        store = Store(index_path("deliberations", root / "shared"))
        index_folders(store, [root / "docs"])
        store.close()
        subprocess.run(["chmod", "-R", "a+rX", str(root)], check=True)
        office.configure(knowledge_shared_index=str(root / "shared"))
        scripted.script = "La cantine reçoit 18 000 euros [1]."

        event = office.run(document, "plume:ask?q=" + quote("Quel montant pour la cantine scolaire ?") + "&scope=deliberations")
        assert event["state"] == "done" and event["message"].strip() == scripted.script, event
        assert "Tilleuls" not in scripted.bodies[-1], "only the relevant passage was sent"
        shown = office.run(document, "plume:source?n=1")
        assert shown["command"] == "source" and shown["state"] == "done", shown
        opened = [c for c in _components(office) if str(c.getURL()).endswith("/deliberation-cantine.txt")]
        assert len(opened) == 1, "the cited file is open"
        try:
            selected = opened[0].getCurrentController().getSelection().getByIndex(0).getString()
            assert " ".join(selected.split()) == " ".join(cantine.split()), "at its passage, selected"
        finally:
            opened[0].close(True)
        assert office.run(document, "plume:source?n=2")["state"] == "error", "the answer cites one source"

        before = snapshot(document)
        assert office.run(document, "plume:apply?mode=sources")["state"] == "done"
        notes = _footnotes(document)
        assert len(notes) == 1 and "deliberation-cantine.txt" in notes[0] and str(date.today().year) in notes[0], notes
        assert str(root) not in notes[0], "the file's name, never its folders"
        document.getUndoManager().undo()
        assert _footnotes(document) == [] and snapshot(document) == before
    finally:
        office.configure(knowledge_shared_index="")
        shutil.rmtree(root, ignore_errors=True)


def _components(office: Office) -> list[Any]:
    found, components = [], office.desktop.getComponents().createEnumeration()
    while components.hasMoreElements():
        found.append(components.nextElement())
    return found


def test_a_pdf_source_opens_read_only_and_the_status_says_where(office: Office, document: Any, scripted: FaultyServer) -> None:
    from plume.knowledge.collection import index_path
    from plume.knowledge.indexer import index_folders
    from plume.knowledge.store import Store

    root = Path(tempfile.mkdtemp(prefix="plume-pdf-collection-"))
    try:
        (root / "docs").mkdir()
        subprocess.run(["chmod", "-R", "a+rwX", str(root)], check=True)  # soffice writes the PDF as its own user
        pdf = root / "docs" / "reglement-cantine.pdf"
        writer = office.desktop.loadComponentFromURL("private:factory/swriter", "_blank", 0, props(Hidden=True))
        writer.getText().setString("Règlement de la cantine\nLe repas coûte 3,40 euros par enfant inscrit.")
        writer.storeToURL(pdf.as_uri(), props(FilterName="writer_pdf_Export"))
        writer.close(True)
        (root / "docs" / "voirie.txt").write_text("Arrêté voirie\nLa rue des Tilleuls est fermée le 3 mai.\n", encoding="utf-8")
        store = Store(index_path("reglements", root / "shared"))
        index_folders(store, [root / "docs"])
        store.close()
        subprocess.run(["chmod", "-R", "a+rX", str(root)], check=True)
        office.configure(knowledge_shared_index=str(root / "shared"))
        scripted.script = "Le repas coûte 3,40 euros [1]."

        event = office.run(document, "plume:ask?q=" + quote("Combien coûte le repas à la cantine ?") + "&scope=reglements")
        assert event["state"] == "done" and event["message"].strip() == scripted.script, event
        shown = office.run(document, "plume:source?n=1")
        assert shown["state"] == "done" and "reglement-cantine.pdf" in shown["message"], shown
        assert "page 1" in shown["message"], "the status names the page (the same word in French and English)"
        opened = [c for c in _components(office) if str(c.getURL()).endswith("/reglement-cantine.pdf")]
        # The place starts with the page: "page 1", then what else is known ("— ¶ 1").
        key = "panel.ask.opened" if opened else "panel.ask.opened.viewer"
        said = [t(key, lang, file="reglement-cantine.pdf", place="page 1").rstrip(".") for lang in ("fr", "en")]
        assert any(shown["message"].startswith(start) for start in said), shown
        if opened:  # LibreOffice has a PDF import (Draw): it shows it, read-only
            assert len(opened) == 1 and opened[0].isReadonly(), "opened read-only"
            opened[0].close(True)
        # else a Writer-only install (CI): the system's viewer gets it, and the status says so

        # mode=sources: inserted as soon as it is done, its footnote naming the PDF and the page.
        before = snapshot(document)
        asked = office.run(
            document, "plume:ask?q=" + quote("Combien coûte le repas à la cantine ?") + "&scope=reglements&mode=sources"
        )
        assert asked["state"] == "done", asked
        notes = _footnotes(document)
        assert len(notes) == 1 and "reglement-cantine.pdf" in notes[0] and "page 1" in notes[0], notes
        document.getUndoManager().undo()
        assert _footnotes(document) == [] and snapshot(document) == before
    finally:
        office.configure(knowledge_shared_index="")
        shutil.rmtree(root, ignore_errors=True)
