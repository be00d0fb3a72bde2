"""One HTTP request with every part bounded: time from connect to last byte, body size, no redirects.

httpx bounds each socket operation (connect, each read) but not the whole
request: a server trickling one byte a second never trips a read timeout.
A watchdog timer therefore shuts the request's socket down at the deadline,
which ends any blocked read at once.  The body is read as a stream and
counted after decoding, so a small gzip bomb stops at the cap like a huge
plain body.  Redirects are never followed: the caller reports them.
"""

from __future__ import annotations

import socket
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable, Mapping

import httpx


class ResponseTooLarge(Exception):
    """The (decoded) body passed the size cap."""


class DeadlineExceeded(Exception):
    """The request did not complete within its overall deadline."""


@dataclass(frozen=True)
class Answer:
    status: int
    headers: httpx.Headers
    body: bytes


class _Watch:
    """The socket of the request in flight, shut down if the deadline passes first."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._sock: socket.socket | None = None
        self.expired = False

    def attach(self, sock: Any) -> None:
        if not isinstance(sock, socket.socket):
            return
        with self._lock:
            self._sock = sock
            if self.expired:
                self._shut()

    def expire(self) -> None:
        with self._lock:
            self.expired = True
            self._shut()

    def _shut(self) -> None:
        if self._sock is not None:
            try:
                self._sock.shutdown(socket.SHUT_RDWR)  # wakes a blocked recv in the request thread
            except OSError:
                pass


class BoundedHttp:
    """POST with an overall deadline of ``timeout`` seconds and a ``max_bytes`` body cap."""

    def __init__(self, *, timeout: float, max_bytes: int, headers: Mapping[str, str],
                 transport: httpx.BaseTransport | None = None,
                 monotonic: Callable[[], float] = time.monotonic, section: str = "arxiv") -> None:
        self.timeout = timeout
        self.section = section  # the config section named in errors ("arxiv", "venues")
        self.max_bytes = max_bytes
        self._monotonic = monotonic
        self._watch: _Watch | None = None
        self._http = httpx.Client(
            transport=transport,
            timeout=httpx.Timeout(timeout, connect=min(10.0, timeout)),
            headers=dict(headers),
            follow_redirects=False,
            # One connection, as arXiv asks; the watchdog then knows which socket is in use.
            limits=httpx.Limits(max_connections=1, max_keepalive_connections=1),
        )
        self._sock: Any = None  # the pooled connection's socket, reused with keep-alive

    def close(self) -> None:
        self._http.close()

    def _trace(self, event: str, info: dict[str, Any]) -> None:
        if event in ("connection.connect_tcp.complete", "connection.start_tls.complete"):
            stream = info.get("return_value")
            sock = stream.get_extra_info("socket") if stream is not None else None
            self._sock = sock
            if self._watch is not None:
                self._watch.attach(sock)

    def post(self, url: str, data: Mapping[str, str]) -> Answer:
        """The answer, or ResponseTooLarge / DeadlineExceeded / an ``httpx`` error."""
        return self.send("POST", url, data=dict(data))

    def send(self, method: str, url: str, *, data: Mapping[str, str] | None = None,
             params: Mapping[str, str] | None = None, json: Any = None,
             headers: Mapping[str, str] | None = None) -> Answer:
        """Any request, bounded alike: form ``data``, query ``params`` or a ``json`` body."""
        watch = self._watch = _Watch()
        watch.attach(self._sock)  # a kept-alive connection is reused without a connect event
        timer = threading.Timer(self.timeout, watch.expire)
        timer.daemon = True
        deadline = self._monotonic() + self.timeout
        timer.start()
        try:
            with self._http.stream(method, url, data=data, params=params, json=json, headers=headers,
                                   extensions={"trace": self._trace}) as response:
                stream = response.extensions.get("network_stream")
                if stream is not None:
                    watch.attach(stream.get_extra_info("socket"))
                return Answer(response.status_code, response.headers,
                              self._read(response, deadline))
        except (httpx.TransportError, httpx.DecodingError):
            if watch.expired:
                raise DeadlineExceeded(self._late()) from None
            raise
        finally:
            timer.cancel()
            self._watch = None
            if watch.expired:
                self._sock = None  # that connection is dead; the pool opens a new one

    def _read(self, response: httpx.Response, deadline: float) -> bytes:
        declared = response.headers.get("Content-Length", "")
        if declared.isdigit() and int(declared) > self.max_bytes:
            raise ResponseTooLarge(self._too_large(f"Content-Length {declared}"))
        body = bytearray()
        for chunk in response.iter_bytes():  # decoded: a gzip bomb counts at its real size
            body += chunk
            if len(body) > self.max_bytes:
                raise ResponseTooLarge(self._too_large("body"))
            if self._monotonic() > deadline:
                raise DeadlineExceeded(self._late())
        return bytes(body)

    def _too_large(self, what: str) -> str:
        return f"response too large ({what} over {self.section}.max_response_mb = {self.max_bytes / 2**20:g} MB)"

    def _late(self) -> str:
        return f"no complete answer within {self.section}.timeout = {self.timeout:g} s"
