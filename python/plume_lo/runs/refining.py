"""``plume:refine?text=…`` and ``plume:back``: the sidebar's Refine and Previous version, for
keyboard users and macros. Both act on the result waiting in this frame's preview.

A refinement is a new run (reported on ``plume:status`` like any, with the action's id);
``refine`` is reported as ``error`` only when it cannot start (nothing to refine, no
instruction). ``back`` is reported as command ``back``: ``done`` with the version now shown,
or ``error`` when there is no earlier version."""

from __future__ import annotations

from typing import Any

from plume.errors import UnsupportedError, for_log
from plume.i18n import describe_error, t

from ..log import logger
from .base import Run, broadcast, latest_in
from .model import ActionRun


def _waiting(frame: Any, lang: str) -> ActionRun:
    run = latest_in(frame)
    if not isinstance(run, ActionRun) or run.state != "done" or run.applied or not run.text.strip():
        raise UnsupportedError(t("refine.nothing", lang))
    return run


def refine_latest(ctx: Any, frame: Any, instruction: str) -> None:
    report = Run(ctx, frame, "refine", {})
    try:
        if not instruction.strip():
            raise UnsupportedError(
                t("panel.instruction.needed", report.lang, action=t("panel.refine", report.lang).replace("~", ""))
            )
        _waiting(frame, report.lang).refine(instruction.strip())
    except Exception as error:
        logger(ctx).info("plume:refine refused: %s", for_log(error))
        report.state, report.message = "error", describe_error(error, report.lang)
        broadcast(report)


def back_latest(ctx: Any, frame: Any) -> None:
    report = Run(ctx, frame, "back", {})
    try:
        run = _waiting(frame, report.lang)
        run.back()
    except Exception as error:
        logger(ctx).info("plume:back refused: %s", for_log(error))
        report.state, report.message = "error", describe_error(error, report.lang)
    else:
        run.notify(lambda view: view.run_ended(run))  # the sidebar shows the version now current
        report.state, report.message = "done", run.text
    broadcast(report)
