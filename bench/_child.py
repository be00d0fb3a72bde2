"""Run one measured job in this process and write its figures as JSON.

    python bench/_child.py OUT.json diffsync ARGS...       # the diffsync CLI
    python bench/_child.py OUT.json arxivpy URL DELAY IDS  # arxiv.py's Client

Figures: ``wall`` (from interpreter start to exit, imports included),
``work`` (from the job's imports done to exit), ``waited`` (seconds spent
inside HTTP calls or sleeping: the server's and the pacing's share, not
ours), ``cpu`` and ``peak_rss_mb`` of this process.
HTTP and sleep are wrapped before diffsync is imported, because its client
binds ``time.sleep`` as a default argument at import time.
"""

from __future__ import annotations

import json
import resource
import sys
import time

_STARTED = time.perf_counter()  # as near to interpreter start as a script gets
_waited = [0.0]
_imported = [0.0]  # when the job's imports were done: the rest is its work


def _timed(fn):
    def wrapper(*args, **kwargs):
        t0 = time.perf_counter()
        try:
            return fn(*args, **kwargs)
        finally:
            _waited[0] += time.perf_counter() - t0
    return wrapper


time.sleep = _timed(time.sleep)

import httpx  # noqa: E402  (after the sleep patch, on purpose)

httpx.Client.send = _timed(httpx.Client.send)


def _run_diffsync(args: list[str]) -> int:
    sys.argv = ["diffsync", *args]
    from diffsync.cli import main

    _imported[0] = time.perf_counter()
    try:
        main()
    except SystemExit as exc:
        return exc.code if isinstance(exc.code, int) else 0
    return 0


def _run_arxiv_py(url: str, delay: str, ids_path: str) -> int:
    import requests
    from _common import fetch_with_arxiv_py

    _imported[0] = time.perf_counter()
    requests.Session.send = _timed(requests.Session.send)
    with open(ids_path, encoding="utf-8") as f:
        ids = [line.strip() for line in f if line.strip()]
    found = fetch_with_arxiv_py(url, ids, float(delay))
    print(json.dumps({"summary": {"found": found}}))
    return 0


def _peak_rss_kib() -> int:
    """This process's own high-water RSS.  Not ru_maxrss: that keeps the parent's
    peak from before the exec, which would charge the bench's memory to the child."""
    with open("/proc/self/status", encoding="ascii") as f:
        for line in f:
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss


def main() -> int:
    out, job, *args = sys.argv[1:]
    code = _run_diffsync(args) if job == "diffsync" else _run_arxiv_py(*args)
    sys.stdout.flush()
    usage = resource.getrusage(resource.RUSAGE_SELF)
    figures = {
        "exit": code,
        "wall": time.perf_counter() - _STARTED,
        "work": time.perf_counter() - _imported[0],
        "waited": _waited[0],
        "cpu": usage.ru_utime + usage.ru_stime,
        "peak_rss_mb": _peak_rss_kib() / 1024,
    }
    with open(out, "w", encoding="utf-8") as f:
        json.dump(figures, f)
    return 0


if __name__ == "__main__":
    sys.exit(main())
