"""Issue 25, item 1: the daemon's job, run many times in one process, keeps no more objects.

The fake arXiv runs in its own process, so only the job's own objects are counted.
Each run used to leave its whole check frozen and uncollected (the GC pause).
"""

from __future__ import annotations

import gc
import logging
import subprocess
import sys

import pytest

from diffsync.config import ArxivSettings, DatabaseSettings, ReportSettings, Settings, VenuesSettings
from diffsync.daemon.service import ScheduledCheck
from diffsync.fake_arxiv import synthetic_papers
from helpers.shared_lists import entry

pytestmark = pytest.mark.e2e  # starts real processes or a server on 127.0.0.1

PAPERS = synthetic_papers(60)
WARMUP, RUNS = 3, 12


@pytest.fixture
def fake_url():
    server = subprocess.Popen([sys.executable, "-m", "diffsync.fake_arxiv", "--synthetic", str(len(PAPERS))],
                              stdout=subprocess.PIPE, text=True)
    try:
        url = server.stdout.readline().strip()
        assert url, "the fake arXiv did not start"
        yield url
    finally:
        server.terminate()
        server.wait(timeout=30)


def test_the_daemons_job_keeps_no_objects_from_run_to_run(tmp_path, fake_url):
    lst = tmp_path / "list.md"
    lst.write_text("# Papers\n\n" + "".join(entry(p) for p in PAPERS), encoding="utf-8")
    settings = Settings(arxiv=ArxivSettings(url=fake_url, delay=0.0, backoff=0.01, max_backoff=0.05),
                        database=DatabaseSettings(url=f"sqlite:///{tmp_path / 'd.db'}"),
                        report=ReportSettings(path=str(tmp_path / "report.md")), config_dir=str(tmp_path),
                        venues=VenuesSettings(enabled=False))  # arXiv's side only: no venue source to wait on
    job = ScheduledCheck(settings, lst)
    logging.disable(logging.WARNING)
    try:
        for _ in range(WARMUP):
            assert job().status == "ok"
        counts = []
        for _ in range(RUNS):
            assert job().status == "ok"
            counts.append(len(gc.get_objects()))
    finally:
        logging.disable(logging.NOTSET)
    # Flat: no run keeps what it built (the leak was about 4,000 objects a run here).  The
    # floor of the last runs against the first: a thread another test left may still be
    # ending and come and go; a leak only grows.
    assert min(counts[-3:]) - min(counts[:3]) < 300, counts
