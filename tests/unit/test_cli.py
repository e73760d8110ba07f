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
    assert lines[0].startswith("OK") and lines[1] == "OK   route: http://127.0.0.1:9, direct"
    assert lines[2].startswith("FAIL endpoint") and "->" in lines[2]


def test_check_prints_the_unsupported_elements_as_json(tmp_path: Path) -> None:
    import json

    source = tmp_path / "source.txt"
    source.write_text("Le budget de 1 240 000 € a été voté le 3 avril 2026 par Jean Dupont.", encoding="utf-8")
    answer = "Budget de 1,25 M€ voté le 03/04/2026 par Jean Dupont."
    result = _cli("check", "--source", str(source), stdin=answer)
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    assert report["count"] == 1 and [f["kind"] for f in report["findings"]] == ["amount"]
    (finding,) = report["findings"]
    assert answer[finding["start"] : finding["end"]] == finding["text"] and finding["reason"] == "not_in_source"
    faithful = _cli("check", "--source", str(source), stdin="Budget : 1,24 M€, voté par Jean Dupont.")
    assert json.loads(faithful.stdout) == {"count": 0, "findings": []}


def test_check_without_a_readable_source_is_a_usage_error(tmp_path: Path) -> None:
    result = _cli("check", "--source", str(tmp_path / "missing.txt"), stdin="texte")
    assert result.returncode == 2 and result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
