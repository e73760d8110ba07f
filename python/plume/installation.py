"""Checks of the installation itself, next to the server checks of :mod:`plume.doctor`:
LibreOffice's and Python's versions, where the extension is registered, the offline
translation runtime and its language pairs, and the administrator's policy.

The adapter gives these functions what LibreOffice says about itself (its version, the
extension's location, the finalized settings). The command line, outside LibreOffice, finds
the installation on disk (:func:`office_program_dir`) and asks its tools: ``soffice
--version``, ``unopkg list``, and the policy files in ``share/registry``.
"""

from __future__ import annotations

import importlib.util
import os
import re
import shutil
import subprocess
import sys
from collections.abc import Iterable, Mapping
from pathlib import Path
from xml.etree import ElementTree

from .doctor import Check
from .translation.packages import PackageFolders

EXTENSION_ID = "org.plume.assistant"
MINIMUM_LIBREOFFICE = (25, 2)  # description.xml's LibreOffice-minimal-version (a build test keeps them equal)
MINIMUM_PYTHON = (3, 11)
OOR = "{http://openoffice.org/2001/registry}"
CONFIG_PACKAGE, CONFIG_COMPONENT = "org.plume", "Settings"


def python_check(version: tuple[int, ...] = tuple(sys.version_info[:3])) -> Check:
    shown = ".".join(map(str, version))
    if tuple(version[:2]) >= MINIMUM_PYTHON:
        return Check("python", True, shown)
    need = ".".join(map(str, MINIMUM_PYTHON))
    return Check("python", False, f"{shown} is older than {need}", f"update LibreOffice (its Python must be {need} or later)")


def libreoffice_check(version: str | None) -> Check:
    """``version`` as LibreOffice reports it ("25.2.3.2"), None when it could not be found."""
    need = ".".join(map(str, MINIMUM_LIBREOFFICE))
    if not version:
        return Check(
            "libreoffice",
            False,
            "not found",
            f"install LibreOffice {need} or later, or set PLUME_OFFICE_PROGRAM to its program folder",
        )
    numbers = tuple(int(n) for n in re.findall(r"\d+", version)[:2])
    if numbers >= MINIMUM_LIBREOFFICE:
        return Check("libreoffice", True, version)
    return Check("libreoffice", False, f"{version} is older than {need}", f"install LibreOffice {need} or later")


def registration_check(scopes: Iterable[str]) -> Check:
    """``scopes``: where the extension is registered ("shared", "user", "bundled")."""
    found = sorted(set(scopes))
    if not found:
        return Check(
            "extension",
            False,
            f"{EXTENSION_ID} is not registered",
            "install the .oxt: unopkg add --shared plume-<version>-<platform>.oxt (as administrator)",
        )
    detail = f"{EXTENSION_ID} registered ({', '.join(found)})"
    if "shared" in found and "user" in found:
        # The user's copy wins and is not updated with the shared one.
        return Check("extension", False, detail + ": two copies", "remove the user's copy: Tools > Extensions, or unopkg remove")
    return Check("extension", True, detail)


def translation_runtime_available() -> bool:
    return all(importlib.util.find_spec(name) is not None for name in ("argostranslate", "ctranslate2"))


def translation_check(folders: PackageFolders, runtime: bool) -> Check:
    if not runtime:
        return Check("translation", True, "offline translation is not part of this build (build.py --with-translation adds it)")
    active = sorted(folders.active().values(), key=lambda p: p.pair)
    if not active:
        where = "; ".join(str(f) for f in folders.shared) or str(folders.personal)
        return Check(
            "translation", False, "no language package installed", f"copy .argosmodel packages into {where} (or Options > Plume)"
        )
    pairs = ", ".join(f"{p.source}->{p.target} ({p.origin})" for p in active)
    return Check("translation", True, pairs)


def policy_check(locked: Iterable[str], sources: Iterable[str] = ()) -> Check:
    names = sorted(set(locked))
    origin = f" by {', '.join(sources)}" if sources else ""
    if not names:
        return Check("policy", True, "no setting locked by an administrator")
    return Check("policy", True, f"{len(names)} setting(s) locked{origin}: {', '.join(names)}")


