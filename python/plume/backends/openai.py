"""OpenAI-compatible servers (Albert, Mistral, vLLM, llama.cpp, Ollama's ``/v1``) over httpx.

Only the fields every one of these servers accepts are sent: ``model``, ``messages``,
``stream``, ``temperature``, ``max_tokens``. Streaming uses Server-Sent Events.
"""

from __future__ import annotations

import json
from typing import Any

import httpx

from ..cancel import CancelToken
from ..egress.door import Door
from ..errors import InvalidReply, SettingsError
from ..types import ChatRequest, ModelInfo
from .base import Answer, register
from .http import converted_errors, guarded, raise_for_status, sse_data, status_error

_CONTEXT_KEYS = ("max_model_len", "max_context_length", "context_length", "context_window")


class OpenAIBackend:
    def __init__(self, door: Door) -> None:
        self.door = door
        self.settings = settings = door.settings
        # Accept the address with or without the /v1 suffix: operators document both.
        root = settings.base_url.rstrip("/")
        self.api_url = root if root.endswith("/v1") else root + "/v1"

    def _client(self, cancel: CancelToken | None = None) -> httpx.Client:
        return self.door.build(httpx.Client, cancel)

    def list_models(self) -> list[ModelInfo]:
        url = self.api_url + "/models"

        def fetch() -> list[ModelInfo]:
            with self._client() as client:
                response = client.get(url)
                raise_for_status(response, "", url)
                return [ModelInfo(name=str(item["id"])) for item in _model_list(response, url) if "id" in item]

        return guarded(url, fetch)

    def context_limit(self, model: str) -> int | None:
        """The limit the server reports for ``model`` in its model list, when it does: vLLM
        (``max_model_len``), Mistral (``max_context_length``), others (``context_length``,
        ``context_window``). llama.cpp's server does not: the setting must say it."""
        url = self.api_url + "/models"

        def fetch() -> int | None:
            with self._client() as client:
                response = client.get(url)
                raise_for_status(response, "", url)
                for item in _model_list(response, url):
                    if item.get("id") == model:
                        for key in _CONTEXT_KEYS:
                            if isinstance(item.get(key), int):
                                return int(item[key])
                return None

        return guarded(url, fetch)

    def stream_chat(self, request: ChatRequest, cancel: CancelToken | None = None) -> Answer:
        if not request.model:
            raise SettingsError(["no model chosen"])
        url = self.api_url + "/chat/completions"
        request = self.door.outgoing(request)
        body = {
            "model": request.model,
            "messages": [{"role": m.role, "content": m.content} for m in request.messages],
            "stream": True,
            "temperature": request.temperature,
            "max_tokens": request.max_tokens,
        }
        with (
            converted_errors(url, cancel),
            self._client(cancel) as client,
            client.stream("POST", url, json=body) as response,
        ):
            raise_for_status(response, request.model, url)
            if "text/event-stream" not in response.headers.get("content-type", ""):
                # A server that ignores "stream": one JSON answer.
                chunk = _json(response.read().decode("utf-8", "replace"), url)
                yield _content(chunk, url, streamed=False)
                return _finish_reason(chunk)
            finish: str | None = None
            for data in sse_data(response, self.settings.read_timeout, url):
                if cancel is not None:
                    cancel.raise_if_cancelled()
                if data.strip() == "[DONE]":
                    return finish
                if not data.strip():
                    continue
                chunk = _json(data, url)
                piece = _content(chunk, url, streamed=True, model=request.model)
                finish = _finish_reason(chunk) or finish
                if piece:
                    yield piece
            # Some servers (llama.cpp) close without [DONE]: the answer is complete anyway.
            return finish

    def embed(self, texts: list[str], model: str, cancel: CancelToken | None = None) -> list[list[float]]:
        """``/v1/embeddings``: one vector per text, in order. The texts leave protected like
        any text (pseudonymised under that policy); the door checks the body once more."""
        url = self.api_url + "/embeddings"
        body = {"model": model, "input": [self.door.protect(text) for text in texts]}
        with converted_errors(url, cancel), self._client(cancel) as client:
            response = client.post(url, json=body)
            raise_for_status(response, model, url)
            data = _json(response.read().decode("utf-8", "replace"), url).get("data")
            if not isinstance(data, list) or len(data) != len(texts):
                raise InvalidReply(f"unexpected embeddings from {url}", url=url)
            ordered = sorted(data, key=lambda item: item.get("index", 0) if isinstance(item, dict) else 0)
            return [vector(item.get("embedding") if isinstance(item, dict) else None, url) for item in ordered]

    def rerank(self, query: str, documents: list[str], model: str, cancel: CancelToken | None = None) -> list[float]:
        """``/v1/rerank`` (Albert, vLLM, llama.cpp, Jina/Cohere shape): a relevance score per
        document, in the documents' order."""
        url = self.api_url + "/rerank"
        body = {"model": model, "query": self.door.protect(query), "documents": [self.door.protect(d) for d in documents]}
        with converted_errors(url, cancel), self._client(cancel) as client:
            response = client.post(url, json=body)
            raise_for_status(response, model, url)
            reply = _json(response.read().decode("utf-8", "replace"), url)
            results = reply.get("results", reply.get("data"))
            scores = [float("-inf")] * len(documents)
            if not isinstance(results, list):
                raise InvalidReply(f"unexpected rerank reply from {url}", url=url)
            for item in results:
                index = item.get("index") if isinstance(item, dict) else None
                score = item.get("relevance_score", item.get("score")) if isinstance(item, dict) else None
                if not (isinstance(index, int) and 0 <= index < len(documents) and isinstance(score, (int, float))):
                    raise InvalidReply(f"unexpected rerank reply from {url}", url=url)
                scores[index] = float(score)
            return scores


