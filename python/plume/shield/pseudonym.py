"""Typed, numbered placeholders for personal data, and their exact restoration.

The same value, and every mention of one person, always gets the same placeholder
(``[NOM_1]``, ``[TEL_2]``...), so the model can still tell who is who; within one run
(:meth:`Pseudonymiser.protect_text`) placeholders stay the same from one request to the next.

The form stays ``[NOM_1]``: a label in capitals the model leaves alone (it reads as a tag,
not as a word to inflect or translate), a number, and brackets that mark the whole as one
thing to copy. Small models do alter it, so restoring is tolerant: any case, brackets
dropped, doubled or replaced by «» or (), a space, hyphen or nothing instead of the
underscore, markdown escapes (``\\[NOM\\_1\\]``), leading zeros, full-width letters or
digits, zero-width characters, a label translated along with the text (``[NAME_1]``).
Only a known number is restored; without brackets the label must be in capitals or keep
its underscore, and without any delimiter keep an underscore or a hyphen: a plain "nom",
"TEL" or "la CAF 1 fois" in the answer stays as it is.

The answer is restored exactly, also when a placeholder arrives split across streamed
pieces; placeholders the answer dropped are reported so the user learns which value is
missing. When one placeholder stands for several forms of a name ("Hélène Dupont",
"DUPONT"), its n-th occurrence in an answer gets the n-th form of the last text protected
(an answer that keeps the text's order gets its very words back), and the first form once
those run out.
"""

from __future__ import annotations

import functools
import json
import re
from dataclasses import dataclass, field
from typing import Any

from .detect import KINDS
from .finding import Finding
from .names import alternation, fold, matcher

# Labels a model may write when it translates the text along with the placeholder.
ALIASES = {
    "NAME": "NOM",
    "PERSON": "NOM",
    "PHONE": "TEL",
    "TELEPHONE": "TEL",
    "ADDRESS": "ADRESSE",
    "BIRTH": "NAISSANCE",
    "CARD": "CARTE",
    "MAIL": "EMAIL",
}
_LABELS = sorted({*KINDS, *ALIASES}, key=len, reverse=True)
_ZW = "[\u200b\u200c\u200d\u2060\ufeff]{0,2}"
_WS = "[ \u00a0\u202f]{0,3}"


def _char(c: str) -> str:
    """One letter of a label: any case, full width too, zero-width characters after it."""
    forms = {c.upper(), c.lower(), chr(ord(c.upper()) + 0xFEE0), chr(ord(c.lower()) + 0xFEE0)}
    return "[" + "".join(sorted(forms)) + "]" + _ZW


def _label(label: str) -> str:
    return "".join(_char(c) for c in label)


_LABEL = "(?P<label>" + "|".join(_label(label) for label in _LABELS) + ")"
_SEP = r"(?P<sep>(?:\\?[_\-]|[ \u00a0\u202f\uff3f\uff0d‐‑–]|[\u200b\u200c\u200d\u2060\ufeff]){0,4})"
_DIGIT = "[0-9\uff10-\uff19]"
_NUMBER = f"(?P<number>{_DIGIT}(?:{_ZW}{_DIGIT}){{0,3}})(?!{_DIGIT})"
# Doubled brackets close doubled: "[voir [NOM_1]]" keeps its last "]".
_OPEN = r"(?:(?:(?P<double>\[\[)|(?P<open>\\?\[|«|\(|［|【|\{|<))" + _WS + ")?"
_CLOSE = f"(?(double){_WS}\\]\\]|(?:{_WS}(?P<close>\\\\?\\]|»|\\)|］|】|\\}}|>))?)"
PLACEHOLDER = re.compile(f"{_OPEN}{_ZW}(?<![^\\W_]){_LABEL}{_SEP}{_NUMBER}{_ZW}{_CLOSE}")

