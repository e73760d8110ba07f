from __future__ import annotations

import pytest

from plume.formatting import (
    Run,
    Segment,
    SourceParagraph,
    base_attributes,
    carry_runs,
    map_paragraphs,
    plan,
    plan_segments,
    split_paragraphs,
)

BOLD, PLAIN, ITALIC = {"CharWeight": 150.0}, {"CharWeight": 100.0}, {"CharPosture": 2}


def _para(*parts: tuple[str, dict[str, object]], style: str = "Text body") -> SourceParagraph:
    runs, text = [], ""
    for chunk, attributes in parts:
        runs.append(Run(len(text), len(text) + len(chunk), attributes))
        text += chunk
    return SourceParagraph(text, {"ParaStyleName": style}, tuple(runs))


def test_blank_lines_between_paragraphs_are_dropped() -> None:
    assert split_paragraphs("Un.\n\n  Deux.  \n") == ["Un.", "Deux."]


@pytest.mark.parametrize(
    ("sources", "answers", "expected"),
    [(3, 3, [0, 1, 2]), (5, 1, [0]), (5, 2, [0, 4]), (5, 3, [0, 2, 4]), (2, 4, [0, 0, 1, 1]), (1, 3, [0, 0, 0])],
)
def test_paragraph_mapping_keeps_first_and_last(sources: int, answers: int, expected: list[int]) -> None:
    mapping = map_paragraphs(sources, answers)
    assert mapping == expected
    assert mapping == sorted(mapping)


def test_base_formatting_is_the_one_covering_most_characters() -> None:
    paragraph = _para(("Le montant de ", PLAIN), ("240 000 euros", BOLD), (" est voté par le conseil.", PLAIN))
    assert base_attributes(paragraph) == PLAIN


def test_an_unchanged_bold_run_is_carried_to_its_new_place() -> None:
    paragraph = _para(("Le montant de ", PLAIN), ("240 000 euros", BOLD), (" est voté.", PLAIN))
    answer = "Le conseil vote 240 000 euros."
    runs = carry_runs(paragraph, PLAIN, answer)
    assert [(answer[r.start : r.end], dict(r.attributes)) for r in runs] == [("240 000 euros", BOLD)]


def test_a_changed_run_loses_its_formatting() -> None:
    paragraph = _para(("Le montant de ", PLAIN), ("240 000 euros", BOLD), (".", PLAIN))
    assert carry_runs(paragraph, PLAIN, "Le montant est de deux cent quarante mille euros.") == ()


def test_the_same_text_twice_is_formatted_once_per_source_run() -> None:
    paragraph = _para(("Voir ", PLAIN), ("annexe", ITALIC), (" et ", PLAIN), ("annexe", ITALIC), (".", PLAIN))
    runs = carry_runs(paragraph, PLAIN, "annexe, annexe, annexe")
    assert [(r.start, r.end) for r in runs] == [(0, 6), (8, 14)]


def test_plan_gives_each_answer_paragraph_its_source_style() -> None:
    sources = [
        _para(("Titre", PLAIN), style="Heading 1"),
        _para(("Corps du texte avec ", PLAIN), ("gras", BOLD)),
        _para(("Le maire", ITALIC)),
    ]
    targets = plan(sources, "Nouveau titre\nCorps réécrit en gras\nLe maire")
    assert [t.paragraph["ParaStyleName"] for t in targets] == ["Heading 1", "Text body", "Text body"]
    assert targets[1].runs and targets[1].text[targets[1].runs[0].start : targets[1].runs[0].end] == "gras"
    assert targets[2].base == ITALIC and targets[2].runs == ()


def test_a_long_rewrite_maps_formatting_batch_by_batch() -> None:
    # Batch 1 merged its two paragraphs into one; batch 2 kept a heading and its body. Mapped
    # over the whole answer, the heading style would drift onto a body paragraph.
    sources = [
        _para(("Titre un", PLAIN), style="Heading 1"),
        _para(("Corps un", PLAIN)),
        _para(("", PLAIN)),
        _para(("Titre deux", PLAIN), style="Heading 1"),
        _para(("Corps deux", PLAIN)),
        _para(("Corps trois", PLAIN)),
    ]
    segments = [
        Segment(("Titre un", "Corps un"), "Titre et corps fusionnés"),
        Segment(("Titre deux", "Corps deux", "Corps trois"), "Titre deux\nCorps deux\nCorps trois"),
    ]
    targets = plan_segments(sources, segments)
    assert [t.source_index for t in targets] == [0, 3, 4, 5], "the blank paragraph is skipped"
    assert [t.paragraph["ParaStyleName"] for t in targets] == ["Heading 1", "Heading 1", "Text body", "Text body"]
    whole = plan(sources, "\n".join(s.answer for s in segments))
    assert [t.paragraph["ParaStyleName"] for t in whole] != [t.paragraph["ParaStyleName"] for t in targets]


def test_segments_not_found_among_the_paragraphs_fall_back_to_the_whole_answer() -> None:
    sources = [_para(("Un", PLAIN), style="Heading 1"), _para(("Deux", PLAIN))]
    segments = [Segment(("Un",), "A"), Segment(("Cellule de tableau",), "B")]
    assert plan_segments(sources, segments) == plan(sources, "A\nB")


class _Unhashable:
    __hash__ = None  # type: ignore[assignment]

    def __init__(self, value: int) -> None:
        self.value = value

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Unhashable) and other.value == self.value

    def __repr__(self) -> str:
        return f"_Unhashable({self.value})"


def test_attribute_values_need_not_be_hashable() -> None:
    slanted, upright = {"CharPosture": _Unhashable(2)}, {"CharPosture": _Unhashable(0)}
    paragraph = _para(("Texte droit assez long", upright), ("penché", slanted))
    assert base_attributes(paragraph) == upright
    assert carry_runs(paragraph, upright, "penché puis droit")[0].attributes == slanted
