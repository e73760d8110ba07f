"""The CLI's contract without a server: usage errors exit 2, backend errors exit 3 with
one line and no traceback. (The integration tests run it against the real server.)"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

PYTHON_DIR = Path(__file__).resolve().parents[2] / "python"


def _cli(*args: str, stdin: str = "", **env: str) -> subprocess.CompletedProcess[str]:
    environment = {**os.environ, "PYTHONPATH": str(PYTHON_DIR), "LANG": "fr_FR.UTF-8", **env}
    environment.pop("PLUME_API_KEY", None)
    return subprocess.run(
        [sys.executable, "-m", "plume", *args], input=stdin, capture_output=True, text=True, env=environment, timeout=60
    )


def test_unreachable_server_is_exit_3_with_one_french_line() -> None:
    result = _cli(
        "--backend", "openai", "--url", "http://127.0.0.1:9", "--model", "m", "run", "summarize", stdin="Bonjour le monde."
    )
    assert result.returncode == 3
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert "ne répond pas" in result.stderr


def test_english_messages_follow_lang() -> None:
    result = _cli("--url", "http://127.0.0.1:9", "--model", "m", "run", "summarize", stdin="Hello.", LANG="en_GB.UTF-8")
    assert result.returncode == 3 and "does not answer" in result.stderr


def test_usage_errors_are_exit_2() -> None:
    assert _cli("run", "dance").returncode == 2
    assert _cli("run", "rewrite", stdin="texte").returncode == 2  # rewrite without --style
    assert _cli("--url", "ftp://nowhere", "models").returncode == 2


def test_doctor_fails_with_the_fix_when_the_server_is_down() -> None:
    result = _cli("doctor", PLUME_BACKEND="openai", PLUME_BASE_URL="http://127.0.0.1:9")
    assert result.returncode == 3
    lines = result.stdout.splitlines()
    assert lines[0].startswith("OK") and lines[1].startswith("FAIL endpoint") and "->" in lines[1]