# Any start of a placeholder at the end of a streamed text: held back until the next piece.
_PREFIXES = "|".join(_label(label[:n]) for label in _LABELS for n in range(1, len(label)))
_ANY_OPEN = r"(?:\[\[?|\\\[?|«|\(|［|【|\{|<)"
_ANY_CLOSE = r"(?:\]\]?|\\\]?|»|\)|］|】|\}|>)"
_MAYBE_PARTIAL = re.compile(
    f"(?:{_ANY_OPEN}{_WS})?{_ZW}"
    f"(?:{_PREFIXES}|{_LABEL.replace('?P<label>', '')}{_SEP.replace('?P<sep>', '')}"
    f"(?:\\\\|{_DIGIT}(?:{_ZW}{_DIGIT}){{0,3}}{_ZW}(?:{_WS}{_ANY_CLOSE}?)?)?)\\Z"
    f"|{_ANY_OPEN}{_WS}{_ZW}\\Z"
)
# Long identifiers: glued to other digits or letters they are still the value (a short one,
# a name, may be part of an ordinary number or word). The door's last check stops them glued;
# a refined answer masks every kind glued.
GLUED_STILL_THE_VALUE = frozenset({"EMAIL", "IBAN", "RIB", "NIR", "CARTE", "SIRET", "TEL"})
_LONGEST_KNOWN = 300  # characters: a longer value is still replaced, not looked for again
_TAIL = 72  # longer than any placeholder this module restores
_CONTEXT = 2  # characters before the held-back tail that decide a match (no letter before)


def _number(raw: str) -> int:
    return int("".join(c for c in raw if c.isdigit()))


@dataclass(frozen=True)
class _Read:
    """A placeholder as the answer wrote it: which one, and what to write back around the
    value (a delimiter that was not the placeholder's own)."""

    placeholder: str
    before: str
    after: str


def _read(match: re.Match[str], text: str) -> _Read | None:
    """The placeholder ``match`` stands for, or None when it is ordinary text. Between
    square brackets anything goes; otherwise the label must be in capitals or keep its
    underscore ("NOM 1", "(nom_1)", not "nom 1" or "(Nom 1)"), may not be a translation,
    and may not run into a word ("NOM_1er")."""
    double = match.group("double") is not None
    opened = "[[" if double else match.group("open")
    closed = "]]" if double else match.group("close")
    label = "".join(c for c in match.group("label") if c.isalpha()).translate(_FULL_WIDTH)
    kind = ALIASES.get(label.upper(), label.upper())
    both = opened is not None and closed is not None
    square = both and opened[-1] in "[［【" and closed[0] in "]］】\\"
    if not square:
        # "NOM_1", "NOM-1", "«NOM 1»", "(nom_1)"; not "nom 1", "(Nom 1)", "NAME_1", and not
        # "la CAF 1 fois" either: without any delimiter, the underscore or a hyphen stays.
        separator = match.group("sep")
        if label.upper() not in KINDS or not (label.isupper() or "_" in separator):
            return None
        if opened is None and closed is None and not ("_" in separator or "-" in separator):
            return None
        if closed is None and text[match.end() : match.end() + 1].isalnum():
            return None
    before = after = ""
    if not both:
        # Only the placeholder's own bracket is taken away: "(NOM_1" keeps its "(".
        if opened is not None and "[" not in opened:
            before = opened
        if closed is not None and "]" not in closed:
            after = closed
    return _Read(f"[{kind}_{_number(match.group('number'))}]", before, after)


_FULL_WIDTH = {code: code - 0xFEE0 for code in range(0xFF21, 0xFF5B)}


