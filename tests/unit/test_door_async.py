"""The door's async client (the gateway's) keeps the sync client's rules: only the route's
destination, the door's credentials, the last check with the conversation's own mapping, no
redirect, no compressed reply, a bounded reply."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest

from plume.egress.door import Door
from plume.errors import DestinationBlocked, InvalidReply, LeakPrevented, RedirectRefused
from plume.settings import Settings

SETTINGS = Settings(
    backend="openai", base_url="http://127.0.0.1:8080", model="m", local_policy="pseudonymise", max_output_tokens=16
)


async def _endless() -> Any:
    """One endless line: a server sending a token for ever."""
    while True:
        yield b"x" * 65536


def _door(reply: Any) -> tuple[Door, list[httpx.Request]]:
    received: list[httpx.Request] = []

    def handle(request: httpx.Request) -> httpx.Response:
        received.append(request)
        return reply(request)

    return Door(SETTINGS, "upstream-key", transport=httpx.MockTransport(handle)), received


async def _send(door: Door, conversation: Door, url: str, body: Any = None) -> httpx.Response:
    async with door.build_async() as client:
        request = client.build_request("POST", url, json=body or {"messages": []})
        response = await conversation.send_async(client, request)
        try:
            await response.aread()
        finally:
            await response.aclose()
        return response


def test_another_host_receives_nothing() -> None:
    door, received = _door(lambda r: httpx.Response(200))
    with pytest.raises(DestinationBlocked):
        asyncio.run(_send(door, door.conversation(), "http://127.0.0.2:8080/v1/chat/completions"))
    assert received == []


def test_the_doors_key_and_the_conversations_own_mapping() -> None:
    door, received = _door(lambda r: httpx.Response(200, json={}))
    first, second = door.conversation(), door.conversation()
    masked = first.protect("Écrire à k.benali@laposte.net")
    assert "k.benali" not in masked and second.masked == 0 and door.masked == 0
    asyncio.run(_send(door, first, "http://127.0.0.1:8080/v1/chat/completions", {"messages": [{"content": masked}]}))
    assert received[0].headers["authorization"] == "Bearer upstream-key" and first.requests == 1 and door.requests == 0
    # The value this conversation masked, sent raw (a bug elsewhere): its own mapping stops it.
    with pytest.raises(LeakPrevented):
        asyncio.run(_send(door, first, "http://127.0.0.1:8080/v1/chat/completions", {"note": "k.benali@laposte.net"}))
    assert len(received) == 1 and first.prevented == 1


@pytest.mark.parametrize(
    ("reply", "error"),
    [
        (lambda r: httpx.Response(302, headers={"Location": "http://elsewhere.example/"}), RedirectRefused),
        (lambda r: httpx.Response(200, headers={"Content-Encoding": "gzip"}, content=b"x"), InvalidReply),
        (lambda r: httpx.Response(200, content=_endless()), InvalidReply),
    ],
    ids=["redirect", "compressed", "too-large"],
)
def test_replies_are_checked(reply: Any, error: type[Exception]) -> None:
    door, _ = _door(reply)
    with pytest.raises(error):
        asyncio.run(_send(door, door.conversation(), "http://127.0.0.1:8080/v1/chat/completions"))
