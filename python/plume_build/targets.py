"""The LibreOffice installations a package can be built for. A package holds compiled wheels
(pydantic-core, and with translation CTranslate2, ONNX Runtime, NumPy), so it runs on one
platform and one Python version only: the package says so in ``description.xml`` (LibreOffice
then refuses it elsewhere) and :func:`check_native_files` refuses a stage holding anything
built for another platform or Python.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

# Windows LibreOffice bundles its own Python: 3.12 (LibreOffice core's download.lst pins
# Python-3.12.12 from the 26.2 cycle on; build.py --python-version overrides it). Linux
# packages of LibreOffice use the system Python.
WINDOWS_LIBREOFFICE_PYTHON = "3.12"


@dataclass(frozen=True)
class Target:
    name: str  # the --target value and the package's file-name suffix
    oxt_platform: str  # description.xml <platform>: LibreOffice installs the package nowhere else
    wheel_platforms: tuple[str, ...]  # pip --platform values: every tag this platform accepts
    python_version: str  # "" when it is read from the LibreOffice Python given at build time
    native: re.Pattern[str]  # compiled files that belong to this platform
    foreign: re.Pattern[str]  # compiled files for any other platform
    extension_module: re.Pattern[str]  # a Python extension module's name, group 1 = Python version ("311")


TARGETS: dict[str, Target] = {
    "linux-x86_64": Target(
        name="linux-x86_64",
        oxt_platform="linux_x86_64",
        # glibc 2.28 and later (Debian 10, Ubuntu 20.04, RHEL 8): pip does not infer older tags.
        wheel_platforms=(
            *(f"manylinux_2_{minor}_x86_64" for minor in (28, 27, 26, 24, 17, 12, 5)),
            *("manylinux2014_x86_64", "manylinux2010_x86_64", "manylinux1_x86_64"),
        ),
        python_version="",
        native=re.compile(r"\.so(\.[\d.]+)?$"),
        foreign=re.compile(r"\.(pyd|dll|dylib|exe)$", re.IGNORECASE),
        extension_module=re.compile(r"\.cpython-(\d+)-x86_64-linux-gnu\.so$"),
    ),
    "windows-x86_64": Target(
        name="windows-x86_64",
        oxt_platform="windows_x86_64",
        wheel_platforms=("win_amd64",),
        python_version=WINDOWS_LIBREOFFICE_PYTHON,
        native=re.compile(r"\.(pyd|dll)$", re.IGNORECASE),
        foreign=re.compile(r"\.(so(\.[\d.]+)?|dylib)$"),
        extension_module=re.compile(r"\.cp(\d+)-win_amd64\.pyd$", re.IGNORECASE),
    ),
}
HOST_TARGET = "linux-x86_64"  # the machine this project builds and tests on (Debian, x86-64)


class PlatformMismatch(Exception):
    pass


def check_native_files(pythonpath: Path, target: Target, python_version: str) -> list[Path]:
    """The compiled files under ``pythonpath``; raises :class:`PlatformMismatch` if one was
    built for another platform or another Python than ``python_version`` ("3.12")."""
    wanted = python_version.replace(".", "")
    native: list[Path] = []
    problems: list[str] = []
    for path in sorted(p for p in pythonpath.rglob("*") if p.is_file()):
        relative = path.relative_to(pythonpath).as_posix()
        if target.foreign.search(path.name):
            problems.append(f"{relative} is built for another platform")
            continue
        if not target.native.search(path.name):
            continue
        module = target.extension_module.search(path.name)
        if module and module.group(1) != wanted:
            problems.append(f"{relative} is built for Python {module.group(1)[0]}.{module.group(1)[1:]}, not {python_version}")
        native.append(path)
    if problems:
        raise PlatformMismatch(f"the package would mix platforms for {target.name}: " + "; ".join(problems[:10]))
    return native


def wheel_tags(pythonpath: Path) -> dict[str, list[str]]:
    """{distribution: its wheel tags} from the ``*.dist-info/WHEEL`` files pip installed."""
    tags: dict[str, list[str]] = {}
    for wheel in sorted(pythonpath.glob("*.dist-info/WHEEL")):
        lines = wheel.read_text(encoding="utf-8").splitlines()
        tags[wheel.parent.name.split("-")[0]] = [line.split(":", 1)[1].strip() for line in lines if line.startswith("Tag:")]
    return tags
