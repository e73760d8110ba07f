"""The destination policy over a real socket: a blocked destination receives nothing, not
even a connection; the CLI says so and exits with an error."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from plume.actions import ActionSpec
from plume.backends.base import create_backend
from plume.errors import DestinationBlocked
from plume.pipeline import Generation
from plume.settings import Settings
from support.faulty_server import FaultyServer

PYTHON_DIR = Path(__file__).resolve().parents[2] / "python"
TEXT = "Mme Claire Durand, 06 12 34 56 78, demande un rendez-vous."


def test_a_blocked_destination_receives_nothing(faulty: FaultyServer) -> None:
    blocked = Settings(backend="openai", base_url=faulty.url + "/complete", model="smollm2", local_policy="block")
    with pytest.raises(DestinationBlocked):
        backend = create_backend(blocked)
        Generation(backend, blocked, ActionSpec("summarize"), TEXT, model="smollm2").run()
    assert faulty.connections == 0


def test_the_same_listener_receives_the_text_when_allowed(faulty: FaultyServer) -> None:
    allowed = Settings(backend="openai", base_url=faulty.url + "/complete", model="smollm2")
    Generation(create_backend(allowed), allowed, ActionSpec("summarize"), TEXT, model="smollm2").run()
    assert faulty.connections >= 1, "the test can tell a connection when there is one"


def test_the_cli_refuses_an_unapproved_host_with_exit_3_and_sends_nothing(faulty: FaultyServer) -> None:
    env = {**os.environ, "PYTHONPATH": str(PYTHON_DIR), "LANG": "fr_FR.UTF-8", "PLUME_BACKEND": "openai",
           "PLUME_BASE_URL": faulty.url.replace("127.0.0.1", "localhost.example"), "PLUME_MODEL": "m"}  # fmt: skip
    result = subprocess.run(
        [sys.executable, "-m", "plume", "run", "summarize"], input=TEXT, capture_output=True, text=True, env=env, timeout=60
    )
    assert result.returncode == 3 and "bloqué" in result.stderr
    assert faulty.connections == 0


def test_redact_prints_placeholders_then_the_findings() -> None:
    env = {**os.environ, "PYTHONPATH": str(PYTHON_DIR)}
    result = subprocess.run(
        [sys.executable, "-m", "plume", "redact"], input=TEXT, capture_output=True, text=True, env=env, timeout=60
    )
    assert result.returncode == 0
    *text, findings = result.stdout.rstrip("\n").split("\n")
    import json

    parsed = json.loads(findings)
    assert "Durand" not in "\n".join(text) and "[TEL_1]" in text[0]
    assert [f["type"] for f in parsed] == ["NOM", "TEL"]
    assert TEXT[parsed[1]["start"] : parsed[1]["end"]] == "06 12 34 56 78"
