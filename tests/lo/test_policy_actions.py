"""IT's actions on a real LibreOffice: a layer written by ``build.py policy --actions`` gives
every user the actions, read-only, and their entries in Plume's menu next to the extension's
own, whether LibreOffice reads that layer before the extension (a policy dropped into
share/registry, next to LibreOffice's own main.xcd that defines the menus' schema) or after
it (/etc/libreoffice/registry). Nothing is written to the installation: share/registry is a
copy read in place of LibreOffice's own."""

from __future__ import annotations

import json
import os
import shutil
import string
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from harness.office import PROGRAM, Office, install_extension, props, throwaway_profile

import build

MENU = "/org.openoffice.Office.Addons/AddonUI/OfficeMenuBar/org.plume.assistant.menu"
EXAMPLE = build.ROOT / "docs" / "examples" / "actions.toml"


@pytest.fixture(scope="module")
def policy(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("it-actions") / "plume-policy.xcd"
    result = subprocess.run(
        [sys.executable, "build.py", "policy", "--actions", str(EXAMPLE), "-o", str(path)],
        capture_output=True, text=True, cwd=build.ROOT, timeout=120,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    return path


@pytest.fixture(scope="module", params=["in share/registry", "read last"])
def it_office(request: pytest.FixtureRequest, oxt: Path, policy: Path, log_dir: Path) -> Iterator[Office]:
    """share/registry: a copy of LibreOffice's own folder with the policy beside main.xcd, read
    before the extension; read last: a folder read after the extensions (/etc/libreoffice/registry)."""
    shared = request.param == "in share/registry"
    with tempfile.TemporaryDirectory(prefix="plume-it-layer-") as name:
        folder = Path(name) / "registry"
        if shared:
            shutil.copytree(PROGRAM.parent / "share" / "registry", folder)
        else:
            folder.mkdir()
        shutil.copy2(policy, folder / (_listed_before_main(folder) if shared else policy.name))
        subprocess.run(["chmod", "-R", "a+rX", name], check=True)
        with throwaway_profile() as profile:
            install_extension(oxt, profile)
            log = log_dir / f"soffice-it-actions-{'shared' if shared else 'last'}.log"
            with Office(profile, log, admin_layer=folder, in_share_registry=shared) as running:
                yield running


def _listed_before_main(folder: Path) -> str:
    """A policy file name the directory lists before main.xcd (LibreOffice reads .xcd files in
    directory order): read there, its menu entries are kept only because the layer declares
    that it depends on main.xcd, where the menus' schema is. Any name if none is found."""
    for letter in string.ascii_lowercase:
        name = f"{letter}-plume-policy.xcd"
        (folder / name).touch()
        listed = os.listdir(folder)
        (folder / name).unlink()
        if listed.index(name) < listed.index("main.xcd"):
            return name
    return "plume-policy.xcd"


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
    stop = next(n for n in names if n.endswith("-stop"))
    assert any(n.endswith("-summarize") for n in names) and any(n.endswith("-settings") for n in names), names
    it_entries = [n for n in names if n.startswith("m80-")]
    urls = [submenu.getByName(n).getByName("URL") for n in it_entries]
    assert urls == ["plume:run?action=it-reclamation", "plume:run?action=it-arrete", "plume:run?action=it-conseil"]
    assert names.index(it_entries[-1]) < names.index(stop), "after Plume's own actions, before Stop"
    assert max(n for n in names if n < "m80") < it_entries[0], "after Plume's own actions"
    # LibreOffice's own reading of the menu: the entry point the menu bar is built from.
    title = submenu.getByName(it_entries[0]).getByName("Title")
    assert title in ("Répondre à une réclamation", "Answer a complaint"), title
