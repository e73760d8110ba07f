"""Asking the documents: indexing speed, retrieval latency and recall, memory. Prints the
tables and writes benchmarks/results-knowledge.md.

    .venv/bin/python benchmarks/knowledge.py [--quick] [--no-hybrid]
    .venv/bin/python benchmarks/knowledge.py --hybrid-only [--hybrid-files 12] [--hybrid-tokens 32]

1. Indexing: the generated municipal collection (tests/support/municipal.py: ODT, DOCX, PDF,
   TXT, Markdown, HTML with planted facts) indexed from its files: MB/s of files and of text.
2. Engines on French text (accents, elision, inflection), same passages, same questions:
   SQLite FTS5 with ``unicode61 remove_diacritics 2`` alone; FTS5 on Plume's French terms
   (elision, stop words, light stemming); the same plus Plume's reordering and relevance
   gate (what Plume ships); bm25s on Plume's terms. Recall@1 and @5.
3. Scale: the collection's passages among generated filler passages up to 1,000, 10,000 and
   100,000: latency p50/p95/p99 of Plume's lexical search (target p95 < 200 ms at 100k),
   bm25s's for comparison, recall@5, index size.
4. Hybrid: a small sub-collection (12 files, one question a fact) embedded by the test
   model served by llama-cpp-python's OpenAI-compatible server (``--embedding true``, mean
   pooling, each text cut at its first 32 tokens), reached through Plume's OpenAI backend
   and its door over loopback, fused with the lexical ranking: recall@5 lexical against
   hybrid. A 135M chat model makes poor embeddings and embeds about 12 tokens a second on 2
   shared cores: the figure shows the plumbing and its cost, not what a real embedding
   model gives. ``--hybrid-only`` prints it without touching the results file.

Memory: the process's peak resident size (ru_maxrss) after indexing, and what opening an
index and searching it 150 times adds to the resident size (the index lives on disk; a
search holds its candidates and SQLite's page cache, 2 MB by default).
"""

from __future__ import annotations

import argparse
import platform
import random
import resource
import shutil
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "python"), str(ROOT / "tests"), str(ROOT / "tools"), str(ROOT)]

from plume.knowledge.analysis import indexed_text, terms  # noqa: E402
from plume.knowledge.indexer import index_folders  # noqa: E402
from plume.knowledge.lexical import LexicalRetriever  # noqa: E402
from plume.knowledge.store import Store  # noqa: E402
from plume.knowledge.types import Passage, Place  # noqa: E402
from support import municipal  # noqa: E402

SEED = 20
TARGET_P95_MS = 200.0
HYBRID_FILES = 12
HYBRID_TOKENS = 32


def _norm(text: str) -> str:
    return " ".join(text.split())


