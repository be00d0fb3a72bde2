"""A hostile HTTP server on 127.0.0.1 for tests of code that talks to the arXiv API.

Mocks (respx) never exercise sockets, timeouts or decoders; this does.  Each
behaviour is one way a server can misbehave -- answer too slowly, never
finish, send far too much, lie about its encoding, redirect forever, rate
limit with absurd ``Retry-After`` values, send garbage, or hang up::

    with HostileServer(sequence(status(503), ok(atom_feed([...])))) as srv:
        client.fetch(srv.url)           # first request 503, then the feed
        assert len(srv.requests) == 2

A behaviour is any callable taking a ``Conn``; the ready-made ones are frozen
dataclasses.  Standard library only.  Leaving the ``with`` is bounded: every
client socket is shut down and every write and sleep checks a stop event, so
even a trickle or an endless stream ends within about a second.
"""

from __future__ import annotations

import functools
import socket
import struct
import sys
import threading
import zlib
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any, Callable, Mapping
from xml.sax.saxutils import escape

Headers = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Request:
    method: str
    path: str
    headers: Headers  # as received, in order
    body: bytes

    def header(self, name: str) -> str | None:
        return next((v for k, v in self.headers if k.lower() == name.lower()), None)


class _Stopped(Exception):
    """The server is shutting down: unwinds a behaviour mid-response."""


class Conn:
    """What a behaviour sees: the request, its 0-based index on this server, and the socket."""

    def __init__(self, handler: _Handler, request: Request, index: int) -> None:
        self.request, self.index, self._h = request, index, handler
        self.base_url, self._stop = handler.server.base_url, handler.server.owner._stop

    def head(self, code: int, headers: Headers = (), length: int | None = None, close: bool = False) -> None:
        h, names = self._h, {k.lower() for k, _ in headers}
        h.send_response(code)
        if "content-type" not in names:
            h.send_header("Content-Type", "application/atom+xml; charset=utf-8")
        if length is not None:
            h.send_header("Content-Length", str(length))
        for k, v in headers + ((("Connection", "close"),) if close else ()):
            h.send_header(k, v)
        h.close_connection = h.close_connection or close
        h.end_headers()

    def write(self, data: bytes) -> None:
        if self._stop.is_set():
            raise _Stopped
        self._h.wfile.write(data)

    def sleep(self, seconds: float) -> None:
        if self._stop.wait(seconds):
            raise _Stopped

    def drop(self, reset: bool = False) -> None:
        self._h.close_connection = True
        if reset:  # linger 0: the close sends RST; closing now, before the server's shutdown(), skips its FIN
            self._h.connection.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
            self._h.connection.close()  # the fd really closes once the handler's files close


Behaviour = Callable[[Conn], None]


@dataclass(frozen=True)
class Ok:
    body: bytes
    status: int = 200
    headers: Headers = ()
    short_by: int = 0  # Content-Length claims this many more bytes than are sent

    def __call__(self, c: Conn) -> None:
        c.head(self.status, self.headers, length=len(self.body) + self.short_by, close=self.short_by > 0)
        c.write(self.body)


@dataclass(frozen=True)
class Trickle:
    body: bytes
    bytes_per_second: float

    def __call__(self, c: Conn) -> None:
        c.head(200, length=len(self.body), close=True)
        for i in range(len(self.body)):
            if i:
                c.sleep(1.0 / self.bytes_per_second)
            c.write(self.body[i : i + 1])


@dataclass(frozen=True)
class EndlessChunked:
    chunk: bytes
    repeat: int  # each wire chunk is chunk * repeat: 6-byte chunks would make tests CPU-bound
    interval: float

    def __call__(self, c: Conn) -> None:
        c.head(200, (("Transfer-Encoding", "chunked"),), close=True)
        data = self.chunk * self.repeat
        while True:  # ends by _Stopped, or by OSError once the client hangs up
            c.write(b"%x\r\n%s\r\n" % (len(data), data))
            if self.interval:
                c.sleep(self.interval)


