"""Translating a document in place: each paragraph (table cells included) is translated on
its own and written back into the same paragraph, so styles, lists, tables, images and
fields stay where they are.

A paragraph that holds only text is one segment: its text is replaced, its base character
formatting is set again and inline runs whose text survives translation (a bold amount, a
name) keep their formatting (:mod:`plume.formatting`). A paragraph that also holds objects
(a field, a footnote, an image, a bookmark) is translated text portion by text portion, so
every object stays in place; the price is that each portion is translated without the rest
of its sentence.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from plume.errors import UnsupportedError
from plume.formatting import SourceParagraph, TargetParagraph, base_attributes, carry_runs
from plume.marking import Mark

from .document import (
    CHARACTER_PROPERTIES,
    PARAGRAPH_PROPERTIES,
    Target,
    check_unchanged,
    one_undo_step,
    record_applied,
    values_of,
    write_paragraphs,
)

PLAIN_PORTIONS = ("Text", "SoftPageBreak")


@dataclass
class Segment:
    """A piece of text translated on its own, and where the translation goes."""

    range: Any  # the paragraph (whole) or the text portion
    text: str
    source: SourceParagraph | None  # whole paragraphs: their formatting, to set again
    paragraph: int | None  # index in Target.paragraphs (top-level paragraphs), None inside tables


def read_segments(cursor: Any) -> list[Segment]:
    segments: list[Segment] = []
    _collect(cursor.createEnumeration(), segments, top_level=True, counter=[0])
    return segments


def _collect(enum: Any, segments: list[Segment], *, top_level: bool, counter: list[int]) -> None:
    while enum.hasMoreElements():
        element = enum.nextElement()
        if element.supportsService("com.sun.star.text.TextTable"):
            for name in element.getCellNames():
                _collect(element.getCellByName(name).createEnumeration(), segments, top_level=False, counter=counter)
            continue
        if not element.supportsService("com.sun.star.text.Paragraph"):
            continue
        index = counter[0] if top_level else None
        if top_level:
            counter[0] += 1
        segments.extend(_paragraph_segments(element, index))


def _paragraph_segments(element: Any, index: int | None) -> list[Segment]:
    from plume.formatting import Run

    portions, runs, text, plain = [], [], "", True
    enum = element.createEnumeration()
    while enum.hasMoreElements():
        portion = enum.nextElement()
        kind = portion.TextPortionType
        piece = portion.getString()
        if kind == "Text" and piece:
            portions.append(portion)
            runs.append(Run(len(text), len(text) + len(piece), values_of(portion, CHARACTER_PROPERTIES)))
        elif kind not in PLAIN_PORTIONS:
            plain = False
        text += piece
    if plain:
        source = SourceParagraph(text, values_of(element, PARAGRAPH_PROPERTIES), tuple(runs))
        return [Segment(element, text, source, index)]
    return [Segment(portion, portion.getString(), None, index) for portion in portions]


def apply_in_place(
    target: Target, segments: list[Segment], translations: list[str], undo_title: str, *,
    track_changes: bool, mark: Mark | None, comment: str,
) -> None:  # fmt: skip
    """Write each translation over its segment, as one undo step; on any failure the step
    is undone and the document is as it was."""
    if len(segments) != len(translations):
        raise UnsupportedError("the translation does not match the text")
    check_unchanged(target)
    with one_undo_step(target, undo_title, track_changes=track_changes):
        for segment, translated in zip(segments, translations, strict=True):
            if segment.text.strip() and translated.strip():
                _replace(segment, translated.replace("\n", " "))
        record_applied(target.model, target.text, target.cursor, undo_title, mark, comment)


def _replace(segment: Segment, translated: str) -> None:
    text = segment.range.getText()
    if segment.source is None:
        segment.range.setString(translated)  # a text portion: its own formatting stays
        return
    cursor = text.createTextCursorByRange(segment.range)
    cursor.setString("")
    base = base_attributes(segment.source)
    runs = carry_runs(segment.source, base, translated)
    write_paragraphs(text, cursor.getStart(), [TargetParagraph(translated, 0, {}, base, runs)])


def aligned_paragraphs(target: Target, segments: list[Segment], translations: list[str]) -> list[str]:
    """The translation of each top-level paragraph, for "insert after" (table cells are
    translated in place only)."""
    by_paragraph = [""] * len(target.paragraphs)
    for segment, translated in zip(segments, translations, strict=True):
        if segment.paragraph is not None and segment.paragraph < len(by_paragraph):
            joined = f"{by_paragraph[segment.paragraph]} {translated}" if by_paragraph[segment.paragraph] else translated
            by_paragraph[segment.paragraph] = joined.replace("\n", " ").strip()
    return by_paragraph
