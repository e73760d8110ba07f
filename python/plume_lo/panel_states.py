"""Which of the sidebar's controls are enabled, as one explicit table of states.

The panel is in exactly one state, derived from its current run (:func:`state_of`); each
control carries a tag (:mod:`.panel_layout`) and is enabled in the states whose row lists
that tag. :func:`enabled` is the only place that decides; the view applies it to every
control at once. What the run itself can do (refine it, go back a version) narrows it further.
"""

from __future__ import annotations

from typing import Any

STATES = (
    "idle",  # nothing shown yet
    "running",  # a model or a translation is writing into the preview
    "awaiting_confirmation",  # policy "warn": what would be sent is shown, waiting for Send
    "result_ready",  # a preview (or a cut answer held) waits for Replace / Insert after / Copy
    "applied",  # the result is in the document
    "error",  # the run failed or was stopped: its message is in the notes
    "offering_model_translation",  # no language package for the pair: the model may translate it
)

# Tags: "start" starts an action (the write buttons, the transform list and Run, the
# translation pickers, the model); "apply" is Replace and Insert after; "refine" the follow-up
# instruction and Refine; "back" the previous version.
ENABLED: dict[str, frozenset[str]] = {
    "idle": frozenset({"start"}),
    "running": frozenset({"stop"}),
    "awaiting_confirmation": frozenset({"start", "send"}),
    "result_ready": frozenset({"start", "apply", "copy", "refine", "back"}),
    "applied": frozenset({"start", "copy"}),
    "error": frozenset({"start"}),
    "offering_model_translation": frozenset({"start", "translate_model"}),
}


def state_of(run: Any) -> str:
    """The panel's state for its current run (an ActionRun, or None before any)."""
    if run is None or run.state == "starting":
        return "idle"
    if run.running:
        return "running"
    if run.pending is not None:
        return "awaiting_confirmation"
    if run.state != "done":
        return "offering_model_translation" if run.alternative is not None else "error"
    if run.applied:
        return "applied"
    if (run.mode == "preview" or run.held) and run.text:
        return "result_ready"
    return "applied" if run.text else "error"


def enabled(state: str, tag: str) -> bool:
    """Whether a control tagged ``tag`` is enabled in ``state`` (untagged: always)."""
    return not tag or tag in ENABLED[state]


def can_refine(run: Any) -> bool:
    """The run offers a follow-up revision (``run.refine(instruction)``)."""
    return callable(getattr(run, "refine", None))


def can_go_back(run: Any) -> bool:
    """The run has an earlier version to return to (``run.back()``, ``run.versions``)."""
    return callable(getattr(run, "back", None)) and len(getattr(run, "versions", ()) or ()) > 1
