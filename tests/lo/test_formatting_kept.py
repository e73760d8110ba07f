"""Formatting kept when applying, in a real Writer: paragraph styles, lists, inline bold
runs, tracked changes, and refusal of read-only text. The real model shows structure is
kept whatever it writes; a scripted answer (the faulty server's /script, the only fake
here) shows exactly where an unchanged bold run lands."""

from __future__ import annotations

from typing import Any

from harness.office import Office
from snapshot import snapshot

from support.faulty_server import FaultyServer

HEADING, FIRST_BODY, LIST_END = 0, 1, 7  # paragraph indexes in the sample letter


def _select_paragraphs(doc: Any, first: int, last: int) -> None:
    enum = doc.getText().createEnumeration()
    paras = [enum.nextElement() for _ in range(last + 1)]
    cursor = doc.getText().createTextCursorByRange(paras[first].getStart())
    cursor.gotoRange(paras[last].getEnd(), True)
    doc.getCurrentController().select(cursor)


def _bold_texts(paragraph: tuple[Any, ...]) -> list[str]:
    return [portion[0] for portion in paragraph[3] if portion[1] > 100 and portion[0].strip()]


def test_each_rewritten_paragraph_keeps_its_style_and_list(office: Office, document: Any) -> None:
    before = snapshot(document)
    _select_paragraphs(document, HEADING, LIST_END)
    event = office.run_applied(document, "plume:rewrite?style=correct&mode=replace")
    assert event["state"] == "done", event
    after = snapshot(document)
    rewritten = after[: len(after) - (len(before) - LIST_END - 1)]
    styles_before = {p[1] for p in before[: LIST_END + 1]}
    assert rewritten and {p[1] for p in rewritten} <= styles_before
    assert rewritten[0][1] == before[HEADING][1], "the first paragraph keeps the heading style"
    assert after[len(rewritten) :] == before[LIST_END + 1 :], "paragraphs after the selection are untouched"
    document.getUndoManager().undo()
    assert snapshot(document) == before


def test_an_answer_of_several_lines_lands_as_as_many_paragraphs(office: Office, document: Any, faulty: FaultyServer) -> None:
    # One answer line per selected paragraph: each must become its own paragraph with its
    # source's style and list membership (a "\n" inside insertString made them line breaks
    # of a single paragraph).
    count = LIST_END - HEADING + 1
    faulty.script = "\n".join(f"Ligne {n}." for n in range(count))
    office.configure(base_url=faulty.url + "/script", max_output_tokens=1024)  # one request, as with the default
    before = snapshot(document)
    _select_paragraphs(document, HEADING, LIST_END)
    assert office.run(document, "plume:rewrite?style=correct&mode=replace")["state"] == "done"
    after = snapshot(document)
    assert len(after) == len(before)
    for n, (new, old) in enumerate(zip(after[:count], before[:count], strict=True)):
        assert new[0] == f"Ligne {n}." and "\n" not in new[0]
        assert new[1:3] == old[1:3], "style and list membership of the source paragraph"
    assert after[count:] == before[count:]
    document.getUndoManager().undo()
    assert snapshot(document) == before


def test_an_unchanged_bold_run_stays_bold_where_it_moved(office: Office, document: Any, faulty: FaultyServer) -> None:
    faulty.script = "Le conseil a voté 240 000 euros pour l'école."
    office.configure(base_url=faulty.url + "/script", max_output_tokens=1024)  # one request, as with the default
    before = snapshot(document)
    _select_paragraphs(document, 2, 2)
    assert office.run(document, "plume:rewrite?style=shorter&mode=replace")["state"] == "done"
    rewritten = snapshot(document)[2]
    assert rewritten[0] == faulty.script
    assert _bold_texts(rewritten) == ["240 000 euros"], "only the carried run is bold, nothing spread"
    assert rewritten[1] == before[2][1]


def test_a_summary_after_a_list_is_body_text(office: Office, document: Any, faulty: FaultyServer) -> None:
    faulty.script = "Résumé en une phrase."
    office.configure(base_url=faulty.url + "/script", max_output_tokens=1024)  # one request, as with the default
    _select_paragraphs(document, 5, 7)
    assert office.run(document, "plume:summarize?mode=after")["state"] == "done"
    inserted = snapshot(document)[8]
    assert inserted[0] == faulty.script and not inserted[2], "not a list item"


def test_track_changes_records_the_rewrite_for_review(office: Office, document: Any, faulty: FaultyServer) -> None:
    faulty.script = "Texte revu."
    office.configure(base_url=faulty.url + "/script", track_changes=True, max_output_tokens=1024)
    try:
        _select_paragraphs(document, 1, 1)
        assert office.run(document, "plume:rewrite?style=correct&mode=replace")["state"] == "done"
        assert document.getRedlines().getCount() >= 1
        assert document.getPropertyValue("RecordChanges") is False, "the user's own setting is restored"
    finally:
        office.configure(track_changes=False)


def test_read_only_document_is_refused_before_asking_the_model(office: Office, document: Any, faulty: FaultyServer) -> None:
    office.configure(base_url=faulty.url + "/script", max_output_tokens=1024)  # one request, as with the default
    document.getCurrentController().getFrame()  # keep the frame: read-only is a frame-level state
    before = snapshot(document)
    section = document.createInstance("com.sun.star.text.TextSection")
    cursor = document.getText().createTextCursor()
    cursor.gotoStart(False)
    cursor.gotoEndOfParagraph(True)
    document.getText().insertTextContent(cursor, section, True)
    section.IsProtected = True
    document.setModified(False)
    protected = snapshot(document)
    _select_paragraphs(document, 0, 0)
    event = office.run(document, "plume:rewrite?style=formal&mode=replace")
    assert event["state"] == "error" and "protected" in event["message"]
    assert snapshot(document) == protected and not faulty.requests
    assert len(protected) == len(before)


def _cell_text(doc: Any, cell: str) -> str:
    return str(doc.getTextTables().getByName("Calendrier").getCellByName(cell).getString())


def test_text_in_a_table_cell_is_rewritten_in_place(office: Office, document: Any, faulty: FaultyServer) -> None:
    faulty.script = "Dépose des fenêtres"
    office.configure(base_url=faulty.url + "/script", max_output_tokens=1024)  # one request, as with the default
    before = snapshot(document)
    cell = document.getTextTables().getByName("Calendrier").getCellByName("A2")
    document.getCurrentController().select(cell.getText().createTextCursorByRange(cell.getText()))
    assert office.run(document, "plume:rewrite?style=shorter&mode=replace")["state"] == "done"
    assert _cell_text(document, "A2") == "Dépose des fenêtres"
    assert _cell_text(document, "B2") == "du 6 au 17 juillet 2026", "the other cells are untouched"
    assert snapshot(document) == before, "the body outside the table is untouched"
    document.getUndoManager().undo()
    assert _cell_text(document, "A2") == "Désamiantage et dépose des fenêtres anciennes"


def test_an_unchanged_italic_title_stays_italic(office: Office, document: Any, faulty: FaultyServer) -> None:
    faulty.script = "Voir la délibération Rénovation thermique des écoles en mairie."
    office.configure(base_url=faulty.url + "/script", max_output_tokens=1024)  # one request, as with the default
    _select_paragraphs(document, 10, 10)
    assert office.run(document, "plume:rewrite?style=shorter&mode=replace")["state"] == "done"
    portions = snapshot(document)[10][3]
    italic = [text for text, _weight, posture, _underline in portions if str(posture.value) == "ITALIC" and text.strip()]
    assert italic == ["Rénovation thermique des écoles"]
