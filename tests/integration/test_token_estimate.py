"""Plume's token estimate against the test model's real tokenizer: never below it on any
corpus text (the benchmark exits 1 otherwise), so planned requests cannot overflow."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_the_estimate_never_undercounts_and_the_benchmark_prints_its_table() -> None:
    result = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "token_estimate.py"), "--quick"],
                            capture_output=True, text=True, timeout=300)  # fmt: skip
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert "| Text | UTF-8 bytes | Real tokens |" in result.stdout and "texts underestimated: 0" in result.stdout
