"""Collections: named indexes of folders, IT's shared ones and the user's own.

- shared: ``<knowledge_shared_index>/<name>.plume-index``, built by IT
  (``python -m plume index --shared DIR``), opened read-only by workstations;
- personal: ``<personal folder>/<name>.plume-index``; the personal folder is
  ``plume/knowledge`` in the LibreOffice profile (the adapter passes its own profile; the
  command line takes ``PLUME_KNOWLEDGE_DIR``, else the default profile's), so the sidebar
  offers what the command line indexed.

:func:`open_collection` gives the :class:`~.types.Retriever` for a collection: lexical, or
hybrid when the settings name an embedding model (:mod:`.hybrid`).
"""

from __future__ import annotations

import os
import re
import sys
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import httpx

from ..cancel import CancelToken
from ..errors import IndexUnavailable, UnsupportedError
from ..settings import Settings
from .lexical import LexicalRetriever
from .store import Store
from .types import Hit

if TYPE_CHECKING:
    from .hybrid import HybridRetriever

DEFAULT_COLLECTION = "documents"
SUFFIX = ".plume-index"
_NAME = re.compile(r"[\w][\w .-]{0,63}")


@dataclass(frozen=True)
class CollectionInfo:
    name: str
    path: Path
    shared: bool


def check_name(name: str) -> str:
    """A collection's name is a file name: letters, digits, spaces, dots, dashes; no path."""
    if not _NAME.fullmatch(name) or name.strip(" .") != name:
        raise UnsupportedError(f"{name!r} is not a collection name (letters, digits, '-', '_', '.', up to 64)")
    return name


def default_personal_dir(environ: Mapping[str, str] | None = None) -> Path:
    """Where the user's own collections live: ``PLUME_KNOWLEDGE_DIR``, else ``plume/knowledge``
    in LibreOffice's default user profile, where the sidebar looks for them (a collection
    indexed from the command line is then one the sidebar offers)."""
    environ = os.environ if environ is None else environ
    if environ.get("PLUME_KNOWLEDGE_DIR"):
        return Path(environ["PLUME_KNOWLEDGE_DIR"])
    return libreoffice_profile(environ) / "plume" / "knowledge"


def libreoffice_profile(environ: Mapping[str, str]) -> Path:
    """LibreOffice's default user profile (``…/LibreOffice/4/user``) on this platform."""
    if sys.platform == "win32":
        return Path(environ.get("APPDATA") or Path.home() / "AppData" / "Roaming") / "LibreOffice" / "4" / "user"
    if sys.platform == "darwin":
        return Path.home() / "Library" / "Application Support" / "LibreOffice" / "4" / "user"
    return Path(environ.get("XDG_CONFIG_HOME") or Path.home() / ".config") / "libreoffice" / "4" / "user"


def shared_dir(settings: Settings) -> Path | None:
    return Path(settings.knowledge_shared_index) if settings.knowledge_shared_index.strip() else None


def index_path(name: str, folder: Path) -> Path:
    return folder / (check_name(name) + SUFFIX)


def collections(settings: Settings, personal_dir: Path) -> list[CollectionInfo]:
    """The collections there are: IT's shared ones first, then the user's."""
    found: list[CollectionInfo] = []
    shared = shared_dir(settings)
    for folder, is_shared in ((shared, True), (personal_dir, False)):
        if folder is None or not folder.is_dir():
            continue
        for path in sorted(folder.glob("*" + SUFFIX)):
            found.append(CollectionInfo(path.name[: -len(SUFFIX)], path, is_shared))
    return found


def find_collection(name: str, settings: Settings, personal_dir: Path) -> CollectionInfo:
    """IT's collection of that name, else the user's; :class:`IndexUnavailable` if neither exists."""
    check_name(name)
    for info in collections(settings, personal_dir):
        if info.name == name:
            return info
    raise IndexUnavailable(name, "no collection of that name: index a folder first (python -m plume index DIR)")


def open_collection(
    name: str = DEFAULT_COLLECTION,
    *,
    settings: Settings,
    personal_dir: Path | None = None,
    api_key: str = "",
    transport: httpx.BaseTransport | None = None,
    environ: Mapping[str, str] | None = None,
) -> CollectionRetriever:
    """The retriever of the collection ``name`` (shared first, then personal). Lexical; hybrid
    when ``settings.knowledge_embedding_model`` is set and the index holds its vectors. It
    keeps its index open: :meth:`CollectionRetriever.close` when done."""
    info = find_collection(name, settings, personal_dir or default_personal_dir(environ))
    store = Store(info.path, read_only=True)
    return CollectionRetriever(info, store, settings=settings, api_key=api_key, transport=transport, environ=environ)


class CollectionRetriever:
    """A collection's :class:`~.types.Retriever`. ``notes`` are i18n keys of what the user
    should know about the last search (``knowledge.note.lexical_only``: no embeddings)."""

    def __init__(
        self,
        info: CollectionInfo,
        store: Store,
        *,
        settings: Settings,
        api_key: str = "",
        transport: httpx.BaseTransport | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        self.info, self.store, self.settings = info, store, settings
        self.lexical = LexicalRetriever(store)
        self.notes: list[str] = []
        self._hybrid: HybridRetriever | None = None
        if settings.knowledge_embedding_model or settings.knowledge_rerank_model:
            from .hybrid import HybridRetriever

            self._hybrid = HybridRetriever(store, settings, api_key=api_key, transport=transport, environ=environ)

    def search(self, query: str, k: int = 8, *, cancel: CancelToken | None = None) -> list[Hit]:
        if self._hybrid is None:
            self.notes = []
            return self.lexical.search(query, k, cancel=cancel)
        hits = self._hybrid.search(query, k, cancel=cancel)
        self.notes = list(self._hybrid.notes)
        return hits

    def close(self) -> None:
        self.store.close()
