"""Cutting a long text into parts that each fit a request, along its structure: whole
sections first, then paragraphs, then sentences, and only for a sentence longer than a whole
part, characters.

A document is a list of :class:`Block` (paragraphs, some of them headings). Parts keep the
titles of the sections they cover, so that a summary can name them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from ..budget import estimate_tokens
from ..translation.sentences import split_sentences


@dataclass(frozen=True)
class Block:
    text: str
    level: int = 0  # heading level (1 = top); 0 for body text


@dataclass(frozen=True)
class Piece:
    """Some text of one block (all of it, or some of its sentences)."""

    text: str
    block: int  # index of the block it comes from
    section: str  # title of the nearest heading above it ("" before the first heading)


@dataclass(frozen=True)
class Part:
    pieces: tuple[Piece, ...]

    @property
    def text(self) -> str:
        """Pieces of one block joined by a space, blocks by a line break."""
        out = ""
        for index, piece in enumerate(self.pieces):
            if index:
                out += " " if piece.block == self.pieces[index - 1].block else "\n"
            out += piece.text
        return out

    @property
    def sections(self) -> tuple[str, ...]:
        seen: dict[str, None] = {}
        for piece in self.pieces:
            if piece.section:
                seen.setdefault(piece.section)
        return tuple(seen)

    @property
    def tokens(self) -> int:
        return estimate_tokens(self.text)


_MARKDOWN_HEADING = re.compile(r"^(#{1,6})\s+\S")


def blocks_from_text(text: str) -> list[Block]:
    """The lines of a plain or Markdown text (the command line's input): "# Title" lines
    are headings; the lines are kept as they are."""
    return [Block(line, len(m.group(1)) if (m := _MARKDOWN_HEADING.match(line)) else 0) for line in text.split("\n")]


def split(blocks: list[Block], budget: int) -> list[Part]:
    """Parts of at most ``budget`` estimated tokens, in order, covering every block. A part
    never ends inside a section that would have fitted whole in an empty part."""
    if budget < 16:
        raise ValueError(f"a part of {budget} tokens cannot hold a sentence")
    return _pack([_units(blocks, 0, len(blocks), budget, _titles(blocks))], budget)


def batches(blocks: list[Block], budget: int) -> list[Part]:
    """Parts for rewriting: whole paragraphs packed together, or the sentences of one paragraph
    too long for a part; never the end of one paragraph with the start of the next, so that
    every paragraph break falls between two parts or inside a part's whole paragraphs."""
    return _pack(_batch_groups(blocks, budget, _titles(blocks)), budget)


def _pack(groups: Iterable[Iterable[tuple[Piece, ...]]], budget: int) -> list[Part]:
    """Units packed in order into parts of at most ``budget``; a part never spans two groups."""
    parts: list[Part] = []
    for group in groups:
        current: list[Piece] = []
        for unit in group:
            if current and Part((*current, *unit)).tokens > budget:
                parts.append(Part(tuple(current)))
                current = []
            current.extend(unit)
        if current:
            parts.append(Part(tuple(current)))
    return parts


def _batch_groups(blocks: list[Block], budget: int, titles: list[str]) -> Iterator[list[tuple[Piece, ...]]]:
    """Runs of paragraphs that each fit a part, and, alone, the sentences of one that does not."""
    run: list[tuple[Piece, ...]] = []
    for index, block in enumerate(blocks):
        if estimate_tokens(block.text) <= budget:
            run.append((Piece(block.text, index, titles[index]),))
            continue
        if run:
            yield run
            run = []
        yield list(_paragraph(block.text, index, titles[index], budget))
    if run:
        yield run


def _titles(blocks: list[Block]) -> list[str]:
    """For each block, the title of the nearest heading at or above it."""
    titles, title = [], ""
    for block in blocks:
        if block.level:
            title = block.text.strip()
        titles.append(title)
    return titles


def _units(blocks: list[Block], start: int, end: int, budget: int, titles: list[str]) -> Iterator[tuple[Piece, ...]]:
    """Runs of pieces that each fit ``budget``, as large as the structure allows."""
    for first, last in _sections(blocks, start, end):
        pieces = tuple(Piece(blocks[i].text, i, titles[i]) for i in range(first, last))
        if Part(pieces).tokens <= budget:
            yield pieces
        elif last - first > 1 and any(blocks[i].level for i in range(first + 1, last)):
            # Too long: its heading alone, then its subsections (or paragraphs) one by one.
            yield from _paragraph(blocks[first].text, first, titles[first], budget)
            yield from _units(blocks, first + 1, last, budget, titles)
        else:
            for i in range(first, last):
                yield from _paragraph(blocks[i].text, i, titles[i], budget)


def _sections(blocks: list[Block], start: int, end: int) -> Iterator[tuple[int, int]]:
    """[first, last) ranges: text before the first heading, then each top-most heading with
    everything under it."""
    levels = [blocks[i].level for i in range(start, end) if blocks[i].level]
    top = min(levels) if levels else 0
    first = start
    for i in range(start + 1, end):
        if top and blocks[i].level and blocks[i].level <= top:
            yield first, i
            first = i
    if first < end:
        yield first, end


def _paragraph(text: str, block: int, section: str, budget: int) -> Iterator[tuple[Piece, ...]]:
    if estimate_tokens(text) <= budget:
        yield (Piece(text, block, section),)
        return
    for sentence in split_sentences(text) or [text]:
        for chunk in _cut(sentence, budget):
            yield (Piece(chunk, block, section),)


def _cut(sentence: str, budget: int) -> Iterator[str]:
    """A sentence longer than a whole part: cut at spaces into chunks that fit."""
    if estimate_tokens(sentence) <= budget:
        yield sentence
        return
    chunk = ""
    for word in sentence.split(" "):
        candidate = f"{chunk} {word}" if chunk else word
        if chunk and estimate_tokens(candidate) > budget:
            yield chunk
            chunk = word
        else:
            chunk = candidate
        while estimate_tokens(chunk) > budget:  # one "word" longer than a part (a URL, a table dump)
            size = max(1, len(chunk) // 2)
            while estimate_tokens(chunk[:size]) > budget:
                size //= 2
            yield chunk[:size]
            chunk = chunk[size:]
    if chunk:
        yield chunk
