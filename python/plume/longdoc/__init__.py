"""Long texts: splitting along the document's structure (:mod:`.split`) and running an action
over any length without exceeding the model's window (:mod:`.run`)."""

from .run import LongGeneration, Request, require_confirmation
from .split import Block, Part, batches, blocks_from_text, split

__all__ = ["Block", "LongGeneration", "Part", "Request", "batches", "blocks_from_text", "require_confirmation", "split"]
