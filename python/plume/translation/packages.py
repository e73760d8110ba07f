"""Argos language packages on disk: the shared folder IT deploys (read-only for users) and
the user's own folder. Listing, installing an ``.argosmodel`` file and removing a personal
package are plain file operations; nothing here imports the translation runtime.

A package is a folder holding ``metadata.json`` (``type: translate``, ``from_code``,
``to_code``), ``model/`` (CTranslate2) and a tokenizer. Folders that are not packages are
skipped, so a stray folder in the shared directory cannot break translation.
"""

from __future__ import annotations

import errno
import json
import lzma
import os
import re
import shutil
import stat
import struct
import tempfile
import zipfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

from ..errors import BadPackage, UnsupportedError

ORIGINS = ("personal", "shared")
_CODE = re.compile(r"^[a-z]{2,3}$")
MAX_UNPACKED_BYTES = 4 * 1024**3  # the largest real packages are a few hundred MB
MAX_ARCHIVE_BYTES = MAX_UNPACKED_BYTES
MAX_ENTRIES = 10_000  # real packages hold a few dozen files
MAX_DIRECTORY_BYTES = 16 * 1024**2  # the zip's central directory, read whole when the file is opened
MAX_RATIO = 200  # unpacked / packed size of one entry above RATIO_FLOOR bytes: models barely compress
RATIO_FLOOR = 16 * 1024**2
MAX_METADATA_BYTES = 1024**2
_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA)
# What a damaged archive can raise while it is read (besides BadZipFile and OSError).
_UNREADABLE = (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, EOFError, RuntimeError, NotImplementedError,
               ValueError, zlib.error, lzma.LZMAError)  # fmt: skip


@dataclass(frozen=True)
class InstalledPackage:
    source: str
    target: str
    version: str
    origin: str  # "personal" or "shared"
    path: Path

    @property
    def pair(self) -> tuple[str, str]:
        return self.source, self.target


def read_package(folder: Path, origin: str) -> InstalledPackage | None:
    """The package in ``folder``, or None when it is not a usable translation package."""
    found = inspect_package(folder, origin)
    return found if isinstance(found, InstalledPackage) else None


def inspect_package(folder: Path, origin: str) -> InstalledPackage | str:
    """The package in ``folder``, or why it is not a usable translation package. Reads at
    most :data:`MAX_METADATA_BYTES` of a regular ``metadata.json`` (never a device or a
    pipe, which could block or never end)."""
    metadata = _read_metadata(folder / "metadata.json")
    if isinstance(metadata, str):
        return metadata
    if metadata.get("type", "translate") != "translate":
        return "not a translation package (metadata.json: type is not 'translate')"
    source, target = metadata.get("from_code"), metadata.get("to_code")
    if not (isinstance(source, str) and isinstance(target, str) and _CODE.match(source) and _CODE.match(target)):
        return "metadata.json: from_code and to_code must be language codes such as fr or en"
    if not (folder / "model").is_dir():
        return "not a translation package (no model/ folder)"
    version = metadata.get("package_version", "")
    version = version if isinstance(version, str) else str(version) if isinstance(version, (int, float)) else ""
    return InstalledPackage(source, target, version[:40], origin, folder)


def _read_metadata(path: Path) -> dict[str, Any] | str:
    try:
        info = path.stat()
        if not stat.S_ISREG(info.st_mode):
            return "metadata.json is not a regular file"
        if info.st_size > MAX_METADATA_BYTES:
            return "metadata.json is larger than 1 MB"
        with path.open("rb") as handle:
            if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
                return "metadata.json is not a regular file"
            raw = handle.read(MAX_METADATA_BYTES + 1)
    except OSError:
        return "no readable metadata.json"
    if len(raw) > MAX_METADATA_BYTES:
        return "metadata.json is larger than 1 MB"
    try:
        metadata = json.loads(raw.decode("utf-8"))
    except (ValueError, RecursionError):  # UnicodeDecodeError is a ValueError
        return "metadata.json is not valid JSON"
    if not isinstance(metadata, dict):
        return "metadata.json is not a JSON object"
    return metadata


