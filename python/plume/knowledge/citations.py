"""The citation marks of an answer ([1], [2][3], [1, 4], [2-3]) and where a passage sits,
said the way a person looks for it.

:func:`marks` finds the marks with their positions (the LibreOffice side turns them into
footnotes); :func:`cited` lists the numbers in the order the answer first cites them;
:func:`blanked` hides the marks (same length, so positions in it are positions in the
answer) from the fact check, which would read "[3]" as the number 3; :func:`describe_place`
is a passage's place as a footnote or the command line shows it; :func:`describe_source` the
whole footnote: the file, its date, the place; :func:`footnoted` the answer cut where its
footnotes go (inserting with sources).
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from .types import Passage, Place

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


def describe_source(passage: Passage, lang: str = "fr") -> str:
    """A source as a footnote cites it: "Délibération 2027-014 (deliberation-014.odt), 3 mars
    2027, page 2 — Budget". The file's name, never its folders (they may name a person's
    home); the open document's own passages (no file) give only their place."""
    name = passage.source.replace("\\", "/").rsplit("/", 1)[-1]
    title = passage.title.strip()
    label = f"{title} ({name})" if title and name and title != name else title or name
    return ", ".join(part for part in (label, _date(passage.modified, lang), describe_place(passage.place, lang)) if part)


_MONTHS = {
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre"),
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
           "December"),
}  # fmt: skip


def _date(iso: str, lang: str) -> str:
    """ "2027-03-03T10:00:00" → "3 mars 2027" (fr) or "3 March 2027"; what is not a date stays as it is."""
    match = re.match(r"(\d{4})-(\d{2})-(\d{2})", iso.strip())
    if match is None or not 1 <= int(match.group(2)) <= 12:
        return iso.strip()
    months = _MONTHS.get(lang, _MONTHS["en"])
    day = int(match.group(3))
    return f"{'1er' if day == 1 and lang == 'fr' else day} {months[int(match.group(2)) - 1]} {match.group(1)}"


@dataclass(frozen=True)
class Footnoted:
    """A stretch of the answer, its marks removed, then the footnotes anchored after it."""

    text: str
    notes: tuple[str, ...] = ()


def footnoted(text: str, notes: Mapping[int, str]) -> list[Footnoted]:
    """``text`` cut at its marks: each stretch with the footnotes of the numbers its mark cites
    (``notes``: number → footnote text; a number without one, cited but not sent, gets no
    footnote: the run's notes say so, and its mark goes). The space before a mark goes with it: "3,40 € [1]."
    becomes "3,40 €" + footnote, then ".". Joining the stretches gives the text unmarked."""
    found: list[Footnoted] = []
    position = 0
    for mark in marks(text):
        stretch = text[position : mark.start]
        kept = tuple(notes[n] for n in mark.numbers if n in notes)
        if found and not stretch and kept:  # "[1][2]": one anchor, both notes
            found[-1] = Footnoted(found[-1].text, found[-1].notes + kept)
        else:
            found.append(Footnoted(stretch.rstrip(" \t"), kept))
        position = mark.end
    found.append(Footnoted(text[position:]))
    return [piece for piece in found if piece.text or piece.notes]
