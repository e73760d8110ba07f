"""Quantities as administrative texts write them, in French and English.

Digits with their separators (``1 240 000``, ``1.240.000``, ``1,240,000``), decimal commas
(``41,52``), ordinals (``1er``, ``3rd``), scales (``1,24 M€``, ``2 millions``), currencies,
percentages, and cardinal numbers written in words (``vingt-deux``, ``twenty-two``).

Each quantity carries its precision: ``1,24 M€`` says "to the nearest 10 000 €", so an
equivalent form (``1 240 000 €``) or a source value that rounds to it supports it.

A count carries what it counts when the word after it is a known unit (:data:`COUNTED`:
durations, surfaces and weights, the people and things administrations count): "5 jours",
"3 nouveaux agents", "12 places", "250 m²", "2 millions d'habitants". French and English
words share one key ("jours" and "days" are ``day``), so a translation compares too. In a
range ("3 à 5 jours", "entre 10 et 12 agents", "5 or 6 weeks") the first number counts what
the last one does.
"""

from __future__ import annotations

import dataclasses
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from .spans import Span, Taken

_SPACES = " \u00a0\u202f"  # a space, a no-break space, a narrow no-break space (French typography)
_NUMBER = re.compile(
    rf"""(?<![\w.,/-])
    (?:(?P<prefix>[€$£])[{_SPACES}]?)?
    (?P<digits>
        \d{{1,3}}(?:[{_SPACES}]\d{{3}})+(?:[.,]\d+)?(?!\d)   # 1 240 000 / 1 240 000,50
      | \d{{1,3}}(?:\.\d{{3}}){{2,}}(?:,\d+)?(?!\d)         # 1.240.000
      | \d{{1,3}}(?:,\d{{3}}){{2,}}(?:\.\d+)?(?!\d)         # 1,240,000
      | \d+(?:[.,]\d+)?(?![\d])                             # 1240000, 41,52, 1.240
    )
    (?P<ordinal>(?:er|re|ère|ème|eme|e|nd|st|rd|th)\b)?
    """,
    re.VERBOSE,
)
# After a number: a scale ("M€", "millions d'"), a currency, or a percent sign.
_SCALE_WORDS = {"mille": 1e3, "thousand": 1e3, "thousands": 1e3, "million": 1e6, "millions": 1e6,
                "milliard": 1e9, "milliards": 1e9, "billion": 1e9, "billions": 1e9, "md": 1e9, "mds": 1e9, "bn": 1e9}  # fmt: skip
_SCALE_SYMBOLS = {"k": 1e3, "K": 1e3, "M": 1e6, "Md": 1e9, "Mds": 1e9, "G": 1e9}
_CURRENCIES = {"€": "EUR", "euro": "EUR", "euros": "EUR", "eur": "EUR", "$": "USD", "dollar": "USD", "dollars": "USD",
               "usd": "USD", "£": "GBP", "gbp": "GBP", "livre sterling": "GBP", "livres sterling": "GBP", "chf": "CHF"}  # fmt: skip
_SUFFIX = re.compile(
    rf"""(?:[{_SPACES}]?(?P<symbol>k|K|M|Md|Mds|G)(?=[{_SPACES}]?(?:€|\$|£))
      | [{_SPACES}]+(?P<scale>mille|thousands?|millions?|milliards?|billions?|Mds?|bn)\b)?
    (?:[{_SPACES}]*(?:d['’][{_SPACES}]?|de[{_SPACES}]+|of[{_SPACES}]+)?
       (?P<currency>€|\$|£|euros?\b|EUR\b|dollars?\b|USD\b|GBP\b|CHF\b|livres?[{_SPACES}]+sterling\b))?
    (?P<percent>[{_SPACES}]?%|[{_SPACES}]+(?:pour[{_SPACES}]?cent|percent|per[{_SPACES}]cent)\b)?
    """,
    re.VERBOSE | re.IGNORECASE,
)

