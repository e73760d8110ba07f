"""Reading the text an action works on and applying a result, as one undo step, keeping
formatting (see :mod:`plume.formatting` for the mapping, ``docs/formatting.md`` for users).

The range is kept as a text cursor, which LibreOffice moves along with edits made while
the model works; before applying, the range's text must still be what was sent, otherwise
the result is not applied (the user edited it meanwhile).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, ClassVar

import unohelper
from com.sun.star.document import XUndoManagerListener
from com.sun.star.lang import DisposedException
from com.sun.star.text.ControlCharacter import PARAGRAPH_BREAK

from plume.errors import UnsupportedError
from plume.formatting import Run, Segment, SourceParagraph, TargetParagraph, plan, plan_aligned, plan_segments
from plume.marking import COMMENT_AUTHOR, PROPERTY_PREFIX, Mark

BODY_STYLES = ("Text body", "Standard")  # programmatic names; the UI shows them translated
PARAGRAPH_PROPERTIES = ("ParaStyleName", "NumberingStyleName", "NumberingLevel", "ListId", "ParaAdjust", "OutlineLevel")
CHARACTER_PROPERTIES = (
    "CharWeight", "CharPosture", "CharUnderline", "CharStrikeout", "CharColor",
    "CharHeight", "CharFontName", "CharBackColor", "HyperLinkURL",
)  # fmt: skip
MAX_MOVE = 30000  # XTextCursor.goRight takes a 16-bit count


@dataclass
class Target:
    """What an action reads, and where its result goes."""

    model: Any
    text: Any  # the XText holding the range
    cursor: Any  # a cursor spanning the range
    source: str
    whole_document: bool
    paragraphs: list[SourceParagraph] = field(default_factory=list)


def target_for(model: Any, action: str) -> Target:
    """The selection; without one, the whole document (summaries, translations) or the
    current paragraph."""
    if not model.supportsService("com.sun.star.text.TextDocument"):
        raise UnsupportedError("Plume works on Writer text documents")
    controller = model.getCurrentController()
    selection = controller.getSelection() if controller is not None else None
    anchor = None
    if selection is not None and selection.supportsService("com.sun.star.text.TextRanges"):
        ranges = [selection.getByIndex(i) for i in range(selection.getCount())]
        chosen = [r for r in ranges if r.getString()]
        if len(chosen) > 1:
            raise UnsupportedError("several separate selections: select one passage")
        if chosen:
            text = chosen[0].getText()
            return _target(model, text, text.createTextCursorByRange(chosen[0]), False)
        anchor = ranges[0] if ranges else None
    elif selection is not None and selection.supportsService("com.sun.star.text.TextTableCursor"):
        raise UnsupportedError("several table cells are selected: select the text inside one cell")
    elif selection is not None and not selection.supportsService("com.sun.star.text.TextRanges"):
        raise UnsupportedError("the selection is not text (an image or a frame): select text")
    if action in ("summarize", "translate") or anchor is None:
        text = model.getText()
        cursor = text.createTextCursor()
        cursor.gotoStart(False)
        cursor.gotoEnd(True)
        return _target(model, text, cursor, True)
    text = anchor.getText()
    cursor = text.createTextCursorByRange(anchor.getStart())
    cursor.gotoStartOfParagraph(False)
    cursor.gotoEndOfParagraph(True)
    return _target(model, text, cursor, False)


def _target(model: Any, text: Any, cursor: Any, whole: bool) -> Target:
    return Target(model, text, cursor, cursor.getString(), whole, read_paragraphs(cursor))


def read_paragraphs(cursor: Any) -> list[SourceParagraph]:
    """The paragraphs of the range, restricted to it, with their formatting."""
    paragraphs = []
    enum = cursor.createEnumeration()
    while enum.hasMoreElements():
        element = enum.nextElement()
        if not element.supportsService("com.sun.star.text.Paragraph"):
            continue  # a table inside the range: its text is not part of what is rewritten
        runs, text = [], ""
        portions = element.createEnumeration()
        while portions.hasMoreElements():
            portion = portions.nextElement()
            piece = portion.getString()
            if piece and portion.TextPortionType == "Text":
                runs.append(Run(len(text), len(text) + len(piece), _values(portion, CHARACTER_PROPERTIES)))
            text += piece
        paragraphs.append(SourceParagraph(text, _values(element, PARAGRAPH_PROPERTIES), tuple(runs)))
    return paragraphs


def blocks_of(target: Target) -> list[Any]:
    """The target's text as blocks for long-text planning: one per line of the source text
    (table cells included), headings marked with their outline level."""
    from plume.longdoc import Block

    levels = {p.text.strip(): int(p.paragraph.get("OutlineLevel", 0) or 0) for p in target.paragraphs}
    return [Block(line, levels.get(line.strip(), 0)) for line in target.source.split("\n")]


def _values(obj: Any, names: tuple[str, ...]) -> dict[str, Any]:
    info = obj.getPropertySetInfo()
    return {name: obj.getPropertyValue(name) for name in names if info.hasPropertyByName(name)}


def check_writable(target: Target) -> None:
    if target.model.isReadonly():
        raise UnsupportedError("the document is read-only: save a copy to edit it")
    for edge in (target.cursor.getStart(), target.cursor.getEnd()):
        section = _property(edge, "TextSection")
        if section is not None and section.IsProtected:
            raise UnsupportedError("the text is in a protected section")
        cell = _property(edge, "Cell")
        if cell is not None and cell.IsProtected:
            raise UnsupportedError("the text is in a protected table cell")


def _property(obj: Any, name: str) -> Any:
    cursor = obj.getText().createTextCursorByRange(obj)
    return cursor.getPropertyValue(name) if cursor.getPropertySetInfo().hasPropertyByName(name) else None


def apply(
    target: Target,
    result: str,
    mode: str,
    undo_title: str,
    *,
    keep_format: bool,
    track_changes: bool,
    mark: Mark | None = None,
    comment: str = "",
    aligned: list[str] | None = None,
    segments: list[Segment] | None = None,
) -> None:
    """Replace the range or insert the result after it, as one undo step. On any failure
    midway, the step is undone: the document is left as it was. ``mark`` is recorded in the
    document's properties; a non-empty ``comment`` is attached to the applied range.
    ``aligned`` (translations): one text per source paragraph, instead of ``result``.
    ``segments`` (a long rewrite's batches, joined in ``result``): formatting mapped batch by batch."""
    check_unchanged(target)
    sources = target.paragraphs if keep_format and target.paragraphs else [_body_source(target.model)]
    if aligned is not None:
        paragraphs = plan_aligned(target.paragraphs, aligned)
    elif segments and keep_format and target.paragraphs:
        paragraphs = plan_segments(sources, segments)
    else:
        paragraphs = plan(sources, result)
    if not paragraphs:
        raise UnsupportedError("the answer is empty")
    with one_undo_step(target, undo_title, track_changes=track_changes):
        if mode == "replace":
            target.cursor.setString("")
            start = target.cursor.getStart()
        else:
            start = _new_paragraph_after(target)
        written = _write(target.text, start, paragraphs)
        record_applied(target, written, undo_title, mark, comment)


def check_unchanged(target: Target) -> None:
    """Refuse to apply over a range the user edited (or closed) while Plume was working."""
    try:
        if target.cursor.getString() != target.source:
            raise UnsupportedError("the text changed while Plume was working: the result was not applied")
    except DisposedException:
        raise UnsupportedError("the document was closed") from None
    check_writable(target)


@contextmanager
def one_undo_step(target: Target, undo_title: str, *, track_changes: bool) -> Iterator[None]:
    """Everything done inside is one undo step titled ``undo_title`` (recorded as tracked
    changes when asked). On any failure the partial step is undone: nothing half-done stays
    in the document."""
    model, undo = target.model, target.model.getUndoManager()
    recording = bool(model.getPropertyValue("RecordChanges"))
    undo.enterUndoContext(undo_title)
    try:
        if track_changes:
            model.setPropertyValue("RecordChanges", True)
        yield
    except Exception:
        undo.leaveUndoContext()
        undo.undo()
        raise
    finally:
        if track_changes:
            model.setPropertyValue("RecordChanges", recording)
    undo.leaveUndoContext()


def record_applied(target: Target, span: Any, undo_title: str, mark: Mark | None, comment: str) -> None:
    """The AI mark of an applied result: its record (followed by undo/redo) and, when
    ``comment`` is given, a comment over ``span``."""
    if mark is None:
        return
    name = record_mark(target.model, mark)
    MarkUndo.of(target.model).applied(undo_title, name, mark)
    if comment:
        _annotate(target.model, target.text, span, comment)


def _body_source(model: Any) -> SourceParagraph:
    """What an inserted summary looks like: body text, outside any list."""
    styles = model.getStyleFamilies().getByName("ParagraphStyles")
    style = next((s for s in BODY_STYLES if styles.hasByName(s)), "Standard")
    return SourceParagraph("", {"ParaStyleName": style, "NumberingStyleName": ""}, ())


def _new_paragraph_after(target: Target) -> Any:
    cursor = target.text.createTextCursorByRange(target.cursor.getEnd())
    cursor.gotoEndOfParagraph(False)
    target.text.insertControlCharacter(cursor, PARAGRAPH_BREAK, False)
    return cursor.getStart()


def _write(text: Any, start: Any, paragraphs: list[TargetParagraph]) -> Any:
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


def record_mark(model: Any, mark: Mark, name: str = "") -> str:
    """The machine-readable record: a custom document property, kept in ODT and DOCX."""
    from com.sun.star.beans.PropertyAttribute import REMOVABLE

    container = model.getDocumentProperties().getUserDefinedProperties()
    names = {p.Name for p in container.getPropertySetInfo().getProperties()}
    number = 1
    while f"{PROPERTY_PREFIX}{number}" in names:
        number += 1
    name = name or f"{PROPERTY_PREFIX}{number}"
    container.addProperty(name, REMOVABLE, mark.to_json())
    return name


class MarkUndo(unohelper.Base, XUndoManagerListener):  # type: ignore[misc]
    """Document properties are outside LibreOffice's undo stack: follow Plume's own undo
    steps so that undoing an applied result also removes its record, and redo restores it."""

    _by_document: ClassVar[dict[int, MarkUndo]] = {}

    @classmethod
    def of(cls, model: Any) -> MarkUndo:
        key = hash(model)
        if key not in cls._by_document:
            cls._by_document[key] = cls(model)
            model.getUndoManager().addUndoManagerListener(cls._by_document[key])
        return cls._by_document[key]

    def __init__(self, model: Any) -> None:
        self.model = model
        self.done: list[tuple[str, str, Mark]] = []  # (undo title, property name, record)
        self.undone: list[tuple[str, str, Mark]] = []

    def applied(self, title: str, name: str, mark: Mark) -> None:
        self.done.append((title, name, mark))
        self.undone.clear()

    def actionUndone(self, event: Any) -> None:
        if self.done and self.done[-1][0] == event.UndoActionTitle:
            entry = self.done.pop()
            self.model.getDocumentProperties().getUserDefinedProperties().removeProperty(entry[1])
            self.undone.append(entry)

    def actionRedone(self, event: Any) -> None:
        if self.undone and self.undone[-1][0] == event.UndoActionTitle:
            entry = self.undone.pop()
            record_mark(self.model, entry[2], entry[1])
            self.done.append(entry)

    def redoActionsCleared(self, event: Any) -> None:
        self.undone.clear()

    def resetAll(self, event: Any) -> None:
        self.done.clear()
        self.undone.clear()

    def disposing(self, event: Any) -> None:
        MarkUndo._by_document.pop(hash(self.model), None)

    # The other notifications carry nothing Plume needs.
    def undoActionAdded(self, event: Any) -> None: ...
    def allActionsCleared(self, event: Any) -> None: ...
    def enteredContext(self, event: Any) -> None: ...
    def enteredHiddenContext(self, event: Any) -> None: ...
    def leftContext(self, event: Any) -> None: ...
    def leftHiddenContext(self, event: Any) -> None: ...
    def cancelledContext(self, event: Any) -> None: ...


def _annotate(model: Any, text: Any, span: Any, content: str) -> None:
    annotation = model.createInstance("com.sun.star.text.textfield.Annotation")
    annotation.Author, annotation.Initials, annotation.Content = COMMENT_AUTHOR, "IA", content
    text.insertTextContent(span, annotation, True)  # a comment over the range, the text kept


def _units(text: str) -> int:
    """Length as LibreOffice counts it (UTF-16 code units)."""
    return len(text.encode("utf-16-le")) // 2


def _move(cursor: Any, count: int, expand: bool) -> None:
    while count > 0:
        step = min(count, MAX_MOVE)
        cursor.goRight(step, expand)
        count -= step


def _set(cursor: Any, values: dict[str, Any] | Any) -> None:
    info = cursor.getPropertySetInfo()
    for name, value in dict(values).items():
        if info.hasPropertyByName(name):
            try:
                cursor.setPropertyValue(name, value)
            except Exception:  # e.g. a list id that no longer exists: keep the rest
                continue


def marked_passages(model: Any) -> list[tuple[Any, str]]:
    """Plume's comments in the document: (the annotation field, the text it covers)."""
    found = []
    fields = model.getTextFields().createEnumeration()
    while fields.hasMoreElements():
        field = fields.nextElement()
        if field.supportsService("com.sun.star.text.textfield.Annotation") and field.Author == COMMENT_AUTHOR:
            found.append((field, field.getAnchor().getString()))
    return found


def mark_records(model: Any) -> list[Mark]:
    container = model.getDocumentProperties().getUserDefinedProperties()
    names = sorted(
        (p.Name for p in container.getPropertySetInfo().getProperties() if p.Name.startswith(PROPERTY_PREFIX)),
        key=lambda name: int(name[len(PROPERTY_PREFIX) :]) if name[len(PROPERTY_PREFIX) :].isdigit() else 0,
    )
    return [Mark.from_json(container.getPropertyValue(name)) for name in names]
