"""One daemon for every configured list: one pass per run over all of them, a report and
a run per list, a list that cannot be read named while the others are checked."""

from __future__ import annotations

import json
import shutil

import pytest

from diffsync.config import load_settings
from diffsync.daemon.service import Daemon, ScheduledCheck
from diffsync.fake_arxiv import FakeArxiv
from diffsync.fake_arxiv.example import EXAMPLE_DIR, example_papers
from diffsync.store.store import Store
from helpers.cli import run_cli


@pytest.fixture
def folder(tmp_path, monkeypatch):
    for name in ("a.md", "b.md"):
        shutil.copy(EXAMPLE_DIR / "list.md", tmp_path / name)
    (tmp_path / "config.toml").write_text(
        '[[lists]]\npath = "a.md"\nreport = "reports/a.md"\n\n'
        '[[lists]]\npath = "b.md"\n\n[[lists]]\npath = "gone.md"\n', encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for var in ("DIFFSYNC_DATABASE_URL", "DIFFSYNC_CONFIG"):
        monkeypatch.delenv(var, raising=False)
    with FakeArxiv(example_papers()) as server:
        monkeypatch.setenv("DIFFSYNC_ARXIV_URL", server.url)
        monkeypatch.setenv("DIFFSYNC_ARXIV_DELAY", "0")
        yield tmp_path, server


def test_one_run_covers_every_list_with_a_report_and_a_status_each(folder, capsys, monkeypatch):
    root, server = folder
    s = load_settings(root / "config.toml")
    job = ScheduledCheck(s, s.configured_lists())
    outcome = job()
    assert outcome.exit_code == 3  # gone.md could not be checked
    assert [(o.list_path.rsplit("/", 1)[-1], o.status) for o in outcome.lists] == \
        [("a.md", "ok"), ("b.md", "ok"), ("gone.md", "failed")]
    assert [r.n_ids for r in server.log if not r.search][:1] == [13]  # both lists, once
    assert "## Title" in (root / "reports" / "a.md").read_text()
    assert "## Title" in (root / "diffsync-report-b.md").read_text()  # named after its list
    assert "failed" in (root / "diffsync-report-gone.md").read_text()
    with Store.open(s.database_url) as store:
        runs = {r.list_path.rsplit("/", 1)[-1]: r.status for r in store.runs(10)}
    assert runs == {"a.md": "ok", "b.md": "ok", "gone.md": "failed"}

    code, out, err = run_cli(capsys, monkeypatch, "status", "--json")
    assert code == 0, err
    lists = {one["list"].rsplit("/", 1)[-1]: one for one in json.loads(out)["lists"]}
    assert sorted(lists) == ["a.md", "b.md"] and lists["a.md"]["open"] > 0
    code, out, err = run_cli(capsys, monkeypatch, "status")
    assert "Lists:          2" in out and "a.md: " in out


def test_daemon_once_runs_every_configured_list(folder, capsys, monkeypatch):
    root, _ = folder
    (root / "gone.md").write_bytes((root / "a.md").read_bytes())
    s = load_settings(root / "config.toml")
    assert Daemon(s, s.configured_lists()).run_once() == 1  # open findings, every list checked
    assert (root / "diffsync-report-gone.md").is_file()
