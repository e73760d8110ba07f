"""Reading what an action works on: the range its ``reads`` names, kept as a text cursor
(LibreOffice moves it along with edits made while the model works), with its text and its
paragraphs' formatting."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from plume.errors import UnsupportedError
from plume.formatting import Run, SourceParagraph

if TYPE_CHECKING:
    from plume.actions import Action
    from plume.longdoc import Block

PARAGRAPH_PROPERTIES = ("ParaStyleName", "NumberingStyleName", "NumberingLevel", "ListId", "ParaAdjust", "OutlineLevel")
CHARACTER_PROPERTIES = (
    "CharWeight", "CharPosture", "CharUnderline", "CharStrikeout", "CharColor",
    "CharHeight", "CharFontName", "CharBackColor", "HyperLinkURL",
)  # fmt: skip


@dataclass
class Target:
    """What an action reads, and where its result goes."""

    model: Any  # the Writer document
    text: Any  # the XText holding the range
    cursor: Any  # a text cursor spanning the range (empty: the cursor's place, for drafting)
    source: str
    whole_document: bool
    paragraphs: list[SourceParagraph] = field(default_factory=list)


def target_for(model: Any, action: Action) -> Target:
    """The range ``action.reads`` names:

    - "selection": the selection, else the current paragraph;
    - "document": the selection, else the whole document;
    - "paragraph": the current paragraph from its start up to the cursor (continue writing);
    - "nothing": an empty range at the cursor (drafting: the answer goes there);
    - "letter": the selection, which must exist (the letter or e-mail to answer).
    """
    if not model.supportsService("com.sun.star.text.TextDocument"):
        raise UnsupportedError("Plume works on Writer text documents")
    selected, anchor = _selection(model)
    reads = action.reads
    if reads == "letter" and selected is None:
        raise UnsupportedError("select the letter or e-mail to answer first, then choose the action again")
    if selected is not None and reads in ("selection", "document", "letter"):
        text = selected.getText()
        return _target(model, text, text.createTextCursorByRange(selected), False)
    if reads == "document" or anchor is None:
        if reads in ("nothing", "paragraph"):
            raise UnsupportedError("place the cursor in the text first")
        text = model.getText()
        cursor = text.createTextCursor()
        cursor.gotoStart(False)
        cursor.gotoEnd(True)
        return _target(model, text, cursor, True)
    text = anchor.getText()
    if reads == "nothing":
        return _target(model, text, text.createTextCursorByRange(anchor.getEnd()), False)
    if reads == "paragraph":
        cursor = text.createTextCursorByRange(anchor.getEnd())
        cursor.gotoStartOfParagraph(True)
        return _target(model, text, cursor, False)
    cursor = text.createTextCursorByRange(anchor.getStart())
    cursor.gotoStartOfParagraph(False)
    cursor.gotoEndOfParagraph(True)
    return _target(model, text, cursor, False)


def whole_document(model: Any) -> Target:
    """The whole text of a Writer document, whatever is selected (asking the document)."""
    if not model.supportsService("com.sun.star.text.TextDocument"):
        raise UnsupportedError("Plume works on Writer text documents")
    text = model.getText()
    cursor = text.createTextCursor()
    cursor.gotoStart(False)
    cursor.gotoEnd(True)
    return _target(model, text, cursor, True)


def insertion_point(model: Any) -> Target:
    """An empty range at the end of the selection (or at the cursor): where an answer that
    reads nothing of the document goes."""
    if not model.supportsService("com.sun.star.text.TextDocument"):
        raise UnsupportedError("Plume works on Writer text documents")
    selected, anchor = _selection(model)
    place = selected if selected is not None else anchor
    if place is None:
        raise UnsupportedError("place the cursor in the text first")
    text = place.getText()
    return _target(model, text, text.createTextCursorByRange(place.getEnd()), False)


def _selection(model: Any) -> tuple[Any, Any]:
    """(the one selected text range or None, the range the cursor is at or None)."""
    controller = model.getCurrentController()
    selection = controller.getSelection() if controller is not None else None
    if selection is None:
        return None, None
    if selection.supportsService("com.sun.star.text.TextTableCursor"):
        raise UnsupportedError("several table cells are selected: select the text inside one cell")
    if not selection.supportsService("com.sun.star.text.TextRanges"):
        raise UnsupportedError("the selection is not text (an image or a frame): select text")
    ranges = [selection.getByIndex(i) for i in range(selection.getCount())]
    chosen = [r for r in ranges if r.getString()]
    if len(chosen) > 1:
        raise UnsupportedError("several separate selections: select one passage")
    if chosen:
        return chosen[0], chosen[0]
    return None, (ranges[0] if ranges else None)


def _target(model: Any, text: Any, cursor: Any, whole: bool) -> Target:
    return Target(model, text, cursor, cursor.getString(), whole, read_paragraphs(cursor))


def read_paragraphs(cursor: Any) -> list[SourceParagraph]:
    """The paragraphs of the range, restricted to it, with their formatting."""
    paragraphs = []
    if not cursor.getString():
        return []  # an empty range (drafting) reads nothing, not the paragraph it sits in
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
                runs.append(Run(len(text), len(text) + len(piece), values_of(portion, CHARACTER_PROPERTIES)))
            text += piece
        paragraphs.append(SourceParagraph(text, values_of(element, PARAGRAPH_PROPERTIES), tuple(runs)))
    return paragraphs


def blocks_of(target: Target) -> list[Block]:
    """The target's text as blocks for long-text planning: one per line of the source text
    (table cells included), headings marked with their outline level."""
    from plume.longdoc import Block  # on first use: it brings the backends

    levels = {p.text.strip(): int(p.paragraph.get("OutlineLevel", 0) or 0) for p in target.paragraphs}
    return [Block(line, levels.get(line.strip(), 0)) for line in target.source.split("\n")]


def values_of(obj: Any, names: tuple[str, ...]) -> dict[str, Any]:
    """The properties among ``names`` that ``obj`` has (the values are UNO values)."""
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
