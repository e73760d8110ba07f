"""Legal references: articles of codes and texts (``article L. 2122-22``, ``art. 3 bis``),
and numbered acts (``décret n° 2026-114``, ``loi n° 82-213``, ``délibération n° 2026-04``,
``règlement (UE) 2016/679``), in French and English.

A reference is its family and its identifier; ``Decree No. 2026-114`` is the same reference as
``décret n° 2026-114``. Acts need a number sign or a dashed/slashed number, so that "la loi 3"
or "order 5" are not read as references.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from .spans import Span, Taken

_FAMILIES = {
    "article": "article", "articles": "article", "art": "article",
    "décret": "décret", "décrets": "décret", "decree": "décret", "decrees": "décret",
    "loi": "loi", "lois": "loi", "law": "loi", "laws": "loi", "act": "loi", "acts": "loi",
    "arrêté": "arrêté", "arrêtés": "arrêté", "arrete": "arrêté", "order": "arrêté", "orders": "arrêté",
    "ordonnance": "ordonnance", "ordonnances": "ordonnance", "ordinance": "ordonnance", "ordinances": "ordonnance",
    "délibération": "délibération", "délibérations": "délibération", "deliberation": "délibération",
    "deliberations": "délibération", "resolution": "délibération", "resolutions": "délibération",
    "circulaire": "circulaire", "circulaires": "circulaire", "circular": "circulaire", "circulars": "circulaire",
    "règlement": "règlement", "règlements": "règlement", "regulation": "règlement", "regulations": "règlement",
    "directive": "directive", "directives": "directive",
}  # fmt: skip
_ARTICLE_ID = r"(?:[LRDAO]\.?\s?\*?\s?)?\d+(?:[-‑.]\d+)*(?:\s(?:bis|ter|quater|quinquies)\b)?"
_ARTICLE = re.compile(
    rf"\b(?P<family>articles?|art\.)\s+(?P<ids>{_ARTICLE_ID}(?:\s*(?:,|et|and|à|to|ou|or)\s+{_ARTICLE_ID})*)",
    re.IGNORECASE,
)
_ACT_FAMILY = "|".join(sorted((re.escape(f) for f in _FAMILIES if not f.startswith("art")), key=len, reverse=True))
# "arrêté municipal n° 2026-187": up to three qualifying words when a number sign follows.
_ACT = re.compile(
    rf"\b(?P<family>{_ACT_FAMILY})\s+(?:\((?:UE|EU|CE|EC|CEE)\)\s+)?"
    r"(?:(?:[^\W\d_]+\s+){0,3}?(?P<sign>n°|nº|no\.?|n\.|numéro|number|num\.)\s*)?"
    r"(?P<id>\d+(?:[-‑/]\d+)+|\d+)(?![\w-])",
    re.IGNORECASE,
)
_ARTICLE_IDS = re.compile(_ARTICLE_ID, re.IGNORECASE)


@dataclass(frozen=True)
class Reference(Span):
    family: str  # "article", "décret", "loi"...: the French name, whatever the text's language
    identifier: str  # normalised: "L2122-22", "2026-114"


def references(text: str, taken: Taken) -> Iterator[Reference]:
    for match in _ARTICLE.finditer(text):
        if not taken.claim(match.start(), match.end()):
            continue
        offset = match.start("ids")
        for index, found in enumerate(_ARTICLE_IDS.finditer(match.group("ids"))):
            # The first identifier keeps the word "article" in its span: that is what is highlighted.
            start, end = (match.start() if index == 0 else offset + found.start()), offset + found.end()
            yield Reference(start, end, text[start:end], "article", _normalise(found.group()))
    for match in _ACT.finditer(text):
        identifier = match.group("id")
        if not match.group("sign") and not re.search(r"[-‑/]", identifier):
            continue
        if not taken.claim(match.start(), match.end()):
            continue
        family = _FAMILIES[match.group("family").lower()]
        yield Reference(match.start(), match.end(), match.group(), family, _normalise(identifier))


def _normalise(identifier: str) -> str:
    """ "L. 2122-22" → "L2122-22"; "12 bis" → "12BIS"; "3.1" stays "3.1"."""
    compact = re.sub(r"^([A-Za-z])\.?\s?\*?\s?", r"\1", identifier.replace("‑", "-").strip())
    return re.sub(r"\s+", "", compact).upper()
