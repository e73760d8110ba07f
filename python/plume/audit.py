"""The local audit log: one JSON line per action, in the user's profile, so an organisation
can account for its use of AI (what, when, which model, where the text went) without
keeping the text itself. Text is recorded only when IT enables it, and then as it left the
machine: pseudonymised with the run's mapping under a pseudonymising policy. The file is
readable by its owner only. Rotated by size."""

from __future__ import annotations

import json
import os
import threading
from dataclasses import asdict, dataclass
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .egress.door import Door

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
    requests: int = 0  # requests the door sent
    prevented: int = 0  # requests the door's last check stopped (personal data still in the body)
    truncated: bool = False  # the answer stopped at max_output_tokens
    input_text: str | None = None  # only when the settings allow it, as sent
    output_text: str | None = None  # as received
    client: str | None = None  # who asked, when a service runs the request: the gateway key's name


def as_sent(door: Door | None, text: str, *, answer: bool = False) -> str | None:
    """``text`` as the run's door let it out (pseudonymised under a pseudonymising policy),
    or None when no door was opened (nothing left, and the mapping is unknown). ``answer``:
    ``text`` is a restored answer, whose values may be glued to words where the model glued
    their placeholders: masked there too."""
    return door.protect(text, glued=answer) if door is not None else None


class AuditLog:
    def __init__(self, path: Path, max_bytes: int = 1_000_000, backups: int = 3) -> None:
        self.path, self.max_bytes, self.backups = path, max_bytes, backups

    def record(self, entry: AuditEntry, when: datetime | None = None) -> None:
        values = {"date": (when or datetime.now(timezone.utc)).isoformat(timespec="seconds"), **asdict(entry)}
        line = json.dumps({k: v for k, v in values.items() if v is not None}, ensure_ascii=False) + "\n"
        with _lock:
            self.path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
            self._owner_only()
            if self.path.exists() and self.path.stat().st_size + len(line.encode()) > self.max_bytes:
                self._rotate()
            # Owner only, also for a file an older version created readable by all.
            descriptor = os.open(self.path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
            with os.fdopen(descriptor, "a", encoding="utf-8") as out:
                if os.name == "posix" and os.fstat(descriptor).st_mode & 0o077:
                    os.fchmod(descriptor, 0o600)
                out.write(line)

    def _owner_only(self) -> None:
        """The folder and every file of the log, also those an older version left readable
        by all (the backups hold texts when ``audit_include_text`` is on)."""
        if os.name != "posix":
            return  # Windows: the profile folder's ACL already limits it to its user
        paths = [(self.path.parent, 0o700)]
        paths += [(self.path.with_name(f"{self.path.name}.{i}"), 0o600) for i in range(1, self.backups + 1)]
        for path, mode in paths:
            try:
                if path.stat().st_mode & 0o077:
                    path.chmod(mode)
            except FileNotFoundError:
                continue

    def _rotate(self) -> None:
        for index in range(self.backups - 1, 0, -1):
            older = self.path.with_name(f"{self.path.name}.{index}")
            if older.exists():
                os.replace(older, self.path.with_name(f"{self.path.name}.{index + 1}"))
        os.replace(self.path, self.path.with_name(f"{self.path.name}.1"))
