"""One listener class for the controls Plume builds in code (the sidebar, the desk)."""

from __future__ import annotations

from typing import Any

import unohelper
from com.sun.star.awt import XActionListener, XItemListener, XKeyListener, XTextListener, XTopWindowListener

from .log import logger

RETURN_KEY, SHIFT = 1280, 1  # com.sun.star.awt.Key.RETURN, KeyModifier.SHIFT


class ControlEvents(unohelper.Base, XActionListener, XItemListener, XKeyListener, XTextListener, XTopWindowListener):  # type: ignore[misc]
    """Routes a control's events to a Python callable, logging failures instead of letting
    them reach LibreOffice. Keys: only Enter without Shift calls (with "enter")."""

    def __init__(self, ctx: Any, handler: Any, where: str) -> None:
        self.ctx, self.handler, self.where = ctx, handler, where

    def _call(self, *args: Any) -> None:
        try:
            self.handler(*args)
        except Exception:
            logger(self.ctx).exception("%s event failed", self.where)

    def actionPerformed(self, event: Any) -> None:
        self._call()

    def itemStateChanged(self, event: Any) -> None:
        self._call()

    def textChanged(self, event: Any) -> None:
        self._call()

    def keyPressed(self, event: Any) -> None:
        if event.KeyCode == RETURN_KEY and not event.Modifiers & SHIFT:
            self._call("enter")

    def keyReleased(self, event: Any) -> None:
        pass

    def windowClosing(self, event: Any) -> None:
        self._call()

    def windowOpened(self, event: Any) -> None: ...
    def windowClosed(self, event: Any) -> None: ...
    def windowMinimized(self, event: Any) -> None: ...
    def windowNormalized(self, event: Any) -> None: ...
    def windowActivated(self, event: Any) -> None: ...
    def windowDeactivated(self, event: Any) -> None: ...
    def disposing(self, event: Any) -> None: ...
