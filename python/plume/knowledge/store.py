"""A collection's index on this computer: one SQLite file holding the files seen (size,
modification time, hash: what makes indexing incremental), their passages, an FTS5 table of
their analysed terms (:mod:`.analysis`) and, when the server offers embeddings, one vector
per passage.

SQLite is in the standard library, keeps everything on disk (memory stays bounded whatever
the collection's size), commits file by file (a stopped run resumes where it stopped) and
can be opened read-only: IT builds a shared index once, workstations read it as it is.
The choice of FTS5 over bm25s is measured in ``benchmarks/knowledge.py``.
"""

from __future__ import annotations

import contextlib
import json
import sqlite3
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from ..errors import IndexUnavailable
from .analysis import indexed_text, match_query
from .types import Passage, Place

SCHEMA_VERSION = "1"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS files (
    id INTEGER PRIMARY KEY,
    path TEXT NOT NULL UNIQUE,
    size INTEGER NOT NULL,
    mtime_ns INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    title TEXT NOT NULL DEFAULT '',
    modified TEXT NOT NULL DEFAULT '',
    error TEXT NOT NULL DEFAULT ''
);
CREATE TABLE IF NOT EXISTS passages (
    id INTEGER PRIMARY KEY,
    file_id INTEGER NOT NULL REFERENCES files(id) ON DELETE CASCADE,
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    page INTEGER,
    section TEXT NOT NULL,
    paragraph INTEGER,
    text TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS passages_file ON passages(file_id);
CREATE VIRTUAL TABLE IF NOT EXISTS fts USING fts5(terms, tokenize = 'unicode61 remove_diacritics 2');
CREATE TABLE IF NOT EXISTS vectors (passage_id INTEGER PRIMARY KEY, vector BLOB NOT NULL);
CREATE VIRTUAL TABLE IF NOT EXISTS terms_vocab USING fts5vocab(fts, 'row');
"""


@dataclass(frozen=True)
class FileRecord:
    id: int
    path: str
    size: int
    mtime_ns: int
    sha256: str
    error: str


class Store:
    """One index file. ``read_only`` opens it without any write (a shared index on a
    read-only share); otherwise it is created as needed."""

    def __init__(self, path: Path | None, *, read_only: bool = False) -> None:
        """``path`` None: in memory (the open document's passages)."""
        self.path, self.read_only = path or Path(":memory:"), read_only and path is not None
        self._total: int | None = None
        try:
            if path is None:
                self.db = sqlite3.connect(":memory:", check_same_thread=False)
                self.db.executescript(_SCHEMA)
            elif read_only:
                if not path.is_file():
                    raise IndexUnavailable(str(path), "no index there")
                self.db = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, check_same_thread=False)
            else:
                path.parent.mkdir(parents=True, exist_ok=True)
                self.db = sqlite3.connect(str(path), check_same_thread=False)
                self.db.execute("PRAGMA journal_mode=WAL")
                self.db.execute("PRAGMA synchronous=NORMAL")
                self.db.executescript(_SCHEMA)
                self._check_version()
            self.db.execute("PRAGMA foreign_keys=ON")
            self.db.execute("SELECT count(*) FROM files").fetchone()
        except sqlite3.DatabaseError as error:
            raise IndexUnavailable(str(path), str(error)) from None
        except OSError as error:
            raise IndexUnavailable(str(path), error.strerror or str(error)) from None

    def _check_version(self) -> None:
        row = self.db.execute("SELECT value FROM meta WHERE key = 'schema'").fetchone()
        if row is None:
            with self.db:
                self.db.execute("INSERT INTO meta VALUES ('schema', ?)", (SCHEMA_VERSION,))
        elif row[0] != SCHEMA_VERSION:
            raise IndexUnavailable(str(self.path), f"made by another version of Plume (schema {row[0]})")

    def close(self) -> None:
        if not self.read_only:
            # Back to a rollback journal: a reader on a read-only share cannot use WAL files.
            with contextlib.suppress(sqlite3.DatabaseError):  # another process has it open: it will do it
                self.db.execute("PRAGMA journal_mode=DELETE")
        self.db.close()

    # --- metadata ------------------------------------------------------------------------
    def get_meta(self, key: str, default: str = "") -> str:
        row = self.db.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
        return str(row[0]) if row else default

    def set_meta(self, key: str, value: str) -> None:
        self.db.execute("INSERT OR REPLACE INTO meta VALUES (?, ?)", (key, value))

    @property
    def roots(self) -> list[str]:
        return list(json.loads(self.get_meta("roots", "[]")))

    # --- files -------------------------------------------------------------------------
    def file(self, path: str) -> FileRecord | None:
        row = self.db.execute("SELECT id, path, size, mtime_ns, sha256, error FROM files WHERE path = ?", (path,)).fetchone()
        return FileRecord(*row) if row else None

    def files_under(self, root: str) -> list[str]:
        prefix = root.rstrip("/\\")
        rows = self.db.execute("SELECT path FROM files").fetchall()
        return [p for (p,) in rows if p == prefix or p.startswith((prefix + "/", prefix + "\\"))]

    def touch(self, file_id: int, size: int, mtime_ns: int) -> None:
        self.db.execute("UPDATE files SET size = ?, mtime_ns = ? WHERE id = ?", (size, mtime_ns, file_id))

    def remove(self, path: str) -> None:
        row = self.db.execute("SELECT id FROM files WHERE path = ?", (path,)).fetchone()
        if row is None:
            return
        self._drop_passages(row[0])
        self.db.execute("DELETE FROM files WHERE id = ?", (row[0],))

    def _drop_passages(self, file_id: int) -> None:
        ids = [r[0] for r in self.db.execute("SELECT id FROM passages WHERE file_id = ?", (file_id,))]
        self.db.executemany("DELETE FROM fts WHERE rowid = ?", ((i,) for i in ids))
        self.db.executemany("DELETE FROM vectors WHERE passage_id = ?", ((i,) for i in ids))
        self.db.execute("DELETE FROM passages WHERE file_id = ?", (file_id,))

    def replace(
        self, path: str, size: int, mtime_ns: int, sha256: str, *, title: str, modified: str,
        passages: Iterable[Passage], error: str = "",
    ) -> int:  # fmt: skip
        """Record ``path`` with these passages, replacing what was there; the number of passages."""
        row = self.db.execute("SELECT id FROM files WHERE path = ?", (path,)).fetchone()
        if row is not None:
            self._drop_passages(row[0])
            file_id = int(row[0])
            self.db.execute(
                "UPDATE files SET size = ?, mtime_ns = ?, sha256 = ?, title = ?, modified = ?, error = ? WHERE id = ?",
                (size, mtime_ns, sha256, title, modified, error, file_id),
            )
        else:
            cursor = self.db.execute(
                "INSERT INTO files (path, size, mtime_ns, sha256, title, modified, error) VALUES (?, ?, ?, ?, ?, ?, ?)",
                (path, size, mtime_ns, sha256, title, modified, error),
            )
            file_id = int(cursor.lastrowid or 0)
        # Two statements for the whole file, not two a passage: ids given, the next ones
        # SQLite would choose (the file row written above holds the write lock: no other
        # writer takes them meanwhile).
        first = int(self.db.execute("SELECT coalesce(max(id), 0) + 1 FROM passages").fetchone()[0])
        rows = [
            (first + n, file_id, p.start, p.end, p.place.page, p.place.section, p.place.paragraph, p.text)
            for n, p in enumerate(passages)
        ]
        self.db.executemany(
            'INSERT INTO passages (id, file_id, start, "end", page, section, paragraph, text) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
            rows,
        )
        # The title and section are searched with the text: "la délibération sur la cantine".
        self.db.executemany(
            "INSERT INTO fts (rowid, terms) VALUES (?, ?)",
            ((row[0], indexed_text(" ".join((title, row[5], row[7])))) for row in rows),
        )
        return len(rows)

    # --- reading -----------------------------------------------------------------------
    def counts(self) -> tuple[int, int]:
        files = self.db.execute("SELECT count(*) FROM files WHERE error = ''").fetchone()[0]
        passages = self.db.execute("SELECT count(*) FROM passages").fetchone()[0]
        return int(files), int(passages)

    def search(self, query: str, k: int, *, words: list[str] | None = None) -> list[tuple[int, float]]:
        """(passage row id, score) of the ``k`` best passages for ``query`` (BM25, higher is
        better), or for these analysed ``words`` when given."""
        match = match_query(query) if words is None else " OR ".join(f'"{word}"' for word in words)
        if not match or k <= 0:
            return []
        try:
            rows = self.db.execute(
                "SELECT rowid, bm25(fts) FROM fts WHERE fts MATCH ? ORDER BY bm25(fts) LIMIT ?", (match, k)
            ).fetchall()
        except sqlite3.DatabaseError as error:
            raise IndexUnavailable(str(self.path), str(error)) from None
        return [(int(rowid), -float(score)) for rowid, score in rows]

    def document_counts(self, words: list[str]) -> tuple[int, dict[str, int]]:
        """The number of passages, and how many hold each of ``words`` (analysed terms)."""
        total = self._total if self._total is not None else int(self.db.execute("SELECT count(*) FROM passages").fetchone()[0])
        if self.read_only:
            self._total = total  # nobody changes a read-only index: counted once
        if not words:
            return total, {}
        marks = ",".join("?" * len(words))
        rows = self.db.execute(f"SELECT term, doc FROM terms_vocab WHERE term IN ({marks})", words).fetchall()
        return total, {str(term): int(doc) for term, doc in rows}

    def searched_terms(self, ids: list[int]) -> dict[int, set[str]]:
        """The analysed terms of each passage (what its FTS row holds)."""
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = self.db.execute(f"SELECT rowid, terms FROM fts WHERE rowid IN ({marks})", ids).fetchall()
        return {int(rowid): set(str(terms).split()) for rowid, terms in rows}

    def passages(self, ids: list[int]) -> dict[int, Passage]:
        if not ids:
            return {}
        marks = ",".join("?" * len(ids))
        rows = self.db.execute(
            f'SELECT p.id, f.path, p.text, p.start, p."end", p.page, p.section, p.paragraph, f.title, f.modified '
            f"FROM passages p JOIN files f ON f.id = p.file_id WHERE p.id IN ({marks})",
            ids,
        ).fetchall()
        return {row[0]: _passage(row) for row in rows}

    def all_passage_ids(self) -> Iterator[int]:
        for (rowid,) in self.db.execute("SELECT id FROM passages ORDER BY id"):
            yield int(rowid)

    # --- vectors (hybrid retrieval) ----------------------------------------------------------
    def embedding_model(self) -> str:
        return self.get_meta("embedding_model")

    def use_embedding_model(self, model: str) -> None:
        """Vectors of another model mean nothing for this one: they are dropped."""
        if self.embedding_model() != model:
            self.db.execute("DELETE FROM vectors")
            self.set_meta("embedding_model", model)
            self.db.commit()

    def without_vector(self, limit: int) -> list[tuple[int, str]]:
        """(passage id, text to embed: title, section and text) of passages with no vector yet."""
        rows = self.db.execute(
            "SELECT p.id, f.title, p.section, p.text FROM passages p JOIN files f ON f.id = p.file_id "
            "LEFT JOIN vectors v ON v.passage_id = p.id WHERE v.passage_id IS NULL ORDER BY p.id LIMIT ?",
            (limit,),
        ).fetchall()
        return [(int(rowid), "\n".join(part for part in (title, section, text) if part)) for rowid, title, section, text in rows]

    def missing_vectors(self) -> int:
        row = self.db.execute(
            "SELECT count(*) FROM passages p LEFT JOIN vectors v ON v.passage_id = p.id WHERE v.passage_id IS NULL"
        )
        return int(row.fetchone()[0])

    def put_vectors(self, pairs: Iterable[tuple[int, bytes]]) -> None:
        self.db.executemany("INSERT OR REPLACE INTO vectors VALUES (?, ?)", pairs)

    def vector_count(self) -> int:
        return int(self.db.execute("SELECT count(*) FROM vectors").fetchone()[0])

    def vectors(self, chunk: int = 4096) -> Iterator[list[tuple[int, bytes]]]:
        """All vectors, ``chunk`` rows at a time (memory stays bounded whatever the index's size)."""
        cursor = self.db.execute("SELECT passage_id, vector FROM vectors ORDER BY passage_id")
        while rows := cursor.fetchmany(chunk):
            yield [(int(rowid), bytes(blob)) for rowid, blob in rows]


def _passage(row: tuple[object, ...]) -> Passage:
    _, path, text, start, end, page, section, paragraph, title, modified = row
    return Passage(
        id=f"{path}#{start}",
        source=str(path),
        text=str(text),
        start=int(start),  # type: ignore[call-overload]
        end=int(end),  # type: ignore[call-overload]
        place=Place(
            page=page if isinstance(page, int) else None,
            section=str(section),
            paragraph=paragraph if isinstance(paragraph, int) else None,
        ),
        title=str(title),
        modified=str(modified),
    )
