"""A misbehaving OpenAI-compatible server on loopback, in a thread, for fault tests that
need a real socket (MockTransport cannot show a connection being closed).

The first path segment picks the fault: ``/slow-first-byte``, ``/drop-mid-stream``,
``/trickle`` (one SSE chunk every 50 ms until the client leaves), ``/stall`` (one chunk,
then silence until the client leaves), ``/complete`` (a short, well-formed answer),
``/script`` (streams ``script``: a known answer, to check exactly where formatting goes; its
last chunk carries ``script_finish`` as ``finish_reason`` when set: ``"length"`` is an answer
cut at ``max_tokens``).
``disconnects`` records when each client left; ``paths`` the request targets as received
(absolute when the client went through it as a proxy). ``tls`` serves HTTPS.
"""

from __future__ import annotations

import json
import select
import socket
import ssl
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit


def _chunk(text: str, finish: str | None = None) -> bytes:
    choice: dict[str, Any] = {"index": 0, "delta": {"content": text}}
    if finish is not None:
        choice["finish_reason"] = finish
    data = f"data: {json.dumps({'choices': [choice]})}\n\n".encode()
    return f"{len(data):x}\r\n".encode() + data + b"\r\n"


def _data(text: str) -> bytes:
    data = f"data: {text}\n\n".encode()
    return f"{len(data):x}\r\n".encode() + data + b"\r\n"


class _Handler(BaseHTTPRequestHandler):
    server: FaultyServer
    protocol_version = "HTTP/1.1"

    def log_message(self, format: str, *args: Any) -> None:
        pass

    def do_GET(self) -> None:
        body = json.dumps({"data": [{"id": "smollm2"}]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_POST(self) -> None:
        self.server.bodies.append(self.rfile.read(int(self.headers.get("Content-Length", "0"))).decode("utf-8", "replace"))
        self.server.paths.append(self.path)
        path = urlsplit(self.path).path  # a proxied request names the whole URL
        fault = path.strip("/").split("/")[0]
        self.server.requests.append(fault)
        if fault == "slow-first-byte":
            time.sleep(self.server.slow_seconds)
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Transfer-Encoding", "chunked")
        self.end_headers()
        try:
            if fault == "script":
                words = self.server.script.split(" ")
                for index, word in enumerate(words):
                    last = index == len(words) - 1
                    self.wfile.write(_chunk(word + " ", self.server.script_finish if last else None))
                self.wfile.write(_data("[DONE]") + b"0\r\n\r\n")
                self.wfile.flush()
                return
            self.wfile.write(_chunk("Le "))
            self.wfile.flush()
            if fault == "drop-mid-stream":
                # No terminating chunk: the reply is cut. Shut down, since wfile keeps the socket open.
                self.connection.shutdown(socket.SHUT_RDWR)
                return
            if fault == "complete":
                self.wfile.write(_chunk("conseil.") + _data("[DONE]") + b"0\r\n\r\n")
                self.wfile.flush()
                return
            if fault == "stall":
                self._wait_for_client_to_leave(30.0)
                return
            for _ in range(600):  # trickle, bounded to 30 s
                time.sleep(0.05)
                self.wfile.write(_chunk("mot "))
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            self.server.disconnects.append(time.monotonic())

    def _wait_for_client_to_leave(self, limit: float) -> None:
        readable, _, _ = select.select([self.connection], [], [], limit)
        if readable and not self.connection.recv(1):
            self.server.disconnects.append(time.monotonic())


class FaultyServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, tls: ssl.SSLContext | None = None) -> None:
        super().__init__(("127.0.0.1", 0), _Handler)
        if tls is not None:
            self.socket = tls.wrap_socket(self.socket, server_side=True)
        self.scheme = "https" if tls is not None else "http"
        self.paths: list[str] = []
        self.bodies: list[str] = []  # what each POST carried, to prove what was (not) sent
        self.connections = 0  # every accepted connection, whatever was sent on it
        self.requests: list[str] = []
        self.disconnects: list[float] = []
        self.slow_seconds = 3.0
        self.script = "Le conseil."  # what /script answers, word by word
        self.script_finish: str | None = None  # the finish_reason of its last chunk ("length": cut at max_tokens)
        self.thread = threading.Thread(target=self.serve_forever, daemon=True)

    def process_request(self, request: Any, client_address: Any) -> None:
        self.connections += 1
        super().process_request(request, client_address)

    @property
    def url(self) -> str:
        return f"{self.scheme}://127.0.0.1:{self.server_address[1]}"

    def __enter__(self) -> FaultyServer:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.shutdown()
        self.server_close()

    def wait_for_disconnect(self, timeout: float) -> float | None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.disconnects:
                return self.disconnects[-1]
            time.sleep(0.01)
        return None
