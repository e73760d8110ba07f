"""Disclosing AI output (AI Act art. 50): what Plume records about each applied result.

A :class:`Mark` is plain data; the adapter writes it as a comment on the applied range (when
the setting allows) and, always, as a custom document property ``PlumeAI-<n>`` holding JSON,
which ODT and DOCX both keep. Both list the elements the fact check could not find in the
source (``to_check``), for the reviewer, and whether the answer stopped at the length limit
(``truncated``: its end may be missing).
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
    to_check: tuple[tuple[str, str], ...] = ()  # (kind, text) of each element the source does not support
    truncated: bool = False  # the answer stopped at max_tokens: applied by the user, knowing its end may be missing

    @classmethod
    def now(
        cls,
        action: str,
        model: str,
        destination: str,
        chars: int,
        to_check: tuple[tuple[str, str], ...] = (),
        truncated: bool = False,
    ) -> Mark:
        date = datetime.now(timezone.utc).isoformat(timespec="seconds")
        return cls(action, model, destination, date, chars, to_check, truncated)

    def to_json(self) -> str:
        return json.dumps(asdict(self), ensure_ascii=False, sort_keys=True)

    @classmethod
    def from_json(cls, text: str) -> Mark:
        values = json.loads(text)
        # Records written before these fields existed have neither.
        to_check = tuple((kind, found) for kind, found in values.get("to_check", ()))
        truncated = values.get("truncated") is True
        return cls(values["action"], values["model"], values["destination"], values["date"], values["chars"], to_check,
                   truncated)  # fmt: skip

    def comment(self, lang: str) -> str:
        destination = t("mark.local", lang) if self.destination == "local" else self.destination
        date = self.date[:16].replace("T", " ")
        head = t("mark.comment", lang, action=self.action, model=self.model, destination=destination, date=date)
        return head + self._to_check_line(lang) + ("\n" + t("mark.truncated", lang) if self.truncated else "")

    def _to_check_line(self, lang: str) -> str:
        if not self.to_check:
            return ""
        separator = " ; " if lang == "fr" else "; "  # French puts a space before a semicolon
        items = separator.join(
            t("mark.to_check.item", lang, text=text, kind=t(f"check.kind.{kind}", lang)) for kind, text in self.to_check
        )
        return "\n" + t("mark.to_check", lang, count=len(self.to_check), items=items)
