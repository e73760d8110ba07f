"""Hybrid retrieval: placeholder until the embeddings land (lexical only)."""

from __future__ import annotations

from collections.abc import Mapping

import httpx

from ..cancel import CancelToken
from ..settings import Settings
from .lexical import LexicalRetriever
from .store import Store
from .types import Hit


class HybridRetriever:
    def __init__(
        self,
        store: Store,
        settings: Settings,
        *,
        api_key: str = "",
        transport: httpx.BaseTransport | None = None,
        environ: Mapping[str, str] | None = None,
    ) -> None:
        self.lexical = LexicalRetriever(store)
        self.notes: list[str] = []

    def search(self, query: str, k: int = 8, *, cancel: CancelToken | None = None) -> list[Hit]:
        self.notes = ["knowledge.note.lexical_only"]
        return self.lexical.search(query, k, cancel=cancel)
