"""An OpenAI-compatible server on loopback that counts every prompt with the test model's real
tokenizer and refuses, as llama.cpp does, a request that does not fit its window, but answers
at once with a scripted text instead of generating.

Long-document planning is about what is sent, not about what the model writes: this server
proves a 100-page summary never exceeds the window (the same tokens llama.cpp would count)
in seconds, where the real model needs a quarter of an hour to read it. The real server
still runs the shorter documents (tests/integration/test_long_documents.py).
"""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from support.faulty_server import _chunk, _data


class _Handler(BaseHTTPRequestHandler):
    server: WindowedServer

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _json(self, status: int, body: Any) -> None:
        data = json.dumps(body).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def do_GET(self) -> None:
        self._json(200, {"object": "list", "data": [{"id": self.server.model}]})

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", "0"))))
        # SmolLM2's chat template (ChatML), as llama-cpp-python's server renders it.
        prompt = "".join(f"<|im_start|>{m['role']}\n{m['content']}<|im_end|>\n" for m in body["messages"])
        prompt += "<|im_start|>assistant\n"
        tokens = self.server.count(prompt)
        self.server.prompt_tokens.append(tokens)
        if tokens >= self.server.n_ctx:
            self.server.refused += 1
            self._json(400, {"error": {"message": f"Requested tokens ({tokens}) exceed context window of {self.server.n_ctx}"}})
            return
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        for word in self.server.answer.split(" "):
            self.wfile.write(_chunk(word + " "))
        self.wfile.write(_chunk("", "stop") + _data("[DONE]") + b"0\r\n\r\n")
        self.wfile.flush()


class WindowedServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, gguf: Path, n_ctx: int, model: str, answer: str) -> None:
        from llama_cpp import Llama

        super().__init__(("127.0.0.1", 0), _Handler)
        self.n_ctx, self.model, self.answer = n_ctx, model, answer
        self._vocab = Llama(model_path=str(gguf), vocab_only=True, verbose=False)
        self._lock = threading.Lock()  # the tokenizer is not shared across threads safely
        self.prompt_tokens: list[int] = []  # the real count of every prompt received, in order
        self.refused = 0
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)

    def count(self, prompt: str) -> int:
        with self._lock:
            return len(self._vocab.tokenize(prompt.encode(), add_bos=False, special=True))

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def __enter__(self) -> WindowedServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()
        self.server_close()
