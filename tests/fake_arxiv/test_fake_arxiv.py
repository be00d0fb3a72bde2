"""End to end: the real client against the project's fake arXiv over real HTTP on 127.0.0.1."""

from __future__ import annotations

import json
import subprocess
import sys
import textwrap
from dataclasses import replace

import httpx
import pytest

from diffsync.arxivapi.atom import parse_feed
from diffsync.arxivapi.client import ArxivClient
from diffsync.config import ArxivSettings
from diffsync.errors import ApiError
from diffsync.fake_arxiv import LEGACY, FakeArxiv, Fault, dump_papers, load_papers, record_to_dict, synthetic_papers

pytestmark = pytest.mark.e2e
DELAY = 0.05
PAPERS = synthetic_papers(1000)
IDS = [p.arxiv_id for p in PAPERS]


def client_for(fake: FakeArxiv, **kw) -> ArxivClient:
    base = dict(url=fake.url, delay=DELAY, batch_size=100, max_retries=3, backoff=0.01, max_backoff=0.1, timeout=5.0)
    return ArxivClient(ArxivSettings(**(base | kw)))


def test_fetch_1000_ids_costs_what_batching_promises_and_is_polite():
    with FakeArxiv(PAPERS, delay_check=DELAY) as fake, client_for(fake) as client:
        result = client.fetch(IDS)
        log = fake.log
        assert fake.violations() == [] and fake.overlaps == 0
    assert len(result.records) == 1000 and not result.not_found and not result.unchecked
    assert result.requests == client.requests_made == len(log) == 10
    assert all(r.method == "POST" and r.n_ids == 100 and r.status == 200 for r in log)
    assert result.records["2301.00042"] == next(p for p in PAPERS if p.arxiv_id == "2301.00042")


def test_violations_flag_requests_that_come_too_close():
    with FakeArxiv(PAPERS[:3], delay_check=10.0) as fake:
        with httpx.Client() as http:
            http.get(fake.url, params={"id_list": "2301.00001"})
            http.get(fake.url, params={"id_list": "2301.00002"})
        assert len(fake.violations()) == 1 and "after request 1" in fake.violations()[0]


def test_faults_are_survived_end_to_end():
    faults = [Fault("429", first=1, retry_after="0"), Fault("503", every=4), Fault("drop", every=7),
              Fault("not_xml", every=9), Fault("empty_page", every=5)]
    with FakeArxiv(PAPERS, delay_check=DELAY, faults=faults) as fake, client_for(fake, max_retries=4) as client:
        result = client.fetch(IDS)
        assert fake.violations() == []
        kinds = {r.fault for r in fake.log}
    assert len(result.records) == 1000 and not result.not_found and not result.unchecked
    assert {"429", "503", "drop", "not_xml", "empty_page"} <= kinds


def test_slow_answer_times_out_then_succeeds():
    with FakeArxiv(PAPERS[:5], faults=[Fault("slow", first=1, seconds=0.6)]) as fake, \
            client_for(fake, timeout=0.2) as client:
        result = client.fetch(IDS[:5])
    assert len(result.records) == 5 and result.requests == 2


def test_403_and_runtime_fault_toggle_via_admin_endpoint():
    with FakeArxiv(PAPERS[:5]) as fake, client_for(fake) as client:
        assert len(client.fetch(IDS[:5]).records) == 5
        httpx.post(fake.base_url + "/_admin/faults", json=[{"kind": "403", "every": 1}]).raise_for_status()
        with pytest.raises(ApiError, match="403"):
            client.fetch(IDS[:5])
        fake.set_faults([])
        assert len(client.fetch(IDS[:5]).records) == 5


def test_metadata_changed_between_runs_is_seen():
    with FakeArxiv(PAPERS[:3]) as fake, client_for(fake) as client:
        before = client.fetch(["2301.00001"]).records["2301.00001"]
        changed = replace(before, title="A corrected title", version=before.version + 1)
        httpx.post(fake.base_url + "/_admin/papers", json=[record_to_dict(changed)]).raise_for_status()
        after = client.fetch(["2301.00001"]).records["2301.00001"]
        fake.remove_paper("2301.00002")
        gone = client.fetch(["2301.00002"])
    assert after.title == "A corrected title" and after.version == before.version + 1
    assert gone.not_found == {"2301.00002"} and gone.requests == 2


