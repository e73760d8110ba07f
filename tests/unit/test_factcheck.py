"""The fact check compares an answer with its source: equivalent forms are supported, changed
values are found, and any text supports itself (property tests)."""

from __future__ import annotations

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from plume.factcheck import KINDS, check
from plume.factcheck.check import extract
from plume.factcheck.numbers import Quantity
from plume.factcheck.spans import Taken

pytestmark = pytest.mark.unit

SOURCE = (
    "Le conseil municipal de Saint-Priest, réuni le 3 avril 2026 à 18h30 sous la présidence de M. Jean Dupont, "
    "a voté un budget de 1 240 000 € dont 41,52 % pour la voirie, vu l'article L. 2122-22 du code général des "
    "collectivités territoriales et le décret n° 2026-114. Trois délibérations ont été adoptées ; la concertation "
    "aura lieu du 6 au 24 avril 2026. Contact : mairie@saint-priest.fr, 04 78 21 25 00, https://www.saint-priest.fr/budget."
)


def kinds(answer: str, source: str = SOURCE, **languages: str) -> list[tuple[str, str]]:
    return [(f.kind, f.text) for f in check(answer, source, **languages)]


@pytest.mark.parametrize(
    "answer",
    [
        "Le 03/04/2026, le conseil a voté 1,24 M€.",
        "Budget : 1 240 000 euros ; séance du 2026-04-03 à 18 h 30.",
        "Un budget de 1,24 million d'euros, dont 41,5 % pour la voirie.",
        "Environ 42 % du budget va à la voirie.",
        "Le conseil a adopté 3 délibérations (art. L2122-22 du CGCT, décret n° 2026-114).",
        "Concertation du 06/04/2026 au 24/04/2026, en avril 2026.",
        "Contact : MAIRIE@saint-priest.fr, 04.78.21.25.00 ou +33 4 78 21 25 00, www.saint-priest.fr/budget.",
        "Sous la présidence de Jean DUPONT, maire de Saint-Priest.",
        "Le conseil s'est réuni le 3 avril. Il a voté en 2026.",
    ],
)
def test_equivalent_forms_are_supported(answer: str) -> None:
    assert kinds(answer) == []


@pytest.mark.parametrize(
    ("answer", "expected"),
    [
        ("Le conseil a voté 1 250 000 €.", [("amount", "1 250 000 €")]),
        ("Un budget de 1,25 M€.", [("amount", "1,25 M€")]),
        ("Dont 45,52 % pour la voirie.", [("percent", "45,52 %")]),
        ("Dont 41 % pour la voirie.", [("percent", "41 %")]),  # 41,52 does not round to 41
        ("Réuni le 4 avril 2026.", [("date", "4 avril 2026")]),
        ("Réuni le 03/05/2026.", [("date", "03/05/2026")]),
        ("Réuni en mai 2026.", [("date", "mai 2026")]),
        ("Réuni à 18h45.", [("time", "18h45")]),
        ("Vu l'article L. 2122-23.", [("reference", "article L. 2122-23")]),
        ("Vu le décret n° 2026-141.", [("reference", "décret n° 2026-141")]),
        ("Vu l'arrêté n° 2026-114.", [("reference", "arrêté n° 2026-114")]),  # same number, another kind of act
        ("Contact : mairie@saint-priest.com.", [("email", "mairie@saint-priest.com")]),
        ("Appelez le 04 78 21 25 01.", [("phone", "04 78 21 25 01")]),
        ("Voir https://www.saint-priest.fr/vote.", [("link", "https://www.saint-priest.fr/vote")]),
        ("Sous la présidence de Pierre Dupont.", [("name", "Pierre Dupont")]),
        ("Quatre délibérations ont été adoptées, soit 4 textes.", [("number", "4")]),
        ("Vingt-deux délibérations ont été adoptées.", [("number", "Vingt-deux")]),
        ("Le budget est de 1 240 000 $.", [("amount", "1 240 000 $")]),
    ],
)
def test_changed_elements_are_found(answer: str, expected: list[tuple[str, str]]) -> None:
    assert kinds(answer) == expected


