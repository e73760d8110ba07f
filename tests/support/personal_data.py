"""Invented French administrative texts with personal data planted in every typography, for
the shield's property tests and its benchmark.

:func:`document` writes one text (a letter, a deliberation extract, a form, a reception
note, an e-mail... see ``TEMPLATES``) and returns it with the spans of what it planted:

- ``planted``: personal data (kind as in ``plume.shield.detect.KINDS``), identifiers with
  valid checksums (IBAN mod 97, RIB key, NIR key, Luhn for SIRET, SIREN and cards), written
  the way agents write them: random grouping, no-break (U+00A0), narrow no-break (U+202F)
  or thin (U+2009) spaces, dots, dashes, slashes, with or without a country code;
- ``decoys``: numbers that must *not* be flagged: amounts, meeting dates, deliberation
  numbers, article references, postcodes, percentages, years, a SIREN without its label,
  identifiers whose checksum is wrong.

Names come from ``support.person_names`` (the names engineer's generator): "{nom}" introduces
a new person, "{rappel}" names one already introduced in a later form (a bare surname, a
first name...), which the shield masks only once it found the person.
Nothing here is real: checksums are computed so that validators accept the numbers, as they
would accept real ones.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable
from dataclasses import dataclass

from stdnum import iban as stdnum_iban
from stdnum import luhn
from stdnum.fr import nir as stdnum_nir

from plume.shield.identifiers import NOT_PLATE_SERIES
from support.person_names import mentions, random_person

NBSP, NNBSP, THIN = "\u00a0", "\u202f", "\u2009"
# Separators between digit groups, as typed or as a word processor puts them.
SEPARATORS = (" ", " ", " ", NBSP, NNBSP, THIN, ".", "-", "/", "")
# Identifiers people check for (the property tests require every one to be found).
VALIDATED = ("EMAIL", "IBAN", "RIB", "NIR", "CARTE", "SIRET", "SIREN", "TEL")
LABELLED = ("FISCAL", "CAF", "CNI", "PERMIS", "PASSEPORT", "SEJOUR", "PLAQUE")


@dataclass(frozen=True)
class Span:
    kind: str  # a shield kind for planted data; what it is for a decoy ("montant", "date"...)
    start: int
    end: int
    value: str


@dataclass(frozen=True)
class Document:
    name: str
    text: str
    planted: tuple[Span, ...]
    decoys: tuple[Span, ...]


Piece = tuple[str, str | None]  # text, and its kind (None: plain text; "~x": decoy "x")
Slot = Callable[[random.Random], list[Piece]]

# --- typography ------------------------------------------------------------------------------


def _digits(rng: random.Random, n: int) -> str:
    return "".join(rng.choice("0123456789") for _ in range(n))


def _grouped(digits: str, sizes: list[int], sep: str) -> str:
    out, i = [], 0
    for size in sizes:
        out.append(digits[i : i + size])
        i += size
    if i < len(digits):
        out.append(digits[i:])
    return sep.join(p for p in out if p)


def _random_sizes(rng: random.Random, n: int) -> list[int]:
    sizes: list[int] = []
    while sum(sizes) < n:
        sizes.append(rng.randint(1, 4))
    return sizes


def _typeset(rng: random.Random, digits: str, usual: list[int]) -> str:
    """``digits`` in their usual grouping (mostly) or a random one, with one separator, or
    now and then two kinds of separator mixed."""
    sizes = usual if rng.random() < 0.7 else _random_sizes(rng, len(digits))
    sep = rng.choice(SEPARATORS)
    text = _grouped(digits, sizes, sep)
    if sep and rng.random() < 0.15:  # mixed: "06 12.34 56.78"
        other = rng.choice([s for s in SEPARATORS if s])
        chars = list(text)
        for i, c in enumerate(chars):
            if c == sep and rng.random() < 0.5:
                chars[i] = other
        text = "".join(chars)
    return text


# --- identifiers with valid checksums ------------------------------------------------------------


_DATE_LIKE = re.compile(r"\d\d?(\W)\d\d?\1(?:19|20)\d\d(?!\1)\W")


def phone(rng: random.Random) -> str:
    form = rng.random()
    if form < 0.45:  # national, any range, allocated or not: 0 + 1-9 + 8 digits
        while True:
            digits = "0" + rng.choice("123456789") + _digits(rng, 8)
            value = _typeset(rng, digits, rng.choice([[2, 2, 2, 2, 2], [4, 3, 3], [2, 2, 2, 2, 2], [10]]))
            # "01/02/2012 34" reads as a date and a time: nobody writes a phone number so.
            if not _DATE_LIKE.match(value):
                return value
    if form < 0.6:  # overseas, national form
        prefix = rng.choice(["0690", "0691", "0694", "0696", "0692", "0693", "0639", "0590", "0594", "0596", "0262", "0269"])
        return _typeset(rng, prefix + _digits(rng, 6), [4, 2, 2, 2])
    if form < 0.8:  # +33, 0033, +33 (0)
        sep = rng.choice([" ", NBSP, NNBSP, ".", "-", ""])
        national = _grouped(rng.choice("123456789") + _digits(rng, 8), [1, 2, 2, 2, 2], sep)
        code = rng.choice(["+33", "+33", "0033", "+33 (0)", "+33(0)"])
        space = "" if code.endswith(")") and rng.random() < 0.5 else (sep or " ")
        return f"{code}{space}{national}"
    if form < 0.9:  # overseas country codes
        code, first, length = rng.choice(
            [("262", "692", 9), ("262", "262", 9), ("590", "690", 9), ("594", "694", 9), ("596", "696", 9),
             ("269", "3", 7), ("508", "4", 6), ("681", "7", 6), ("687", "7", 6), ("689", "87", 8)]
        )  # fmt: skip
        national = first + _digits(rng, length - len(first))
        sep = rng.choice([" ", NBSP, NNBSP, ".", "-"])
        return f"+{code} " + _grouped(national, [3, 2, 2, 2] if length == 9 else [2, 2, 2, 2], sep)
    return rng.choice(
        [
            f"+44 20 {_digits(rng, 4)} {_digits(rng, 4)}",
            f"+49 30 {_digits(rng, 7)}",
            f"+1 212 555 {_digits(rng, 4)}",
            f"+32 2 {_digits(rng, 3)} {_digits(rng, 2)} {_digits(rng, 2)}",
            f"+41 22 {_digits(rng, 3)} {_digits(rng, 2)} {_digits(rng, 2)}",
            f"+34 6{_digits(rng, 2)} {_digits(rng, 3)} {_digits(rng, 3)}",
            f"+212 6 {_digits(rng, 2)} {_digits(rng, 2)} {_digits(rng, 2)} {_digits(rng, 2)}",
            f"+351 9{_digits(rng, 2)} {_digits(rng, 3)} {_digits(rng, 3)}",
            f"00{rng.choice(['44', '49', '32'])} {rng.choice('123456789')}{_digits(rng, 2)} {_digits(rng, 3)} {_digits(rng, 3)}",
        ]
    )


def rib_key(bank: str, branch: str, account: str) -> str:
    letters = str.maketrans("ABCDEFGHIJKLMNOPQRSTUVWXYZ", "12345678912345678923456789")
    number = int(account.translate(letters))
    return f"{97 - (89 * int(bank) + 15 * int(branch) + 3 * number) % 97:02d}"


def iban_check(country: str, bban: str) -> str:
    moved = bban + country + "00"
    number = int("".join(str(int(c, 36)) for c in moved))
    return f"{98 - number % 97:02d}"


def _rib_parts(rng: random.Random, letter: bool = False) -> tuple[str, str, str, str]:
    bank, branch = rng.choice("123456789") + _digits(rng, 4), _digits(rng, 5)
    account = _digits(rng, 11)
    if letter:
        at = rng.randint(3, 9)
        account = account[:at] + rng.choice("ABCDEFGHJKLMNPRSTUVWXYZ") + account[at + 1 :]
    return bank, branch, account, rib_key(bank, branch, account)


def iban(rng: random.Random) -> str:
    while True:
        country = rng.choice(["FR", "FR", "FR", "DE", "GB", "ES"])
        if country == "FR":
            bban = "".join(_rib_parts(rng))
        elif country == "DE":
            bban = _digits(rng, 18)
        elif country == "GB":
            bban = rng.choice(["NWBK", "BARC", "LOYD"]) + _digits(rng, 14)
        else:
            bban = _digits(rng, 20)
        compact = country + iban_check(country, bban) + bban
        if stdnum_iban.is_valid(compact):
            break
    sep = rng.choice([" ", " ", NBSP, NNBSP, "-", ""])
    return sep.join(compact[i : i + 4] for i in range(0, len(compact), 4))


def rib(rng: random.Random) -> str:
    parts = _rib_parts(rng, letter=rng.random() < 0.25)
    sep = rng.choice([" ", " ", NBSP, NNBSP, "-"] if parts[2].isdigit() else [" ", NBSP, "-"])
    return sep.join(parts)


def _nir_digits(rng: random.Random) -> str:
    """A NIR without its key (13 characters), Corsica's 2A/2B included."""
    sex = rng.choice("12")
    year = _digits(rng, 2)
    month = f"{rng.randint(1, 12):02d}" if rng.random() < 0.9 else rng.choice(["20", "30", "41", "62", "99"])
    place = rng.random()
    if place < 0.1:
        department, commune = rng.choice(["2A", "2B"]), f"{rng.randint(1, 366):03d}"
    elif place < 0.2:
        department, commune = rng.choice(["971", "972", "973", "974", "976"]), f"{rng.randint(1, 99):02d}"
    else:
        department, commune = f"{rng.randint(1, 95):02d}", f"{rng.randint(1, 990):03d}"
    return sex + year + month + department + commune + f"{rng.randint(1, 999):03d}"


