"""Remove what models add around the answer: ``<think>`` blocks, preambles ("Voici le
résumé :", "Here is..."), code fences and quotation marks wrapping the whole answer.

:class:`StreamCleaner` works on streamed pieces: it withholds only what is still
ambiguous (the first line while it may be a preamble, a label such as "Résumé" being
decided by its third word; a tail that may open ``<think>``; an opening quote until its
first line or 200 characters show whether it wraps the answer; trailing blanks) so that
the concatenation of what it emits always equals ``clean(whole_text)``, however the text
was split.
"""

from __future__ import annotations

import re

_THINK_OPEN, _THINK_CLOSE = "<think>", "</think>"

_META = (
    r"résumé|resume|texte|version|reformulation|traduction|correction|proposition|réponse"
    r"|summary|text|rewrite|rewritten|translation|corrected|answer"
)
_MARKUP = r"(?:\*\*|#+[ \t]*)?"
_OPENER = r"(?:(?:bien sûr|certainement|d'accord|très bien|sure|certainly|of course|okay|ok)[ \t]*[,!.]?[ \t]*)?"
_INTROS = ("voici", "voilà", "ci-dessous", "here", "below")
_INTRO = r"(?:voici|voilà|ci-dessous|here[ \t]+is|here's|here[ \t]+are|below[ \t]+is)"
# A label: "Résumé :", "Texte reformulé :", "En réponse :" (one space after "en", so that a
# line is a label only if it starts with one of _LABELS, whatever follows).
_LABELS = (*_META.split("|"), *(f"en {word}" for word in _META.split("|")))
_LABEL_WORD = r"(?:en )?(?:" + _META + r")"
_LABEL = _LABEL_WORD + r"(?:[ \t]+[\w'éèêàç-]+){0,2}"
# A preamble is one line: everything up to its colon stays on the first line ([ \t], never
# \s), which is what lets the stream cleaner emit text as soon as a line break comes.
_PREAMBLE = re.compile(
    _MARKUP + _OPENER + r"(?:" + _INTRO + r"\b[^\n:]{0,100}?\b(?:" + _META + r")\b[^\n:]{0,60}|" + _LABEL + r")"
    r"[ \t]*(?:\*\*)?[ \t]*:\s*(?:\*\*)?[ \t]*",
    re.IGNORECASE,
)
_HEAD = re.compile(_MARKUP + _OPENER, re.IGNORECASE)
# What a label line can be before its colon: the label, at most two words, markup.
_LABEL_SO_FAR = re.compile(_LABEL_WORD + r"(?:[ \t]+[\w'éèêàç-]*){0,2}[ \t]*\**[ \t]*", re.IGNORECASE)
_PREAMBLE_STARTS = (
    "**",
    "#",
    "bien sûr",
    "certainement",
    "d'accord",
    "très bien",
    "sure",
    "certainly",
    "of course",
    "okay",
    "ok",
    *_INTROS,
    *_LABELS,
)
_UNDECIDED_PREAMBLE_LIMIT = 200
_UNDECIDED_QUOTE_LIMIT = 200
_QUOTES = {'"': '"', "“": "”", "«": "»", "„": "“"}
_FENCE = "```"


def clean(raw: str, final: bool = True) -> str:
    """The answer without its wrapping. With ``final=False`` (more text may follow), return
    only the part no continuation can change."""
    text: str | None = _strip_think(raw, final).lstrip()
    # Each step returns None while what it must decide is still undecided.
    for step in (_strip_preamble, _strip_fence, _strip_quotes):
        if text is None:
            return ""
        text = step(text, final)
    if text is None:
        return ""
    return text.rstrip() if final else text[: len(text.rstrip())]


def _strip_think(raw: str, final: bool) -> str:
    kept: list[str] = []
    pos = 0
    while True:
        start = raw.find(_THINK_OPEN, pos)
        if start < 0:
            tail = raw[pos:]
            if not final:
                tail = tail[: len(tail) - _partial_suffix(tail, _THINK_OPEN)]
            kept.append(tail)
            break
        kept.append(raw[pos:start])
        end = raw.find(_THINK_CLOSE, start)
        if end < 0:
            break  # unfinished reasoning: never part of the answer
        pos = end + len(_THINK_CLOSE)
    return "".join(kept)


