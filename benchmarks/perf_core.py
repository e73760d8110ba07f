"""Measurements of Plume's core alone (no LibreOffice): the data shield's cost and long
documents against the real model server."""

from __future__ import annotations

import time
from dataclasses import dataclass

from harness.longdocs import long_document
from harness.servers import LLAMA_CONTEXT

from benchmarks.corpus import load as shield_corpus
from benchmarks.perf_stats import Timings
from benchmarks.shield_quality import throughput


@dataclass(frozen=True)
class LongRun:
    pages: int
    words: int
    requests: int
    seconds: float


def shield_rates(megabytes: float, repeat: int) -> Timings:
    """Scan throughput (MB/s) of the shield's detectors on its corpus, repeated to size."""
    return Timings(tuple(throughput(shield_corpus(), megabytes, repeat)))


def shield_seconds(text: str, repeat: int) -> Timings:
    """What protecting one action's text costs: detection and pseudonymisation."""
    from plume.shield.detect import detect
    from plume.shield.pseudonym import Pseudonymiser

    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        Pseudonymiser().protect(text, detect(text))
        times.append(time.perf_counter() - started)
    return Timings(tuple(times))


def last_check_seconds(text: str, repeat: int) -> Timings:
    """What the door's last check of one action's request body costs (pseudonymising policy:
    the body is scanned again just before it leaves)."""
    import json

    from plume.actions import ActionSpec, build_messages
    from plume.egress.door import Door
    from plume.settings import Settings

    operator = Settings(backend="openai", base_url="https://llm.operateur.example", approved_hosts="llm.operateur.example")
    door = Door(operator)
    messages = [{"role": m.role, "content": door.protect(m.content)} for m in build_messages(ActionSpec("summarize"), text, "fr")]
    body = json.dumps({"model": "m", "messages": messages, "stream": True}, ensure_ascii=False).encode()
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        door.check_body(body)
        times.append(time.perf_counter() - started)
    return Timings(tuple(times))


def long_summary(server: str, pages: int) -> LongRun:
    """Summarise a generated document of ``pages`` pages through LongGeneration, as Writer
    and the CLI do, with the server's 2048-token window."""
    from plume.actions import ActionSpec
    from plume.backends.base import create_backend
    from plume.longdoc import Block, LongGeneration
    from plume.settings import Settings
    from plume.window import resolve_window

    settings = Settings(backend="openai", base_url=server + "/v1", model="smollm2", context_window=LLAMA_CONTEXT,
                        max_output_tokens=64, temperature=0.0, read_timeout=300.0)  # fmt: skip
    backend = create_backend(settings, "")
    blocks = [Block(text, level) for text, level in long_document(pages)]
    started = time.monotonic()
    window = resolve_window(backend, settings, settings.model).tokens
    run = LongGeneration(backend, settings, ActionSpec("summarize"), blocks, model=settings.model, window=window)
    run.run()
    return LongRun(pages, sum(len(b.text.split()) for b in blocks), len(run.requests), time.monotonic() - started)
