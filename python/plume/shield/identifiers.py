"""Identifiers written with digits: phone numbers, NIR, IBAN, RIB, SIRET, SIREN, payment
cards, vehicle plates, and the numbers that only a label tells apart (tax number, CAF
number, identity card, passport, driving licence).

One cheap pattern finds *digit runs* (digits joined by any separator of
:mod:`.typography`); a run is then read by its digit count and its checksum, so that
"06 12 34 56 78", "06\u202f12\u202f34\u202f56\u202f78" and "06.12.34.56.78" are read alike
and a value is always the exact text. Numbers with a checksum (NIR key, IBAN mod 97, RIB
key, Luhn) are validated; numbers without one need their label within a few words before.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from stdnum import iban
from stdnum.fr import nir, siren, siret

from .finding import Finding
from .phones import phone_length
from .typography import GAP, RUN_CHARS, SEPARATOR, SPACES, digit_ends, digits_of

# Digits joined by separators, at least 9 characters; "+" opens an international number.
# (A plain character class first lets the regex engine skip ahead fast: 4x the speed.)
_RUN = re.compile(rf"[+0-9]{RUN_CHARS}{{7,}}[0-9]")
# In a label's window: at least 7 digits ("allocataire n° 1234567").
_SHORT_RUN = re.compile(rf"[0-9]{RUN_CHARS}{{5,}}[0-9]")
_NEXT_START = re.compile(r"[+0-9]")
# After an amount: its decimals, then a currency or a unit.
_MONEY_AFTER = re.compile(rf"(?:[,.][0-9]+)?[{SPACES}]*(?:€|euros?\b|EUR\b|k€|M€|%|HT\b|TTC\b)", re.IGNORECASE)
_SIREN_CONTEXT = re.compile(r"siren|siret|rcs|immatricul|n°\s*d'entreprise")


def _glued(text: str, start: int, end: int) -> bool:
    """The run is part of a word ("W691234567", "FR76...") or of a decimal number ("0,1234567")."""
    if start:
        before = text[start - 1]
        if before.isalnum() or before == "_":
            return True
        if before in ",." and start > 1 and text[start - 2].isdigit():
            return True
    return end < len(text) and text[end].isalpha()


def nir_plausible(digits: str) -> bool:
    """A NIR without its key (13 digits): sex, year, month (01-12, or 20-99 when unknown per
    INSEE), department, commune and order number not zero. Corsica's 2A/2B are handled by
    the caller (digits only here)."""
    return (
        len(digits) == 13
        and digits[0] in "1278"
        and ("01" <= digits[3:5] <= "12" or digits[3:5] >= "20")
        and digits[5:7] != "00"
        and digits[7:10] != "000"
        and digits[10:13] != "000"
    )


_RIB_LETTERS = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "12345678912345678923456789")


def rib_valid(bank: str, branch: str, account: str, key: str) -> bool:
    """The RIB key: 97 - (89 bank + 15 branch + 3 account) mod 97, letters of the account
    read as digits (A, J -> 1; B, K, S -> 2...)."""
    number = account.upper().translate(_RIB_LETTERS)
    if not (bank + branch + number + key).isdigit():
        return False
    return int(key) == 97 - (89 * int(bank) + 15 * int(branch) + 3 * int(number)) % 97


_DOUBLED = (0, 2, 4, 6, 8, 1, 3, 5, 7, 9)


def _luhn(digits: str) -> bool:
    """The Luhn check (cards; a fast prefilter before ``python-stdnum`` for SIRET and SIREN)."""
    odd = sum(int(c) for c in digits[-1::-2])
    even = sum(_DOUBLED[int(c)] for c in digits[-2::-2])
    return (odd + even) % 10 == 0


def _card(digits: str) -> bool:
    return len(digits) in (13, 15, 16, 19) and digits[0] in "23456" and _luhn(digits)


def _whole(lower: str, start: int, value: str, digits: str) -> str | None:
    """The kind of a whole digit run, or None."""
    n = len(digits)
    if value[0] == "+" or digits.startswith("00"):
        return None
    if n == 15:
        return "NIR" if nir.is_valid(digits) else "CARTE" if _card(digits) else None
    if n == 14:
        # (La Poste's establishments have their own rule: stdnum knows it.)
        return "SIRET" if (_luhn(digits) or digits.startswith("356000000")) and siret.is_valid(digits) else None
    if n == 13:
        return "NIR" if nir_plausible(digits) else "CARTE" if _card(digits) else None
    if n == 23:
        return "RIB" if rib_valid(digits[:5], digits[5:10], digits[10:21], digits[21:]) else None
    if n in (16, 19):
        return "CARTE" if _card(digits) else None
    if n == 9 and _luhn(digits) and siren.is_valid(digits) and _SIREN_CONTEXT.search(lower, max(0, start - 40), start):
        # A 9-digit number passes the checksum one time in ten: only with its label.
        return "SIREN"
    return None


# The start of an IBAN whose account has letters ("GB21 BARC "): what follows is its rest.
_IBAN_HEAD = re.compile(rf"[A-Z]{{2}}[0-9]{{2}}(?:{SEPARATOR}?[A-Z0-9]{{4}}){{0,4}}{SEPARATOR}?$")


def _in_iban(text: str, start: int) -> bool:
    return start > 1 and text[start - 2].isupper() and _IBAN_HEAD.search(text, max(0, start - 30), start) is not None


def numbers(text: str, lower: str) -> Iterator[Finding]:
    """Phone numbers, NIR, SIRET, SIREN, RIB and cards in the digit runs of ``text``
    (``lower`` is ``text`` in lower case, same length)."""
    for m in _RUN.finditer(text):
        value = m.group()
        digits = digits_of(value)
        # Dates and amounts, the most common runs, have fewer than 9 digits: dropped first.
        if len(digits) >= 9 and not _glued(text, m.start(), m.end()) and not _in_iban(text, m.start()):
            yield from _read_run(text, lower, m.start(), m.end(), value, digits)


def phones(text: str) -> Iterator[Finding]:
    return (f for f in numbers(text, text.lower()) if f.kind == "TEL")


def _read_run(text: str, lower: str, start: int, end: int, value: str, digits: str) -> Iterator[Finding]:
    if _MONEY_AFTER.match(text, end):
        return
    if len(digits) == 10 and value[0] != "+":  # the commonest run: a French phone number alone
        length = phone_length(value, digits, digit_ends(value))
        if length:
            yield Finding("TEL", start, start + length, value)
        return
    kind = _whole(lower, start, value, digits)
    if kind:
        yield Finding(kind, start, end, value)
        return
    # Phone numbers, maybe followed by more digits ("04 72 10 30 30 / 06 12 34 56 78"): read
    # from the run's start, a bounded stretch at a time (a long run stays linear).
    while True:
        stop = min(end, start + _PHONE_STRETCH)
        while stop < end and text[stop].isdigit():
            stop += 1
        head = text[start:stop]
        head_digits = digits_of(head)
        length = phone_length(head, head_digits, digit_ends(head)) if len(head_digits) >= 9 else 0
        if not length:
            return
        yield Finding("TEL", start, start + length, head[:length])
        rest = _NEXT_START.search(text, start + length, end)
        if rest is None:
            return
        start = rest.start()


_PHONE_STRETCH = 48  # characters: the longest phone number with its separators, and more


# --- identifiers with letters -------------------------------------------------------------

# At most 30 more letters and digits: an IBAN has 34 at most (and a long run stays cheap).
_IBAN_BODY = re.compile(rf"(?:(?:{GAP})?[A-Z0-9]){{1,30}}")
_SEPARATORS = re.compile(rf"{GAP}")


_IBAN_DIGITS = str.maketrans({chr(c): str(c - 55) for c in range(ord("A"), ord("Z") + 1)})


def _mod97(compact: str) -> bool:
    """The IBAN check (ISO 7064 mod 97-10), cheap enough to try every cut before stdnum."""
    return int((compact[4:] + compact[:4]).translate(_IBAN_DIGITS)) % 97 == 1


# stdnum's IBAN check is its mod 97 (done above), the country's BBAN structure and, for a few
# countries, a national check. The structure depends only on the shape of the BBAN (which
# characters are digits or letters): stdnum's verdict on one IBAN holds for every IBAN of the
# same country and shape, where the country has no national check.
_NATIONAL_CHECKS = frozenset(["BE", "ES", "ME", "NO"])
_IBAN_SHAPES: dict[tuple[str, str], bool] = {}
_SHAPE = str.maketrans("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ", "9999999999" + "A" * 26)


def _valid_iban(compact: str) -> bool:
    if not _mod97(compact):
        return False
    country = compact[:2]
    if country in _NATIONAL_CHECKS:
        return iban.is_valid(compact)
    key = (country, compact[4:].translate(_SHAPE))
    if key not in _IBAN_SHAPES:
        if len(_IBAN_SHAPES) > 4096:
            _IBAN_SHAPES.clear()
        _IBAN_SHAPES[key] = iban.is_valid(compact)
    return _IBAN_SHAPES[key]


def _iban_at(text: str, start: int, body_start: int) -> Finding | None:
    """The IBAN starting at ``start`` (country, 2 check digits, then the account grouped by 4
    or not, with any separator): the longest prefix, cut between groups, whose mod-97 check
    holds."""
    if start and (text[start - 1].isalnum() or text[start - 1] == "_"):
        return None
    body = _IBAN_BODY.match(text, body_start)
    end = body.end() if body else body_start
    cuts = [end, *[s.start() for s in _SEPARATORS.finditer(text, body_start, end)][::-1]]
    for cut in cuts:
        value = text[start:cut]
        compact = "".join(c for c in value if c.isalnum())
        if len(compact) < 15:
            break
        if (cut == len(text) or not text[cut].isalnum()) and _valid_iban(compact):
            return Finding("IBAN", start, cut, value)
    return None


# Plates: SIV since 2009 ("AB-123-CD"; I, O and U are never used) and the former FNI
# ("1234 AB 56": up to 4 digits, 2 or 3 letters, the department).
_PLATE_LETTERS = "[A-HJ-NP-TV-Z]"
_PLATE_SEP = f"[-{SPACES}]"
_SIV = re.compile(rf"{_PLATE_LETTERS}{{2}}{_PLATE_SEP}?[0-9]{{3}}{_PLATE_SEP}?{_PLATE_LETTERS}{{2}}(?![\w-])")
_FNI = re.compile(rf"(?<![\w-])[0-9]{{1,4}}[{SPACES}]([A-Z]{{2,3}})[{SPACES}](?:0[1-9]|[1-8][0-9]|9[0-5]|2[AB]|97[1-6])(?![\w-])")
# Letters that are words or units, not a plate's series ("12 BIS 75", "300 KM 20").
NOT_PLATE_SERIES = frozenset(
    [
        "BIS",
        "TER",
        "HT",
        "TTC",
        "EUR",
        "KM",
        "CM",
        "MM",
        "KG",
        "MW",
        "KW",
        "GO",
        "MO",
        "TO",
        "ET",
        "OU",
        "AU",
        "DU",
        "DE",
        "LE",
        "LA",
        "LES",
        "DES",
        "UN",
        "CE",
        "EN",
        "NO",
        "RUE",
        "BD",
        "AV",
        "CS",
        "BP",
        "ZI",
        "ZA",
        "SA",
        "SAS",
    ]
)
# Two capitals, then what may follow them in an IBAN ("FR76"), a SIV plate ("AB-123") or
# a FNI plate ("1234 AB 56"): one scan of the text for the three.
_CAPITALS = re.compile(
    rf"[A-Z][A-Z](?:([{SPACES}]?[0-9][0-9])|({_PLATE_SEP}?[0-9][0-9][0-9])|[A-Z]?[{SPACES}](?:[0-9][0-9]|2[AB]))"
)


def capitals(text: str) -> Iterator[Finding]:
    """IBANs and vehicle plates."""
    position = 0
    while (m := _CAPITALS.search(text, position)) is not None:
        start = m.start()
        position = start + 1
        found = _iban_at(text, start, m.end(1)) if m.group(1) else None
        if found is None and (m.group(2) or (m.group(1) and text[start + 4 : start + 5].isdigit())):
            siv = _SIV.match(text, start)
            if siv and (start == 0 or not (text[start - 1].isalnum() or text[start - 1] in "-_")):
                found = Finding("PLAQUE", start, siv.end(), siv.group())
        if found is None and (m.group(1) is None or m.group(1)[0] in SPACES):  # "1234 AB 56"
            fni = _FNI.search(text, max(0, start - 5), min(len(text), m.end() + 2))
            if fni and fni.group(1) not in NOT_PLATE_SERIES:
                found = Finding("PLAQUE", fni.start(), fni.end(), fni.group())
        if found is not None:
            yield found
            position = found.end


# A RIB whose account number has letters (the all-digit ones are digit runs): near its label.
_RIB = re.compile(rf"(?<![\w])([0-9]{{5}})(?:{GAP})?([0-9]{{5}})(?:{GAP})?([0-9A-Z]{{11}})(?:{GAP})?([0-9]{{2}})(?![\w])")


_CORSICAN_NIR = re.compile(
    rf"(?<![\w])[12](?:{GAP})?[0-9]{{2}}(?:{GAP})?[0-9]{{2}}(?:{GAP})?2[ABab](?:{GAP})?[0-9]{{3}}(?:{GAP})?[0-9]{{3}}"
    rf"(?:(?:{GAP})?[0-9]{{2}})?(?![\w])"
)


def corsican_nirs(text: str) -> Iterator[Finding]:
    """NIR of people born in Corsica (department 2A or 2B), with or without their key: read
    around each "2A" or "2B" of the text."""
    last = -1
    for department in ("2A", "2B", "2a", "2b"):
        position = text.find(department)
        while position >= 0:
            m = _CORSICAN_NIR.search(text, max(0, position - 12), min(len(text), position + 20))
            if m is not None and m.start() > last:
                compact = "".join(c for c in m.group() if c.isalnum()).upper()
                if nir.is_valid(compact) or (len(compact) == 13 and nir_plausible(compact[:5] + "20" + compact[7:])):
                    yield Finding("NIR", m.start(), m.end(), m.group())
                    last = m.start()
            position = text.find(department, position + 2)


# --- numbers that only their label tells apart ------------------------------------------

_WINDOW = 80  # characters after the label where the number may be
_PASSPORT = re.compile(rf"(?<![\w])[0-9]{{2}}{SEPARATOR}?[A-Z]{{2}}{SEPARATOR}?[0-9]{{5}}(?![\w])")
# New identity card (2021): 9 letters and digits, both present.
_ALNUM_9 = re.compile(r"(?<![\w])(?=[A-Z]*[0-9])(?=[0-9]*[A-Z])[A-Z0-9]{9}(?![\w])")
# Driving licence: 12 digits (former) or letters and digits.
_LICENCE = re.compile(r"(?<![\w])(?=[A-Z]*[0-9])(?=[0-9]*[A-Z])[A-Z0-9]{9,15}(?![\w])")
_YEAR_AND_NUMBER = re.compile(rf"(?:19|20)[0-9]{{2}}{SEPARATOR}")  # "2026-114": a deliberation

# kind -> (labels, word boundaries needed, digit counts of a digit-run value, pattern for
# values with letters). Labels are looked up in lower case.
_LABELLED: tuple[tuple[str, tuple[str, ...], tuple[int, ...], re.Pattern[str] | None], ...] = (
    ("FISCAL", ("fiscal", "spi"), (13,), None),
    ("CAF", ("allocataire", "caf"), (7,), None),
    ("CNI", ("identité", "identite", "cni"), (12,), _ALNUM_9),
    ("PERMIS", ("permis",), (12,), _LICENCE),
    ("PASSEPORT", ("passeport", "passport"), (), _PASSPORT),
    # Residence permit ("titre de séjour", "carte de séjour"): its AGDREF number has 10
    # digits and does not start with 0 (a phone number does).
    ("SEJOUR", ("de séjour", "de sejour", "agdref"), (10,), None),
    # A RIB with letters in its account, or an account number alone (a RIB written as fields:
    # "Banque 30006 Guichet 00001 Compte 12345678901 Clé 89").
    ("RIB", ("rib", "relevé d'identité bancaire", "compte"), (11,), _RIB),
)
_SHORT_LABELS = frozenset(["spi", "caf", "cni", "rib"])
_NOT_IDENTITY_CARD = re.compile(r"\s+bancaire")  # "relevé d'identité bancaire": a RIB
_NOT_LICENCE = re.compile(r"\s+(?:de\s+construire|d'aménager|de\s+démolir|d’aménager)")


def _labels(lower: str, label: str) -> Iterator[int]:
    """End offsets of ``label`` in ``lower`` (a whole word for short labels)."""
    position = lower.find(label)
    while position >= 0:
        end = position + len(label)
        if label not in _SHORT_LABELS or (
            (position == 0 or not lower[position - 1].isalnum()) and (end == len(lower) or not lower[end].isalnum())
        ):
            yield end
        position = lower.find(label, end)


def labelled(text: str, lower: str) -> Iterator[Finding]:
    """Numbers found after their label: tax number (13 digits starting 0-3), CAF number (7
    digits), identity card, driving licence and passport numbers."""
    for kind, labels, counts, pattern in _LABELLED:
        for label in labels:
            for after in _labels(lower, label):
                if kind == "PERMIS" and _NOT_LICENCE.match(lower, after):
                    continue
                if kind == "CNI" and _NOT_IDENTITY_CARD.match(lower, after):
                    continue
                found = _labelled_value(text, kind, after, min(len(text), after + _WINDOW), counts, pattern)
                if found:
                    yield found


def _labelled_value(
    text: str, kind: str, start: int, end: int, counts: tuple[int, ...], pattern: re.Pattern[str] | None
) -> Finding | None:
    candidates: list[Finding] = []
    if counts:
        # Runs starting in the window, read whole: one cut by the window would read as a
        # shorter number. (48 characters more hold any run short enough to be one of these.)
        for m in _SHORT_RUN.finditer(text, start, min(len(text), end + 48)):
            if m.start() >= end:
                break
            digits = digits_of(m.group())
            if len(digits) not in counts or _glued(text, m.start(), m.end()) or _MONEY_AFTER.match(text, m.end()):
                continue
            if m.start() and text[m.start() - 1] == "+":  # "+351 989 457 880": a phone number
                continue
            if (kind == "FISCAL" and digits[0] not in "0123") or (kind == "SEJOUR" and digits[0] == "0"):
                continue
            if kind == "CAF" and _YEAR_AND_NUMBER.match(m.group()):
                continue
            if kind == "RIB" and digits.startswith("0033"):  # "0033 6 12 34 56 78": a phone number
                continue
            candidates.append(Finding(kind, m.start(), m.end(), m.group()))
            break
    if pattern is not None:
        other = pattern.search(text, start, end)
        if other and (kind != "RIB" or (not other.group(3).isdigit() and rib_valid(*other.groups()))):
            candidates.append(Finding(kind, other.start(), other.end(), other.group()))
    return min(candidates, key=lambda f: f.start) if candidates else None
