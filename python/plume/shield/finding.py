"""A piece of personal data found in a text: its kind (the placeholder's label) and span.

``canonical`` groups findings that name the same thing under one placeholder (every mention
of one person: "Hélène Van der Berg", "Mme VAN DER BERG", "Hélène"); empty, the value does."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Finding:
    kind: str
    start: int
    end: int
    value: str
    canonical: str = ""
