"""Platform targets and update feeds, without network: the native-file check refuses a
package mixing platforms or Pythons, description.xml names the platform and the feed, and
the feed names the package."""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree

import pytest

import build
from plume.installation import MINIMUM_LIBREOFFICE
from plume_build import update
from plume_build.targets import TARGETS, PlatformMismatch, check_native_files

D = "{http://openoffice.org/extensions/description/2006}"
U = "{http://openoffice.org/extensions/update/2006}"
XLINK = "{http://www.w3.org/1999/xlink}href"


def _tree(root: Path, *files: str) -> Path:
    for name in files:
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_bytes(b"")
    return root


def test_a_windows_package_holds_windows_files_for_its_python(tmp_path: Path) -> None:
    good = _tree(tmp_path / "ok", "numpy/_core/_multiarray.cp312-win_amd64.pyd", "numpy.libs/msvcp140.dll", "httpx/_api.py")
    assert [p.name for p in check_native_files(good, TARGETS["windows-x86_64"], "3.12")] == [
        "_multiarray.cp312-win_amd64.pyd",
        "msvcp140.dll",
    ]
    with pytest.raises(PlatformMismatch, match="another platform"):
        check_native_files(
            _tree(tmp_path / "linux", "pydantic_core/_core.cpython-311-x86_64-linux-gnu.so"), TARGETS["windows-x86_64"], "3.12"
        )
    with pytest.raises(PlatformMismatch, match=r"Python 3\.11, not 3\.12"):
        check_native_files(_tree(tmp_path / "old", "pydantic_core/_core.cp311-win_amd64.pyd"), TARGETS["windows-x86_64"], "3.12")


def test_a_linux_package_refuses_windows_files(tmp_path: Path) -> None:
    linux = TARGETS["linux-x86_64"]
    ok = _tree(
        tmp_path / "ok", "numpy.libs/libgfortran-040039e1.so.5.0.0", "x/_core.cpython-311-x86_64-linux-gnu.so", "y/_r.abi3.so"
    )
    assert len(check_native_files(ok, linux, "3.11")) == 3
    with pytest.raises(PlatformMismatch):
        check_native_files(_tree(tmp_path / "mixed", "a/_c.cpython-311-x86_64-linux-gnu.so", "b/lib.dll"), linux, "3.11")


def test_the_staged_description_names_the_platform_and_the_feed(tmp_path: Path) -> None:
    out = tmp_path / "oxt"
    build.stage(out)
    build.stage_description(out, TARGETS["windows-x86_64"], "https://intranet.example/plume/", "-translation")
    root = ElementTree.parse(out / "description.xml").getroot()
    assert root.find(f"{D}platform").get("value") == "windows_x86_64"  # type: ignore[union-attr]
    src = root.find(f"{D}update-information/{D}src")
    assert src is not None and src.get(XLINK) == "https://intranet.example/plume/plume-update-windows-x86_64-translation.xml"


def test_the_update_feed_names_the_same_extension_version_and_the_download() -> None:
    description = update.with_platform((build.ROOT / "description.xml").read_text(encoding="utf-8"), "linux_x86_64")
    feed = ElementTree.fromstring(update.update_feed(description, "https://intranet.example/plume/plume-0.1.0-linux-x86_64.oxt"))
    assert feed.tag == f"{U}description"
    assert feed.find(f"{U}identifier").get("value") == "org.plume.assistant"  # type: ignore[union-attr]
    assert feed.find(f"{U}version").get("value") == build.__version__  # type: ignore[union-attr]
    assert feed.find(f"{U}platform").get("value") == "linux_x86_64"  # type: ignore[union-attr]
    assert feed.find(f"{U}update-download/{U}src").get(XLINK).endswith("plume-0.1.0-linux-x86_64.oxt")  # type: ignore[union-attr]
    again = update.with_update_information(update.with_update_information(description, "https://a/f.xml"), "https://b/f.xml")
    assert again.count("<update-information>") == 1 and "https://b/f.xml" in again


def test_the_minimum_libreoffice_the_doctor_checks_is_the_one_description_xml_declares() -> None:
    root = ElementTree.parse(build.ROOT / "description.xml").getroot()
    declared = next(e.get("value") for e in root.iter() if e.tag.endswith("LibreOffice-minimal-version"))
    assert tuple(int(n) for n in str(declared).split(".")) == MINIMUM_LIBREOFFICE


def test_language_packages_need_the_translation_runtime(tmp_path: Path) -> None:
    with pytest.raises(build.BuildError, match="--with-translation"):
        build.build(vendor_deps=False, argos_models=tmp_path)
    with pytest.raises(build.BuildError, match="unknown target"):
        build.build(vendor_deps=False, target_name="macos-aarch64")


@pytest.mark.parametrize(
    "arguments",
    [
        ["--target", "windows-x86_64", "--libreoffice-python", "/usr/bin/python3"],
        ["--target", "linux-x86_64", "--python-version", "3.12"],
        ["--target", "windows-x86_64", "--python-version", "twelve"],
    ],
)
def test_options_that_would_mix_platforms_are_refused(arguments: list[str]) -> None:
    with pytest.raises(SystemExit):
        build.main([*arguments, "--no-vendor"])


def test_the_core_names_the_extension_and_its_settings_as_the_adapter_does() -> None:
    from plume import installation
    from plume_lo import ids

    assert installation.EXTENSION_ID == ids.EXTENSION_ID
    assert (installation.CONFIG_PACKAGE, installation.CONFIG_COMPONENT) == (ids.CONFIG_PACKAGE, ids.CONFIG_COMPONENT)
