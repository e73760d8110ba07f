"""An offline sentence splitter, used when a language package ships no splitter model.

Argos translates sentence by sentence. Its splitters (MiniSBD, Stanza) download a model
the first time a language is used when the package does not carry one, with no timeout:
on a machine without network that hangs the translation. Plume never lets that happen;
this rule-based splitter takes over instead. It errs on the side of not splitting (an
unsplit sentence pair still translates, a wrong split inside "M. Dupont" harms more).
"""

from __future__ import annotations

import re

# Words after which a full stop does not end a sentence (French and English administrative text).
ABBREVIATIONS = frozenset(
    [
        "m",
        "mm",
        "mme",
        "mmes",
        "mlle",
        "dr",
        "pr",
        "me",
        "mgr",
        "st",
        "ste",
        "art",
        "al",
        "av",
        "bd",
        "bld",
        "ch",
        "cf",
        "chap",
        "env",
        "etc",
        "ex",
        "fig",
        "hab",
        "mr",
        "mrs",
        "ms",
        "prof",
        "sr",
        "jr",
        "vs",
        "no",
        "nº",
        "tel",
        "tél",
        "p",
        "pp",
        "vol",
        "réf",
        "ref",
        "n°",
        "inc",
        "ltd",
        "co",
        "corp",
        "dept",
    ]
)
_END = re.compile(r"([.!?…。！？]+(?:[ \u00a0\u202f]?[\"»”’)])*)(\s+)")
_WORD_BEFORE = re.compile(r"(\S+)$")


def split_sentences(text: str) -> list[str]:
    """Sentences of ``text``, each with its trailing punctuation; joining them with single
    spaces gives back the text up to whitespace."""
    sentences: list[str] = []
    start = 0
    for match in _END.finditer(text):
        end = match.end(1)
        before = _WORD_BEFORE.search(text[start : match.start(1)])
        word = before.group(1).lower().strip("(«\"'") if before else ""
        word = re.split(r"['’]", word)[-1]  # "l'art." -> "art"
        following = text[match.end() : match.end() + 1]
        if match.group(1) == "." and (word in ABBREVIATIONS or (len(word) == 1 and word.isalpha())):
            continue  # "M. Dupont", "art. 3", an initial "J. Martin"
        if following and (following.islower() or following.isdigit()):
            continue  # "etc. et", "art. 3": a lowercase or numeric continuation is not a new sentence
        piece = text[start:end].strip()
        if piece:
            sentences.append(piece)
        start = match.end()
    rest = text[start:].strip()
    if rest:
        sentences.append(rest)
    return sentences


class RuleSentencizer:
    """Stands in for Argos's sentence-boundary models (same ``split_sentences`` method)."""

    def split_sentences(self, text: str) -> list[str]:
        return split_sentences(text) or [text]

    def __str__(self) -> str:
        return "Plume offline rule splitter"
