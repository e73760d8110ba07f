"""Starting a run for a name a URL, a menu, a shortcut or the sidebar gives: an action id
(``plume:run?action=<id>``) or an earlier URL's name ("summarize", "rewrite" with a style,
"instruct", "translate"), looked up in the actions these settings give the user
(:func:`plume.actions.registry_for`: Plume's own, IT's, the user's)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from plume.errors import for_log
from plume.i18n import describe_error

from ..log import logger
from .base import Run

if TYPE_CHECKING:
    from plume.actions import Action


def start(ctx: Any, frame: Any, name: str, params: dict[str, str]) -> Run:
    """Start the action ``name`` names; an unknown one ends at once with a clear message
    on ``plume:status`` (state ``error``)."""
    from plume.actions import registry_for

    from ..config_store import load_settings

    try:
        settings = load_settings(ctx)
        action = registry_for(settings).get(name, params.get("style", ""))
    except Exception as error:
        refused = Run(ctx, frame, name or "run", params)
        logger(ctx).info("run of %r refused: %s", name, for_log(error))
        refused.end("error", describe_error(error, refused.lang))
        return refused
    run = run_for(ctx, frame, action, params)
    run.start(settings)
    return run


def run_for(ctx: Any, frame: Any, action: Action, params: dict[str, str]) -> Run:
    """The kind of run that carries ``action`` out: a question about the documents, a
    translation offline unless the model is asked for (``engine=model``), any other action by
    the model."""
    from .ask import AskRun
    from .model import ActionRun
    from .translate import ModelTranslateRun, TranslateRun

    if action.group == "ask":
        return AskRun(ctx, frame, action, params)
    if action.group == "translate" and params.get("engine") != "model":
        return TranslateRun(ctx, frame, action, params)
    if action.group == "translate":
        return ModelTranslateRun(ctx, frame, action, params)
    return ActionRun(ctx, frame, action, params)
