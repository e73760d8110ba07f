"""How Plume's token estimate (no tokenizer downloaded: plume.budget) compares with the test
model's real tokenizer (SmolLM2's, read from its GGUF by llama.cpp) on French and English
administrative texts. The estimate must never be below the real count: Plume plans requests
with it, and an underestimate would overflow the window. Prints a table and writes
benchmarks/results-tokens.md.

    .venv/bin/python benchmarks/token_estimate.py [--quick]
"""

from __future__ import annotations

import argparse
import platform
import statistics
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "python"), str(ROOT), str(ROOT / "tools")]

from harness.longdocs import long_document  # noqa: E402
from harness.servers import gguf_path  # noqa: E402

from benchmarks.factcheck_quality import load as factcheck_cases  # noqa: E402
from plume.budget import estimate_tokens  # noqa: E402


def samples(quick: bool) -> list[tuple[str, str]]:
    """(label, text): every corpus source and answer, and generated long documents."""
    found: list[tuple[str, str]] = []
    for case in factcheck_cases():
        found.append((f"{case.name} (source)", case.source))
        found += [
            (f"{case.name} ({'en' if a.language == 'en' else 'fr'} answer)", a.text) for a in case.answers[: 2 if quick else None]
        ]
    for path in sorted((ROOT / "benchmarks" / "corpus" / "shield").glob("*.txt")):
        found.append((f"shield/{path.stem}", path.read_text(encoding="utf-8")))
    for pages in (1,) if quick else (1, 10):
        found.append((f"generated, {pages} page(s)", "\n".join(text for text, _ in long_document(pages))))
    return found


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="fewer texts (for the test that the benchmark runs)")
    args = parser.parse_args()
    from llama_cpp import Llama

    model = Llama(model_path=str(gguf_path()), vocab_only=True, verbose=False)
    rows, ratios = [], []
    for label, text in samples(args.quick):
        real = len(model.tokenize(text.encode("utf-8"), add_bos=False, special=False))
        estimate = estimate_tokens(text)
        ratio = estimate / real if real else 1.0
        ratios.append(ratio)
        rows.append(f"| {label} | {len(text.encode('utf-8'))} | {real} | {estimate} | {ratio:.2f} |")
    below = sum(r < 1 for r in ratios)
    table = "\n".join(
        ["| Text | UTF-8 bytes | Real tokens | Estimate | Estimate / real |", "|---|---:|---:|---:|---:|", *rows, "",
         f"Estimate / real over {len(ratios)} texts: median {statistics.median(ratios):.2f}, min {min(ratios):.2f}, "
         f"max {max(ratios):.2f}; texts underestimated: {below} (must be 0)."]
    )  # fmt: skip
    print(table)
    if not args.quick:
        header = (f"# Token estimate against SmolLM2's tokenizer\n\n{gguf_path().name}; Python {platform.python_version()} "
                  f"on {platform.machine()}.\n\n")  # fmt: skip
        (ROOT / "benchmarks" / "results-tokens.md").write_text(header + table + "\n", encoding="utf-8")
    return 0 if below == 0 else 1


if __name__ == "__main__":
    raise SystemExit(main())
