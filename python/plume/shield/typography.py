"""How French agents write numbers: the separators a number may carry between its digits.

Word processors put no-break spaces (U+00A0), narrow no-break spaces (U+202F) or thin spaces
(U+2009) between digit groups; people type dots, dashes, slashes, or nothing. The detectors
build their patterns from these classes so that every typography reads the same.
"""

from __future__ import annotations

import re

# Spaces: ordinary, no-break, narrow no-break, figure, thin, hair and the fixed-width ones.
SPACES = " \u00a0\u202f\u2007\u2009\u200a\u2002\u2003\u2004\u2005\u2006\u2008"
# Dots, slashes and the dashes (hyphen, no-break hyphen, figure dash, en dash, minus sign).
PUNCTUATION = "./\\-\u2010\u2011\u2012\u2013\u2212"

SPACE = f"[{SPACES}]"
# One separator between two digit groups: a space, a dot, a dash, a slash, or " - ".
SEPARATOR = f"[{SPACES}{PUNCTUATION}]"
GAP = f"{SEPARATOR}{{1,3}}"
# A digit run: digits, separators and brackets ("+33 (0)6 ...").
RUN_CHARS = f"[0-9{SPACES}{PUNCTUATION}()]"


_NON_DIGIT = re.compile(r"[^0-9]")
_DIGIT = re.compile(r"[0-9]")


def digits_of(value: str) -> str:
    """The (ASCII) digits of ``value``, in order."""
    return _NON_DIGIT.sub("", value)


def digit_ends(value: str) -> list[int]:
    """For each digit of ``value``, the offset just after it."""
    return [m.end() for m in _DIGIT.finditer(value)]