def _partial_suffix(text: str, token: str) -> int:
    """Length of the longest end of ``text`` that is a proper start of ``token``."""
    for n in range(min(len(token) - 1, len(text)), 0, -1):
        if text.endswith(token[:n]):
            return n
    return 0


def _strip_preamble(text: str, final: bool) -> str | None:
    match = _PREAMBLE.match(text)
    rest = text[match.end() :] if match else ""
    # Before a newline, only a letter or digit proves the preamble's markup is over ("**").
    if match and (final or "\n" in rest or rest[:1].isalnum()):
        return rest.lstrip()
    if match and not final:
        return None  # "Voici le résumé :" and nothing after yet
    if not final and _may_become_preamble(text):
        return None
    return text


def _may_become_preamble(text: str) -> bool:
    if "\n" in text or len(text) > _UNDECIDED_PREAMBLE_LIMIT:
        return False
    lower = text.lower()
    if any(start.startswith(lower) for start in _PREAMBLE_STARTS):
        return True  # still writing the first word of one
    head = _HEAD.match(lower)  # markup and a courtesy opener, if any
    rest = lower[head.end() :] if head else lower
    if any(rest.startswith(intro) or intro.startswith(rest) for intro in _INTROS):
        return True  # "Voici ... résumé :" may still come, within the limit
    if any(rest.startswith(label) for label in _LABELS):
        # Decided as soon as the line is more than a label and two words: "Résumé des
        # travaux de l'école…" streams from its third word instead of its line break.
        return _LABEL_SO_FAR.fullmatch(rest) is not None
    return any(label.startswith(rest) for label in _LABELS)


def _strip_fence(text: str, final: bool) -> str | None:
    if not text.startswith(_FENCE):
        if not final and _FENCE.startswith(text):
            return None
        return text
    newline = text.find("\n")
    if newline < 0:
        return "" if final else None
    body = text[newline + 1 :]
    stripped = body.rstrip()
    if stripped.endswith(_FENCE):
        if final:
            return stripped[: -len(_FENCE)]
        return stripped[: -len(_FENCE)].rstrip()
    if not final:
        # Hold a tail that may be the start of the closing fence.
        return stripped.rstrip("`").rstrip()
    return body


def _strip_quotes(text: str, final: bool) -> str | None:
    closer = _QUOTES.get(text[:1])
    if closer is None:
        return text
    if _opens_a_wrapper(text, closer):
        return _unwrap(text, closer, final)
    inner_end = text.find(closer, 1)
    while inner_end >= 0:
        if text[inner_end + 1 :].strip():
            return text  # the quotation closes before the end: it does not wrap the answer
        inner_end = text.find(closer, inner_end + 1)
    if not final:
        return None
    stripped = text.rstrip()
    if len(stripped) >= 2 and stripped.endswith(closer):
        return stripped[1:-1].strip()
    return text


def _opens_a_wrapper(text: str, closer: str) -> bool:
    """An opening quote still open at the first line break, or after a few sentences, wraps
    the whole answer: decided there, so that a quoted answer streams instead of appearing
    all at once at the end. A quotation inside the answer closes sooner."""
    newline = text.find("\n")
    window = len(text) if newline < 0 else newline
    if newline < 0 and len(text) <= _UNDECIDED_QUOTE_LIMIT:
        return False  # still undecided: the caller waits for more, or the end decides
    return closer not in text[1 : min(window, _UNDECIDED_QUOTE_LIMIT)]


def _unwrap(text: str, closer: str, final: bool) -> str:
    body = text[1:].strip()
    if body.endswith(closer):
        body = body[: -len(closer)]  # the closing quote, or one that may be it (more may follow)
    return body.rstrip() if final else body


class StreamCleaner:
    """Feed raw pieces, get cleaned pieces; ``finish()`` returns the rest."""

    def __init__(self) -> None:
        self._raw: list[str] = []
        self._emitted = ""

    def feed(self, piece: str) -> str:
        self._raw.append(piece)
        return self._advance(clean("".join(self._raw), final=False))

    def finish(self) -> str:
        return self._advance(clean("".join(self._raw), final=True))

    @property
    def text(self) -> str:
        return self._emitted

    def _advance(self, cleaned: str) -> str:
        if not cleaned.startswith(self._emitted):
            return ""  # cannot happen if clean() is prefix-stable; the property test checks it
        new = cleaned[len(self._emitted) :]
        self._emitted = cleaned
        return new
