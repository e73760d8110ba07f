"""The gateway reads an upstream stream to its end after ``[DONE]``: a reply closed before its
end takes its connection out of the pool, and the next request pays a new connection (a TLS
handshake to a remote upstream). The client's stream is the same either way."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
from gateway_support import MODEL, Upstream, auth, config, delta, events, running


def test_the_upstream_stream_is_read_to_its_end_after_done(tmp_path: Path) -> None:
    ended: list[bool] = []

    async def body() -> AsyncIterator[bytes]:
        for chunk in (delta("Bonjour"), delta(" à vous", finish="stop")):
            yield b"data: " + json.dumps(chunk).encode() + b"\n\n"
        yield b"data: [DONE]\n\n"
        yield b": the body's end, after [DONE]\n\n"
        ended.append(True)  # runs only when the reader asks past the last piece

    def reply(request: httpx.Request, sent: object) -> httpx.Response:
        return httpx.Response(200, headers={"content-type": "text/event-stream"}, content=body())

    with running(config(tmp_path, plume={"local_policy": "send"}), Upstream(reply)) as client:
        answer = client.post("/v1/chat/completions", json={"model": MODEL, "messages": [{"role": "user", "content": "Salut"}], "stream": True}, headers=auth())  # fmt: skip
    assert answer.status_code == 200
    received = events(answer.text)
    assert (
        received[-1] == "[DONE]"
        and "".join(e["choices"][0]["delta"].get("content", "") for e in received[:-1]) == "Bonjour à vous"
    )
    assert ended == [True]
