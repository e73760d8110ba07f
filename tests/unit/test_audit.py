from __future__ import annotations

import json
from datetime import datetime, timezone
from pathlib import Path

from plume.audit import AuditEntry, AuditLog

ENTRY = AuditEntry("summarize", "smollm2", "local", "done", 1200, 300, 2.5, 2)


def test_one_json_line_per_action_without_text_by_default(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "audit.jsonl")
    log.record(ENTRY, when=datetime(2026, 11, 22, 10, 0, tzinfo=timezone.utc))
    log.record(ENTRY)
    lines = (tmp_path / "audit.jsonl").read_text(encoding="utf-8").splitlines()
    first = json.loads(lines[0])
    assert len(lines) == 2 and first["date"] == "2026-11-22T10:00:00+00:00"
    assert first["action"] == "summarize" and first["pseudonymised"] == 2 and first["destination"] == "local"
    assert "input_text" not in first and "output_text" not in first


def test_text_is_kept_only_when_given(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "audit.jsonl")
    log.record(AuditEntry("rewrite", "m", "local", "done", 5, 5, 0.1, 0, input_text="Texte", output_text="Réponse"))
    assert json.loads((tmp_path / "audit.jsonl").read_text(encoding="utf-8"))["output_text"] == "Réponse"


def test_the_log_rotates_by_size_and_keeps_a_few_old_files(tmp_path: Path) -> None:
    log = AuditLog(tmp_path / "audit.jsonl", max_bytes=600, backups=2)
    for _ in range(40):
        log.record(ENTRY)
    files = sorted(p.name for p in tmp_path.iterdir())
    assert files == ["audit.jsonl", "audit.jsonl.1", "audit.jsonl.2"]
    assert all((tmp_path / name).stat().st_size <= 600 for name in files)
    assert all(json.loads(line) for name in files for line in (tmp_path / name).read_text().splitlines())
