"""What both backends share about HTTP: one client configuration (timeouts, TLS with an
optional CA bundle, proxies from the environment), cancellation of in-flight responses,
and the conversion of httpx's errors into Plume's."""

from __future__ import annotations

import functools
import json
import ssl
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any, TypeVar

import httpx

from .. import __version__
from ..cancel import CancelToken, shutdown_socket
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
from ..settings import Settings

USER_AGENT = f"Plume/{__version__}"
T = TypeVar("T")


@functools.lru_cache(maxsize=8)
def _ssl_context(ca_bundle: str) -> ssl.SSLContext:
    # Built once per bundle: loading certificates costs tens of milliseconds per client.
    import certifi

    context = ssl.create_default_context(cafile=certifi.where())
    context.load_default_certs()  # the system's store too: IT often installs its CA there
    if ca_bundle:
        context.load_verify_locations(cafile=ca_bundle)
    return context


def client_options(
    settings: Settings,
    transport: httpx.BaseTransport | None,
    cancel: CancelToken | None,
    headers: dict[str, str] | None = None,
) -> dict[str, Any]:
    """Keyword arguments for ``httpx.Client`` (also accepted by ``ollama.Client``)."""
    options: dict[str, Any] = {
        "timeout": httpx.Timeout(settings.read_timeout, connect=settings.connect_timeout),
        "verify": _ssl_context(settings.ca_bundle) if settings.verify_tls else False,
        "trust_env": True,  # HTTP(S)_PROXY and NO_PROXY, as IT configures them
        "headers": {"User-Agent": USER_AGENT, **(headers or {})},
    }
    if transport is not None:
        options["transport"] = transport
    if cancel is not None:
        options["event_hooks"] = {"response": [functools.partial(_register_abort, cancel)]}
    return options


def _register_abort(cancel: CancelToken, response: httpx.Response) -> None:
    stream = response.extensions.get("network_stream")
    sock = stream.get_extra_info("socket") if stream is not None else None
    cancel.on_cancel(lambda: shutdown_socket(sock))


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
        if "CERTIFICATE_VERIFY_FAILED" in str(error) or isinstance(error.__context__, ssl.SSLCertVerificationError):
            return CertificateError(f"TLS certificate of {url} could not be verified: {error}", url=url)
        return Unreachable(f"cannot connect to {url}: {error}", url=url)
    if isinstance(error, (httpx.RemoteProtocolError, httpx.ReadError)):
        return InvalidReply(f"connection to {url} broken during the answer: {error}", url=url)
    if isinstance(error, httpx.HTTPError):
        return Unreachable(f"network error with {url}: {error}", url=url)
    if isinstance(error, ValueError):
        return InvalidReply(f"unreadable reply from {url}: {error}", url=url)
    return Unreachable(f"network error with {url}: {error}", url=url)


def guarded(url: str, call: Callable[[], T]) -> T:
    with converted_errors(url, None):
        return call()
