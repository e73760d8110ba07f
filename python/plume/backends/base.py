"""The backend protocol and the registry that maps a settings' ``backend`` name to a class.

Built-in backends register themselves exactly as a third-party one would; modules are
imported on first use, so start-up stays light.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Generator
from typing import Protocol

import httpx

from ..cancel import CancelToken
from ..errors import SettingsError
from ..settings import Settings
from ..types import ChatRequest, ModelInfo

# An answer's text pieces; the generator's return value is why the answer ended, as the
# server said it: "length" (cut at max_tokens), "stop", or None when the server did not say.
Answer = Generator[str, None, "str | None"]
TRUNCATED = "length"  # OpenAI's finish_reason and Ollama's done_reason alike


class Backend(Protocol):
    def list_models(self) -> list[ModelInfo]: ...

    def stream_chat(self, request: ChatRequest, cancel: CancelToken | None = None) -> Answer:
        """Yield the answer's text pieces, then return why it ended. Closing the generator,
        or ``cancel.cancel()`` from another thread, stops the request and closes its
        connection."""
        ...


BackendFactory = Callable[[Settings, str, "httpx.BaseTransport | None"], Backend]

_REGISTRY: dict[str, BackendFactory] = {}
_BUILTIN_MODULES = {"ollama": "plume.backends.ollama", "openai": "plume.backends.openai"}


def register(name: str) -> Callable[[BackendFactory], BackendFactory]:
    def decorate(factory: BackendFactory) -> BackendFactory:
        _REGISTRY[name] = factory
        return factory

    return decorate


def registered_backends() -> list[str]:
    return sorted(set(_REGISTRY) | set(_BUILTIN_MODULES))


def create_backend(settings: Settings, api_key: str = "", transport: httpx.BaseTransport | None = None) -> Backend:
    """``transport`` replaces the network (tests use ``httpx.MockTransport``). Raises
    :class:`~plume.errors.DestinationBlocked` for a destination the policy forbids: no
    backend, hence no request of any kind, ever exists for it."""
    from ..shield.policy import check_allowed

    check_allowed(settings)
    if settings.backend not in _REGISTRY and settings.backend in _BUILTIN_MODULES:
        importlib.import_module(_BUILTIN_MODULES[settings.backend])
    factory = _REGISTRY.get(settings.backend)
    if factory is None:
        raise SettingsError([f"unknown backend {settings.backend!r}; known: {', '.join(registered_backends())}"])
    return factory(settings, api_key, transport)
