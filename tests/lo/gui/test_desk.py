"""The reception-desk translator in a visible LibreOffice under Xvfb: opened with no
document, operated from the keyboard and through the accessibility tree, with real (tiny)
Argos packages. Screenshots go to test-artifacts/."""

from __future__ import annotations

import shutil
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from harness import a11y, menus
from harness.display import screenshot
from harness.office import Office

TITLE = "Plume — Reception translator"
ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


@pytest.fixture
def desk(gui_office: Office, shared_languages: Path) -> Iterator[Any]:
    gui_office.configure(language_packages_dir=str(shared_languages), translate_target="en")
    for component in list(_components(gui_office)):
        component.close(True)  # no document open: the desk must not need one
    helper = gui_office.create("com.sun.star.frame.DispatchHelper")
    helper.executeDispatch(gui_office.desktop, "plume:desk", "", 0, ())
    window = _desk_window(gui_office)
    yield window
    log = gui_office.profile / "user" / "plume" / "plume.log"
    if log.exists():  # Plume's own log (never any text typed), kept for diagnosis
        shutil.copy2(log, ARTIFACTS / "plume-gui.log")
    still_open = _find_desk(gui_office)  # the test may have closed and reopened it
    if still_open is not None:
        a11y.press(a11y.find(still_open, "PUSH_BUTTON", "Close"))
    _wait_closed(gui_office)
    gui_office.configure(language_packages_dir="")


def _components(office: Office) -> Iterator[Any]:
    enum = office.desktop.getComponents().createEnumeration()
    while enum.hasMoreElements():
        yield enum.nextElement()


def _find_desk(office: Office) -> Any:
    return a11y.top_window(office.create("com.sun.star.awt.Toolkit"), TITLE, exact=True)


def _desk_window(office: Office, timeout: float = 20.0) -> Any:
    deadline = time.monotonic() + timeout
    while (window := _find_desk(office)) is None:
        if time.monotonic() > deadline:
            raise LookupError("the desk window did not open")
        time.sleep(0.2)
    return window


def _wait_closed(office: Office, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while _find_desk(office) is not None:
        if time.monotonic() > deadline:
            raise TimeoutError("the desk window did not close")
        time.sleep(0.1)


def _panes(window: Any) -> list[Any]:
    """The agent's and the visitor's text boxes (the dialog's own text children, not the
    language pickers' entry fields); each is named after its side, for screen readers."""
    context = window.getAccessibleContext()
    children = [context.getAccessibleChild(i).getAccessibleContext() for i in range(context.getAccessibleChildCount())]
    panes = [c for c in children if c.getAccessibleRole() == a11y.ROLE["TEXT"]]
    assert [p.getAccessibleName() for p in panes] == ["Agent", "Visitor"]
    return panes


def _focus(pane: Any, timeout: float = 10.0) -> None:
    """Give ``pane`` the keyboard focus and wait until it has it: keys typed before that are lost."""
    import uno

    focused = uno.getConstantByName("com.sun.star.accessibility.AccessibleStateType.FOCUSED")
    pane.grabFocus()
    deadline = time.monotonic() + timeout
    while not pane.getAccessibleStateSet() & focused:
        if time.monotonic() > deadline:
            raise TimeoutError("the pane did not get the focus")
        time.sleep(0.05)
    time.sleep(0.2)  # the X server delivers focus to the top window a moment later


def _wait_text(pane: Any, timeout: float = 20.0) -> str:
    deadline = time.monotonic() + timeout
    while not str(pane.getText()).strip():
        if time.monotonic() > deadline:
            raise TimeoutError("no translation appeared")
        time.sleep(0.1)
    return str(pane.getText())


def test_typing_then_enter_translates_into_the_other_pane(desk: Any, display: str, log_dir: Path) -> None:
    agent, visitor = _panes(desk)
    _focus(agent)
    menus.keys(display, "Return", text="Bonjour madame. Voici votre dossier.")
    screenshot(display, log_dir / "desk-typed.png")
    assert _wait_text(visitor).strip()
    assert "Bonjour" in str(agent.getText())
    screenshot(display, log_dir / "desk-translated.png")


def test_the_visitor_side_translates_back_and_swap_exchanges_texts(desk: Any, display: str) -> None:
    agent, visitor = _panes(desk)
    _focus(visitor)
    menus.keys(display, text="Hello, I need a form.")  # the visitor's language (English) into the agent's (French)
    a11y.press(a11y.find(desk, "PUSH_BUTTON", "Translate (Enter)"))
    screenshot(display, ARTIFACTS / "desk-visitor.png")
    agent_text = _wait_text(agent)
    a11y.press(a11y.find(desk, "PUSH_BUTTON", "⇄ Swap"))
    agent, visitor = _panes(desk)
    assert str(visitor.getText()) == agent_text and str(agent.getText()) == "Hello, I need a form."


def test_clear_and_close_forget_everything(gui_office: Office, desk: Any, display: str) -> None:
    agent, visitor = _panes(desk)
    _focus(agent)
    menus.keys(display, "Return", text="Bonjour.")
    _wait_text(visitor)
    a11y.press(a11y.find(desk, "PUSH_BUTTON", "Clear"))
    assert [str(p.getText()) for p in _panes(desk)] == ["", ""]
    _focus(_panes(desk)[0])
    menus.keys(display, text="Un texte confidentiel.")
    a11y.press(a11y.find(desk, "PUSH_BUTTON", "Close"))
    _wait_closed(gui_office)
    gui_office.create("com.sun.star.frame.DispatchHelper").executeDispatch(gui_office.desktop, "plume:desk", "", 0, ())
    reopened = _desk_window(gui_office)
    assert [str(p.getText()) for p in _panes(reopened)] == ["", ""], "nothing typed survives closing"


def test_every_control_is_reachable_and_the_large_font_switch_works(desk: Any, display: str, log_dir: Path) -> None:
    for name in ("Translate (Enter)", "Copy the translation", "Clear", "Close", "⇄ Swap"):
        a11y.find(desk, "PUSH_BUTTON", name, timeout=5)
    large = next(c for c in a11y.walk(desk.getAccessibleContext()) if c.getAccessibleName().replace("~", "") == "Large text")
    large.doAccessibleAction(0)
    screenshot(display, log_dir / "desk-large.png")