def test_a_currency_that_changes_is_reported_as_another_unit() -> None:
    (finding,) = check("Le budget est de 1 240 000 $.", SOURCE)
    assert finding.reason == "other_unit"
    assert check("Le conseil a voté 1 250 000 €.", SOURCE)[0].reason == "not_in_source"


def test_findings_point_at_their_place_in_the_answer() -> None:
    answer = "Réuni le 4 avril 2026, le conseil a voté 1 250 000 €."
    for finding in check(answer, SOURCE):
        assert answer[finding.start : finding.end] == finding.text
        assert finding.kind in KINDS
        assert set(finding.to_dict()) == {"kind", "text", "start", "end", "reason"}


def test_a_sum_or_difference_of_two_amounts_is_supported_but_not_of_bare_counts() -> None:
    source = "Subvention de 12 500 €, dont 7 500 € à la signature. 12 agents et 7 bénévoles."
    assert kinds("Le solde est de 5 000 €.", source) == []
    assert kinds("Au total 20 000 €.", source) == []
    assert kinds("Le solde est de 6 000 €.", source) == [("amount", "6 000 €")]
    assert kinds("Soit 19 personnes.", source) == [("number", "19 personnes")]  # a count names what it counts


@pytest.mark.parametrize(
    ("text", "language", "value", "unit"),
    [
        ("1 240 000 €", "fr", 1_240_000, "EUR"),
        ("1\u202f240\u202f000\u00a0€", "fr", 1_240_000, "EUR"),
        ("1.240.000 euros", "fr", 1_240_000, "EUR"),
        ("1,240,000 dollars", "en", 1_240_000, "USD"),
        ("€1.24 million", "en", 1_240_000, "EUR"),
        ("1,240", "fr", 1.24, ""),
        ("1,240", "en", 1240, ""),
        ("1.240", "fr", 1240, ""),
        ("41,52 %", "fr", 41.52, "%"),
        ("41.52 percent", "en", 41.52, "%"),
        ("12,5 k€", "fr", 12_500, "EUR"),
        ("deux millions d'euros", "fr", 2_000_000, "EUR"),
        ("quatre-vingt-dix-sept", "fr", 97, ""),
        ("soixante et onze", "fr", 71, ""),
        ("two hundred and five", "en", 205, ""),
        ("1er", "fr", 1, ""),
    ],
)
def test_quantities_are_read_in_french_and_english_formats(text: str, language: str, value: float, unit: str) -> None:
    (quantity,) = (e for e in extract(text, language) if isinstance(e, Quantity))
    assert quantity.value == pytest.approx(value) and quantity.unit == unit


def test_number_words_joined_by_et_are_two_numbers_unless_a_compound() -> None:
    values = [e.value for e in extract("entre deux et quatre mille témoins, vingt et un jours", "fr") if isinstance(e, Quantity)]
    assert values == [4000, 21]  # "deux" alone is below the words that are claims; "vingt et un" is one number


def test_numbered_list_markers_are_not_claims() -> None:
    assert kinds("Points clés :\n1. Budget voté.\n2. Délibérations adoptées.\n7) Fin.") == []


def test_a_sentence_opening_word_is_not_a_name_but_capitals_are() -> None:
    assert kinds("Ensuite, le conseil a voté. Selon la Métropole, rien ne change.") == [("name", "Métropole")]
    assert kinds("Le conseil a voté. DUPONTEL a signé.") == [("name", "DUPONTEL")]
    assert kinds("Le conseil a voté. Jean Dupont a signé.") == []


def test_acronyms_are_supported_by_the_words_they_stand_for() -> None:
    assert kinds("Vu le CGCT.") == []
    assert kinds("Vu le CGI.") == [("name", "CGI")]


