"""Phone numbers, by the French numbering plan's own shape rather than by what is allocated
today: a number that looks like a phone number is personal data whether or not its range is
in service. ``phonenumbers`` is only asked about foreign numbers written in international
form (+44..., 0049...), where it knows each country's possible lengths.

The functions here read one *digit run* (digits joined by separators, see
:mod:`.typography`) and say how long the phone number at its start is, or 0.
"""

from __future__ import annotations

import re

from .typography import SEPARATOR

# France's overseas country codes and the length of their national numbers (Réunion and
# Mayotte +262, Guadeloupe and Saint-Martin +590, Guyane +594, Martinique +596, Saint-Pierre-
# et-Miquelon +508, Wallis-et-Futuna +681, Nouvelle-Calédonie +687, Polynésie +689; +269
# is the Comoros, Mayotte's former code, still written).
OVERSEAS = {"262": 9, "590": 9, "594": 9, "596": 9, "269": 7, "508": 6, "681": 6, "687": 6, "689": 8}

# "01.02.2026 10:30" has ten digits and starts with 0: a date, not a phone number. The same
# separator going on after the year ("0.1.2009.4930") is a phone number's grouping.
_DATE_START = re.compile(rf"[0-9]{{1,2}}({SEPARATOR})[0-9]{{1,2}}\1(?:19|20)[0-9]{{2}}(?![0-9])(?!\1[0-9])")


def _group_end(value: str, offset: int) -> bool:
    return offset == len(value) or not value[offset].isdigit()


def phone_length(value: str, digits: str, ends: list[int]) -> int:
    """Length of the phone number ``value`` starts with (0 if none): ``digits`` are its
    digits and ``ends[i]`` the offset after digit ``i``. A number ends where a digit group
    ends, so "06 12 34 56 78 12 rue" gives the phone number and leaves "12"."""
    if value[0] == "+" or digits.startswith("00"):
        return _international(value, digits, ends)
    # The French plan: 0, then 1 to 9, then 8 digits, in any grouping.
    french = len(digits) >= 10 and digits[0] == "0" and digits[1] != "0" and _group_end(value, ends[9])
    return ends[9] if french and not _DATE_START.match(value) else 0


def _national(value: str, digits: str, ends: list[int], first: int, length: int) -> int:
    last = first + length - 1
    if len(digits) > last and digits[first] != "0" and _group_end(value, ends[last]):
        return ends[last]
    return 0


def _international(value: str, digits: str, ends: list[int]) -> int:
    code = 0 if value[0] == "+" else 2  # where the country code starts in ``digits``
    if digits.startswith("33", code):
        first = code + 2
        if digits[first : first + 1] == "0":  # "+33 (0)6 ..." and the common "+33 06 ..."
            first += 1
        return _national(value, digits, ends, first, 9)
    overseas = digits[code : code + 3]
    if overseas in OVERSEAS:
        return _national(value, digits, ends, code + 3, OVERSEAS[overseas])
    return _foreign(value, digits, ends, code)


def _foreign(value: str, digits: str, ends: list[int], code: int) -> int:
    import phonenumbers  # only for numbers in international form: rare, and worth its cost here

    for last in range(len(digits) - 1, code + 6, -1):  # the longest number that may exist
        if not _group_end(value, ends[last]):
            continue
        try:
            number = phonenumbers.parse("+" + digits[code : last + 1], None)
        except phonenumbers.NumberParseException:
            continue
        if phonenumbers.is_possible_number(number):
            return ends[last]
    return 0
