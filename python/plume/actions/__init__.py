"""Actions as data: what each action reads, asks and does (:mod:`.model`), Plume's own
(:mod:`.builtin`), IT's and the user's (:mod:`.custom`), looked up in a :class:`Registry`,
and the messages sent for them (:mod:`.prompts`)."""

from __future__ import annotations

from .model import Action, Text
from .prompts import ActionSpec, build_messages
from .registry import BUILTINS, Registry, registry_for

__all__ = ["BUILTINS", "Action", "ActionSpec", "Registry", "Text", "build_messages", "registry_for"]
