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


def test_the_log_is_readable_by_its_owner_only(tmp_path: Path) -> None:
    import os
    import stat

    old = tmp_path / "plume" / "audit.jsonl"
    old.parent.mkdir()
    old.write_text("", encoding="utf-8")
    old.chmod(0o644)  # as an older version left it
    AuditLog(old).record(ENTRY)
    AuditLog(tmp_path / "new" / "audit.jsonl").record(ENTRY)
    for path in (old, tmp_path / "new" / "audit.jsonl"):
        assert stat.S_IMODE(os.stat(path).st_mode) == 0o600


def test_texts_are_kept_as_they_left_the_machine() -> None:
    from plume.audit import as_sent
    from plume.egress.door import Door
    from plume.settings import Settings

    operator = Settings(backend="openai", base_url="https://llm.operateur.example", approved_hosts="llm.operateur.example")
    door = Door(operator)
    sent = door.protect("Reçu Mme Claire Durand, tél. 06 12 34 56 78.")
    assert as_sent(door, "Mme Claire Durand rappellera au 06 12 34 56 78.") == "Mme [NOM_1] rappellera au [TEL_1]."
    assert "Durand" not in sent
    assert as_sent(None, "Claire Durand") is None  # no door, nothing left: the mapping is unknown
    local = Door(Settings(backend="openai", base_url="http://127.0.0.1:8080"))
    assert as_sent(local, "Claire Durand") == "Claire Durand"  # sent as is to this computer: recorded as is
