"""Plume's entries in Writer's text context menu, shown when text is selected.

A job on ``OnViewCreated`` (``registry/Jobs.xcu``) registers the interceptor on each new
Writer view; the interceptor adds a "Plume" submenu whose entries dispatch ``plume:`` URLs,
so the context menu, the menu bar, shortcuts and macros all run the same commands.

The job makes LibreOffice load its Python runtime on the way to the first document (start-up
cost, benchmarks row 4). ``OnLayoutFinished`` was tried: it left a moment where a right-click
showed no Plume entry and measured no better (ratio 1.39 on 4 runs). An interceptor that finds
Plume's entry already in the menu adds nothing, so a repeated registration is harmless.
"""

from __future__ import annotations

from typing import Any

import unohelper
from com.sun.star.task import XJob
from com.sun.star.ui import XContextMenuInterceptor
from com.sun.star.ui.ContextMenuInterceptorAction import EXECUTE_MODIFIED, IGNORED

from . import ids
from .service_info import ServiceInfo

# The job runs on the way to every new Writer view: the catalogue and the log are imported
# when a menu is shown or something fails, not at start-up.

ENTRIES = (
    ("plume:summarize", "action.summarize"),
    ("plume:rewrite?style=formal", "style.formal"),
    ("plume:rewrite?style=shorter", "style.shorter"),
    ("plume:rewrite?style=plain", "style.plain"),
    ("plume:rewrite?style=correct", "style.correct"),
    ("plume:sidebar", "panel.open"),
)


class ContextMenuJob(unohelper.Base, XJob, ServiceInfo):  # type: ignore[misc]
    implementation, services = ids.CONTEXT_MENU_JOB, ids.CONTEXT_MENU_JOB_SERVICES

    def __init__(self, ctx: Any) -> None:
        self.ctx = ctx

    def execute(self, args: Any) -> Any:
        try:
            environment = {v.Name: v.Value for v in next(a.Value for a in args if a.Name == "Environment")}
            model = environment.get("Model")
            if model is not None and model.supportsService("com.sun.star.text.TextDocument"):
                model.getCurrentController().registerContextMenuInterceptor(Interceptor(self.ctx))
        except Exception:  # a failure here must never disturb opening a document
            from .log import logger

            logger(self.ctx).exception("context menu registration failed")
        return None


class Interceptor(unohelper.Base, XContextMenuInterceptor):  # type: ignore[misc]
    def __init__(self, ctx: Any) -> None:
        self.ctx = ctx

    def notifyContextMenuExecute(self, event: Any) -> Any:
        try:
            menu = event.ActionTriggerContainer
            if not _has_selected_text(event.Selection) or _has_plume_entry(menu):
                return IGNORED
            from plume.i18n import language_of, t

            from .context import ui_locale

            lang = language_of(ui_locale(self.ctx))
            menu.insertByIndex(menu.getCount(), menu.createInstance("com.sun.star.ui.ActionTriggerSeparator"))
            submenu = menu.createInstance("com.sun.star.ui.ActionTriggerContainer")
            for index, (url, key) in enumerate(ENTRIES):
                entry = menu.createInstance("com.sun.star.ui.ActionTrigger")
                entry.setPropertyValue("CommandURL", url)
                entry.setPropertyValue("Text", t(key, lang))
                submenu.insertByIndex(index, entry)
            parent = menu.createInstance("com.sun.star.ui.ActionTrigger")
            parent.setPropertyValue("Text", "Plume")
            parent.setPropertyValue("SubContainer", submenu)
            menu.insertByIndex(menu.getCount(), parent)
            return EXECUTE_MODIFIED
        except Exception:
            from .log import logger

            logger(self.ctx).exception("context menu failed")
            return IGNORED


def _has_plume_entry(menu: Any) -> bool:
    for index in range(menu.getCount()):
        entry = menu.getByIndex(index)
        info = entry.getPropertySetInfo() if hasattr(entry, "getPropertySetInfo") else None
        if info is not None and info.hasPropertyByName("Text") and entry.getPropertyValue("Text") == "Plume":
            return True
    return False


def _has_selected_text(supplier: Any) -> bool:
    selection = supplier.getSelection() if supplier is not None else None
    if selection is None or not selection.supportsService("com.sun.star.text.TextRanges"):
        return False
    return any(selection.getByIndex(i).getString() for i in range(selection.getCount()))
