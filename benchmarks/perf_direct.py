"""The reference Plume is compared with: a direct streaming call to the same server with the
same messages, timed from the request to the first and the last token.

llama.cpp reuses the part of a prompt it evaluated last time. Every measured call, Plume's
or the direct one, is therefore preceded by :func:`reset_prompt_cache`, so both start from
the same server state and both pay for reading the whole prompt.
"""

from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any

import httpx


@dataclass(frozen=True)
class Streamed:
    first_token: float  # seconds from the request to the first non-empty piece
    total: float  # seconds from the request to the end of the stream
    text: str


def stream_direct(base_url: str, body: dict[str, Any]) -> Streamed:
    """Send ``body`` (an OpenAI chat request, streamed) as it is."""
    started = time.monotonic()
    first: float | None = None
    text = ""
    with httpx.Client(timeout=300) as client, client.stream("POST", base_url + "/v1/chat/completions", json=body) as reply:
        reply.raise_for_status()
        for line in reply.iter_lines():
            if not line.startswith("data:"):
                continue
            piece = delta_content(line[5:])
            if piece and first is None:
                first = time.monotonic() - started
            text += piece
    total = time.monotonic() - started
    return Streamed(first if first is not None else total, total, text)


def delta_content(data: str) -> str:
    """The text piece of one OpenAI streaming event's data ("" for ``[DONE]`` or an empty delta).
    Raises ValueError when the data is not JSON."""
    if data.strip() == "[DONE]":
        return ""
    choices = json.loads(data).get("choices") or [{}]
    return str((choices[0].get("delta") or {}).get("content") or "")


def reset_prompt_cache(base_url: str, model: str) -> None:
    """One token for an unrelated prompt: the server forgets the prompt measured before."""
    body = {"model": model, "messages": [{"role": "user", "content": "Nombre au hasard : 42. Un mot."}], "max_tokens": 1}
    httpx.post(base_url + "/v1/chat/completions", json=body, timeout=300).raise_for_status()