@dataclass
class Pseudonymiser:
    by_value: dict[tuple[str, str], str] = field(default_factory=dict)  # (kind, key) -> placeholder
    values: dict[str, str] = field(default_factory=dict)  # placeholder -> original value (its first form)
    forms: dict[str, list[str]] = field(default_factory=dict)  # placeholder -> forms, in the last text's order
    _known: dict[str, tuple[str, str, bool]] = field(default_factory=dict)  # folded -> (placeholder, original, part)
    _identity: dict[str, tuple[str, str]] = field(default_factory=dict)  # placeholder -> (kind, key)
    _matcher: re.Pattern[str] | None = None
    _glued: re.Pattern[str] | None = None  # the known values inside words and numbers too
    _reserved: set[str] = field(default_factory=set)  # placeholders the texts themselves contain
    _whole: dict[str, tuple[str, str]] = field(default_factory=dict)  # value -> (kind, placeholder): masked as one

    def mask_whole(self, value: str, kind: str = "NOM") -> None:
        """``value`` leaves as one placeholder wherever a text holds it, whatever the
        detectors find in it: the user's signature block (a name alone on a line has no cue a
        detector reads; the model is asked to copy the block as it is, and copies the
        placeholder, restored to the whole block). The placeholder is chosen with the first
        text that holds it: after the placeholders that text itself contains."""
        from .plain import plain_form

        value = plain_form(value).strip()
        if value:
            self._whole.setdefault(value, (kind, ""))

    # --- protecting ---------------------------------------------------------------------

    def protect(self, text: str, findings: list[Finding]) -> str:
        pieces, position = [], 0
        order: dict[str, list[str]] = {}
        for finding in sorted(findings, key=lambda f: f.start):
            placeholder = self._placeholder(finding)
            order.setdefault(placeholder, []).append(finding.value)
            pieces += [text[position : finding.start], placeholder]
            position = finding.end
        pieces.append(text[position:])
        self.forms.update(order)
        protected = "".join(pieces)
        return protected

    def protect_text(self, text: str, *, glued: bool = False) -> str:
        """``text`` as it may leave, in its plain form (:func:`.plain.plain_form`: no value
        hides behind an invisible or full-width character) with its personal data replaced:
        what :func:`.detect.detect` finds, and every value this pseudonymiser already replaced
        in an earlier text, under the same placeholder. ``glued``: for a restored answer sent
        back (a refinement), also a known value glued to letters or digits: the model wrote
        "[TEL_1]9" or "[NOM_1]ne", the restored "06 12 34 56 789" or "Dupontne" is no whole
        word and no valid identifier, yet it is the value."""
        from .detect import detect
        from .plain import plain_form

        text = plain_form(text)
        self._reserve(text)
        for value, (kind, placeholder) in self._whole.items():
            whole = _whole_pattern(value, glued)
            if whole.search(text):
                if not placeholder:
                    # Not remembered as a known value: that matcher ignores accents and case
                    # ("a" would mask every "à"); the whole value is looked for as written.
                    placeholder = self._placeholder(Finding(kind, 0, len(value), value, f"whole:{value}"), remember=False)
                    self._whole[value] = (kind, placeholder)
                text = whole.sub(placeholder, text)  # "[NOM_3]": no backslash for re to read
        found = detect(text)
        known = self._known_findings(text, glued=glued)
        if known:
            candidates = sorted([*found, *known], key=lambda f: (f.start, -(f.end - f.start)))
            found, end = [], -1
            for finding in candidates:
                if finding.start >= end:
                    found.append(finding)
                    end = finding.end
        return self.protect(text, found)

    def leaks(self, text: str) -> list[str]:
        """The original values this pseudonymiser replaced that are still in ``text``: a
        last check on what is about to be sent, also when ``text`` is serialised JSON
        ("\\u00e9", "\\"")."""
        seen: dict[str, None] = {}
        text = _json_unescaped(text) if "\\" in text else text
        for value in self._whole:
            if _whole_pattern(value, glued=False).search(text):
                seen.setdefault(value)
        for finding in self._known_findings(text, as_known=True):
            seen.setdefault(finding.value)
        # A phone number glued to other digits ("06 12 34 56 789") is still the number; a name
        # inside a longer word may be another word ("Martin" in "Martinique").
        for finding in self._known_findings(text, as_known=True, glued=True):
            if finding.kind in GLUED_STILL_THE_VALUE:
                seen.setdefault(finding.value)
        return list(seen)

    def _reserve(self, text: str) -> None:
        """Placeholders written in the text itself (a letter template's "[NOM_1]") are never
        given to a value: the answer's "[NOM_1]" must stay the template's."""
        for match in PLACEHOLDER.finditer(text):
            read = _read(match, text)
            if read is not None and read.placeholder not in self.values:
                self._reserved.add(read.placeholder)

    def _placeholder(self, finding: Finding, remember: bool = True) -> str:
        key = (finding.kind, self._key(finding))
        if key not in self.by_value:
            number = sum(1 for kind, _ in self._identity.values() if kind == finding.kind) + 1
            while f"[{finding.kind}_{number}]" in self._reserved or f"[{finding.kind}_{number}]" in self.values:
                number += 1
            placeholder = f"[{finding.kind}_{number}]"
            self.by_value[key] = placeholder
            self.values[placeholder] = finding.value
            self._identity[placeholder] = key
        placeholder = self.by_value[key]
        if remember:
            self._remember(finding, placeholder)
        return placeholder

    def _key(self, finding: Finding) -> str:
        """What identifies the value: its canonical form ("helene|dupont" for every mention
        of Hélène Dupont), else the value. A person known by surname alone in an earlier
        text is the same person once a first name is found with it, and the other way."""
        if not finding.canonical:
            return finding.value
        if finding.kind != "NOM" or ("NOM", finding.canonical) in self.by_value:
            return finding.canonical
        first, _, last = finding.canonical.partition("|")
        same = set()
        for kind, key in self.by_value:
            known_first, _, known_last = key.partition("|")
            if (
                kind == "NOM"
                and "|" in key
                and ((last and known_last == last and (not first or not known_first)) or (not last and known_first == first))
            ):
                same.add(self.by_value[(kind, key)])
        if len(same) == 1:  # two people known by that surname: a new placeholder
            self.by_value[("NOM", finding.canonical)] = same.pop()
        return finding.canonical

    def _remember(self, finding: Finding, placeholder: str) -> None:
        """Keep the value (and for a name, its surname and first name) to find it again."""
        grown = False
        entries = [(finding.value, len(finding.value.split()) == 1 and finding.kind == "NOM")]
        if finding.kind == "NOM" and "|" in finding.canonical:
            first, _, last = finding.canonical.partition("|")
            for name in (first, last):
                if len(name) > 2:
                    entries.append((_original_part(finding.value, name), len(name.split()) == 1))
        for original, one_word in entries:
            folded = _squeezed(fold(original))
            if folded and folded not in self._known and len(folded) <= _LONGEST_KNOWN:
                self._known[folded] = (placeholder, original, one_word)
                grown = True
        if grown:
            self._matcher = self._glued = None

    def _known_findings(self, text: str, as_known: bool = False, glued: bool = False) -> list[Finding]:
        """Where the values already replaced are in ``text``: each finding's value as written
        there, or (``as_known``) as it was first replaced. ``glued``: also inside a longer
        word or number."""
        if not self._known:
            return []
        if self._matcher is None:
            self._matcher = _matcher(tuple(self._known))
        if glued and self._glued is None:
            self._glued = _glued_matcher(tuple(self._known))
        found = []
        for match in (self._glued if glued and self._glued is not None else self._matcher).finditer(text):
            placeholder, original, part = self._known[_squeezed(fold(match.group()))]
            written = text[match.start() : match.end()]
            if part and written[:1].islower() and not original[:1].islower():
                continue  # "rose" is not "Rose"; "dupont" is, once found as "mme dupont"
            kind, key = self._identity[placeholder]
            found.append(Finding(kind, match.start(), match.end(), original if as_known else written, key))
        return found

    # --- restoring ----------------------------------------------------------------------

    def restore(self, text: str) -> str:
        """The model's answer with the values back (the same as :class:`StreamRestorer`)."""
        return self._restore(text, 0, len(text), {})[0]

    def _restore(self, text: str, start: int, stop: int, counts: dict[str, int]) -> tuple[str, int]:
        """``text[start:stop]`` restored, and where it stopped: before ``stop`` when a
        placeholder runs across it. ``text`` around the span is context only. ``counts``:
        how many times each placeholder was restored so far in this answer."""
        pieces, position = [], start
        for match in PLACEHOLDER.finditer(text, start):
            if match.start() >= stop:
                break
            if match.end() > stop:
                stop = match.start()
                break
            read = _read(match, text)
            if read is None or read.placeholder not in self.values:
                continue
            pieces += [text[position : match.start()], read.before, self._form(read.placeholder, counts), read.after]
            position = match.end()
        pieces.append(text[position:stop])
        return "".join(pieces), stop

    def _form(self, placeholder: str, counts: dict[str, int]) -> str:
        forms = self.forms.get(placeholder) or [self.values[placeholder]]
        index = counts.get(placeholder, 0)
        counts[placeholder] = index + 1
        return forms[index] if index < len(forms) else self.values[placeholder]

    def missing(self, answer: str) -> list[str]:
        """Original values whose placeholder is absent from the (raw) answer."""
        present = set()
        for match in PLACEHOLDER.finditer(answer):
            read = _read(match, answer)
            if read is not None:
                present.add(read.placeholder)
        return [value for placeholder, value in self.values.items() if placeholder not in present]


