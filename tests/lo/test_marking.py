"""Disclosing AI output in a real document: a comment on the applied range, a record in
the custom properties that survives saving as ODT and DOCX, plume:marks to list and to
remove the comments after review, and Undo taking both away."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from harness.office import Office, props
from snapshot import select_paragraph

from support.faulty_server import FaultyServer


def _records(doc: Any) -> list[dict[str, Any]]:
    container = doc.getDocumentProperties().getUserDefinedProperties()
    return [
        json.loads(container.getPropertyValue(p.Name))
        for p in container.getPropertySetInfo().getProperties()
        if p.Name.startswith("PlumeAI-")
    ]


def _plume_comments(doc: Any) -> list[tuple[str, str]]:
    found = []
    fields = doc.getTextFields().createEnumeration()
    while fields.hasMoreElements():
        field = fields.nextElement()
        if field.supportsService("com.sun.star.text.textfield.Annotation") and field.Author == "Plume (IA)":
            found.append((field.getAnchor().getString(), field.Content))
    return found


def _apply_scripted(office: Office, doc: Any, faulty: FaultyServer, answer: str) -> None:
    faulty.script = answer
    # The production default answer size: one request for the paragraph, as users get it.
    office.configure(base_url=faulty.url + "/script", max_output_tokens=1024)
    select_paragraph(doc, 3)
    assert office.run(doc, "plume:rewrite?style=formal&mode=replace")["state"] == "done"


def test_applied_output_is_commented_and_recorded(office: Office, document: Any, faulty: FaultyServer) -> None:
    _apply_scripted(office, document, faulty, "Les travaux débuteront le 6 juillet 2026.")
    comments = _plume_comments(document)
    assert len(comments) == 1 and comments[0][0] == "Les travaux débuteront le 6 juillet 2026."
    assert "smollm2" in comments[0][1]
    record = _records(document)[0]
    assert record["model"] == "smollm2" and record["destination"] == "local" and record["chars"] == len(faulty.script)
    assert set(record) == {"action", "model", "destination", "date", "chars", "to_check", "truncated"}
    assert record["to_check"] == [] and record["truncated"] is False


def test_the_comment_and_the_record_list_what_the_source_does_not_support(
    office: Office, document: Any, faulty: FaultyServer
) -> None:
    # The paragraph says "le 6 juillet 2026" and "huit semaines": a shifted date and a wrong
    # duration are planted (the scripted server stands in for a model that invents); a count
    # is reported with what it counts.
    _apply_scripted(office, document, faulty, "Les travaux débuteront le 9 juillet 2026 et dureront 10 semaines.")
    ((_, comment),) = _plume_comments(document)
    assert "“9 juillet 2026” (date)" in comment and "“10 semaines” (number)" in comment
    assert _records(document)[0]["to_check"] == [["date", "9 juillet 2026"], ["number", "10 semaines"]]
    document.getUndoManager().undo()
    _apply_scripted(office, document, faulty, "Les travaux débuteront le 6 juillet 2026 et dureront 8 semaines.")
    assert _records(document)[0]["to_check"] == [], "equivalent forms (huit = 8) are supported"
    assert "To check" not in _plume_comments(document)[0][1]


def test_one_undo_takes_the_text_the_comment_and_the_record_away_and_redo_brings_them_back(
    office: Office, document: Any, faulty: FaultyServer
) -> None:
    _apply_scripted(office, document, faulty, "Texte revu.")
    undo = document.getUndoManager()
    undo.undo()
    assert _plume_comments(document) == [] and _records(document) == []
    undo.redo()
    assert len(_plume_comments(document)) == 1 and len(_records(document)) == 1


def test_the_record_survives_odt_and_docx(office: Office, document: Any, faulty: FaultyServer, tmp_path: Path) -> None:
    _apply_scripted(office, document, faulty, "Texte revu.")
    for name, filter_name in (("marked.odt", "writer8"), ("marked.docx", "MS Word 2007 XML")):
        path = tmp_path / name
        document.storeToURL(path.as_uri(), props(FilterName=filter_name))
        reopened = office.open(path)
        try:
            assert [r["chars"] for r in _records(reopened)] == [len("Texte revu.")], name
            assert len(_plume_comments(reopened)) == 1, name
        finally:
            reopened.close(True)


def test_plume_marks_lists_then_removes_the_comments_after_review(office: Office, document: Any, faulty: FaultyServer) -> None:
    _apply_scripted(office, document, faulty, "Texte revu.")
    listed = office.run(document, "plume:marks")
    assert listed["state"] == "done" and "smollm2" in listed["message"] and "Texte revu." in listed["message"]
    removed = office.run(document, "plume:marks?remove=1")
    assert removed["state"] == "done"
    assert _plume_comments(document) == [] and len(_records(document)) == 1, "the record stays"
    assert document.getUndoManager().getCurrentUndoActionTitle() == "Plume: remove the AI comments"


def test_no_comment_when_marking_is_off_but_the_record_is_always_written(
    office: Office, document: Any, faulty: FaultyServer
) -> None:
    office.configure(mark_ai_output=False)
    try:
        _apply_scripted(office, document, faulty, "Texte revu.")
        assert _plume_comments(document) == [] and len(_records(document)) == 1
    finally:
        office.configure(mark_ai_output=True)
