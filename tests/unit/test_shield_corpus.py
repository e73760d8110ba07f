"""The shield's targets on the annotated corpus (benchmarks/corpus/shield): every validated
identifier found, and nothing flagged that is not personal data (amounts, dates, article and
deliberation numbers, postcodes). The benchmark prints the same figures with throughput."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from benchmarks.corpus import VALIDATED, load
from benchmarks.shield_quality import score

ROOT = Path(__file__).resolve().parents[2]


def test_the_corpus_is_annotated_with_known_kinds_and_every_validated_kind() -> None:
    from plume.shield.detect import KINDS

    documents = load()
    kinds = {kind for doc in documents for kind, _, _ in doc.gold}
    assert len(documents) >= 8 and kinds <= set(KINDS) and set(VALIDATED) <= kinds
    assert all("{{" not in doc.text for doc in documents)


def test_every_validated_identifier_is_found() -> None:
    _, _, missed, _ = score(load())
    assert {kind: n for kind, n in missed.items() if kind in VALIDATED} == {}


def test_nothing_else_is_flagged() -> None:
    _, _, _, alarms = score(load())
    assert alarms == []


def test_the_benchmark_runs_and_prints_its_table() -> None:
    result = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "shield_quality.py"), "--quick"],
                            capture_output=True, text=True, timeout=300)  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "| TEL (validated) |" in result.stdout and "MB/s" in result.stdout
