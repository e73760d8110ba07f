"""A relay between Plume and the model server that notes, for each chat request, when it
arrived, when the server sent its first token and when it sent the first token Plume may show
(the answer after Plume's cleaning: a label or preamble the model writes first is withheld
by design), and when it sent its last token.

Measured on the same request, these remove the model's own variation from row 2: on a shared
two-core machine the time to first token of identical requests varies by seconds, which hides
a 100-ms difference between two separate calls. The relay's own cost (a few tenths of a
millisecond per piece) is counted against Plume.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import httpx

from benchmarks.perf_direct import delta_content


@dataclass
class Relayed:
    arrived: float
    first_token: float | None = None
    first_shown: float | None = None  # first token the cleaned answer shows
    last_token: float | None = None


class TimingProxy:
    def __init__(self, upstream: str) -> None:
        self.upstream = upstream.rstrip("/")
        self.chats: list[Relayed] = []
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, format: str, *args: Any) -> None:
                pass

            def do_GET(self) -> None:
                reply = httpx.get(proxy.upstream + self.path, timeout=60)
                self._answer(reply.status_code, reply.headers.get("content-type", ""), reply.content)

            def do_POST(self) -> None:
                arrived = time.monotonic()
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                if not self.path.endswith("/chat/completions"):
                    reply = httpx.post(proxy.upstream + self.path, content=body, timeout=300)
                    self._answer(reply.status_code, reply.headers.get("content-type", ""), reply.content)
                    return
                relayed = Relayed(arrived)
                proxy.chats.append(relayed)
                proxy._relay_stream(self, body, relayed)

            def _answer(self, status: int, content_type: str, content: bytes) -> None:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(content)))
                self.end_headers()
                self.wfile.write(content)

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def __enter__(self) -> TimingProxy:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._server.shutdown()
        self._server.server_close()

    def _relay_stream(self, handler: BaseHTTPRequestHandler, body: bytes, relayed: Relayed) -> None:
        from plume.cleaning import StreamCleaner

        cleaner = StreamCleaner()
        headers = {"Content-Type": "application/json"}
        with (
            httpx.Client(timeout=300) as client,
            client.stream("POST", self.upstream + handler.path, content=body, headers=headers) as reply,
        ):
            handler.send_response(reply.status_code)
            handler.send_header("Content-Type", reply.headers.get("content-type", "text/event-stream"))
            handler.send_header("Connection", "close")  # HTTP/1.0: the body ends when the connection does
            handler.end_headers()
            pending = b""
            for chunk in reply.iter_raw():
                handler.wfile.write(chunk)
                handler.wfile.flush()
                pending += chunk
                *lines, pending = pending.split(b"\n")
                for line in lines:
                    self._note(line, relayed, cleaner)

    @staticmethod
    def _note(line: bytes, relayed: Relayed, cleaner: Any) -> None:
        if not line.startswith(b"data:"):
            return
        try:
            piece = delta_content(line[5:].decode("utf-8"))
        except ValueError:  # also UnicodeDecodeError
            return
        if not piece:
            return
        now = time.monotonic()
        if relayed.first_token is None:
            relayed.first_token = now
        relayed.last_token = now
        if relayed.first_shown is None and cleaner.feed(piece):
            relayed.first_shown = now