def test_translations_compare_numbers_dates_references_and_names_across_languages() -> None:
    faithful = ("On 3 April 2026 at 6:30 pm, the Saint-Priest City Council chaired by Jean Dupont voted a budget of "
                "€1,240,000, 41.52% for roads, under Article L. 2122-22 and Decree No. 2026-114.")  # fmt: skip
    assert kinds(faithful) == []
    planted = "On April 4, 2026, the council chaired by Peter Dupont voted €1,250,000 under Decree No. 2026-115."
    assert kinds(planted) == [("date", "April 4, 2026"), ("name", "Peter Dupont"), ("amount", "€1,250,000"),
                              ("reference", "Decree No. 2026-115")]  # fmt: skip


def test_english_numeric_dates_may_be_read_either_way_round() -> None:
    source = "Réunion le 3 avril 2026."
    assert kinds("Meeting on 04/03/2026.", source, answer_language="en") == []
    assert kinds("Réunion le 04/03/2026.", source) == [("date", "04/03/2026")]


def test_taken_spans_never_overlap() -> None:
    taken = Taken([(0, 5), (10, 20)])
    assert taken.overlaps(4, 6) and taken.overlaps(15, 16) and taken.overlaps(0, 30)
    assert not taken.overlaps(5, 10) and not taken.overlaps(20, 25)
    assert taken.claim(5, 10) and not taken.claim(9, 11)
    assert taken.spans() == [(0, 5), (5, 10), (10, 20)]


# --- properties ---------------------------------------------------------------------------
_ELEMENTS = st.sampled_from(
    [
        "1 240 000 €", "41,52 %", "3 avril 2026", "03/04/2026", "18h30", "article L. 2122-22", "décret n° 2026-114",
        "mairie@ville.fr", "04 78 21 25 00", "Jean Dupont", "CGCT", "vingt-deux", "1,24 M€", "mai 2026", "12 agents",
        "https://www.ville.fr/a", "3rd April 2026", "€1.5 million", "2:30 pm", "Saint-Priest", "loi n° 82-213",
    ]
)  # fmt: skip
_FILLER = st.sampled_from(["le conseil a voté", "selon le maire", "en outre", "la commune", "pour la voirie", "et", ","])
_SENTENCES = st.lists(
    st.tuples(_FILLER, _ELEMENTS, _FILLER).map(" ".join).map(lambda s: s.capitalize() + "."), min_size=1, max_size=6
)


@settings(max_examples=150, deadline=None)
@given(_SENTENCES)
@example(["Le conseil a voté Jean Dupont et."])
def test_a_text_supports_itself(sentences: list[str]) -> None:
    text = " ".join(sentences)
    assert check(text, text) == []


@settings(max_examples=100, deadline=None)
@given(_SENTENCES, st.randoms(use_true_random=False))
def test_reordering_the_sentences_invents_nothing(sentences: list[str], random: object) -> None:
    source = " ".join(sentences)
    shuffled = list(sentences)
    random.shuffle(shuffled)  # type: ignore[attr-defined]
    assert check(" ".join(shuffled), source) == []


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=1, max_value=9_999_999), st.integers(min_value=1, max_value=999))
def test_a_changed_amount_is_always_found(amount: int, change: int) -> None:
    def french(value: int) -> str:
        return f"{value:,}".replace(",", "\u202f") + " €"

    source = f"Le budget s'élève à {french(amount)} pour l'année."
    assert check(f"Budget : {french(amount)}.", source) == []
    (finding,) = check(f"Budget : {french(amount + change)}.", source)
    assert finding.kind == "amount"


def test_an_approximate_number_is_rounded_to_its_last_significant_digit() -> None:
    source = "Verdure Services propose 248 600 € HT par an ; 41,52 % du budget."
    assert kinds("Environ 249 000 € HT par an, près de 250 000 €.", source) == []
    assert kinds("Environ 240 000 € HT par an.", source) == [("amount", "240 000 €")]
    assert kinds("Soit 249 000 € HT par an.", source) == [("amount", "249 000 €")], "without 'environ', an exact claim"
