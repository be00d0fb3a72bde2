"""A real HTTP server that behaves like the arXiv query API, faults included.

It serves ``GET``/``POST /api/query`` (``id_list`` and a small
``search_query`` subset), logs every query request with its start and end
time, and flags overlapping requests and requests closer than
``delay_check`` seconds after the previous one ended: the politeness
contract the client must keep.
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import asdict, dataclass, field
from typing import Iterable
from urllib.parse import parse_qs, urlsplit

from ..fakehttp import FakeHandler, FakeServer
from ..models import PaperRecord
from .feed import CURRENT, DIALECTS, record_from_dict
from .index import PaperIndex
from .query import answer_query

FAULT_KINDS = ("429", "503", "403", "empty_body", "not_xml", "empty_page", "hollow_page", "slow",
               "drop")
_PAGE_FAULTS = ("empty_page", "hollow_page")  # an answer, just an empty one
_HTML_403 = b"<html><head><title>403 Forbidden</title></head><body><h1>Access Denied</h1></body></html>\n"


@dataclass(frozen=True)
class Fault:
    """Misbehave on the ``first`` K query requests and/or every ``every``-th one (1-based)."""

    kind: str
    first: int = 0
    every: int = 0
    retry_after: str | None = None  # Retry-After header for 429/503
    seconds: float = 0.0  # how long "slow" stalls before answering

    def __post_init__(self) -> None:
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault {self.kind!r}; one of {', '.join(FAULT_KINDS)}")

    def applies(self, n: int) -> bool:
        return n <= self.first or (self.every > 0 and n % self.every == 0)

    @classmethod
    def parse(cls, spec: str) -> Fault:
        """``429:first=2,retry_after=5`` -> ``Fault("429", first=2, retry_after="5")``."""
        kind, _, rest = spec.partition(":")
        args: dict[str, object] = {}
        for item in filter(None, rest.split(",")):
            key, _, value = item.partition("=")
            args[key] = value if key == "retry_after" else float(value) if key == "seconds" else int(value)
        return cls(kind, **args)  # type: ignore[arg-type]


@dataclass(frozen=True)
class LoggedRequest:
    n: int  # 1-based number among query requests
    start: float  # epoch seconds the server began handling it
    end: float  # epoch seconds the response was handed to the socket
    method: str
    n_ids: int
    status: int  # 0 = connection dropped without an answer
    search: bool = False
    fault: str | None = None


@dataclass
class _State:
    papers: PaperIndex = field(default_factory=PaperIndex)  # indexed: searches stay cheap at 50k
    faults: list[Fault] = field(default_factory=list)
    log: list[LoggedRequest] = field(default_factory=list)
    count: int = 0
    in_flight: int = 0
    overlaps: int = 0


class FakeArxiv(FakeServer):
    """The fake arXiv API.  In-process: ``with FakeArxiv(papers) as fake: fake.url``."""

    thread_name = "fake-arxiv"

    def __init__(
        self,
        papers: Iterable[PaperRecord] = (),
        *,
        delay_check: float = 0.0,
        faults: Iterable[Fault] = (),
        dialect: str = CURRENT,
        max_page: int | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        log_path: str | None = None,
    ) -> None:
        if dialect not in DIALECTS:
            raise ValueError(f"dialect must be one of {DIALECTS}")
        self.delay_check = delay_check
        self.dialect = dialect
        self.max_page = max_page  # cap entries per page, to provoke truncation
        self.log_path = log_path
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._file_lock = threading.Lock()
        self._state = _State(papers=PaperIndex(papers), faults=list(faults))
        super().__init__(_Handler, host, port)

    @property
    def url(self) -> str:
        """The query endpoint, as ``[arxiv] url`` wants it."""
        return self.base_url + "/api/query"

    # -- control -------------------------------------------------------------

    def update_paper(self, record: PaperRecord) -> None:
        """Add or replace a paper, e.g. to make arXiv's metadata change between runs."""
        with self._lock:
            self._state.papers.add(record)

    def remove_paper(self, arxiv_id: str) -> None:
        with self._lock:
            self._state.papers.remove(arxiv_id)

    def set_faults(self, faults: Iterable[Fault]) -> None:
        """Replace the active faults; request numbering continues."""
        with self._lock:
            self._state.faults = list(faults)

    @property
    def log(self) -> list[LoggedRequest]:
        """Every query request so far (waits briefly for one still being answered)."""
        with self._idle:
            self._idle.wait_for(lambda: self._state.in_flight == 0, timeout=5.0)
            return list(self._state.log)

    @property
    def overlaps(self) -> int:
        """Requests that arrived while another was still being handled."""
        with self._lock:
            return self._state.overlaps

    def violations(self) -> list[str]:
        """Overlapping requests, and requests closer than ``delay_check`` to the previous end."""
        problems = []
        ordered = sorted(self.log, key=lambda r: r.start)
        for prev, cur in zip(ordered, ordered[1:]):
            gap = cur.start - prev.end
            if gap < 0:
                problems.append(f"request {cur.n} overlaps request {prev.n}")
            elif gap < self.delay_check:
                problems.append(f"request {cur.n} came {gap:.3f}s after request {prev.n} (< {self.delay_check}s)")
        return problems

    # -- serving ---------------------------------------------------------------

    def _begin(self) -> tuple[int, list[Fault], float]:
        with self._lock:
            self._state.count += 1
            self._state.in_flight += 1
            if self._state.in_flight > 1:
                self._state.overlaps += 1
            return self._state.count, [f for f in self._state.faults if f.applies(self._state.count)], time.time()

    def _finish(self, entry: LoggedRequest) -> None:
        # File first: once ``log`` shows the request, the JSONL line exists too.
        if self.log_path:
            with self._file_lock, open(self.log_path, "a", encoding="utf-8") as f:
                f.write(json.dumps(asdict(entry)) + "\n")
        with self._idle:
            self._state.in_flight -= 1
            self._state.log.append(entry)
            self._idle.notify_all()

    def answer(self, params: dict[str, str], fault_kinds: set[str]) -> tuple[int, bytes, int]:
        """(status, Atom body, number of IDs asked) for one query, like arXiv would."""
        with self._lock:  # the index changes in place: answer while no admin call edits it
            return answer_query(
                self._state.papers, params, dialect=self.dialect, max_page=self.max_page,
                empty_page="empty_page" in fault_kinds, hollow_page="hollow_page" in fault_kinds,
            )


