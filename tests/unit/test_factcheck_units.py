"""A count is compared with what it counts: "5 jours" is not supported by a source that says
"3 jours", even when a 5 appears elsewhere in it (a date's day, an article, a count of
something else); it is supported by the same count in any form the source may write it.

The sentences are generated: every unit below, in each context, with values drawn at random
(a fixed seed), so a rule that holds for one word or one layout only fails here."""

from __future__ import annotations

import random

import pytest

from plume.factcheck import check

pytestmark = pytest.mark.unit

# (answer's unit, source's forms of the same unit, English form): plural forms, as written.
UNITS = [
    ("jours", ("jours", "journées"), "days"),
    ("mois", ("mois",), "months"),
    ("ans", ("ans", "années"), "years"),
    ("semaines", ("semaines",), "weeks"),
    ("heures", ("heures",), "hours"),
    ("agents", ("agents",), "agents"),
    ("places", ("places",), "seats"),
    ("logements", ("logements",), "dwellings"),
    ("élèves", ("élèves", "eleves"), "pupils"),
    ("m²", ("m²", "m2", "mètres carrés"), "m²"),
    ("hectares", ("ha", "hectares"), "hectares"),
    ("km", ("km", "kilomètres"), "km"),
    ("personnes", ("personnes",), "people"),
    ("repas", ("repas",), "meals"),
]
WORDS = {2: "deux", 3: "trois", 4: "quatre", 5: "cinq", 6: "six", 7: "sept", 8: "huit", 9: "neuf", 10: "dix", 12: "douze",
         15: "quinze", 20: "vingt", 30: "trente"}  # fmt: skip
# Where the answer's value appears in the source without supporting the count.
DISTRACTORS = [
    "La séance s'est tenue le {a} mars 2025.",
    "Vu l'article {a} du règlement intérieur.",
    "Le dossier n° 2025-{a} est clos.",
    "Le budget est de {a} €.",
    "La hausse atteint {a} %.",
    "Il y a {a} {other}.",
]
LEADS = ["Le délai est de {n} {u}.", "Soit {n} {u} au total.", "La commune prévoit {n} {u} pour ce projet.",
         "Pendant {n} {u}, le service reste ouvert."]  # fmt: skip
RNG_SEED = 20


def _cases(count: int) -> list[tuple[str, str, str, str]]:
    """(unit, source unit form, other unit, lead) × random values: ``count`` per unit."""
    rng = random.Random(RNG_SEED)
    cases = []
    for unit, forms, _ in UNITS:
        others = [u for u, _, _ in UNITS if u != unit]
        for _ in range(count):
            cases.append((unit, rng.choice(forms), rng.choice(others), rng.choice(LEADS)))
    return cases


def _values(rng: random.Random) -> tuple[int, int]:
    a, b = rng.sample(sorted(WORDS), 2)
    return a, b


def _findings(answer: str, source: str) -> list[tuple[str, str]]:
    return [(f.text, f.reason) for f in check(answer, source, answer_language="fr", source_language="fr")]


@pytest.mark.parametrize(("unit", "form", "other", "lead"), _cases(4))
def test_a_count_is_not_supported_by_another_count_of_the_same_thing(unit: str, form: str, other: str, lead: str) -> None:
    rng = random.Random(f"{unit}{form}{other}{lead}")
    a, b = _values(rng)
    answer = lead.format(n=a, u=unit)
    for distractor in DISTRACTORS:
        source = lead.format(n=b, u=form) + " " + distractor.format(a=a, other=other)
        found = _findings(answer, source)
        assert [text for text, _ in found] == [f"{a} {unit}"], (answer, source, found)


@pytest.mark.parametrize(("unit", "form", "other", "lead"), _cases(3))
def test_a_count_is_supported_by_the_same_count_in_any_form(unit: str, form: str, other: str, lead: str) -> None:
    rng = random.Random(f"{lead}{unit}{form}")
    a, b = _values(rng)
    answer = lead.format(n=a, u=unit)
    low, high = sorted((a, b))
    sources = [
        lead.format(n=a, u=form),  # the same
        f"{WORDS[a].capitalize()} {form} sont prévus.",  # in words
        f"Le délai va de {low} à {high} {form}.",  # either end of a range
        f"Entre {low} et {high} {form} selon les cas.",
        f"Nombre de {unit} : {a}",  # a table's row: the value alone
        f"Il faut {a} nouveaux {form}." if unit not in ("m²", "km", "hectares") else f"Il faut {a} {form}.",
        f"Le 3 mars, {a} {form} ; le 4 mars, {b} {other}.",  # another count beside it
    ]
    for source in sources:
        assert _findings(answer, source) == [], (answer, source)


@pytest.mark.parametrize(("unit", "form", "other", "lead"), _cases(1))
def test_a_count_is_supported_by_a_sum_of_two_counts_of_the_same_thing(unit: str, form: str, other: str, lead: str) -> None:
    rng = random.Random(unit)
    a, b = _values(rng)
    source = f"{a} {form} en mai puis {b} {form} en juin."
    assert _findings(lead.format(n=a + b, u=unit), source) == []
    sums_of_others = f"{a} {other} en mai puis {b} {other} en juin."
    assert [t for t, _ in _findings(lead.format(n=a + b, u=unit), sums_of_others)] == [f"{a + b} {unit}"]


@pytest.mark.parametrize(("unit", "english"), [(u, en) for u, _, en in UNITS])
def test_a_translated_count_compares_with_the_source_count(unit: str, english: str) -> None:
    rng = random.Random(english)
    a, b = _values(rng)
    source = f"La durée est de {a} {unit}. Le {b} mai, réunion."
    assert check(f"The duration is {a} {english}.", source, answer_language="en", source_language="fr") == []
    found = check(f"The duration is {b} {english}.", source, answer_language="en", source_language="fr")
    assert [f.text for f in found] == [f"{b} {english}"]


@pytest.mark.parametrize("amount", ["{a} €", "{a} euros", "{a} %", "{a} k€"])
def test_an_amount_is_not_supported_by_a_count_of_something(amount: str) -> None:
    rng = random.Random(amount)
    for unit, form, _, _ in _cases(1):
        a = rng.choice([40, 120, 250, 600])
        answer = f"Le montant est de {amount.format(a=a)}."
        assert [t for t, _ in _findings(answer, f"La commune compte {a} {form}.")] == [amount.format(a=a)], unit
        assert _findings(answer, f"Le montant est de {amount.format(a=a)}, pour {a} {form}.") == []


def test_a_bare_count_and_a_rank_keep_their_rules() -> None:
    source = "Le 5 mars, 3 jours de fermeture."
    assert _findings("Il y en a 5.", source) == []  # a bare number: any number of the source
    assert _findings("Le 1er jour, le service ferme.", source) == []  # a rank, not a count of days
    assert _findings("Les 5 titulaires.", source) == []  # a noun not in COUNTED: a bare number
