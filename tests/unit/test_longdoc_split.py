"""Splitting long texts along their structure: every block covered once, in order; parts fit
the budget; sections stay whole when they can; sentences and words only as a last resort."""

from __future__ import annotations

import itertools

import pytest
from harness.longdocs import long_document
from hypothesis import given, settings
from hypothesis import strategies as st

from plume.budget import estimate_tokens
from plume.longdoc import Block, Part, split

pytestmark = pytest.mark.unit


def _blocks(pages: int) -> list[Block]:
    return [Block(text, level) for text, level in long_document(pages)]


def _covered(parts: list[Part]) -> str:
    return " ".join(piece.text for part in parts for piece in part.pieces)


@pytest.mark.parametrize("pages", [1, 10, 100])
@pytest.mark.parametrize("budget", [300, 1500])
def test_parts_fit_and_cover_every_block_in_order(pages: int, budget: int) -> None:
    blocks = _blocks(pages)
    parts = split(blocks, budget)
    assert all(part.tokens <= budget for part in parts)
    indices = [piece.block for part in parts for piece in part.pieces]
    assert indices == sorted(indices) and set(indices) == set(range(len(blocks)))
    assert _covered(parts).split() == " ".join(b.text for b in blocks).split(), "no word lost or added"


def test_the_number_of_parts_grows_linearly_with_the_length() -> None:
    counts = {pages: len(split(_blocks(pages), 1500)) for pages in (10, 100)}
    assert 7 <= counts[100] / counts[10] <= 13


def test_a_section_that_fits_a_part_is_never_cut() -> None:
    blocks = _blocks(10)
    parts = split(blocks, 3000)
    part_of = {piece.block: index for index, part in enumerate(parts) for piece in part.pieces}
    starts = [i for i, b in enumerate(blocks) if b.level == 1] + [len(blocks)]
    whole = 0
    for first, last in itertools.pairwise(starts):
        if estimate_tokens("\n".join(b.text for b in blocks[first:last])) <= 3000:
            assert len({part_of[i] for i in range(first, last)}) == 1, blocks[first].text
            whole += 1
    assert whole, "the sample has sections that fit"


def test_parts_know_their_sections() -> None:
    parts = split(_blocks(10), 800)
    assert all(part.sections for part in parts)
    assert parts[0].sections[0].startswith("Partie 1")


def test_a_paragraph_longer_than_a_part_is_cut_at_sentences_then_words() -> None:
    long_sentence = "mot " * 400
    blocks = [Block("Titre", 1), Block("Phrase courte. " * 60 + long_sentence.strip() + ".")]
    parts = split(blocks, 100)
    assert all(part.tokens <= 100 for part in parts) and len(parts) > 5
    assert " ".join(p.text for part in parts for p in part.pieces).split() == " ".join(b.text for b in blocks).split()


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.text(min_size=1, max_size=400), st.integers(min_value=0, max_value=3)), min_size=1, max_size=30),
       st.integers(min_value=16, max_value=400))  # fmt: skip
def test_any_text_is_covered_within_any_budget(raw: list[tuple[str, int]], budget: int) -> None:
    blocks = [Block(text, level) for text, level in raw if text.strip()]
    parts = split(blocks, budget)
    assert all(part.tokens <= budget for part in parts)
    # A "word" longer than a part is cut inside: compare the characters, not the words.
    assert "".join("".join(p.text for part in parts for p in part.pieces).split()) == "".join(
        "".join(b.text for b in blocks).split()
    )


def test_rewrite_batches_never_mix_a_paragraph_s_end_with_the_next_one() -> None:
    from plume.longdoc import batches

    blocks = [Block("Court. " * 3), Block("Long. " * 300), Block("Court aussi."), Block("Encore court.")]
    parts = batches(blocks, 100)
    assert all(part.tokens <= 100 for part in parts)
    for part in parts:
        in_part = {piece.block for piece in part.pieces}
        assert len(in_part) == 1 or all(estimate_tokens(blocks[i].text) <= 100 for i in in_part), "split paragraphs stay alone"
    assert parts[0].pieces[0].block == 0 and parts[-1].pieces[-1].block == 3
