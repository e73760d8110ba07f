"""Which language a text is in, with py3langid (a maintained fork of langid.py: a
bundled model, no download, about 0.7 s to load once, then milliseconds per text).

Detection is restricted to the languages the installed packages can translate from, so a
short ambiguous text is not detected as a language Plume could do nothing with. Below
``MIN_CONFIDENCE`` the result says so: the caller shows it and lets the user choose.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from typing import Any

from ..errors import TranslationUnavailable
from .languages import ISO_OF

MIN_CONFIDENCE = 0.6

_lock = threading.Lock()
_identifier: list[Any] = []
_all_labels: set[str] = set()


@dataclass(frozen=True)
class Detection:
    language: str  # an Argos code
    confidence: float  # 0..1

    @property
    def sure(self) -> bool:
        return self.confidence >= MIN_CONFIDENCE


def _load() -> Any:
    with _lock:
        if not _identifier:
            try:
                from py3langid import langid
            except ImportError as error:
                raise TranslationUnavailable(f"language detection is not installed ({error})") from None
            identifier = langid.LanguageIdentifier.from_model_file(langid.MODEL_FILE, norm_probs=True)
            _all_labels.update(str(label) for label in identifier.labels)
            _identifier.append(identifier)
        return _identifier[0]


def detect_language(text: str, candidates: tuple[str, ...]) -> Detection:
    """The most likely of ``candidates`` (Argos codes) for ``text``."""
    if not candidates:
        raise ValueError("no candidate language")
    identifier = _load()
    iso = {ISO_OF.get(code, code): code for code in candidates}
    with _lock:  # set_languages changes the shared identifier
        known = [code for code in iso if code in _all_labels]
        if not known:
            return Detection(candidates[0], 0.0)
        if len(known) == 1:
            return Detection(iso[known[0]], 1.0)
        identifier.set_languages(known)
        language, confidence = identifier.classify(text)
    return Detection(iso[str(language)], float(confidence))
