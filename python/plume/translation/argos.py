"""Offline translation with Argos Translate (CTranslate2 models, SentencePiece tokenizers).

Argos is imported on first use only (it loads numpy, CTranslate2 and ONNX Runtime: never
at LibreOffice start-up), with its environment set just for the import, because Argos
reads its settings once, when imported:

- its data, config and cache folders point into Plume's own runtime folder, so a user's
  ``~/.config/argos-translate/settings.json`` cannot switch it to a remote provider;
- ``ARGOS_MODEL_PROVIDER=OPENNMT``: local models only;
- CPU, a bounded number of threads (the default uses every core and is slower and noisier
  on the 2-core machines of a reception desk);
- Stanza, which Argos imports at top level but which pulls PyTorch, is replaced by a stub
  when absent.

Plume builds the translations itself from the packages it lists (:mod:`.packages`) rather
than through Argos's package folders, so only checked folders are loaded, a shared folder
and a personal one can coexist, and every sentence splitter that could download a model is
replaced by an offline one (:mod:`.sentences`) before it is used. Loaded models stay
cached for the life of the process, whichever translator object asks for them.
"""

from __future__ import annotations

import importlib.util
import os
import sys
import threading
import types
from pathlib import Path
from typing import Any

from ..errors import BrokenPackage, MissingPair, TranslationUnavailable
from .packages import InstalledPackage, PackageFolders
from .sentences import RuleSentencizer

PIVOT = "en"

_import_lock = threading.Lock()
_modules: dict[str, Any] = {}
_cache_lock = threading.Lock()
_loaded: dict[tuple[str, float], Any] = {}  # (package path, metadata mtime) -> PackageTranslation
_translate_lock = threading.Lock()


