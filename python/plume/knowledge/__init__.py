"""Asking the administration's own texts: extraction (:mod:`.extract`), passages
(:mod:`.passages`), the local index (:mod:`.store`, :mod:`.indexer`), retrieval (lexical
:mod:`.lexical`, hybrid :mod:`.hybrid`, the open document :mod:`.document`) and collections
(:mod:`.collection`). The shapes are in :mod:`.types`.

A remote collection (an operator's search, such as Albert's) is one more
:class:`~.types.Retriever`: a class with ``search(query, k, cancel=...) -> list[Hit]`` that
posts the question through the door (:class:`plume.egress.door.Door`, so it is
pseudonymised like any text), maps each result to a :class:`~.types.Passage` (``source``:
the operator's document name or URL, ``place`` what it says of page and section) and
returns them best first, empty when nothing is relevant. The answer, its citations and the
front ends need nothing else.
"""

from .collection import CollectionInfo, CollectionRetriever, collections, default_personal_dir, open_collection
from .document import document_retriever
from .indexer import IndexReport, Progress, index_folders
from .types import Hit, Passage, Place, Retriever

__all__ = [
    "CollectionInfo",
    "CollectionRetriever",
    "Hit",
    "IndexReport",
    "Passage",
    "Place",
    "Progress",
    "Retriever",
    "collections",
    "default_personal_dir",
    "document_retriever",
    "index_folders",
    "open_collection",
]
