"""One action end to end: prompt, stream from the backend, clean, measure.

:class:`Generation` is what the adapter and the CLI consume: iterate it for cleaned text
pieces; afterwards ``text`` and ``stats`` hold the result. Closing it (or its cancel
token) stops the request.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from .actions import ActionSpec, build_messages
from .backends.base import TRUNCATED, Backend
from .budget import context_window_for, estimate_prompt_tokens
from .cancel import CancelToken
from .cleaning import StreamCleaner
from .errors import InvalidReply, NeedsConfirmation, TooLong
from .language import guess_language
from .settings import Settings
from .shield.pseudonym import Pseudonymiser, StreamRestorer
from .types import ChatRequest, Message


@dataclass
class GenerationStats:
    model: str
    input_chars: int
    output_chars: int = 0
    first_piece_seconds: float | None = None
    total_seconds: float = 0.0
    context_tokens: int = 0
    pseudonymised: int = 0  # values replaced by placeholders before sending
    missing: list[str] = field(default_factory=list)  # values whose placeholder the answer lost
    truncated: bool = False  # the answer stopped at max_tokens: it may end mid-sentence
    trimmed: bool = False  # a cut summary was shortened to its last complete sentence (plume.truncation)


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
        confirmed: bool = False,
        window: int = 0,
        restore: bool = True,
        messages: tuple[Message, ...] | None = None,
    ) -> None:
        """Under a "warn" policy without ``confirmed``, raises :class:`NeedsConfirmation`
        before anything is sent (the backend's door already refused a blocked destination). With a
        ``window`` (the model's context), the request never asks for more, and a prompt that
        would not fit with its answer raises :class:`TooLong` (:mod:`plume.longdoc` plans
        requests so that this does not happen). With ``restore`` False, the answer keeps the
        placeholders the model wrote (an intermediate result, to be sent again: values never
        come back in clear before the user sees them). ``messages`` replace the action's own
        request (a refinement turn: :mod:`plume.runs.conversation`); ``text`` is then the
        answer being revised."""
        self.spec = spec
        self.cancel = cancel or CancelToken()
        self._backend = backend
        self._restore = restore
        self.door = backend.door  # one mapping for the whole run: every pass shares the backend's door
        self.decision = self.door.decision
        # Every message goes out protected, the instruction included (the door does it again
        # just before sending, whatever built the request).
        # Drafting reads no text: the instruction says which language to write in.
        language = guess_language(text or spec.instruction, default=ui_language)
        # The signature block is the agent's name, alone on a line: no detector reads it as one.
        self.door.mask_whole(spec.signature)
        plain = messages if messages is not None else build_messages(spec, text, language, settings.max_output_tokens)
        messages = tuple(Message(m.role, self.door.protect(m.content)) for m in plain)
        self.sent_text = messages[-1].content
        if self.decision.needs_confirmation and not confirmed:
            raise NeedsConfirmation(self.sent_text, self.door.masked, settings.base_url)
        prompt_tokens = estimate_prompt_tokens(messages)
        context_tokens = context_window_for(prompt_tokens, settings.max_output_tokens, settings.min_context_tokens)
        if window:
            if prompt_tokens + settings.max_output_tokens > window:
                raise TooLong(prompt_tokens + settings.max_output_tokens, window)
            context_tokens = min(context_tokens, window)
        self.prompt_tokens = prompt_tokens
        self.request = ChatRequest(
            model=model,
            messages=messages,
            temperature=settings.temperature,
            max_tokens=settings.max_output_tokens,
            context_tokens=context_tokens,
        )
        self.stats = GenerationStats(
            model=model, input_chars=len(text), context_tokens=self.request.context_tokens, pseudonymised=self.door.masked
        )
        self._cleaner = StreamCleaner()

    @property
    def text(self) -> str:
        return self._cleaner.text

    def __iter__(self) -> Iterator[str]:
        started = time.monotonic()
        mapping = self.door.mapping if self._restore else None
        restorer = StreamRestorer(mapping) if mapping is not None else None
        pieces = self._backend.stream_chat(self.request, self.cancel)
        finish: list[str | None] = []

        def answer() -> Iterator[str]:
            finish.append((yield from pieces))

        try:
            for raw in answer():
                self.cancel.raise_if_cancelled()
                piece = self._cleaner.feed(restorer.feed(raw) if restorer else raw)
                if piece:
                    if self.stats.first_piece_seconds is None:
                        self.stats.first_piece_seconds = time.monotonic() - started
                    yield piece
            self.cancel.raise_if_cancelled()
            self.stats.truncated = finish == [TRUNCATED]
            rest = self._cleaner.feed(restorer.finish()) if restorer else ""
            rest += self._cleaner.finish()
            if rest:
                yield rest
            if restorer and mapping is not None:
                self.stats.missing = _missing(mapping, self.request, restorer.raw)
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


def _missing(mapping: Pseudonymiser, request: ChatRequest, answer: str) -> list[str]:
    """Values this request sent as placeholders that the answer lost (the run's mapping also
    holds values of other requests: those are not this answer's to keep)."""
    sent = "\n".join(m.content for m in request.messages)
    lost = set(mapping.missing(answer))
    return [value for placeholder, value in mapping.values.items() if placeholder in sent and value in lost]


def resolve_model(backend: Backend, settings: Settings) -> str:
    """The configured model, or the first one the server lists."""
    if settings.model:
        return settings.model
    models = backend.list_models()
    if not models:
        raise InvalidReply(f"the server at {settings.base_url} lists no model")
    return models[0].name
