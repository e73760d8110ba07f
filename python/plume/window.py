"""How many tokens a request may hold, prompt and answer together: the model's context window.

From the settings when IT sets ``context_window``; otherwise from the server (Ollama's model
information, an OpenAI-compatible server's model list when it reports a limit), capped for
Ollama because Plume itself sets ``num_ctx`` and a larger one costs memory; otherwise a size
every current server accepts. Plume never sends a request larger than this (see
:mod:`plume.longdoc`).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from dataclasses import dataclass

from .backends.base import Backend
from .settings import Settings

DEFAULT_WINDOW = 4096
OLLAMA_AUTO_CAP = 8192  # the num_ctx Plume asks Ollama for at most unless IT sets context_window


@dataclass(frozen=True)
class Window:
    tokens: int
    origin: str  # "settings", "server" or "default": shown by doctor and in the logs


class WindowCache:
    """What servers reported, per server and model, for ``ttl`` seconds. Asking costs a round
    trip before every action's first piece, and a server's window changes only when its model
    is reloaded. An answer without a limit (llama.cpp's model list has none) is kept too, or
    such a server would be asked before every action. Failed questions are not kept: the next
    action asks again."""

    def __init__(self, ttl: float = 600.0, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl, self.clock = ttl, clock
        self._known: dict[tuple[str, str, str], tuple[float, int | None]] = {}
        self._lock = threading.Lock()  # actions run on worker threads

    def reported(self, backend: Backend, settings: Settings, model: str) -> int | None:
        key = (settings.backend, settings.base_url.rstrip("/"), model)
        with self._lock:
            known = self._known.get(key)
        if known is not None and self.clock() - known[0] < self.ttl:
            return known[1]
        try:
            value = _ask(backend, model)
        except Exception:
            return None  # unreachable, refused...: the action itself reports it; ask again next time
        with self._lock:
            self._known[key] = (self.clock(), value)
        return value


def resolve_window(backend: Backend, settings: Settings, model: str, cache: WindowCache | None = None) -> Window:
    """The window for ``model``. The server is asked (or ``cache``, which remembers its
    answers for a while), since its own limit wins over a setting that promises more (a
    failed question counts as no answer: the action itself reports server problems)."""
    reported = cache.reported(backend, settings, model) if cache is not None else _reported(backend, model)
    if settings.context_window:
        if reported and reported < settings.context_window:
            return Window(reported, "server")
        return Window(settings.context_window, "settings")
    if reported:
        return Window(min(reported, OLLAMA_AUTO_CAP) if settings.backend == "ollama" else reported, "server")
    return Window(DEFAULT_WINDOW, "default")


def _reported(backend: Backend, model: str) -> int | None:
    try:
        return _ask(backend, model)
    except Exception:
        return None


def _ask(backend: Backend, model: str) -> int | None:
    """The limit the server reports for ``model``, None when it answers without one; raises
    when it could not be asked."""
    ask = getattr(backend, "context_limit", None)  # optional: third-party backends may not know
    if ask is None:
        return None
    value = ask(model)
    return value if isinstance(value, int) and value > 0 else None
