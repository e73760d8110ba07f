"""Translation as the CLI and the adapter use it: where the packages are, choosing the
source language, and translating paragraph by paragraph with progress and Stop.

Where packages are (see ``docs/translation.md``):
- shared, deployed by IT, read-only for users: the ``language_packages_dir`` setting, or by
  default ``%ProgramData%\\Plume\\languages`` on Windows, ``/usr/local/share/plume/languages``
  elsewhere; then those bundled in the extension (``build.py --argos-models``);
- personal, installed by the user: in the LibreOffice profile (``<profile>/plume/languages``)
  for the extension; for the CLI, ``$PLUME_PERSONAL_LANGUAGES`` or the platform's user data
  folder.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

from ..cancel import CancelToken
from ..errors import MissingPair, UnsupportedError
from ..settings import Settings
from .argos import ArgosTranslator
from .detect import Detection, detect_language
from .packages import PackageFolders


def default_shared_dir(environ: Mapping[str, str] | None = None) -> Path:
    environ = os.environ if environ is None else environ
    if sys.platform == "win32":
        return Path(environ.get("ProgramData", r"C:\ProgramData")) / "Plume" / "languages"
    return Path("/usr/local/share/plume/languages")


def default_personal_dir(environ: Mapping[str, str] | None = None) -> Path:
    environ = os.environ if environ is None else environ
    if environ.get("PLUME_PERSONAL_LANGUAGES"):
        return Path(environ["PLUME_PERSONAL_LANGUAGES"])
    if sys.platform == "win32":
        return Path(environ.get("LOCALAPPDATA") or _home()) / "Plume" / "languages"
    return Path(environ.get("XDG_DATA_HOME") or _home() / ".local" / "share") / "plume" / "languages"


def _home() -> Path:
    try:
        return Path.home()
    except (RuntimeError, KeyError):  # no HOME, and a user the system does not name (a container)
        raise UnsupportedError(
            "there is no home folder to keep your language packages in: set PLUME_PERSONAL_LANGUAGES"
        ) from None


def bundled_dir() -> Path:
    """Packages bundled in the extension by ``build.py --argos-models``: ``<extension>/languages``
    (this file is ``<extension>/pythonpath/plume/translation/service.py``)."""
    return Path(__file__).resolve().parents[3] / "languages"


def shared_dirs(settings: Settings) -> tuple[Path, ...]:
    """IT's folders (the setting, or the platform's default), then the packages bundled in the
    extension: a newer package IT deploys wins over the bundled copy of the same pair."""
    configured = [p.strip() for p in settings.language_packages_dir.split(";") if p.strip()]
    folders = tuple(Path(p) for p in configured) or (default_shared_dir(),)
    bundled = bundled_dir()
    return (*folders, bundled) if bundled.is_dir() else folders


def translator_for(settings: Settings, personal: Path) -> ArgosTranslator:
    """The translator for these settings; ``personal`` is the user's packages folder."""
    folders = PackageFolders(personal, shared_dirs(settings))
    return ArgosTranslator(folders, runtime_home=personal.parent / "argos-runtime")


@dataclass(frozen=True)
class TranslationPlan:
    source: str
    target: str
    detection: Detection | None  # None when the user chose the source language


def plan_translation(
    translator: ArgosTranslator, text: str, target: str, source: str = "", *, model_allowed: bool = False
) -> TranslationPlan:
    """Decide the source language (detected unless given) and check a route exists.
    Raises :class:`MissingPair` (with ``model_allowed`` telling the caller whether it may
    offer the configured model instead)."""
    detection = None
    if not source:
        candidates = translator.source_languages() or ("fr", "en")
        detection = detect_language(text, tuple(c for c in candidates if c != target) or candidates)
        source = detection.language
    if translator.route(source, target) is None:
        raise MissingPair(source, target, model_allowed=model_allowed)
    return TranslationPlan(source, target, detection)


def translate_paragraphs(
    translator: ArgosTranslator, paragraphs: list[str], plan: TranslationPlan, cancel: CancelToken | None = None
) -> Iterator[str]:
    """Each paragraph translated, in order; empty ones stay empty so the paragraph count is
    kept. Stops between paragraphs when ``cancel`` is set."""
    for paragraph in paragraphs:
        if cancel is not None:
            cancel.raise_if_cancelled()
        yield translator.translate(paragraph, plan.source, plan.target) if paragraph.strip() else ""
