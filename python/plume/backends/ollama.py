"""Ollama's native API through the official ``ollama`` client: ``/api/chat`` streaming
(NDJSON), ``/api/tags`` for models. ``options.num_ctx`` is set from the request's
``context_tokens`` so that Ollama never silently cuts a long prompt to its default."""

from __future__ import annotations

import json

import httpx
import ollama
from pydantic import ValidationError

from ..cancel import CancelToken
from ..egress.door import Door
from ..errors import InvalidReply, SettingsError, Unreachable
from ..types import ChatRequest, ModelInfo
from .base import Answer, register
from .http import IdleLimit, converted_errors, raise_for_status, status_error


class OllamaBackend:
    def __init__(self, door: Door) -> None:
        self.door = door
        self.settings = door.settings
        self.url = self.settings.base_url.rstrip("/")

    def _client(self, cancel: CancelToken | None = None) -> ollama.Client:
        # The door adds the API key (Ollama behind a reverse proxy often wants one).
        return self.door.build(ollama.Client, cancel, host=self.url)

    def list_models(self) -> list[ModelInfo]:
        url = self.url + "/api/tags"
        with converted_errors(url, None), _ollama_errors(url, ""), self._client() as client:
            listed = client.list()
            return [
                ModelInfo(
                    name=str(m.model),
                    size_bytes=m.size,
                    details={k: str(v) for k, v in (m.details.model_dump() if m.details else {}).items() if v},
                )
                for m in listed.models
            ]

    def context_limit(self, model: str) -> int | None:
        """The context length the model was trained for (``/api/show``, ``<arch>.context_length``)."""
        url = self.url + "/api/show"
        with converted_errors(url, None), _ollama_errors(url, model), self._client() as client:
            info = client.show(model).modelinfo or {}
        lengths = [v for k, v in info.items() if k.endswith(".context_length") and isinstance(v, int)]
        return lengths[0] if lengths else None

    def stream_chat(self, request: ChatRequest, cancel: CancelToken | None = None) -> Answer:
        if not request.model:
            raise SettingsError(["no model chosen"])
        url = self.url + "/api/chat"
        request = self.door.outgoing(request)
        with converted_errors(url, cancel), _ollama_errors(url, request.model), self._client(cancel) as client:
            parts = client.chat(
                model=request.model,
                messages=[{"role": m.role, "content": m.content} for m in request.messages],
                stream=True,
                options={
                    "num_ctx": request.context_tokens,
                    "num_predict": request.max_tokens,
                    "temperature": request.temperature,
                },
                keep_alive=self.settings.keep_alive or None,
            )
            finish: str | None = None
            idle = IdleLimit(self.settings.read_timeout, url)
            try:
                for part in parts:
                    if cancel is not None:
                        cancel.raise_if_cancelled()
                    content = part.message.content if part.message else None
                    thinking = getattr(part.message, "thinking", None) if part.message else None
                    finish = part.done_reason or finish
                    if content or thinking:  # a reasoning model thinks before it answers
                        idle.reset()
                    else:
                        idle.check()  # empty parts do not keep a run alive past read_timeout
                    if content:
                        yield content
            finally:
                close = getattr(parts, "close", None)
                if close is not None:
                    close()  # closes the HTTP response: the server stops generating
        return finish

    def embed(self, texts: list[str], model: str, cancel: CancelToken | None = None) -> list[list[float]]:
        """``/api/embed``: one vector per text, in order; the texts leave protected like any text."""
        from .openai import vector

        url = self.url + "/api/embed"
        body: dict[str, object] = {"model": model, "input": [self.door.protect(text) for text in texts]}
        if self.settings.keep_alive:
            body["keep_alive"] = self.settings.keep_alive
        with converted_errors(url, cancel), self.door.build(httpx.Client, cancel) as client:
            response = client.post(url, json=body)
            raise_for_status(response, model, url)
            try:
                reply = json.loads(response.read().decode("utf-8", "replace"))
            except ValueError:
                raise InvalidReply(f"malformed embeddings from {url}", url=url) from None
            vectors = reply.get("embeddings") if isinstance(reply, dict) else None
            if not isinstance(vectors, list) or len(vectors) != len(texts):
                raise InvalidReply(f"unexpected embeddings from {url}", url=url)
            return [vector(v, url) for v in vectors]


class _ollama_errors:
    """Convert the ``ollama`` client's own exceptions (it wraps some httpx ones)."""

    def __init__(self, url: str, model: str) -> None:
        self.url, self.model = url, model

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: object, error: BaseException | None, tb: object) -> None:
        if isinstance(error, ollama.ResponseError):
            status = error.status_code if error.status_code > 0 else 500
            message = str(error.error)
            if self.model and "not found" in message.lower():
                raise status_error(404, message, self.model, self.url) from None
            raise status_error(status, message, self.model, self.url) from None
        if isinstance(error, ConnectionError):
            raise Unreachable(f"cannot connect to {self.url}", url=self.url) from None
        if isinstance(error, (ValidationError, TypeError, AttributeError)):
            # A reply of another shape (a JSON list where an object belongs...).
            raise InvalidReply(f"unexpected reply shape from {self.url}", url=self.url) from None


@register("ollama")
def _factory(door: Door) -> OllamaBackend:
    return OllamaBackend(door)