def nir_key(body: str) -> str:
    number = int(body.replace("2A", "19").replace("2B", "18"))
    return f"{97 - number % 97:02d}"


def _typeset_nir(rng: random.Random, body: str) -> str:
    sizes = [1, 2, 2, 2, 3, 3, 2]
    sep = rng.choice([" ", " ", NBSP, NNBSP, ".", "-", ""])
    return _grouped(body, sizes, sep)


def nir(rng: random.Random) -> str:
    body = _nir_digits(rng)
    if rng.random() < 0.25:  # without its key
        return _typeset_nir(rng, body)
    full = body + nir_key(body)
    assert stdnum_nir.is_valid(full), full
    return _typeset_nir(rng, full)


def siren_digits(rng: random.Random) -> str:
    body = rng.choice("123456789") + _digits(rng, 7)
    return body + luhn.calc_check_digit(body)


def siret(rng: random.Random) -> str:
    body = siren_digits(rng) + _digits(rng, 4)
    digits = body + luhn.calc_check_digit(body)
    return _typeset(rng, digits, [3, 3, 3, 5])


def card(rng: random.Random) -> str:
    while True:
        if rng.random() < 0.85:
            body = rng.choice(["4", "51", "52", "53", "54", "55", "2221"])
            body += _digits(rng, 15 - len(body))
            digits, sizes = body + luhn.calc_check_digit(body), [4, 4, 4, 4]
        else:  # 15 digits, grouped 4-6-5
            body = rng.choice(["34", "37"]) + _digits(rng, 12)
            digits, sizes = body + luhn.calc_check_digit(body), [4, 6, 5]
        if not stdnum_nir.is_valid(digits):  # one in 97 fifteen-digit cards is also a NIR
            break
    sep = rng.choice([" ", " ", NBSP, NNBSP, "-", ""])
    return _grouped(digits, sizes, sep)


