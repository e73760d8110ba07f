"""The fact check's targets on the written corpus (benchmarks/corpus/factcheck): every planted
number, amount, date, time, reference and contact error found, names best effort, and false
alarms on faithful answers under 5 %. The benchmark prints the same figures with timings."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from benchmarks.factcheck_quality import STRICT_KINDS, TARGET_FALSE_ALARMS, load, score

pytestmark = pytest.mark.unit
ROOT = Path(__file__).resolve().parents[2]


def test_the_corpus_covers_every_kind_and_translations() -> None:
    from plume.factcheck import KINDS

    cases = load()
    planted = {kind for case in cases for answer in case.answers for kind, _ in answer.planted}
    assert len(cases) >= 14 and planted == set(KINDS)
    answers = [answer for case in cases for answer in case.answers]
    assert sum(not a.planted for a in answers) >= 28 and sum(a.language == "en" for a in answers) >= 8


def test_every_planted_error_of_a_strict_kind_is_found() -> None:
    result = score(load())
    assert [line for line in result.missed_list if line.split(": ")[1].split()[0] in STRICT_KINDS] == []


def test_false_alarms_on_faithful_answers_stay_under_target() -> None:
    result = score(load())
    assert result.false_alarm_rate < TARGET_FALSE_ALARMS, result.alarms


def test_the_benchmark_runs_and_prints_its_table() -> None:
    result = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "factcheck_quality.py"), "--quick"],
                            capture_output=True, text=True, timeout=300)  # fmt: skip
    assert result.returncode == 0, result.stdout + result.stderr
    assert "| amount |" in result.stdout and "Faithful answers with a false alarm" in result.stdout and "MB/s" in result.stdout
