"""The place of an element in its text, and the rule that two elements never overlap."""

from __future__ import annotations

import bisect
from dataclasses import dataclass


@dataclass(frozen=True)
class Span:
    start: int
    end: int
    text: str


class Taken:
    """Non-overlapping spans already claimed by an element, sorted for quick lookups (a
    100-page source has thousands of them, and every word is looked up)."""

    def __init__(self, spans: list[tuple[int, int]] | None = None) -> None:
        self._starts: list[int] = []
        self._ends: list[int] = []
        for start, end in sorted(spans or []):
            self.add(start, end)

    def overlaps(self, start: int, end: int) -> bool:
        index = bisect.bisect_left(self._starts, end)  # spans starting before ``end``
        return index > 0 and self._ends[index - 1] > start

    def add(self, start: int, end: int) -> None:
        """Claim ``start:end``; callers only add spans that overlap nothing claimed."""
        index = bisect.bisect_left(self._starts, start)
        self._starts.insert(index, start)
        self._ends.insert(index, end)

    def claim(self, start: int, end: int) -> bool:
        """Claim the span if it is free; whether it was."""
        if self.overlaps(start, end):
            return False
        self.add(start, end)
        return True

    def spans(self) -> list[tuple[int, int]]:
        return list(zip(self._starts, self._ends, strict=True))
