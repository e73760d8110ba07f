"""Runs: one user request carried out on a document and followed by the sidebar and the
``plume:status`` listeners.

- :mod:`.base`: what every run shares (state, views, status broadcast, stop, audit, apply);
- :mod:`.model`: a model action (:class:`ActionRun`), any action of the registry;
- :mod:`.ask`: a question about the open document or a collection (:class:`AskRun`), cited;
- :mod:`.translate`: a translation offline with Argos (:class:`TranslateRun`), or by the model;
- :mod:`.indexing`: ``plume:index``, one's own folders indexed for asking (:class:`IndexRun`);
- :mod:`.marks`: ``plume:marks``, listing or removing the AI marks;
- :mod:`.refining`: ``plume:refine`` and ``plume:back`` on the result waiting in the preview;
- :mod:`.launch`: from a name (an action id or an earlier URL) to a started run.
"""

from __future__ import annotations

from .ask import open_source_latest
from .base import (
    Run,
    RunView,
    add_status_listener,
    apply_result,
    feature_event,
    latest_in,
    register_view,
    remove_status_listener,
    stop_all,
)
from .indexing import index_personal
from .launch import start
from .marks import list_marks
from .refining import back_latest, refine_latest

__all__ = [
    "Run", "RunView", "add_status_listener", "apply_result", "back_latest", "feature_event", "index_personal",
    "latest_in", "list_marks", "open_source_latest",
    "refine_latest", "register_view", "remove_status_listener", "start", "stop_all",
]  # fmt: skip