_PLATE_LETTERS = "ABCDEFGHJKLMNPQRSTVWXYZ"


def plate(rng: random.Random) -> str:
    if rng.random() < 0.75:
        letters = "".join(rng.choice(_PLATE_LETTERS) for _ in range(4))
        sep = rng.choice(["-", "-", " ", NBSP, ""])
        return f"{letters[:2]}{sep}{_digits(rng, 3)}{sep}{letters[2:]}"
    series = "".join(rng.choice("ABCDEFGHJKLMNPRSTVWXYZ") for _ in range(rng.choice([2, 3])))
    if series in NOT_PLATE_SERIES:  # "1234 ET 56" reads as words: the detector skips these series
        series = "XR"
    department = rng.choice([f"{rng.randint(1, 95):02d}", "2A", "2B", "974"])
    return f"{rng.randint(1, 9999)} {series} {department}"


def fiscal(rng: random.Random) -> str:
    return _typeset(rng, rng.choice("0123") + _digits(rng, 12), [2, 2, 3, 3, 3])


def allocataire(rng: random.Random) -> str:
    return rng.choice("123456789") + _digits(rng, 6)


def passport(rng: random.Random) -> str:
    letters = "".join(rng.choice("ABCDEFGHIJKLMNOPQRSTUVWXYZ") for _ in range(2))
    return f"{_digits(rng, 2)}{letters}{_digits(rng, 5)}"


