"""What both backends share about HTTP: the conversion of httpx's errors and servers' error
bodies into Plume's. Clients come from the door (:mod:`plume.egress.door`)."""

from __future__ import annotations

import json
import ssl
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TypeVar

import httpx

from ..cancel import CancelToken
from ..errors import (
    AuthenticationError,
    BackendError,
    BackendTimeout,
    Cancelled,
    CertificateError,
    HTTPStatusError,
    InvalidReply,
    ModelNotFound,
    Unreachable,
)

T = TypeVar("T")


def server_message(response: httpx.Response) -> str:
    """The server's own explanation, on one line: ``{"error": ...}`` in the shapes used by
    Ollama, OpenAI, vLLM and llama.cpp, else the start of the body."""
    try:
        text = response.read().decode("utf-8", "replace")
    except httpx.HTTPError:
        return ""
    try:
        body = json.loads(text)
    except ValueError:
        return " ".join(text.split())[:300]
    error = body.get("error", body.get("detail", body.get("message", ""))) if isinstance(body, dict) else ""
    if isinstance(error, dict):
        error = error.get("message", "") or json.dumps(error)
    return " ".join(str(error).split())[:300]


def raise_for_status(response: httpx.Response, model: str, url: str) -> None:
    if response.is_success:
        return
    raise status_error(response.status_code, server_message(response), model, url)


def status_error(status: int, message: str, model: str, url: str) -> HTTPStatusError:
    if status in (401, 403):
        return AuthenticationError(status, message, url=url)
    if status == 404 or (status == 400 and "model" in message.lower() and "not" in message.lower()):
        return ModelNotFound(model, message, status=status, url=url)
    return HTTPStatusError(status, message, url=url)


@contextmanager
def converted_errors(url: str, cancel: CancelToken | None) -> Iterator[None]:
    """Turn transport errors into Plume's; a socket shut by Stop becomes :class:`Cancelled`."""
    try:
        yield
    except BackendError:
        if cancel is not None and cancel.cancelled:
            raise Cancelled() from None
        raise
    except (httpx.HTTPError, OSError, ValueError) as error:
        if cancel is not None and cancel.cancelled:
            raise Cancelled() from None
        raise convert(error, url) from None


def convert(error: BaseException, url: str) -> BackendError:
    if isinstance(error, httpx.TimeoutException):
        kind = "connecting to" if isinstance(error, httpx.ConnectTimeout) else "waiting for"
        return BackendTimeout(f"timed out {kind} {url}", url=url)
    if isinstance(error, httpx.ConnectError):
        if _caused_by(error, ssl.SSLCertVerificationError):
            return CertificateError(f"TLS certificate of {url} could not be verified: {error}", url=url)
        return Unreachable(f"cannot connect to {url}: {error}", url=url)
    if isinstance(error, (httpx.RemoteProtocolError, httpx.ReadError)):
        return InvalidReply(f"connection to {url} broken during the answer: {error}", url=url)
    if isinstance(error, httpx.HTTPError):
        return Unreachable(f"network error with {url}: {error}", url=url)
    if isinstance(error, ValueError):
        return InvalidReply(f"unreadable reply from {url}: {error}", url=url)
    return Unreachable(f"network error with {url}: {error}", url=url)


def _caused_by(error: BaseException, kind: type[BaseException]) -> bool:
    """Whether ``kind`` is in the chain of errors that led to ``error`` (httpx wraps httpcore's
    error, which wraps the ssl module's): the class decides, never the message's words."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        if isinstance(current, kind):
            return True
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return False


def guarded(url: str, call: Callable[[], T]) -> T:
    with converted_errors(url, None):
        return call()


class IdleLimit:
    """A reply that sends nothing useful for ``seconds`` has stalled, even if it keeps the
    connection busy (SSE comments, empty parts reset the socket's read timeout)."""

    def __init__(self, seconds: float, url: str) -> None:
        self.seconds, self.url = seconds, url
        self.reset()

    def reset(self) -> None:
        self._since = time.monotonic()

    def check(self) -> None:
        if time.monotonic() - self._since > self.seconds:
            raise BackendTimeout(f"no answer text from {self.url} for {self.seconds:g} s", url=self.url)


def sse_data(response: httpx.Response, idle_seconds: float, url: str) -> Iterator[str]:
    """The ``data`` of each Server-Sent Event. Comments and other fields do not count as
    activity: a server sending only those stalls after ``idle_seconds``."""
    idle = IdleLimit(idle_seconds, url)
    data: list[str] = []
    for line in response.iter_lines():
        if not line:
            if data:
                idle.reset()
                yield "\n".join(data)
                data = []
            else:
                idle.check()
            continue
        field, _, value = line.partition(":")
        if field == "data":
            data.append(value[1:] if value.startswith(" ") else value)
        idle.check()  # an event that never ends is no answer either
    if data:
        yield "\n".join(data)
