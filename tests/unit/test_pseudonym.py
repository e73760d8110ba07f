"""Placeholders (shield/pseudonym.py): restored however a small model alters them, never
made up from ordinary text, restored the same when streamed in any pieces; one mapping for a
whole run (protect_text) and a fast last check for values still in a request (leaks)."""

from __future__ import annotations

import itertools
import json
import random
import re
from collections.abc import Callable

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from plume.shield.pseudonym import Pseudonymiser, StreamRestorer
from support.person_names import random_person, text_about

ZWSP = "\u200b"


def _full_width(text: str) -> str:
    return "".join(chr(ord(c) + 0xFEE0) if c.isascii() and c.isalnum() else c for c in text)


# Each alteration takes (label, number) and writes the placeholder as a model might.
ALTERATIONS: dict[str, Callable[[str, int], str]] = {
    "faithful": lambda k, n: f"[{k}_{n}]",
    "lowercase": lambda k, n: f"[{k.lower()}_{n}]",
    "capitalised": lambda k, n: f"[{k.capitalize()}_{n}]",
    "no brackets": lambda k, n: f"{k}_{n}",
    "hyphen": lambda k, n: f"[{k}-{n}]",
    "space": lambda k, n: f"[{k} {n}]",
    "nothing between": lambda k, n: f"[{k}{n}]",
    "leading zero": lambda k, n: f"[{k}_{n:02d}]",
    "full-width digits": lambda k, n: f"[{k}_{_full_width(str(n))}]",
    "full-width letters": lambda k, n: f"[{_full_width(k)}_{n}]",
    "guillemets": lambda k, n: f"«{k}_{n}»",
    "spaced guillemets": lambda k, n: f"« {k}_{n} »",
    "parentheses": lambda k, n: f"({k}_{n})",
    "zero-width space in the label": lambda k, n: f"[{k[:1]}{ZWSP}{k[1:]}_{n}]",
    "zero-width space before the number": lambda k, n: f"[{k}_{ZWSP}{n}]",
    "doubled brackets": lambda k, n: f"[[{k}_{n}]]",
    "markdown escapes": lambda k, n: f"\\[{k}\\_{n}\\]",
    "spaces inside": lambda k, n: f"[ {k}_{n} ]",
    "no brackets, hyphen": lambda k, n: f"{k}-{n}",
    "lowercase without brackets": lambda k, n: f"{k.lower()}_{n}",
    "translated": lambda k, n: f"[{ {'NOM': 'NAME', 'TEL': 'PHONE', 'ADRESSE': 'ADDRESS'}.get(k, k) }_{n}]",
}

_SENT = re.compile(r"\[([A-Z]+)_(\d+)\]")


def _alter(protected: str, rng: random.Random, names: list[str] | None = None) -> str:
    names = names or list(ALTERATIONS)
    return _SENT.sub(lambda m: ALTERATIONS[rng.choice(names)](m.group(1), int(m.group(2))), protected)


LETTER = (
    "Mme Hélène Van der Berg (helene.vdb@example.fr, 06 12 34 56 78) écrit au sujet de M. Jean DUPONT. "
    "Hélène Van der Berg demande que M. Dupont rappelle ; Jean répondra. Signé : Hélène VAN DER BERG"
)


@pytest.mark.parametrize("alteration", list(ALTERATIONS))
def test_each_alteration_is_restored(alteration: str) -> None:
    pseudonymiser = Pseudonymiser()
    protected = pseudonymiser.protect_text(LETTER)
    assert "Hélène" not in protected and "Dupont" not in protected and "DUPONT" not in protected
    answer = _alter(protected, random.Random(0), [alteration])
    assert pseudonymiser.restore(answer) == LETTER
    assert pseudonymiser.missing(answer) == []


@pytest.mark.parametrize(
    "answer",
    [
        "Indiquez votre nom et votre TEL.",
        "Le nom 1 de la liste, le Nom 2 et le champ Tel 1.",
        "Voir (Nom 1) et « nom 2 ».",
        "NOM_7 et [NOM_9] ne sont pas connus.",
        "NOM_1er ; PRENOM_1 ; TEL_12345.",
        "Le NAME_1 anglais reste tel quel.",
        "Appeler la CAF 1 fois par mois ; NOM 1 et TEL 1 sans crochets ni tiret.",
        "Adresse : voir ci-dessous, nom_de_famille à compléter.",
    ],
)
def test_ordinary_text_is_never_restored(answer: str) -> None:
    pseudonymiser = Pseudonymiser()
    pseudonymiser.protect_text("Mme Claire Durand, 06 12 34 56 78, 12 rue des Lilas, 69003 Lyon, allocataire CAF n° 1234567.")
    assert pseudonymiser.restore(answer) == answer


def test_brackets_of_the_text_are_kept() -> None:
    pseudonymiser = Pseudonymiser()
    text = "[voir M. Dupont] et (M. Dupont) puis «M. Dupont»."
    protected = pseudonymiser.protect_text(text)
    assert protected == "[voir M. [NOM_1]] et (M. [NOM_1]) puis «M. [NOM_1]»."
    assert pseudonymiser.restore(protected) == text


def test_missing_uses_the_same_tolerant_matching() -> None:
    pseudonymiser = Pseudonymiser()
    pseudonymiser.protect_text("Mme Claire Durand, tél. 06 12 34 56 78, claire@example.fr.")
    assert pseudonymiser.missing("Écrire à « NOM 1 » au tel_1.") == ["claire@example.fr"]