def test_server_answers_like_arxiv_get_post_default_truncation_and_errors():
    with FakeArxiv(PAPERS, dialect=LEGACY) as fake, httpx.Client() as http:
        ids = ",".join(IDS[:25])
        default = parse_feed(http.get(fake.url, params={"id_list": ids}).content)
        posted = parse_feed(http.post(fake.url, data={"id_list": ids, "max_results": "25"}).content)
        bad = http.post(fake.url, data={"id_list": "2301.00001,abc"})
        search = parse_feed(http.get(fake.url, params={"search_query": 'ti:"Synthetic study 17 of"'}).content)
    assert len(default.records) == 10 and default.total_results == 25  # arXiv's silent default of 10
    assert len(posted.records) == 25
    assert bad.status_code == 400 and parse_feed(bad.content).errors == ("incorrect id format for abc",)
    assert [r.arxiv_id for r in search.records] == ["2301.00017"]


def test_down_api_is_an_api_error_in_bounded_time():
    fake = FakeArxiv(PAPERS[:1])
    url = fake.url
    fake.stop()  # never started: the port is closed, connections are refused
    settings = ArxivSettings(url=url, delay=0.0, max_retries=2, backoff=0.01, max_backoff=0.02, timeout=1.0)
    with ArxivClient(settings) as client, pytest.raises(ApiError, match="unreachable"):
        client.fetch(IDS[:3])
    assert client.requests_made == 3


def test_papers_json_round_trip_and_cli(tmp_path):
    path = tmp_path / "papers.json"
    dump_papers(PAPERS[:20], path)
    assert load_papers(path) == PAPERS[:20]
    log = tmp_path / "log.jsonl"
    proc = subprocess.Popen(
        [sys.executable, "-m", "diffsync.fake_arxiv", "--papers", str(path), "--port", "0", "--log", str(log)],
        stdout=subprocess.PIPE, text=True,
    )
    try:
        url = proc.stdout.readline().strip()
        feed = parse_feed(httpx.post(url, data={"id_list": "2301.00003,2301.00019", "max_results": "2"}).content)
        assert {r.arxiv_id for r in feed.records} == {"2301.00003", "2301.00019"}
        served = httpx.get(url.replace("/api/query", "/_admin/log")).json()
        assert len(served["requests"]) == 1 and served["violations"] == []
    finally:
        proc.terminate()
        proc.wait(timeout=10)
    (entry,) = [json.loads(line) for line in log.read_text().splitlines()]
    assert entry["n_ids"] == 2 and entry["status"] == 200


WORKER = textwrap.dedent("""
    import sys
    from diffsync.arxivapi.client import ArxivClient
    from diffsync.config import ArxivSettings
    from diffsync.store.store import Store
    url, db, first = sys.argv[1], sys.argv[2], int(sys.argv[3])
    ids = [f"2301.{i:05d}" for i in range(first, first + 1000)]
    with Store.open(db) as store, ArxivClient(ArxivSettings(url=url, delay=%r, batch_size=100),
                                              pacer=store.pacer()) as client:
        result = client.fetch(ids)
    print(len(result.records), result.requests)
""" % DELAY)


def test_two_processes_sharing_one_database_never_overlap(database_url):
    pytest.importorskip("diffsync.store.store")
    papers = synthetic_papers(2000)
    db = database_url
    subprocess.run([sys.executable, "-c", "import sys; from diffsync.store.store import Store; Store.open(sys.argv[1]).close()", db], check=True)
    with FakeArxiv(papers, delay_check=DELAY) as fake:
        procs = [subprocess.Popen([sys.executable, "-c", WORKER, fake.url, db, str(first)], stdout=subprocess.PIPE, text=True)
                 for first in (1, 1001)]
        outputs = [p.communicate(timeout=60)[0].split() for p in procs]
        assert fake.violations() == [] and fake.overlaps == 0
        assert len(fake.log) == 20
    assert outputs == [["1000", "10"], ["1000", "10"]]
