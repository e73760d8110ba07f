"""Writing an answer with its sources: its paragraphs at the cursor, each ``[n]`` citation a
real Writer footnote (``com.sun.star.text.Footnote``) holding that source's note, all in one
undo step with the AI mark, like any applied result (:mod:`.writing`, :mod:`.marks`).

What the paragraphs and notes are is the core's (:mod:`plume.knowledge.footnotes`); this
module only writes them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING

from com.sun.star.text.ControlCharacter import PARAGRAPH_BREAK

from plume.errors import UnsupportedError

from .marks import record_applied
from .reading import Target, check_writable
from .writing import _at_cursor, body_source, one_undo_step

if TYPE_CHECKING:
    from plume.knowledge.footnotes import Piece
    from plume.marking import Mark


def insert_cited(
    target: Target,
    paragraphs: list[list[Piece]],
    notes: Mapping[int, str],
    undo_title: str,
    *,
    track_changes: bool,
    mark: Mark | None = None,
    comment: str = "",
) -> int:
    """Write ``paragraphs`` where ``target`` (an empty range: see
    :func:`~.reading.insertion_point`) is, in the document's body style; a piece citing
    source n is followed by a footnote holding ``notes[n]``. One undo step; on any failure
    midway the step is undone. Returns the number of footnotes written."""
    if not paragraphs:
        raise UnsupportedError("the answer is empty")
    check_writable(target)
    text, model = target.text, target.model
    style = dict(body_source(model).paragraph)
    footnotes = 0
    with one_undo_step(target, undo_title, track_changes=track_changes):
        start = _at_cursor(target)
        cursor = text.createTextCursorByRange(start)
        for index, pieces in enumerate(paragraphs):
            if index:
                text.insertControlCharacter(cursor, PARAGRAPH_BREAK, False)
            for piece in pieces:
                if piece.text:
                    text.insertString(cursor, piece.text, False)
                for number in piece.cites:
                    note = model.createInstance("com.sun.star.text.Footnote")
                    text.insertTextContent(cursor, note, False)
                    note.getText().setString(notes[number])
                    cursor.gotoRange(note.getAnchor().getEnd(), False)
                    footnotes += 1
        span = text.createTextCursorByRange(start)
        span.gotoRange(cursor.getEnd(), True)
        for name, value in style.items():  # one style for the answer, not the heading it followed
            span.setPropertyValue(name, value)
        record_applied(model, text, span, undo_title, mark, comment)
    return footnotes
