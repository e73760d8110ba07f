"""The performance benchmark runs end to end (one quick round of every measure) and writes its
table. No figure is asserted: timings belong in benchmarks/results.md, never in tests."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.timeout(1200)
def test_the_performance_benchmark_runs_and_writes_every_measure(tmp_path: Path) -> None:
    output = tmp_path / "results.md"
    result = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "performance.py"), "--quick", "--output", str(output)],
                            capture_output=True, text=True, timeout=1100, cwd=ROOT)  # fmt: skip
    assert result.returncode == 0, result.stderr[-3000:]
    main, long_documents = output.read_text(encoding="utf-8").split("## Long documents")
    rows = {line.split("|")[1].strip(): line for line in main.splitlines() if line.startswith("| ") and line[2:3].isdigit()}
    assert set(rows) == {"1", "2", "2b", "3", "4", "5a", "5b", "6", "6b", "7", "3b"}, main
    assert all(row.count("|") == 9 for row in rows.values()), "every measure has all its columns"
    sizes = [line.split("|")[1].strip() for line in long_documents.splitlines() if line.startswith("| ") and line[2:3].isdigit()]
    assert sizes == ["1", "2"]
    assert "LibreOffice:" in main and "Load average" in main
