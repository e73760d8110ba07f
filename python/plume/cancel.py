"""Cancelling a request from another thread.

Closing a streaming generator cancels it only when its consumer is between two pieces.
A Stop button lives on another thread, and the worker may be blocked reading a socket:
:class:`CancelToken` marks the request cancelled and shuts the socket of every response
registered with it, so the blocked read returns at once.
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Callable

from .errors import Cancelled


class CancelToken:
    def __init__(self) -> None:
        self._event = threading.Event()
        self._lock = threading.Lock()
        self._aborters: list[Callable[[], None]] = []

    @property
    def cancelled(self) -> bool:
        return self._event.is_set()

    def cancel(self) -> None:
        with self._lock:
            self._event.set()
            aborters, self._aborters = self._aborters, []
        for abort in aborters:
            with contextlib.suppress(OSError):  # the connection is already gone: nothing left to stop
                abort()

    def on_cancel(self, abort: Callable[[], None]) -> Callable[[], None]:
        """Run ``abort`` when cancelled (at once if already cancelled). Returns what forgets
        it again (a request that ended needs no aborting: a long run makes hundreds)."""
        with self._lock:
            if not self._event.is_set():
                self._aborters.append(abort)
                return lambda: self._forget(abort)
        abort()
        return lambda: None

    def _forget(self, abort: Callable[[], None]) -> None:
        with self._lock, contextlib.suppress(ValueError):
            self._aborters.remove(abort)

    def raise_if_cancelled(self) -> None:
        if self._event.is_set():
            raise Cancelled()


def shutdown_socket(sock: socket.socket | None) -> None:
    """Wake any thread blocked on ``sock`` by shutting it down (closing alone does not)."""
    if sock is not None:
        sock.shutdown(socket.SHUT_RDWR)
