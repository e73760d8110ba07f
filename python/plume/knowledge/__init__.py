"""Asking the administration's own texts: extraction, the local index, retrieval (lexical and
hybrid), cited answers checked against their passages. The shapes are in :mod:`.types`."""

from .types import Hit, Passage, Place, Retriever

__all__ = ["Hit", "Passage", "Place", "Retriever"]
