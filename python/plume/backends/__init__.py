"""Model backends. Each registers itself in :mod:`plume.backends.base`'s registry."""

from .base import Backend, create_backend, registered_backends

__all__ = ["Backend", "create_backend", "registered_backends"]
