"""The offline sentence splitter and language names."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from plume.translation.languages import LANGUAGES, name_in, own_name, picker_label
from plume.translation.sentences import split_sentences


def test_splits_on_sentence_ends() -> None:
    assert split_sentences("Bonjour. Comment allez-vous ? Très bien !") == ["Bonjour.", "Comment allez-vous ?", "Très bien !"]


def test_does_not_split_after_abbreviations_initials_or_before_lowercase() -> None:
    text = "M. Dupont et Mme. Martin citent l'art. 3 du code. J. Durand répond, etc. et conclut."
    assert split_sentences(text) == ["M. Dupont et Mme. Martin citent l'art. 3 du code.", "J. Durand répond, etc. et conclut."]


def test_keeps_closing_quotes_with_their_sentence() -> None:
    assert split_sentences("Il a dit « oui. » Puis il est parti.") == ["Il a dit « oui. »", "Puis il est parti."]


@given(st.text(alphabet=st.sampled_from("abc ABC.!?\n«»"), max_size=80))
def test_splitting_loses_no_text(text: str) -> None:
    assert "".join(split_sentences(text)).replace(" ", "").replace("\n", "") == text.replace(" ", "").replace("\n", "")


def test_language_names() -> None:
    assert own_name("de") == "Deutsch" and name_in("de", "fr") == "allemand" and name_in("de", "en") == "German"
    assert picker_label("ar", "fr") == "العربية — arabe"
    assert picker_label("fr", "fr") == "Français"  # not "Français — français"
    assert own_name("xx") == "xx"
    assert all(len(names) == 3 and all(names) for names in LANGUAGES.values())
