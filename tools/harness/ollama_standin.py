"""An Ollama-protocol stand-in: the parts of Ollama's documented API that Plume uses,
generating with a real GGUF through llama_cpp. Ollama itself cannot be installed here.

- ``GET /api/version``, ``GET /api/tags``, ``POST /api/show``
- ``POST /api/chat`` with NDJSON streaming, ``options.num_ctx`` / ``num_predict`` /
  ``temperature``, ``keep_alive``. Like Ollama, a prompt longer than ``num_ctx`` is cut
  silently (the start is dropped); the stand-in records it so tests can prove Plume never
  lets that happen.
- ``GET /_standin/requests``: what each chat request asked for (test-only).
"""

from __future__ import annotations

import argparse
import json
import threading
import time
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from llama_cpp import Llama

MODEL_NAME = "smollm2:135m"
DEFAULT_NUM_CTX = 2048  # Ollama's default context: the cause of silently cut prompts
MAX_NUM_CTX = 8192


class Models:
    """One Llama per context size, like Ollama reloading the model when num_ctx changes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.lock = threading.Lock()
        self.loaded: dict[int, Llama] = {}

    def get(self, num_ctx: int) -> Llama:
        if num_ctx not in self.loaded:
            self.loaded.clear()
            self.loaded[num_ctx] = Llama(model_path=str(self.path), n_ctx=num_ctx, n_threads=2, verbose=False)
        return self.loaded[num_ctx]


def _now() -> str:
    return datetime.now(UTC).isoformat().replace("+00:00", "Z")


class Handler(BaseHTTPRequestHandler):
    server: StandIn
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _json(self, status: int, body: Any) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def _body(self) -> dict[str, Any]:
        length = int(self.headers.get("Content-Length", "0"))
        return json.loads(self.rfile.read(length) or b"{}")

    def do_GET(self) -> None:
        if self.path == "/api/version":
            self._json(200, {"version": "0.12.0-standin"})
        elif self.path == "/api/tags":
            size = self.server.models.path.stat().st_size
            self._json(
                200,
                {
                    "models": [
                        {
                            "name": MODEL_NAME,
                            "model": MODEL_NAME,
                            "modified_at": _now(),
                            "size": size,
                            "digest": "0" * 64,
                            "details": {
                                "format": "gguf",
                                "family": "llama",
                                "parameter_size": "135M",
                                "quantization_level": "Q4_1",
                            },
                        }
                    ]
                },
            )
        elif self.path == "/_standin/requests":
            self._json(200, self.server.records)
        else:
            self._json(404, {"error": "not found"})

    def do_POST(self) -> None:
        body = self._body()
        if self.path == "/api/show":
            if body.get("model", body.get("name")) != MODEL_NAME:
                self._json(404, {"error": f"model '{body.get('model')}' not found"})
                return
            self._json(
                200,
                {
                    "model_info": {"general.architecture": "llama", "llama.context_length": MAX_NUM_CTX},
                    "details": {"family": "llama"},
                    "capabilities": ["completion"],
                },
            )
        elif self.path == "/api/chat":
            self._chat(body)
        else:
            self._json(404, {"error": "not found"})

    def _chat(self, body: dict[str, Any]) -> None:
        model = body.get("model", "")
        if model not in (MODEL_NAME, MODEL_NAME.split(":")[0]):
            self._json(404, {"error": f"model '{model}' not found, try pulling it first"})
            return
        options = body.get("options") or {}
        num_ctx = min(int(options.get("num_ctx", DEFAULT_NUM_CTX)), MAX_NUM_CTX)
        messages = body.get("messages", [])
        with self.server.models.lock:
            llm = self.server.models.get(num_ctx)
            prompt = "".join(f"<|im_start|>{m['role']}\n{m['content']}<|im_end|>\n" for m in messages)
            prompt_tokens = len(llm.tokenize(prompt.encode(), add_bos=False, special=True))
            record = {
                "model": model,
                "num_ctx": num_ctx,
                "prompt_tokens": prompt_tokens,
                "truncated": prompt_tokens > num_ctx,
                "keep_alive": body.get("keep_alive"),
            }
            self.server.records.append(record)
            if record["truncated"]:
                # What Ollama does: keep the end of the prompt, silently.
                messages = [{"role": "user", "content": messages[-1]["content"][-num_ctx:]}]
            max_tokens = int(options.get("num_predict", 128))
            max_tokens = max(1, min(max_tokens, num_ctx - min(prompt_tokens, num_ctx) - 8))
            self.send_response(200)
            self.send_header("Content-Type", "application/x-ndjson")
            self.send_header("Transfer-Encoding", "chunked")
            self.end_headers()
            started = time.monotonic()
            count = 0
            try:
                # Typed as Any: llama-cpp's stubs cannot tell a stream from one reply by the flag.
                chunks: Any = llm.create_chat_completion(
                    messages=messages,
                    stream=body.get("stream", True),
                    max_tokens=max_tokens,
                    temperature=float(options.get("temperature", 0.8)),
                )
                for chunk in chunks:
                    content = chunk["choices"][0]["delta"].get("content")
                    if content:
                        count += 1
                        self._line(
                            {
                                "model": model,
                                "created_at": _now(),
                                "message": {"role": "assistant", "content": content},
                                "done": False,
                            }
                        )
                self._line(
                    {
                        "model": model,
                        "created_at": _now(),
                        "message": {"role": "assistant", "content": ""},
                        "done": True,
                        "done_reason": "stop",
                        "total_duration": int((time.monotonic() - started) * 1e9),
                        "prompt_eval_count": prompt_tokens,
                        "eval_count": count,
                    }
                )
                self.wfile.write(b"0\r\n\r\n")
            except (BrokenPipeError, ConnectionResetError):
                record["client_disconnected"] = True  # the client stopped: stop generating

    def _line(self, value: dict[str, Any]) -> None:
        data = (json.dumps(value) + "\n").encode()
        self.wfile.write(f"{len(data):x}\r\n".encode() + data + b"\r\n")
        self.wfile.flush()


class StandIn(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, port: int, model: Path) -> None:
        super().__init__(("127.0.0.1", port), Handler)
        self.models = Models(model)
        self.records: list[dict[str, Any]] = []


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", required=True, type=Path)
    parser.add_argument("--port", required=True, type=int)
    args = parser.parse_args()
    StandIn(args.port, args.model).serve_forever()


if __name__ == "__main__":
    main()
