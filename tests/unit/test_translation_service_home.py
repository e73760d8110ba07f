"""Where the personal language packages go when the system cannot say where home is."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from plume.errors import UnsupportedError
from plume.translation.service import default_personal_dir


def test_no_home_folder_is_a_clear_error_not_a_runtime_error(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_home() -> Path:
        raise RuntimeError("Could not determine home directory.")

    monkeypatch.setattr(Path, "home", staticmethod(no_home))
    with pytest.raises(UnsupportedError, match="PLUME_PERSONAL_LANGUAGES"):
        default_personal_dir({})
    assert default_personal_dir({"PLUME_PERSONAL_LANGUAGES": "/srv/langues"}) == Path("/srv/langues")
    if sys.platform != "win32":
        assert default_personal_dir({"XDG_DATA_HOME": "/srv/data"}) == Path("/srv/data/plume/languages")
