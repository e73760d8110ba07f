"""Fault injection with httpx.MockTransport: each helper answers one request shape.
Used only by unit tests; the integration tests talk to real servers."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import httpx

Handler = Callable[[httpx.Request], httpx.Response]


class Recorder:
    """A MockTransport that remembers each request and its JSON body."""

    def __init__(self, handler: Handler) -> None:
        self.requests: list[httpx.Request] = []
        self.bodies: list[Any] = []
        self._handler = handler
        self.transport = httpx.MockTransport(self._handle)

    def _handle(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        content = request.read()
        self.bodies.append(json.loads(content) if content else None)
        return self._handler(request)


def sse(events: Iterable[str], status: int = 200) -> httpx.Response:
    def stream() -> Iterator[bytes]:
        for data in events:
            yield f"data: {data}\n\n".encode()

    return httpx.Response(status, headers={"content-type": "text/event-stream"}, content=stream())


def openai_chunks(*pieces: str, done: bool = True) -> list[str]:
    events = [json.dumps({"choices": [{"index": 0, "delta": {"content": p}}]}) for p in pieces]
    return events + (["[DONE]"] if done else [])


def ndjson(lines: Iterable[str], status: int = 200) -> httpx.Response:
    def stream() -> Iterator[bytes]:
        for line in lines:
            yield (line + "\n").encode()

    return httpx.Response(status, headers={"content-type": "application/x-ndjson"}, content=stream())


def ollama_chunks(*pieces: str, model: str = "m") -> list[str]:
    parts = [
        json.dumps(
            {"model": model, "created_at": "2026-01-01T00:00:00Z", "message": {"role": "assistant", "content": p}, "done": False}
        )
        for p in pieces
    ]
    parts.append(
        json.dumps(
            {"model": model, "created_at": "2026-01-01T00:00:00Z", "message": {"role": "assistant", "content": ""}, "done": True}
        )
    )
    return parts


def raising(error: Exception) -> Handler:
    def handler(request: httpx.Request) -> httpx.Response:
        raise error

    return handler
