"""Issue 25, item 1: the run log is pruned to ``[daemon] keep_runs``; the last good run is found
however far back; paper history and findings are never pruned; the run-status lookup has an index."""

from __future__ import annotations

import sqlalchemy as sa

from diffsync.store.runs import RunCounts
from diffsync.store.store import Store
from helpers.cli import run_cli
from helpers.storage import T0, record


def _runs(store: Store, n: int, status: str = "failed", path: str = "/l.md") -> list[int]:
    ids = []
    for _ in range(n):
        run_id = store.start_run("daemon", path)
        store.finish_run(run_id, status=status, counts=RunCounts(), error=None if status == "ok" else "x")
        ids.append(run_id)
    return ids


def test_prune_keeps_the_newest_runs_the_last_good_one_and_running_ones(database_url):
    with Store.open(database_url) as store:
        store.save_records([record("2301.00001")], T0)
        good = _runs(store, 1, "ok")[0]
        running = store.start_run("check", "/l.md")
        _runs(store, 300)
        kept_other = _runs(store, 1, "ok", "/other.md")[0]
        _runs(store, 10)
        assert store.prune_runs(20) == 291
        ids = {r.id for r in store.runs(1000)}
        assert len(ids) == 22 and good in ids and running in ids and kept_other in ids
        assert store.load_records()  # papers are not runs
        assert store.prune_runs(20) == 0  # idempotent
        assert store.prune_runs(0) == 0  # 0 keeps everything


def test_the_last_good_run_is_found_however_far_back(database_url):
    from diffsync.report.gather import last_good_run

    with Store.open(database_url) as store:
        good = _runs(store, 1, "ok")[0]
        _runs(store, 250)  # more than any window of recent runs
        assert last_good_run(store, "/l.md").id == good


def test_the_running_run_lookup_has_an_index(database_url):
    if not database_url.startswith("sqlite"):
        return
    with Store.open(database_url) as store:
        pass
    engine = sa.create_engine(database_url)
    with engine.connect() as conn:
        plan = " ".join(str(r) for r in conn.exec_driver_sql(
            "EXPLAIN QUERY PLAN SELECT * FROM runs WHERE status = 'running' AND finished_at IS NULL"))
    engine.dispose()
    assert "ix_runs_status" in plan, plan


def test_db_prune_command(tmp_path, capsys, monkeypatch, database_url):
    monkeypatch.setenv("DIFFSYNC_DATABASE_URL", database_url)
    monkeypatch.chdir(tmp_path)
    with Store.open(database_url) as store:
        _runs(store, 1, "ok")
        _runs(store, 30)
    code, out, err = run_cli(capsys, monkeypatch, "db", "prune", "--keep-runs", "10")
    assert code == 0 and "deleted 20 old runs" in out, err
    monkeypatch.setenv("DIFFSYNC_DAEMON_KEEP_RUNS", "5")
    code, out, err = run_cli(capsys, monkeypatch, "db", "prune")
    assert code == 0 and "deleted 5 old runs" in out, err
