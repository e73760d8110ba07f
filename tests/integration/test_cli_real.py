from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from plume.settings import Settings

PYTHON_DIR = Path(__file__).resolve().parents[2] / "python"


def _cli(settings: Settings, *args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "PYTHONPATH": str(PYTHON_DIR),
        "PLUME_BACKEND": settings.backend,
        "PLUME_BASE_URL": settings.base_url,
        "PLUME_MODEL": settings.model,
        "PLUME_MAX_OUTPUT_TOKENS": "64",
        "PLUME_CONTEXT_WINDOW": str(settings.context_window),
    }
    return subprocess.run(
        [sys.executable, "-m", "plume", *args], input=stdin, capture_output=True, text=True, env=env, timeout=120
    )


def test_run_summarize_streams_to_stdout(openai_settings: Settings) -> None:
    result = _cli(openai_settings, "run", "summarize", stdin="Le conseil municipal a voté le budget 2026 de la commune.")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()


def test_run_draft_writes_from_the_instruction_alone(openai_settings: Settings) -> None:
    result = _cli(openai_settings, "run", "draft", "--instruction", "Une invitation au conseil municipal du 3 avril.")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip()


SERVER_CHECKS = ("settings", "endpoint", "model", "context window")
INSTALLATION_CHECKS = ("python", "libreoffice", "extension", "translation", "policy")


def test_doctor_is_all_ok_against_the_real_server(openai_settings: Settings, ollama_settings: Settings) -> None:
    for settings in (openai_settings, ollama_settings):
        result = _cli(settings, "doctor")
        lines = {line[5:].split(":")[0]: line for line in result.stdout.splitlines()}
        assert all(lines[name].startswith("OK") for name in SERVER_CHECKS), result.stdout
        # This machine's installation (no shared Plume, maybe no packages) decides the rest.
        assert set(INSTALLATION_CHECKS) <= set(lines) and all(line[:4] in ("OK  ", "FAIL") for line in lines.values())
        assert lines["libreoffice"].startswith("OK") and lines["python"].startswith("OK")
        assert result.returncode == (0 if all(line.startswith("OK") for line in lines.values()) else 3)
    assert "context window: 2048 tokens (settings)" in _cli(openai_settings, "doctor").stdout
    assert "context window: 8192 tokens (server)" in _cli(ollama_settings, "doctor").stdout, "Ollama's /api/show"


def test_doctor_names_the_missing_model(openai_settings: Settings) -> None:
    result = _cli(openai_settings.replace(model="mistral-large"), "doctor")
    assert result.returncode == 3
    assert any(line.startswith("FAIL model") and "smollm2" in line for line in result.stdout.splitlines())


def test_models_lists_the_server_models(ollama_settings: Settings) -> None:
    result = _cli(ollama_settings, "models")
    assert result.returncode == 0 and "smollm2:135m" in result.stdout.split()
