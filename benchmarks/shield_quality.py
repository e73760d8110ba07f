"""Personal-data shield quality: recall and precision per type on the annotated corpus
(benchmarks/corpus/shield) and on a typography corpus generated with a fixed seed
(tests/support/personal_data.py: identifiers in every typography, and decoys), the false
alarms, and the scan throughput against the 5 MB/s target. Prints the tables and writes
benchmarks/results-shield.md.

    .venv/bin/python benchmarks/shield_quality.py [--quick]

A finding matches a marked value of the same type when their spans overlap (names and
addresses are best effort: their edges may differ by a word); the generated corpus also
counts the findings whose text is exactly the planted value. Throughput is the scanning
process's CPU time (the machine's cores are shared with other work: wall time would
measure the neighbours), on each corpus made into one large text scanned again (the
pattern of the people it names is then kept), and on each document apart as a new one
(that pattern made again, as for every new document).
"""

from __future__ import annotations

import argparse
import platform
import re
import statistics
import sys
import time
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "python"), str(ROOT / "tests"), str(ROOT)]

from benchmarks.corpus import VALIDATED, Annotated, load  # noqa: E402
from plume.shield.detect import DETECTORS, KINDS, detect  # noqa: E402
from plume.shield.names import _folded_matcher, propagate_mentions  # noqa: E402
from support.personal_data import Document, documents  # noqa: E402

SEED, DOCUMENTS, QUICK_DOCUMENTS = 2026, 300, 60
TARGET_MB_S = 5.0
LABELLED = ("FISCAL", "CAF", "CNI", "PERMIS", "PASSEPORT", "SEJOUR", "PLAQUE")


class HasText(Protocol):
    @property
    def text(self) -> str: ...


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


def score_generated(docs: list[Document]) -> tuple[Counter[str], Counter[str], Counter[str], Counter[str], list[str], list[str]]:
    """Per kind: found (overlap), found with the exact text, missed, wrongly flagged; the
    decoys flagged and the misses, as lines."""
    true_pos, exact, false_neg, false_pos = Counter[str](), Counter[str](), Counter[str](), Counter[str]()
    decoys_hit: list[str] = []
    misses: list[str] = []
    for doc in docs:
        found = detect(doc.text)
        for span in doc.planted:
            same = [f for f in found if f.kind == span.kind and f.start < span.end and span.start < f.end]
            if same:
                true_pos[span.kind] += 1
                exact[span.kind] += any(f.start == span.start and f.end == span.end for f in same)
            else:
                false_neg[span.kind] += 1
                misses.append(f"{doc.name}: {span.kind} {span.value!r}")
        for f in found:
            if not any(f.kind == s.kind and f.start < s.end and s.start < f.end for s in doc.planted):
                false_pos[f.kind] += 1
        for decoy in doc.decoys:
            hit = [f for f in found if f.start < decoy.end and decoy.start < f.end]
            if hit:
                decoys_hit.append(f"{doc.name}: {decoy.kind} {decoy.value!r} flagged {hit[0].kind}")
    return true_pos, exact, false_neg, false_pos, decoys_hit, misses


def _big(documents: Sequence[HasText], megabytes: float) -> str:
    text = "\n".join(d.text for d in documents)
    return text * max(1, int(megabytes * 1e6 / len(text.encode("utf-8"))))


def throughput(documents: Sequence[HasText], megabytes: float, repeats: int) -> list[float]:
    big = _big(documents, megabytes)
    size = len(big.encode("utf-8")) / 1e6
    rates = []
    for _ in range(repeats):
        started = time.process_time()
        detect(big)
        rates.append(size / (time.process_time() - started))
    return rates


def per_document(documents: Sequence[HasText], repeats: int) -> list[float]:
    """MB/s scanning each document apart and as a new one: the pattern of the people it names
    is made again (the caches that keep those of the last documents are emptied first)."""
    size = sum(len(d.text.encode("utf-8")) for d in documents) / 1e6
    rates = []
    for _ in range(repeats):
        spent = 0.0
        for doc in documents:
            re.purge()
            _folded_matcher.cache_clear()
            started = time.process_time()
            detect(doc.text)
            spent += time.process_time() - started
        rates.append(size / spent)
    return rates


def split_costs(documents: Sequence[HasText], megabytes: float, repeats: int) -> tuple[float, float]:
    """Seconds per MB (best of ``repeats``) of the identifier detectors alone and of the
    names (their detector and the propagation of mentions), measured apart."""
    big = _big(documents, megabytes)
    size = len(big.encode("utf-8")) / 1e6
    lower = big.lower()
    names = [d for d in DETECTORS if "name" in d.__name__]
    others = [d for d in DETECTORS if d not in names]
    best_ids = best_names = float("inf")
    for _ in range(repeats):
        started = time.process_time()
        found = [f for d in others for f in d(big, lower)]
        best_ids = min(best_ids, time.process_time() - started)
        started = time.process_time()
        found += [f for d in names for f in d(big, lower)]
        propagate_mentions(big, sorted(found, key=lambda f: f.start))
        best_names = min(best_names, time.process_time() - started)
    return best_ids / size, best_names / size


@dataclass(frozen=True)
class _Plain:
    text: str


def ordinary_texts() -> list[_Plain]:
    """Administrative texts with few identifiers: the fact-check corpus's sources and answers
    (deliberations, decrees, minutes, letters, notes)."""
    folder = ROOT / "benchmarks" / "corpus" / "factcheck"
    return [_Plain(p.read_text(encoding="utf-8")) for p in sorted(folder.glob("*.txt"))]


