"""The context window Plume plans with: the settings, else what the server reports (Ollama's
model information, capped; an OpenAI-compatible model list), else a safe default."""

from __future__ import annotations

import httpx
import pytest

from plume.backends.base import create_backend
from plume.errors import SettingsError
from plume.settings import Settings
from plume.window import DEFAULT_WINDOW, OLLAMA_AUTO_CAP, Window, resolve_window

pytestmark = pytest.mark.unit
OPENAI = Settings(backend="openai", base_url="https://albert.example/v1", model="m", approved_hosts="albert.example")
OLLAMA = Settings(backend="ollama", base_url="http://127.0.0.1:11434", model="m")


def _openai(models: list[dict[str, object]]) -> httpx.MockTransport:
    return httpx.MockTransport(lambda request: httpx.Response(200, json={"object": "list", "data": models}))


def _ollama(length: int | None, status: int = 200) -> httpx.MockTransport:
    info = {"general.architecture": "llama", **({"llama.context_length": length} if length else {})}
    return httpx.MockTransport(lambda request: httpx.Response(status, json={"model_info": info, "details": {}}))


@pytest.mark.parametrize("key", ["max_model_len", "max_context_length", "context_length", "context_window"])
def test_an_openai_compatible_server_reports_its_limit(key: str) -> None:
    backend = create_backend(OPENAI, "", _openai([{"id": "other", key: 999}, {"id": "m", key: 32768}]))
    assert resolve_window(backend, OPENAI, "m").tokens == 32768


def test_without_a_report_the_setting_then_a_safe_default() -> None:
    backend = create_backend(OPENAI, "", _openai([{"id": "m"}]))
    assert resolve_window(backend, OPENAI, "m").tokens == DEFAULT_WINDOW
    assert resolve_window(backend, OPENAI.replace(context_window=2048), "m").tokens == 2048


def test_a_setting_larger_than_the_server_s_limit_is_lowered_to_it() -> None:
    backend = create_backend(OPENAI, "", _openai([{"id": "m", "max_model_len": 8192}]))
    window = resolve_window(backend, OPENAI.replace(context_window=32768), "m")
    assert window.tokens == 8192 and window.origin == "server"


def test_ollama_s_model_information_is_capped_since_plume_sets_num_ctx() -> None:
    assert resolve_window(create_backend(OLLAMA, "", _ollama(131072)), OLLAMA, "m").tokens == OLLAMA_AUTO_CAP
    assert resolve_window(create_backend(OLLAMA, "", _ollama(2048)), OLLAMA, "m").tokens == 2048
    assert resolve_window(create_backend(OLLAMA, "", _ollama(131072)), OLLAMA.replace(context_window=32768), "m").tokens == 32768


def test_a_server_that_fails_to_answer_gives_the_default_not_an_error() -> None:
    backend = create_backend(OLLAMA, "", _ollama(None, status=500))
    assert resolve_window(backend, OLLAMA, "m").tokens == DEFAULT_WINDOW


def test_a_window_below_1024_is_a_settings_error() -> None:
    with pytest.raises(SettingsError, match="context_window"):
        OPENAI.replace(context_window=512).validate()


class _CountingBackend:
    """Answers in turn: a limit, None (answered without one), or an exception to raise."""

    def __init__(self, answers: list[int | Exception | None]) -> None:
        self.answers, self.asked = answers, 0

    def context_limit(self, model: str) -> int | None:
        self.asked += 1
        answer = self.answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer


def test_the_cache_asks_each_server_once_per_model_until_it_expires() -> None:
    from plume.window import WindowCache

    now = [0.0]
    cache = WindowCache(ttl=600, clock=lambda: now[0])
    backend = _CountingBackend([8192, 4096, 2048])
    settings = Settings(backend="openai", base_url="http://127.0.0.1:8000")
    assert [resolve_window(backend, settings, "m", cache).tokens for _ in range(3)] == [8192] * 3
    assert backend.asked == 1
    assert resolve_window(backend, settings, "other", cache).tokens == 4096, "another model is asked"
    now[0] = 601.0
    assert resolve_window(backend, settings, "m", cache).tokens == 2048, "asked again once expired"
    assert backend.asked == 3


def test_a_failed_question_is_not_remembered() -> None:
    from plume.errors import Unreachable
    from plume.window import WindowCache

    cache = WindowCache()
    backend = _CountingBackend([Unreachable("down"), 8192])
    settings = Settings(backend="openai", base_url="http://127.0.0.1:8000")
    assert resolve_window(backend, settings, "m", cache).origin == "default"
    assert resolve_window(backend, settings, "m", cache).tokens == 8192
    assert backend.asked == 2


def test_a_server_that_reports_no_limit_is_asked_once() -> None:
    # llama.cpp's model list has no context length: asking before every action cost a round
    # trip before each first piece (benchmarks row 2).
    from plume.window import WindowCache

    cache = WindowCache()
    backend = _CountingBackend([None, 8192])
    settings = Settings(backend="openai", base_url="http://127.0.0.1:8000", context_window=2048)
    assert [resolve_window(backend, settings, "m", cache) for _ in range(3)] == [Window(2048, "settings")] * 3
    assert backend.asked == 1
