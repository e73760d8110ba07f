"""The Writer document as actions see it: what they read (:mod:`.reading`), how a result is
written (:mod:`.writing`) and the AI marks that disclose it (:mod:`.marks`)."""

from __future__ import annotations

from .marks import mark_records, marked_passages, record_applied
from .reading import (
    CHARACTER_PROPERTIES,
    PARAGRAPH_PROPERTIES,
    Target,
    blocks_of,
    check_writable,
    insertion_point,
    target_for,
    values_of,
    whole_document,
)
from .writing import BODY_STYLES, PLACES, apply, check_unchanged, one_undo_step, write_paragraphs

__all__ = [
    "BODY_STYLES", "CHARACTER_PROPERTIES", "PARAGRAPH_PROPERTIES", "PLACES", "Target", "apply", "blocks_of",
    "check_unchanged", "check_writable", "insertion_point", "mark_records", "marked_passages", "one_undo_step", "record_applied",
    "target_for", "values_of", "whole_document", "write_paragraphs",
]  # fmt: skip
