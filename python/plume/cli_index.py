"""``python -m plume index DIR... [--collection NAME] [--shared]``: index folders for asking.

The personal index goes to the user's folder (``PLUME_KNOWLEDGE_DIR``, else the platform's
data folder); ``--shared`` writes IT's shared index into ``knowledge_shared_index``
(``PLUME_KNOWLEDGE_SHARED_INDEX`` or ``--index-dir``), which workstations then only read.
Without DIR, the folders of the setting ``knowledge_personal_dirs`` are indexed: nothing
else ever is. Progress goes to stderr, the summary to stdout; a file that cannot be read is
one line on stderr and does not stop the others (exit code 0: the index is usable). Ctrl+C
keeps what was indexed: the next run resumes. With ``knowledge_embedding_model`` set, the
passages' vectors are then computed by the configured server (through the door); if the
server cannot, the index still serves word search and the exit code is 3.
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .errors import BackendError, DestinationBlocked, LeakPrevented, UnsupportedError
from .i18n import describe_error, t
from .knowledge.collection import DEFAULT_COLLECTION, check_name, default_personal_dir, index_path, shared_dir
from .knowledge.hybrid import embed_missing
from .knowledge.indexer import Progress, index_folders
from .knowledge.store import Store
from .settings import Settings

PROGRESS_EVERY_SECONDS = 0.5


def add_parser(commands: Any) -> None:
    index = commands.add_parser(
        "index", help="index folders (ODT, DOCX, PDF, TXT, Markdown, HTML) for asking; only changed files are read again"
    )
    index.add_argument("folders", nargs="*", metavar="DIR", help="folders to index (default: setting knowledge_personal_dirs)")
    index.add_argument("--collection", default=DEFAULT_COLLECTION, help=f"the collection's name (default {DEFAULT_COLLECTION})")
    index.add_argument("--shared", action="store_true", help="build IT's shared index (setting knowledge_shared_index)")
    index.add_argument("--index-dir", metavar="DIR", help="where the index goes (default: your folder, or the shared one)")


def run(args: argparse.Namespace, settings: Settings, environ: dict[str, str], lang: str, line: Callable[[str], None]) -> int:
    name = check_name(args.collection)
    folders = [Path(f) for f in args.folders] or [
        Path(p.strip()) for p in settings.knowledge_personal_dirs.split(";") if p.strip()
    ]
    if not folders:
        raise UnsupportedError("no folder to index: give one (python -m plume index DIR) or set knowledge_personal_dirs")
    for folder in folders:
        if not folder.exists():
            raise UnsupportedError(f"no such folder: {folder}")
    if args.index_dir:
        where = Path(args.index_dir)
    elif args.shared:
        shared = shared_dir(settings)
        if shared is None:
            raise UnsupportedError("--shared needs the shared index folder: set PLUME_KNOWLEDGE_SHARED_INDEX or give --index-dir")
        where = shared
    else:
        where = default_personal_dir(environ)
    store = Store(index_path(name, where))
    last = [0.0]

    def progress(step: Progress) -> None:
        now = time.monotonic()
        if now - last[0] >= PROGRESS_EVERY_SECONDS or step.done == step.total:
            last[0] = now
            _note(t("index.progress", lang, done=step.done, total=step.total))

    embedded, embedding_error = 0, None
    try:
        report = index_folders(store, folders, progress=progress)
        for failure in report.failed:
            _note("plume: " + describe_error(failure, lang))
        if settings.knowledge_embedding_model:
            try:
                embedded = embed_missing(store, settings.validate(), api_key=environ.get("PLUME_API_KEY", ""), environ=environ,
                                         progress=lambda done, total: progress(Progress(done, total, "")))  # fmt: skip
            except (BackendError, DestinationBlocked, LeakPrevented) as error:
                embedding_error = error  # the index is usable: word search
    finally:
        store.close()
    files, passages = _counts(index_path(name, where))
    line(
        t("index.summary", lang, found=report.files, read=report.read, unchanged=report.unchanged, removed=report.removed,
          failed=len(report.failed), files=files, passages=passages, path=index_path(name, where))
    )  # fmt: skip
    if embedded:
        line(t("index.embedded", lang, count=embedded, model=settings.knowledge_embedding_model))
    if embedding_error is not None:
        _note("plume: " + t("index.embedding_failed", lang, detail=describe_error(embedding_error, lang)))
        return 3
    return 0


def _counts(path: Path) -> tuple[int, int]:
    store = Store(path, read_only=True)
    try:
        return store.counts()
    finally:
        store.close()


def _note(message: str) -> None:
    from .cli import visible

    with contextlib.suppress(OSError, ValueError):
        if sys.stderr is not None:
            print(visible(message), file=sys.stderr, flush=True)
