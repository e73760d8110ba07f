"""Only for ``options.py``'s import, until its owner moves it to :mod:`.runs.translate`
(where the translation run now is)."""

from __future__ import annotations

from .runs.translate import personal_packages_dir

__all__ = ["personal_packages_dir"]
