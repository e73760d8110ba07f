"""A cited answer cut at its citations, and the note each citation gets (what the Writer
adapter turns into footnotes: python/plume/knowledge/footnotes.py)."""

from __future__ import annotations

import pytest

from plume.knowledge.footnotes import Piece, cited_paragraphs, place_label, source_note
from plume.knowledge.types import Passage, Place

pytestmark = pytest.mark.unit


def _passage(source: str, place: Place, modified: str = "") -> Passage:
    return Passage(id=f"{source}#0", source=source, text="x", start=0, end=1, place=place, modified=modified)


def test_each_citation_of_a_known_source_ends_a_piece_and_its_space_goes() -> None:
    answer = "Le montant est de 120 000 € [1]. La cantine ouvre le 3 mars [2][1].\n\nSans source."
    assert cited_paragraphs(answer, {1, 2}) == [
        [Piece("Le montant est de 120 000 €", (1,)), Piece(". La cantine ouvre le 3 mars", (2,)), Piece("", (1,)),
         Piece(".")],
        [Piece("Sans source.")],
    ]  # fmt: skip


@pytest.mark.parametrize("mark", ["[1, 3]", "[1;3]", "[1 et 3]"])
def test_several_numbers_in_one_mark_cite_each_source(mark: str) -> None:
    assert cited_paragraphs(f"Voté {mark}.", {1, 3}) == [[Piece("Voté", (1, 3)), Piece(".")]]


@pytest.mark.parametrize("answer", ["Voir [4].", "Voir [0].", "Voir [1, 9].", "Voir [2].", "Liste [a]."])
def test_a_number_that_names_no_source_stays_in_the_text(answer: str) -> None:
    assert cited_paragraphs(answer, {1, 3}) == [[Piece(answer)]], "[2] was not sent or is not cited"


def test_an_answer_ending_on_a_citation_has_no_empty_tail() -> None:
    assert cited_paragraphs("Oui [2]", {2}) == [[Piece("Oui", (2,))]]


def test_a_passage_with_no_known_place_says_so() -> None:
    nowhere = _passage("a.txt", Place())
    assert place_label(nowhere, "fr") and place_label(nowhere, "fr") != place_label(nowhere, "en")


def test_the_note_names_the_file_its_date_and_the_place() -> None:
    cited = _passage("/srv/deliberations/2026-03-cantine.odt", Place(page=2), "2026-03-12T09:30:00")
    assert "/srv" not in source_note(cited, "fr"), "the file's name, not its folder (it may name a person)"
    assert source_note(cited, "fr") == "2026-03-cantine.odt, 12/03/2026, page 2"
    assert source_note(cited, "en") == "2026-03-cantine.odt, 2026-03-12, page 2"


def test_the_open_document_and_an_undated_file_are_named_without_a_date() -> None:
    assert source_note(_passage("", Place(paragraph=7)), "fr") == "ce document, § 7"
    assert source_note(_passage("notes.txt", Place(paragraph=1), "not a date"), "en") == "notes.txt, ¶ 1"
