"""Gateway keys: who may call, which models, how often.

A key is a random secret the gateway never stores: the file holds its SHA-256 (a key is 32
random bytes, so a fast hash is enough: there is nothing to guess by brute force, and the
check costs microseconds per request, where a password hash would cost milliseconds).
Looking a digest up in a dict takes the same time whichever key is asked about: no timing
tells how close a wrong key is.
"""

from __future__ import annotations

import fnmatch
import hashlib
import re
import secrets
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass

_HASH = re.compile(r"sha256:([0-9a-f]{64})")
KEY_PREFIX = "plume-gw-"


@dataclass(frozen=True)
class Key:
    name: str  # what the audit and the logs say (never the key)
    digest: str  # hex SHA-256 of the key
    models: tuple[str, ...] = ("*",)  # fnmatch patterns over model names, plume-<action> included
    requests_per_minute: int = 0  # 0: no limit

    def allows(self, model: str) -> bool:
        return any(fnmatch.fnmatchcase(model, pattern) for pattern in self.models)


ANONYMOUS = Key(name="local", digest="")  # without a file: loopback, one user, no key


def digest_of(key: str) -> str:
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


def hash_line(key: str) -> str:
    """What the configuration file holds for ``key``."""
    return f"sha256:{digest_of(key)}"


def new_key() -> str:
    return KEY_PREFIX + secrets.token_urlsafe(32)


def parse_hash(value: object) -> str | None:
    """The hex digest of a ``sha256:...`` entry, or None when it is not one."""
    if not isinstance(value, str):
        return None
    match = _HASH.fullmatch(value.strip().lower())
    return match.group(1) if match else None


class KeyRing:
    def __init__(self, keys: Iterable[Key]) -> None:
        self._by_digest = {key.digest: key for key in keys}

    def find(self, authorization: str) -> Key | None:
        """The key an ``Authorization: Bearer ...`` header names, or None."""
        scheme, _, token = authorization.strip().partition(" ")
        token = token.strip()
        if scheme.lower() != "bearer" or not token or len(token) > 512:
            return None
        return self._by_digest.get(digest_of(token))


class RateLimiter:
    """A token bucket per key name: ``requests_per_minute`` in a burst, refilled evenly. Per
    process: with several workers, each allows the rate (the admin guide says to divide it)."""

    def __init__(self) -> None:
        self._buckets: dict[str, tuple[float, float]] = {}  # name -> (tokens, when)
        self._lock = threading.Lock()

    def allow(self, key: Key, now: float | None = None) -> float:
        """0 when ``key`` may send one more request now, else the seconds to wait."""
        rate = key.requests_per_minute
        if rate <= 0:
            return 0.0
        now = time.monotonic() if now is None else now
        with self._lock:
            tokens, when = self._buckets.get(key.name, (float(rate), now))
            tokens = min(float(rate), tokens + (now - when) * rate / 60.0)
            if tokens >= 1.0:
                self._buckets[key.name] = (tokens - 1.0, now)
                return 0.0
            self._buckets[key.name] = (tokens, now)
            return (1.0 - tokens) * 60.0 / rate
