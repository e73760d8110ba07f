"""Plain data exchanged between the core, the backends and the adapter."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

Role = Literal["system", "user", "assistant"]


@dataclass(frozen=True)
class Message:
    role: Role
    content: str


@dataclass(frozen=True)
class ChatRequest:
    """One chat completion. ``max_tokens`` bounds the answer; ``context_tokens`` is the
    context window the backend must provide (Ollama cuts the prompt silently otherwise)."""

    model: str
    messages: tuple[Message, ...]
    temperature: float = 0.2
    max_tokens: int = 1024
    context_tokens: int = 2048


@dataclass(frozen=True)
class ModelInfo:
    name: str
    size_bytes: int | None = None
    details: dict[str, str] = field(default_factory=dict)