def default_threads() -> int:
    return max(1, min(4, (os.cpu_count() or 2) // 2))


def runtime_available() -> bool:
    """Whether the Argos runtime is installed (without importing it)."""
    return all(importlib.util.find_spec(name) is not None for name in ("argostranslate", "ctranslate2", "sentencepiece"))


def _stanza_stub() -> types.ModuleType:
    stub = types.ModuleType("stanza")

    def pipeline(*args: Any, **kwargs: Any) -> Any:
        raise RuntimeError("Stanza is not installed; Plume splits sentences itself")

    stub.Pipeline = pipeline  # type: ignore[attr-defined]
    return stub


def load_runtime(home: Path, threads: int | None = None) -> dict[str, Any]:
    """Import Argos once per process; ``home`` holds the folders Argos creates at import."""
    with _import_lock:
        if _modules:
            return _modules
        home.mkdir(parents=True, exist_ok=True)
        overrides = {
            "ARGOS_PACKAGES_DIR": str(home / "unused-packages"),
            "XDG_DATA_HOME": str(home / "data"),
            "XDG_CONFIG_HOME": str(home / "config"),
            "XDG_CACHE_HOME": str(home / "cache"),
            "ARGOS_MODEL_PROVIDER": "OPENNMT",
            "ARGOS_CHUNK_TYPE": "MINISBD",
            "ARGOS_DEVICE_TYPE": "cpu",
            "ARGOS_INTRA_THREADS": str(threads or default_threads()),
            "ARGOS_DEBUG": "0",
        }
        saved = {key: os.environ.get(key) for key in overrides}
        os.environ.update(overrides)
        try:
            if importlib.util.find_spec("stanza") is None:
                sys.modules.setdefault("stanza", _stanza_stub())
            from argostranslate import package, translate
            from minisbd import models as minisbd_models
        except ImportError as error:
            raise TranslationUnavailable(f"the Argos Translate runtime is not installed ({error})") from None
        finally:
            for key, value in saved.items():
                if value is None:
                    os.environ.pop(key, None)
                else:
                    os.environ[key] = value
        _modules.update(package=package, translate=translate, minisbd_models=minisbd_models)
        return _modules


class ArgosTranslator:
    """Translate between the languages of the installed packages, directly or through
    English. Thread-safe; the first translation of a pair loads its model (a second or so
    for a real package), later ones reuse it."""

    def __init__(self, folders: PackageFolders, runtime_home: Path, threads: int | None = None) -> None:
        self.folders = folders
        self.runtime_home = runtime_home
        self.threads = threads
        self._packages: dict[tuple[str, str], InstalledPackage] | None = None

    # --- what can be translated (no runtime needed) -------------------------
    def packages(self) -> dict[tuple[str, str], InstalledPackage]:
        """The packages used, per pair; listed from disk once per translator (a run, a desk
        window), not on every route lookup or paragraph."""
        if self._packages is None:
            self._packages = self.folders.active()
        return self._packages

    def route(self, source: str, target: str) -> tuple[InstalledPackage, ...] | None:
        """The packages to chain: one (direct pair), two (through English), none (same
        language); None when nothing installed can do it."""
        if source == target:
            return ()
        pairs = self.packages()
        if (source, target) in pairs:
            return (pairs[(source, target)],)
        if (source, PIVOT) in pairs and (PIVOT, target) in pairs:
            return (pairs[(source, PIVOT)], pairs[(PIVOT, target)])
        return None

    def source_languages(self) -> tuple[str, ...]:
        return tuple(sorted({source for source, _ in self.packages()}))

    def target_languages(self, source: str | None = None) -> tuple[str, ...]:
        """Languages reachable from ``source`` (from any installed source when None)."""
        targets: set[str] = set()
        for s in [source] if source else self.source_languages():
            targets.update(code for _, code in self.packages() if code != s and self.route(s, code) is not None)
            targets.update(self._pivot_targets(s))
        return tuple(sorted(targets))

    def _pivot_targets(self, source: str) -> set[str]:
        pairs = self.packages()
        if (source, PIVOT) not in pairs:
            return set()
        return {target for s, target in pairs if s == PIVOT and target != source}

    # --- translating ---------------------------------------------------------
    def translate(self, text: str, source: str, target: str) -> str:
        route = self.route(source, target)
        if route is None:
            raise MissingPair(source, target)
        if not route or not text.strip():
            return text
        translation = self._translation(route)
        with _translate_lock:  # one CTranslate2 call at a time: the desk and a document may both ask
            try:
                return str(translation.hypotheses(text, num_hypotheses=1)[0].value)
            except (RuntimeError, OSError) as error:  # CTranslate2 loads the model here, on first use
                raise BrokenPackage(" + ".join(str(p.path) for p in route), str(error)) from None

    def warm_up(self, source: str, target: str) -> None:
        """Load the models of a pair ahead of the first request (the desk does it on open)."""
        route = self.route(source, target)
        if route:
            self._translation(route)

    def _translation(self, route: tuple[InstalledPackage, ...]) -> Any:
        modules = load_runtime(self.runtime_home, self.threads)
        parts = [self._package_translation(modules, package) for package in route]
        if len(parts) == 1:
            return parts[0]
        return modules["translate"].CompositeTranslation(parts[0], parts[1])

    def _package_translation(self, modules: dict[str, Any], package: InstalledPackage) -> Any:
        metadata = package.path / "metadata.json"
        key = (str(package.path), metadata.stat().st_mtime)
        with _cache_lock:
            if key not in _loaded:
                translate = modules["translate"]
                try:
                    argos_package = modules["package"].Package(package.path)
                    translation = translate.PackageTranslation(
                        translate.Language(package.source, argos_package.from_name or package.source),
                        translate.Language(package.target, argos_package.to_name or package.target),
                        argos_package,
                    )
                except Exception as error:  # Argos reads the package's files its own way
                    raise BrokenPackage(str(package.path), f"{type(error).__name__}: {error}") from None
                self._keep_offline(modules, translation)
                _loaded[key] = translation
            return _loaded[key]

    def _keep_offline(self, modules: dict[str, Any], translation: Any) -> None:
        """Keep Argos's sentence splitter only when its model is on disk; otherwise it would
        download one at the first translation (MiniSBD, Stanza), so Plume's replaces it."""
        splitter: Any = getattr(translation, "sentencizer", None)
        if type(splitter).__name__ == "MiniSBDSentencizer":
            if os.path.isfile(str(splitter.lang)):
                return  # the package carries its splitter
            known = modules["minisbd_models"].MODELS.get(splitter.lang)
            for shared in self.folders.shared:  # IT may deploy MiniSBD models beside the packages
                candidate = shared / "minisbd" / str(known)
                if known and candidate.is_file():
                    splitter.lang = str(candidate)
                    return
        translation.sentencizer = RuleSentencizer()


def clear_loaded() -> None:
    """Forget loaded models (after a package was removed or replaced)."""
    with _cache_lock:
        _loaded.clear()
