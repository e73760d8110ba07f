"""Cancelling and transport faults over real sockets (the faulty server is a local
misbehaving HTTP server; the stand-in and llama.cpp are real generators)."""

from __future__ import annotations

import threading
import time

import pytest

from plume.actions import ActionSpec
from plume.backends.base import create_backend
from plume.cancel import CancelToken
from plume.errors import BackendTimeout, Cancelled, InvalidReply
from plume.pipeline import Generation
from plume.settings import Settings
from plume.types import ChatRequest, Message
from support.faulty_server import FaultyServer

REQUEST = ChatRequest(model="smollm2", messages=(Message("user", "Bonjour"),))


def _settings(url: str, **changes: object) -> Settings:
    return Settings(backend="openai", base_url=url, model="smollm2").replace(**changes)


def test_closing_the_stream_closes_the_connection_within_half_a_second(faulty: FaultyServer) -> None:
    stream = create_backend(_settings(faulty.url + "/trickle")).stream_chat(REQUEST)
    assert next(stream) == "Le "
    closed_at = time.monotonic()
    stream.close()  # type: ignore[attr-defined]
    seen = faulty.wait_for_disconnect(2.0)
    assert seen is not None and seen - closed_at < 0.5


def test_cancel_from_another_thread_unblocks_a_stalled_read(faulty: FaultyServer) -> None:
    cancel = CancelToken()
    outcome: list[BaseException] = []

    def consume() -> None:
        try:
            for _ in create_backend(_settings(faulty.url + "/stall")).stream_chat(REQUEST, cancel):
                pass
        except BaseException as error:
            outcome.append(error)

    worker = threading.Thread(target=consume)
    worker.start()
    time.sleep(0.3)  # let it block on the silent socket
    cancelled_at = time.monotonic()
    cancel.cancel()
    worker.join(2.0)
    assert not worker.is_alive() and time.monotonic() - cancelled_at < 0.5
    assert isinstance(outcome[0], Cancelled)
    assert faulty.wait_for_disconnect(1.0) is not None


def test_slow_first_byte_is_a_timeout(faulty: FaultyServer) -> None:
    with pytest.raises(BackendTimeout):
        list(create_backend(_settings(faulty.url + "/slow-first-byte", read_timeout=0.5)).stream_chat(REQUEST))


def test_connection_dropped_mid_stream_is_an_invalid_reply(faulty: FaultyServer) -> None:
    with pytest.raises(InvalidReply):
        list(create_backend(_settings(faulty.url + "/drop-mid-stream", read_timeout=10)).stream_chat(REQUEST))


@pytest.mark.parametrize("backend_settings", ["openai_settings", "ollama_settings"])
def test_stopping_a_real_generation_is_prompt(backend_settings: str, request: pytest.FixtureRequest) -> None:
    settings: Settings = request.getfixturevalue(backend_settings).replace(max_output_tokens=400)
    generation = Generation(
        create_backend(settings),
        settings,
        ActionSpec("rewrite", style="formal"),
        "Le conseil municipal se réunira jeudi soir pour voter le budget de la commune.",
        model=settings.model,
    )
    pieces = iter(generation)
    next(pieces)
    stopped_at = time.monotonic()
    generation.cancel.cancel()
    with pytest.raises(Cancelled):
        for _ in pieces:
            pass
    assert time.monotonic() - stopped_at < 0.5
