"""A gateway in process for the tests: its ASGI app driven by Starlette's TestClient, its
upstream scripted with httpx.MockTransport through the door's transport injection."""

from __future__ import annotations

import json
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx

with warnings.catch_warnings():  # Starlette 1.x suggests httpx2 for its TestClient; httpx is what Plume uses
    warnings.simplefilter("ignore")
    from starlette.testclient import TestClient

from plume_gateway.app import Gateway, State, build_app
from plume_gateway.config import GatewayConfig, from_mapping
from plume_gateway.keys import hash_line

KEY = "plume-gw-test-key-0123456789abcdef"
OTHER_KEY = "plume-gw-other-key-0123456789abcdef"
ORIGIN = "https://office.example.org"
UPSTREAM = "http://127.0.0.1:9"  # never reached: the MockTransport answers
MODEL = "small"


def config(tmp_path: Path, *, plume: dict[str, Any] | None = None, server: dict[str, Any] | None = None,
           keys: list[dict[str, Any]] | None = None) -> GatewayConfig:  # fmt: skip
    data = {
        "server": {"origins": [ORIGIN], "audit_log": str(tmp_path / "audit.jsonl"), **(server or {})},
        "plume": {
            "base_url": UPSTREAM,
            "model": MODEL,
            "local_policy": "pseudonymise",
            "read_timeout": 2.0,
            "connect_timeout": 1.0,
            **(plume or {}),
        },
        "keys": keys
        if keys is not None
        else [
            {"name": "collabora", "hash": hash_line(KEY)},
            {"name": "limited", "hash": hash_line(OTHER_KEY), "models": ["plume-*"]},
        ],
    }
    return from_mapping(data, {})


class Upstream:
    """A scripted OpenAI-compatible upstream: records every request it receives (decoded
    JSON bodies), answers with ``reply(request_json) -> httpx.Response``."""

    def __init__(
        self, reply: Callable[[httpx.Request, dict[str, Any]], httpx.Response] | None = None, *, down: bool = False
    ) -> None:
        self.down = down  # every connection refused
        self.received: list[httpx.Request] = []
        self.bodies: list[dict[str, Any]] = []
        self.reply = reply or (lambda request, body: completion("ok"))

    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self._handle)

    def _handle(self, request: httpx.Request) -> httpx.Response:
        if self.down:
            raise httpx.ConnectError("connection refused")
        self.received.append(request)
        if request.method == "GET":
            return httpx.Response(
                200, json={"object": "list", "data": [{"id": MODEL, "object": "model"}, {"id": "big", "object": "model"}]}
            )
        body = json.loads(request.content or b"{}")
        self.bodies.append(body)
        return self.reply(request, body)


def completion(content: str | None, tool_calls: list[dict[str, Any]] | None = None) -> httpx.Response:
    message: dict[str, Any] = {"role": "assistant", "content": content}
    if tool_calls:
        message["tool_calls"] = tool_calls
    return httpx.Response(
        200,
        json={
            "id": "c1",
            "object": "chat.completion",
            "model": MODEL,
            "choices": [{"index": 0, "message": message, "finish_reason": "tool_calls" if tool_calls else "stop"}],
        },
    )


def sse(chunks: list[dict[str, Any]], done: bool = True) -> httpx.Response:
    events = b"".join(b"data: " + json.dumps(c).encode() + b"\n\n" for c in chunks)
    return httpx.Response(
        200, headers={"content-type": "text/event-stream"}, content=events + (b"data: [DONE]\n\n" if done else b"")
    )


def delta(content: str | None = None, *, calls: list[dict[str, Any]] | None = None, finish: str | None = None) -> dict[str, Any]:
    d: dict[str, Any] = {}
    if content is not None:
        d["content"] = content
    if calls is not None:
        d["tool_calls"] = calls
    return {"id": "c1", "object": "chat.completion.chunk", "model": MODEL,
            "choices": [{"index": 0, "delta": d, "finish_reason": finish}]}  # fmt: skip


@contextmanager
def running(
    cfg: GatewayConfig, upstream: Upstream | None, transport: httpx.AsyncBaseTransport | None = None
) -> Iterator[TestClient]:
    """The app for ``cfg`` with ``upstream`` scripted (or ``transport``; neither: the real
    network, as the door lets it)."""
    if upstream is not None:
        transport = upstream.transport()
    gateway = Gateway(State.open(cfg, transport), transport)
    with TestClient(build_app(gateway), base_url="http://gateway.test") as client:
        client.gateway = gateway  # type: ignore[attr-defined]
        yield client


def auth(key: str = KEY) -> dict[str, str]:
    return {"Authorization": f"Bearer {key}"}


def events(text: str) -> list[Any]:
    """The data of each SSE event of a streamed answer ("[DONE]" as a string)."""
    out: list[Any] = []
    for block in text.split("\n\n"):
        for line in block.splitlines():
            if line.startswith("data: "):
                data = line[6:]
                out.append(data if data == "[DONE]" else json.loads(data))
    return out


def streamed_text(text: str) -> str:
    return "".join(
        (e["choices"][0]["delta"].get("content") or "") for e in events(text) if isinstance(e, dict) and e.get("choices")
    )


def streamed_calls(text: str) -> dict[int, dict[str, str]]:
    """Tool calls of a streamed answer, assembled as a client does: id and name from their
    first delta, the arguments concatenated."""
    calls: dict[int, dict[str, str]] = {}
    for e in events(text):
        if not isinstance(e, dict):
            continue
        for choice in e.get("choices") or []:
            for call in choice.get("delta", {}).get("tool_calls") or []:
                entry = calls.setdefault(call["index"], {"id": "", "name": "", "arguments": ""})
                entry["id"] = entry["id"] or call.get("id", "")
                function = call.get("function") or {}
                entry["name"] = entry["name"] or function.get("name", "")
                entry["arguments"] += function.get("arguments") or ""
    return calls
