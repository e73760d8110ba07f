"""Argos language packages on disk: the shared folder IT deploys (read-only for users) and
the user's own folder. Listing, installing an ``.argosmodel`` file and removing a personal
package are plain file operations; nothing here imports the translation runtime.

A package is a folder holding ``metadata.json`` (``type: translate``, ``from_code``,
``to_code``), ``model/`` (CTranslate2) and a tokenizer. Folders that are not packages are
skipped, so a stray folder in the shared directory cannot break translation.
"""

from __future__ import annotations

import json
import re
import shutil
import tempfile
import zipfile
from dataclasses import dataclass
from pathlib import Path, PurePosixPath

from ..errors import BadPackage, UnsupportedError

ORIGINS = ("personal", "shared")
_CODE = re.compile(r"^[a-z]{2,3}$")
MAX_UNPACKED_BYTES = 4 * 1024**3  # the largest real packages are a few hundred MB


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
    try:
        metadata = json.loads((folder / "metadata.json").read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(metadata, dict) or metadata.get("type", "translate") != "translate":
        return None
    source, target = metadata.get("from_code"), metadata.get("to_code")
    if not (isinstance(source, str) and isinstance(target, str) and _CODE.match(source) and _CODE.match(target)):
        return None
    if not (folder / "model").is_dir():
        return None
    return InstalledPackage(source, target, str(metadata.get("package_version", "")), origin, folder)


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
        same name is replaced. Raises :class:`BadPackage` for anything else."""
        try:
            with zipfile.ZipFile(archive) as bundle:
                top = _check_archive(bundle)
                self.personal.mkdir(parents=True, exist_ok=True)
                # Unpacked beside the packages folder, never inside it: a half-written
                # folder must never be listed.
                staging = Path(tempfile.mkdtemp(prefix=".plume-install-", dir=self.personal.parent))
                try:
                    bundle.extractall(staging)
                    package = read_package(staging / top, "personal")
                    if package is None:
                        raise BadPackage(f"{archive.name}: not a translation package (metadata.json or model/ missing)")
                    destination = self.personal / top
                    if destination.exists():
                        shutil.rmtree(destination)
                    (staging / top).rename(destination)
                finally:
                    shutil.rmtree(staging, ignore_errors=True)
        except (zipfile.BadZipFile, OSError) as error:
            raise BadPackage(f"{archive.name}: {error}") from None
        installed = read_package(destination, "personal")
        assert installed is not None
        return installed

    def remove(self, package: InstalledPackage) -> None:
        """Delete a personal package; shared ones belong to IT."""
        if package.origin != "personal" or package.path.parent.resolve() != self.personal.resolve():
            raise UnsupportedError("this language package is shared by your IT department: only they can remove it")
        shutil.rmtree(package.path)


def _check_archive(bundle: zipfile.ZipFile) -> str:
    """The archive's single top folder, after refusing unsafe or oversized content."""
    names = bundle.namelist()
    tops = {PurePosixPath(n).parts[0] for n in names if PurePosixPath(n).parts}
    if len(tops) != 1:
        raise BadPackage("a language package holds exactly one folder")
    for info in bundle.infolist():
        path = PurePosixPath(info.filename)
        if path.is_absolute() or ".." in path.parts or "\\" in info.filename:
            raise BadPackage(f"unsafe path in the package: {info.filename!r}")
    if sum(info.file_size for info in bundle.infolist()) > MAX_UNPACKED_BYTES:
        raise BadPackage("the package unpacks to more than 4 GB")
    top = tops.pop()
    if f"{top}/metadata.json" not in names:
        raise BadPackage("the package has no metadata.json")
    return top
