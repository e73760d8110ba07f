"""The one module that crosses threads: run a core generation on a worker thread and
deliver its pieces, its end and its errors on LibreOffice's main thread.

Main-thread delivery goes through ``com.sun.star.awt.AsyncCallback``: its ``notify`` runs
on the VCL main thread, the only thread allowed to touch documents and windows. Pieces are
coalesced (at most one callback per ``FLUSH_SECONDS``) so a fast model cannot flood the
main loop. After ``stop()`` nothing more is delivered except the cancellation itself.
"""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterable
from typing import Any

import unohelper
from com.sun.star.awt import XCallback

from .context import create

FLUSH_SECONDS = 0.1  # ten updates a second: as smooth as reading needs, a fifth of the CPU of one per token


class MainThread:
    """Run Python callables on the main thread, in order."""

    def __init__(self, ctx: Any) -> None:
        self._ctx = ctx
        self._async = create(ctx, "com.sun.star.awt.AsyncCallback")
        self._calls: queue.SimpleQueue[Callable[[], None]] = queue.SimpleQueue()
        self._callback = _Callback(self._drain)

    def post(self, call: Callable[[], None]) -> None:
        self._calls.put(call)
        self._async.addCallback(self._callback, None)

    def _drain(self) -> None:
        while True:
            try:
                call = self._calls.get_nowait()
            except queue.Empty:
                return
            try:
                call()
            except Exception:  # one failing callback must not drop the ones queued after it
                from .log import logger

                logger(self._ctx).exception("main-thread callback failed")


class _Callback(unohelper.Base, XCallback):  # type: ignore[misc]
    def __init__(self, drain: Callable[[], None]) -> None:
        self._drain = drain

    def notify(self, data: Any) -> None:
        self._drain()


class Job:
    """Consume ``pieces`` off the main thread. ``on_piece(text)``, ``on_done()`` and
    ``on_error(exception)`` run on the main thread; exactly one of the last two runs."""

    def __init__(
        self,
        main: MainThread,
        pieces: Iterable[str],
        cancel: Callable[[], None],
        on_piece: Callable[[str], None],
        on_done: Callable[[], None],
        on_error: Callable[[BaseException], None],
    ) -> None:
        self._main = main
        self._pieces = pieces
        self._cancel = cancel
        self._on_piece, self._on_done, self._on_error = on_piece, on_done, on_error
        self._finished = threading.Event()
        self._lock = threading.Lock()
        self._thread = threading.Thread(target=self._run, name="plume-job", daemon=True)

    def start(self) -> None:
        self._thread.start()

    @property
    def running(self) -> bool:
        return not self._finished.is_set()

    def stop(self) -> None:
        """Cancel now: the caller sees the cancellation at once, whatever the network does."""
        from plume.errors import Cancelled

        self._cancel()
        if self._claim_end():
            self._main.post(lambda: self._on_error(Cancelled()))

    def _claim_end(self) -> bool:
        with self._lock:
            if self._finished.is_set():
                return False
            self._finished.set()
            return True

    def _run(self) -> None:
        buffer: list[str] = []
        last_flush = time.monotonic()
        iterator = iter(self._pieces)
        try:
            for piece in iterator:
                if self._finished.is_set():
                    return
                buffer.append(piece)
                if time.monotonic() - last_flush >= FLUSH_SECONDS:
                    self._flush(buffer)
                    buffer, last_flush = [], time.monotonic()
            self._flush(buffer)
            if self._claim_end():
                self._main.post(self._on_done)
        except BaseException as error:  # every failure must reach the user, none may kill the thread silently
            if self._claim_end():
                # Bind now: Python unbinds "error" when the except block ends.
                self._main.post(lambda failure=error: self._on_error(failure))  # type: ignore[misc]
        finally:
            close = getattr(iterator, "close", None)
            if close is not None:
                close()  # closes the HTTP response when stopped early

    def _flush(self, buffer: list[str]) -> None:
        if buffer and not self._finished.is_set():
            text = "".join(buffer)
            self._main.post(lambda: self._on_piece(text))
