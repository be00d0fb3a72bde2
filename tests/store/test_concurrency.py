"""Several processes sharing one SQLite database: no 'database is locked', one poller at a time."""

from __future__ import annotations

import multiprocessing
import time
from pathlib import Path

import pytest

from diffsync import errors
from diffsync.models import Kind
from diffsync.store.store import RunCounts, Store

from helpers.storage import T0, finding, record

pytestmark = pytest.mark.e2e  # real processes writing one database at once

ROUNDS = 12


def _writer(url: str, name: str, out: "multiprocessing.Queue[str]") -> None:
    try:
        with Store.open(url, busy_timeout=5.0) as store:
            lid = store.list_id(f"/lists/{name}.md")
            pacer = store.pacer()
            for n in range(ROUNDS):
                store.save_records([record(f"2301.{i:05d}", title=f"{name} {n}")
                                    for i in range(300)], T0)
                store.sync_findings(lid, [finding(f"{name}{i}", Kind.TITLE, line=i,
                                                  arxiv=f"v{n}") for i in range(50)], now=T0)
                run = store.start_run("check", name)
                store.finish_run(run, status="ok", counts=RunCounts(requests=n, papers=300, open=50))
                pacer.record_request(float(n))
        out.put("ok")
    except BaseException as exc:  # report anything, the parent asserts
        out.put(f"{type(exc).__name__}: {exc}")


def test_concurrent_writers_never_see_database_is_locked(db_url):
    url = db_url
    ctx = multiprocessing.get_context("spawn")
    out = ctx.Queue()
    procs = [ctx.Process(target=_writer, args=(url, name, out)) for name in ("a", "b", "c")]
    for p in procs:
        p.start()
    results = [out.get(timeout=120) for _ in procs]
    for p in procs:
        p.join(timeout=30)
    assert results == ["ok"] * 3
    with Store.open(url) as store:
        assert store.count_papers() == 300
        assert len(store.runs(limit=1000)) == 3 * ROUNDS
        assert len(store.lists()) == 3
        assert sum(store.open_by_kind().values()) == 150


def _holder(url: str, held: str, attempting: str, released: str) -> None:
    with Store.open(url) as store, store.poll_lock():
        Path(held).touch()
        while not Path(attempting).exists():
            time.sleep(0.01)
        time.sleep(1.0)  # give the other process time to start waiting
        Path(released).touch()


def test_poll_lock_excludes_another_process(db_url, tmp_path):
    url = db_url
    held, attempting, released = (str(tmp_path / n) for n in ("held", "attempting", "released"))
    with Store.open(url):
        pass  # create the schema before the child races us
    ctx = multiprocessing.get_context("spawn")
    child = ctx.Process(target=_holder, args=(url, held, attempting, released))
    child.start()
    try:
        deadline = time.monotonic() + 60
        while not Path(held).exists():
            assert child.is_alive() and time.monotonic() < deadline
            time.sleep(0.01)
        with Store.open(url) as store:
            with pytest.raises(errors.ApiError, match="another diffsync process"):
                with store.poll_lock(timeout=0):
                    pass
            Path(attempting).touch()
            with store.poll_lock() as waited:
                assert Path(released).exists()  # only after the holder let go
                assert waited is True
            with store.poll_lock() as waited_again:
                assert waited_again is False
    finally:
        child.join(timeout=30)
    assert child.exitcode == 0
