"""Per-paper isolation (issue 12, item 3): a record that cannot be read or stored costs that paper.

Bad ``published`` dates and a ``vN`` too big for any integer column, served by
the hostile server: the paper is unchecked with one warning naming it, the
rest of the run completes, and the summary counts it.  Title-search answers
follow the same rule.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime, timezone
from pathlib import Path

import pytest

from diffsync.check import lookup
from diffsync.arxivapi.atom import parse_feed
from diffsync.models import PaperRecord
from diffsync.check.pipeline import run_check
from diffsync.store import papers
from diffsync.store.store import Store
from helpers.hostile_http import HostileServer, ok
from helpers.hostile_cases import (BAD_PUBLISHED, HUGE_VERSION, PAPERS, check_settings, cli_env, diffsync, entry,
                           feed, good_feed, write_list)

pytestmark = pytest.mark.e2e  # starts real processes or a server on 127.0.0.1

BAD = "2206.00364"
GOOD = ["2006.11239", "2010.02502"]
CASES = [entry(BAD, published=p) for p in BAD_PUBLISHED] + [entry(BAD, version=HUGE_VERSION)]


@pytest.mark.parametrize("bad", CASES, ids=["9999-05:00", "0001+05:00", "month13", "huge-version"])
def test_the_feed_parser_sets_a_bad_record_apart_and_keeps_the_rest(bad):
    parsed = parse_feed(feed(entry(GOOD[0]), bad, entry(GOOD[1])))
    assert sorted(r.arxiv_id for r in parsed.records) == GOOD
    assert list(parsed.unreadable) == [BAD]
    reason = parsed.unreadable[BAD]
    assert "\n" not in reason and ("date" in reason or "version" in reason)


@pytest.mark.parametrize("bad", CASES, ids=["9999-05:00", "0001+05:00", "month13", "huge-version"])
def test_a_check_goes_on_past_a_bad_record(tmp_path, database_url, bad):
    lst = write_list(tmp_path / "list.md")
    with HostileServer(ok(feed(entry(GOOD[0]), bad, entry(GOOD[1])))) as srv:
        result = run_check(check_settings(srv.url, database_url, tmp_path), lst, search=False)
    assert result.summary.unchecked == 1 and result.summary.unreadable == 1
    assert result.summary.fetched == 2 and result.summary.open == 0
    warnings = [p for p in result.problems if BAD in p]
    assert len(warnings) == 1 and "left unchecked this run" in warnings[0]
    with Store.open(database_url) as store:
        assert sorted(store.load_records()) == GOOD
        assert store.runs(1)[0].status == "ok"


def test_check_cli_warns_names_the_paper_and_counts_it(tmp_path, database_url):
    lst = write_list(tmp_path / "list.md")
    with HostileServer(ok(feed(entry(GOOD[0]), CASES[0], entry(GOOD[1])))) as srv:
        done = diffsync("check", str(lst), "--no-search", env=cli_env(srv.url, database_url),
                        cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "internal error" not in done.stderr
    warning = [l for l in done.stderr.splitlines() if l.startswith("diffsync: warning:")]
    assert len(warning) == 1 and f"arXiv {BAD}: unreadable date '9999-12-31T23:00:00-05:00'" in warning[0]
    assert "1 unchecked (1 unreadable in arXiv's answer; run again later)" in done.stderr


def test_every_record_bad_is_still_a_completed_run_not_arxiv_unreachable(tmp_path, database_url):
    lst = write_list(tmp_path / "list.md", [BAD])
    with HostileServer(ok(feed(CASES[2]))) as srv:
        result = run_check(check_settings(srv.url, database_url, tmp_path), lst, search=False)
    assert result.summary.unchecked == 1 and result.summary.fetched == 0


def test_a_daemon_run_with_a_bad_record_is_ok_and_logs_the_warning(tmp_path, database_url,
                                                                    caplog):
    from diffsync.daemon.service import ScheduledCheck
    lst = write_list(tmp_path / "list.md")
    with HostileServer(ok(feed(entry(GOOD[0]), CASES[3], entry(GOOD[1])))) as srv:
        outcome = ScheduledCheck(check_settings(srv.url, database_url, tmp_path), lst)()
    assert outcome.status == "ok" and outcome.exit_code == 0
    assert any(f"arXiv {BAD}: version v99999999999999999999 out of range" in r.getMessage()
               for r in caplog.records if r.levelname == "WARNING")


def _record(arxiv_id: str, **kw) -> PaperRecord:
    title, authors, _ = PAPERS[arxiv_id]
    when = datetime(2022, 6, 1, tzinfo=timezone.utc)
    return PaperRecord(arxiv_id, 1, title, tuple(authors), when, when, **kw)


def test_a_record_that_cannot_be_stored_costs_that_paper_alone(database_url):
    unstorable = dataclasses.replace(_record(BAD), title="broken \ud800 title")
    with Store.open(database_url) as store:
        failed = lookup.store_batch(
            store, [_record(GOOD[0]), unstorable, _record(GOOD[1])], datetime.now(timezone.utc))
        assert list(failed) == [BAD] and "not valid Unicode" in failed[BAD]
        assert sorted(store.load_records()) == GOOD


@pytest.mark.parametrize("change, why", [
    (dict(version=2**31), "version"),
    (dict(comment="a\x00b"), "NUL"),
    (dict(published=datetime(9999, 12, 31, 23, tzinfo=timezone.utc)), "published"),
])
def test_unstorable_names_the_reason(change, why):
    assert why in papers.unstorable(dataclasses.replace(_record(BAD), **change))
    assert papers.unstorable(_record(BAD)) is None


def _unlinked_list(path: Path) -> Path:
    title, authors, _ = PAPERS[BAD]
    path.write_text(f"# Papers\n\n**{title}** \\\n*{', '.join(authors)}* \\\n1 Jun 2022\n",
                    encoding="utf-8")
    return path


def test_a_title_search_answer_with_a_bad_record_is_unchecked_and_asked_again(tmp_path,
                                                                            database_url):
    lst = _unlinked_list(tmp_path / "list.md")
    with HostileServer(ok(feed(CASES[1]))) as srv:
        first = run_check(check_settings(srv.url, database_url, tmp_path), lst)
    assert first.summary.unchecked == 1 and first.summary.unreadable == 1
    warning = [p for p in first.problems if "title search for line" in p]
    assert len(warning) == 1 and BAD in warning[0] and "searched again next run" in warning[0]
    assert first.summary.open == 0
    # Not cached as "no match": with a readable answer the next run confirms the paper.
    with HostileServer(ok(good_feed())) as srv:
        second = run_check(check_settings(srv.url, database_url, tmp_path), lst)
    assert second.summary.by_kind == {"missing_id": 1}
    assert second.summary.unchecked == 0
