"""A cited answer as a front end writes it with its sources: the answer's paragraphs cut at
each ``[n]`` citation, and the note each citation gets (file, date, place).

The LibreOffice adapter turns each citation into a real footnote; any other front end can
print the notes after the text. Numbers that name no source stay in the text as they were
(the answer's check reports them), so nothing the model wrote is silently dropped.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import PurePath

from ..i18n import t
from .types import Passage, Place

# "[1]", "[1, 2]", "[1][2]", "[1; 3]": one or more numbers in brackets.
CITATION = re.compile(r"\s*\[(\d{1,3}(?:\s*[,;]\s*\d{1,3})*)\]")


@dataclass(frozen=True)
class Piece:
    """Some text of the answer, followed by the notes of the sources it cites (1-based numbers)."""

    text: str
    cites: tuple[int, ...] = ()


def cited_paragraphs(answer: str, sources: Collection[int]) -> list[list[Piece]]:
    """The answer's non-empty paragraphs, each cut after every citation of a source whose
    number is in ``sources``. The space before a citation goes (the note's call sits on the word)."""
    paragraphs = []
    for line in answer.replace("\r\n", "\n").split("\n"):
        if not line.strip():
            continue
        pieces, start = [], 0
        for match in CITATION.finditer(line):
            numbers = tuple(int(n) for n in re.split(r"\s*[,;]\s*", match.group(1)))
            if not all(n in sources for n in numbers):
                continue  # not one of ours: kept as written
            pieces.append(Piece(line[start : match.start()], numbers))
            start = match.end()
        if start < len(line) or not pieces:
            pieces.append(Piece(line[start:]))
        paragraphs.append(pieces)
    return paragraphs


def describe_place(place: Place, lang: str) -> str:
    """Where a passage is, as a person looks for it: "page 3, Budget > Cantine, § 12"."""
    parts = []
    if place.page is not None:
        parts.append(t("ask.place.page", lang, page=place.page))
    if place.section:
        parts.append(place.section)
    if place.paragraph is not None:
        parts.append(t("ask.place.paragraph", lang, paragraph=place.paragraph))
    return ", ".join(parts) or t("ask.place.unknown", lang)


def file_label(passage: Passage, lang: str) -> str:
    """The file's name as a note shows it; the open document is "this document"."""
    return PurePath(passage.source).name if passage.source else t("ask.this_document", lang)


def show_date(iso: str, lang: str) -> str:
    """A modification date (ISO 8601) as people write it: 12/03/2026 in French, 2026-03-12 otherwise."""
    day = iso[:10]
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", day):
        return ""
    return f"{day[8:10]}/{day[5:7]}/{day[:4]}" if lang == "fr" else day


def source_note(passage: Passage, lang: str) -> str:
    """The footnote of a cited passage: its file, its date, its place."""
    place, date = describe_place(passage.place, lang), show_date(passage.modified, lang)
    if date:
        return t("ask.note", lang, file=file_label(passage, lang), date=date, place=place)
    return t("ask.note.undated", lang, file=file_label(passage, lang), place=place)