def identity_card(rng: random.Random) -> str:
    if rng.random() < 0.5:  # former card: 12 digits
        return _typeset(rng, _digits(rng, 12), [12] if rng.random() < 0.6 else [4, 4, 4])
    while True:  # since 2021: 9 letters and digits
        value = "".join(rng.choice("0123456789ABCDEFGHJKLMNPRSTUVWXYZ") for _ in range(9))
        if any(c.isdigit() for c in value) and any(c.isalpha() for c in value):
            return value


def residence_permit(rng: random.Random) -> str:
    """An AGDREF number: 10 digits, not starting with 0."""
    return _typeset(rng, rng.choice("123456789") + _digits(rng, 9), [10] if rng.random() < 0.6 else [2, 2, 3, 3])


def licence(rng: random.Random) -> str:
    if rng.random() < 0.5:
        return _digits(rng, 12)
    return f"{_digits(rng, 2)}{rng.choice('ABCDEFGHJKLMNPRSTUVWXYZ')}{rng.choice('ABCDEFGHJKLMNPRSTUVWXYZ')}{_digits(rng, 5)}"


# --- dates, addresses, e-mails -----------------------------------------------------------------

MONTHS = ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre", "novembre", "décembre")
TOWNS = (
    ("69004", "Lyon"), ("38000", "Grenoble"), ("25000", "Besançon"), ("97400", "Saint-Denis"), ("13001", "Marseille"),
    ("38490", "Les Abrets"), ("01000", "Bourg-en-Bresse"), ("42000", "Saint-Étienne"), ("73000", "Chambéry"),
    ("20000", "Ajaccio"), ("59000", "Lille"), ("35000", "Rennes"), ("31000", "Toulouse"), ("76600", "Le Havre"),
)  # fmt: skip
STREET_NAMES = ("des Lilas", "Jean-Jaurès", "de la République", "Victor Hugo", "du Moulin", "des Écoles", "Pasteur",
                "de la Gare", "des Tilleuls", "Émile Zola", "du Stade", "Neuve", "de l'Église")  # fmt: skip
STREET_TYPES = ("rue", "avenue", "boulevard", "place", "allée", "impasse", "chemin", "route", "quai", "cours", "Rue", "Avenue")
PLACE_NAMES = ("Les Granges", "La Combe", "Le Bourg", "Les Tilleuls", "La Croix-Rousse", "Les Pins", "Bellevue", "Le Moulin")


def birth_date(rng: random.Random) -> tuple[str, str]:
    """A cue and the date it announces: ("née le ", "3 avril 1980")."""
    day, month, year = rng.randint(1, 28), rng.randint(1, 12), rng.randint(1925, 2015)
    space = rng.choice([" ", " ", NBSP])
    day_text = "1er" if day == 1 else str(day)
    town = rng.choice(TOWNS)[1]
    return rng.choice(
        [
            (rng.choice(["né le ", "née le ", "né(e) le ", "Né le "]), f"{day_text}{space}{MONTHS[month - 1]}{space}{year}"),
            (f"né à {town} le ", f"{day_text} {MONTHS[month - 1]} {year}"),
            ("née le ", f"{day_text}{space}{MONTHS[month - 1]}"),
            ("né le ", f"{day:02d}/{month:02d}/{year}"),
            ("DN : ", f"{day:02d}.{month:02d}.{year}"),
            ("date de naissance : ", f"{year}-{month:02d}-{day:02d}"),
            ("Date de naissance : ", f"{day:02d}/{month:02d}/{year}"),
            ("née en ", str(year)),
            ("né le ", f"{day}/{month}/{year % 100:02d}"),
        ]
    )


def address(rng: random.Random) -> str:
    postcode, town = rng.choice(TOWNS)
    number = f"{rng.randint(1, 240)}{rng.choice(['', '', '', ' bis', ' ter'])}"
    sep = rng.choice([", ", ", ", " "])
    street = f"{rng.choice(STREET_TYPES)} {rng.choice(STREET_NAMES)}"
    return rng.choice(
        [
            f"{number} {street}{sep}{postcode} {town}",
            f"{number} {street}",
            f"{number} {rng.choice(['Grande Rue', 'Grand-Rue', 'Grande rue'])}, {postcode} {town}",
            f"BP {rng.randint(1, 999)}, {postcode} {town} Cedex",
            f"lieu-dit {rng.choice(PLACE_NAMES)}, {postcode} {town}",
            f"hameau de {rng.choice(['La Combe', 'Champagne', 'Vaux'])}, {postcode} {town}",
            f"Résidence {rng.choice(PLACE_NAMES)}, bâtiment {rng.choice('ABCD')}, escalier {rng.randint(1, 6)}",
            f"{rng.choice(PLACE_NAMES)}, {postcode} {town}",
        ]
    )


