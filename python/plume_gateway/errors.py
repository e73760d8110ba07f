"""Errors as OpenAI's API writes them (``{"error": {"message", "type", "param", "code"}}``),
which Collabora Online and every OpenAI client read; and Plume's errors mapped onto them."""

from __future__ import annotations

import json
from typing import Any

import httpx
from starlette.responses import JSONResponse

from plume.errors import BackendTimeout, DestinationBlocked, InvalidReply, LeakPrevented, PlumeError, RedirectRefused, Unreachable

_TYPES = {400: "invalid_request_error", 401: "authentication_error", 403: "permission_error", 404: "invalid_request_error",
          408: "invalid_request_error", 413: "invalid_request_error", 429: "rate_limit_error"}  # fmt: skip


def body(status: int, message: str, code: str | None = None) -> dict[str, Any]:
    kind = _TYPES.get(status, "api_error" if status < 500 else "upstream_error")
    return {"error": {"message": message, "type": kind, "param": None, "code": code}}


def response(status: int, message: str, code: str | None = None, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse(body(status, message, code), status_code=status, headers=headers)


def sse_event(status: int, message: str, code: str | None = None) -> bytes:
    """An error inside a stream that already started: an event, then the stream ends."""
    return f"data: {json.dumps(body(status, message, code))}\n\n".encode()


def classify(error: BaseException) -> tuple[int, str, str]:
    """HTTP status, message (no text of the conversation) and code for an upstream failure."""
    if isinstance(error, LeakPrevented):
        return 400, "personal data the policy does not let out is still in the request: not sent", "plume_leak_prevented"
    if isinstance(error, DestinationBlocked):
        return 502, f"the upstream is not reachable under the policy: {error}", "plume_destination_blocked"
    if isinstance(error, RedirectRefused):
        return 502, "the upstream answered with a redirect: not followed", "upstream_redirect"
    if isinstance(error, (BackendTimeout, httpx.TimeoutException, TimeoutError)):
        return 504, "the upstream did not answer in time", "upstream_timeout"
    if isinstance(error, (InvalidReply, ValueError, httpx.RemoteProtocolError, httpx.ReadError)):
        return 502, "the upstream's answer was malformed or cut", "upstream_invalid_reply"
    if isinstance(error, (Unreachable, httpx.ConnectError, httpx.HTTPError, OSError)):
        return 502, "the upstream is unreachable", "upstream_unreachable"
    if isinstance(error, PlumeError):
        return 502, str(error), "upstream_error"
    return 500, "internal error of the gateway", "internal_error"


def upstream_status(status: int, detail: str) -> tuple[int, str, str]:
    """A client status for an upstream error status: the upstream's own key problem is the
    gateway's (502), not the client's (whose key was accepted)."""
    if status in (400, 404, 413, 422):
        return status, f"the upstream refused the request: {detail}"[:500], "upstream_refused"
    if status == 429:
        return 429, "the upstream is rate limiting: retry in a moment", "upstream_rate_limited"
    if status in (401, 403):
        return 502, "the gateway's key for the upstream was refused", "upstream_auth"
    return 502, f"the upstream failed (HTTP {status})", "upstream_error"
