from __future__ import annotations

import itertools

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from plume.cleaning import StreamCleaner, clean

CASES = [
    ("<think>Je réfléchis.</think>\nLe conseil a voté.", "Le conseil a voté."),
    ("Voici le résumé :\n\nLe conseil a voté.", "Le conseil a voté."),
    ("Bien sûr ! Voici le texte reformulé : Madame, Monsieur,", "Madame, Monsieur,"),
    ("Here is the rewritten text:\nDear Sir or Madam,", "Dear Sir or Madam,"),
    ("Sure, here's a summary of the text:\n- one\n- two", "- one\n- two"),
    ("**Résumé :**\nLe maire signe.", "Le maire signe."),
    ("Résumé : le maire signe.", "le maire signe."),
    ('"Le maire signe."', "Le maire signe."),
    ("« Le maire signe. »", "Le maire signe."),
    ("```\nLe maire signe.\n```", "Le maire signe."),
    ("```text\nLe maire signe.\n```\n", "Le maire signe."),
    ("<think>a</think><think>b</think>Texte", "Texte"),
    ("<think>never closed", ""),
    ("  Le maire signe.  \n", "Le maire signe."),
    ("« Le maire signe.\n\nL'adjoint contresigne. »", "Le maire signe.\n\nL'adjoint contresigne."),
    ("\"Le maire signe.\nL'adjoint aussi.", "Le maire signe.\nL'adjoint aussi."),  # never closed
    ("En réponse :\nLe maire signe.", "Le maire signe."),
    ("## Texte reformulé :\nLe maire signe.", "Le maire signe."),
]

KEPT = [
    "Voici les mesures adoptées par le conseil municipal.",
    "« Le maire » a signé l'arrêté, puis « l'adjoint ».",
    '"Oui", dit-il. Puis il partit.',
    "Le texte de l'arrêté : article 1.",
    "Textes en vigueur.\nArticle 2.",
    "Ok.",
    "« Oui », dit le maire.\nLa séance est levée.",
    "En résumé, le conseil a voté.",
    "Résumé des travaux de l'école : trois chantiers.",  # more than a label and two words
    "Textile : la filière recrute.",
    "**Objet** : travaux.",
]


@pytest.mark.parametrize(("raw", "expected"), CASES)
def test_wrapping_is_removed(raw: str, expected: str) -> None:
    assert clean(raw) == expected


@pytest.mark.parametrize("raw", KEPT)
def test_answers_that_only_look_like_wrapping_are_kept(raw: str) -> None:
    assert clean(raw) == raw


def _streamed(raw: str, cuts: list[int]) -> str:
    cleaner = StreamCleaner()
    bounds = sorted({c % (len(raw) + 1) for c in cuts} | {0, len(raw)})
    out = [cleaner.feed(raw[a:b]) for a, b in itertools.pairwise(bounds)]
    return "".join(out) + cleaner.finish()


@pytest.mark.parametrize("raw", [c[0] for c in CASES] + KEPT)
def test_one_character_at_a_time_gives_the_same_text(raw: str) -> None:
    assert _streamed(raw, list(range(len(raw)))) == clean(raw)


PIECES = st.sampled_from(
    [
        "<think>",
        "</think>",
        "<th",
        "ink>",
        "Voici",
        " le résumé",
        " :",
        "\n",
        "```",
        "`",
        '"',
        "«",
        "»",
        " ",
        "**",
        "Le conseil",
        " a voté",
        ".",
        "Here is",
        " the text:",
        "Résumé",
        "é",
        "ok",
        "En",
        " réponse",
        "Texte",
        " des travaux",
        " de l'école",
        "*",
        "#",
        ",",
        "Bien sûr",
        " et le conseil municipal a voté le budget de l'école primaire pour l'année qui vient,",  # past the limits in a few pieces
    ]
)


@settings(max_examples=400, deadline=None)
@given(st.lists(PIECES, max_size=14), st.lists(st.integers(min_value=0, max_value=200), max_size=8))
@example(parts=["Résumé", "\n", " :"], cuts=[7])  # a preamble's colon on the next line
def test_any_split_of_any_answer_gives_the_same_text(parts: list[str], cuts: list[int]) -> None:
    raw = "".join(parts)
    assert _streamed(raw, cuts) == clean(raw)


def test_nothing_ambiguous_is_held_once_the_start_is_decided() -> None:
    cleaner = StreamCleaner()
    assert cleaner.feed("Voici le résumé :\n") == ""
    assert cleaner.feed("Le conseil ") == "Le conseil"
    assert cleaner.feed("a voté") == " a voté"


def test_a_first_line_that_only_starts_like_a_label_streams_before_its_line_break() -> None:
    # "Résumé des travaux…" cannot become "Résumé du texte :" past its third word: holding
    # it until the line break left the preview empty while the model wrote a whole paragraph.
    cleaner = StreamCleaner()
    assert cleaner.feed("Résumé des travaux") == ""  # may still be "Résumé des travaux :"
    assert cleaner.feed(" de l'école") == "Résumé des travaux de l'école"
    assert cleaner.feed(" Jules-Ferry.") == " Jules-Ferry."


def test_an_answer_wrapped_in_quotes_streams_before_its_end() -> None:
    # A quote still open at the first line break (or after 200 characters) wraps the answer:
    # without that rule the preview stayed empty until the model was done.
    sentence = "Le conseil municipal a voté le budget de l'école. "
    cleaner = StreamCleaner()
    shown = cleaner.feed("« " + sentence * 3)
    assert shown == ""  # one line so far, shorter than the limit: it may still be a quotation
    shown += cleaner.feed(sentence * 2)
    assert shown.startswith("Le conseil") and "«" not in shown, "past the limit, the quote wraps the answer"
    shown += cleaner.feed("»")
    assert shown + cleaner.finish() == clean("« " + sentence * 5 + "»") == (sentence * 5).strip()
