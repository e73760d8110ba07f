"""The shapes every part of asking the documents shares: a passage of a file (or of the open
document), where it sits, and a retriever that finds passages for a question.

Extraction and indexing produce :class:`Passage` objects; a :class:`Retriever` (the local
index, the open document, later an operator's remote search) returns :class:`Hit` objects;
the cited answer numbers them [1], [2]... and the front ends show and open them. A remote
collection is one more :class:`Retriever`, nothing else changes.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from ..cancel import CancelToken


@dataclass(frozen=True)
class Place:
    """Where a passage sits in its file, as a person would look for it."""

    page: int | None = None  # 1-based page: PDF pages, slides (ODP/PPTX), sheets (ODS)
    section: str = ""  # the headings above it, outermost first, joined by " > "
    paragraph: int | None = None  # 1-based index of its first paragraph in the file's text


@dataclass(frozen=True)
class Passage:
    """Some consecutive paragraphs of one file, small enough to cite and send."""

    id: str  # stable within an index for the same file content: f"{source}#{start}"
    source: str  # the file's path (as indexed), or "" for the open document
    text: str
    start: int  # character offsets in the file's extracted text (paragraphs joined by "\n")
    end: int
    place: Place
    title: str = ""  # the file's title (its first heading, else its name)
    modified: str = ""  # the file's modification date, ISO 8601 (footnotes cite it)


@dataclass(frozen=True)
class Hit:
    passage: Passage
    score: float  # higher is better; comparable only within one search


class Retriever(Protocol):
    """Finds the passages that best answer a question. Implementations: the local index
    (lexical, or hybrid with the server's embeddings), the open document, a remote search."""

    def search(self, query: str, k: int = 8, *, cancel: CancelToken | None = None) -> list[Hit]:
        """At most ``k`` hits, best first; an empty list when nothing is relevant."""
        ...
