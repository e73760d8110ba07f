"""Tools > Options > Plume driven through the page's own code: the page window is built from
the installed .xdl by LibreOffice's ContainerWindowProvider and driven through the handler,
as the Options dialog does."""

from __future__ import annotations

import time
from typing import Any

from harness.office import Office

PAGE_URL = "vnd.sun.star.extension://org.plume.assistant/dialogs/options.xdl"


class OptionsPage:
    def __init__(self, office: Office, parent_doc: Any) -> None:
        self.office = office
        self.handler = office.create("org.plume.assistant.OptionsHandler")
        provider = office.create("com.sun.star.awt.ContainerWindowProvider")
        parent = parent_doc.getCurrentController().getFrame().getContainerWindow()
        self.window = provider.createContainerWindow(PAGE_URL, "", parent, self.handler)
        self.event("initialize")

    def event(self, name: str) -> None:
        assert self.handler.callHandlerMethod(self.window, name, "external_event")

    def control(self, name: str) -> Any:
        return self.window.getControl(name)

    def wait_for_checks(self, timeout: float = 60.0, at_least: int = 1) -> list[str]:
        """The lines "Test connection" wrote, once every one says OK or FAIL."""
        deadline = time.monotonic() + timeout
        lines: list[str] = []
        while time.monotonic() < deadline:
            lines = self.control("test_result").getText().splitlines()
            if len(lines) >= at_least and all(line[:4] in ("OK  ", "FAIL") for line in lines):
                return lines
            time.sleep(0.1)
        raise AssertionError(f"the checks did not finish: {lines}")