def _pct(part: int, whole: int) -> str:
    return f"{part / whole:.1%}" if whole else "–"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument(
        "--quick", action="store_true", help="fewer generated documents and a small throughput sample (for the test)"
    )
    args = parser.parse_args()

    annotated = load()
    true_pos, false_pos, false_neg, alarms = score(annotated)
    rows = ["| type | marked | found | recall | precision |", "|---|---:|---:|---:|---:|"]
    for kind in KINDS:
        marked, hits, wrong = true_pos[kind] + false_neg[kind], true_pos[kind], false_pos[kind]
        if marked or wrong:
            label = f"{kind}{' (validated)' if kind in VALIDATED else ''}"
            rows.append(f"| {label} | {marked} | {hits + wrong} | {_pct(hits, marked)} | {_pct(hits, hits + wrong)} |")

    generated = documents(SEED, QUICK_DOCUMENTS if args.quick else DOCUMENTS)
    g_true, g_exact, g_missed, g_false, decoys_hit, misses = score_generated(generated)
    decoys = sum(len(d.decoys) for d in generated)
    g_rows = ["| type | target | planted | found | exact text | recall | precision |", "|---|---|---:|---:|---:|---:|---:|"]
    for kind in KINDS:
        planted, hits, wrong = g_true[kind] + g_missed[kind], g_true[kind], g_false[kind]
        if planted or wrong:
            target = (
                "100 %"
                if kind in VALIDATED
                else "100 % (labelled)"
                if kind in LABELLED
                else "≥ 95 %"
                if kind == "NOM"
                else "best effort"
            )
            g_rows.append(
                f"| {kind} | {target} | {planted} | {hits} | {g_exact[kind]} | {_pct(hits, planted)} | {_pct(hits, hits + wrong)} |"
            )

    megabytes, repeats = (0.2, 3) if args.quick else (2.0, 7)
    rates = throughput(annotated, megabytes, repeats)
    g_rates = throughput(generated, megabytes, repeats)
    ordinary = ordinary_texts()
    o_rates = throughput(ordinary, megabytes, repeats)
    doc_rates = per_document(annotated, repeats)
    o_doc_rates = per_document(ordinary, repeats)
    ids_cost, names_cost = split_costs(annotated, megabytes, max(2, repeats // 2))
    o_ids_cost, o_names_cost = split_costs(ordinary, megabytes, max(2, repeats // 2))
    g_ids_cost, g_names_cost = split_costs(generated, megabytes, max(2, repeats // 2))

    def rate_line(name: str, values: list[float]) -> str:
        median = statistics.median(values)
        spread = (max(values) - min(values)) / median
        verdict = "meets" if median >= TARGET_MB_S else "below"
        return f"- {name}: {median:.2f} MB/s (median of {len(values)}, spread {spread:.0%}; {verdict} the {TARGET_MB_S:g} MB/s target)"

    report = [
        f"# Shield quality ({len(annotated)} annotated documents, {sum(len(d.gold) for d in annotated)} marked values)",
        "",
        *rows,
        "",
        f"False alarms: {sum(false_pos.values())}" + "".join(f"\n- {a}" for a in alarms),
        f"Missed: {sum(false_neg.values())}",
        "",
        f"## Typography corpus ({len(generated)} generated documents, seed {SEED}, "
        f"{sum(len(d.planted) for d in generated)} planted values, {decoys} decoys)",
        "",
        "Generated by tests/support/personal_data.py: identifiers in every typography (no-break, narrow",
        "and thin spaces, dots, dashes, slashes, random grouping, country codes), valid checksums,",
        "and decoys that must not be flagged (amounts, dates, deliberation and article numbers,",
        "postcodes, percentages, a SIREN without its label, wrong keys).",
        "",
        *g_rows,
        "",
        f"Decoys flagged: {len(decoys_hit)} of {decoys}" + "".join(f"\n- {d}" for d in decoys_hit[:20]),
        f"Missed: {len(misses)}" + "".join(f"\n- {m}" for m in misses[:20]),
        "",
        "## Throughput",
        "",
        rate_line(f"ordinary administrative text (benchmarks/corpus/factcheck, {len(ordinary)} texts)", o_rates),
        rate_line("annotated corpus (dense in personal data)", rates),
        rate_line("typography corpus (identifiers in every sentence)", g_rates),
        rate_line(f"each annotated document apart, as new ({len(annotated)} documents)", doc_rates),
        rate_line(f"each ordinary text apart, as new ({len(ordinary)} texts)", o_doc_rates),
        f"- cost per MB, ordinary text: identifiers {o_ids_cost * 1000:.0f} ms ({1 / o_ids_cost:.1f} MB/s), "
        f"names and their mentions {o_names_cost * 1000:.0f} ms ({1 / o_names_cost:.1f} MB/s)",
        f"- cost per MB, annotated corpus: identifiers {ids_cost * 1000:.0f} ms ({1 / ids_cost:.1f} MB/s), "
        f"names and their mentions {names_cost * 1000:.0f} ms ({1 / names_cost:.1f} MB/s)",
        f"- cost per MB, typography corpus: identifiers {g_ids_cost * 1000:.0f} ms ({1 / g_ids_cost:.1f} MB/s), "
        f"names and their mentions {g_names_cost * 1000:.0f} ms ({1 / g_names_cost:.1f} MB/s)",
        "",
        f"Machine: {platform.machine()}, {platform.python_implementation()} {platform.python_version()}",
    ]
    print("\n".join(report))
    if not args.quick:
        (ROOT / "benchmarks" / "results-shield.md").write_text("\n".join(report) + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
