"""Attacks on the door over real sockets (see tests/unit/test_door_attacks.py for the ones a
MockTransport shows). A test marked ``xfail(strict=True)`` is a finding that holds not today."""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable, Iterator
from typing import Any

import pytest

from plume.backends.base import create_backend
from plume.cancel import CancelToken
from plume.errors import BackendTimeout, Cancelled, PlumeError, RedirectRefused
from plume.settings import Settings
from plume.types import ChatRequest, Message
from support.recording_server import RecordingServer

NIR = "2 69 05 49 588 157 80"
REQUEST = ChatRequest(model="echo", messages=(Message("user", f"Mme Claire Durand, NIR {NIR}"),), max_tokens=32)


def _this_machines_other_address() -> str:
    """An address of this machine that is not loopback (what a DNS answer could name)."""
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        try:
            probe.connect(("192.0.2.123", 9))  # no packet is sent: only the route is looked up
            address = probe.getsockname()[0]
        except OSError:
            address = ""
    if not address or address.startswith("127."):
        pytest.skip("this machine has no non-loopback IPv4 address")
    return address


class _RecordingOn(RecordingServer):
    """The recording echo server, listening on ``address`` instead of 127.0.0.1."""

    def __init__(self, address: str) -> None:
        self._address = address
        super().__init__()

    def server_bind(self) -> None:
        self.server_address = (self._address, 0)
        super().server_bind()


@pytest.mark.parametrize("name", ["localhost.localdomain", "localhost"])
def test_a_local_name_that_resolves_elsewhere_receives_nothing(name: str, monkeypatch: pytest.MonkeyPatch) -> None:
    address = _this_machines_other_address()
    with _RecordingOn(address) as elsewhere:
        port = elsewhere.server_address[1]
        real = socket.getaddrinfo

        def resolver(host: Any, *args: Any, **kwargs: Any) -> Any:
            if isinstance(host, str) and host.lower() == name:  # what a DNS (or a rogue DHCP's DNS) answers
                return [(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP, "", (address, port))]
            return real(host, *args, **kwargs)

        monkeypatch.setattr(socket, "getaddrinfo", resolver)
        settings = Settings(backend="openai", base_url=f"http://{name}:{port}", model="echo")
        with contextlib.suppress(PlumeError):
            list(create_backend(settings).stream_chat(REQUEST))
        assert elsewhere.received == [], "the text reached a non-loopback address:\n" + elsewhere.text_received()[:300]


class _Scripted:
    """A loopback server that reads each request, then plays ``script`` on the connection
    (``script(connection, stopped)``: ``stopped`` is set when the test closes the server)."""

    def __init__(self, script: Callable[[socket.socket, threading.Event], None]) -> None:
        self.listener = socket.create_server(("127.0.0.1", 0))
        self.stopped = threading.Event()
        self._script = script
        threading.Thread(target=self._serve, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.listener.getsockname()[1]}"

    def _serve(self) -> None:
        with contextlib.suppress(OSError):
            while True:
                connection, _ = self.listener.accept()
                with connection:
                    connection.recv(65536)
                    with contextlib.suppress(OSError):
                        self._script(connection, self.stopped)

    def close(self) -> None:
        self.stopped.set()
        self.listener.close()


def _answer_after(delay: float, reply: bytes) -> Callable[[socket.socket, threading.Event], None]:
    """Wait ``delay`` seconds before the first byte (a model loading, or a hostile server
    holding the connection), then send ``reply`` and read until the client leaves."""

    def script(connection: socket.socket, stopped: threading.Event) -> None:
        if stopped.wait(delay):
            return
        connection.sendall(reply)
        connection.settimeout(5)
        while connection.recv(65536):
            pass

    return script


@pytest.fixture
def slow() -> Iterator[_Scripted]:
    # Longer than the test's timeout: only Stop can end the request in time.
    server = _Scripted(
        _answer_after(120, b"HTTP/1.1 200 OK\r\nContent-Type: text/event-stream\r\nTransfer-Encoding: chunked\r\n\r\n")
    )
    yield server
    server.close()


@pytest.mark.timeout(30)
@pytest.mark.parametrize("backend", ["openai", "ollama"])
def test_stop_before_the_reply_headers_ends_the_request_at_once(backend: str, slow: _Scripted) -> None:
    settings = Settings(backend=backend, base_url=slow.url, model="echo", read_timeout=300)
    cancel = CancelToken()
    threading.Timer(0.3, cancel.cancel).start()
    with pytest.raises(Cancelled):
        list(create_backend(settings).stream_chat(REQUEST, cancel))


# --- what held -------------------------------------------------------------------------
def _reply(reply: bytes) -> Callable[[socket.socket, threading.Event], None]:
    """Answer with ``reply``, byte for byte."""

    def script(connection: socket.socket, stopped: threading.Event) -> None:
        connection.sendall(reply)
        connection.settimeout(2)
        connection.recv(1)

    return script


@pytest.mark.parametrize("backend", ["openai", "ollama"])
def test_a_redirect_after_100_continue_is_refused(backend: str) -> None:
    server = _Scripted(
        _reply(
            b"HTTP/1.1 100 Continue\r\n\r\n"
            b"HTTP/1.1 303 See Other\r\nLocation: http://collecte.example.net/x\r\nContent-Length: 0\r\n\r\n"
        )
    )
    try:
        settings = Settings(backend=backend, base_url=server.url, model="echo", read_timeout=5)
        with pytest.raises(RedirectRefused):
            list(create_backend(settings).stream_chat(REQUEST))
    finally:
        server.close()


def test_a_proxy_named_in_lower_case_and_no_proxy_tricks_receive_nothing_for_this_computer(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with RecordingServer() as proxy, RecordingServer() as model:
        for name in ("HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "NO_PROXY"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("http_proxy", proxy.url)
        monkeypatch.setenv("all_proxy", proxy.url)
        monkeypatch.setenv("no_proxy", "")
        for base_url in (model.url, model.url.replace("127.0.0.1", "localhost")):
            settings = Settings(backend="openai", base_url=base_url, model="echo", local_policy="pseudonymise")
            assert "".join(create_backend(settings).stream_chat(REQUEST))
        assert proxy.received == [] and len(model.received) == 2
        assert NIR not in model.text_received() and "Claire Durand" not in model.text_received()


def _trickled_headers(connection: socket.socket, stopped: threading.Event) -> None:
    """The status line, then one header line every 0.1 s (each socket read returns well within
    read_timeout), until the client leaves or the test ends."""
    connection.sendall(b"HTTP/1.1 200 OK\r\n")
    while not stopped.wait(0.1):
        connection.sendall(b"X-Pad: a\r\n")


@pytest.mark.timeout(30)  # the headers never end: only the door's header deadline ends the request
@pytest.mark.parametrize("backend", ["openai", "ollama"])
def test_a_server_trickling_its_headers_times_out(backend: str) -> None:
    server = _Scripted(_trickled_headers)
    try:
        settings = Settings(backend=backend, base_url=server.url, model="echo", read_timeout=0.5)
        with pytest.raises(PlumeError) as raised:
            list(create_backend(settings).stream_chat(REQUEST))
        assert isinstance(raised.value, BackendTimeout), raised.value
    finally:
        server.close()
