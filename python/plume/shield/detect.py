"""Finding personal data. Identifiers are validated by maintained libraries (``phonenumbers``
for phone numbers, ``python-stdnum`` for NIR, IBAN, SIREN, SIRET and card checksums);
regular expressions only propose candidates. Dates of birth need their context ("né le",
"date de naissance"); postal addresses and people's names are best effort.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Callable, Iterator

import phonenumbers
from stdnum import iban, luhn
from stdnum.fr import nir, siren, siret

from .finding import Finding
from .names import find_names, propagate_mentions

# Order matters: when two findings overlap, the earlier kind wins (validated identifiers first).
KINDS = ("EMAIL", "IBAN", "NIR", "CARTE", "SIRET", "SIREN", "TEL", "NAISSANCE", "ADRESSE", "NOM")


Detector = Callable[[str], Iterator[Finding]]

_EMAIL = re.compile(r"\b[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")
_IBAN = re.compile(r"\b[A-Z]{2}\d{2}(?:[ ]?[A-Z0-9]{4}){2,7}(?:[ ]?[A-Z0-9]{1,3})?\b")
_NIR = re.compile(r"\b[12][ .]?\d{2}[ .]?\d{2}[ .]?(?:\d{2}|2[AB])[ .]?\d{3}[ .]?\d{3}(?:[ .]?\d{2})?\b")
_DIGITS = re.compile(r"\b\d(?:[ .-]?\d){8,18}\b")
_MONEY_AFTER = re.compile(r"^\s*(?:€|euros?|EUR|k€|M€|%)", re.IGNORECASE)
_SIREN_CONTEXT = re.compile(r"(?:siren|siret|rcs|immatricul|n°\s*d'entreprise)", re.IGNORECASE)

_MONTHS = "janvier|février|fevrier|mars|avril|mai|juin|juillet|août|aout|septembre|octobre|novembre|décembre|decembre"
_DATE = rf"(?:\d{{1,2}}[/.-]\d{{1,2}}[/.-]\d{{2,4}}|\d{{1,2}}(?:er)?\s+(?:{_MONTHS})\s+\d{{4}})"
_BIRTH = re.compile(
    rf"(?:\bnée?s?\b|\bdate\s+de\s+naissance\b|\bnaissance\b|\bborn\b|\bdate\s+of\s+birth\b|\bDOB\b)\s*(?:le|:|on)?\s*({_DATE})",
    re.IGNORECASE,
)
_STREET = r"(?:rue|avenue|av\.|boulevard|bd|place|allée|allee|impasse|chemin|route|quai|cours|square|résidence|residence|lotissement|lieu-dit)"
_ADDRESS = re.compile(
    rf"\b\d{{1,4}}(?:\s?(?:bis|ter))?,?\s+{_STREET}\s+[^\n,;]{{2,60}}?"
    rf"(?:(?:,\s*|\s+)\d{{5}}\s+[A-ZÉÈÀ][\w'-]+(?:[ -][A-ZÉÈÀ][\w'-]+)*|(?=[,;.\n]|$))",
    re.IGNORECASE,
)


def find_emails(text: str) -> Iterator[Finding]:
    for m in _EMAIL.finditer(text):
        yield Finding("EMAIL", m.start(), m.end(), m.group())


# Cheap candidates for the (slow) phonenumbers matcher: it only scans these windows.
_PHONE_WINDOW = re.compile(r"(?:\+|\b00)?\(?\d[\d ().-]{7,22}\d")


def find_phones(text: str) -> Iterator[Finding]:
    for window in _PHONE_WINDOW.finditer(text):
        left = max(0, window.start() - 1)
        for finding in _phones_in(text[left : window.end() + 1]):
            yield Finding(finding.kind, finding.start + left, finding.end + left, finding.value)


def _phones_in(text: str) -> Iterator[Finding]:
    for match in phonenumbers.PhoneNumberMatcher(text, "FR", leniency=phonenumbers.Leniency.VALID):
        # The matcher keeps an opening bracket ("(06 12...)"): the same number must read the same.
        raw = match.raw_string
        start = match.start + (len(raw) - len(raw.lstrip("(")))
        value = raw.lstrip("(")
        if value.endswith(")") and "(" not in value:
            value = value[:-1]
        yield Finding("TEL", start, start + len(value), value)


def _validated(pattern: re.Pattern[str], kind: str, valid: Callable[[str], bool]) -> Detector:
    def find(text: str) -> Iterator[Finding]:
        for m in pattern.finditer(text):
            if valid(m.group()):
                yield Finding(kind, m.start(), m.end(), m.group())

    return find


def _numbers(text: str) -> Iterator[Finding]:
    """SIRET, SIREN and payment cards: digit runs with a valid checksum that are not amounts."""
    for m in _DIGITS.finditer(text):
        value = m.group()
        digits = re.sub(r"\D", "", value)
        if _MONEY_AFTER.match(text[m.end() :]):
            continue
        if len(digits) in (13, 15, 16, 19) and digits[0] in "23456" and luhn.is_valid(digits):
            yield Finding("CARTE", m.start(), m.end(), value)
        elif len(digits) == 14 and siret.is_valid(digits):
            yield Finding("SIRET", m.start(), m.end(), value)
        elif len(digits) == 9 and siren.is_valid(digits) and _SIREN_CONTEXT.search(text[max(0, m.start() - 40) : m.start()]):
            # A 9-digit number passes the checksum one time in ten: only with its label.
            yield Finding("SIREN", m.start(), m.end(), value)


def _births(text: str) -> Iterator[Finding]:
    for m in _BIRTH.finditer(text):
        yield Finding("NAISSANCE", m.start(1), m.end(1), m.group(1))


def _addresses(text: str) -> Iterator[Finding]:
    for m in _ADDRESS.finditer(text):
        value = m.group().rstrip(" .")
        yield Finding("ADRESSE", m.start(), m.start() + len(value), value)


DETECTORS: tuple[Detector, ...] = (
    find_emails,
    _validated(_IBAN, "IBAN", lambda v: iban.is_valid(v)),
    _validated(_NIR, "NIR", lambda v: nir.is_valid(re.sub(r"[ .]", "", v))),
    _numbers,
    find_phones,
    _births,
    _addresses,
    find_names,
)


def detect(text: str) -> list[Finding]:
    """Every piece of personal data found, without overlaps, in text order."""
    candidates = [f for detector in DETECTORS for f in detector(text)]
    candidates.sort(key=lambda f: (KINDS.index(f.kind), f.start, -(f.end - f.start)))
    starts: list[int] = []  # kept findings, sorted by start: they never overlap each other
    kept: list[Finding] = []
    for finding in candidates:
        index = bisect.bisect_left(starts, finding.start)
        overlaps_before = index > 0 and kept[index - 1].end > finding.start
        overlaps_after = index < len(kept) and kept[index].start < finding.end
        if not (overlaps_before or overlaps_after):
            starts.insert(index, finding.start)
            kept.insert(index, finding)
    return propagate_mentions(text, kept)
