"""The door over real sockets: a redirect's target and a proxy in the environment receive
not one byte when they must not (the redirect, and a local destination)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from plume.backends.base import create_backend
from plume.errors import RedirectRefused
from plume.settings import Settings
from plume.types import ChatRequest, Message
from support.recording_server import RecordingServer

REQUEST = ChatRequest(model="echo", messages=(Message("user", "Mme Claire Durand, NIR 2 69 05 49 588 157 80"),))


class _Redirecting(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, target: str) -> None:
        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, format: str, *args: Any) -> None:
                pass

            def _redirect(self) -> None:
                self.rfile.read(int(self.headers.get("Content-Length", "0")))
                self.send_response(307)
                self.send_header("Location", target + self.path)
                self.send_header("Content-Length", "0")
                self.end_headers()

            do_GET = do_POST = _redirect

        super().__init__(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"


@pytest.fixture
def collector() -> Iterator[RecordingServer]:
    with RecordingServer() as server:
        yield server


@pytest.mark.parametrize("backend", ["openai", "ollama"])
def test_a_redirect_target_receives_nothing(backend: str, collector: RecordingServer) -> None:
    redirecting = _Redirecting(collector.url)
    try:
        settings = Settings(backend=backend, base_url=redirecting.url, model="echo")
        with pytest.raises(RedirectRefused) as raised:
            list(create_backend(settings).stream_chat(REQUEST))
        assert collector.url.removeprefix("http://") in str(raised.value)
        with pytest.raises(RedirectRefused):
            create_backend(settings).list_models()
    finally:
        redirecting.shutdown()
        redirecting.server_close()
    assert collector.received == []


@pytest.mark.parametrize("variable", ["HTTP_PROXY", "http_proxy", "ALL_PROXY", "HTTPS_PROXY"])
def test_a_proxy_in_the_environment_receives_nothing_for_this_computer(
    variable: str, collector: RecordingServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    with RecordingServer() as proxy:
        for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY", "http_proxy", "https_proxy", "all_proxy", "no_proxy"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv(variable, proxy.url)
        settings = Settings(backend="openai", base_url=collector.url, model="echo")
        assert "".join(create_backend(settings).stream_chat(REQUEST))
        assert proxy.received == [] and len(collector.received) == 1
