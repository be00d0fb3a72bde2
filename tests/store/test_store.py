"""Store: papers, history, searches, lists, findings and runs (SQLite)."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest

from diffsync import errors
from diffsync.models import Entry, Kind, ParsedList, Span, Status
from diffsync.store.store import RunCounts, Store

from helpers.storage import T0, finding, record


@pytest.fixture
def store(db_url):
    with Store.open(db_url) as s:
        yield s


def test_open_creates_folder_and_schema(tmp_path):
    with Store.open(f"sqlite:///{tmp_path}/a/b/x.db") as s:
        assert s.revision().up_to_date
        assert s.count_papers() == 0
    assert (tmp_path / "a" / "b" / "x.db").read_bytes().startswith(b"SQLite format 3\x00")


def test_in_memory_database_works():
    with Store.open("sqlite://") as s:
        s.save_records([record()], T0)
        assert set(s.load_records()) == {"2206.00364"}


def test_save_records_is_an_idempotent_upsert(store):
    recs = [record(), record("2112.10752", title="High-Resolution Image Synthesis")]
    assert store.save_records(recs, T0) == []
    assert store.save_records(recs, T0 + timedelta(hours=1)) == []
    assert store.count_papers() == 2
    assert store.load_records() == {r.arxiv_id: r for r in recs}
    assert store.history("2206.00364") == []
    assert store.fetched_since(T0 + timedelta(minutes=30)) == {"2206.00364", "2112.10752"}


def test_round_trip_keeps_every_field(store):
    rec = record(version=3, comment="Accepted to NeurIPS 2022", journal_ref="NeurIPS 2022",
                 doi="10.1/x", categories=("cs.CV", "cs.LG"), withdrawn=True,
                 updated=T0)
    store.save_records([rec], T0)
    loaded = store.load_records(["2206.00364", "9999.99999"])
    assert loaded == {"2206.00364": rec}
    assert loaded["2206.00364"].updated.tzinfo is not None


def test_title_change_writes_history(store):
    store.save_records([record(version=3)], T0)
    v4_date = T0 + timedelta(days=500)
    changes = store.save_records(
        [record(version=4, title="Elucidating the Design Space of Diffusion", updated=v4_date)],
        T0 + timedelta(days=501))
    assert {(c.field, c.old, c.new) for c in changes} == {
        ("title", "Elucidating the Design Space", "Elucidating the Design Space of Diffusion"),
        ("version", "v3", "v4"),
    }
    history = store.history("2206.00364")
    assert [c.field for c in history] == ["version", "title"]
    assert all(c.version == 4 and c.changed_at == v4_date for c in history)
    assert store.load_records()["2206.00364"].title.endswith("of Diffusion")


def test_metadata_only_change_is_dated_when_seen(store):
    store.save_records([record()], T0)
    seen = T0 + timedelta(days=3)
    changes = store.save_records([record(journal_ref="CVPR 2023", authors=("Tero Karras",))], seen)
    assert {c.field for c in changes} == {"journal_ref", "authors"}
    assert all(c.changed_at == seen and c.version == 1 for c in changes)


def test_stale_older_version_does_not_overwrite(store):
    store.save_records([record(version=2, title="New")], T0)
    assert store.save_records([record(version=1, title="Old")], T0 + timedelta(1)) == []
    assert store.load_records()["2206.00364"].title == "New"


def test_not_found_ids(store):
    store.mark_not_found(["2301.99999", "2301.99998"], T0)
    store.mark_not_found(["2301.99999"], T0 + timedelta(1))
    assert store.not_found_ids() == {"2301.99999", "2301.99998"}
    assert store.fetched_since(T0 + timedelta(hours=1)) == {"2301.99999"}
    store.save_records([record("2301.99998")], T0)  # found after all
    assert store.not_found_ids() == {"2301.99999"}


def test_ten_thousand_records_in_chunks(store):
    recs = [record(f"2301.{i:05d}", title=f"Paper {i}") for i in range(10_000)]
    store.save_records(recs, T0)
    assert store.count_papers() == 10_000
    changed = [replace(r, title=r.title + "!") for r in recs[:3]] + recs[3:]
    assert len(store.save_records(changed, T0)) == 3
    assert len(store.load_records(r.arxiv_id for r in recs[5000:7000])) == 2000


def test_search_cache(store):
    store.list_id("README.md")
    store.save_search("fp1", "A Title", None, None, T0)
    store.save_search("fp1", "A Title", "2206.00364", 97.5, T0 + timedelta(1))
    store.save_search("fp2", "Other", None, None, T0)
    rows = store.load_searches()
    assert set(rows) == {"fp1", "fp2"}
    assert (rows["fp1"].match_id, rows["fp1"].score) == ("2206.00364", 97.5)
    assert rows["fp2"].match_id is None


def _entry(line: int, title: str, arxiv_id: str | None) -> Entry:
    return Entry(line=line, section="Sec", span=Span(0, 1), title=title, title_span=Span(0, 1),
                 authors=("A. B",), arxiv_id=arxiv_id)


def test_lists_and_entries(store, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    lid = store.list_id("list.md")
    assert store.list_id(str(tmp_path / "list.md")) == lid
    other = store.list_id("other.md")
    assert other != lid
    assert store.list_state(lid) == replace(store.list_state(lid), sha256=None, checked_at=None)
    parsed = ParsedList(path="list.md", sha256="abc", newline="\n",
                        entries=(_entry(3, "One", "2206.00364"), _entry(7, "Two", None)))
    store.save_entries(lid, parsed)
    store.save_entries(lid, replace(parsed, sha256="def", entries=parsed.entries[:1]))
    state = store.list_state(lid)
    assert state.path == str(tmp_path / "list.md") and state.sha256 == "def"
    assert state.checked_at is not None
    assert store.list_state(9999) is None
    assert store.lists() == {lid: str(tmp_path / "list.md"), other: str(tmp_path / "other.md")}
    with pytest.raises(errors.UsageError):
        store.save_entries(9999, parsed)


# ------------------------------------------------------------------ findings


def test_findings_new_then_same_then_resolved(store):
    lid = store.list_id("list.md")
    first = store.sync_findings(lid, [finding("f1"), finding("f2", Kind.DATE, line=3)], now=T0)
    assert (first.new, first.open, first.resolved) == (2, 2, 0)
    again = store.sync_findings(lid, [finding("f1"), finding("f2", Kind.DATE, line=3)], now=T0)
    assert (again.new, again.open, again.resolved) == (0, 2, 0)
    assert [f.id for f in store.findings(lid)] == ["f2", "f1"]  # by line
    gone = store.sync_findings(lid, [finding("f1")], now=T0)
    assert (gone.new, gone.open, gone.resolved) == (0, 1, 1)
    assert {f.id: f.status for f in store.findings(lid)} == {"f1": Status.OPEN, "f2": Status.RESOLVED}
    back = store.sync_findings(lid, [finding("f1"), finding("f2", Kind.DATE, line=3)], now=T0)
    assert (back.new, back.open, back.resolved) == (1, 2, 0)


def test_ignored_stays_ignored_until_a_value_changes(store):
    lid = store.list_id("list.md")
    store.sync_findings(lid, [finding("f1")], now=T0)
    assert store.set_status(lid, ["f1"], Status.IGNORED, reason="house style") == ["f1"]
    summary = store.sync_findings(lid, [finding("f1")], now=T0)
    assert (summary.new, summary.open) == (0, 0)
    assert store.findings(lid)[0].status is Status.IGNORED
    # an ignored finding missing from a run is not resolved
    store.sync_findings(lid, [], now=T0)
    assert store.findings(lid)[0].status is Status.IGNORED
    changed = store.sync_findings(lid, [finding("f1", arxiv="Newer title")], now=T0)
    assert (changed.new, changed.open) == (1, 1)
    assert store.findings(lid)[0].status is Status.OPEN


def test_accepted_reopens_when_listed_value_changes_and_resolves_when_fixed(store):
    lid = store.list_id("list.md")
    store.sync_findings(lid, [finding("f1"), finding("f2", line=20, entry_key="2112.10752")], now=T0)
    store.set_status(lid, ["f1", "f2"], Status.ACCEPTED)
    store.sync_findings(lid, [finding("f1"), finding("f2", line=21, entry_key="2112.10752",
                                                      listed="Edited")], now=T0)
    assert {f.id: f.status for f in store.findings(lid)} == {"f1": Status.ACCEPTED, "f2": Status.OPEN}
    assert store.findings(lid, status=["open"])[0].line == 21
    done = store.sync_findings(lid, [finding("f2", line=21, entry_key="2112.10752", listed="Edited")],
                               now=T0)
    assert done.resolved == 1
    assert store.findings(lid, status=[Status.RESOLVED])[0].id == "f1"


def test_resolution_limited_to_scope(store):
    lid = store.list_id("list.md")
    store.sync_findings(lid, [finding("a", entry_key="k1"), finding("b", entry_key="k2")], now=T0)
    summary = store.sync_findings(lid, [], scope_keys={"k1"}, now=T0)
    assert summary.resolved == 1 and summary.open == 1
    assert {f.id: f.status for f in store.findings(lid)} == {"a": Status.RESOLVED, "b": Status.OPEN}


def test_findings_are_kept_per_list(store):
    one, two = store.list_id("one.md"), store.list_id("two.md")
    store.sync_findings(one, [finding("f1")], now=T0)
    store.sync_findings(two, [finding("f1"), finding("f9", Kind.LINK)], now=T0)
    store.sync_findings(one, [], now=T0)
    assert [f.status for f in store.findings(two)] == [Status.OPEN, Status.OPEN]
    assert store.open_by_kind(two) == {"link": 1, "title": 1}
    assert store.open_by_kind() == {"link": 1, "title": 1}
    assert store.open_by_kind(one) == {}
    assert len(store.findings(None, kind=["title"])) == 2


def test_set_status_accepts_unique_prefixes_and_names_unknown_ids(store):
    lid = store.list_id("list.md")
    store.sync_findings(lid, [finding("abc123"), finding("abd456", line=2), finding("xyz", line=3)],
                        now=T0)
    assert store.set_status(lid, ["abc", "xy"], Status.ACCEPTED) == ["abc123", "xyz"]
    assert store.set_status(lid, ["abc123"], Status.ACCEPTED) == []  # already accepted
    with pytest.raises(errors.UsageError, match="nope.*zzz|zzz.*nope"):
        store.set_status(lid, ["nope", "abd", "zzz"], Status.IGNORED)
    with pytest.raises(errors.UsageError, match="ambiguous.*ab"):
        store.set_status(lid, ["ab"], Status.IGNORED)
    assert store.findings(lid, status=["ignored"]) == []  # nothing changed on error
    assert store.set_status(lid, ["abc"], Status.OPEN) == ["abc123"]


def test_set_status_by_kind(store):
    lid = store.list_id("list.md")
    store.sync_findings(lid, [finding("t1"), finding("d1", Kind.DATE, line=2),
                              finding("d2", Kind.DATE, line=3)], now=T0)
    store.set_status(lid, ["d2"], Status.IGNORED)
    assert store.set_status_by_kind(lid, ["date"], Status.ACCEPTED) == ["d1"]
    assert store.set_status_by_kind(lid, [Kind.DATE], Status.OPEN,
                                    from_status=Status.IGNORED) == ["d2"]
    assert store.open_by_kind(lid) == {"date": 1, "title": 1}


def test_ten_thousand_findings(store):
    lid = store.list_id("list.md")
    many = [finding(f"id{i}", line=i, entry_key=f"k{i}") for i in range(10_000)]
    assert store.sync_findings(lid, many, now=T0).new == 10_000
    summary = store.sync_findings(lid, many[:9_000], now=T0)
    assert (summary.new, summary.open, summary.resolved) == (0, 9_000, 1_000)


# ---------------------------------------------------------------- runs, pacing


def test_runs_most_recent_first(store):
    first = store.start_run("daemon", "/l.md")
    second = store.start_run("check", "/l.md")
    store.finish_run(first, status="failed", counts=RunCounts(requests=3), error="arXiv unreachable")
    runs = store.runs()
    assert [r.id for r in runs] == [second, first]
    assert runs[0].status == "running" and runs[0].finished_at is None
    assert (runs[1].status, runs[1].requests, runs[1].error) == ("failed", 3, "arXiv unreachable")
    assert runs[1].finished_at >= runs[1].started_at
    assert len(store.runs(limit=1)) == 1


def test_pacer_state_is_shared_through_the_database(db_url):
    url = db_url
    with Store.open(url) as a:
        pacer = a.pacer()
        assert pacer.last_request_at() is None and pacer.cooldown_until() is None
        pacer.record_request(1000.0)
        pacer.record_request(900.0)  # an older note never moves the clock back
        pacer.set_cooldown(5000.0)
    with Store.open(url) as b:
        assert b.pacer().last_request_at() == 1000.0
        assert b.cooldown_until().timestamp() == 5000.0
        b.pacer().set_cooldown(None)
        assert b.cooldown_until() is None


def test_poll_lock_is_reentrant_and_shared_with_pacer(store):
    with store.poll_lock() as waited:
        assert waited is False
        with store.pacer().hold():
            with store.poll_lock(timeout=0) as again:
                assert again is False


def test_a_failed_batch_keeps_earlier_batches(store):
    store.save_records([record("2301.00001")], T0)
    broken = replace(record("2301.00002"), title=None)  # NOT NULL: the whole batch rolls back
    with pytest.raises(errors.DatabaseError) as exc:
        store.save_records([record("2301.00003"), broken], T0)
    assert "\n" not in str(exc.value)
    assert set(store.load_records()) == {"2301.00001"}
