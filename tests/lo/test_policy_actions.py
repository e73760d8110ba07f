"""IT's actions on a real LibreOffice: a layer written by ``build.py policy --actions`` gives
every user the actions, read-only, and their entries in Plume's menu next to the extension's
own, whether LibreOffice reads that layer before the extension (a policy dropped into
share/registry) or after it (/etc/libreoffice/registry)."""

from __future__ import annotations

import json
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from harness.office import Office, install_extension, props, throwaway_profile

import build

MENU = "/org.openoffice.Office.Addons/AddonUI/OfficeMenuBar/org.plume.assistant.menu"
EXAMPLE = build.ROOT / "docs" / "examples" / "actions.toml"


@pytest.fixture(scope="module")
def policy_folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("it-actions-layer")
    result = subprocess.run(
        [sys.executable, "build.py", "policy", "--actions", str(EXAMPLE), "-o", str(folder / "plume-policy.xcd")],
        capture_output=True, text=True, cwd=build.ROOT, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    folder.chmod(0o755)
    return folder


@pytest.fixture(scope="module", params=["policy read first", "policy read last"])
def it_office(request: pytest.FixtureRequest, oxt: Path, policy_folder: Path, log_dir: Path) -> Iterator[Office]:
    first = request.param == "policy read first"
    with throwaway_profile() as profile:
        install_extension(oxt, profile)
        log = log_dir / f"soffice-it-actions-{'first' if first else 'last'}.log"
        with Office(profile, log, admin_layer=policy_folder, admin_first=first) as running:
            yield running


def _node(office: Office, path: str) -> Any:
    provider = office.create("com.sun.star.configuration.ConfigurationProvider")
    return provider.createInstanceWithArguments("com.sun.star.configuration.ConfigurationAccess", props(nodepath=path))


def test_it_actions_are_read_only_for_the_user(it_office: Office) -> None:
    stored = _node(it_office, "/org.plume.Settings/General").getByName("policy_actions")
    assert [a["id"] for a in json.loads(stored)] == ["reclamation", "arrete", "conseil"]
    with pytest.raises(Exception):  # noqa: B017  (LibreOffice refuses a finalized value with a UNO exception)
        it_office.configure(policy_actions="[]")
    assert _node(it_office, "/org.plume.Settings/General").getByName("policy_actions") == stored
    # What the Options page and the doctor read to grey the control and report the policy.
    from com.sun.star.beans.PropertyAttribute import READONLY

    provider = it_office.create("com.sun.star.configuration.ConfigurationProvider")
    writer = provider.createInstanceWithArguments(
        "com.sun.star.configuration.ConfigurationUpdateAccess", props(nodepath="/org.plume.Settings/General")
    )
    info = writer.getPropertySetInfo()
    assert info.getPropertyByName("policy_actions").Attributes & READONLY
    assert not info.getPropertyByName("model").Attributes & READONLY


def test_it_actions_are_in_the_plume_menu_with_the_extensions_own(it_office: Office) -> None:
    menu = _node(it_office, MENU)
    assert menu.getByName("Title"), "the extension's own title is still there"
    submenu = menu.getByName("Submenu")
    names = sorted(submenu.getElementNames())
    assert "m00-summarize" in names and "m07-settings" in names, names
    it_entries = [n for n in names if n.startswith("m04d-")]
    urls = [submenu.getByName(n).getByName("URL") for n in it_entries]
    assert urls == ["plume:run?action=it-reclamation", "plume:run?action=it-arrete", "plume:run?action=it-conseil"]
    assert names.index(it_entries[-1]) < names.index("m05-stop"), "after the rewrites, before Stop"
    # LibreOffice's own reading of the menu: the entry point the menu bar is built from.
    title = submenu.getByName(it_entries[0]).getByName("Title")
    assert title in ("Répondre à une réclamation", "Answer a complaint"), title
