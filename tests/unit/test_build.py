"""build.py's own checks fail loudly, and the generated settings schema matches the core's
settings dataclass (one definition, two renderings)."""

from __future__ import annotations

import shutil
from pathlib import Path
from xml.etree import ElementTree

import pytest

import build
from plume.settings import SETTING_FIELDS
from plume_build.config import XS_TYPES, xcu_value

OOR = "{http://openoffice.org/2001/registry}"


@pytest.fixture
def staged(tmp_path: Path) -> Path:
    out = tmp_path / "oxt"
    build.stage(out)
    build.generate_config(out)
    return out


def test_a_clean_stage_passes_every_check(staged: Path) -> None:
    build.check_version()
    build.check_basic(staged)
    build.check_manifest(staged)
    build.check_implementations(staged)


def test_a_missing_manifest_entry_fails(staged: Path) -> None:
    (staged / "registry" / "Addons.xcu").unlink()
    with pytest.raises(build.BuildError, match=r"registry/Addons\.xcu"):
        build.check_manifest(staged)


def test_the_basic_library_is_written_as_libreoffice_reads_it(staged: Path) -> None:
    source = (build.ROOT / "extension" / "basic" / "PlumeMenu" / "ContextMenu.bas").read_text(encoding="utf-8")
    build.check_basic(staged)
    library = staged / "basic" / "PlumeMenu"
    assert not list(library.glob("*.bas")), "sources are not shipped"
    module = ElementTree.parse(library / "ContextMenu.xba").getroot()
    assert module.get("{http://openoffice.org/2000/script}name") == "ContextMenu"
    assert module.text == source, "the module's code survives XML escaping unchanged"
    index = ElementTree.parse(library / "script.xlb").getroot()
    assert [e.get("{http://openoffice.org/2000/library}name") for e in index] == ["ContextMenu"]
    assert ElementTree.parse(library / "dialog.xlb").getroot().get("{http://openoffice.org/2000/library}name") == "PlumeMenu"


def test_an_event_bound_to_a_missing_macro_fails(staged: Path) -> None:
    xcu = staged / "registry" / "Events.xcu"
    xcu.write_text(xcu.read_text().replace("RegisterInterceptor", "RegisterInterceptr"))
    with pytest.raises(build.BuildError, match="RegisterInterceptr"):
        build.check_basic(staged)


def test_an_unregistered_implementation_in_a_registry_file_fails(staged: Path) -> None:
    xcu = staged / "registry" / "ProtocolHandler.xcu"
    xcu.write_text(xcu.read_text().replace("org.plume.assistant.ProtocolHandler", "org.plume.assistant.Missing"))
    with pytest.raises(build.BuildError, match="Missing"):
        build.check_implementations(staged)


def test_a_registered_class_that_does_not_exist_fails(staged: Path) -> None:
    component = staged / "plume_component.py"
    component.write_text(component.read_text().replace('"ProtocolHandler"), ids.', '"Ghost"), ids.'))
    with pytest.raises(build.BuildError, match="Ghost"):
        build.check_implementations(staged)


def test_generated_schema_and_defaults_match_the_settings(staged: Path) -> None:
    schema = ElementTree.parse(staged / "config" / "PlumeSettings.xcs").getroot()
    declared = {p.get(f"{OOR}name"): p.get(f"{OOR}type") for p in schema.iter("prop")}
    assert declared == {f.name: XS_TYPES[f.type] for f in SETTING_FIELDS}
    # Defaults in the schema: a data file would override an administrator's unlocked values.
    values = {p.get(f"{OOR}name"): p.findtext("value") for p in schema.iter("prop")}
    assert values == {f.name: xcu_value(f.default) for f in SETTING_FIELDS}
    assert not (staged / "config" / "PlumeSettings.xcu").exists()


def test_the_stage_holds_no_bytecode_and_both_packages(staged: Path) -> None:
    assert not list(staged.rglob("__pycache__"))
    assert (staged / "pythonpath" / "plume" / "__init__.py").exists()
    assert (staged / "pythonpath" / "plume_lo" / "commands.py").exists()
    shutil.rmtree(staged)
