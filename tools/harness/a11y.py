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


def choose(list_context: Any, name: str) -> None:
    """Select the entry ``name`` of a list box, as a screen reader or a click would."""
    for index in range(list_context.getAccessibleChildCount()):
        child = list_context.getAccessibleChild(index)
        if child is not None and child.getAccessibleContext().getAccessibleName() == name:
            list_context.selectAccessibleChild(index)
            return
    raise LookupError(f"no entry {name!r} in the list")


def is_enabled(context: Any) -> bool:
    """Whether the control is enabled (the state set is a bit mask since LibreOffice 7.6)."""
    enabled = uno.getConstantByName("com.sun.star.accessibility.AccessibleStateType.ENABLED")
    return bool(context.getAccessibleStateSet() & enabled)


BUTTON_BORDER = 4  # a push button's frame and the room around its text, each side
OVERHANG = 2


def cut_off(toolkit: Any, panel: Any) -> list[str]:
    """The texts of a panel's buttons and labels that do not fit their control, as
    "text: needs N px, has M".

    Labels: each character's bounds, as LibreOffice laid the text out in the label's own font
    (a clipped or ellipsised character has none), must lie inside the label, wrapped lines
    included. Buttons report no character bounds: their text is measured with the interface
    font (a screen device's default font, the one the panel's controls use; checked against
    the first plain, one-line label's own layout) and must fit between the button's borders.
    """
    from com.sun.star.awt import FontDescriptor

    font = toolkit.createScreenCompatibleDevice(1, 1).getFont(FontDescriptor())
    found: list[str] = []
    calibrated = False
    for index in range(panel.getAccessibleChildCount()):
        context = panel.getAccessibleChild(index).getAccessibleContext()
        role = context.getAccessibleRole()
        if role not in (ROLE["LABEL"], ROLE["PUSH_BUTTON"]) or not context.getText().strip():
            continue
        text, size = context.getText(), context.getSize()
        if role == ROLE["LABEL"]:
            bounds = [context.getCharacterBounds(i) for i in range(len(text))]
            shown = [b for c, b in zip(text, bounds, strict=True) if not c.isspace()]
            # A glyph may overhang its cell by a pixel or two (a T's bar, an accent above an É).
            if any(b.Width <= 0 or min(b.X, b.Y) < -OVERHANG or b.X + b.Width > size.Width + OVERHANG
                   or b.Y + b.Height > size.Height + OVERHANG for b in shown):  # fmt: skip
                right = max(b.X + b.Width for b in shown)
                found.append(
                    f"label {text!r}: text spans {right} x {max(b.Y + b.Height for b in shown)} px, has {size.Width} x {size.Height}"
                )
            weight = {p.Name: p.Value for p in context.getCharacterAttributes(0, ())}.get("CharWeight", 0.0)
            if not calibrated and weight < 6 and all(b.Y == shown[0].Y for b in shown):  # a plain one-line label
                measured = font.getStringWidth(text)
                laid_out = shown[-1].X + shown[-1].Width - shown[0].X
                if abs(measured - laid_out) > max(3, laid_out // 20):
                    raise AssertionError(
                        f"the interface font measures {text!r} {measured} px, the label {laid_out}: cannot measure buttons"
                    )
                calibrated = True
        elif role == ROLE["PUSH_BUTTON"]:
            needs = font.getStringWidth(text) + 2 * BUTTON_BORDER
            if needs > size.Width:
                found.append(f"button {text!r}: needs {needs} px, has {size.Width}")
    return found