# Outside LibreOffice: find the installation and ask its own tools.


def office_program_dir(environ: Mapping[str, str] | None = None) -> Path | None:
    """LibreOffice's ``program`` folder: ``PLUME_OFFICE_PROGRAM``, else where ``soffice`` is on
    the PATH, else the default install folder on Windows."""
    environ = os.environ if environ is None else environ
    candidates: list[Path] = []
    if environ.get("PLUME_OFFICE_PROGRAM"):
        candidates.append(Path(environ["PLUME_OFFICE_PROGRAM"]))
    found = shutil.which("soffice", path=environ.get("PATH"))
    if found:
        candidates.append(Path(found).resolve().parent)
    if sys.platform == "win32":
        candidates.append(Path(environ.get("ProgramFiles", r"C:\Program Files")) / "LibreOffice" / "program")
    return next((c for c in candidates if (c / _executable("soffice")).exists()), None)


def _executable(name: str) -> str:
    return name + (".exe" if sys.platform == "win32" else "")


def office_version(program: Path, timeout: float = 30.0) -> str | None:
    try:
        result = subprocess.run(
            [str(program / _executable("soffice")), "--version"], capture_output=True, text=True, timeout=timeout
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    match = re.search(r"LibreOffice\S*\s+(\d+(?:\.\d+)+)", result.stdout)
    return match.group(1) if match else None


def office_registrations(program: Path, timeout: float = 120.0) -> list[str]:
    """Where ``unopkg list`` finds the extension: "shared" (every user of the machine), "user"
    (the current user's profile; unopkg refuses to read it as root)."""
    scopes: list[str] = []
    options = [("shared", ["--shared"])]
    if not (hasattr(os, "geteuid") and os.geteuid() == 0):
        options.append(("user", []))
    for scope, flags in options:
        try:
            result = subprocess.run(
                [str(program / _executable("unopkg")), "list", *flags], capture_output=True, text=True, timeout=timeout
            )
        except (OSError, subprocess.TimeoutExpired):
            continue
        if re.search(rf"Identifier:\s*{re.escape(EXTENSION_ID)}\b", result.stdout):
            scopes.append(scope)
    return scopes


def policy_files(registry_dirs: Iterable[Path]) -> dict[str, set[str]]:
    """{policy file: the Plume settings it finalizes} among the ``.xcd`` files of LibreOffice's
    administrator layers (``share/registry``, ``/etc/libreoffice/registry``)."""
    found: dict[str, set[str]] = {}
    for folder in registry_dirs:
        for path in sorted(folder.glob("*.xcd")) if folder.is_dir() else []:
            try:
                if path.stat().st_size > 5_000_000:  # LibreOffice's own main.xcd: not a policy
                    continue
                root = ElementTree.parse(path).getroot()
            except (OSError, ElementTree.ParseError):
                continue
            locked = {
                prop.get(f"{OOR}name", "")
                for data in root.iter(f"{{{OOR[1:-1]}}}component-data")
                if data.get(f"{OOR}package") == CONFIG_PACKAGE and data.get(f"{OOR}name") == CONFIG_COMPONENT
                for prop in data.iter("prop")
                if prop.get(f"{OOR}finalized") == "true"
            }
            if locked:
                found[str(path)] = locked
    return found


def registry_dirs(program: Path) -> list[Path]:
    return [program.parent / "share" / "registry", Path("/etc/libreoffice/registry")]


def command_line_checks(personal: Path, shared: tuple[Path, ...], environ: Mapping[str, str] | None = None) -> list[Check]:
    """The installation checks as the command line sees them, outside LibreOffice."""
    checks = [python_check()]
    program = office_program_dir(environ)
    checks.append(libreoffice_check(office_version(program) if program else None))
    if program is not None:
        checks.append(registration_check(office_registrations(program)))
    checks.append(translation_check(PackageFolders(personal, shared), translation_runtime_available()))
    policies = policy_files(registry_dirs(program)) if program else {}
    checks.append(policy_check({n for names in policies.values() for n in names}, [Path(p).name for p in policies]))
    return checks
