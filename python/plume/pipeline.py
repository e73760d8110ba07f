"""One action end to end: prompt, stream from the backend, clean, measure.

:class:`Generation` is what the adapter and the CLI consume: iterate it for cleaned text
pieces; afterwards ``text`` and ``stats`` hold the result. Closing it (or its cancel
token) stops the request.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass

from .actions import ActionSpec, build_messages
from .backends.base import Backend
from .budget import context_window_for, estimate_prompt_tokens
from .cancel import CancelToken
from .cleaning import StreamCleaner
from .errors import InvalidReply
from .language import guess_language
from .settings import Settings
from .types import ChatRequest


@dataclass
class GenerationStats:
    model: str
    input_chars: int
    output_chars: int = 0
    first_piece_seconds: float | None = None
    total_seconds: float = 0.0
    context_tokens: int = 0


class Generation:
    def __init__(
        self,
        backend: Backend,
        settings: Settings,
        spec: ActionSpec,
        text: str,
        *,
        model: str,
        ui_language: str = "fr",
        cancel: CancelToken | None = None,
    ) -> None:
        self.spec = spec
        self.cancel = cancel or CancelToken()
        self._backend = backend
        messages = build_messages(spec, text, guess_language(text, default=ui_language))
        self.request = ChatRequest(
            model=model,
            messages=messages,
            temperature=settings.temperature,
            max_tokens=settings.max_output_tokens,
            context_tokens=context_window_for(
                estimate_prompt_tokens(messages), settings.max_output_tokens, settings.min_context_tokens
            ),
        )
        self.stats = GenerationStats(model=model, input_chars=len(text), context_tokens=self.request.context_tokens)
        self._cleaner = StreamCleaner()

    @property
    def text(self) -> str:
        return self._cleaner.text

    def __iter__(self) -> Iterator[str]:
        started = time.monotonic()
        pieces = self._backend.stream_chat(self.request, self.cancel)
        try:
            for raw in pieces:
                self.cancel.raise_if_cancelled()
                piece = self._cleaner.feed(raw)
                if piece:
                    if self.stats.first_piece_seconds is None:
                        self.stats.first_piece_seconds = time.monotonic() - started
                    yield piece
            self.cancel.raise_if_cancelled()
            rest = self._cleaner.finish()
            if rest:
                yield rest
        finally:
            close = getattr(pieces, "close", None)
            if close is not None:
                close()
            self.stats.total_seconds = time.monotonic() - started
            self.stats.output_chars = len(self._cleaner.text)
        if not self._cleaner.text.strip():
            raise InvalidReply("the model returned an empty answer")

    def run(self) -> str:
        """Consume the whole stream and return the cleaned text."""
        for _ in self:
            pass
        return self.text


def resolve_model(backend: Backend, settings: Settings) -> str:
    """The configured model, or the first one the server lists."""
    if settings.model:
        return settings.model
    models = backend.list_models()
    if not models:
        raise InvalidReply(f"the server at {settings.base_url} lists no model")
    return models[0].name
