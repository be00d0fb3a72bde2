"""The HTTP scaffolding the fake services share (``fake_arxiv``, ``fake_venues``).

A ``FakeServer`` is a threaded HTTP server on 127.0.0.1 (port 0: a free one) that
serves from a thread of its own while a ``with`` block runs, or in the foreground
(``serve_forever``) when run standalone.  Its handler, a ``FakeHandler``, reads the
request body and hands ``(method, body)`` to ``route``; ``send_body`` writes one
whole answer with its length.
"""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Self

# How often the serving thread looks for a stop request: ``stop`` waits up to this
# long, and the tests stop a fake server hundreds of times.
_STOP_POLL_SECONDS = 0.05


class FakeHandler(BaseHTTPRequestHandler):
    """GET and POST requests, answered by ``route`` with ``send_body``; no access log."""

    protocol_version = "HTTP/1.1"
    server: Any  # the ThreadingHTTPServer a FakeServer made, with ``.fake`` set

    def log_message(self, format: str, *args: object) -> None:  # noqa: A002 - stdlib signature
        pass  # each fake keeps the log it needs

    @property
    def fake(self) -> Any:
        """The FakeServer this request came to."""
        return self.server.fake

    def do_GET(self) -> None:
        self.route("GET", b"")

    def do_POST(self) -> None:
        length = int(self.headers.get("Content-Length") or 0)
        self.route("POST", self.rfile.read(length) if length else b"")

    def route(self, method: str, body: bytes) -> None:
        raise NotImplementedError

    def send_body(self, status: int, body: bytes, content_type: str,
                  headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        self.wfile.write(body)
        self.wfile.flush()


class FakeServer:
    """``with Server(...) as fake: fake.base_url``: serves in a daemon thread meanwhile."""

    thread_name = "fake-server"

    def __init__(self, handler: type[FakeHandler], host: str = "127.0.0.1", port: int = 0) -> None:
        self._httpd = ThreadingHTTPServer((host, port), handler)
        self._httpd.daemon_threads = True
        self._httpd.fake = self  # type: ignore[attr-defined]
        self._thread: threading.Thread | None = None

    @property
    def base_url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> Self:
        self._thread = threading.Thread(target=self._httpd.serve_forever, args=(_STOP_POLL_SECONDS,),
                                        name=self.thread_name, daemon=True)
        self._thread.start()
        return self

    def serve_forever(self) -> None:
        """Serve in this thread until the process is stopped (the standalone fakes)."""
        self._httpd.serve_forever()

    def stop(self) -> None:
        if self._thread is not None:
            self._httpd.shutdown()
            self._thread.join()
            self._thread = None
        self._httpd.server_close()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
