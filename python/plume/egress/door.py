"""The door every request goes through (see :mod:`plume.egress`).

A :class:`Door` lives as long as one run (an action, with all of its long-document passes;
a model list; doctor's checks). Backends never build an HTTP client themselves: they ask the
door for one (:meth:`Door.build`), and every request that client sends passes the door's
request hook (the destination is the route's, the credentials are the door's, the body is
checked one last time) and every reply its response hook (no redirect followed, size
bounded)."""

from __future__ import annotations

import collections
import contextlib
import copy
import functools
import json
import os
import ssl
import threading
import time
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from dataclasses import replace
from typing import Any, TypeVar

import httpx

from .. import __version__
from ..cancel import CancelToken, shutdown_socket
from ..destination import is_loopback
from ..errors import BackendTimeout, DestinationBlocked, InvalidReply, LeakPrevented, RedirectRefused
from ..settings import Settings
from ..shield.detect import BEST_EFFORT_KINDS
from ..shield.plain import plain_form
from ..shield.policy import Decision, check_allowed
from ..shield.pseudonym import Pseudonymiser, string_leaves
from ..types import ChatRequest, Message
from .route import Route, redact, route_for

USER_AGENT = f"Plume/{__version__}"
# A reply larger than this is not an answer of max_output_tokens: SSE or NDJSON framing
# costs a few hundred bytes a token at most.
REPLY_BYTES_PER_TOKEN = 2048
REPLY_BYTES_BASE = 2 * 1024 * 1024
# A body larger than this is checked in a worker thread by a service's event loop: the
# detectors read about a megabyte a second, and one large request must not stall every other.
OFF_LOOP_BYTES = 64 * 1024
C = TypeVar("C")


@functools.lru_cache(maxsize=8)
def _ssl_context(ca_bundle: str) -> ssl.SSLContext:
    # Built once per bundle: loading certificates costs tens of milliseconds per client.
    import certifi

    context = ssl.create_default_context(cafile=certifi.where())
    context.load_default_certs()  # the system's store too: IT often installs its CA there
    if ca_bundle:
        context.load_verify_locations(cafile=ca_bundle)
    return context


