"""Reaching menus as a keyboard user does (xdotool on the virtual display), and what Plume's
menus should say in each interface language."""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path
from typing import Any
from xml.etree import ElementTree

from harness import a11y
from plume.actions import BUILTINS
from plume_build.menus import context_entries

ADDONS = Path(__file__).resolve().parents[2] / "extension" / "registry" / "Addons.xcu"
# The menu-bar entries ContextMenu.bas puts in the text context menu's Plume submenu, in order.
CONTEXT_ENTRIES = tuple(context_entries(BUILTINS))


def keys(display: str, *names: str, text: str = "") -> None:
    """Type ``text``, then press each key of ``names`` (xdotool key names: "shift+F10")."""
    env = {**os.environ, "DISPLAY": display}
    if text:
        subprocess.run(["xdotool", "type", "--delay", "20", text], env=env, check=True, timeout=30)
    if names:
        subprocess.run(["xdotool", "key", *names], env=env, check=True, timeout=10)


def open_context_menu(office: Any, doc: Any, display: str) -> list[str]:
    """Open the document's context menu with Shift+F10; the names of its entries (empty when
    it did not open within 10 s)."""
    toolkit = office.create("com.sun.star.awt.Toolkit")
    doc.getCurrentController().getFrame().getContainerWindow().setFocus()
    keys(display, "shift+F10")
    deadline = time.monotonic() + 10
    while not (entries := a11y.popup_entries(toolkit)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return entries


def open_plume_submenu(office: Any, doc: Any, display: str, language: str, timeout: float = 20.0) -> list[str]:
    """Open the context menu, then its Plume submenu (the last entry) with the keyboard; the
    submenu's entries, as titled in ``language`` ("fr", "en-US"), once they are all shown.

    The interceptor is registered on OnViewCreated (ContextMenu.bas): a menu opened in the
    first instant after the window appears may come before it, so it is opened again until
    Plume is there."""
    deadline = time.monotonic() + timeout
    while "Plume" not in (entries := open_context_menu(office, doc, display)):
        keys(display, "Escape")
        if time.monotonic() > deadline:
            raise AssertionError(f"no Plume entry in the context menu: {entries}")
        time.sleep(0.5)
    if entries.count("Plume") != 1:
        raise AssertionError(f"Plume's entry is there more than once: {entries}")
    keys(display, "Up", "Right")
    titles = menu_bar_titles(language)
    wanted = [titles[name] for name in CONTEXT_ENTRIES]
    toolkit = office.create("com.sun.star.awt.Toolkit")
    deadline = time.monotonic() + 10
    while not set(wanted) <= set(items := a11y.popup_items(toolkit)):
        if time.monotonic() > deadline:
            raise AssertionError(f"the Plume submenu does not show {wanted}: {items}")
        time.sleep(0.1)
    return wanted


def menu_bar_titles(language: str) -> dict[str, str]:
    """Plume's menu-bar entries and their titles in ``language``, as Addons.xcu declares them."""
    oor, xml = "{http://openoffice.org/2001/registry}", "{http://www.w3.org/XML/1998/namespace}"
    titles = {}
    for node in ElementTree.parse(ADDONS).getroot().iter("node"):
        for prop in node.findall("prop"):
            if prop.get(f"{oor}name") == "Title":
                value = next(v for v in prop.findall("value") if v.get(f"{xml}lang") == language)
                titles[str(node.get(f"{oor}name"))] = (value.text or "").replace("~", "")
    return titles
