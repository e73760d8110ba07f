"""Disclosing AI output (AI Act art. 50): what Plume records about each applied result.

A :class:`Mark` is plain data; the adapter writes it as a comment on the applied range (when
the setting allows) and, always, as a custom document property ``PlumeAI-<n>`` holding JSON,
which ODT and DOCX both keep.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from datetime import datetime, timezone

from .i18n import t

PROPERTY_PREFIX = "PlumeAI-"
COMMENT_AUTHOR = "Plume (IA)"


@dataclass(frozen=True)
class Mark:
    action: str
    model: str
    destination: str
    date: str
    chars: int

    @classmethod
    def now(cls, action: str, model: str, destination: str, chars: int) -> Mark:
        return cls(action, model, destination, datetime.now(timezone.utc).isoformat(timespec="seconds"), chars)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Mark:
        values = json.loads(text)
        return cls(**{k: values[k] for k in ("action", "model", "destination", "date", "chars")})

    def comment(self, lang: str) -> str:
        destination = t("mark.local", lang) if self.destination == "local" else self.destination
        return t(
            "mark.comment",
            lang,
            action=self.action,
            model=self.model,
            destination=destination,
            date=self.date[:16].replace("T", " "),
        )
