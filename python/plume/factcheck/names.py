"""Proper names: runs of capitalised words ("Jean Dupont", "Saint-Priest", "CGCT").

Best effort, tuned against false alarms: a single capitalised word that starts a sentence
or a line is taken for an ordinary word ("Le", "Ensuite"), unless written in capitals;
courtesy titles, months and weekdays are not names; a word also written in lower case in the
answer is a common noun given a capital ("le Conseil"). Between languages (translations),
the English words administrations capitalise ("City Council") are not names either.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from .spans import Span, Taken

_TOKEN = re.compile(r"[^\W\d_]+(?:[-'’][^\W\d_]+)*")
_ELISIONS = ("l", "d", "j", "m", "n", "s", "t", "c", "qu", "jusqu", "lorsqu", "puisqu")
_CONNECTORS = frozenset(["de", "du", "des", "la", "le", "van", "von", "of", "d'", "d’"])
_SENTENCE_END = ".!?:;…\n"
_OPENERS = " \t\"'«“‘([{*•–—-\u00a0\u202f"


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


_NOT_NAMES = _word_set(
    "m mm mme mmes mlle mlles monsieur madame mesdames messieurs mademoiselle me maître dr docteur pr professeur "
    "mr mrs ms miss sir madam dear i "
    "the a an this that these those it we you he she they our your their in on at for to from with by of and or but "
    "le la les un une des ce cet cette ces il elle ils elles nous vous on en dans pour par sur avec et ou mais au aux "
    # Words that open sentences and are often absent from the source ("Contactez le CCAS").
    "selon après avant depuis dès lors ainsi enfin puis ensuite cependant toutefois néanmoins également aussi "
    "vu considérant contactez contacter appelez merci bienvenue veuillez voir cf according after before since then however also "
    "please contact call book visit see welcome note "
    "lundi mardi mercredi jeudi vendredi samedi dimanche monday tuesday wednesday thursday friday saturday sunday "
    "janvier février fevrier mars avril mai juin juillet août aout septembre octobre novembre décembre decembre "
    "january february march april may june july august september october november december"
)
# Words English capitalises in institutional names, which a translation adds to names of the
# source ("conseil municipal" → "City Council"): not proper names to look for in the source.
_ENGLISH_TITLE_WORDS = _word_set(
    "city town hall council councillor councillors municipal municipality mayor deputy department departmental "
    "regional region prefect prefecture republic french state government minister ministry office service services "
    "committee board assembly national general code article articles decree law act order court administrative "
    "public social affairs director directorate head chair president secretary treasury finance finances budget "
    "urban planning housing education school schools health culture sports youth environment transport metropolis "
    "metropolitan community communities association union european commission authority agency centre center "
    "management human resources legal unit division section subject object re note minutes meeting annex appendix "
    "id vat tax am pm eu uk usa us hr it pdf"
)


@dataclass(frozen=True)
class Name(Span):
    words: tuple[str, ...]  # the capitalised words, normalised; connectors ("de") left out
    acronyms: tuple[bool, ...]  # for each word: written in capitals ("CGCT")


@functools.lru_cache(maxsize=1 << 16)  # a long source repeats its words: normalise each once
def normalise(word: str) -> str:
    """Case and accents do not matter: "DUPONT", "Dupont" and "dupont" are one name."""
    decomposed = unicodedata.normalize("NFKD", word.casefold().replace("’", "'"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words_of(text: str) -> Iterator[tuple[int, int, str]]:
    """(start, end, word) for each word, elided articles cut off ("l'Hôtel" → "Hôtel")."""
    for match in _TOKEN.finditer(text):
        start, word = match.start(), match.group()
        head, separator, rest = word.replace("’", "'").partition("'")
        if separator and rest and head.lower() in _ELISIONS:
            start, word = start + len(head) + 1, word[len(head) + 1 :]
        yield start, match.end(), word


def names(text: str, taken: Taken, *, translated: bool) -> Iterator[Name]:
    tokens = list(words_of(text))
    # Words inside e-mail addresses, links and references do not make a name a common noun.
    lower_words = {normalise(w) for s, e, w in tokens if w[:1].islower() and not taken.overlaps(s, e)}
    index = 0
    while index < len(tokens):
        group = _group(tokens, index, taken)
        if not group:
            index += 1
            continue
        index = group[-1][0] + 1
        words = [tokens[i] for i, _ in group if _]
        kept = [(s, e, w) for s, e, w in words if _is_name_word(w, lower_words, translated)]
        if not kept:
            continue
        first = words[0]
        if not first[2].isupper() and _starts_sentence(text, first[0]):
            # A sentence's first word is an ordinary word given a capital when it stands alone
            # ("Ensuite") or before a connector ("Contactez le CCAS"); "Jean Dupont" stays whole.
            if len(words) == 1:
                continue
            if not group[1][1] and kept and kept[0] == first:
                kept = kept[1:]
        if not kept:
            continue
        start, end = kept[0][0], kept[-1][1]
        yield Name(start, end, text[start:end], tuple(normalise(w) for _, _, w in kept), tuple(w.isupper() for _, _, w in kept))


_NOT_INITIALS = _word_set("de des du la le les et en à au aux of the and for a an")


def initials(words: list[str], longest: int = 6) -> set[str]:
    """The acronyms a text's normalised ``words`` spell out: "code général des collectivités
    territoriales" gives "cgct" (and "cg", "gct"...), so that an answer's "CGCT" is supported."""
    joined = "".join(word[0] for word in words if word not in _NOT_INITIALS)
    return {joined[i : i + n] for n in range(2, longest + 1) for i in range(len(joined) - n + 1)}


def _group(tokens: list[tuple[int, int, str]], index: int, taken: Taken) -> list[tuple[int, bool]]:
    """Indices of the run of capitalised words starting at ``index`` (connectors between two
    capitalised words included, flagged False); empty if ``index`` is not capitalised."""

    def capitalised(i: int) -> bool:
        start, end, word = tokens[i]
        return word[:1].isupper() and not taken.overlaps(start, end)

    if not capitalised(index):
        return []
    group, i = [(index, True)], index + 1
    while i < len(tokens):
        previous_end = tokens[group[-1][0]][1]
        if capitalised(i) and _next_to(previous_end, tokens[i][0]):
            group.append((i, True))
            i += 1
        elif (tokens[i][2].lower() in _CONNECTORS and i + 1 < len(tokens) and capitalised(i + 1)
              and _next_to(previous_end, tokens[i][0])):  # fmt: skip
            group += [(i, False), (i + 1, True)]
            i += 2
        else:
            break
    return group


def _next_to(end: int, start: int) -> bool:
    """One space (or one no-break space) between two words: "Jean Dupont", not "Jean, Dupont"."""
    return start - end == 1


def _is_name_word(word: str, lower_words: set[str], translated: bool) -> bool:
    key = normalise(word)
    if len(word) < 2 or key in _NOT_NAMES or (key in lower_words and not word.isupper()):
        return False
    return not (translated and key in _ENGLISH_TITLE_WORDS)


def _starts_sentence(text: str, start: int) -> bool:
    before = text[max(0, start - 12) : start].rstrip(_OPENERS)
    if start > 12 and not before:
        before = text[:start].rstrip(_OPENERS)
    return not before or before[-1] in _SENTENCE_END or re.search(r"(?:^|\n)\s*(?:\d+[.)]|[-*•–])?$", before) is not None