LOCAL_PARTS = ("élodie.lefèvre", "jean.dupont", "m.nguyen", "francois-xavier.durand", "chloé_martin", "k.benali", "anne.o-connor")
DOMAINS = (
    "mairie-exemple.fr",
    "orange.fr",
    "laposte.net",
    "mairie-évry.fr",
    "ville-saint-étienne.fr",
    "example.com",
    "wanadoo.fr",
)


def email(rng: random.Random) -> str:
    local, domain = rng.choice(LOCAL_PARTS), rng.choice(DOMAINS)
    form = rng.random()
    if form < 0.6:
        return f"{local}@{domain}"
    name, _, top = domain.rpartition(".")
    return rng.choice(
        [
            f"{local} (at) {domain}",
            f"{local}[at]{domain}",
            f"{local} [at] {name} [dot] {top}",
            f"{local} arobase {name} point {top}",
            f"{local} (arobase) {domain}",
        ]
    )


# --- decoys: what must not be flagged ------------------------------------------------------------


def _thousands(n: int, sep: str) -> str:
    return f"{n:,}".replace(",", sep)


def amount(rng: random.Random) -> str:
    value = rng.choice([rng.randint(1000, 99_999_999), rng.randint(100, 9999)])
    sep = rng.choice([" ", NBSP, NNBSP, THIN, "."])
    cents = f",{rng.randint(0, 99):02d}" if rng.random() < 0.4 else ""
    unit = rng.choice(["\u00a0€", " €", " euros", " EUR", "€", " € HT", " € TTC"])
    return f"{_thousands(value, sep)}{cents}{unit}"


def meeting_date(rng: random.Random) -> str:
    day, month, year = rng.randint(1, 28), rng.randint(1, 12), rng.randint(2024, 2027)
    return rng.choice(
        [
            f"{day} {MONTHS[month - 1]} {year}",
            f"{day:02d}/{month:02d}/{year}",
            f"{day:02d}.{month:02d}.{year} à {rng.randint(8, 20)} h {rng.choice(['00', '30'])}",
            f"{year}-{month:02d}-{day:02d}",
        ]
    )


def deliberation(rng: random.Random) -> str:
    year = rng.randint(2020, 2027)
    return rng.choice(
        [f"n° {year}-{rng.randint(1, 350)}", f"n°{year}-{rng.randint(1, 350):03d}", f"DEL-{year}-{rng.randint(1, 99):02d}"]
    )


def article(rng: random.Random) -> str:
    return rng.choice(
        [
            f"article L. {rng.randint(1111, 5999)}-{rng.randint(1, 40)}",
            f"article R.{rng.randint(1111, 5999)}-{rng.randint(1, 40)}",
            f"articles L. 2122-22 et L. 2122-{rng.randint(23, 29)}",
            f"article {rng.randint(1, 40)} du décret n° {rng.randint(2000, 2026)}-{rng.randint(1, 1500)}",
        ]
    )


def wrong_checksum(rng: random.Random) -> str:
    """An identifier with a wrong key: a NIR, an IBAN, a card or a SIRET."""
    while True:
        kind = rng.choice(["nir", "iban", "card", "siret"])
        if kind == "nir":
            body = _nir_digits(rng)
            if not body.isdigit():
                continue
            good = int(nir_key(body))
            digits = body + f"{(good + rng.randint(1, 90)) % 97 or 1:02d}"
            if stdnum_nir.is_valid(digits) or luhn.is_valid(digits):
                continue
            return _typeset_nir(rng, digits)
        if kind == "iban":
            value = iban(rng).replace(" ", "")
            compact = re.sub(r"\W", "", value)
            broken = compact[:-1] + str((int(compact[-1]) + 1) % 10)
            if stdnum_iban.is_valid(broken):
                continue
            return " ".join(broken[i : i + 4] for i in range(0, len(broken), 4))
        if kind == "card":
            body = "4" + _digits(rng, 14)
            digits = body + str((int(luhn.calc_check_digit(body)) + rng.randint(1, 9)) % 10)
            return _grouped(digits, [4, 4, 4, 4], rng.choice([" ", NBSP]))
        body = siren_digits(rng) + _digits(rng, 4)
        digits = body + str((int(luhn.calc_check_digit(body)) + rng.randint(1, 9)) % 10)
        return _grouped(digits, [3, 3, 3, 5], rng.choice([" ", NBSP]))


