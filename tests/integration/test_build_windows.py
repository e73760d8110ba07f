"""A Windows package built on this Linux machine (wheels from the package registry): every
wheel is for Windows x86-64 and the Python Windows LibreOffice bundles, nothing is for
another platform, and its description says so."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path
from xml.etree import ElementTree

import build
from plume_build.targets import WINDOWS_LIBREOFFICE_PYTHON, wheel_tags

PY = "cp" + WINDOWS_LIBREOFFICE_PYTHON.replace(".", "")


def test_a_windows_build_holds_only_windows_wheels_for_its_python() -> None:
    result = subprocess.run(
        [sys.executable, "build.py", "--target", "windows-x86_64", "--with-translation", "--update-base", "https://intranet.example/plume"],
        capture_output=True, text=True, cwd=build.ROOT, timeout=900,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    oxt = build.ROOT / result.stdout.split()[0]
    assert oxt.name == f"plume-{build.__version__}-windows-x86_64-translation.oxt" and "MB" in result.stdout
    stage = build.ROOT / "build" / "oxt-windows-x86_64-translation"
    tags = wheel_tags(stage / "pythonpath")
    assert {"pydantic_core", "numpy", "ctranslate2", "onnxruntime", "httpx"} <= set(tags)
    for distribution, wheel in tags.items():
        assert wheel and all(
            t.endswith("-none-any") or (t.endswith("-win_amd64") and (t.startswith(f"{PY}-{PY}-") or "-abi3-" in t))
            for t in wheel
        ), (distribution, wheel)
    with zipfile.ZipFile(oxt) as archive:
        names = archive.namelist()
        description = ElementTree.fromstring(archive.read("description.xml"))
    assert not [n for n in names if n.endswith(".so") or ".so." in n.rsplit("/", 1)[-1] or n.endswith(".dylib")]
    assert any(n.endswith(f".{PY}-win_amd64.pyd") for n in names)
    platform = description.find("{http://openoffice.org/extensions/description/2006}platform")
    assert platform is not None and platform.get("value") == "windows_x86_64"
    feed = build.ROOT / "dist" / "plume-update-windows-x86_64-translation.xml"
    assert oxt.name in feed.read_text(encoding="utf-8")


def test_language_packages_are_bundled_and_found_as_shared(argos_packages: dict[str, Path], tmp_path: Path) -> None:
    models = tmp_path / "models"
    models.mkdir()
    (models / "translate-fr_en.argosmodel").write_bytes(argos_packages["fr_en"].read_bytes())
    result = subprocess.run(
        [sys.executable, "build.py", "--with-translation", "--no-vendor", "--argos-models", str(models), "--output-dir", str(tmp_path)],
        capture_output=True, text=True, cwd=build.ROOT, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    with zipfile.ZipFile(build.ROOT / result.stdout.split()[0]) as archive:
        assert any(n.startswith("languages/") and n.endswith("/metadata.json") for n in archive.namelist())
    stage = tmp_path / "stage" / "oxt-linux-x86_64-translation"
    probe = "from plume.settings import Settings; from plume.translation.service import shared_dirs; print(shared_dirs(Settings())[-1])"
    found = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, env={"PYTHONPATH": str(stage / "pythonpath")}
    )
    assert Path(found.stdout.strip()) == stage / "languages", found.stderr
