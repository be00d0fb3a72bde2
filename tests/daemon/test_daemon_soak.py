"""The daemon soak of issue 12: ``diffsync daemon`` against a server that alternates good
answers, trickles, redirects, bad records, gzip bombs and 429s with absurd Retry-After.

It must keep running, complete runs whenever the server lets it, record the
others as failed (never an internal error), and stop on SIGTERM within its
grace time.  ``DIFFSYNC_SOAK_SECONDS`` (default 20) sets how long it runs;
the by-hand soak is the same test with a few minutes.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
import sqlalchemy as sa

from helpers.hostile_http import (HostileServer, cycle, gzip_bomb, ok, redirect, status, trickle)
from helpers.hostile_cases import BAD_PUBLISHED, cli_env, entry, feed, good_feed, write_list

pytestmark = pytest.mark.e2e
SOAK_SECONDS = min(float(os.environ.get("DIFFSYNC_SOAK_SECONDS", "20")), 3600.0)


def hostile_arxiv():
    bad_records = feed(entry("2006.11239"), entry("2010.02502"),
                       entry("2206.00364", published=BAD_PUBLISHED[0]))
    return cycle(
        ok(good_feed()),
        trickle(good_feed(), bytes_per_second=50),  # a try fails at the 1 s deadline
        redirect("http://127.0.0.1:9/elsewhere"),
        ok(bad_records),
        status(429, {"Retry-After": "Fri, 31 Dec 9999 23:59:59 GMT"}),
        status(429, {"Retry-After": "99999999999999999999"}),
        status(429, {"Retry-After": "-1"}),  # three in a row: a cooldown, capped at 2 s
        gzip_bomb(32),
        ok(bad_records),
    )


def runs(database_url: str) -> list[tuple[int, str, str | None]]:
    engine = sa.create_engine(database_url)
    try:
        with engine.connect() as conn:
            return [tuple(r) for r in conn.exec_driver_sql(
                "select id, status, error from runs where trigger = 'daemon' "
                "and finished_at is not null order by id")]
    except sa.exc.DBAPIError:  # no schema yet
        return []
    finally:
        engine.dispose()


def test_daemon_keeps_running_against_a_hostile_server_and_stops_on_sigterm(tmp_path,
                                                                          database_url):
    lst = write_list(tmp_path / "list.md")
    log = tmp_path / "daemon.log"
    grace = 2.0
    with HostileServer(hostile_arxiv()) as srv:
        env = cli_env(srv.url, database_url, DIFFSYNC_ARXIV_TIMEOUT="1",
                      DIFFSYNC_ARXIV_MAX_RETRIES="2", DIFFSYNC_ARXIV_DELAY="0.05",
                      DIFFSYNC_ARXIV_MAX_RESPONSE_MB="4", DIFFSYNC_ARXIV_COOLDOWN="1",
                      DIFFSYNC_ARXIV_MAX_COOLDOWN="2", DIFFSYNC_CHECK_SEARCH="false",
                      DIFFSYNC_REPORT_PATH=str(tmp_path / "report.md"))
        with open(log, "w") as err:
            proc = subprocess.Popen(
                [sys.executable, "-m", "diffsync", "daemon", str(lst), "--interval", "1",
                 "--stop-grace", str(grace)],
                stdout=subprocess.DEVNULL, stderr=err, env=env, cwd=tmp_path)
        try:
            deadline = time.monotonic() + SOAK_SECONDS
            while time.monotonic() < deadline:  # bounded by SOAK_SECONDS
                assert proc.poll() is None, "the daemon exited: " + log.read_text()[-2000:]
                time.sleep(0.5)
        finally:
            proc.send_signal(signal.SIGTERM)
            try:
                code = proc.wait(timeout=grace + 10)  # grace, plus start-up slack on a busy machine
            except subprocess.TimeoutExpired:
                proc.kill()
                raise AssertionError("daemon did not stop after SIGTERM") from None
        asked = len(srv.requests)

    assert code == 0
    done = runs(database_url)
    statuses = [s for _, s, _ in done]
    text = log.read_text(encoding="utf-8")
    assert "Traceback" not in text and "internal error" not in text
    assert not [e for _, _, e in done if e and "internal error" in e]
    assert statuses.count("ok") >= 2, (statuses, text[-3000:])  # completed whenever it could
    assert {"failed", "skipped"} & set(statuses), statuses  # and the hostile answers did fail
    assert asked >= len(done)
    assert "2206.00364" in text and "left unchecked" in text  # the bad record, by name
    assert "daemon stopped" in text