def _peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _rss_mb() -> float:
    """The process's resident size now (Linux; 0 elsewhere)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, ValueError, IndexError):
        return 0.0
    return pages * resource.getpagesize() / 1024**2


def _percentiles(values: list[float]) -> tuple[float, float, float]:
    ordered = sorted(values)
    pick = lambda p: ordered[min(len(ordered) - 1, round(p * (len(ordered) - 1)))]  # noqa: E731
    return pick(0.5), pick(0.95), pick(0.99)


def _found(question: municipal.Question, texts: list[str]) -> bool:
    return any(_norm(question.contains) in _norm(text) for text in texts)


def index_collection(work: Path, files: int, phrasings: int = 3) -> tuple[municipal.Collection, Store, list[str]]:
    collection = municipal.generate(work / "docs", SEED, files, questions_per_fact=phrasings)
    size = sum(p.stat().st_size for p in collection.files)
    store = Store(work / "collection.plume-index")
    started = time.perf_counter()
    report = index_folders(store, [work / "docs"])
    elapsed = time.perf_counter() - started
    text = sum(len(t) for (t,) in store.db.execute("SELECT text FROM passages"))
    rows = [
        "| files | MB of files | MB of text | passages | seconds | MB/s (files) | MB/s (text) | unreadable | peak RSS MB |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
        f"| {report.files} | {size / 1e6:.1f} | {text / 1e6:.1f} | {report.passages} | {elapsed:.1f} | {size / 1e6 / elapsed:.2f} | "
        f"{text / 1e6 / elapsed:.2f} | {len(report.failed)} | {_peak_mb():.0f} |",
    ]
    return collection, store, rows


def _fts_raw(passages: list[str]) -> sqlite3.Connection:
    db = sqlite3.connect(":memory:")
    db.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize = 'unicode61 remove_diacritics 2')")
    db.executemany("INSERT INTO t (rowid, x) VALUES (?, ?)", enumerate(passages))
    return db


def _fts_search(db: sqlite3.Connection, query: str, k: int) -> list[int]:
    words = list(dict.fromkeys(w for w in query.replace("'", " ").replace("’", " ").split() if w.strip("?.,;:!")))
    match = " OR ".join('"' + w.strip("?.,;:!").replace('"', "") + '"' for w in words if w.strip("?.,;:!"))
    if not match:
        return []
    return [r for (r,) in db.execute("SELECT rowid FROM t WHERE t MATCH ? ORDER BY bm25(t) LIMIT ?", (match, k))]


def _bm25s(passages: list[str]) -> object | None:
    try:
        import bm25s
    except ImportError:
        return None
    retriever = bm25s.BM25()
    retriever.index([terms(p) for p in passages], show_progress=False)
    return retriever


def _bm25s_search(retriever: object, query: str, k: int) -> list[int]:
    words = terms(query)
    if not words:
        return []
    results, _ = retriever.retrieve([words], k=k, show_progress=False)  # type: ignore[attr-defined]
    return [int(i) for i in results[0]]


def engines(collection: municipal.Collection, store: Store) -> list[str]:
    rows = list(
        store.db.execute("SELECT p.id, f.title, p.section, p.text FROM passages p JOIN files f ON f.id = p.file_id ORDER BY p.id")
    )
    ids = [r[0] for r in rows]
    searched = [" ".join(r[1:]) for r in rows]
    texts = {r[0]: r[3] for r in rows}
    raw = _fts_raw(searched)
    french = sqlite3.connect(":memory:")
    french.execute("CREATE VIRTUAL TABLE t USING fts5(x)")
    french.executemany("INSERT INTO t (rowid, x) VALUES (?, ?)", ((i, indexed_text(s)) for i, s in enumerate(searched)))
    bm25s_index = _bm25s(searched)
    lexical = LexicalRetriever(store)

    def french_search(q: str, k: int) -> list[int]:
        match = " OR ".join(f'"{t}"' for t in dict.fromkeys(terms(q)))
        return (
            [r for (r,) in french.execute("SELECT rowid FROM t WHERE t MATCH ? ORDER BY bm25(t) LIMIT ?", (match, k))]
            if match
            else []
        )

    candidates: list[tuple[str, object]] = [
        ("FTS5 unicode61 remove_diacritics (words as typed)", lambda q, k: [ids[i] for i in _fts_search(raw, q, k)]),
        ("FTS5 on Plume's French terms", lambda q, k: [ids[i] for i in french_search(q, k)]),
        ("FTS5 + French terms + reordering and gate (Plume)", lambda q, k: [rowid for rowid, _ in lexical.scored(q, k)]),
    ]
    if bm25s_index is not None:
        candidates.append(("bm25s on Plume's French terms", lambda q, k: [ids[i] for i in _bm25s_search(bm25s_index, q, k)]))
    out = ["| engine | recall@1 | recall@5 | p50 ms | p95 ms |", "|---|---:|---:|---:|---:|"]
    for name, search in candidates:
        at1 = at5 = 0
        times = []
        for question in collection.questions:
            started = time.perf_counter()
            found = search(question.question, 5)  # type: ignore[operator]
            times.append((time.perf_counter() - started) * 1000)
            at1 += _found(question, [texts[i] for i in found[:1]])
            at5 += _found(question, [texts[i] for i in found])
        p50, p95, _ = _percentiles(times)
        n = len(collection.questions)
        out.append(f"| {name} | {at1 / n:.1%} | {at5 / n:.1%} | {p50:.1f} | {p95:.1f} |")
    if bm25s_index is None:
        out.append("| bm25s | (not installed) | | | |")
    return out


def _filler_passages(n: int, rng: random.Random) -> list[str]:
    return [" ".join(municipal._filler(rng) for _ in range(rng.randrange(3, 8))) for _ in range(n)]


def scale(collection: municipal.Collection, store: Store, work: Path, sizes: list[int]) -> list[str]:
    base = [(r[0], r[1], r[2], r[3]) for r in store.db.execute(
        "SELECT f.path, f.title, p.section, p.text FROM passages p JOIN files f ON f.id = p.file_id")]  # fmt: skip
    out = ["| passages | build s | index MB | Plume p50 ms | p95 ms | p99 ms | recall@5 | bm25s p50 ms | bm25s p95 ms | search RSS MB |",
           "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|"]  # fmt: skip
    rng = random.Random(SEED)
    questions = collection.questions[:150]
    for size in sizes:
        path = work / f"scale-{size}.plume-index"
        big = Store(path)
        started = time.perf_counter()
        fillers = _filler_passages(max(0, size - len(base)), rng)
        rows = list(base) + [(f"/synthetic/{i // 20}.txt", f"Document {i // 20}", "", text) for i, text in enumerate(fillers)]
        rows = rows[:size]
        by_file: dict[str, list[tuple[str, str, str]]] = {}
        for source, title, section, text in rows:
            by_file.setdefault(source, []).append((title, section, text))
        for source, items in by_file.items():
            offset, passages = 0, []
            for title, section, text in items:
                passages.append(
                    Passage(f"{source}#{offset}", source, text, offset, offset + len(text), Place(section=section), title)
                )
                offset += len(text) + 1
            big.replace(source, 0, 0, "", title=items[0][0], modified="2027-01-01", passages=passages)
        big.db.commit()
        build = time.perf_counter() - started
        big.close()
        before = _rss_mb()
        big = Store(path, read_only=True)
        retriever = LexicalRetriever(big)
        times, hits = [], 0
        for question in questions:
            began = time.perf_counter()
            found = retriever.search(question.question, 5)
            times.append((time.perf_counter() - began) * 1000)
            hits += _found(question, [h.passage.text for h in found])
        p50, p95, p99 = _percentiles(times)
        grown = _rss_mb() - before
        bm = _bm25s([" ".join(r[1:]) for r in rows])
        if bm is not None:
            bm_times = []
            for question in questions:
                began = time.perf_counter()
                _bm25s_search(bm, question.question, 5)
                bm_times.append((time.perf_counter() - began) * 1000)
            b50, b95, _ = _percentiles(bm_times)
            bm_cells = f"{b50:.1f} | {b95:.1f}"
        else:
            bm_cells = "- | -"
        big.close()
        mb = sum(p.stat().st_size for p in work.glob(f"scale-{size}.plume-index*")) / 1e6
        mark = " ✓" if p95 < TARGET_P95_MS else " ✗"
        out.append(
            f"| {size:,} | {build:.1f} | {mb:.0f} | {p50:.1f} | {p95:.1f}{mark} | {p99:.1f} | {hits / len(questions):.1%} | {bm_cells} | {grown:+.0f} |"
        )
        print(out[-1], flush=True)
    return out


# llama-cpp-python's server has no pooling option and SmolLM2 (a chat model) has no pooling of
# its own: it would answer one vector a token. This launcher starts the same server with mean
# pooling; everything else is the test server (tools/harness/servers.py) with embeddings on.
_MEAN_POOLING_SERVER = """
import runpy, sys, llama_cpp
plain = llama_cpp.Llama.__init__
def pooled(self, *args, **kwargs):
    kwargs["pooling_type"] = llama_cpp.LLAMA_POOLING_TYPE_MEAN
    plain(self, *args, **kwargs)
