"""How many tokens a request may hold, prompt and answer together: the model's context window.

From the settings when IT sets ``context_window``; otherwise from the server (Ollama's model
information, an OpenAI-compatible server's model list when it reports a limit), capped for
Ollama because Plume itself sets ``num_ctx`` and a larger one costs memory; otherwise a size
every current server accepts. Plume never sends a request larger than this (see
:mod:`plume.longdoc`).
"""

from __future__ import annotations

from dataclasses import dataclass

from .backends.base import Backend
from .settings import Settings

DEFAULT_WINDOW = 4096
OLLAMA_AUTO_CAP = 8192  # the num_ctx Plume asks Ollama for at most unless IT sets context_window


@dataclass(frozen=True)
class Window:
    tokens: int
    origin: str  # "settings", "server" or "default": shown by doctor and in the logs


def resolve_window(backend: Backend, settings: Settings, model: str) -> Window:
    """The window for ``model``. The server is always asked, since its own limit wins over a
    setting that promises more (a failed question counts as no answer: the action itself
    reports server problems)."""
    reported = _reported(backend, model)
    if settings.context_window:
        if reported and reported < settings.context_window:
            return Window(reported, "server")
        return Window(settings.context_window, "settings")
    if reported:
        return Window(min(reported, OLLAMA_AUTO_CAP) if settings.backend == "ollama" else reported, "server")
    return Window(DEFAULT_WINDOW, "default")


def _reported(backend: Backend, model: str) -> int | None:
    ask = getattr(backend, "context_limit", None)  # optional: third-party backends may not know
    if ask is None:
        return None
    try:
        value = ask(model)
    except Exception:
        return None
    return value if isinstance(value, int) and value > 0 else None
