"""Finding and pressing controls through LibreOffice's accessibility tree, as assistive
technology would: proves the panel is reachable without a mouse."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import uno

ROLE = {name: uno.getConstantByName(f"com.sun.star.accessibility.AccessibleRole.{name}")
        for name in ("PUSH_BUTTON", "TEXT", "DOCUMENT_TEXT", "PARAGRAPH", "LABEL", "COMBO_BOX", "LIST", "STATIC", "POPUP_MENU", "MENU")}  # fmt: skip


def walk(context: Any, depth: int = 0, limit: int = 25) -> Iterator[Any]:
    yield context
    if depth >= limit or context.getAccessibleRole() == ROLE["DOCUMENT_TEXT"]:
        return  # the document's own content is huge and not what we look for
    for index in range(context.getAccessibleChildCount()):
        child = context.getAccessibleChild(index)
        if child is not None:
            yield from walk(child.getAccessibleContext(), depth + 1, limit)


def find(window: Any, role: str, name: str, timeout: float = 20.0) -> Any:
    """The first accessible of ``role`` whose name is ``name`` (mnemonic marks ignored)."""
    deadline = time.monotonic() + timeout
    while True:
        for context in walk(window.getAccessibleContext()):
            if context.getAccessibleRole() == ROLE[role] and context.getAccessibleName().replace("~", "") == name:
                return context
        if time.monotonic() > deadline:
            raise LookupError(f"no {role} named {name!r}")
        time.sleep(0.2)


def _top_windows(toolkit: Any) -> Iterator[tuple[Any, Any]]:
    """Each top window with its accessible context. A window being closed (a dialog, a menu)
    has no accessible context any more: skipped."""
    for index in range(toolkit.getTopWindowCount()):
        window = toolkit.getTopWindow(index)
        context = window.getAccessibleContext() if window is not None else None
        if context is not None:
            yield window, context


def top_window(toolkit: Any, name_prefix: str, exact: bool = False) -> Any:
    """The visible top window whose accessible name starts with ``name_prefix`` (is it, with
    ``exact``), or None."""
    for window, context in _top_windows(toolkit):
        name = context.getAccessibleName()
        if name is not None and (name == name_prefix if exact else name.startswith(name_prefix)) and window.isVisible():
            return window
    return None


def window_of(doc: Any) -> Any:
    """The top window showing ``doc``: where its sidebar and dialogs' accessibles live."""
    return doc.getCurrentController().getFrame().getContainerWindow()


def press(context: Any) -> None:
    context.doAccessibleAction(0)


def texts(window: Any) -> list[str]:
    """The contents of every text field outside the document."""
    found = []
    for context in walk(window.getAccessibleContext()):
        if context.getAccessibleRole() in (ROLE["TEXT"], ROLE["PARAGRAPH"]):
            found.append(str(context.getText()))
    return found


def popup_entries(toolkit: Any) -> list[str]:
    """Names of the entries of open popup menus (context menus are top windows)."""
    names: list[str] = []
    for _window, context in _top_windows(toolkit):
        if context.getAccessibleRole() in (ROLE["POPUP_MENU"], ROLE["MENU"]) or "Cut" in _child_names(context):
            names += _child_names(context)
    return names


def popup_items(toolkit: Any) -> list[str]:
    """Names of every entry of the open popup menus, open submenus' entries included (a
    submenu's entries are children of its parent entry, not a top window of their own)."""
    names: list[str] = []
    for _window, context in _top_windows(toolkit):
        if context.getAccessibleRole() in (ROLE["POPUP_MENU"], ROLE["MENU"]):
            names += [item.getAccessibleName().replace("~", "") for item in walk(context, limit=4)][1:]
    return names


def _child_names(context: Any) -> list[str]:
    return [
        child.getAccessibleContext().getAccessibleName().replace("~", "")
        for child in (context.getAccessibleChild(i) for i in range(context.getAccessibleChildCount()))
        if child is not None
    ]
