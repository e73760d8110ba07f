"""Writing a result into the document, as one undo step, keeping formatting (see
:mod:`plume.formatting` for the mapping, ``docs/formatting.md`` for users).

Where it goes (``where``): in place of the range read ("replace"), as new paragraphs after
it ("after"), or at its end, in the same paragraph ("append": continue writing). A range
that reads nothing (drafting) is the cursor's place: the answer's paragraphs go there, in the
document's body style. Before writing, the range's text must still be what was sent,
otherwise nothing is written (the user edited it meanwhile).
"""

from __future__ import annotations

from collections.abc import Mapping
from types import TracebackType
from typing import Any

from com.sun.star.lang import DisposedException
from com.sun.star.text.ControlCharacter import PARAGRAPH_BREAK

from plume.errors import UnsupportedError
from plume.formatting import Segment, SourceParagraph, TargetParagraph, plan, plan_aligned, plan_segments
from plume.marking import Mark

from .marks import record_applied
from .reading import Target, check_writable

BODY_STYLES = ("Text body", "Standard")  # programmatic names; the UI shows them translated
PLACES = ("replace", "after", "append")
MAX_MOVE = 30000  # XTextCursor.goRight takes a 16-bit count


def apply(
    target: Target,
    result: str,
    where: str,
    undo_title: str,
    *,
    keep_format: bool,
    track_changes: bool,
    mark: Mark | None = None,
    comment: str = "",
    aligned: list[str] | None = None,
    segments: list[Segment] | None = None,
) -> None:
    """Write ``result`` ``where`` (one of :data:`PLACES`), as one undo step. On any failure
    midway, the step is undone: the document is left as it was. ``mark`` is recorded in the
    document's properties; a non-empty ``comment`` is attached to the written text.
    ``aligned`` (translations): one text per source paragraph, instead of ``result``.
    ``segments`` (a long rewrite's batches, joined in ``result``): formatting mapped batch by batch."""
    if where not in PLACES:
        raise UnsupportedError(f"the result goes {' or '.join(PLACES)}, not {where!r}")
    check_unchanged(target)
    sources = target.paragraphs if keep_format and target.paragraphs else [body_source(target.model)]
    if aligned is not None:
        paragraphs = plan_aligned(target.paragraphs, aligned)
    elif segments and keep_format and target.paragraphs:
        paragraphs = plan_segments(sources, segments)
    else:
        paragraphs = plan(sources, result)
    if not paragraphs:
        raise UnsupportedError("the answer is empty")
    with one_undo_step(target, undo_title, track_changes=track_changes):
        if not target.source:  # drafting: the range is the cursor's place
            written = write_paragraphs(target.text, _at_cursor(target), paragraphs)
        elif where == "append":
            written = _append(target, [p.text for p in paragraphs])
        elif where == "replace":
            target.cursor.setString("")
            written = write_paragraphs(target.text, target.cursor.getStart(), paragraphs)
        else:
            written = write_paragraphs(target.text, _new_paragraph_after(target), paragraphs)
        record_applied(target.model, target.text, written, undo_title, mark, comment)


def check_unchanged(target: Target) -> None:
    """Refuse to apply over a range the user edited (or closed) while Plume was working."""
    try:
        if target.cursor.getString() != target.source:
            raise UnsupportedError("the text changed while Plume was working: the result was not applied")
    except DisposedException:
        raise UnsupportedError("the document was closed") from None
    check_writable(target)


def one_undo_step(target: Target, undo_title: str, *, track_changes: bool) -> OneUndoStep:
    """Everything done inside ``with one_undo_step(...)`` is one undo step titled
    ``undo_title`` (recorded as tracked changes when asked). On any failure the partial step
    is undone: nothing half-done stays in the document."""
    return OneUndoStep(target.model, undo_title, track_changes)


class OneUndoStep:
    """Not a ``contextlib.contextmanager``: on the way out it sets ``__traceback__`` on the
    exception, which a UNO exception refuses (pyuno then raises its own, unreadable one)."""

    def __init__(self, model: Any, title: str, track_changes: bool) -> None:
        self.model, self.title, self.track_changes = model, title, track_changes
        self.undo = model.getUndoManager()
        self.recording = False

    def __enter__(self) -> None:
        self.recording = bool(self.model.getPropertyValue("RecordChanges"))
        self.undo.enterUndoContext(self.title)
        if self.track_changes:
            try:
                self.model.setPropertyValue("RecordChanges", True)
            except Exception:
                self.undo.leaveUndoContext()
                raise

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None) -> None:
        try:
            if self.track_changes:
                self.model.setPropertyValue("RecordChanges", self.recording)
        finally:
            self.undo.leaveUndoContext()
            if error is not None:
                self.undo.undo()


