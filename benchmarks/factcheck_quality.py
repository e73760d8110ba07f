"""Fact-check quality on the written corpus (benchmarks/corpus/factcheck): recall on planted
errors per kind, false alarms on faithful answers, and the time a check takes. Prints a table
and writes benchmarks/results-factcheck.md.

    .venv/bin/python benchmarks/factcheck_quality.py [--quick]

A planted element counts as found when a finding overlaps its place in the answer. A
faithful answer with any finding is a false alarm; so is a finding in a planted answer that
overlaps no planted element.
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "python"), str(ROOT)]

from plume.factcheck import KINDS, check  # noqa: E402

CORPUS = ROOT / "benchmarks" / "corpus" / "factcheck"
# Errors the check must always catch; names are best effort (see plume.factcheck.names).
STRICT_KINDS = ("amount", "percent", "number", "date", "time", "reference", "email", "phone", "link")
TARGET_FALSE_ALARMS = 0.05


@dataclass
class Answer:
    case: str
    text: str
    language: str  # "" when the same as the source's
    planted: list[tuple[str, str]] = field(default_factory=list)  # (kind, exact text)


@dataclass
class Case:
    name: str
    source: str
    answers: list[Answer]


def load() -> list[Case]:
    cases = []
    for path in sorted(CORPUS.glob("*.txt")):
        sections = path.read_text(encoding="utf-8").split("=== ")[1:]
        source, answers = "", []
        for section in sections:
            header, _, body = section.partition("\n")
            label, _, language = header.strip().partition(" ")
            if label == "source":
                source = body.strip()
                continue
            lines = body.strip().split("\n")
            planted = []
            while lines and lines[0].startswith("@ "):
                kind, _, text = lines.pop(0)[2:].partition(": ")
                planted.append((kind.strip(), text.strip()))
            answers.append(Answer(path.stem, "\n".join(lines).strip(), language, planted))
            if (label == "planted") != bool(planted):
                raise ValueError(f"{path.name}: a planted answer needs '@ kind: text' lines, a faithful one none")
        cases.append(Case(path.stem, source, answers))
    return cases


@dataclass
class Score:
    found: Counter[str] = field(default_factory=Counter)
    missed: Counter[str] = field(default_factory=Counter)
    missed_list: list[str] = field(default_factory=list)
    faithful: int = 0
    faithful_alarmed: int = 0
    alarms: list[str] = field(default_factory=list)  # every finding that is not a planted error
    seconds: list[float] = field(default_factory=list)

    @property
    def false_alarm_rate(self) -> float:
        return self.faithful_alarmed / self.faithful if self.faithful else 0.0


def score(cases: list[Case]) -> Score:
    result = Score()
    for case in cases:
        for answer in case.answers:
            started = time.perf_counter()
            findings = check(answer.text, case.source)
            result.seconds.append(time.perf_counter() - started)
            spans = [_place(answer, text) for _, text in answer.planted]
            for (kind, text), (start, end) in zip(answer.planted, spans, strict=True):
                if any(f.start < end and start < f.end for f in findings):
                    result.found[kind] += 1
                else:
                    result.missed[kind] += 1
                    result.missed_list.append(f"{case.name}: {kind} {text!r}")
            unexpected = [f for f in findings if not any(f.start < end and start < f.end for start, end in spans)]
            result.alarms += [f"{case.name}: {f.kind} {f.text!r}" for f in unexpected]
            if not answer.planted:
                result.faithful += 1
                result.faithful_alarmed += bool(findings)
    return result


def _place(answer: Answer, text: str) -> tuple[int, int]:
    start = answer.text.find(text)
    if start < 0:
        raise ValueError(f"{answer.case}: planted {text!r} is not in its answer")
    return start, start + len(text)


def table(result: Score, throughput: float) -> str:
    lines = ["| Kind | Planted | Found | Recall |", "|---|---:|---:|---:|"]
    for kind in KINDS:
        total = result.found[kind] + result.missed[kind]
        if total:
            lines.append(f"| {kind}{'' if kind in STRICT_KINDS else ' (best effort)'} | {total} | {result.found[kind]} | "
                         f"{result.found[kind] / total:.0%} |")  # fmt: skip
    planted = sum(result.found.values()) + sum(result.missed.values())
    lines.append(f"| **all** | {planted} | {sum(result.found.values())} | {sum(result.found.values()) / planted:.0%} |")
    lines += [
        "",
        f"Faithful answers with a false alarm: {result.faithful_alarmed} / {result.faithful} "
        f"= {result.false_alarm_rate:.1%} (target < {TARGET_FALSE_ALARMS:.0%}).",
        f"Findings that are not planted errors, all answers: {len(result.alarms)}.",
        f"Check time per answer: median {statistics.median(result.seconds) * 1000:.1f} ms, "
        f"max {max(result.seconds) * 1000:.1f} ms; on a long text: {throughput:.2f} MB/s of source.",
    ]
    return "\n".join(lines)


def long_text_throughput(cases: list[Case], repeats: int) -> float:
    """A 100-page source (about 300 kB) checked against a one-page answer: the source is what grows."""
    source = "\n\n".join(c.source for c in cases)
    big = source * max(1, 300_000 // len(source))
    answer = cases[0].answers[0].text
    rates = []
    for _ in range(repeats):
        started = time.perf_counter()
        check(answer, big)
        rates.append(len(big.encode("utf-8")) / 1e6 / (time.perf_counter() - started))
    return statistics.median(rates)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="one throughput sample (for the test that the benchmark runs)")
    args = parser.parse_args()
    cases = load()
    result = score(cases)
    text = table(result, long_text_throughput(cases, 1 if args.quick else 5))
    if result.missed_list:
        text += "\n\nMissed:\n" + "\n".join(f"- {line}" for line in result.missed_list)
    if result.alarms:
        text += "\n\nNot planted:\n" + "\n".join(f"- {line}" for line in result.alarms)
    print(text)
    header = (f"# Fact-check quality\n\n{len(cases)} sources, {sum(len(c.answers) for c in cases)} answers; "
              f"Python {platform.python_version()} on {platform.machine()}.\n\n")  # fmt: skip
    if not args.quick:
        (ROOT / "benchmarks" / "results-factcheck.md").write_text(header + text + "\n", encoding="utf-8")
    missed_strict = sum(result.missed[kind] for kind in STRICT_KINDS)
    return 0 if missed_strict == 0 and result.false_alarm_rate < TARGET_FALSE_ALARMS else 1


if __name__ == "__main__":
    raise SystemExit(main())
