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

from .errors import UnsupportedError
from .i18n import describe_error, t
from .knowledge.collection import DEFAULT_COLLECTION, check_name, default_personal_dir, shared_dir
from .knowledge.indexer import Progress
from .knowledge.personal import check_folders, configured_folders, index_collection
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
    folders = check_folders([Path(f) for f in args.folders] or configured_folders(settings),
                            hint="give one (python -m plume index DIR) or set knowledge_personal_dirs")  # fmt: skip
    if args.index_dir:
        where = Path(args.index_dir)
    elif args.shared:
        shared = shared_dir(settings)
        if shared is None:
            raise UnsupportedError("--shared needs the shared index folder: set PLUME_KNOWLEDGE_SHARED_INDEX or give --index-dir")
        where = shared
    else:
        where = default_personal_dir(environ)
    last = [0.0]

    def progress(step: Progress) -> None:
        now = time.monotonic()
        if now - last[0] >= PROGRESS_EVERY_SECONDS or step.done == step.total:
            last[0] = now
            _note(t("index.progress", lang, done=step.done, total=step.total))

    indexed = index_collection(name, where, folders, settings, api_key=environ.get("PLUME_API_KEY", ""), environ=environ,
                               progress=progress)  # fmt: skip
    for failure in indexed.report.failed:
        _note("plume: " + describe_error(failure, lang))
    error, indexed.embedding_error = indexed.embedding_error, None
    line(indexed.summary(lang, settings.knowledge_embedding_model))
    if error is not None:
        _note("plume: " + t("index.embedding_failed", lang, detail=describe_error(error, lang)))
        return 3
    return 0


def _note(message: str) -> None:
    from .cli import visible

    with contextlib.suppress(OSError, ValueError):
        if sys.stderr is not None:
            print(visible(message), file=sys.stderr, flush=True)