llama_cpp.Llama.__init__ = pooled
sys.argv[0] = "llama_cpp.server"
runpy.run_module("llama_cpp.server", run_name="__main__", alter_sys=True)
"""


def hybrid(collection: municipal.Collection, store: Store, work: Path, tokens: int) -> list[str]:
    """Recall@5 lexical against hybrid with the test model's embeddings, served by
    llama-cpp-python's OpenAI-compatible server (``--embedding true``) and reached through
    Plume's OpenAI backend and its door, as a workstation would."""
    from harness.servers import MODEL_ALIAS, _running, free_port, gguf_path

    from plume.knowledge.hybrid import HybridRetriever, embed_missing
    from plume.settings import Settings

    port = free_port()
    # n_batch bounds the tokens of one text: the server cuts each passage there (truncate).
    command = [sys.executable, "-c", _MEAN_POOLING_SERVER, "--model", str(gguf_path()), "--model_alias", MODEL_ALIAS,
               "--embedding", "true", "--n_ctx", str(max(256, tokens)), "--n_batch", str(tokens), "--n_ubatch", str(tokens),
               "--n_threads", "2", "--host", "127.0.0.1", "--port", str(port)]  # fmt: skip
    base = f"http://127.0.0.1:{port}"
    # A batch of 16 passages takes minutes on 2 shared cores: the default 120 s would end it.
    settings = Settings(
        backend="openai", base_url=base, model=MODEL_ALIAS, knowledge_embedding_model=MODEL_ALIAS, read_timeout=1800.0
    )
    with _running(command, base + "/v1/models", work / "llama-embeddings.log"):
        started = time.perf_counter()
        count = embed_missing(store, settings, progress=lambda done, total: print(f"embedded {done}/{total}", flush=True))
        embed_seconds = time.perf_counter() - started
        store.db.commit()
        retriever = HybridRetriever(store, settings)
        lexical = LexicalRetriever(store)
        out = ["| retrieval | recall@1 | recall@5 | p50 ms | p95 ms |", "|---|---:|---:|---:|---:|"]
        for name, search in (
            ("lexical (Plume)", lexical.search),
            ("hybrid: lexical + test-model embeddings, RRF", retriever.search),
        ):
            at1 = at5 = 0
            times = []
            for question in collection.questions:
                began = time.perf_counter()
                found = search(question.question, 5)
                times.append((time.perf_counter() - began) * 1000)
                at1 += _found(question, [h.passage.text for h in found[:1]])
                at5 += _found(question, [h.passage.text for h in found])
            p50, p95, _ = _percentiles(times)
            n = len(collection.questions)
            out.append(f"| {name} | {at1 / n:.1%} | {at5 / n:.1%} | {p50:.0f} | {p95:.0f} |")
    out.append("")
    out.append(
        f"Embedding {count} passages (each cut at its first {tokens} tokens by the server, batches of 16) took "
        f"{embed_seconds:.0f} s ({embed_seconds / max(count, 1):.1f} s a passage); the hybrid latency is mostly "
        "embedding the question."
    )
    return out


