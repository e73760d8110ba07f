"""``python -m plume gateway``: configuration errors in one line each (exit 2), keys made and
hashed, the dependencies kept out of the .oxt, and desktop Plume (backend openai) working
through a gateway served by uvicorn on loopback."""

from __future__ import annotations

import io
import json
import random
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from gateway_support import KEY, MODEL, Upstream, completion, config, delta

from plume import cli
from plume_gateway.app import Gateway, State, build_app
from plume_gateway.keys import KeyRing, hash_line, parse_hash
from support.personal_data import phone

ROOT = Path(__file__).resolve().parents[2]
GOOD = f"""
[server]
port = 8099
origins = ["https://office.example.org"]

[plume]
base_url = "http://127.0.0.1:11434"
model = "small"

[[keys]]
name = "collabora"
hash = "{hash_line(KEY)}"
"""


def _gateway(argv: list[str], capsys: pytest.CaptureFixture[str], stdin: str = "") -> tuple[int, list[str], list[str]]:
    from plume_gateway.cli import main

    code = main(argv, stdin=io.StringIO(stdin), stdout=(out := io.StringIO()))
    return code, out.getvalue().splitlines(), capsys.readouterr().err.splitlines()


def test_a_good_file_checks_ok(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "gateway.toml"
    path.write_text(GOOD, encoding="utf-8")
    code, out, err = _gateway(["--config", str(path), "--check"], capsys)
    assert code == 0 and out[0].startswith("ok:") and err == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("[server\nport = 1", 1),  # not TOML
        (GOOD.replace("port = 8099", 'port = "eighty"').replace("[plume]", "[plume]\ntemperature = 9\ncolour = 'blue'"), 3),
        (GOOD.replace(hash_line(KEY), "sha256:abc").replace('"https://office.example.org"', '"office.example.org/path"'), 2),
        (GOOD.replace("[[keys]]", "[extra]\n[[keys]]").replace('base_url = "http://127.0.0.1:11434"', ""), 2),
        (GOOD.replace('base_url = "http://127.0.0.1:11434"', 'base_url = "https://llm.example.net"'), 1),  # unapproved
    ],
    ids=["not-toml", "types-and-unknown", "hash-and-origin", "section-and-url", "unapproved"],
)
def test_a_bad_file_gets_one_line_per_problem_and_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, expected: int
) -> None:
    path = tmp_path / "gateway.toml"
    path.write_text(text, encoding="utf-8")
    code, out, err = _gateway(["--config", str(path), "--check"], capsys)
    assert code == 2 and out == []
    assert len(err) == expected and all(line.startswith("plume gateway: ") for line in err)
    assert "Traceback" not in "\n".join(err)


def test_the_subcommand_is_reached_through_plumes_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli.main(["gateway", "--config", str(tmp_path / "missing.toml")]) == 2
    assert cli.main(["gateway"]) == 2
    err = capsys.readouterr().err.splitlines()
    assert len(err) == 2 and "cannot be read" in err[0]


