"""A cheap guess of whether a text is French or English, to pick the prompt's language.

Small models follow the language of their instructions more than an instruction to keep
the source's language, so a French text gets French instructions. Anything else falls back
to the caller's default (the UI language); translation uses a real detector.
"""

from __future__ import annotations

import re

_WORDS = re.compile(r"[a-zàâçéèêëîïôûùüÿœæ']+", re.IGNORECASE)
_FRENCH = frozenset(
    [
        "le",
        "la",
        "les",
        "des",
        "du",
        "de",
        "un",
        "une",
        "et",
        "est",
        "sont",
        "pour",
        "par",
        "dans",
        "que",
        "qui",
        "au",
        "aux",
        "ce",
        "cette",
        "il",
        "elle",
        "nous",
        "vous",
        "ne",
        "pas",
        "sur",
        "avec",
    ]
)
_ENGLISH = frozenset(
    [
        "the",
        "of",
        "and",
        "to",
        "in",
        "is",
        "are",
        "for",
        "on",
        "with",
        "that",
        "this",
        "it",
        "be",
        "by",
        "as",
        "at",
        "from",
        "was",
        "were",
        "not",
        "we",
        "you",
    ]
)


def guess_language(text: str, default: str = "fr") -> str:
    words = [w.lower() for w in _WORDS.findall(text[:4000])]
    french = sum(w in _FRENCH for w in words)
    english = sum(w in _ENGLISH for w in words)
    if french == english:
        return default
    return "fr" if french > english else "en"
