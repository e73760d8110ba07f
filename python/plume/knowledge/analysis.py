"""French-aware terms for the lexical index: the same analysis for passages and questions.

SQLite's ``unicode61`` tokenizer folds case and accents but knows neither elision
("l'arrêté" is one token ``l`` then ``arrete``: fine) nor inflection ("délibérations" never
meets "délibération"). Plume therefore analyses the text itself and gives FTS5 plain
space-separated terms: lower case, accents removed, elided articles and pronouns dropped,
stop words dropped, then a light stemmer (Savoy's, plurals and feminine endings, plus the
common verb endings so that "voté", "votée" and "voter" meet). Light on purpose: an
aggressive stemmer merges words a municipal question must tell apart.
"""

from __future__ import annotations

import functools
import re
import unicodedata

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
# Elided words before an apostrophe: l'arrêté, d'une, qu'il, jusqu'au, lorsqu'elle. Only the
# long ones need removing: the words split at the apostrophe anyway, and a one-letter word
# or "qu" is dropped by :func:`terms` like any other. Matched on folded text (lower case,
# apostrophes as "'"): a case-insensitive pattern costs as much as the rest of the analysis.
_ELISION = re.compile(r"\b(?:jusqu|lorsqu|puisqu|quoiqu)'")

STOP_WORDS = frozenset(
    [
        "a",
        "au",
        "aux",
        "avec",
        "ce",
        "ces",
        "cet",
        "cette",
        "dans",
        "de",
        "des",
        "du",
        "elle",
        "elles",
        "en",
        "est",
        "et",
        "etaient",
        "etait",
        "etre",
        "eu",
        "il",
        "ils",
        "je",
        "la",
        "le",
        "les",
        "leur",
        "leurs",
        "lui",
        "ma",
        "mais",
        "me",
        "meme",
        "mes",
        "moi",
        "mon",
        "ne",
        "nos",
        "notre",
        "nous",
        "on",
        "ont",
        "ou",
        "par",
        "pas",
        "pour",
        "qu",
        "que",
        "quel",
        "quelle",
        "quelles",
        "quels",
        "qui",
        "sa",
        "sans",
        "se",
        "ses",
        "son",
        "sont",
        "sur",
        "ta",
        "te",
        "tes",
        "toi",
        "ton",
        "tu",
        "un",
        "une",
        "vos",
        "votre",
        "vous",
        "y",
        "ete",
        "sera",
        "seront",
        "a-t-il",
        "est-ce",
        "cela",
        "ca",
        "comme",
        "si",
        "plus",
        "tout",
        "tous",
        "toute",
        "toutes",
        "quand",
        "combien",
        "comment",
        "pourquoi",
        "ou",
        "quoi",
        "the",
        "of",
        "and",
        "to",
        "in",
        "is",
        "what",
        "which",
        "who",
        "when",
        "how",
        "for",
        "on",
        "at",
        "by",
        "an",
        "be",
        "are",
        "was",
        "were",
        "it",
        "this",
        "that",
        "with",
        "from",
        "as",
        "or",
        "do",
        "does",
        "did",
    ]
)


# Ligatures and apostrophes NFKD leaves as they are.
_SPELLED = (("œ", "oe"), ("æ", "ae"), ("’", "'"), ("ʼ", "'"))


def fold(text: str) -> str:
    """Lower case without accents (œ and æ spelled out), as a person types a search. By
    Unicode decomposition, then the marks dropped: a character table (``str.translate``)
    looks up every character of non-ASCII text one by one, several times slower, and every
    passage of a search and of an indexing goes through here."""
    text = text.lower()
    if text.isascii():
        return text
    for letter, spelled in _SPELLED:
        if letter in text:
            text = text.replace(letter, spelled)
    return _COMBINING.sub("", unicodedata.normalize("NFKD", text))


_COMBINING = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")


@functools.lru_cache(maxsize=65536)  # a collection's vocabulary repeats: each word is stemmed once
def stem(word: str) -> str:
    """Light French stemming of a folded word (Savoy's minimal stemmer, extended to -er/-ee)."""
    if len(word) <= 3 or word.isdigit():
        return word
    if word.endswith("aux") and len(word) > 4:
        word = word[:-3] + "al"
    elif word[-1] in "sx":
        word = word[:-1]
    for ending in ("ees", "ee", "er", "es", "e"):
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            return word[: -len(ending)]
    return word


def terms(text: str) -> list[str]:
    """The index terms of ``text``, in order."""
    folded = fold(text)
    if "'" in folded:
        folded = _ELISION.sub(" ", folded)
    return [stem(word) for word in _WORD.findall(folded) if word not in STOP_WORDS and (len(word) > 1 or word.isdigit())]


def indexed_text(text: str) -> str:
    """What the FTS5 column holds for a passage: its terms separated by spaces."""
    return " ".join(terms(text))


def match_query(question: str, limit: int = 32) -> str:
    """An FTS5 query matching passages holding ANY of the question's terms (ranked by BM25),
    each term quoted so that no word is read as an operator (NEAR, OR, a column name).
    Empty when the question has no term left (only stop words): nothing to search."""
    unique = list(dict.fromkeys(terms(question)))[:limit]
    return " OR ".join(f'"{term}"' for term in unique)
