"""Reading the text an action works on and applying a result, as one undo step.

The range is kept as a text cursor, which LibreOffice moves along with edits made while
the model works; before applying, the range's text must still be what was sent, otherwise
the result is not applied (the user edited it meanwhile).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from com.sun.star.lang import DisposedException
from com.sun.star.text.ControlCharacter import PARAGRAPH_BREAK

from plume.errors import UnsupportedError

BODY_STYLES = ("Text body", "Standard")  # programmatic names; the UI shows them translated


@dataclass
class Target:
    """What an action reads, and where its result goes."""

    model: Any
    text: Any  # the XText holding the range
    cursor: Any  # a cursor spanning the range
    source: str
    whole_document: bool


def target_for(model: Any, action: str) -> Target:
    """The selection; without one, the whole document (summaries) or the current paragraph."""
    if not model.supportsService("com.sun.star.text.TextDocument"):
        raise UnsupportedError("Plume works on Writer text documents")
    controller = model.getCurrentController()
    selection = controller.getSelection() if controller is not None else None
    if selection is not None and selection.supportsService("com.sun.star.text.TextRanges"):
        ranges = [selection.getByIndex(i) for i in range(selection.getCount())]
        chosen = [r for r in ranges if r.getString()]
        if len(chosen) > 1:
            raise UnsupportedError("several separate selections: select one passage")
        if chosen:
            rng = chosen[0]
            text = rng.getText()
            return Target(model, text, text.createTextCursorByRange(rng), rng.getString(), False)
        anchor = ranges[0] if ranges else None
    elif selection is not None and selection.supportsService("com.sun.star.text.TextTableCursor"):
        raise UnsupportedError("table cells selection: select the text inside one cell")
    else:
        anchor = None
    if action == "summarize" or anchor is None:
        text = model.getText()
        cursor = text.createTextCursor()
        cursor.gotoStart(False)
        cursor.gotoEnd(True)
        return Target(model, text, cursor, cursor.getString(), True)
    text = anchor.getText()
    cursor = text.createTextCursorByRange(anchor.getStart())
    cursor.gotoStartOfParagraph(False)
    cursor.gotoEndOfParagraph(True)
    return Target(model, text, cursor, cursor.getString(), False)


def apply(target: Target, result: str, mode: str, undo_title: str) -> None:
    """Replace the range or insert the result after it, as one undo step."""
    try:
        if target.cursor.getString() != target.source:
            raise UnsupportedError("the text changed while Plume was working: the result was not applied")
    except DisposedException:
        raise UnsupportedError("the document was closed") from None
    undo = target.model.getUndoManager()
    undo.enterUndoContext(undo_title)
    try:
        if mode == "replace":
            target.cursor.setString(result)  # "\n" becomes a paragraph break
        else:
            _insert_after(target, result)
    finally:
        undo.leaveUndoContext()


def _insert_after(target: Target, result: str) -> None:
    text = target.text
    cursor = text.createTextCursorByRange(target.cursor.getEnd())
    cursor.gotoEndOfParagraph(False)
    text.insertControlCharacter(cursor, PARAGRAPH_BREAK, False)
    # The new paragraph would inherit a heading or list style from the one above.
    _as_body_paragraph(target.model, cursor)
    start = cursor.getStart()
    text.insertString(cursor, result, False)
    inserted = text.createTextCursorByRange(start)
    inserted.gotoRange(cursor.getEnd(), True)
    _as_body_paragraph(target.model, inserted)


def _as_body_paragraph(model: Any, cursor: Any) -> None:
    styles = model.getStyleFamilies().getByName("ParagraphStyles")
    name = next((s for s in BODY_STYLES if styles.hasByName(s)), None)
    if name:
        cursor.setPropertyValue("ParaStyleName", name)
    if cursor.getPropertySetInfo().hasPropertyByName("NumberingStyleName"):
        cursor.setPropertyValue("NumberingStyleName", "")