@dataclass(frozen=True)
class Huge:
    n_bytes: int
    fill: bytes

    def __call__(self, c: Conn) -> None:
        c.head(200, length=self.n_bytes, close=True)
        block = (self.fill * (65536 // len(self.fill) + 1))[:65536]
        for start in range(0, self.n_bytes, len(block)):
            c.write(block[: self.n_bytes - start])


@dataclass(frozen=True)
class RedirectLoop:
    status: int

    def __call__(self, c: Conn) -> None:
        c.head(self.status, (("Location", c.base_url + c.request.path),), length=0)


@dataclass(frozen=True)
class Drop:
    reset: bool

    def __call__(self, c: Conn) -> None:
        c.drop(self.reset)


@dataclass(frozen=True)
class Sequence:
    behaviours: tuple[Behaviour, ...]
    round_robin: bool  # False: the last behaviour repeats

    def __call__(self, c: Conn) -> None:
        n = len(self.behaviours)
        self.behaviours[c.index % n if self.round_robin else min(c.index, n - 1)](c)


def ok(body: bytes, status: int = 200, headers: Mapping[str, str] | None = None) -> Ok:
    return Ok(body, status, tuple((headers or {}).items()))


def status(code: int, headers: Mapping[str, str] | None = None, body: bytes = b"") -> Ok:
    return ok(body, code, headers)


def trickle(body: bytes, bytes_per_second: float = 1.0) -> Trickle:
    return Trickle(body, bytes_per_second)


def endless_chunked(chunk: bytes = b"<feed>", repeat: int = 1024, interval: float = 0.0) -> EndlessChunked:
    return EndlessChunked(chunk, repeat, interval)


def huge(n_bytes: int, fill: bytes = b" ") -> Huge:
    return Huge(n_bytes, fill)


@functools.lru_cache(maxsize=8)
def gzip_bomb_body(decoded_mb: int = 16, fill: bytes = b"\0") -> bytes:
    """Gzip of ``decoded_mb`` MiB of ``fill`` (about 1 KB per MiB), fed a MiB at a time."""
    z, block = zlib.compressobj(9, zlib.DEFLATED, 31), fill * (1 << 20)  # wbits 31: gzip framing
    return b"".join([z.compress(block) for _ in range(decoded_mb)] + [z.flush()])


def gzip_bomb(decoded_mb: int = 16, fill: bytes = b"\0") -> Ok:
    return Ok(gzip_bomb_body(decoded_mb, fill), 200, (("Content-Encoding", "gzip"),))


def redirect(location: str, status: int = 302) -> Ok:
    return Ok(b"", status, (("Location", location),))


def redirect_loop(status: int = 302) -> RedirectLoop:
    return RedirectLoop(status)


def malformed(body: bytes | None = None, short_by: int = 0) -> Ok:
    """Half an Atom feed then non-UTF-8 garbage; ``short_by`` > 0 also cuts the body short."""
    if body is None:
        feed = atom_feed([dict(id="2206.00364v2", title="T", authors=["A"], published="x", updated="x")])
        body = feed[: len(feed) // 2] + b"\xff\xfe\x00<<&garbage"
    return Ok(body, 200, (), short_by)


def drop(reset: bool = False) -> Drop:
    return Drop(reset)


def sequence(*behaviours: Behaviour) -> Sequence:
    return Sequence(behaviours, round_robin=False)


def cycle(*behaviours: Behaviour) -> Sequence:
    return Sequence(behaviours, round_robin=True)


_FEED = """<?xml version='1.0' encoding='UTF-8'?>
<feed xmlns:opensearch="http://a9.com/-/spec/opensearch/1.1/" xmlns:arxiv="http://arxiv.org/schemas/atom" \
xmlns="http://www.w3.org/2005/Atom">
  <id>https://arxiv.org/api/hostile</id>
  <title>arXiv Query: hostile test feed</title>
  <updated>2026-04-12T22:09:36Z</updated>
  <link href="https://arxiv.org/api/query" type="application/atom+xml"/>
  <opensearch:itemsPerPage>100</opensearch:itemsPerPage>
  <opensearch:totalResults>{total}</opensearch:totalResults>
  <opensearch:startIndex>0</opensearch:startIndex>
{entries}</feed>
"""
_ENTRY = """  <entry>
    <id>{id}</id>
    <title>{title}</title>
    <updated>{updated}</updated>
    <link href="https://arxiv.org/abs/{short}" rel="alternate" type="text/html"/>
    <link href="https://arxiv.org/pdf/{short}" rel="related" type="application/pdf" title="pdf"/>
    <summary>{summary}</summary>
    <category term="{cat}" scheme="http://arxiv.org/schemas/atom"/>
    <published>{published}</published>
{comment}    <arxiv:primary_category term="{cat}"/>
{journal_ref}{authors}  </entry>
"""


def _x(value: object) -> str:
    """XML-escape text or an attribute value (quotes included), nothing else."""
    return escape(str(value), {'"': "&quot;"})


def atom_feed(entries: list[dict[str, Any]], total_results: int | None = None) -> bytes:
    """An Atom feed laid out like arXiv's since 2025-11 (see tests/fixtures/arxiv/*2026*).

    Entry keys: id, title, authors, published, updated; optional summary, comment,
    journal_ref, category.  Values are XML-escaped, otherwise verbatim, so hostile
    dates and ids reach the parser as given.  A bare id gets ``http://arxiv.org/abs/``.
    """

    def entry(e: dict[str, Any]) -> str:
        eid = str(e["id"]) if str(e["id"]).startswith(("http://", "https://")) else f"http://arxiv.org/abs/{e['id']}"

        def opt(key: str) -> str:
            return "" if e.get(key) is None else f"    <arxiv:{key}>{_x(e[key])}</arxiv:{key}>\n"

        return _ENTRY.format(
            id=_x(eid), short=_x(eid.split("/abs/", 1)[-1]), cat=_x(e.get("category", "cs.IT")),
            title=_x(e["title"]), updated=_x(e["updated"]), published=_x(e["published"]),
            summary=_x(e.get("summary", "An abstract.")), comment=opt("comment"), journal_ref=opt("journal_ref"),
            authors="".join(f"    <author>\n      <name>{_x(a)}</name>\n    </author>\n" for a in e["authors"]),
        )  # fmt: skip

    total = len(entries) if total_results is None else total_results
    return _FEED.format(total=total, entries="".join(map(entry, entries))).encode("utf-8")


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"  # keep-alive and chunked need it
    timeout = 5.0  # socket timeout: a silent client cannot pin a thread for long
    disable_nagle_algorithm = True  # else headers and body in two writes cost a 40 ms delayed ACK
    server: _HTTPServer

    def setup(self) -> None:
        super().setup()
        self.server.owner._track(self.connection, True)

    def finish(self) -> None:
        try:
            super().finish()
        finally:
            self.server.owner._track(self.connection, False)

    def _dispatch(self) -> None:
        req = Request(self.command, self.path, tuple(self.headers.items()), self._read_body())
        try:
            self.server.owner.behaviour(Conn(self, req, self.server.owner._record(req)))
        except (_Stopped, OSError):  # stopping, or the client hung up: both normal here
            self.close_connection = True

    do_GET = do_POST = do_HEAD = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _dispatch

    def _read_body(self) -> bytes:
        if "chunked" not in self.headers.get("Transfer-Encoding", "").lower():
            return self.rfile.read(int(self.headers.get("Content-Length") or 0))
        parts = []
        while size := int(self.rfile.readline().split(b";")[0].strip() or b"0", 16):
            parts.append(self.rfile.read(size + 2)[:-2])
        while self.rfile.readline() not in (b"\r\n", b"\n", b""):  # trailers
            pass
        return b"".join(parts)

    def log_message(self, format: str, *args: Any) -> None:  # quiet
        pass


class _HTTPServer(ThreadingHTTPServer):
    daemon_threads = True
    owner: HostileServer
    base_url: str

    def handle_error(self, request: Any, client_address: Any) -> None:
        self.owner.errors.append(sys.exc_info()[1])  # a buggy behaviour: tests can assert on it


class HostileServer:
    """``with HostileServer(behaviour) as srv``: ``srv.url``, ``srv.requests``, ``srv.errors``."""

    def __init__(self, behaviour: Behaviour, path: str = "/api/query") -> None:
        self.behaviour, self.path = behaviour, path
        self.errors: list[BaseException | None] = []
        self._stop, self._lock, self._conns_changed = threading.Event(), threading.Lock(), threading.Condition()
        self._requests: list[Request] = []
        self._conns: set[socket.socket] = set()
        self._httpd: _HTTPServer | None = None

    def __enter__(self) -> HostileServer:
        httpd = self._httpd = _HTTPServer(("127.0.0.1", 0), _Handler)
        httpd.owner, httpd.base_url = self, f"http://127.0.0.1:{httpd.server_address[1]}"
        self._thread = threading.Thread(target=httpd.serve_forever, args=(0.05,), daemon=True)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    @property
    def url(self) -> str:
        assert self._httpd is not None, "use HostileServer as a context manager"
        return self._httpd.base_url + self.path

    @property
    def requests(self) -> list[Request]:
        with self._lock:
            return list(self._requests)

    @property
    def open_connections(self) -> int:
        with self._conns_changed:
            return len(self._conns)

    def close(self, timeout: float = 1.0) -> None:
        """Stop accepting, hang up on every client, wait up to ``timeout`` for handlers."""
        if self._httpd is None or self._stop.is_set():
            return
        self._stop.set()
        self._httpd.shutdown()
        with self._conns_changed:
            for s in self._conns:  # unblocks handlers stuck in recv or send
                self._hang_up(s)
            self._conns_changed.wait_for(lambda: not self._conns, timeout)
        self._httpd.server_close()
        self._thread.join(timeout)

    def _record(self, req: Request) -> int:
        with self._lock:
            self._requests.append(req)
            return len(self._requests) - 1

    def _track(self, sock: socket.socket, opened: bool) -> None:
        with self._conns_changed:
            if not opened:
                self._conns.discard(sock)
            elif self._stop.is_set():  # accepted just as we stopped
                self._hang_up(sock)
            else:
                self._conns.add(sock)
            self._conns_changed.notify_all()

    @staticmethod
    def _hang_up(sock: socket.socket) -> None:
        try:
            sock.shutdown(socket.SHUT_RDWR)
        except OSError:  # already closed
            pass