# --- slots: what a template's "{slot}" writes -----------------------------------------------------


def _planted(kind: str, make: Callable[[random.Random], str]) -> Slot:
    return lambda rng: [(make(rng), kind)]


def _decoy(what: str, make: Callable[[random.Random], str]) -> Slot:
    return lambda rng: [(make(rng), "~" + what)]


def _labelled(kind: str, labels: tuple[str, ...], make: Callable[[random.Random], str]) -> Slot:
    return lambda rng: [(rng.choice(labels), None), (make(rng), kind)]


def _birth(rng: random.Random) -> list[Piece]:
    cue, date = birth_date(rng)
    return [(cue, None), (date, "NAISSANCE")]


def _siren_bare(rng: random.Random) -> str:
    return _grouped(siren_digits(rng), [3, 3, 3], rng.choice([" ", NBSP, ""]))


SLOTS: dict[str, Slot] = {
    "tel": _planted("TEL", phone),
    "email": _planted("EMAIL", email),
    "iban": _planted("IBAN", iban),
    "rib": _labelled("RIB", ("RIB : ", "RIB ", "relevé d'identité bancaire : "), rib),
    "nir": _planted("NIR", nir),
    "siret": _planted("SIRET", siret),
    "siren": _labelled("SIREN", ("SIREN ", "RCS Lyon ", "SIREN : ", "immatriculée sous le SIREN n° "), _siren_bare),
    "carte": _planted("CARTE", card),
    "plaque": _planted("PLAQUE", plate),
    "fiscal": _labelled("FISCAL", ("numéro fiscal : ", "n° fiscal ", "SPI ", "identifiant fiscal (SPI) : "), fiscal),
    "caf": _labelled("CAF", ("n° allocataire ", "numéro d'allocataire CAF : ", "allocataire CAF n° "), allocataire),
    "passeport": _labelled("PASSEPORT", ("passeport n° ", "Passeport : ", "numéro de passeport "), passport),
    "sejour": _labelled("SEJOUR", ("titre de séjour n° ", "carte de séjour : ", "n° AGDREF "), residence_permit),
    "cni": _labelled("CNI", ("carte nationale d'identité n° ", "CNI n° ", "carte d'identité : "), identity_card),
    "permis": _labelled("PERMIS", ("permis de conduire n° ", "Permis : ", "n° de permis de conduire "), licence),
    "naissance": _birth,
    "adresse": _planted("ADRESSE", address),
    # decoys
    "montant": _decoy("montant", amount),
    "seance": _decoy("date", meeting_date),
    "deliberation": _decoy("délibération", deliberation),
    "article": _decoy("article", article),
    "cp": lambda rng: [("code postal ", None), (rng.choice(TOWNS)[0], "~code postal")],
    "pourcentage": _decoy(
        "pourcentage", lambda rng: f"{rng.randint(0, 99)},{rng.randint(0, 99):02d}{rng.choice([' ', NBSP, NNBSP])}%"
    ),
    "annee": _decoy("année", lambda rng: str(rng.randint(1990, 2030))),
    "siren_nu": _decoy("SIREN sans étiquette", _siren_bare),
    "cle_fausse": _decoy("clé fausse", wrong_checksum),
    "urbanisme": _decoy(
        "permis de construire", lambda rng: f"PC 069 {rng.randint(100, 999)} {rng.randint(20, 26)} {_digits(rng, 5)}"
    ),
}

# --- documents ---------------------------------------------------------------------------------------

