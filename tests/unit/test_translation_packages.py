"""Language packages on disk: listing, precedence, install checks, removal, routes. Package
folders here are minimal (metadata and an empty model folder): listing never loads models."""

from __future__ import annotations

import json
import os
import stat
import struct
import subprocess
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

from plume.errors import BadPackage, UnsupportedError
from plume.translation.argos import ArgosTranslator
from plume.translation.packages import MAX_ENTRIES, PackageFolders


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


# --- hostile files: each one a BadPackage, in bounded time and memory --------------------


def _patched(path: Path, patches: list[tuple[bytes, int, str, int]]) -> Path:
    """Rewrite fields of every record with the given signature: (signature, offset, format, value)."""
    data = bytearray(path.read_bytes())
    for signature, offset, fmt, value in patches:
        at = data.find(signature)
        while at != -1:
            struct.pack_into(fmt, data, at + offset, value)
            at = data.find(signature, at + 4)
    path.write_bytes(bytes(data))
    return path


LOCAL, CENTRAL, END = b"PK\x03\x04", b"PK\x01\x02", b"PK\x05\x06"


def _encrypted(path: Path) -> Path:
    return _patched(make_archive(path, valid_entries()), [(LOCAL, 6, "<H", 1), (CENTRAL, 8, "<H", 1)])


def _unknown_method(path: Path) -> Path:
    return _patched(make_archive(path, valid_entries()), [(LOCAL, 8, "<H", 99), (CENTRAL, 10, "<H", 99)])


def _declared_huge(path: Path) -> Path:
    """Stored entries said to be 3 GB each (packed and unpacked: no suspicious ratio)."""
    entries = {**valid_entries(), "translate-fr_es-1_0/model/b.bin": "y"}
    size = 3_000_000_000
    patches = [(LOCAL, 18, "<L", size), (LOCAL, 22, "<L", size), (CENTRAL, 20, "<L", size), (CENTRAL, 24, "<L", size)]
    return _patched(make_archive(path, entries), patches)


