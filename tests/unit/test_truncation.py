"""An answer cut at max_tokens is known as such: both backends report the server's reason
(OpenAI ``finish_reason``, Ollama ``done_reason``) and the run's stats say ``truncated``."""

from __future__ import annotations

import json

import httpx
import pytest

from plume.actions import ActionSpec
from plume.backends.base import create_backend
from plume.pipeline import Generation
from plume.settings import Settings
from support.mock_http import ndjson, sse

TEXT = "Le conseil municipal a voté le budget de la cantine scolaire pour l'année prochaine."


def _openai(reason: str | None) -> httpx.MockTransport:
    def handle(request: httpx.Request) -> httpx.Response:
        chunks = [{"choices": [{"index": 0, "delta": {"content": "Le conseil a "}, "finish_reason": None}]},
                  {"choices": [{"index": 0, "delta": {"content": "voté le"}, "finish_reason": reason}]}]  # fmt: skip
        return sse([json.dumps(c) for c in chunks] + ["[DONE]"])

    return httpx.MockTransport(handle)


def _ollama(reason: str | None) -> httpx.MockTransport:
    def handle(request: httpx.Request) -> httpx.Response:
        base = {"model": "m", "created_at": "2026-01-01T00:00:00Z"}
        lines = [{**base, "message": {"role": "assistant", "content": "Le conseil a voté le"}, "done": False},
                 {**base, "message": {"role": "assistant", "content": ""}, "done": True, "done_reason": reason}]  # fmt: skip
        return ndjson([json.dumps(line) for line in lines])

    return httpx.MockTransport(handle)


@pytest.mark.parametrize(("backend", "transport"), [("openai", _openai), ("ollama", _ollama)])
@pytest.mark.parametrize(("reason", "truncated"), [("length", True), ("stop", False), (None, False)])
def test_an_answer_cut_at_max_tokens_is_reported(backend: str, transport: object, reason: str | None, truncated: bool) -> None:
    settings = Settings(backend=backend, base_url="http://127.0.0.1:9", model="m")
    generation = Generation(create_backend(settings, transport=transport(reason)), settings, ActionSpec("summarize"), TEXT,  # type: ignore[operator]
                            model="m")  # fmt: skip
    assert generation.run()
    assert generation.stats.truncated is truncated
