"""The citation marks of an answer ([1], [2][3], [1, 4], [2-3]) and where a passage sits,
said the way a person looks for it.

:func:`marks` finds the marks with their positions (the LibreOffice side turns them into
footnotes); :func:`cited` lists the numbers in the order the answer first cites them;
:func:`blanked` hides the marks (same length, so positions in it are positions in the
answer) from the fact check, which would read "[3]" as the number 3; :func:`describe_place`
is a passage's place as a footnote or the command line shows it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .types import Place

# "[1]", "[1, 2]", "[1;2]", "[2-3]", "[2–4]", "[1 et 2]", "[1 and 2]"; a mark is short by
# design: a model that writes "[12345]" cites nothing we sent (see ``unknown`` in AskRun).
_MARK = re.compile(
    r"\[\s*(?P<body>\d{1,4}(?:\s*(?:[,;]|[-–]|\bet\b|\band\b)\s*\d{1,4})*)\s*\]",
)
_RANGE = re.compile(r"(\d{1,4})\s*[-–]\s*(\d{1,4})")
_MAX_RANGE = 50  # "[1-9999]" cites nothing: more numbers than any answer is sent


@dataclass(frozen=True)
class Mark:
    """One citation mark in the answer: ``text[start:end]`` cites ``numbers``."""

    start: int
    end: int
    numbers: tuple[int, ...]


def marks(text: str) -> list[Mark]:
    """Every citation mark of ``text``, in order."""
    found = []
    for match in _MARK.finditer(text):
        numbers: list[int] = []
        body = match.group("body")
        for part in re.split(r"\s*(?:[,;]|\bet\b|\band\b)\s*", _RANGE.sub(_expanded, body)):
            if part.strip().isdigit():
                numbers.append(int(part))
        found.append(Mark(match.start(), match.end(), tuple(dict.fromkeys(numbers))))
    return found


def _expanded(match: re.Match[str]) -> str:
    first, last = int(match.group(1)), int(match.group(2))
    if first > last or last - first > _MAX_RANGE:
        return f"{first}, {last}"
    return ", ".join(str(n) for n in range(first, last + 1))


def cited(text: str) -> list[int]:
    """The numbers ``text`` cites, each once, in the order it first cites them."""
    return list(dict.fromkeys(n for mark in marks(text) for n in mark.numbers))


def blanked(text: str) -> str:
    """``text`` with its citation marks replaced by spaces (same length)."""
    return _MARK.sub(lambda m: " " * len(m.group()), text)


_PLACE_WORDS = {
    "fr": {"page": "page {n}", "paragraph": "§ {n}"},
    "en": {"page": "page {n}", "paragraph": "¶ {n}"},
}


def describe_place(place: Place, lang: str = "fr") -> str:
    """ "page 3 — Budget > Cantine — § 12": what is known of the place, most telling first;
    empty for a passage with no place (a short text)."""
    words = _PLACE_WORDS.get(lang, _PLACE_WORDS["en"])
    parts = []
    if place.page is not None:
        parts.append(words["page"].format(n=place.page))
    if place.section:
        parts.append(place.section)
    if place.paragraph is not None:
        parts.append(words["paragraph"].format(n=place.paragraph))
    return " — ".join(parts)
