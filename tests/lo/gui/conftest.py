"""A visible LibreOffice on a virtual display (Xvfb), with the built .oxt installed."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from harness.display import virtual_display
from harness.office import Office, install_extension, throwaway_profile


@pytest.fixture(scope="session")
def display() -> Iterator[str]:
    with virtual_display() as value:
        yield value


@pytest.fixture(scope="session")
def gui_office(oxt: Path, display: str, log_dir: Path, llama_url: str) -> Iterator[Office]:
    with throwaway_profile() as profile:
        install_extension(oxt, profile)
        env = {"DISPLAY": display, "SAL_USE_VCLPLUGIN": "gen"}
        with Office(profile, log_dir / "soffice-gui.log", env=env, headless=False) as running:
            running.set_config("/org.openoffice.Office.Common/Misc", ShowTipOfTheDay=False)  # a modal dialog otherwise
            running.configure(backend="openai", base_url=llama_url, model="smollm2", max_output_tokens=64, context_window=2048)
            yield running
