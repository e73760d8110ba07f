"""An OpenAI-compatible server on loopback that keeps every byte it receives and answers
like a model that copies what it was given: the placeholders of the last message (so that
pseudonymised values come back, are restored, and are sent again by the next pass of a
long document) and a few of its words. Used to prove no path lets a planted value out."""

from __future__ import annotations

import json
import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

_PLACEHOLDER = re.compile(r"\[[A-Z]+_\d+\]")


def echo_answer(content: str) -> str:
    """The placeholders ``content`` holds, with words around them, in order."""
    placeholders = _PLACEHOLDER.findall(content)
    words = content.split()[:12]
    return " ".join(words) + " — " + " ".join(placeholders) + "."


class _Handler(BaseHTTPRequestHandler):
    server: RecordingServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def _record(self) -> bytes:
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        with self.server.lock:
            self.server.received.append(self.requestline.encode() + b"\r\n" + bytes(self.headers) + body)
        return body

    def do_GET(self) -> None:
        self._record()
        self._send(200, "application/json", json.dumps({"data": [{"id": "echo", "context_length": self.server.window}]}).encode())

    def do_POST(self) -> None:
        body = json.loads(self._record() or b"{}")
        content = body.get("messages", [{}])[-1].get("content", "")
        answer = echo_answer(content)
        if not body.get("stream"):
            self._send(200, "application/json", json.dumps({"choices": [{"message": {"content": answer}}]}).encode())
            return
        events = b"".join(
            f"data: {json.dumps({'choices': [{'index': 0, 'delta': {'content': piece + ' '}}]})}\n\n".encode()
            for piece in answer.split(" ")
        )
        self._send(200, "text/event-stream", events + b"data: [DONE]\n\n")

    def _send(self, status: int, kind: str, payload: bytes) -> None:
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


class RecordingServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, window: int = 2048) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        self.window = window
        self.received: list[bytes] = []
        self.lock = threading.Lock()
        self._thread = threading.Thread(target=self.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def __enter__(self) -> RecordingServer:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()
        self.server_close()

    def text_received(self) -> str:
        """Everything received, with JSON strings decoded as the server reads them."""
        with self.lock:
            raw = list(self.received)
        parts = []
        for request in raw:
            head, _, body = request.partition(b"\r\n\r\n")
            parts.append(head.decode("latin-1"))
            try:
                parts.extend(_strings(json.loads(body)))
            except ValueError:
                parts.append(body.decode("utf-8", "replace"))
        return "\n".join(parts)


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (*_strings(k), *_strings(v))]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    return []