class PackageFolders:
    """The personal folder first, then the shared ones: a package the user installed takes
    precedence over the shared copy of the same pair (that is how a user gets a newer one)."""

    def __init__(self, personal: Path, shared: tuple[Path, ...] = ()) -> None:
        self.personal = personal
        self.shared = tuple(shared)

    def installed(self) -> list[InstalledPackage]:
        found: list[InstalledPackage] = []
        for origin, folder in [("personal", self.personal), *(("shared", s) for s in self.shared)]:
            try:
                children = sorted(p for p in folder.iterdir() if p.is_dir())
            except OSError:  # not created yet, or a network share that is not mounted
                continue
            for child in children:
                package = read_package(child, origin)
                if package is not None:
                    found.append(package)
        return found

    def active(self) -> dict[tuple[str, str], InstalledPackage]:
        """The package used for each pair (the first one found)."""
        chosen: dict[tuple[str, str], InstalledPackage] = {}
        for package in self.installed():
            chosen.setdefault(package.pair, package)
        return chosen

    def install(self, archive: Path) -> InstalledPackage:
        """Check and unpack an ``.argosmodel`` file into the personal folder; a package of the
        same name is replaced. Raises :class:`UnsupportedError` when the personal folder cannot
        be written, :class:`BadPackage` for anything else, in bounded time
        and memory: a device, a pipe or a folder, an archive that is not a zip, encrypted,
        compressed with an unknown method, holding links or paths out of its folder, or
        unpacking to more than :data:`MAX_UNPACKED_BYTES`."""
        name = archive.name or str(archive)
        try:
            with _regular_file(archive) as handle:
                _check_directory_size(handle)
                with zipfile.ZipFile(handle) as bundle:
                    top = _check_archive(bundle)
                    # Unpacked beside the packages folder, never inside it: a half-written
                    # folder must never be listed.
                    staging = self._staging()
                    try:
                        _extract(bundle, staging, self.personal)
                        found = inspect_package(staging / top, "personal")
                        if isinstance(found, str):
                            raise BadPackage(found)
                        destination = self.personal / top
                        try:
                            if destination.exists():
                                shutil.rmtree(destination)
                            (staging / top).rename(destination)
                        except OSError as error:
                            raise _folder_error(self.personal, error) from None
                    finally:
                        shutil.rmtree(staging, ignore_errors=True)
        except BadPackage as error:
            raise BadPackage(f"{name}: {error}") from None
        except _UNREADABLE as error:
            raise BadPackage(f"{name}: {_reason(error)}") from None
        installed = read_package(destination, "personal")
        if installed is None:  # changed under our feet
            raise BadPackage(f"{name}: the installed package cannot be read")
        return installed

    def _staging(self) -> Path:
        try:
            self.personal.mkdir(parents=True, exist_ok=True)
            return Path(tempfile.mkdtemp(prefix=".plume-install-", dir=self.personal.parent))
        except OSError as error:
            raise _folder_error(self.personal, error) from None

    def remove(self, package: InstalledPackage) -> None:
        """Delete a personal package; shared ones belong to IT."""
        if package.origin != "personal" or package.path.parent.resolve() != self.personal.resolve():
            raise UnsupportedError("this language package is shared by your IT department: only they can remove it")
        shutil.rmtree(package.path)


@contextmanager
def _regular_file(path: Path) -> Iterator[BinaryIO]:
    """``path`` opened for reading, if it is a regular file of a sensible size: /dev/zero,
    a pipe or a folder would make the zip reader hang or fail obscurely."""
    info = path.stat()
    if not stat.S_ISREG(info.st_mode):
        raise BadPackage("not a regular file")
    if info.st_size > MAX_ARCHIVE_BYTES:
        raise BadPackage("larger than 4 GB")
    with path.open("rb") as handle:
        if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):  # replaced since the check
            raise BadPackage("not a regular file")
        yield handle


