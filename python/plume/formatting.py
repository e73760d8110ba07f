"""How a rewritten text inherits the formatting of its source, as plain data.

LibreOffice knows formatting; the model only returns text. The adapter reads each source
paragraph as a :class:`SourceParagraph` (its own properties are opaque to the core), and
this module decides where each piece of formatting goes in the answer:

1. Paragraphs: the answer is split on line breaks (blank lines dropped). When it has as many
   paragraphs as the source, paragraph *i* takes source paragraph *i*'s style, list and
   base character formatting. Otherwise each answer paragraph takes the source paragraph at
   the same relative position (the first and last always map to the first and last), so a
   shortened text keeps its heading first and its closing formula last.
2. Base character formatting: the formatting covering most characters of a source paragraph
   is applied to the whole answer paragraph (a paragraph in italics stays in italics; a
   bold word no longer spreads to the whole paragraph, as a plain replace would do).
3. Inline runs: a run of the source formatted differently from its paragraph's base (a bold
   amount, an italic title, a link) is applied again wherever its exact text appears in the
   mapped answer paragraph. A run whose text the model changed loses its formatting: Plume
   cannot know where it went, and guessing would format the wrong words.

A long rewrite answers batch by batch (:class:`Segment`): rule 1 then applies within each
batch, so a model that merges two paragraphs in one batch shifts nothing in the others.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from typing import Any

Attributes = Mapping[str, Any]


@dataclass(frozen=True)
class Run:
    """Characters ``start:end`` of a paragraph, formatted with ``attributes``."""

    start: int
    end: int
    attributes: Attributes


@dataclass(frozen=True)
class SourceParagraph:
    text: str
    paragraph: Attributes = field(default_factory=dict)  # style, list, level: opaque here
    runs: tuple[Run, ...] = ()  # every run, covering the text


@dataclass(frozen=True)
class TargetParagraph:
    text: str
    source_index: int
    paragraph: Attributes
    base: Attributes
    runs: tuple[Run, ...]  # only the inline runs that differ from ``base``


@dataclass(frozen=True)
class Segment:
    """The answer to one batch of a long rewrite, and the source paragraphs it rewrites."""

    sources: tuple[str, ...]  # texts of the (non-blank) source paragraphs, in order
    answer: str


def split_paragraphs(answer: str) -> list[str]:
    return [line.strip() for line in answer.splitlines() if line.strip()]


def map_paragraphs(source_count: int, answer_count: int) -> list[int]:
    """For each answer paragraph, the index of the source paragraph it inherits from."""
    if source_count <= 0:
        raise ValueError("no source paragraph")
    if answer_count == source_count:
        return list(range(answer_count))
    if answer_count == 1:
        return [0]
    return [round(j * (source_count - 1) / (answer_count - 1)) for j in range(answer_count)]


def base_attributes(paragraph: SourceParagraph) -> Attributes:
    """The formatting that covers most characters of the paragraph."""
    if not paragraph.runs:
        return {}
    # Keyed by repr: attribute values are opaque and may not be hashable (UNO enums are not).
    weights: dict[str, int] = {}
    attributes: dict[str, Attributes] = {}
    for run in paragraph.runs:
        key = repr(sorted(run.attributes.items()))
        weights[key] = weights.get(key, 0) + (run.end - run.start)
        attributes.setdefault(key, run.attributes)
    return dict(attributes[max(weights, key=lambda key: weights[key])])


def carry_runs(paragraph: SourceParagraph, base: Attributes, answer: str) -> tuple[Run, ...]:
    """Inline runs of ``paragraph`` whose exact text appears in ``answer``, placed there."""
    placed: list[Run] = []
    taken: list[tuple[int, int]] = []
    for run in paragraph.runs:
        different = {k: v for k, v in run.attributes.items() if base.get(k) != v}
        text = paragraph.text[run.start : run.end].strip()
        if not different or len(text) < 2:
            continue
        search_from = 0
        while (found := answer.find(text, search_from)) >= 0:
            span = (found, found + len(text))
            if not any(a < span[1] and span[0] < b for a, b in taken):
                taken.append(span)
                placed.append(Run(span[0], span[1], different))
                break
            search_from = found + 1
    return tuple(sorted(placed, key=lambda r: r.start))


def plan_aligned(sources: list[SourceParagraph], texts: list[str]) -> list[TargetParagraph]:
    """One answer paragraph per source paragraph (translations): paragraph *i* takes source
    paragraph *i*'s formatting, empty paragraphs included, so the paragraph count is kept."""
    if len(sources) != len(texts):
        raise ValueError(f"{len(texts)} paragraphs for {len(sources)} sources")
    targets = []
    for index, (source, text) in enumerate(zip(sources, texts, strict=True)):
        base = base_attributes(source)
        targets.append(TargetParagraph(text, index, source.paragraph, base, carry_runs(source, base, text)))
    return targets


def plan(sources: list[SourceParagraph], answer: str) -> list[TargetParagraph]:
    """The answer's paragraphs, each with the formatting it inherits."""
    texts = split_paragraphs(answer)
    mapping = map_paragraphs(len(sources), len(texts))
    targets = []
    for text, index in zip(texts, mapping, strict=True):
        source = sources[index]
        base = base_attributes(source)
        targets.append(TargetParagraph(text, index, source.paragraph, base, carry_runs(source, base, text)))
    return targets


def plan_segments(sources: list[SourceParagraph], segments: list[Segment]) -> list[TargetParagraph]:
    """Like :func:`plan`, segment by segment: each segment's answer inherits only from the
    source paragraphs it rewrites. When the segments cannot be found among ``sources`` in
    order (text the adapter does not read as paragraphs), the whole answer is planned at once."""
    targets: list[TargetParagraph] = []
    position = 0
    for segment in segments:
        chosen = []
        for text in segment.sources:
            while position < len(sources) and sources[position].text.strip() != text.strip():
                position += 1  # a blank paragraph: never sent, never rewritten
            if position == len(sources):
                return plan(sources, "\n".join(s.answer for s in segments))
            chosen.append(position)
            position += 1
        if chosen:
            for target in plan([sources[i] for i in chosen], segment.answer):
                targets.append(replace(target, source_index=chosen[target.source_index]))
    return targets
