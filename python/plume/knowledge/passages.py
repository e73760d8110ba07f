"""Passages: consecutive paragraphs of one file up to a size budget, each knowing its file,
page, section (the headings above it) and offsets in the file's text.

A passage never spans two pages or two sections, so its place is exact; a heading starts a
new passage and stays in it (a question naming the section finds its text); a paragraph
longer than the budget is cut at sentence ends, and only a sentence longer than the budget
at the budget.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence

from .extract import Paragraph
from .types import Passage, Place

PASSAGE_CHARS = 1200  # about 300 tokens: several fit a small model's window with the question

_SENTENCE_END = re.compile(r"(?<=[.!?;:])\s+")


def passages(
    paragraphs: Sequence[Paragraph], source: str, *, title: str = "", modified: str = "", budget: int = PASSAGE_CHARS
) -> list[Passage]:
    """The passages of a file whose extracted text is its paragraphs joined by ``"\\n"``."""
    return list(_passages(paragraphs, source, title, modified, budget))


def _passages(paragraphs: Sequence[Paragraph], source: str, title: str, modified: str, budget: int) -> Iterator[Passage]:
    headings: list[tuple[int, str]] = []  # (level, text) of the headings above, outermost first
    group: list[tuple[int, int, str]] = []  # (paragraph index, start offset, text)
    group_key: tuple[int | None, str] = (None, "")
    offset = 0

    def emit() -> Iterator[Passage]:
        if not group:
            return
        first, start, _ = group[0]
        text = "\n".join(piece for _, _, piece in group)
        page, section = group_key
        yield Passage(
            id=f"{source}#{start}",
            source=source,
            text=text,
            start=start,
            end=start + len(text),
            place=Place(page=page, section=section, paragraph=first + 1),
            title=title,
            modified=modified,
        )
        group.clear()

    for index, paragraph in enumerate(paragraphs):
        if not paragraph.text.strip():  # an empty block (the open document's): no passage starts at it
            if group:
                group.append((index, offset, paragraph.text))
            offset += len(paragraph.text) + 1
            continue
        if paragraph.level:
            headings = [(level, text) for level, text in headings if level < paragraph.level]
            headings.append((paragraph.level, paragraph.text))
        section = " > ".join(text for _, text in headings)
        key = (paragraph.page, section)
        used = sum(len(piece) + 1 for _, _, piece in group)
        if group and (key != group_key or paragraph.level or used + len(paragraph.text) > budget):
            yield from emit()
        group_key = key
        if len(paragraph.text) <= budget:
            group.append((index, offset, paragraph.text))
        else:
            for start, piece in _cut(paragraph.text, budget):
                if group and sum(len(p) + 1 for _, _, p in group) + len(piece) > budget:
                    yield from emit()
                group.append((index, offset + start, piece))
                yield from emit()  # the pieces of one long paragraph each make a passage
        offset += len(paragraph.text) + 1
    yield from emit()


def _cut(text: str, budget: int) -> Iterator[tuple[int, str]]:
    """(offset, piece) covering ``text`` in pieces of at most ``budget`` characters, cut after
    sentence ends where possible."""
    start = 0
    while start < len(text):
        if len(text) - start <= budget:
            yield start, text[start:]
            return
        window = text[start : start + budget]
        ends = [m.start() for m in _SENTENCE_END.finditer(window)]
        cut = ends[-1] if ends and ends[-1] > budget // 4 else budget
        piece = text[start : start + cut]
        yield start, piece
        start += cut
        while start < len(text) and text[start] == " ":
            start += 1