class Door:
    def __init__(
        self,
        settings: Settings,
        api_key: str = "",
        *,
        transport: httpx.BaseTransport | httpx.AsyncBaseTransport | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        """Raises :class:`DestinationBlocked` or :class:`SettingsError` before anything is
        sent: a door exists only for valid settings and a destination the policy allows."""
        self.settings = settings.validate()
        self.decision: Decision = check_allowed(settings)
        self.route: Route = route_for(settings, os.environ if environ is None else environ, self.decision)
        self.mapping: Pseudonymiser | None = Pseudonymiser() if self.decision.pseudonymise else None
        self._api_key = api_key
        self._transport = transport
        self._lock = threading.Lock()  # the mapping and counters: a run's requests may overlap Stop
        self.requests = 0  # requests that passed the last check and were sent
        self.prevented = 0  # requests the last check stopped

    def conversation(self) -> Door:
        """A door for one conversation of a long-running service (the gateway): the same
        settings, decision and route, checked once when this door was opened, with its own
        mapping and counters. Nothing is shared between two conversations but the rules."""
        door = copy.copy(self)
        door.mapping = Pseudonymiser() if self.decision.pseudonymise else None
        door._lock = threading.Lock()
        door.requests = door.prevented = 0
        return door

    # --- what leaves -------------------------------------------------------------------
    def protect(self, text: str, *, glued: bool = False) -> str:
        """``text`` as it may leave: pseudonymised with the run's mapping under a
        pseudonymising policy (a value masked earlier in the run keeps its placeholder).
        ``glued``: ``text`` holds restored values (an answer sent back): each is masked also
        where the model glued its placeholder to a word or a number."""
        if self.mapping is None:
            return text
        with self._lock:
            return self.mapping.protect_text(text, glued=glued)

    def mask_whole(self, value: str) -> None:
        """Under a pseudonymising policy, ``value`` (the signature block) leaves as one
        placeholder in every later text of the run (see :meth:`Pseudonymiser.mask_whole`)."""
        if self.mapping is None or not value.strip():
            return
        with self._lock:
            self.mapping.mask_whole(value)

    def outgoing(self, request: ChatRequest) -> ChatRequest:
        """The request with every message protected: instructions, labels and answers of
        earlier passes included, whatever built it."""
        if self.mapping is None:
            return request
        return replace(request, messages=tuple(Message(m.role, self.protect(m.content)) for m in request.messages))

    @property
    def masked(self) -> int:
        """Distinct values the run's mapping replaced so far."""
        return len(self.mapping.values) if self.mapping is not None else 0

    # --- the client ----------------------------------------------------------------------
    def build(self, factory: Callable[..., C], cancel: CancelToken | None = None, **extra: Any) -> C:
        """A client made by ``factory`` (``httpx.Client``, ``ollama.Client``) with the door's
        options: its hooks see every request and reply."""
        return factory(**self.client_options(cancel), **extra)

    def client_options(self, cancel: CancelToken | None = None) -> dict[str, Any]:
        settings = self.settings
        options: dict[str, Any] = {
            "timeout": httpx.Timeout(settings.read_timeout, connect=settings.connect_timeout),
            "verify": _ssl_context(settings.ca_bundle) if settings.verify_tls else False,
            "trust_env": False,  # the route decides about proxies, not the environment
            "proxy": self.route.proxy,
            "follow_redirects": False,
            "headers": {"User-Agent": USER_AGENT},
            "event_hooks": {"request": [functools.partial(self._on_request, cancel)], "response": [self._on_response]},
        }
        if isinstance(self._transport, httpx.BaseTransport):
            options["transport"] = self._transport
        return options

    def build_async(self, **extra: Any) -> httpx.AsyncClient:
        """An ``httpx.AsyncClient`` with :meth:`async_client_options` (a service's one client
        for all its conversations: see :meth:`send_async`)."""
        return httpx.AsyncClient(**self.async_client_options(), **extra)

    def async_client_options(self) -> dict[str, Any]:
        """The options of an ``httpx.AsyncClient`` (the gateway's): the same destination,
        credentials, last check, redirect refusal and bounds as :meth:`client_options`, with
        hooks an event loop can await and no thread per request. The reply's headers must
        come within ``read_timeout``: :meth:`send_async` sees to it."""
        options = self.client_options()
        options["event_hooks"] = {"request": [self._on_request_async], "response": [self._on_response_async]}
        options.pop("transport", None)
        if isinstance(self._transport, httpx.AsyncBaseTransport):
            options["transport"] = self._transport
        return options

    async def send_async(self, client: httpx.AsyncClient, request: httpx.Request) -> httpx.Response:
        """``request`` sent by a client built with :meth:`async_client_options`, its reply
        streamed: the headers within ``read_timeout`` even if they trickle in (the sync
        clients' watch does it with a timer thread; here the event loop does)."""
        import anyio

        limit = self.settings.read_timeout + self.settings.connect_timeout
        request.extensions["plume_door"] = self  # the client's hooks check with this door's mapping
        try:
            with anyio.fail_after(limit):
                return await client.send(request, stream=True)
        except TimeoutError:
            raise BackendTimeout(f"no complete answer headers from {self.route.host} within {limit:g} s") from None

    def _on_request(self, cancel: CancelToken | None, request: httpx.Request) -> None:
        self._admit(request)
        watch = _Watch(self, cancel)
        request.extensions["trace"] = watch.trace
        request.extensions["plume_watch"] = watch  # the reply releases it when closed

    async def _on_request_async(self, request: httpx.Request) -> None:
        # One client serves every conversation of a service: the request names its own door
        # (a copy of this one: the same route and rules, its own mapping).
        door = request.extensions.get("plume_door")
        if not isinstance(door, Door) or door.route != self.route:
            door = self
        if len(request.content) > OFF_LOOP_BYTES:
            import anyio

            await anyio.to_thread.run_sync(door._admit, request)
        else:
            door._admit(request)

        async def trace(event: str, info: dict[str, Any]) -> None:
            if event == "connection.connect_tcp.complete":
                _check_peer(door, info.get("return_value"))

        request.extensions["trace"] = trace

    def _admit(self, request: httpx.Request) -> None:
        """What every request must be to leave, whichever client sends it."""
        url = request.url
        port = url.port or (443 if url.scheme == "https" else 80)
        host = url.raw_host.decode("ascii", "replace").lower()
        if (url.scheme, host, port) != (self.route.scheme, self.route.host, self.route.port):
            raise DestinationBlocked(url.host, "not the configured server", "other_host")
        # The door's headers only: no client library's credentials (OLLAMA_API_KEY) or
        # identity, and no compression (a small compressed reply can expand without bound).
        request.headers.pop("Authorization", None)
        if self._api_key:
            request.headers["Authorization"] = f"Bearer {self._api_key}"
        request.headers["User-Agent"] = USER_AGENT
        request.headers["Accept-Encoding"] = "identity"
        self.check_body(request.read())
        with self._lock:
            self.requests += 1

    def check_body(self, body: bytes) -> None:
        """Just before sending: under a pseudonymising policy, no validated identifier and
        no value masked elsewhere in the run may still be in the body."""
        if self.mapping is None or not body:
            return
        kinds: list[str] = []
        # A body repeats many strings (a tool schema's "type", "string", "description"...):
        # each distinct one is checked once, its findings counted as often as it occurs.
        for text, times in collections.Counter(map(plain_form, _strings(body))).items():
            with self._lock:
                found = ["MASKED" for _ in self.mapping.leaks(text)]
            found += _validated_kinds(text) if len(text) <= _CACHED_TEXT else _validated_kinds.__wrapped__(text)
            kinds += found * times
        if kinds:
            with self._lock:
                self.prevented += 1
            raise LeakPrevented(kinds)

    def _on_response(self, response: httpx.Response) -> None:
        limit, url = self._reply_checks(response)
        watch = response.request.extensions.get("plume_watch")
        release = watch.release if isinstance(watch, _Watch) else None
        response.stream = _Bounded(response.stream, limit, self.settings.read_timeout, url, release)

    async def _on_response_async(self, response: httpx.Response) -> None:
        limit, url = self._reply_checks(response)
        response.stream = _AsyncBounded(response.stream, limit, self.settings.read_timeout, url)

    def _reply_checks(self, response: httpx.Response) -> tuple[int, str]:
        """No redirect followed, no compressed reply; the size a reply may have, and its URL
        as it may be shown."""
        url = redact(str(response.url))
        if 300 <= response.status_code < 400:
            location = response.headers.get("Location", "")
            try:
                target = redact(str(response.url.join(location))) if location else ""
            except (httpx.InvalidURL, ValueError):
                target = "(unreadable URL)"
            raise RedirectRefused(response.status_code, target, url=url)
        if response.headers.get("Content-Encoding", "identity").strip().lower() not in ("", "identity"):
            raise InvalidReply(f"the reply from {url} is compressed although Plume asked for none: refused", url=url)
        return REPLY_BYTES_BASE + REPLY_BYTES_PER_TOKEN * self.settings.max_output_tokens, url


class _Watch:
    """Follows one request on its connection (httpcore's trace): the peer of a local
    destination must be this computer (a name such as ``localhost`` is only what a resolver
    says), Stop can close the socket as soon as it exists, and the reply's headers must
    arrive within ``read_timeout`` even if they trickle in."""

    def __init__(self, door: Door, cancel: CancelToken | None) -> None:
        self.door, self.cancel = door, cancel
        self.socket: Any = None
        self.timer: threading.Timer | None = None
        self.timed_out = False
        self._headers_done = False
        self._lock = threading.Lock()  # the timer's thread against the request's
        self._forget: Callable[[], None] = lambda: None

    def trace(self, event: str, info: dict[str, Any]) -> None:
        if event == "connection.connect_tcp.complete":
            self._connected(info.get("return_value"))
        elif event == "http11.receive_response_headers.started" and self.socket is not None:
            self.timer = threading.Timer(self.door.settings.read_timeout, self._expire)
            self.timer.daemon = True
            self.timer.start()
        elif event.startswith("http11.receive_response_headers.") and self.timer is not None:
            with self._lock:
                self._headers_done = True
            self.timer.cancel()
            if self.timed_out and event.endswith(".failed"):
                raise BackendTimeout(
                    f"no complete answer headers from {self.door.route.host} within {self.door.settings.read_timeout:g} s"
                )

    def _connected(self, stream: Any) -> None:
        self.socket = stream.get_extra_info("socket") if stream is not None else None
        _check_peer(self.door, stream)
        if self.cancel is not None:
            socket = self.socket
            self._forget = self.cancel.on_cancel(lambda: shutdown_socket(socket))

    def _expire(self) -> None:
        with self._lock:
            if self._headers_done:  # they arrived as the timer fired: not a stall
                return
            self.timed_out = True
        with contextlib.suppress(OSError):
            shutdown_socket(self.socket)

    def release(self) -> None:
        """The reply is closed: Stop has nothing left to abort, the timer nothing to watch."""
        if self.timer is not None:
            self.timer.cancel()
        self._forget()


def _check_peer(door: Door, stream: Any) -> None:
    """The peer of a local destination must be this computer (a name such as ``localhost``
    is only what a resolver says)."""
    peer = stream.get_extra_info("server_addr") if stream is not None else None
    if door.route.destination.kind == "local" and not (peer and is_loopback(str(peer[0]))):
        with contextlib.suppress(Exception):
            stream.close()  # nothing was sent on it; the pool would not close it
        where = peer[0] if peer else "?"
        raise DestinationBlocked(door.route.host, f"it resolved to {where}, not this computer", "other_host")


class _Limits:
    """What a reply may be, chunk after chunk: at most ``limit`` bytes (a server sending one
    endless token cannot fill the memory), and a line ended at least every ``idle`` seconds
    (SSE and NDJSON are lines: bytes trickling inside one line are no answer)."""

    def __init__(self, limit: int, idle: float, url: str) -> None:
        self._limit, self._idle, self._url = limit, idle, url
        self._received = 0
        self._line_ended = time.monotonic()

    def check(self, chunk: bytes) -> None:
        self._received += len(chunk)
        if self._received > self._limit:
            raise InvalidReply(f"the reply from {self._url} exceeds {self._limit // 1024} KB: stopped", url=self._url)
        if b"\n" in chunk:
            self._line_ended = time.monotonic()
        elif time.monotonic() - self._line_ended > self._idle:
            raise BackendTimeout(f"the reply from {self._url} trickles without ending a line: stopped", url=self._url)


class _Bounded(httpx.SyncByteStream):
    """A reply stream within :class:`_Limits`."""

    def __init__(self, stream: Any, limit: int, idle: float, url: str, on_close: Callable[[], None] | None = None) -> None:
        self._stream, self._limit, self._idle, self._url = stream, limit, idle, url
        self._on_close = on_close

    def __iter__(self) -> Iterator[bytes]:
        limits = _Limits(self._limit, self._idle, self._url)
        for chunk in self._stream:
            limits.check(chunk)
            yield chunk

    def close(self) -> None:
        close = getattr(self._stream, "close", None)
        if close is not None:
            close()
        if self._on_close is not None:
            self._on_close()


class _AsyncBounded(httpx.AsyncByteStream):
    """The same limits for an async client's reply."""

    def __init__(self, stream: Any, limit: int, idle: float, url: str) -> None:
        self._stream, self._limits = stream, (limit, idle, url)

    async def __aiter__(self) -> AsyncIterator[bytes]:
        limits = _Limits(*self._limits)
        async for chunk in self._stream:
            limits.check(chunk)
            yield chunk

    async def aclose(self) -> None:
        close = getattr(self._stream, "aclose", None)
        if close is not None:
            await close()


# The detectors are pure functions of the text, and a service checks the same short texts
# over and over (a client's tool descriptions and field names, a conversation's earlier turns
# resent every round): their result is kept, for texts short enough to keep many.
_CACHED_TEXT = 2000


@functools.lru_cache(maxsize=4096)
def _validated_kinds(text: str) -> tuple[str, ...]:
    from ..shield.detect import detect

    return tuple(f.kind for f in detect(text) if f.kind not in BEST_EFFORT_KINDS)


def _strings(body: bytes) -> list[str]:
    """The body's JSON string leaves (decoded: an escaped value is checked as the server
    reads it), or the body as text when it is not JSON."""
    text = body.decode("utf-8", "replace")
    try:
        return string_leaves(json.loads(text))
    except ValueError:
        return [text]
