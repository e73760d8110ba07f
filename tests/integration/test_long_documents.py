"""Long documents against a 2048-token window: summaries of 1 and 10 generated pages against
the real small model server, and of 10 and 100 pages against a server that counts every
prompt with the same model's tokenizer but answers at once (the real model would need a
quarter of an hour to read 100 pages, and what is proved here is what is sent). Every summary
completes, covers every part, and no request ever exceeds the window (llama.cpp refuses such a
request; the Ollama stand-in records any prompt it had to cut). Rewrites go by batches of
paragraphs. Stop ends the run at once."""

from __future__ import annotations

import threading
from collections.abc import Iterator

import httpx
import pytest
from harness.longdocs import long_document
from harness.servers import LLAMA_CONTEXT, MODEL_ALIAS, gguf_path

from plume.actions import ActionSpec
from plume.backends.base import create_backend
from plume.cancel import CancelToken
from plume.errors import Cancelled
from plume.longdoc import Block, LongGeneration
from plume.settings import Settings
from plume.window import resolve_window
from support.windowed_server import WindowedServer

WINDOW = LLAMA_CONTEXT
# On two CPU cores the small model reads about 120 tokens a second: the 10-page summary takes
# a few minutes on a loaded machine.
pytestmark = pytest.mark.timeout(1200)


def _blocks(pages: int) -> list[Block]:
    return [Block(text, level) for text, level in long_document(pages)]


def _summary(settings: Settings, pages: int, **kwargs: object) -> LongGeneration:
    settings = settings.replace(context_window=WINDOW, max_output_tokens=64)
    backend = create_backend(settings, "")
    window = resolve_window(backend, settings, settings.model).tokens
    return LongGeneration(
        backend, settings, ActionSpec("summarize"), _blocks(pages), model=settings.model, window=window, **kwargs
    )  # type: ignore[arg-type]


def _within_window(run: LongGeneration) -> None:
    assert run.requests and all(r.prompt_tokens + r.max_tokens <= WINDOW and r.context_tokens <= WINDOW for r in run.requests)


Summaries = dict[tuple[str, int], tuple[LongGeneration, str]]


@pytest.fixture(scope="module")
def counted() -> Iterator[WindowedServer]:
    with WindowedServer(gguf_path(), WINDOW, MODEL_ALIAS, "Le conseil a voté le budget et les tarifs.") as server:
        yield server


@pytest.fixture(scope="module")
def summaries(openai_settings: Settings, counted: WindowedServer) -> Summaries:
    """One summary per server and length, shared by the tests below (each real run is long)."""
    done = {}
    for server, pages in (("real", 1), ("real", 10), ("counted", 10), ("counted", 100)):
        settings = openai_settings if server == "real" else openai_settings.replace(base_url=counted.url)
        run = _summary(settings, pages)
        done[server, pages] = (run, run.run())
    return done


@pytest.mark.parametrize("server,pages", [("real", 1), ("real", 10), ("counted", 10), ("counted", 100)])
def test_summaries_of_any_length_complete_within_the_window(summaries: Summaries, server: str, pages: int) -> None:
    run, text = summaries[server, pages]
    assert text.strip()
    _within_window(run)
    stages = [r.stage for r in run.requests]
    if run.fits:  # a page may fit one request (it does not with 2048 tokens and a dense page)
        assert stages == ["single"]
        return
    assert stages[-1] == "final" and stages.count("final") == 1 and "map" in stages
    assert run.progress is not None and run.progress[0] == run.progress[1] == len(run.requests)
    parts = [b.text for b in _blocks(pages) if b.level == 1]
    first_line = text.splitlines()[0]
    assert all(title in first_line for title in parts), "the summary names every part it covers"


def test_requests_grow_linearly_with_length(summaries: Summaries) -> None:
    ten, hundred = len(summaries["counted", 10][0].requests), len(summaries["counted", 100][0].requests)
    assert 7 * ten <= hundred <= 13 * ten


def test_the_estimate_never_undercounts_the_real_tokenizer(summaries: Summaries, counted: WindowedServer) -> None:
    """Every prompt of the counted runs, as the model's own tokenizer reads it, fits within
    what Plume planned for it (its estimate), so no window is ever exceeded by surprise."""
    planned = [r.prompt_tokens for pages in (10, 100) for r in summaries["counted", pages][0].requests]
    assert counted.refused == 0 and len(counted.prompt_tokens) == len(planned) > 100
    assert all(real <= estimate for real, estimate in zip(counted.prompt_tokens, planned, strict=True))


def test_the_ollama_protocol_gets_num_ctx_and_never_cuts_a_prompt(ollama_settings: Settings, standin_url: str) -> None:
    run = _summary(ollama_settings, 2)
    run.run()
    _within_window(run)
    records = httpx.get(standin_url + "/_standin/requests").json()[-len(run.requests) :]
    assert all(not r["truncated"] and r["num_ctx"] <= WINDOW for r in records)


def test_a_long_rewrite_goes_by_batches_of_whole_paragraphs(openai_settings: Settings) -> None:
    settings = openai_settings.replace(context_window=WINDOW, max_output_tokens=200)
    blocks = _blocks(1)[:8]  # half a page: the model writes as much as it reads, slowly
    run = LongGeneration(create_backend(settings, ""), settings, ActionSpec("rewrite", style="correct"), blocks,
                         model=settings.model, window=WINDOW)  # fmt: skip
    text = run.run()
    assert not run.fits and {r.stage for r in run.requests} == {"batch"} and len(run.requests) > 3
    _within_window(run)
    assert text.strip() and run.progress == (len(run.requests), len(run.requests))


def test_stop_ends_a_long_summary_between_or_during_requests(openai_settings: Settings) -> None:
    cancel = CancelToken()
    run = _summary(openai_settings, 30, cancel=cancel)
    timer = threading.Timer(3.0, cancel.cancel)
    timer.start()
    with pytest.raises(Cancelled):
        run.run()
    timer.cancel()
    assert run.progress is not None and run.progress[0] < run.progress[1]
