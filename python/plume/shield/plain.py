"""The plain form of a text about to leave under a pseudonymising policy."""

from __future__ import annotations

import re
import unicodedata

# Characters that hide a value from a matcher without changing what a reader (or a model)
# sees: invisible ones are dropped, full-width letters and digits read as ASCII. Spaces,
# no-break ones included, are kept: French typography is the document's. Direction marks
# and embeddings (a text copied from a web page has them inside numbers: "06\u200e12 34...")
# only change how mixed-direction text is displayed: dropped too.
_INVISIBLE = dict.fromkeys(
    map(ord, "\u00ad\u200b\u200c\u200d\u2060\ufeff\u200e\u200f\u061c\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
)
_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF01, 0xFF5F)}
# Digits of other scripts ("٠٦", "०६") and of Unicode's mathematical alphabets ("𝟎𝟔") are
# digits to a model: a phone number written with them is still one. They read as ASCII.
_OTHER_DIGIT = re.compile(r"(?![0-9])\d")
_MATH_ALPHANUMERIC = re.compile("[\U0001d400-\U0001d7ff]")


def _ascii_digit(match: re.Match[str]) -> str:
    return str(unicodedata.decimal(match.group()))


def _ascii_letter(match: re.Match[str]) -> str:
    return unicodedata.normalize("NFKC", match.group())


def plain_form(text: str) -> str:
    """``text`` as it leaves under a pseudonymising policy: NFC, without invisible
    characters, full-width forms, other scripts' digits and mathematical letters as ASCII,
    so that no such variant of a value escapes the shield or the last check."""
    if text.isascii():  # already NFC, nothing invisible, full-width or foreign: most JSON keys and schemas
        return text
    text = unicodedata.normalize("NFC", text).translate(_INVISIBLE).translate(_FULL_WIDTH)
    return _MATH_ALPHANUMERIC.sub(_ascii_letter, _OTHER_DIGIT.sub(_ascii_digit, text))
