"""A cited answer as a front end writes it with its sources: the answer's paragraphs cut at
each citation mark (:func:`.citations.marks`), and the note each citation gets (file, date,
place).

The LibreOffice adapter turns each citation into a real footnote; any other front end can
print the notes after the text. A mark naming a number that is not among the sources stays
in the text as written (the answer's notes report it), so nothing the model wrote is
silently dropped.
"""

from __future__ import annotations

import re
from collections.abc import Collection
from dataclasses import dataclass

from ..i18n import t
from .citations import describe_place, marks
from .types import Passage


@dataclass(frozen=True)
class Piece:
    """Some text of the answer, followed by the notes of the sources it cites (their numbers)."""

    text: str
    cites: tuple[int, ...] = ()


def cited_paragraphs(answer: str, sources: Collection[int]) -> list[list[Piece]]:
    """The answer's non-empty paragraphs, each cut after every mark citing only numbers in
    ``sources``. The space before a mark goes (the note's call sits on the word)."""
    paragraphs = []
    for line in answer.replace("\r\n", "\n").split("\n"):
        if not line.strip():
            continue
        pieces, start = [], 0
        for mark in marks(line):
            if not mark.numbers or not all(n in sources for n in mark.numbers):
                continue  # not one of ours: kept as written
            pieces.append(Piece(line[start : mark.start].rstrip(), mark.numbers))
            start = mark.end
        if start < len(line) or not pieces:
            pieces.append(Piece(line[start:]))
        paragraphs.append(pieces)
    return paragraphs


def file_label(passage: Passage, lang: str) -> str:
    """The file's name as a note shows it (never its folder); the open document is "this document"."""
    return passage.source.replace("\\", "/").rsplit("/", 1)[-1] if passage.source else t("ask.this_document", lang)


def show_date(iso: str, lang: str) -> str:
    """A modification date (ISO 8601) as people write it: 12/03/2026 in French, 2026-03-12 otherwise."""
    day = iso[:10]
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", day):
        return ""
    return f"{day[8:10]}/{day[5:7]}/{day[:4]}" if lang == "fr" else day


def place_label(passage: Passage, lang: str) -> str:
    return describe_place(passage.place, lang) or t("ask.place.unknown", lang)


def source_note(passage: Passage, lang: str) -> str:
    """The footnote of a cited passage: its file, its date, its place."""
    date = show_date(passage.modified, lang)
    values = {"file": file_label(passage, lang), "place": place_label(passage, lang)}
    return t("ask.note", lang, date=date, **values) if date else t("ask.note.undated", lang, **values)