class _Handler(FakeHandler):
    server_version = "fake-arxiv/1"
    fake: FakeArxiv  # type: ignore[assignment]

    def do_DELETE(self) -> None:
        self.route("DELETE", b"")

    def route(self, method: str, body: bytes) -> None:
        parts = urlsplit(self.path)
        if parts.path == "/api/query" and method in ("GET", "POST"):
            params = {k: v[-1] for k, v in parse_qs(parts.query, keep_blank_values=True).items()}
            # Form-encoded or, as arXiv accepts, a raw query string without Content-Type.
            params.update({k: v[-1] for k, v in parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True).items()})
            self._query(method, params)
        elif parts.path.startswith("/_admin/"):
            self._admin(method, parts.path, parts.query, body)
        else:
            self._send(404, b"not found\n", "text/plain")

    def _query(self, method: str, params: dict[str, str]) -> None:
        n, faults, start = self.fake._begin()
        self._answered_at: float | None = None
        kinds = {f.kind for f in faults}
        status, n_ids, fault = 0, len([i for i in params.get("id_list", "").split(",") if i]), None
        try:
            for f in faults:
                if f.kind == "slow":
                    time.sleep(f.seconds)
            fault = next((f for f in faults if f.kind not in ("slow", *_PAGE_FAULTS)), None)
            if fault is None:
                status, body, n_ids = self.fake.answer(params, kinds)
                self._send(status, body, "application/atom+xml; charset=utf-8")
            elif fault.kind == "drop":
                self.close_connection = True  # no answer at all: a connection reset for the client
            else:
                status = self._send_fault(fault)
        finally:
            fault_name = fault.kind if fault else next((k for k in _PAGE_FAULTS if k in kinds), None)
            end = self._answered_at or time.time()
            self.fake._finish(LoggedRequest(n, start, end, method, n_ids, status, "search_query" in params, fault_name))

    def _send_fault(self, fault: Fault) -> int:
        headers = {"Retry-After": fault.retry_after} if fault.retry_after else {}
        if fault.kind in ("429", "503"):
            self._send(int(fault.kind), b"<html><body>Try again later</body></html>\n", "text/html", headers)
            return int(fault.kind)
        if fault.kind == "403":
            self._send(403, _HTML_403, "text/html")
            return 403
        if fault.kind == "empty_body":
            self._send(200, b"", "application/atom+xml; charset=utf-8")
        else:  # not_xml
            self._send(200, b"<html><body>Please complete the captcha</body></html>\n", "text/html")
        return 200

    def _admin(self, method: str, path: str, query: str, body: bytes) -> None:
        try:
            if path == "/_admin/papers" and method == "POST":
                data = json.loads(body or b"[]")
                for item in data if isinstance(data, list) else [data]:
                    self.fake.update_paper(record_from_dict(item))
            elif path == "/_admin/papers" and method == "DELETE":
                for arxiv_id in parse_qs(query).get("id", []):
                    self.fake.remove_paper(arxiv_id)
            elif path == "/_admin/faults" and method == "POST":
                self.fake.set_faults(Fault(**f) for f in json.loads(body or b"[]"))
            elif path == "/_admin/log" and method == "GET":
                payload = {"requests": [asdict(r) for r in self.fake.log], "violations": self.fake.violations()}
                self._send(200, json.dumps(payload).encode(), "application/json")
                return
            else:
                self._send(404, b"unknown admin endpoint\n", "text/plain")
                return
        except (ValueError, KeyError, TypeError) as exc:
            self._send(400, f"bad admin request: {exc}\n".encode(), "text/plain")
            return
        self._send(204, b"", "text/plain")

    def _send(self, status: int, body: bytes, content_type: str, headers: dict[str, str] | None = None) -> None:
        # The answer is complete once handed to the socket; stamping after the write
        # would add this thread's scheduling delay (the GIL, in-process) to the gap.
        self._answered_at = time.time()
        self.send_body(status, body, content_type, headers)