def _check_directory_size(handle: BinaryIO) -> None:
    """Refuse an archive whose list of entries is too long before :class:`zipfile.ZipFile`
    reads it whole into memory (the end record says how long it is)."""
    size = handle.seek(0, os.SEEK_END)
    tail_size = min(size, 22 + 65535)  # the end record and the longest comment
    handle.seek(size - tail_size)
    tail = handle.read(tail_size)
    handle.seek(0)
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < 22:
        raise BadPackage("not a zip archive")
    entries, directory_size = struct.unpack_from("<HL", tail, at + 10)
    if entries > MAX_ENTRIES or directory_size > MAX_DIRECTORY_BYTES:  # 0xFFFF / 0xFFFFFFFF: zip64, far larger
        raise BadPackage(f"the package holds too many files (more than {MAX_ENTRIES})")


def _check_archive(bundle: zipfile.ZipFile) -> str:
    """The archive's single top folder, after refusing unsafe or oversized content."""
    infos = bundle.infolist()
    if len(infos) > MAX_ENTRIES:
        raise BadPackage(f"the package holds too many files (more than {MAX_ENTRIES})")
    names = [info.filename for info in infos]
    tops = {PurePosixPath(n).parts[0] for n in names if PurePosixPath(n).parts}
    if len(tops) != 1:
        raise BadPackage("a language package holds exactly one folder")
    for info in infos:
        path = PurePosixPath(info.filename)
        if path.is_absolute() or ".." in path.parts or "\\" in info.filename or ":" in info.filename:
            raise BadPackage(f"unsafe path in the package: {info.filename!r}")
        if stat.S_ISLNK(info.external_attr >> 16):
            raise BadPackage(f"the package holds a link: {info.filename!r}")
        if info.flag_bits & 0x1:
            raise BadPackage("the package is encrypted")
        if info.compress_type not in _METHODS:
            raise BadPackage(f"unknown compression method {info.compress_type} for {info.filename!r}")
        if info.file_size > RATIO_FLOOR and info.file_size > MAX_RATIO * info.compress_size:
            raise BadPackage(f"{info.filename!r} unpacks to over {MAX_RATIO} times its packed size")
    if sum(info.file_size for info in infos) > MAX_UNPACKED_BYTES:
        raise BadPackage("the package unpacks to more than 4 GB")
    top = tops.pop()
    if f"{top}/metadata.json" not in names:
        raise BadPackage("the package has no metadata.json")
    return top


def _extract(bundle: zipfile.ZipFile, staging: Path, personal: Path) -> None:
    """Unpack entry by entry, as plain files and folders (never links), in pieces: memory
    stays small whatever the entry's size, and an entry yields no more than the size its
    header declares (the zip reader stops there, then checks the CRC). A full or read-only
    disk is the folder's problem (:func:`_folder_error`), not the package's."""
    try:
        for info in bundle.infolist():
            target = staging.joinpath(*PurePosixPath(info.filename).parts)
            if info.is_dir():
                target.mkdir(parents=True, exist_ok=True)
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            with bundle.open(info) as source, target.open("wb") as sink:
                shutil.copyfileobj(source, sink, 1024 * 1024)
    except OSError as error:
        if error.errno in _DISK_ERRORS:
            raise _folder_error(personal, error) from None
        raise


_DISK_ERRORS = {errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM}


def _folder_error(folder: Path, error: OSError) -> UnsupportedError:
    return UnsupportedError(f"cannot write into the language packages folder {folder}: {error.strerror or error}")


def _reason(error: BaseException) -> str:
    if isinstance(error, OSError) and error.strerror:
        return error.strerror
    if isinstance(error, zipfile.BadZipFile) or not str(error):
        return "not a readable zip archive" + (f" ({error})" if str(error) else "")
    return f"damaged archive ({error})"
