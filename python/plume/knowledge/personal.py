"""Indexing one's own folders (setting ``knowledge_personal_dirs``) into a collection: the
rules every front end shares (``python -m plume index``, LibreOffice's ``plume:index``).

Only the folders the settings name are ever indexed; none configured, or one that does not
exist, is refused before anything is read (one clear line). Files that cannot be read are
counted in the report, not fatal. After the words, the passages' vectors are computed when
``knowledge_embedding_model`` is set; if the server cannot, the index still serves word
search and :attr:`Indexed.embedding_error` says why.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

from ..cancel import CancelToken
from ..errors import BackendError, DestinationBlocked, LeakPrevented, PlumeError, UnsupportedError
from ..i18n import describe_error, t
from ..settings import Settings
from .collection import index_path
from .indexer import IndexReport, Progress, index_folders
from .store import Store


def configured_folders(settings: Settings) -> list[Path]:
    """The folders of ``knowledge_personal_dirs`` (separated by ';'), in their order."""
    return [Path(part.strip()) for part in settings.knowledge_personal_dirs.split(";") if part.strip()]


def check_folders(folders: list[Path], *, hint: str = "set knowledge_personal_dirs") -> list[Path]:
    """``folders``, refused when empty or when one does not exist."""
    if not folders:
        raise UnsupportedError(f"no folder to index: {hint}")
    for folder in folders:
        if not folder.exists():
            raise UnsupportedError(f"no such folder: {folder}")
    return folders


@dataclass
class Indexed:
    report: IndexReport
    path: Path  # the collection's index file
    files: int  # files in the index now
    passages: int  # passages in the index now
    embedded: int = 0  # passages given a vector by this run
    embedding_error: PlumeError | None = None  # why no vectors: the index serves word search

    def summary(self, lang: str, model: str = "") -> str:
        """What the run did, in one line (two with the embeddings)."""
        report = self.report
        lines = [
            t("index.summary", lang, found=report.files, read=report.read, unchanged=report.unchanged,
              removed=report.removed, failed=len(report.failed), files=self.files, passages=self.passages, path=self.path)
        ]  # fmt: skip
        if self.embedded:
            lines.append(t("index.embedded", lang, count=self.embedded, model=model))
        if self.embedding_error is not None:
            lines.append(t("index.embedding_failed", lang, detail=describe_error(self.embedding_error, lang)))
        return "\n".join(lines)


def index_collection(
    name: str,
    where: Path,
    folders: list[Path],
    settings: Settings,
    *,
    api_key: str = "",
    environ: Mapping[str, str] | None = None,
    progress: Callable[[Progress], None] | None = None,
    cancel: CancelToken | None = None,
) -> Indexed:
    """Bring the collection ``name`` in ``where`` up to date with ``folders`` (only changed
    files are read), then compute its missing vectors when the settings name an embedding
    model. Raises :class:`~plume.errors.Cancelled` on Stop, the work done kept."""
    from .hybrid import embed_missing

    path = index_path(name, where)
    store = Store(path)
    embedded, embedding_error = 0, None
    try:
        report = index_folders(store, folders, progress=progress, cancel=cancel)
        if settings.knowledge_embedding_model:
            try:
                embedded = embed_missing(store, settings.validate(), api_key=api_key, environ=environ, cancel=cancel,
                                         progress=lambda done, total: progress(Progress(done, total, "")) if progress else None)  # fmt: skip
            except (BackendError, DestinationBlocked, LeakPrevented) as error:
                embedding_error = error
        files, passages = store.counts()
    finally:
        store.close()
    return Indexed(report, path, files, passages, embedded, embedding_error)