def _real_bomb(path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as bundle:
        for name, content in valid_entries().items():
            bundle.writestr(name, content)
        bundle.writestr("translate-fr_es-1_0/model/zeros.bin", b"\0" * (40 * 1024**2))
    return path


def _lying_sizes(path: Path) -> Path:
    """Headers declare 100 bytes; the data unpacks to 20 MB: the reader stops at 100, then the CRC fails."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as bundle:
        for name, content in valid_entries().items():
            bundle.writestr(name, content)
        bundle.writestr("translate-fr_es-1_0/model/zeros.bin", b"\0" * (20 * 1024**2))
    data = bytearray(path.read_bytes())
    for signature, offset in ((LOCAL, 22), (CENTRAL, 24)):
        at = data.rfind(signature)  # the last entry's
        struct.pack_into("<L", data, at + offset, 100)
    path.write_bytes(bytes(data))
    return path


def _link(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as bundle:
        for name, content in valid_entries().items():
            bundle.writestr(name, content)
        link = zipfile.ZipInfo("translate-fr_es-1_0/model/passwd")
        link.external_attr = (stat.S_IFLNK | 0o777) << 16
        bundle.writestr(link, "/etc/passwd")
    return path


def _truncated(path: Path) -> Path:
    make_archive(path, valid_entries())
    path.write_bytes(path.read_bytes()[:-30])
    return path


def _corrupt_data(path: Path) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as bundle:
        for name, content in valid_entries().items():
            bundle.writestr(name, content)
        bundle.writestr("translate-fr_es-1_0/model/m.bin", bytes(range(256)) * 64)
    data = bytearray(path.read_bytes())
    start = data.rfind(LOCAL) + 30 + len("translate-fr_es-1_0/model/m.bin")
    data[start + 10 : start + 60] = b"\xff" * 50
    path.write_bytes(bytes(data))
    return path


def _too_many_entries(path: Path) -> Path:
    entries = valid_entries()
    entries.update({f"translate-fr_es-1_0/model/{i}": "" for i in range(MAX_ENTRIES + 1)})
    return make_archive(path, entries)


def _huge_directory(path: Path) -> Path:
    return _patched(make_archive(path, valid_entries()), [(END, 12, "<L", 0xFFFFFFF0)])


def _metadata(content: str) -> Callable[[Path], Path]:
    def build(path: Path) -> Path:
        return make_archive(path, {"t/metadata.json": content, "t/model/model.bin": "x"})

    return build


def _fifo(path: Path) -> Path:
    os.mkfifo(path)
    return path


def _folder(path: Path) -> Path:
    path.mkdir()
    return path


HOSTILE: dict[str, tuple[Callable[[Path], Path], str]] = {
    "encrypted": (_encrypted, "encrypted"),
    "unknown compression": (_unknown_method, "unknown compression method 99"),
    "declared huge": (_declared_huge, "more than 4 GB"),
    "zip bomb": (_real_bomb, "over 200 times its packed size"),
    "lying sizes": (_lying_sizes, "Bad CRC-32"),
    "symlink": (_link, "holds a link"),
    "truncated": (_truncated, "not a zip archive"),
    "corrupt data": (_corrupt_data, "damaged archive"),
    "too many entries": (_too_many_entries, "too many files"),
    "huge central directory": (_huge_directory, "too many files"),
    "traversal inside the folder": (
        lambda p: make_archive(p, {**valid_entries(), "translate-fr_es-1_0/../x": "x"}),
        "unsafe path",
    ),
    "absolute": (lambda p: make_archive(p, {"/translate-x/metadata.json": "{}"}), "unsafe path"),
    "drive letter": (lambda p: make_archive(p, {**valid_entries(), "translate-fr_es-1_0/C:x": "x"}), "unsafe path"),
    "empty zip": (lambda p: make_archive(p, {}), "exactly one folder"),
    "metadata not json": (_metadata("{not json"), "not valid JSON"),
    "metadata not a dict": (_metadata("[1, 2]"), "not a JSON object"),
    "metadata not utf-8": (_metadata("\udcff"), "not valid JSON"),
    "metadata missing codes": (_metadata('{"type": "translate"}'), "from_code and to_code"),
    "metadata codes not strings": (_metadata('{"from_code": 1, "to_code": ["en"]}'), "from_code and to_code"),
    "metadata deeply nested": (_metadata("[" * 100_000 + "]" * 100_000), "not valid JSON"),
    "metadata huge": (_metadata('{"from_code": "fr", "to_code": "en", "x": "' + "a" * (2 * 1024**2) + '"}'), "larger than 1 MB"),
    "not a zip": (lambda p: (p.write_bytes(b"\x1b[31m not a zip"), p)[1], "not a zip archive"),
    "empty file": (lambda p: (p.write_bytes(b""), p)[1], "not a zip archive"),
    "folder": (_folder, "not a regular file"),
    "fifo": (_fifo, "not a regular file"),
    "missing": (lambda p: p, "No such file"),
}


@pytest.mark.timeout(30)
@pytest.mark.parametrize("kind", HOSTILE)
def test_hostile_files_are_bad_packages_and_leave_nothing(tmp_path: Path, kind: str) -> None:
    folders = PackageFolders(tmp_path / "languages")
    try:
        archive = HOSTILE[kind][0](tmp_path / "bad.argosmodel")
    except UnicodeEncodeError:  # "metadata not utf-8": written as raw bytes instead
        archive = tmp_path / "bad.argosmodel"
        with zipfile.ZipFile(archive, "w") as bundle:
            bundle.writestr("t/metadata.json", b"\xff\xfe{}")
            bundle.writestr("t/model/model.bin", "x")
    with pytest.raises(BadPackage) as raised:
        folders.install(archive)
    assert str(raised.value).startswith("bad.argosmodel: ") and "\n" not in str(raised.value)
    assert HOSTILE[kind][1] in str(raised.value)
    assert folders.installed() == []
    assert not list(tmp_path.glob(".plume-install-*"))
    assert not (tmp_path / "x").exists() and not (tmp_path / "languages" / "x").exists()


def _limit_memory() -> None:
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (2 * 1024**3, 2 * 1024**3))


@pytest.mark.parametrize("device", ["/dev/zero", "/dev/urandom", "/dev/null"])
def test_devices_are_refused_without_reading_them(tmp_path: Path, device: str) -> None:
    """In a child process with 2 GB of memory and 30 s: reading /dev/zero once took all the memory."""
    if not Path(device).exists():
        pytest.skip(f"no {device} here")
    code = (
        "import sys; from pathlib import Path; from plume.errors import BadPackage;"
        "from plume.translation.packages import PackageFolders\n"
        "try: PackageFolders(Path(sys.argv[1])).install(Path(sys.argv[2]))\n"
        "except BadPackage as error: print(error)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path / "languages"), device],
        capture_output=True, text=True, timeout=30, preexec_fn=_limit_memory,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parents[2] / "python")},
    )  # fmt: skip
    assert result.returncode == 0 and result.stdout.strip() == f"{Path(device).name}: not a regular file", result.stderr


@pytest.mark.timeout(30)
def test_listing_skips_metadata_that_is_not_a_small_regular_json_object(tmp_path: Path) -> None:
    shared = tmp_path / "shared"
    make_folder(shared, "fr", "en")
    odd = {
        "fifo": None,  # would block a plain read forever
        "device": None,
        "huge": '{"from_code": "fr", "to_code": "de", "x": "' + "a" * (2 * 1024**2) + '"}',
        "nested": "[" * 100_000 + "]" * 100_000,
        "list": "[]",
        "codes": '{"from_code": "french", "to_code": "de"}',
        "dir": None,
    }
    for name, content in odd.items():
        (shared / name / "model").mkdir(parents=True)
        metadata = shared / name / "metadata.json"
        if name == "fifo":
            os.mkfifo(metadata)
        elif name == "device":
            metadata.symlink_to("/dev/zero")
        elif name == "dir":
            metadata.mkdir()
        else:
            metadata.write_text(content or "")
    assert [p.pair for p in PackageFolders(tmp_path / "personal", (shared,)).installed()] == [("fr", "en")]


def test_version_is_text_and_short(tmp_path: Path) -> None:
    folder = make_folder(tmp_path, "fr", "en")
    (folder / "metadata.json").write_text(json.dumps({"from_code": "fr", "to_code": "en", "package_version": {"a": 1}}))
    assert PackageFolders(tmp_path).installed()[0].version == ""
    (folder / "metadata.json").write_text(json.dumps({"from_code": "fr", "to_code": "en", "package_version": "9" * 500}))
    assert len(PackageFolders(tmp_path).installed()[0].version) == 40


def test_a_personal_folder_that_cannot_be_written_is_not_the_packages_fault(tmp_path: Path) -> None:
    (tmp_path / "file").write_text("")
    folders = PackageFolders(tmp_path / "file" / "languages")
    with pytest.raises(UnsupportedError, match="cannot write into the language packages folder"):
        folders.install(make_archive(tmp_path / "p.argosmodel", valid_entries()))
