"""A scripted OpenAI-compatible server behind ``httpx.MockTransport``, for runs and their
refinements: the model list answers ``m``; each chat request gets the next answer, a text or
a function of the request's messages (to echo the placeholders the model was sent)."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

import httpx

from support.mock_http import openai_chunks, sse

Answer = str | Callable[[list[dict[str, str]]], str]
PLACEHOLDER = re.compile(r"\[[A-Z]+(?:_[A-Z]+)*_\d+\]")


class FakeChat:
    def __init__(self, *answers: Answer) -> None:
        self.answers = list(answers)
        self.chats: list[dict[str, Any]] = []  # the chat requests' bodies, in order
        self.transport = httpx.MockTransport(self._handle)

    def _handle(self, request: httpx.Request) -> httpx.Response:
        if request.method == "GET":
            return httpx.Response(200, json={"object": "list", "data": [{"id": "m"}]})
        body = json.loads(request.read())
        self.chats.append(body)
        answer = self.answers[min(len(self.chats), len(self.answers)) - 1]
        text = answer(body["messages"]) if callable(answer) else answer
        return sse(openai_chunks(*[text[i : i + 7] for i in range(0, len(text), 7)]))

    def sent(self, index: int = -1) -> str:
        """Every message of one chat request, joined."""
        return "\n".join(m["content"] for m in self.chats[index]["messages"])


def echo_placeholders(prefix: str) -> Callable[[list[dict[str, str]]], str]:
    """An answer naming every placeholder it was sent: the model kept the values."""

    def answer(messages: list[dict[str, str]]) -> str:
        found = dict.fromkeys(p for m in messages for p in PLACEHOLDER.findall(m["content"]))
        return f"{prefix} " + ", ".join(found) + "."

    return answer
