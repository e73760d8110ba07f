"""Lexical retrieval over an index: BM25 candidates, reordered by how closely they hold the
question, then a relevance gate.

BM25 alone ranks a passage that repeats the question's words here and there (a street named
in three unrelated sentences) above the one sentence that answers it. The candidates are
therefore reordered by the share of the question they hold within one sentence, each term
weighted by its rarity (inverse document frequency), then within the passage, then by BM25.

FTS5 returns every passage holding ANY term of the question, so a question about something
the collection never mentions still finds passages sharing one common word. A hit is kept
only when its passage holds at least :data:`MIN_COVERAGE` of the question's weight (a term
the collection never uses counts half: "horaires" may be absent from a collection that
answers the question, "Australie" is absent from one that cannot). A question about the
canteen's budget keeps the passages about it; one about Australia's capital keeps nothing,
and the answer says nothing was found.
"""

from __future__ import annotations

import math
import re

from ..cancel import CancelToken
from .analysis import terms
from .store import Store
from .types import Hit

MIN_COVERAGE = 0.2
CANDIDATES = 100  # BM25 candidates gated and reordered by their coverage of the question
RESCORED = 25  # the best of them reordered by their closest sentence
ABSENT_WEIGHT = 0.5
COMMON_SHARE = 0.03  # a word in more than 3% of the passages...
COMMON_FROM = 5000  # ...of an index this large does not select candidates
_SENTENCES = re.compile(r"(?<=[.!?;:])\s+|\n")


class LexicalRetriever:
    def __init__(self, store: Store, *, min_coverage: float = MIN_COVERAGE) -> None:
        self.store, self.min_coverage = store, min_coverage

    def search(self, query: str, k: int = 8, *, cancel: CancelToken | None = None) -> list[Hit]:
        return [hit for _, hit in self.scored(query, k, cancel=cancel)]

    def scored(self, query: str, k: int = 8, *, cancel: CancelToken | None = None) -> list[tuple[int, Hit]]:
        """(passage row id, hit) pairs, best first, after the relevance gate. The score is
        the sentence coverage plus a fraction of the passage's, plus a little BM25."""
        if cancel is not None:
            cancel.raise_if_cancelled()
        weights, common = self._weights(query)
        # Words most passages hold ("école" in a school board's collection) rank nothing but
        # make SQLite score most of the index: candidates come from the rarer ones, when
        # there are any; every word still counts in the coverage below.
        rare = [word for word in weights if word not in common] or list(weights)
        ranked = self.store.search(query, max(k, CANDIDATES), words=rare)
        if not ranked:
            return []
        total = sum(weights.values()) or 1.0
        best_bm25 = max(score for _, score in ranked) or 1.0
        held = self.store.searched_terms([rowid for rowid, _ in ranked])
        # First the passage as a whole (its indexed terms: no text analysed again), gated...
        coarse: list[tuple[float, float, int]] = []
        for rowid, bm25 in ranked:
            coverage = sum(w for term, w in weights.items() if term in held.get(rowid, ())) / total
            if coverage >= self.min_coverage:
                coarse.append((coverage + 0.5 * bm25 / best_bm25, coverage, rowid))
        coarse.sort(key=lambda item: -item[0])
        coarse = coarse[: max(k, RESCORED)]
        # ...then the best of them by their closest sentence.
        found = self.store.passages([rowid for _, _, rowid in coarse])
        scored: list[tuple[float, int]] = []
        for first, _, rowid in coarse:
            passage = found.get(rowid)
            if passage is None:
                continue
            sentences = (set(terms(text)) for text in _SENTENCES.split(passage.text))
            sentence = max((sum(w for term, w in weights.items() if term in words) for words in sentences), default=0.0)
            sentence /= total
            scored.append((sentence + 0.5 * first, rowid))
        scored.sort(key=lambda pair: -pair[0])
        return [(rowid, Hit(found[rowid], score)) for score, rowid in scored[:k]]

    def _weights(self, query: str) -> tuple[dict[str, float], set[str]]:
        """Each word of the question weighted by its rarity, and the words too common to
        search by (held by more than :data:`COMMON_SHARE` of a large index's passages)."""
        words = list(dict.fromkeys(terms(query)))[:32]
        total, counts = self.store.document_counts(words)
        weights = {}
        for word in words:
            count = counts.get(word, 0)
            weight = math.log(1 + (total - count + 0.5) / (count + 0.5))
            weights[word] = weight * (ABSENT_WEIGHT if count == 0 else 1.0)
        common = {w for w in words if total >= COMMON_FROM and counts.get(w, 0) > COMMON_SHARE * total}
        return weights, common