# Each template: a name and its sentences; a document takes the first sentence and a random
# selection of the others, in order. "{slot}" is filled by SLOTS.
TEMPLATES: tuple[tuple[str, tuple[str, ...]], ...] = (
    (
        "courrier",
        (
            "Objet : votre demande d'aide au logement (délibération {deliberation})",
            "Madame, Monsieur,\nNous avons bien reçu le {seance} votre demande concernant {nom}, {naissance}, domicilié(e) {adresse}.",
            "Le montant accordé s'élève à {montant}, selon l'{article} du code.",
            "Pour toute question, le service est joignable au {tel} ou par courriel à {email}.",
            "Merci de nous transmettre votre {rib} avant le {seance}.",
            "Le versement sera effectué sur le compte IBAN {iban}.",
            "Votre {caf} a bien été enregistré.",
            "Le dossier de {rappel} sera examiné en commission.",
            "Veuillez agréer nos salutations distinguées.\n{nom}",
        ),
    ),
    (
        "deliberation",
        (
            "Extrait du registre des délibérations du conseil municipal — séance du {seance}",
            "Délibération {deliberation} : attribution d'une subvention de {montant}.",
            "Vu l'{article} du code général des collectivités territoriales ;",
            "Article 1 : le marché est attribué à la société Bâtir, SIRET {siret}, pour {montant}.",
            "Article 2 : le taux de la taxe est fixé à {pourcentage} pour l'année {annee}.",
            "La société, {siren}, est autorisée à occuper le domaine public.",
            "Adopté à l'unanimité. Transmis au contrôle de légalité le {seance}.",
            "Rapporteur : {nom}.",
        ),
    ),
    (
        "formulaire",
        (
            "FORMULAIRE DE DEMANDE D'AIDE SOCIALE",
            "Nom et prénom : {nom}",
            "Date de naissance et lieu : {naissance}",
            "Adresse : {adresse}",
            "Téléphone : {tel}\nCourriel : {email}",
            "N° de sécurité sociale : {nir}",
            "{fiscal}",
            "{caf}",
            "Montant des ressources mensuelles : {montant}",
            "Pièce jointe : {cni}",
        ),
    ),
    (
        "accueil",
        (
            "Note d'accueil — guichet unique, le {seance}",
            "Reçu ce jour {nom}, {naissance}, venu(e) pour un renouvellement de titre.",
            "Présente son {passeport}, expiré.",
            "A déclaré la perte de sa {cni}.",
            "Présente un {sejour} en cours de validité.",
            "Rappeler l'usager au {tel} ; autre numéro : {tel}.",
            "{rappel} repassera jeudi.",
            "Dossier à transmettre au service état civil ({cp}).",
        ),
    ),
    (
        "courriel",
        (
            "De : {email}\nÀ : service accueil\nObjet : changement de coordonnées",
            "Bonjour,\nJe vous informe de ma nouvelle adresse : {adresse}.",
            "Mon nouveau numéro est le {tel}.",
            "Pour le prélèvement de la cantine, voici mon IBAN : {iban}.",
            "Cordialement,\n{nom}",
        ),
    ),
    (
        "signalement",
        (
            "Signalement — stationnement gênant, le {seance}",
            "Le véhicule immatriculé {plaque} stationne devant le {adresse} depuis trois jours.",
            "Un second véhicule, {plaque}, est également concerné.",
            "Le propriétaire, {nom}, joignable au {tel}, a été avisé.",
            "Selon {rappel}, le véhicule est en panne.",
            "Amende forfaitaire : {montant}.",
        ),
    ),
    (
        "regie",
        (
            "Note interne — service des régies",
            "Un usager, {nom}, signale un double prélèvement de {montant} sur sa carte {carte}.",
            "La facture {deliberation} a été annulée. Référence interne : {cle_fausse}.",
            "Contact : {email} ; ligne fixe {tel}.",
            "Plafond d'encaissement : {montant}.",
        ),
    ),
    (
        "arrete",
        (
            "ARRÊTÉ MUNICIPAL {deliberation} portant réglementation de la circulation",
            "Le maire, vu l'{article} du code, vu la demande de l'entreprise (SIRET {siret}) du {seance},",
            "Considérant les travaux prévus au {adresse},",
            "ARRÊTE : la circulation est interdite du {seance} au {seance}.",
            "Le présent arrêté peut faire l'objet d'un recours dans un délai de deux mois ({pourcentage} des recours aboutissent).",
        ),
    ),
    (
        "compte_rendu",
        (
            "Compte rendu de la commission des finances du {seance}",
            "Présents : {nom}, {nom}.",
            "{rappel} rappelle le calendrier ; {rappel} s'abstient.",
            "Le budget {annee} s'établit à {montant} en fonctionnement.",
            "Le numéro {siren_nu} cité en séance est celui d'un marché antérieur.",
            "Prochaine réunion le {seance} (délibération {deliberation}).",
        ),
    ),
    (
        "attestation",
        (
            "ATTESTATION D'EMPLOYEUR",
            "Je soussigné(e), {nom}, atteste que l'agent {nom}, {naissance}, N° SS {nir}, est employé depuis le {seance}.",
            "Son salaire brut annuel est de {montant}.",
            "Domicile de l'agent : {adresse}.",
            "Le dossier de {rappel} est complet.",
            "Fait pour servir et valoir ce que de droit. Tél. du service : {tel}.",
        ),
    ),
    (
        "etat_civil",
        (
            "Demande d'acte de naissance",
            "Demandeur : {nom}, {naissance}.",
            "Justificatif présenté : {permis}.",
            "Adresse d'envoi : {adresse}",
            "Frais : {montant} (tarif fixé par l'{article}).",
        ),
    ),
    (
        "impayes",
        (
            "Relance — facture de restauration scolaire impayée",
            "Madame, Monsieur, sauf erreur, la somme de {montant} reste due depuis le {seance}.",
            "Vous pouvez régler par virement sur le compte du Trésor ou par carte ({carte}).",
            "Votre {fiscal} nous permet de vérifier votre quotient.",
            "Le {cle_fausse} figurant sur votre courrier est erroné.",
            "Contact : {tel}.",
        ),
    ),
    (
        "association",
        (
            "Demande de subvention — association Les Amis du Parc",
            "L'association, {siren}, sollicite une subvention de {montant} pour l'année {annee}.",
            "Siège : {adresse}.",
            "Trésorière : {nom}, {tel}, {email}.",
            "Coordonnées bancaires : {iban}.",
            "Le taux de réalisation du budget {annee} est de {pourcentage}.",
        ),
    ),
    (
        "marche",
        (
            "Rapport d'analyse des offres — marché {deliberation}",
            "Le candidat retenu (SIRET {siret}) propose {montant}.",
            "Le second candidat, SIRET {siret}, propose {montant}.",
            "Les offres ont été ouvertes le {seance} conformément à l'{article}.",
            "Pièces : {urbanisme} ; extrait Kbis.",
        ),
    ),
    (
        "rh",
        (
            "Note RH — dossier de l'agent",
            "Agent : {nom}, {naissance}.",
            "NIR : {nir}.",
            "Véhicule de service attribué : {plaque}.",
            "Versement de la prime sur le {rib}.",
            "Ligne directe : {tel}.",
            "Avis favorable pour {rappel}.",
        ),
    ),
    (
        "police",
        (
            "Main courante — police municipale",
            "À {seance}, contrôle du véhicule {plaque} conduit par {nom}, {naissance}.",
            "Le conducteur présente son {permis} et son {cni}.",
            "Le passager présente son {sejour}.",
            "Adresse déclarée : {adresse}.",
            "Téléphone : {tel}.",
        ),
    ),
)


