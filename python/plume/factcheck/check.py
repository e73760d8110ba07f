"""Which elements of a model's answer the text it was given does not support.

:func:`check` extracts the answer's checkable elements (links, e-mail addresses, phone
numbers, legal references, dates, times, amounts, percentages, numbers, proper names), then
looks for each one in the source, in any equivalent form. It informs, it never blocks: the
findings are shown next to the preview and listed in the AI-marking comment.

Equivalences: a date in any format; an amount with or without its scale (``1,24 M€`` =
``1 240 000 €``) or rounded to the precision the answer writes; a number in digits or in
words; a reference in French or English; a name whatever its case or accents. A bare number
is supported by any number of the source, including a date's day or year.

A count with its unit ("5 jours", "12 agents", "250 m²": see :data:`.numbers.COUNTED`) is
compared with its unit: the source must count the same thing with that value ("cinq jours",
"3 à 5 jours", "5 working days" in a translation), or state the value alone (a table's
"Durée (jours) : 5"), or give it as the sum or difference of two counts of that thing. A 5
that is a date's day, part of a reference or a phone number, or a count of something else
("5 agents") does not support "5 jours"; an amount or a percentage is not supported by a
count of something ("500 agents" does not support "500 €").
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..language import guess_language
from .contacts import Contact, contacts
from .dates import Date, Time, dates, times
from .names import Name, initials, names, normalise, words_of
from .numbers import Quantity, counted_words, quantities, words_values
from .references import Reference, references
from .spans import Span, Taken

KINDS = ("amount", "percent", "number", "date", "time", "reference", "email", "phone", "link", "name")
# Numbers a text uses without stating anything: counting years ("1er"), small list markers.
_ALWAYS_SUPPORTED = frozenset([0.0, 1.0])
_RAW_NUMBER = re.compile(r"\d+")


@dataclass(frozen=True)
class Finding:
    """An element of the answer the source does not support."""

    kind: str  # one of KINDS
    start: int  # position in the answer
    end: int
    text: str
    reason: str  # "not_in_source", or "other_unit" when the value is there with another unit

    def to_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "text": self.text, "start": self.start, "end": self.end, "reason": self.reason}


def check(answer: str, source: str, *, answer_language: str = "", source_language: str = "") -> list[Finding]:
    """The answer's unsupported elements, in text order. Languages default to a guess (fr/en);
    when they differ (a translation), names are compared more leniently, and not at all in
    languages other than French and English (German capitalises every noun)."""
    answer_language = answer_language or guess_language(answer)
    source_language = source_language or guess_language(source)
    translated = answer_language != source_language
    support = Support(source, source_language)
    elements = extract(answer, answer_language, translated=translated, with_names=answer_language in ("fr", "en"))
    findings = [support.judge(element, translated) for element in elements]
    return sorted((f for f in findings if f is not None), key=lambda f: f.start)


def extract(text: str, language: str, *, translated: bool = False, with_names: bool = True) -> list[Span]:
    """Every checkable element, without overlaps: earlier kinds claim their text first."""
    taken = Taken()
    found: list[Span] = [*contacts(text, taken), *references(text, taken), *dates(text, language, taken)]
    found += times(text, taken)
    found += quantities(text, language, taken)
    if with_names:  # a source's names are looked up word by word: extracting them is not needed
        found += names(text, taken, translated=translated)
    return found


@dataclass
class Support:
    """What the source contains, indexed for :meth:`judge`."""

    source: str
    language: str
    quantities: list[Quantity] = field(default_factory=list)
    numbers: set[float] = field(default_factory=set)  # every number written, dates' parts included
    dates: list[tuple[int | None, int, int | None]] = field(default_factory=list)
    times: set[tuple[int, int]] = field(default_factory=set)
    references: set[tuple[str, str]] = field(default_factory=set)
    contacts: set[tuple[str, str]] = field(default_factory=set)
    words: set[str] = field(default_factory=set)
    sums: dict[str, set[float]] = field(default_factory=dict)  # per currency: a + b and |a - b| of two amounts
    acronyms: set[str] = field(default_factory=set)
    counted: dict[str, set[float]] = field(default_factory=dict)  # per thing counted ("day"): its counts
    bare: set[float] = field(default_factory=set)  # values stated alone: no unit, nothing counted, not a date's part

    def __post_init__(self) -> None:
        exact_places = Taken()  # digits that are not counts: parts of dates, times, phone numbers, references
        for element in extract(self.source, self.language, with_names=False):
            if isinstance(element, Date | Time | Contact | Reference):
                exact_places.add(element.start, element.end)
            if isinstance(element, Quantity):
                self.quantities.append(element)
                self.numbers.add(element.value)
                if element.counts:
                    self.counted.setdefault(element.counts, set()).add(element.value)
                elif not element.unit:
                    self.bare.add(element.value)
            elif isinstance(element, Date):
                self.dates += element.values
                self.numbers.update(v for v in (element.year, element.day) if v is not None)
            elif isinstance(element, Time):
                self.times.add((element.hour, element.minute))
                if element.minute == 0:  # "5 h" may be a duration: it counts hours
                    self.counted.setdefault("hour", set()).add(float(element.hour))
            elif isinstance(element, Reference):
                self.references.add((element.family, element.identifier))
            elif isinstance(element, Contact):
                self.contacts.add((element.kind, element.key))
        # Digits inside other tokens ("2026-MP-018", "1590-1792") still state numbers.
        self.numbers.update(
            float(m.group()) for m in _RAW_NUMBER.finditer(self.source) if not exact_places.overlaps(m.start(), m.end())
        )
        self.sums = _sums_and_differences([q for q in self.quantities if (q.unit and q.unit != "%") or q.counts])
        self.numbers.update(words_values(self.source))
        for value, counts in counted_words(self.source):  # "cinq jours": small counts in words too
            if counts:
                self.counted.setdefault(counts, set()).add(value)
            else:
                self.bare.add(value)
        words = [normalise(word) for _, _, word in words_of(self.source)]
        self.words = set(words)
        self.acronyms = initials(words)

    def judge(self, element: Span, translated: bool) -> Finding | None:
        """None when the source supports ``element``; otherwise why not."""
        if isinstance(element, Quantity):
            return self._quantity(element)
        if isinstance(element, Date):
            supported = any(self._date_matches(reading) for reading in element.values)
            return None if supported else _finding("date", element)
        if isinstance(element, Time):
            supported = (element.hour, element.minute) in self.times or (element.minute == 0 and element.hour in self.numbers)
            return None if supported else _finding("time", element)
        if isinstance(element, Reference):
            return None if self._reference(element, translated) else _finding("reference", element)
        if isinstance(element, Contact):
            return None if (element.kind, element.key) in self.contacts else _finding(element.kind, element)
        if isinstance(element, Name):
            known = all(
                self._word(word) or (acronym and word in self.acronyms)
                for word, acronym in zip(element.words, element.acronyms, strict=True)
            )
            return None if known else _finding("name", element)
        return None

    def _quantity(self, quantity: Quantity) -> Finding | None:
        kind = "percent" if quantity.unit == "%" else "amount" if quantity.unit else "number"
        if quantity.counts:
            return self._count(quantity)
        if not quantity.unit and (quantity.value in _ALWAYS_SUPPORTED or any(_rounds_to(v, quantity) for v in self.numbers)):
            return None
        close = [known for known in self.quantities if _rounds_to(known.value, quantity)]
        if any((not known.unit and not known.counts) or known.unit == quantity.unit for known in close):
            return None
        if any(_rounds_to(value, quantity) for value in self.sums.get(quantity.unit, ())):
            return None  # the model added or subtracted two amounts of the source ("the balance")
        return _finding(kind, quantity, "other_unit" if close else "not_in_source")

    def _count(self, quantity: Quantity) -> Finding | None:
        """A count with what it counts: that count in the source, or the value alone."""
        same = self.counted.get(quantity.counts, set()) | self.bare | self.sums.get(_SUM_KEY + quantity.counts, set())
        if any(_rounds_to(value, quantity) for value in same):
            return None
        close = any(_rounds_to(value, quantity) for value in self.numbers)
        return _finding("number", quantity, "other_unit" if close else "not_in_source")

    def _date_matches(self, reading: tuple[int | None, int, int | None]) -> bool:
        year, month, day = reading
        for known_year, known_month, known_day in self.dates:
            if known_month != month or (day is not None and known_day != day):
                continue
            if year is None or known_year == year or (known_year is None and year in self.numbers):
                return True
        return False

    def _reference(self, reference: Reference, translated: bool) -> bool:
        if (reference.family, reference.identifier) in self.references:
            return True
        # Between languages, an "arrêté" may become an "order" or a "decree": the number decides.
        return translated and any(identifier == reference.identifier for _, identifier in self.references)

    def _word(self, word: str) -> bool:
        return word in self.words or all(part in self.words for part in re.split(r"[-']", word) if part)


_MAX_SUMMED = 200  # amounts combined pairwise (the first ones): 20 000 sums at most
_SUM_KEY = "#"  # counts' sums are kept apart from amounts': "#day", beside "EUR"


def _sums_and_differences(amounts: list[Quantity]) -> dict[str, set[float]]:
    """Per currency (amounts) or per thing counted ("#day"), a + b and |a - b| of two of them."""
    combined: dict[str, set[float]] = {}
    kept = amounts[:_MAX_SUMMED]
    for index, first in enumerate(kept):
        key = first.unit or _SUM_KEY + first.counts
        for second in kept[index + 1 :]:
            if key == (second.unit or _SUM_KEY + second.counts):
                combined.setdefault(key, set()).update((first.value + second.value, abs(first.value - second.value)))
    return combined


def _rounds_to(value: float, quantity: Quantity) -> bool:
    """Whether ``value`` written at the answer's precision reads as the answer's value."""
    return abs(value - quantity.value) <= quantity.precision / 2 + 1e-9 * max(1.0, abs(value))


def _finding(kind: str, element: Span, reason: str = "not_in_source") -> Finding:
    return Finding(kind, element.start, element.end, element.text, reason)