def _hybrid_rows(work: Path, files: int, tokens: int) -> list[str]:
    """A small sub-collection (one question a fact): the test model embeds about 12 tokens a
    second on 2 shared cores, so 40 files of full passages would take about an hour."""
    small, small_store, _ = index_collection(work / "hybrid", files, phrasings=1)
    try:
        rows = hybrid(small, small_store, work, tokens)
    finally:
        small_store.close()
    return [f"{files} files, {len(small.questions)} questions (one phrasing a fact).", "", *rows]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller collection, up to 10,000 passages")
    parser.add_argument("--no-hybrid", action="store_true", help="skip the embeddings (llama.cpp) part")
    parser.add_argument("--hybrid-only", action="store_true", help="only the embeddings part (printed, results file untouched)")
    parser.add_argument("--hybrid-files", type=int, default=HYBRID_FILES, help=f"files embedded (default {HYBRID_FILES})")
    parser.add_argument(
        "--hybrid-tokens", type=int, default=HYBRID_TOKENS, help=f"tokens embedded a passage (default {HYBRID_TOKENS})"
    )
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="plume-knowledge-"))
    if args.hybrid_only:
        try:
            print("\n".join(_hybrid_rows(work, args.hybrid_files, args.hybrid_tokens)), flush=True)
        finally:
            shutil.rmtree(work, ignore_errors=True)
        return
    try:
        files = 120 if args.quick else 300
        sizes = [1_000, 10_000] if args.quick else [1_000, 10_000, 100_000]
        collection, store, indexing = index_collection(work, files)
        print("\n".join(indexing), flush=True)
        engine_rows = engines(collection, store)
        print("\n".join(engine_rows), flush=True)
        scale_rows = scale(collection, store, work, sizes)
        hybrid_rows: list[str] = []
        if not args.no_hybrid:
            hybrid_rows = _hybrid_rows(work, args.hybrid_files, args.hybrid_tokens)
        print("\n".join(hybrid_rows), flush=True)
        store.close()
        lines = [
            "# Asking the documents: index and retrieval",
            "",
            f"`benchmarks/knowledge.py{' --quick' if args.quick else ''}` on {platform.machine()}, Python {platform.python_version()}, "
            f"SQLite {sqlite3.sqlite_version}, {len(collection.questions)} questions (3 phrasings of each planted fact), seed {SEED}.",
            "",
            "## Indexing the generated municipal collection (from its files)",
            "",
            *indexing,
            "",
            "## Lexical engines on French text (same passages, same questions)",
            "",
            *engine_rows,
            "",
            "## Scale: the collection among generated filler passages",
            "",
            f"Latency of one search (k=5) with the index opened read-only; target p95 < {TARGET_P95_MS:.0f} ms.",
            "",
            *scale_rows,
        ]
        if hybrid_rows:
            lines += ["", "## Lexical against hybrid", "", *hybrid_rows]
        (ROOT / "benchmarks" / "results-knowledge.md").write_text("\n".join(lines) + "\n", encoding="utf-8")
    finally:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