def document(rng: random.Random, name: str = "document") -> Document:
    """One invented document with its planted personal data and its decoys."""
    template_name, sentences = rng.choice(TEMPLATES)
    chosen = [sentences[0]] + [s for s in sentences[1:] if rng.random() < 0.75]
    pieces: list[Piece] = []
    introduced: list[list[str]] = []  # each person's mentions, the first one already written
    for i, sentence in enumerate(chosen):
        if i:
            pieces.append(("\n" if rng.random() < 0.6 else " ", None))
        position = 0
        for m in re.finditer(r"\{(\w+)\}", sentence):
            pieces.append((sentence[position : m.start()], None))
            if m.group(1) == "nom":  # a new person, introduced
                introduced.append(mentions(random_person(rng), rng))
                pieces.append((introduced[-1][0], "NOM"))
            elif m.group(1) == "rappel":  # a person named before, in a later mention ("Dupont")
                if not introduced:
                    introduced.append(mentions(random_person(rng), rng))
                    pieces.append((introduced[-1][0], "NOM"))
                else:
                    pieces.append((rng.choice(rng.choice(introduced)[1:]), "NOM"))
            else:
                pieces += SLOTS[m.group(1)](rng)
            position = m.end()
        pieces.append((sentence[position:], None))
    text: list[str] = []
    planted: list[Span] = []
    decoys: list[Span] = []
    offset = 0
    for piece, kind in pieces:
        if kind is not None:
            span = Span(kind.lstrip("~"), offset, offset + len(piece), piece)
            (decoys if kind.startswith("~") else planted).append(span)
        text.append(piece)
        offset += len(piece)
    return Document(f"{name}-{template_name}", "".join(text), tuple(planted), tuple(decoys))


def documents(seed: int, count: int) -> list[Document]:
    rng = random.Random(seed)
    return [document(rng, f"{i:03d}") for i in range(count)]