_UNITS_FR = {"zéro": 0, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "six": 6, "sept": 7, "huit": 8, "neuf": 9,
             "dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14, "quinze": 15, "seize": 16,
             "vingt": 20, "vingts": 20, "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60}  # fmt: skip
_UNITS_EN = {"zero": 0, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9,
             "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
             "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50,
             "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90}  # fmt: skip
# "un", "une" and "one" are articles and pronouns far more often than numbers; they only
# count inside a compound ("vingt et un", "twenty-one").
_INNER_ONLY = {"un": 1, "une": 1, "one": 1}
_MULTIPLIERS = {"cent": 100, "cents": 100, "hundred": 100, "mille": 1000, "thousand": 1000}
_WORD_VALUES = {**_UNITS_FR, **_UNITS_EN, **_INNER_ONLY, **_MULTIPLIERS}
_WORD = "|".join(sorted(map(re.escape, _WORD_VALUES), key=len, reverse=True))
# Joined by hyphens or spaces; "et" only before "un"/"onze" ("vingt et un"), "and" only after a
# hundred or thousand ("two hundred and five"): "entre deux et quatre" is two numbers, not six.
_JOIN = rf"(?:-et-(?=un|onze)|[{_SPACES}]+et[{_SPACES}]+(?=un\b|une\b|onze\b)|(?:(?<=hundred)|(?<=thousand))[{_SPACES}]+and[{_SPACES}]+|-|[{_SPACES}]+)"
_WORDS = re.compile(rf"\b(?:{_WORD})(?:{_JOIN}(?:{_WORD}))*\b", re.IGNORECASE)
# Before a number, a word that says it is rounded: "environ 42 %" may stand for 41,52 %.
_APPROXIMATELY = re.compile(
    r"(?:environ|près\s+de|presque|quelque|plus\s+de|moins\s+de|autour\s+de|approximativement|about|around|"
    r"approximately|nearly|almost|over|under|more\s+than|less\s+than|~|≈)\s*$",
    re.IGNORECASE,
)
_SMALLEST_WORD_CLAIM = 10  # "les deux communes": small counts in words are paraphrase, not claims

# What a count counts, by the word after it (accents and a final s/x ignored) → one key for
# French and English. A closed list: an unknown word after a number says nothing of what it
# counts ("5 membres titulaires" and "5 conseillers" may be the same people), so such a count
# stays a bare number, checked as before.
_COUNTED_WORDS = {
    "day": "jour journee day", "week": "semaine week", "month": "moi month", "year": "an annee year",
    "hour": "heure hour", "minute": "minute", "second": "seconde second", "night": "nuit night",
    "quarter": "trimestre quarter", "half-year": "semestre", "session": "seance session", "meeting": "reunion meeting",
    "agent": "agent", "post": "poste post", "job": "emploi job", "employee": "salarie employee",
    "place": "place seat", "housing": "logement dwelling home", "inhabitant": "habitant inhabitant resident",
    "pupil": "eleve pupil student", "child": "enfant child children", "person": "personne person people",
    "bed": "lit bed", "class": "classe class", "municipality": "commune municipality", "member": "membre member",
    "councillor": "conseiller councillor", "file": "dossier file", "application": "demande application request",
    "vehicle": "vehicule vehicle", "lot": "lot", "beneficiary": "beneficiaire beneficiary", "meal": "repa meal",
    "family": "famille family", "household": "foyer menage household", "user": "usager user",
    "participant": "participant", "candidate": "candidat candidate", "room": "salle room", "tree": "arbre tree",
    "site": "site", "school": "ecole school", "km": "km kilometre kilometer", "m": "metre meter",
    "m2": "m2 m²", "m3": "m3 m³", "ha": "ha hectare", "kg": "kg kilo kilogramme kilogram", "t": "tonne ton",
    "l": "litre liter", "kwh": "kwh", "mwh": "mwh",
}  # fmt: skip
COUNTED = {word: key for key, words in _COUNTED_WORDS.items() for word in words.split()}
# Words between a count and what it counts ("3 nouveaux agents", "5 working days").
_BEFORE_NOUN_TEXT = (
    "nouveau nouvel nouvelle nouveaux nouvelles premier premiere premiers premieres dernier derniere derniers "
    "dernieres prochain prochaine prochains prochaines autre autres grand grande grands grandes petit petite petits "
    "petites jeune jeunes seul seule seuls seules ancien anciens ancienne anciennes plein pleine pleins pleines "
    "new first last next other additional extra full working business calendar consecutive whole more"
)
_BEFORE_NOUN = frozenset(_BEFORE_NOUN_TEXT.split())
_POWERS = {"carre": "2", "carres": "2", "carree": "2", "carrees": "2", "square": "2", "cube": "3", "cubes": "3", "cubic": "3"}
_NOUN = re.compile(rf"[{_SPACES}]*(?P<word>m²|m³|[^\W\d_][\w²³'’-]*)", re.UNICODE)
_OF = re.compile(rf"[{_SPACES}]*(?:d['’][{_SPACES}]?|de[{_SPACES}]+|of[{_SPACES}]+)", re.IGNORECASE)
# Between the two numbers of a range: the first counts what the second does.
_RANGE_JOIN = re.compile(rf"[{_SPACES}]*(?:à|a|au|et|ou|-|–|to|and|or)[{_SPACES}]*$|[{_SPACES}]*[-–][{_SPACES}]*$", re.IGNORECASE)


@dataclass(frozen=True)
class Quantity(Span):
    value: float
    # The step of the last written digit: 0.01 for "41,52", 1e4 for "1,24 M€"; a value within
    # half a step reads the same. A plain integer ("3", "1 240 000 €") claims an exact value
    # (step 0) unless "environ"/"about" precedes it: then its trailing zeros are rounding.
    precision: float
    unit: str  # "", "%" or a currency code
    in_words: bool = False
    counts: str = ""  # what a count counts (a COUNTED key: "day", "agent", "m2"...), "" when unknown


def quantities(text: str, language: str, taken: Taken) -> Iterator[Quantity]:
    """Every quantity of ``text`` outside the ``taken`` spans, in text order. ``language``
    ("en" or another) decides what ``1,240`` and ``1.240`` mean."""
    found: list[Quantity] = []
    for match in _NUMBER.finditer(text):
        if _is_list_marker(text, match.start(), match.end()):
            continue
        value, decimals = _parse_digits(match.group("digits"), language)
        approximate = decimals > 0 or _APPROXIMATELY.search(text, max(0, match.start() - 16), match.start()) is not None
        step = _step(match.group("digits"), decimals) if approximate else 0.0
        found.append(_with_suffix(text, match.start(), match.end(), value, step, 10.0**-decimals, match.group("prefix"),
                                  ordinal=bool(match.group("ordinal"))))  # fmt: skip
    for match in _WORDS.finditer(text):
        parsed = _parse_words(match.group().lower())
        if parsed is None:
            continue
        quantity = _with_suffix(text, match.start(), match.end(), parsed, 0.0, 1.0, None, in_words=True)
        if quantity.value >= _SMALLEST_WORD_CLAIM or quantity.unit:
            found.append(quantity)
    for quantity in _ranges(text, sorted(found, key=lambda q: q.start)):
        if taken.claim(quantity.start, quantity.end):
            yield quantity


def counted_words(text: str) -> Iterator[tuple[float, str]]:
    """Every number written in words with what it counts ("" when unknown), small ones
    included ("cinq jours" → (5, "day")): what a source supports."""
    for match in _WORDS.finditer(text):
        parsed = _parse_words(match.group().lower())
        if parsed is not None:
            counted = _counted(text, match.end(), scaled=False)
            yield parsed, counted[0] if counted is not None else ""


def _ranges(text: str, found: list[Quantity]) -> list[Quantity]:
    """The first number of a range counts what the last one does: "3 à 5 jours"."""
    result = list(found)
    for index in range(len(result) - 2, -1, -1):
        first, second = result[index], result[index + 1]
        if first.unit or first.counts or not second.counts or not _RANGE_JOIN.fullmatch(text, first.end, second.start):
            continue
        result[index] = dataclasses.replace(first, counts=second.counts)
    return result


def _counted(text: str, end: int, *, scaled: bool) -> tuple[str, int] | None:
    """What the count ending at ``end`` counts, and where that word ends; None when the
    next word is no known unit. After a scale, "d'"/"de"/"of" may come first ("2 millions
    d'habitants")."""
    if scaled:
        of = _OF.match(text, end)
        if of is not None:
            end = of.end()
    power = ""
    for _ in range(3):  # at most two adjectives before the noun
        match = _NOUN.match(text, end)
        if match is None:
            return None
        word = _folded(match.group("word"))
        if word in _BEFORE_NOUN:
            end = match.end()
            continue
        if word in _POWERS:  # "square metres"
            power, end = _POWERS[word], match.end()
            continue
        key = COUNTED.get(word) or (COUNTED.get(word[:-1]) if len(word) > 2 and word[-1] in "sx" else None)
        if key == "m":  # "mètres carrés"
            after = _NOUN.match(text, match.end())
            if after is not None and _folded(after.group("word")) in _POWERS:
                return "m" + _POWERS[_folded(after.group("word"))], after.end()
            return "m" + power, match.end()
        return (key, match.end()) if key else None
    return None


def _folded(word: str) -> str:
    word = word.lower().replace("’", "'").replace("²", "2").replace("³", "3")
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


def words_values(text: str) -> Iterator[float]:
    """Every number written in words, small ones included: what a source supports."""
    for match in _WORDS.finditer(text):
        parsed = _parse_words(match.group().lower())
        if parsed is not None:
            yield parsed


def _is_list_marker(text: str, start: int, end: int) -> bool:
    """ "1. Budget" or "2) Travaux" first on a line: numbering the model added, not a claim."""
    line_start = text.rfind("\n", 0, start) + 1
    return not text[line_start:start].strip() and text[end : end + 2] in (". ", ") ", ".\t")


def _parse_digits(digits: str, language: str) -> tuple[float, int]:
    """The value and the number of decimals written."""
    compact = re.sub(f"[{_SPACES}]", "", digits)
    if compact.count(".") > 1:
        compact = compact.replace(".", "").replace(",", ".")
    elif compact.count(",") > 1:
        compact = compact.replace(",", "")
    elif "," in compact and "." in compact:
        # Both: the last one is the decimal mark ("1.240,50" or "1,240.50").
        mark = "," if compact.rfind(",") > compact.rfind(".") else "."
        compact = compact.replace("." if mark == "," else ",", "").replace(",", ".")
    elif re.fullmatch(r"\d{1,3}[.,]\d{3}", compact):
        # "1,240" and "1.240": English groups thousands with a comma, French with a dot.
        thousands = "," if language == "en" else "."
        compact = compact.replace(thousands, "") if thousands in compact else compact.replace(",", ".")
    else:
        compact = compact.replace(",", ".")
    decimals = len(compact.split(".")[1]) if "." in compact else 0
    return float(compact), decimals


def _with_suffix(
    text: str,
    start: int,
    end: int,
    value: float,
    precision: float,
    written_step: float,
    prefix: str | None,
    *,
    in_words: bool = False,
    ordinal: bool = False,
) -> Quantity:
    """The quantity with what follows it; ``written_step`` is the step of the last digit as
    parsed (0.01 for "1,24"), which a scale multiplies."""
    suffix = _SUFFIX.match(text, end)
    unit = _CURRENCIES.get(prefix or "", "")
    if suffix is not None and suffix.group():
        scale_word = suffix.group("scale")
        scale = _SCALE_SYMBOLS.get(suffix.group("symbol") or "", 0.0) or _SCALE_WORDS.get((scale_word or "").lower(), 0.0)
        if scale:
            # "2 millions" is rounded by nature: to the last digit written, times the scale.
            value, precision = value * scale, max(precision, written_step) * scale
        if suffix.group("currency"):
            unit = _CURRENCIES.get(re.sub(rf"[{_SPACES}]+", " ", suffix.group("currency").lower()), "EUR")
        elif suffix.group("percent"):
            unit = "%"
        if scale or unit:
            end = max(suffix.end(group) for group in ("symbol", "scale", "currency", "percent"))
    counts = ""
    if not unit and not ordinal:  # "le 1er jour" is a rank, not a count of days
        counted = _counted(text, end, scaled=bool(suffix is not None and (suffix.group("scale") or suffix.group("symbol"))))
        if counted is not None:
            counts, end = counted
    return Quantity(start, end, text[start:end], value, precision, unit, in_words, counts)


def _step(digits: str, decimals: int) -> float:
    """The step of the last significant digit: 0.01 for "41,52", 1000 for "environ 249 000"."""
    if decimals:
        return 10.0**-decimals
    compact = re.sub(r"\D", "", digits)
    return 10.0 ** (len(compact) - len(compact.rstrip("0"))) if compact.strip("0") else 1.0


def _parse_words(phrase: str) -> float | None:
    """ "vingt-deux" → 22, "quatre-vingt-dix" → 90, "deux cent mille" → 200000; None when
    the phrase is only an article ("un", "one")."""
    words = [w for w in re.split(rf"(?:-|[{_SPACES}])+", phrase) if w not in ("et", "and", "")]
    if not words or (len(words) == 1 and words[0] in _INNER_ONLY):
        return None
    total, current = 0.0, 0.0
    for word in words:
        value = _WORD_VALUES.get(word)
        if value is None:
            return None
        if word in ("cent", "cents", "hundred"):
            current = (current or 1) * 100
        elif word in ("mille", "thousand"):
            total += (current or 1) * 1000
            current = 0
        elif word in ("vingt", "vingts") and current == 4:
            current = 80  # quatre-vingt(s)
        else:
            current += value
    return total + current
