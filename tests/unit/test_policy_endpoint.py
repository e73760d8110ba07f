"""``build.py policy --endpoint``: an endpoint Plume would refuse is one line and exit 2, not
a traceback from reading its port (``urlsplit(...).port`` raises for 99999 or 'abc')."""

from __future__ import annotations

from pathlib import Path

import pytest

import build


@pytest.mark.parametrize(
    "endpoint",
    ["http://[::1", "http://localhost:99999", "http://localhost:abc", "http://ｌｏｃａｌｈｏｓｔ", "http://u:pw@host", "", "x"],
)
def test_an_invalid_endpoint_is_a_policy_error(endpoint: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = build.main(["policy", "--endpoint", endpoint, "-o", str(tmp_path / "p.xcd")])
    err = capsys.readouterr().err
    assert code == 2 and "base_url" in err and "Traceback" not in err and "pw" not in err


def test_an_unclear_bool_in_a_policy_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code = build.main(["policy", "--set", "verify_tls=enabled", "-o", str(tmp_path / "p.xcd")])
    assert code == 2 and "verify_tls must be true or false" in capsys.readouterr().err
