"""Lexical retrieval over an index: BM25 on the analysed terms, then a relevance gate.

FTS5 ranks every passage holding ANY term of the question, so a question about something
the collection never mentions still finds passages sharing one common word. A hit is kept
only when it holds enough of the question: the share of the question's terms it contains,
each weighted by its rarity (inverse document frequency), must reach
:data:`MIN_COVERAGE`. A question about the cantine's budget keeps the passages about it; a
question about Australia's capital keeps nothing, and the answer says nothing was found.
"""

from __future__ import annotations

import math

from ..cancel import CancelToken
from .analysis import terms
from .store import Store
from .types import Hit

MIN_COVERAGE = 0.4
CANDIDATES = 40  # BM25 candidates looked at before the gate


class LexicalRetriever:
    def __init__(self, store: Store, *, min_coverage: float = MIN_COVERAGE) -> None:
        self.store, self.min_coverage = store, min_coverage

    def search(self, query: str, k: int = 8, *, cancel: CancelToken | None = None) -> list[Hit]:
        return [hit for _, hit in self.scored(query, k, cancel=cancel)]

    def scored(self, query: str, k: int = 8, *, cancel: CancelToken | None = None) -> list[tuple[int, Hit]]:
        """(passage row id, hit) pairs, best first, after the relevance gate."""
        if cancel is not None:
            cancel.raise_if_cancelled()
        ranked = self.store.search(query, max(k, CANDIDATES))
        if not ranked:
            return []
        ids = [rowid for rowid, _ in ranked]
        weights = self._weights(query)
        held = self.store.searched_terms(ids)
        total_weight = sum(weights.values()) or 1.0
        kept = [
            (rowid, score) for rowid, score in ranked
            if sum(w for term, w in weights.items() if term in held.get(rowid, set())) / total_weight >= self.min_coverage
        ][:k]  # fmt: skip
        found = self.store.passages([rowid for rowid, _ in kept])
        return [(rowid, Hit(found[rowid], score)) for rowid, score in kept if rowid in found]

    def _weights(self, query: str) -> dict[str, float]:
        words = list(dict.fromkeys(terms(query)))
        total, counts = self.store.document_counts(words)
        # A term no passage holds weighs the most: the question is about something absent.
        return {w: math.log(1 + (total - counts.get(w, 0) + 0.5) / (counts.get(w, 0) + 0.5)) for w in words}
