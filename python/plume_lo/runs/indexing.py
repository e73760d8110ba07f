"""``plume:index``: index the folders of ``knowledge_personal_dirs`` into the personal
collection the Ask section searches (:func:`.ask.personal_index_dir`, in the profile).

The core does the work (:func:`plume.knowledge.personal.index_collection`) on a worker
thread; its progress reaches the main thread, the sidebar's status line and ``plume:status``
(``"progress"``). ``plume:stop`` cancels it: what was indexed stays, the next run resumes
there and reads only the files that changed. Reported on ``plume:status`` as command
``index``: ``done`` with the summary (files found, read, unchanged, unreadable), or ``error``
in one line (no folder configured, a missing folder).
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from plume.errors import for_log
from plume.i18n import describe_error, t

from ..log import logger
from .base import Run, broadcast

if TYPE_CHECKING:
    from plume.cancel import CancelToken
    from plume.knowledge.indexer import Progress
    from plume.knowledge.personal import Indexed
    from plume.settings import Settings

PROGRESS_EVERY_SECONDS = 0.25  # the status line and the listeners, a few times a second at most


class IndexRun(Run):
    working = "panel.index.working"

    def __init__(self, ctx: Any, frame: Any, params: dict[str, str]) -> None:
        super().__init__(ctx, frame, "index", params)
        self.progress: tuple[int, int] | None = None
        self.indexed: Indexed | None = None
        self._last_progress = 0.0

    @property
    def destination(self) -> str:
        return "local"

    @property
    def apply_modes(self) -> tuple[str, ...]:
        return ()

    def progress_text(self) -> str:
        if self.progress is None:
            return ""
        done, total = self.progress
        return t("index.progress", self.lang, done=done, total=total)

    def start(self, settings: Settings) -> None:
        from plume.cancel import CancelToken
        from plume.knowledge.personal import check_folders, configured_folders

        from ..config_store import api_key
        from .ask import personal_index_dir

        cancel = CancelToken()
        try:
            self.settings = settings = settings.validate()
            folders = check_folders(configured_folders(settings))
            key = api_key(self.ctx, settings.base_url) if settings.knowledge_embedding_model else ""
        except Exception as error:
            logger(self.ctx).info("run %s refused: %s", self.id, for_log(error))
            self._end("error", describe_error(error, self.lang))
            return
        self._launch(self._index(settings, folders, personal_index_dir(self.ctx), key, cancel), cancel)

    def _index(self, settings: Settings, folders: list[Any], where: Any, key: str, cancel: CancelToken) -> Iterator[str]:
        """Worker thread: the core indexes; progress is posted to the main thread."""
        from plume.knowledge.collection import DEFAULT_COLLECTION
        from plume.knowledge.personal import index_collection

        from ..worker import MainThread

        main = MainThread(self.ctx)

        def progress(step: Progress) -> None:
            now = time.monotonic()
            if now - self._last_progress >= PROGRESS_EVERY_SECONDS or step.done == step.total:
                self._last_progress = now
                main.post(lambda: self._progressed(step.done, step.total))

        self.indexed = index_collection(DEFAULT_COLLECTION, where, folders, settings, api_key=key, progress=progress,
                                        cancel=cancel)  # fmt: skip
        yield from ()

    def _progressed(self, done: int, total: int) -> None:
        if not self.running:
            return
        self.progress = (done, total)
        self._notify(lambda view: view.run_piece(self, ""))
        broadcast(self)

    def _done(self) -> None:
        assert self.indexed is not None and self.settings is not None
        for failure in self.indexed.report.failed:
            logger(self.ctx).info("index: %s", for_log(failure))
        self._end("done", self.indexed.summary(self.lang, self.settings.knowledge_embedding_model))

    def notes(self, lang: str) -> list[str]:
        # The view shows the summary where other runs show their statistics.
        return [self.message] if self.state == "done" and self.message else []


def index_personal(ctx: Any, frame: Any) -> IndexRun:
    """``plume:index``: start indexing the configured folders (one run at a time: while one
    runs, another ends at once with an error)."""
    from ..config_store import load_settings
    from .base import _runs

    run = IndexRun(ctx, frame, {})
    if any(isinstance(other, IndexRun) for other in list(_runs.values())):
        run.end("error", t("index.already", run.lang))
        return run
    try:
        settings = load_settings(ctx)
    except Exception as error:
        run.end("error", describe_error(error, run.lang))
        return run
    run.start(settings)
    return run
