"""Dates and times in French and English, reduced to comparable values.

``3 avril 2026``, ``03/04/2026``, ``2026-04-03``, ``April 3, 2026`` and ``3rd April 2026``
are the same day; ``en mai 2026`` and ``avril`` are a month (day or year unknown). Numeric
dates are day first, except in English text, where ``04/03/2026`` may be either way round.
Times: ``14h30``, ``14 h``, ``14:30``, ``2:30 pm``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from .spans import Span, Taken

_MONTHS = {
    "janvier": 1, "janv": 1, "février": 2, "fevrier": 2, "févr": 2, "fevr": 2, "mars": 3, "avril": 4, "avr": 4,
    "mai": 5, "juin": 6, "juillet": 7, "juil": 7, "août": 8, "aout": 8, "septembre": 9, "octobre": 10,
    "novembre": 11, "décembre": 12, "decembre": 12, "déc": 12,
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3, "april": 4, "apr": 4, "may": 5,
    "june": 6, "jun": 6, "july": 7, "jul": 7, "august": 8, "aug": 8, "september": 9, "sept": 9, "sep": 9,
    "october": 10, "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
}  # fmt: skip
_MONTH = "|".join(sorted(map(re.escape, _MONTHS), key=len, reverse=True))
_DAY = r"(?P<day>[0-3]?\d)(?:er|re|st|nd|rd|th)?\.?"
_YEAR = r"(?P<year>\d{4})(?!\d)"
_DAY_MONTH = re.compile(rf"(?<![\w/.-]){_DAY}\s+(?:of\s+)?(?P<month>{_MONTH})\b\.?(?:,?\s+{_YEAR})?", re.IGNORECASE)
_MONTH_DAY = re.compile(
    rf"\b(?P<month>{_MONTH})\b\.?\s+(?P<day>[0-3]?\d)(?:st|nd|rd|th)?(?![\d:])(?:,?\s+{_YEAR})?", re.IGNORECASE
)
_MONTH_YEAR = re.compile(rf"\b(?P<month>{_MONTH})\b\.?\s+{_YEAR}", re.IGNORECASE)
_NUMERIC = re.compile(r"(?<![\w/.-])(?P<a>[0-3]?\d)([/.-])(?P<b>[01]?\d)\2(?P<year>\d{4}|\d{2})(?![\w/])")
_ISO = re.compile(r"(?<![\w/.-])(?P<year>\d{4})-(?P<month>[01]\d)-(?P<day>[0-3]\d)(?![\w-])")
# A month on its own ("en avril"): full names only, and English ones capitalised ("may" is a verb).
_MONTH_ALONE = re.compile(r"\b(?:janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|"
                          r"décembre|decembre|January|February|March|April|May|June|July|August|September|October|"
                          r"November|December)\b")  # fmt: skip
_TIME_FR = re.compile(r"(?<![\w:.])(?P<hour>[01]?\d|2[0-3])\s?h\s?(?P<minute>[0-5]\d)?(?![\w])")
_TIME_COLON = re.compile(r"(?<![\w:.])(?P<hour>[01]?\d|2[0-3]):(?P<minute>[0-5]\d)(?:\s?(?P<half>[ap]\.?m\.?))?(?![\w:])",
                         re.IGNORECASE)  # fmt: skip
_TIME_HALF = re.compile(r"(?<![\w:.])(?P<hour>1[0-2]|0?\d)\s?(?P<half>[ap]\.?m\.?)(?!\w)", re.IGNORECASE)


@dataclass(frozen=True)
class Date(Span):
    """A date, or part of one: unknown fields are None. ``readings`` holds the other way of
    reading an ambiguous numeric date (English texts)."""

    year: int | None
    month: int
    day: int | None
    readings: tuple[tuple[int | None, int, int | None], ...] = ()

    @property
    def values(self) -> tuple[tuple[int | None, int, int | None], ...]:
        return ((self.year, self.month, self.day), *self.readings)


@dataclass(frozen=True)
class Time(Span):
    hour: int
    minute: int


def dates(text: str, language: str, taken: Taken) -> Iterator[Date]:
    """Dates outside ``taken``; each one found is added to ``taken``."""
    # "April 3" is English order only: in French, "en mars 12 communes..." is not the 12th.
    patterns = (_ISO, _NUMERIC, _DAY_MONTH, *((_MONTH_DAY,) if language == "en" else ()), _MONTH_YEAR, _MONTH_ALONE)
    for pattern in patterns:
        for match in pattern.finditer(text):
            if taken.overlaps(match.start(), match.end()):
                continue
            date = _date(match, pattern, language, text)
            if date is not None and taken.claim(date.start, date.end):
                yield date
                first_day = _range_start(text, date, taken)
                if first_day is not None:
                    yield first_day


def times(text: str, taken: Taken) -> Iterator[Time]:
    for pattern in (_TIME_COLON, _TIME_HALF, _TIME_FR):
        for match in pattern.finditer(text):
            if not taken.claim(match.start(), match.end()):
                continue
            hour, minute = int(match.group("hour")), int(match.groupdict().get("minute") or 0)
            half = (match.groupdict().get("half") or "").lower().replace(".", "")
            if half == "pm" and hour < 12:
                hour += 12
            elif half == "am" and hour == 12:
                hour = 0
            yield Time(match.start(), match.end(), match.group(), hour, minute)


def _date(match: re.Match[str], pattern: re.Pattern[str], language: str, text: str) -> Date | None:
    found = match.groupdict()
    year = _year(found.get("year"))
    if pattern is _MONTH_ALONE:
        return Date(match.start(), match.end(), match.group(), None, _MONTHS[match.group().lower()], None)
    if pattern is _NUMERIC:
        first, second = int(found["a"]), int(found["b"])
        readings = [(year, second, first)] if 1 <= second <= 12 and 1 <= first <= 31 else []
        if language == "en" and 1 <= first <= 12 and 1 <= second <= 31 and first != second:
            readings.append((year, first, second))
        if not readings:
            return None
        (y, m, d), *others = readings
        return Date(match.start(), match.end(), match.group(), y, m, d, tuple(others))
    month = int(found["month"]) if found["month"].isdigit() else _MONTHS[found["month"].lower()]
    day = int(found["day"]) if found.get("day") else None
    if (day is not None and not 1 <= day <= 31) or not 1 <= month <= 12:
        return None
    end = match.end()
    if text[end - 1 : end] == ".":
        end -= 1  # maybe the sentence's full stop: the highlight stops before it
    return Date(match.start(), end, text[match.start() : end], year, month, day)


_RANGE_START = re.compile(r"(?<![\w/.-])(?P<day>[0-3]?\d)(?:er|re|st|nd|rd|th)?\s*(?:au|à|et|-|–|to|and|&)\s*$", re.IGNORECASE)


def _range_start(text: str, date: Date, taken: Taken) -> Date | None:
    """ "du 5 au 30 mai 2026", "from 5 to 30 May": the first day of a range is a date too."""
    if date.day is None:
        return None
    match = _RANGE_START.search(text, max(0, date.start - 12), date.start)
    if match is None or not 1 <= int(match.group("day")) <= 31 or not taken.claim(match.start("day"), match.end("day")):
        return None
    return Date(match.start("day"), match.end("day"), match.group("day"), date.year, date.month, int(match.group("day")))


def _year(raw: str | None) -> int | None:
    if not raw:
        return None
    value = int(raw)
    return value + 2000 if len(raw) == 2 else value
