"""Personal-data shield quality on the annotated corpus: recall and precision per type, the
false alarms, and the scan throughput. Prints a table and writes benchmarks/results-shield.md.

    .venv/bin/python benchmarks/shield_quality.py [--quick]

A finding matches a marked value of the same type when their spans overlap (names and
addresses are best effort: their edges may differ by a word).
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "python"), str(ROOT)]

from benchmarks.corpus import VALIDATED, Annotated, load  # noqa: E402
from plume.shield.detect import KINDS, detect  # noqa: E402


def score(documents: list[Annotated]) -> tuple[Counter[str], Counter[str], Counter[str], list[str]]:
    true_pos, false_pos, false_neg = Counter[str](), Counter[str](), Counter[str]()
    alarms: list[str] = []
    for doc in documents:
        found = detect(doc.text)
        for kind, start, end in doc.gold:
            if any(f.kind == kind and f.start < end and start < f.end for f in found):
                true_pos[kind] += 1
            else:
                false_neg[kind] += 1
        for f in found:
            if not any(f.kind == kind and f.start < end and start < f.end for kind, start, end in doc.gold):
                false_pos[f.kind] += 1
                alarms.append(f"{doc.name}: {f.kind} {f.value!r}")
    return true_pos, false_pos, false_neg, alarms


def throughput(documents: list[Annotated], megabytes: float, repeats: int) -> list[float]:
    text = "\n".join(d.text for d in documents)
    size = len(text.encode("utf-8"))
    big = text * max(1, int(megabytes * 1e6 / size))
    rates = []
    for _ in range(repeats):
        started = time.perf_counter()
        detect(big)
        rates.append(len(big.encode("utf-8")) / 1e6 / (time.perf_counter() - started))
    return rates


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="a small throughput sample (for the test that the benchmark runs)")
    args = parser.parse_args()
    documents = load()
    true_pos, false_pos, false_neg, alarms = score(documents)
    rows = ["| type | marked | found | recall | precision |", "|---|---:|---:|---:|---:|"]
    for kind in KINDS:
        marked, hits, wrong = true_pos[kind] + false_neg[kind], true_pos[kind], false_pos[kind]
        if marked or wrong:
            recall = f"{hits / marked:.0%}" if marked else "–"
            precision = f"{hits / (hits + wrong):.0%}" if hits + wrong else "–"
            rows.append(
                f"| {kind}{' (validated)' if kind in VALIDATED else ''} | {marked} | {hits + wrong} | {recall} | {precision} |"
            )
    rates = throughput(documents, 0.2 if args.quick else 2.0, 3 if args.quick else 7)
    median, spread = statistics.median(rates), (max(rates) - min(rates)) / statistics.median(rates)
    report = [
        f"# Shield quality ({len(documents)} documents, {sum(len(d.gold) for d in documents)} marked values)",
        "",
        *rows,
        "",
        f"False alarms: {sum(false_pos.values())}" + "".join(f"\n- {a}" for a in alarms),
        f"Missed: {sum(false_neg.values())}",
        "",
        f"Scan throughput: {median:.2f} MB/s (median of {len(rates)}, spread {spread:.0%})",
        f"Machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}",
    ]
    print("\n".join(report))
    if not args.quick:
        (ROOT / "benchmarks" / "results-shield.md").write_text("\n".join(report) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
