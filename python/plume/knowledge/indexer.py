"""Indexing folders into a :class:`~.store.Store`: only what changed is read again.

A file is skipped when its size and modification time are those recorded; when they differ
but its content hash is the same (a copy, a touch), only the record is updated. Work is
committed every few files, so Stop (a :class:`~plume.cancel.CancelToken`) loses at most the
file under way and the next run resumes there. Only the folders given are walked; symbolic
links, hidden files and folders are not followed: nothing is indexed that nobody chose.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from ..cancel import CancelToken
from ..errors import Cancelled, UnreadableFile
from .extract import MAX_FILE_BYTES, extract, supported
from .passages import passages
from .store import Store

COMMIT_EVERY_SECONDS = 1.0


@dataclass(frozen=True)
class Progress:
    done: int  # files looked at so far
    total: int  # files found under the folders
    path: str  # the file just looked at


@dataclass
class IndexReport:
    files: int = 0  # supported files found
    read: int = 0  # files (re-)read and indexed: new or changed
    unchanged: int = 0  # skipped: same size and time, or same content
    removed: int = 0  # gone from the folders, dropped from the index
    passages: int = 0  # passages written by this run
    bytes_read: int = 0
    failed: list[UnreadableFile] = field(default_factory=list)


def files_in(root: Path) -> Iterator[Path]:
    """Supported files under ``root``, sorted, without following links or entering hidden folders."""
    if root.is_file():
        if supported(root):
            yield root
        return
    for folder, dirs, names in os.walk(root, followlinks=False):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(names):
            path = Path(folder, name)
            if not name.startswith(".") and supported(path) and not path.is_symlink():
                yield path


def index_folders(
    store: Store,
    roots: list[Path],
    *,
    progress: Callable[[Progress], None] | None = None,
    cancel: CancelToken | None = None,
) -> IndexReport:
    """Bring ``store`` up to date with the files under ``roots``. Raises
    :class:`~plume.errors.Cancelled` after saving the work done when ``cancel`` is set."""
    report = IndexReport()
    roots = [root.resolve() for root in roots]
    for root in roots:
        if not root.exists():
            raise UnreadableFile(str(root), "access", "no such folder")
    found = [path for root in roots for path in files_in(root)]
    report.files = len(found)
    known = dict.fromkeys(store.roots)
    known.update(dict.fromkeys(str(root) for root in roots))
    store.set_meta("roots", json.dumps(list(known)))
    last_commit = time.monotonic()
    try:
        for done, path in enumerate(found, 1):
            if cancel is not None and cancel.cancelled:
                raise Cancelled()
            _index_file(store, path, report)
            if progress is not None:
                progress(Progress(done, len(found), str(path)))
            if time.monotonic() - last_commit > COMMIT_EVERY_SECONDS:
                store.db.commit()
                last_commit = time.monotonic()
        seen = {str(path) for path in found}
        for root in roots:
            for indexed in store.files_under(str(root)):
                if indexed not in seen:
                    store.remove(indexed)
                    report.removed += 1
    finally:
        store.db.commit()  # what was done stays done, Stop or not
    return report


def _index_file(store: Store, path: Path, report: IndexReport) -> None:
    name = str(path)
    try:
        stat = path.stat()
    except OSError as error:
        report.failed.append(UnreadableFile(name, "access", error.strerror or str(error)))
        return
    record = store.file(name)
    if record is not None and (record.size, record.mtime_ns) == (stat.st_size, stat.st_mtime_ns):
        report.unchanged += 1
        return
    try:
        digest = _sha256(path) if stat.st_size <= MAX_FILE_BYTES else ""
    except OSError as error:
        report.failed.append(UnreadableFile(name, "access", error.strerror or str(error)))
        return
    if record is not None and digest and record.sha256 == digest:
        store.touch(record.id, stat.st_size, stat.st_mtime_ns)
        report.unchanged += 1
        return
    modified = datetime.fromtimestamp(stat.st_mtime, timezone.utc).date().isoformat()
    report.read += 1
    report.bytes_read += stat.st_size
    try:
        extracted = extract(path)
    except UnreadableFile as error:
        # Recorded, so that an unchanged unreadable file is not read again on every run.
        store.replace(name, stat.st_size, stat.st_mtime_ns, digest, title="", modified=modified, passages=(), error=error.reason)
        report.failed.append(error)
        return
    title = extracted.title or next((p.text for p in extracted.paragraphs if p.level), "") or path.stem
    found = passages(extracted.paragraphs, name, title=title, modified=modified)
    report.passages += store.replace(name, stat.st_size, stat.st_mtime_ns, digest, title=title, modified=modified, passages=found)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()
