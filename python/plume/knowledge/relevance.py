"""Whether a passage a retriever found has anything to do with the question.

A retriever always returns its best hits, and a semantic one returns some for any question
("Quelle est la capitale de l'Australie ?" finds the passages nearest in meaning, however
far). Sending those would let the model answer from memory with a citation for show. So a
hit is **relevant** when it shares at least one meaningful term with the question:

- terms are words folded for comparison: lower case, accents removed, elision dropped
  ("l'école" → "ecole"), then cut to a crude stem (a final "s"/"x" dropped, at most
  :data:`STEM` characters: "délibérations" and "délibération" meet, so do "municipaux" and
  "municipal");
- meaningless words are dropped: French and English function words, question words
  ("quel", "combien", "what"), and words of fewer than three letters; numbers are kept
  whatever their length ("2024", "12": a figure is a strong term).

No relevant hit: the answer says it found nothing in the documents, and the model is not
asked. Irrelevant hits among relevant ones are not sent either (less text leaves).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from .types import Hit

STEM = 6
_WORD = re.compile(r"\w+", re.UNICODE)
_ELISION = re.compile(r"^(?:l|d|j|m|n|s|t|c|qu|jusqu|lorsqu|puisqu|quoiqu)['’]", re.IGNORECASE)
_STOPWORD_TEXT = """
    les des une aux est sont ete etre avoir avait ont pour par sur dans avec sans sous entre vers chez
    que qui quoi quel quelle quels quelles combien comment pourquoi quand lequel laquelle lesquels
    dont cette ces cet son sa ses leur leurs notre nos votre vos mon mes ton tes elle elles ils nous vous
    mais donc car plus moins tres tout tous toute toutes autre autres meme aussi ainsi alors
    fait faire peut peuvent doit doivent faut etait seront sera serait quelles
    dit dire ceci cela celui celle ceux
    the and for are was were been being have has had with without from into onto about what which
    who whom whose when where why how does did doing this that these those there their them they
    can could should would will shall may might must any some all not but yet also than then
"""
_STOPWORDS = frozenset(_STOPWORD_TEXT.split())


def fold(word: str) -> str:
    """A word as terms compare it: lower case, no accents, no elision."""
    word = _ELISION.sub("", word.lower())
    return "".join(c for c in unicodedata.normalize("NFD", word) if not unicodedata.combining(c))


def terms(text: str) -> set[str]:
    """The meaningful terms of ``text``, stemmed (see the module's rules)."""
    found = set()
    for match in _WORD.finditer(text.replace("’", "'")):
        word = fold(match.group())
        if word.isdigit():
            found.add(word.lstrip("0") or "0")
            continue
        if len(word) < 3 or word in _STOPWORDS or not word.isalpha():
            continue
        found.add(_stem(word))
    return found


def _stem(word: str) -> str:
    if len(word) > 3 and word[-1] in "sx":
        word = word[:-1]
    return word[:STEM]


def _all_words(text: str) -> set[str]:
    """Every word of a passage, stemmed like the question's terms (a passage's stopwords
    do no harm: the question's were dropped)."""
    return terms(text)


def relevant(question: str, hits: Iterable[Hit]) -> list[Hit]:
    """The hits sharing a meaningful term with ``question``, in their order; none when the
    question has no meaningful term at all ("Quoi ?")."""
    wanted = terms(question)
    if not wanted:
        return []
    return [hit for hit in hits if wanted & _all_words(f"{hit.passage.title}\n{hit.passage.text}")]
