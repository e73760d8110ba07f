"""The local audit log: one JSON line per action, in the user's profile, so an organisation
can account for its use of AI (what, when, which model, where the text went) without
keeping the text itself. Text is recorded only when IT enables it. Rotated by size."""

from __future__ import annotations

import json
import os
import threading
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path

_lock = threading.Lock()


@dataclass(frozen=True)
class AuditEntry:
    action: str
    model: str
    destination: str  # "local", or the operator's host
    outcome: str  # done, error, cancelled
    input_chars: int
    output_chars: int
    duration_seconds: float
    pseudonymised: int
    input_text: str | None = None  # only when the settings allow it
    output_text: str | None = None


class AuditLog:
    def __init__(self, path: Path, max_bytes: int = 1_000_000, backups: int = 3) -> None:
        self.path, self.max_bytes, self.backups = path, max_bytes, backups

    def record(self, entry: AuditEntry, when: datetime | None = None) -> None:
        values = {"date": (when or datetime.now(timezone.utc)).isoformat(timespec="seconds"), **asdict(entry)}
        line = json.dumps({k: v for k, v in values.items() if v is not None}, ensure_ascii=False) + "\n"
        with _lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            if self.path.exists() and self.path.stat().st_size + len(line.encode()) > self.max_bytes:
                self._rotate()
            with self.path.open("a", encoding="utf-8") as out:
                out.write(line)

    def _rotate(self) -> None:
        for index in range(self.backups - 1, 0, -1):
            older = self.path.with_name(f"{self.path.name}.{index}")
            if older.exists():
                os.replace(older, self.path.with_name(f"{self.path.name}.{index + 1}"))
        os.replace(self.path, self.path.with_name(f"{self.path.name}.1"))