def test_hash_key_hashes_stdin_or_makes_a_new_key(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = _gateway(["hash-key"], capsys, stdin=KEY + "\n")
    assert code == 0 and out == [hash_line(KEY)] and parse_hash(out[0])
    code, out, _ = _gateway(["hash-key", "--new"], capsys)
    new_key, line = out
    assert code == 0 and KeyRing([__import__("plume_gateway.keys").keys.Key("n", parse_hash(line) or "")]).find(
        f"Bearer {new_key}"
    )
    code, out, err = _gateway(["hash-key"], capsys, stdin="short\n")
    assert code == 2 and out == [] and len(err) == 1


def test_the_gateways_dependencies_stay_out_of_the_oxt() -> None:
    vendored = (ROOT / "requirements.txt").read_text(encoding="utf-8").lower()
    for name in ("starlette", "uvicorn", "prometheus"):
        assert name not in vendored
        assert name in (ROOT / "requirements-gateway.txt").read_text(encoding="utf-8")
    build = (ROOT / "build.py").read_text(encoding="utf-8")
    assert 'for package in ("plume", "plume_lo"):' in build  # the packages copied into the .oxt


@contextmanager
def _served(app: Any) -> Iterator[str]:
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=0, log_config=None, access_log=False, lifespan="off"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        while not server.started:
            if not thread.is_alive():
                raise RuntimeError("uvicorn did not start")
            thread.join(0.01)
        port = server.servers[0].sockets[0].getsockname()[1]
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(10)


def test_desktop_plume_runs_an_action_through_the_gateway(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    tel = phone(random.Random(21))
    upstream = Upstream(lambda request, body: completion("Merci de rappeler le [TEL_1] au plus vite."))
    transport = upstream.transport()
    with _served(build_app(Gateway(State.open(config(tmp_path), transport), transport))) as url:
        for name, value in {"PLUME_BACKEND": "openai", "PLUME_BASE_URL": url, "PLUME_MODEL": MODEL, "PLUME_API_KEY": KEY}.items():
            monkeypatch.setenv(name, value)
        stdout = io.StringIO()
        code = cli.main(["run", "rewrite-formal"], stdin=io.StringIO(f"Rappelez le {tel} vite svp."), stdout=stdout)
    assert code == 0, capsys.readouterr().err
    assert tel in stdout.getvalue()
    sent = "\n".join(r.content.decode() for r in upstream.received if r.method == "POST")
    assert sent and tel not in sent and "[TEL_1]" in sent


def test_a_running_stream_finishes_when_the_server_is_told_to_stop(tmp_path: Path) -> None:
    """What SIGTERM does (uvicorn's should_exit): no new connection, the stream under way ends
    with all its chunks and [DONE]."""
    import asyncio

    told = threading.Event()

    async def slow() -> Any:
        yield b"data: " + json.dumps(delta("avant ")).encode() + b"\n\n"
        while not told.is_set():
            await asyncio.sleep(0.01)  # the scripted upstream waits for the test's signal
        yield b"data: " + json.dumps(delta("après", finish="stop")).encode() + b"\n\ndata: [DONE]\n\n"

    upstream = Upstream(lambda request, body: httpx.Response(200, headers={"content-type": "text/event-stream"}, content=slow()))
    transport = upstream.transport()
    app = build_app(Gateway(State.open(config(tmp_path, plume={"local_policy": "send"}), transport), transport))
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=0, log_config=None, lifespan="off", timeout_graceful_shutdown=30)
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    while not server.started:
        assert thread.is_alive()
        thread.join(0.01)
    url = f"http://127.0.0.1:{server.servers[0].sockets[0].getsockname()[1]}"
    with (
        httpx.Client(timeout=30) as client,
        client.stream(
            "POST",
            url + "/v1/chat/completions",
            json={"model": MODEL, "messages": [], "stream": True},
            headers={"Authorization": f"Bearer {KEY}"},
        ) as answer,
    ):
        lines = answer.iter_lines()
        first = next(line for line in lines if line.startswith("data: "))
        server.should_exit = True
        told.set()
        rest = [line for line in lines if line.startswith("data: ")]
    thread.join(30)
    assert not thread.is_alive()
    assert "avant" in first and json.loads(rest[0][6:])["choices"][0]["delta"]["content"] == "après"
    assert rest[-1] == "data: [DONE]"


def test_a_client_that_leaves_mid_stream_closes_the_upstream_request(tmp_path: Path) -> None:
    import asyncio

    closed = threading.Event()

    async def silent() -> Any:
        try:
            yield b": waiting\n\n"
            await asyncio.Event().wait()  # the model thinks for ever
            yield b""
        finally:
            closed.set()

    upstream = Upstream(
        lambda request, body: httpx.Response(200, headers={"content-type": "text/event-stream"}, content=silent())
    )
    transport = upstream.transport()
    gateway = Gateway(State.open(config(tmp_path, plume={"local_policy": "send"}), transport), transport)
    with _served(build_app(gateway)) as url, httpx.Client(timeout=30) as client:
        request = {"model": MODEL, "messages": [{"role": "user", "content": "x"}], "stream": True}
        with client.stream(
            "POST", url + "/v1/chat/completions", json=request, headers={"Authorization": f"Bearer {KEY}"}
        ) as answer:
            assert answer.status_code == 200
        # The connection is closed: the gateway notices and closes its upstream request.
        assert closed.wait(20)
        audit = tmp_path / "audit.jsonl"
        for _ in range(2000):
            if audit.exists() and gateway.state.active == 0:
                break
            closed.wait(0.01)
    assert gateway.state.active == 0
    assert json.loads(audit.read_text().splitlines()[-1])["outcome"] == "error"
