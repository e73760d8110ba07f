"""Writing an answer with its sources: its paragraphs at the cursor, each ``[n]`` citation a
real Writer footnote (``com.sun.star.text.Footnote``) holding that source's note, all in one
undo step with the AI mark, like any applied result (:mod:`.writing`, :mod:`.marks`).

Where the answer is cut and what each note says is the core's
(:meth:`plume.knowledge.answer.AskRun.footnoted`); this module only writes it.
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from com.sun.star.text.ControlCharacter import PARAGRAPH_BREAK

from plume.errors import UnsupportedError

from .marks import record_applied
from .reading import Target, check_writable
from .writing import _at_cursor, body_source, one_undo_step

if TYPE_CHECKING:
    from plume.knowledge.citations import Footnoted
    from plume.marking import Mark


def insert_cited(
    target: Target,
    stretches: list[Footnoted],
    undo_title: str,
    *,
    track_changes: bool,
    mark: Mark | None = None,
    comment: str = "",
) -> int:
    """Write the answer's ``stretches`` where ``target`` (an empty range: see
    :func:`~.reading.insertion_point`) is, in the document's body style, a line break of the
    answer a new paragraph (blank lines do not make empty ones); each stretch is followed by
    a footnote per note. One undo step; on any failure midway the step is undone. Returns the
    number of footnotes written."""
    if not "".join(s.text for s in stretches).strip():
        raise UnsupportedError("the answer is empty")
    check_writable(target)
    text, model = target.text, target.model
    style = dict(body_source(model).paragraph)
    footnotes, written = 0, False
    with one_undo_step(target, undo_title, track_changes=track_changes):
        start = _at_cursor(target)
        cursor = text.createTextCursorByRange(start)
        for index, stretch in enumerate(stretches):
            body = stretch.text.replace("\r", "")
            body = body.lstrip("\n") if index == 0 else body
            body = body.rstrip("\n") if index == len(stretches) - 1 else body
            for number, line in enumerate(re.split(r"\n+", body)):
                if number and written:
                    text.insertControlCharacter(cursor, PARAGRAPH_BREAK, False)
                if line:
                    text.insertString(cursor, line, False)
                    written = True
            for note_text in stretch.notes:
                note = model.createInstance("com.sun.star.text.Footnote")
                text.insertTextContent(cursor, note, False)
                note.getText().setString(note_text)
                cursor.gotoRange(note.getAnchor().getEnd(), False)
                footnotes += 1
                written = True
        span = text.createTextCursorByRange(start)
        span.gotoRange(cursor.getEnd(), True)
        for name, value in style.items():  # one style for the answer, not the heading it followed
            span.setPropertyValue(name, value)
        record_applied(model, text, span, undo_title, mark, comment)
    return footnotes
