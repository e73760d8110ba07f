"""The backend protocol and the registry that maps a settings' ``backend`` name to a class.

Built-in backends register themselves exactly as a third-party one would; modules are
imported on first use, so start-up stays light.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Generator, Mapping
from typing import Protocol

import httpx

from ..cancel import CancelToken
from ..egress.door import Door
from ..errors import SettingsError
from ..settings import Settings
from ..types import ChatRequest, ModelInfo

# An answer's text pieces; the generator's return value is why the answer ended, as the
# server said it: "length" (cut at max_tokens), "stop", or None when the server did not say.
Answer = Generator[str, None, "str | None"]
TRUNCATED = "length"  # OpenAI's finish_reason and Ollama's done_reason alike


class Backend(Protocol):
    door: Door  # every request the backend makes goes through it

    def list_models(self) -> list[ModelInfo]: ...

    def stream_chat(self, request: ChatRequest, cancel: CancelToken | None = None) -> Answer:
        """Yield the answer's text pieces, then return why it ended. Closing the generator,
        or ``cancel.cancel()`` from another thread, stops the request and closes its
        connection."""
        ...

    def embed(self, texts: list[str], model: str, cancel: CancelToken | None = None) -> list[list[float]]:
        """One vector per text with the embedding ``model`` (asking the documents); the
        texts leave protected by the door like any text."""
        ...


BackendFactory = Callable[[Door], Backend]

_REGISTRY: dict[str, BackendFactory] = {}
_BUILTIN_MODULES = {"ollama": "plume.backends.ollama", "openai": "plume.backends.openai"}


def register(name: str) -> Callable[[BackendFactory], BackendFactory]:
    def decorate(factory: BackendFactory) -> BackendFactory:
        _REGISTRY[name] = factory
        return factory

    return decorate


def registered_backends() -> list[str]:
    return sorted(set(_REGISTRY) | set(_BUILTIN_MODULES))


def create_backend(
    settings: Settings,
    api_key: str = "",
    transport: httpx.BaseTransport | None = None,
    *,
    environ: Mapping[str, str] | None = None,
) -> Backend:
    """A backend for one run, with its own door. ``transport`` replaces the network (tests
    use ``httpx.MockTransport``); ``environ`` the process environment (proxies). Raises
    :class:`~plume.errors.DestinationBlocked` for a destination the policy forbids: no
    backend, hence no request of any kind, ever exists for it."""
    door = Door(settings, api_key, transport=transport, environ=environ)
    if settings.backend not in _REGISTRY and settings.backend in _BUILTIN_MODULES:
        importlib.import_module(_BUILTIN_MODULES[settings.backend])
    factory = _REGISTRY.get(settings.backend)
    if factory is None:
        raise SettingsError([f"unknown backend {settings.backend!r}; known: {', '.join(registered_backends())}"])
    return factory(door)