def test_a_name_in_several_forms_comes_back_in_each_form() -> None:
    pseudonymiser = Pseudonymiser()
    text = "M. Jean DUPONT écrit. Dupont rappellera ; Jean aussi."
    protected = pseudonymiser.protect_text(text)
    assert protected == "M. [NOM_1] écrit. [NOM_1] rappellera ; [NOM_1] aussi."
    assert pseudonymiser.restore(protected) == text
    # An answer with more mentions than the text: the first form after the others.
    assert pseudonymiser.restore("[NOM_1], [NOM_1], [NOM_1], [NOM_1].") == "Jean DUPONT, Dupont, Jean, Jean DUPONT."


def test_placeholders_stay_the_same_across_texts_of_a_run() -> None:
    pseudonymiser = Pseudonymiser()
    first = pseudonymiser.protect_text("Mme Claire Durand (06 12 34 56 78) et M. Paul Lefèvre.")
    # The second text names them without civility: known values are found again.
    second = pseudonymiser.protect_text("Paul Lefèvre rappelle Claire DURAND au 06 12 34 56 78 ; durand hésite.")
    assert first == "Mme [NOM_1] ([TEL_1]) et M. [NOM_2]."
    assert second == "[NOM_2] rappelle [NOM_1] au [TEL_1] ; durand hésite."
    assert pseudonymiser.restore(second) == "Paul Lefèvre rappelle Claire DURAND au 06 12 34 56 78 ; durand hésite."


def test_a_surname_two_people_share_is_not_merged_into_one_of_them() -> None:
    pseudonymiser = Pseudonymiser()
    first = pseudonymiser.protect_text("M. Jean Dupont et Mme Marie Dupont.")
    second = pseudonymiser.protect_text("Mme Dupont et M. Paul Martin, puis M. Martin.")
    assert first == "M. [NOM_1] et Mme [NOM_2]."
    assert second == "Mme [NOM_3] et M. [NOM_4], puis M. [NOM_4]."


def test_leaks_finds_known_values_also_in_json() -> None:
    pseudonymiser = Pseudonymiser()
    pseudonymiser.protect_text('Mme Hélène Dupont-Aïdi écrit "oui" au 06 12 34 56 78.')
    body = json.dumps({"messages": [{"content": "Réponse à HÉLÈNE\u00a0DUPONT-AÏDI, 06 12 34 56 78"}]})
    assert "\\u00c9" in body  # ensure_ascii: "É" is escaped
    assert pseudonymiser.leaks(body) == ["Hélène Dupont-Aïdi", "06 12 34 56 78"]
    assert pseudonymiser.leaks(json.dumps({"content": pseudonymiser.protect_text("Hélène Dupont-Aïdi")})) == []
    assert pseudonymiser.leaks("une rose, une pierre") == []
    pseudonymiser.protect_text("mme dupont a appelé.")
    assert pseudonymiser.leaks("rappeler dupont") == ["dupont"]


def _run(seed: int) -> tuple[Pseudonymiser, str, str]:
    rng = random.Random(seed)
    people = [random_person(rng) for _ in range(rng.randint(1, 3))]
    text, _ = text_about(people, rng)
    text += " Contact : 06 12 34 56 78 ou claire.durand@example.fr."
    pseudonymiser = Pseudonymiser()
    return pseudonymiser, text, pseudonymiser.protect_text(text)


@settings(max_examples=80, deadline=None)
@given(st.integers(min_value=0, max_value=2**32 - 1))
def test_round_trip_through_any_alteration(seed: int) -> None:
    pseudonymiser, text, protected = _run(seed)
    answer = _alter(protected, random.Random(seed))
    assert pseudonymiser.restore(answer) == text
    assert pseudonymiser.missing(answer) == []


@settings(max_examples=80, deadline=None)
@given(st.integers(min_value=0, max_value=2**32 - 1), st.lists(st.integers(min_value=0, max_value=5000), max_size=40))
def test_streamed_restore_equals_whole_restore(seed: int, cuts: list[int]) -> None:
    pseudonymiser, text, protected = _run(seed)
    answer = _alter(protected, random.Random(seed)) + " [NOM_99] NOM"
    restorer = StreamRestorer(pseudonymiser)
    bounds = sorted({c % (len(answer) + 1) for c in cuts} | {0, len(answer)})
    streamed = "".join(restorer.feed(answer[a:b]) for a, b in itertools.pairwise(bounds)) + restorer.finish()
    assert streamed == pseudonymiser.restore(answer) == text + " [NOM_99] NOM"


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="[](){}«» _-\\NnOoMmTtEeLl0123456789\u200b\uff10\uff2e", max_size=40), st.data())
def test_streamed_restore_equals_whole_restore_on_odd_text(answer: str, data: st.DataObject) -> None:
    pseudonymiser = Pseudonymiser()
    pseudonymiser.protect_text("M. Jean DUPONT, 06 12 34 56 78.")
    cuts = data.draw(st.lists(st.integers(min_value=0, max_value=len(answer)), max_size=8))
    restorer = StreamRestorer(pseudonymiser)
    bounds = sorted(set(cuts) | {0, len(answer)})
    streamed = "".join(restorer.feed(answer[a:b]) for a, b in itertools.pairwise(bounds)) + restorer.finish()
    assert streamed == pseudonymiser.restore(answer)


def test_the_stream_holds_back_only_a_bounded_tail() -> None:
    pseudonymiser = Pseudonymiser()
    pseudonymiser.protect_text("M. Jean DUPONT.")
    restorer = StreamRestorer(pseudonymiser)
    shown = "".join(restorer.feed(c) for c in "Réponse à [NOM_1] : " + "x" * 200 + " [ NOM")
    assert shown == "Réponse à Jean DUPONT : " + "x" * 200 + " "
    assert restorer.finish() == "[ NOM"