def vector(value: object, url: str) -> list[float]:
    """An embedding as floats; anything else is an invalid reply."""
    if not isinstance(value, list) or not value or not all(isinstance(x, (int, float)) for x in value):
        raise InvalidReply(f"unexpected embedding from {url}", url=url)
    return [float(x) for x in value]


def _model_list(response: httpx.Response, url: str) -> list[dict[str, Any]]:
    """The entries of a ``/models`` reply (``{"data": [...]}``); another shape is an invalid reply."""
    data = _json(response.read().decode("utf-8", "replace"), url).get("data", [])
    if not isinstance(data, list):
        raise InvalidReply(f"unexpected model list from {url}", url=url)
    return [item for item in data if isinstance(item, dict)]


def _json(text: str, url: str) -> dict[str, Any]:
    try:
        value = json.loads(text)
    except ValueError:
        raise InvalidReply(f"malformed data in the reply from {url}: {text[:80]!r}", url=url) from None
    if not isinstance(value, dict):
        raise InvalidReply(f"unexpected reply from {url}: {text[:80]!r}", url=url)
    return value


def _finish_reason(chunk: dict[str, Any]) -> str | None:
    """``"length"`` when the answer stopped at ``max_tokens``; ``"stop"`` when the model ended it."""
    choices = chunk.get("choices")
    if isinstance(choices, list) and choices and isinstance(choices[0], dict):
        reason = choices[0].get("finish_reason")
        return reason if isinstance(reason, str) else None
    return None


def _content(chunk: dict[str, Any], url: str, *, streamed: bool, model: str = "") -> str:
    if "error" in chunk:
        error = chunk["error"]
        message = str(error.get("message", error)) if isinstance(error, dict) else str(error)
        status = error.get("code") if isinstance(error, dict) else None
        failure = status_error(status if isinstance(status, int) else 500, message, model, url)
        raise failure
    try:
        choice = chunk["choices"][0] if chunk["choices"] else {}
        part = choice.get("delta" if streamed else "message") or {}
        content = part.get("content") or ""
    except (KeyError, IndexError, TypeError, AttributeError):
        raise InvalidReply(f"unexpected reply shape from {url}", url=url) from None
    if not isinstance(content, str):
        raise InvalidReply(f"unexpected content type in the reply from {url}", url=url)
    return content


@register("openai")
def _factory(door: Door) -> OpenAIBackend:
    return OpenAIBackend(door)
