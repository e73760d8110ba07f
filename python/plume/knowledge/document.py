"""Retrieval in the open document: its blocks (:class:`plume.longdoc.split.Block`, headings
included) become passages in an index held in memory, searched like a collection.

``Passage.source`` is ``""`` and ``Place.paragraph`` is the block's index + 1, so the
adapter selects the passage by counting the document's paragraphs as it gave them.
"""

from __future__ import annotations

from collections.abc import Sequence

from ..longdoc.split import Block
from .extract import Paragraph
from .lexical import LexicalRetriever
from .passages import passages
from .store import Store


def document_retriever(blocks: Sequence[Block], *, title: str = "") -> LexicalRetriever:
    """A :class:`~.types.Retriever` over the open document's ``blocks``."""
    store = Store(None)
    # Every block kept (an empty one too), so that paragraph numbers are the document's.
    paragraphs = [Paragraph(block.text, block.level if block.text.strip() else 0) for block in blocks]
    found = passages(paragraphs, "", title=title)
    store.replace("", 0, 0, "", title=title, modified="", passages=found)
    store.db.commit()
    return LexicalRetriever(store)
