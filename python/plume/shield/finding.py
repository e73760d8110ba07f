"""A piece of personal data found in a text: its kind (the placeholder's label) and span."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Finding:
    kind: str
    start: int
    end: int
    value: str