def _whole_pattern(value: str, glued: bool) -> re.Pattern[str]:
    """``value`` as a whole (a signature "Le maire" is not in "Le mairexx"), or anywhere
    (``glued``: an answer where the model glued its placeholder to a word)."""
    return re.compile(re.escape(value) if glued else f"(?<![^\\W_]){re.escape(value)}(?![^\\W_])")


def _original_part(value: str, folded_part: str) -> str:
    """The words of ``value`` that fold to ``folded_part`` ("Hélène" in "Hélène DUPONT")."""
    folded = fold(value)
    index = _squeezed(folded).find(folded_part)
    if index < 0:
        return folded_part
    squeezed_positions = [i for i, c in enumerate(folded) if not (c == " " and i > 0 and folded[i - 1] == " ")]
    start = squeezed_positions[index]
    end = squeezed_positions[min(index + len(folded_part), len(squeezed_positions)) - 1] + 1
    return value[start:end]


def _squeezed(folded: str) -> str:
    return re.sub(" +", " ", folded).strip()


_JSON_ESCAPE = re.compile(r"\\u([dD][89abAB][0-9a-fA-F]{2})\\u([dD][c-fC-F][0-9a-fA-F]{2})|\\u([0-9a-fA-F]{4})|\\([\"\\/bfnrt])")
_SIMPLE = {'"': '"', "\\": "\\", "/": "/", "b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}


def _json_unescaped(text: str) -> str:
    """``text`` with JSON string escapes decoded: the string leaves of a JSON document (fast,
    in C), else each escape replaced."""
    try:
        document = json.loads(text)
    except ValueError:
        return _escapes_replaced(text)
    return "\n".join(string_leaves(document))


# A service (the gateway) protects each round of a conversation with a fresh pseudonymiser that
# finds the same values again: their matchers are built once (building one costs about as much
# as protecting a short conversation), not every round.
@functools.lru_cache(maxsize=256)
def _matcher(words: tuple[str, ...]) -> re.Pattern[str]:
    return matcher(list(words))


@functools.lru_cache(maxsize=256)
def _glued_matcher(words: tuple[str, ...]) -> re.Pattern[str]:
    return re.compile(alternation(list(words), written=True))


def string_leaves(document: Any) -> list[str]:
    """Every string of a decoded JSON document, keys included: what a server reads."""
    leaves: list[str] = []
    stack = [document]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            leaves.append(item)
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)
    return leaves


