"""Typed, numbered placeholders for personal data, and their exact restoration.

Within one action the same value always gets the same placeholder (``[EMAIL_1]``,
``[TEL_2]``...), so the model can still tell that two mentions are the same person. The
answer is restored exactly, also when a placeholder arrives split across streamed pieces;
placeholders the answer dropped or altered are reported so the user learns which value is
missing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .detect import KINDS
from .finding import Finding

# Tolerant on purpose: models write "[TEL_1]", "[TEL 1]", "[ TEL_1 ]".
_PLACEHOLDER = re.compile(r"\[\s*(" + "|".join(KINDS) + r")[_ ](\d+)\s*\]")
_LONGEST = max(len(k) for k in KINDS) + 12
_MAYBE_PARTIAL = re.compile(r"\[\s*[A-Z]*[_ ]?\d*\s*$")


@dataclass
class Pseudonymiser:
    by_value: dict[tuple[str, str], str] = field(default_factory=dict)
    values: dict[str, str] = field(default_factory=dict)  # placeholder -> original value
    _known_pattern: re.Pattern[str] | None = field(default=None, repr=False)
    _known_size: int = field(default=0, repr=False)

    def protect(self, text: str, findings: list[Finding]) -> str:
        pieces, position = [], 0
        for finding in sorted(findings, key=lambda f: f.start):
            pieces += [text[position : finding.start], self._placeholder(finding)]
            position = finding.end
        pieces.append(text[position:])
        return "".join(pieces)

    def _placeholder(self, finding: Finding) -> str:
        key = (finding.kind, finding.value)
        if key not in self.by_value:
            number = sum(1 for kind, _ in self.by_value if kind == finding.kind) + 1
            placeholder = f"[{finding.kind}_{number}]"
            self.by_value[key] = placeholder
            self.values[placeholder] = finding.value
        return self.by_value[key]

    def protect_text(self, text: str) -> str:
        """``text`` with what the shield finds in it and every value this mapping already
        holds replaced: placeholders stay the same across the calls of one run."""
        from .detect import detect

        protected = self.protect(text, detect(text))
        known = self._known()
        if known is None:
            return protected
        placeholders = {value: placeholder for (_, value), placeholder in self.by_value.items()}
        return known.sub(lambda m: placeholders.get(m.group(), m.group()), protected)

    def leaks(self, text: str) -> list[str]:
        """The values of this mapping still present in ``text``."""
        known = self._known()
        return known.findall(text) if known is not None else []

    def _known(self) -> re.Pattern[str] | None:
        if len(self.values) != self._known_size:
            values = sorted({value for _, value in self.by_value}, key=len, reverse=True)
            self._known_pattern = re.compile(r"(?<!\w)(?:" + "|".join(map(re.escape, values)) + r")(?!\w)") if values else None
            self._known_size = len(self.values)
        return self._known_pattern

    def restore(self, text: str) -> str:
        def original(match: re.Match[str]) -> str:
            return self.values.get(f"[{match.group(1)}_{match.group(2)}]", match.group())

        return _PLACEHOLDER.sub(original, text)

    def missing(self, answer: str) -> list[str]:
        """Original values whose placeholder is absent from the (raw) answer."""
        present = {f"[{m.group(1)}_{m.group(2)}]" for m in _PLACEHOLDER.finditer(answer)}
        return [value for placeholder, value in self.values.items() if placeholder not in present]


class StreamRestorer:
    """Restore placeholders in streamed pieces, holding back only a tail that may be the
    start of a placeholder."""

    def __init__(self, pseudonymiser: Pseudonymiser) -> None:
        self._pseudonymiser = pseudonymiser
        self._pending = ""
        self.raw = ""

    def feed(self, piece: str) -> str:
        self.raw += piece
        text = self._pending + piece
        partial = _MAYBE_PARTIAL.search(text[-_LONGEST:])
        cut = len(text) - len(partial.group()) if partial else len(text)
        self._pending = text[cut:]
        return self._pseudonymiser.restore(text[:cut])

    def finish(self) -> str:
        rest, self._pending = self._pending, ""
        return self._pseudonymiser.restore(rest)
