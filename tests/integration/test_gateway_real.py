"""The real gateway process (``python -m plume gateway --config FILE``, uvicorn on loopback) in
front of the real llama.cpp server, replaying what Collabora Online sends: the model list, a
streamed chat with its tools, the rewrite dialog's request. Structure only (the test model's
words prove nothing). The same run proves SIGHUP (a bad file keeps the running configuration,
a good one replaces it) and a clean stop on SIGTERM."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import httpx

from plume.settings import Settings
from plume_gateway.keys import hash_line
from support import collabora_requests as collabora

PYTHON_DIR = Path(__file__).resolve().parents[2] / "python"
KEY, NEW_KEY = "plume-gw-integration-key-000000001", "plume-gw-integration-key-000000002"
ORIGIN = "https://office.example.org"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _config(settings: Settings, port: int, audit: Path, key: str) -> str:
    return f"""
[server]
port = {port}
origins = ["{ORIGIN}"]
audit_log = "{audit}"
shutdown_seconds = 5

[plume]
base_url = "{settings.base_url}"
model = "{settings.model}"
max_output_tokens = 16
context_window = {settings.context_window}
local_policy = "pseudonymise"

[[keys]]
name = "collabora"
hash = "{hash_line(key)}"
"""


def _wait(condition: Any, what: str, process: subprocess.Popen[bytes], limit: float = 60) -> None:
    deadline = time.monotonic() + limit
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(f"the gateway exited ({process.returncode}) while waiting for {what}")
        try:
            if condition():
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.05)  # polling a process: no event to wait on
    raise AssertionError(f"timed out waiting for {what}")


def test_collabora_requests_through_the_real_gateway(openai_settings: Settings, tmp_path: Path) -> None:
    port, audit = _free_port(), tmp_path / "audit.jsonl"
    path = tmp_path / "gateway.toml"
    path.write_text(_config(openai_settings, port, audit, KEY), encoding="utf-8")
    log = (tmp_path / "gateway.log").open("wb")
    env = {**os.environ, "PYTHONPATH": str(PYTHON_DIR)}
    process = subprocess.Popen([sys.executable, "-m", "plume", "gateway", "--config", str(path)], stderr=log, env=env)
    base = f"http://127.0.0.1:{port}"
    headers = {"Authorization": f"Bearer {KEY}", "Origin": ORIGIN}
    try:
        with httpx.Client(base_url=base, timeout=120) as client:
            _wait(lambda: client.get("/healthz").status_code == 200, "/healthz", process)
            assert client.get("/readyz").status_code == 200

            models = client.get("/v1/models", headers=headers)
            assert models.status_code == 200 and models.headers["access-control-allow-origin"] == ORIGIN
            ids = [m["id"] for m in models.json()["data"]]
            assert openai_settings.model in ids and "plume-rewrite-formal" in ids

            mail = "k.benali@laposte.net"
            chat = collabora.chat(
                "Résume ce passage.", openai_settings.model, selected=f"Écrire à {mail} avant lundi.", stream=True
            )
            with client.stream("POST", "/v1/chat/completions", json=chat, headers=headers) as streamed:
                assert streamed.status_code == 200 and streamed.headers["content-type"].startswith("text/event-stream")
                data = [line[6:] for line in streamed.iter_lines() if line.startswith("data: ")]
            assert data[-1] == "[DONE]"
            chunks = [json.loads(d) for d in data[:-1]]
            assert chunks and all("choices" in c and "error" not in c for c in chunks)

            rewrite = client.post(
                "/v1/chat/completions",
                json=collabora.rewrite("Make it formal", "on se voit demain a la mairie", openai_settings.model),
                headers=headers,
            )
            assert rewrite.status_code == 200
            assert isinstance(rewrite.json()["choices"][0]["message"]["content"], str)

            lines = [json.loads(line) for line in audit.read_text(encoding="utf-8").splitlines()]
            assert [e["outcome"] for e in lines] == ["done", "done"] and lines[0]["pseudonymised"] >= 1
            assert mail not in audit.read_text(encoding="utf-8")

            # SIGHUP with a broken file: refused, logged, the running configuration stays.
            path.write_text("[server\n", encoding="utf-8")
            process.send_signal(signal.SIGHUP)
            _wait(lambda: b"new configuration refused" in (tmp_path / "gateway.log").read_bytes(), "the refusal", process, 20)
            assert client.get("/v1/models", headers=headers).status_code == 200
            # A good file with another key: the new key works, the old one no longer does.
            path.write_text(_config(openai_settings, port, audit, NEW_KEY), encoding="utf-8")
            process.send_signal(signal.SIGHUP)
            new = {"Authorization": f"Bearer {NEW_KEY}"}
            _wait(lambda: client.get("/v1/models", headers=new).status_code == 200, "the new key", process, 20)
            assert client.get("/v1/models", headers=headers).status_code == 401
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
        assert b"Traceback" not in (tmp_path / "gateway.log").read_bytes()
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        log.close()