def _escapes_replaced(text: str) -> str:
    def one(match: re.Match[str]) -> str:
        if match.group(1):
            high, low = int(match.group(1), 16), int(match.group(2), 16)
            return chr(0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00))
        if match.group(3):
            return chr(int(match.group(3), 16))
        return _SIMPLE[match.group(4)]

    return _JSON_ESCAPE.sub(one, text)


class StreamRestorer:
    """Restore placeholders in streamed pieces, holding back only a tail (at most
    ``_TAIL`` characters) that may be the start of a placeholder."""

    def __init__(self, pseudonymiser: Pseudonymiser) -> None:
        self._pseudonymiser = pseudonymiser
        self._pending = ""
        self._context = ""
        self._counts: dict[str, int] = {}
        self._raw: list[str] = []  # joined when asked: growing one string is quadratic

    @property
    def raw(self) -> str:
        """Every piece fed so far, as received."""
        return "".join(self._raw)

    def feed(self, piece: str) -> str:
        self._raw.append(piece)
        text = self._context + self._pending + piece
        base = len(self._context)
        partial = _MAYBE_PARTIAL.search(text, max(base, len(text) - _TAIL))
        cut = partial.start() if partial is not None else len(text)
        done, cut = self._pseudonymiser._restore(text, base, cut, self._counts)
        self._pending = text[cut:]
        self._context = text[max(0, cut - _CONTEXT) : cut]
        return done

    def finish(self) -> str:
        text, base = self._context + self._pending, len(self._context)
        self._pending = ""
        return self._pseudonymiser._restore(text, base, len(text), self._counts)[0]
