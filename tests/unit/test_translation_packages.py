"""Language packages on disk: listing, precedence, install checks, removal, routes. Package
folders here are minimal (metadata and an empty model folder): listing never loads models."""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest

from plume.errors import BadPackage, UnsupportedError
from plume.translation.argos import ArgosTranslator
from plume.translation.packages import PackageFolders


def make_folder(root: Path, source: str, target: str, version: str = "1.0") -> Path:
    folder = root / f"translate-{source}_{target}-{version.replace('.', '_')}"
    (folder / "model").mkdir(parents=True)
    (folder / "metadata.json").write_text(
        json.dumps({"type": "translate", "from_code": source, "to_code": target, "package_version": version})
    )
    return folder


def make_archive(path: Path, entries: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w") as bundle:
        for name, content in entries.items():
            bundle.writestr(name, content)
    return path


def valid_entries(top: str = "translate-fr_es-1_0") -> dict[str, str]:
    metadata = json.dumps({"type": "translate", "from_code": "fr", "to_code": "es", "package_version": "1.0"})
    return {f"{top}/metadata.json": metadata, f"{top}/model/model.bin": "x"}


def test_lists_personal_then_shared_and_skips_folders_that_are_not_packages(tmp_path: Path) -> None:
    personal, shared = tmp_path / "personal", tmp_path / "shared"
    make_folder(shared, "fr", "en")
    make_folder(shared, "en", "de")
    make_folder(personal, "fr", "en", "2.0")
    (shared / "notes").mkdir()  # IT's stray folder: no metadata.json
    (shared / "broken").mkdir()
    (shared / "broken" / "metadata.json").write_text("{not json")
    folders = PackageFolders(personal, (shared,))
    listed = [(p.pair, p.origin, p.version) for p in folders.installed()]
    assert listed == [(("fr", "en"), "personal", "2.0"), (("en", "de"), "shared", "1.0"), (("fr", "en"), "shared", "1.0")]
    assert folders.active()[("fr", "en")].origin == "personal"


def test_missing_folders_list_nothing(tmp_path: Path) -> None:
    assert PackageFolders(tmp_path / "absent", (tmp_path / "unmounted-share",)).installed() == []


def test_install_unpacks_into_the_personal_folder_and_replaces_the_same_package(tmp_path: Path) -> None:
    folders = PackageFolders(tmp_path / "languages")
    archive = make_archive(tmp_path / "p.argosmodel", valid_entries())
    first = folders.install(archive)
    assert first.pair == ("fr", "es") and first.origin == "personal" and (first.path / "model" / "model.bin").is_file()
    again = folders.install(archive)
    assert again.path == first.path and len(folders.installed()) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == ["languages", "p.argosmodel"]  # no staging folder left


@pytest.mark.parametrize(
    "entries",
    [
        {"a/metadata.json": "{}", "b/model/model.bin": "x"},  # two top folders
        {"../evil/metadata.json": "{}"},  # path traversal
        {"translate-x/model/model.bin": "x"},  # no metadata
        {"translate-x/metadata.json": json.dumps({"type": "translate", "from_code": "fr", "to_code": "es"})},  # no model
        {"translate-x/metadata.json": json.dumps({"type": "sbd", "from_code": "fr", "to_code": "es"}), "translate-x/model/m": ""},
    ],
)
def test_install_refuses_what_is_not_a_safe_translation_package(tmp_path: Path, entries: dict[str, str]) -> None:
    folders = PackageFolders(tmp_path / "languages")
    with pytest.raises(BadPackage):
        folders.install(make_archive(tmp_path / "bad.argosmodel", entries))
    assert folders.installed() == []
    assert not list(tmp_path.glob(".plume-install-*"))
    assert not (tmp_path / "evil").exists()


def test_a_file_that_is_not_a_zip_is_a_bad_package(tmp_path: Path) -> None:
    (tmp_path / "x.argosmodel").write_text("not a zip")
    with pytest.raises(BadPackage):
        PackageFolders(tmp_path / "languages").install(tmp_path / "x.argosmodel")


def test_only_personal_packages_can_be_removed(tmp_path: Path) -> None:
    personal, shared = tmp_path / "personal", tmp_path / "shared"
    make_folder(personal, "fr", "en")
    make_folder(shared, "en", "de")
    folders = PackageFolders(personal, (shared,))
    mine, theirs = folders.installed()
    with pytest.raises(UnsupportedError):
        folders.remove(theirs)
    folders.remove(mine)
    assert [p.origin for p in folders.installed()] == ["shared"]


def test_routes_are_direct_then_through_english(tmp_path: Path) -> None:
    for pair in (("fr", "en"), ("en", "de"), ("en", "fr"), ("ar", "fr")):
        make_folder(tmp_path, *pair)
    translator = ArgosTranslator(PackageFolders(tmp_path), runtime_home=tmp_path / "rt")
    assert [p.pair for p in translator.route("fr", "en") or ()] == [("fr", "en")]
    assert [p.pair for p in translator.route("fr", "de") or ()] == [("fr", "en"), ("en", "de")]
    assert translator.route("fr", "fr") == ()
    assert translator.route("ar", "de") is None  # ar -> fr exists, but pivots go through English only
    assert translator.route("de", "fr") is None
    assert translator.source_languages() == ("ar", "en", "fr")
    assert translator.target_languages("fr") == ("de", "en")
    assert "fr" in translator.target_languages()