def body_source(model: Any) -> SourceParagraph:
    """What an inserted summary or draft looks like: the document's body text, outside any list."""
    styles = model.getStyleFamilies().getByName("ParagraphStyles")
    style = next((s for s in BODY_STYLES if styles.hasByName(s)), "Standard")
    return SourceParagraph("", {"ParaStyleName": style, "NumberingStyleName": ""}, ())


def _new_paragraph_after(target: Target) -> Any:
    cursor = target.text.createTextCursorByRange(target.cursor.getEnd())
    cursor.gotoEndOfParagraph(False)
    target.text.insertControlCharacter(cursor, PARAGRAPH_BREAK, False)
    return cursor.getStart()


def _at_cursor(target: Target) -> Any:
    """Where a draft starts: the cursor's paragraph when it is empty (an empty document, a
    blank line between paragraphs), else a new paragraph after it (a paragraph is never cut)."""
    text = target.text
    paragraph = text.createTextCursorByRange(target.cursor.getStart())
    paragraph.gotoStartOfParagraph(False)
    paragraph.gotoEndOfParagraph(True)
    if not paragraph.getString():
        return paragraph.getStart()
    return _new_paragraph_after(target)


def _append(target: Target, texts: list[str]) -> Any:
    """Continue the text read where it ends: the first paragraph of the answer in the same
    paragraph (with its character formatting), the others as new paragraphs of its style.
    Returns a cursor over what was written."""
    text = target.text
    if target.source[-1:].strip() and texts[0][:1].strip():
        texts = [" " + texts[0], *texts[1:]]
    cursor = text.createTextCursorByRange(target.cursor.getEnd())
    written = 0
    for index, piece in enumerate(texts):
        if index:
            text.insertControlCharacter(cursor, PARAGRAPH_BREAK, False)
            written += 1
        text.insertString(cursor, piece, False)
        written += _units(piece)
    start = text.createTextCursorByRange(cursor.getEnd())
    _move(start, -written, False)
    # Spanning forwards: a comment cannot be anchored on a range selected backwards.
    span = text.createTextCursorByRange(start.getStart())
    span.gotoRange(cursor.getEnd(), True)
    return span


def write_paragraphs(text: Any, start: Any, paragraphs: list[TargetParagraph]) -> Any:
    """Insert the paragraphs at ``start`` with their formatting; return a cursor over them."""
    cursor = text.createTextCursorByRange(start)
    for index, paragraph in enumerate(paragraphs):
        if index:
            # Not "\n" inside the string: Writer reads it as a line break, which put a whole
            # multi-paragraph answer into one paragraph.
            text.insertControlCharacter(cursor, PARAGRAPH_BREAK, False)
        text.insertString(cursor, paragraph.text, False)
    position = text.createTextCursorByRange(start)
    for index, paragraph in enumerate(paragraphs):
        span = text.createTextCursorByRange(position.getStart())
        _move(span, _units(paragraph.text), True)
        _set(span, paragraph.paragraph)
        _set(span, paragraph.base)
        for run in paragraph.runs:
            piece = text.createTextCursorByRange(span.getStart())
            _move(piece, _units(paragraph.text[: run.start]), False)
            _move(piece, _units(paragraph.text[run.start : run.end]), True)
            _set(piece, run.attributes)
        if index + 1 < len(paragraphs):
            position = text.createTextCursorByRange(span.getEnd())
            position.goRight(1, False)  # over the paragraph break
    written = text.createTextCursorByRange(start)
    written.gotoRange(span.getEnd(), True)
    return written


def _units(text: str) -> int:
    """Length as LibreOffice counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def _move(cursor: Any, count: int, expand: bool) -> None:
    """Move right by ``count`` (left when negative), in steps LibreOffice accepts."""
    while count:
        step = max(-MAX_MOVE, min(count, MAX_MOVE))
        if step > 0:
            cursor.goRight(step, expand)
        else:
            cursor.goLeft(-step, expand)
        count -= step


def _set(cursor: Any, values: Mapping[str, Any]) -> None:
    info = cursor.getPropertySetInfo()
    for name, value in dict(values).items():
        if info.hasPropertyByName(name):
            try:
                cursor.setPropertyValue(name, value)
            except Exception:  # e.g. a list id that no longer exists: keep the rest
                continue
