"""Several lists in one database (SQLite, or PostgreSQL under .ci/run).

Papers are shared, findings are not: a paper listed in two lists is fetched
once and its metadata serves both, while each list keeps its own findings
and decisions.  Runs the real CLI in-process against the fake arXiv.
"""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from diffsync.fake_arxiv import FakeArxiv
from diffsync.models import PaperRecord
from helpers.cli import run_cli
from helpers.shared_lists import PAPERS, PUBLISHED, entry  # noqa: F401

pytestmark = pytest.mark.e2e

A_IDS = [p.arxiv_id for p in PAPERS[:6]]  # 1-6
B_IDS = [p.arxiv_id for p in PAPERS[3:]]  # 4-9: 4, 5, 6 are in both lists
SHARED = set(A_IDS) & set(B_IDS)


def write_lists(tmp_path):
    by_id = {p.arxiv_id: p for p in PAPERS}
    four, five = by_id["2303.00004"], by_id["2303.00005"]
    # List A misspells shared paper 4's title; list B drops an author of shared paper 5.
    a = "# List A\n\n" + "".join(entry(by_id[i], title="Paper Numbr 4 on Diffusion Sampling"
                                       if i == four.arxiv_id else None) for i in A_IDS)
    b = "# List B\n\n" + "".join(entry(by_id[i], authors=five.authors[:1]
                                       if i == five.arxiv_id else None) for i in B_IDS)
    (tmp_path / "a.md").write_text(a, encoding="utf-8")
    (tmp_path / "b.md").write_text(b, encoding="utf-8")
    return tmp_path / "a.md", tmp_path / "b.md"


@pytest.fixture
def fake():
    with FakeArxiv(PAPERS) as server:
        yield server


@pytest.fixture
def cli(tmp_path, monkeypatch, capsys, database_url, fake):
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DIFFSYNC_CONFIG", raising=False)
    for key, value in {"DATABASE_URL": database_url, "ARXIV_URL": fake.url, "ARXIV_DELAY": "0.01",
                       "ARXIV_BACKOFF": "0.01", "ARXIV_MAX_RETRIES": "2",
                       "ARXIV_BATCH_SIZE": "2", "CHECK_SEARCH": "false"}.items():
        monkeypatch.setenv("DIFFSYNC_" + key, value)

    def run(*args: str) -> tuple[int, dict]:
        code, out, err = run_cli(capsys, monkeypatch, *args)
        assert code in (0, 1), err
        return code, json.loads(out) if out.strip() else {}
    return run


def asked_ids(fake: FakeArxiv, since: int) -> int:
    """IDs asked of arXiv by requests after the first ``since`` ones."""
    return sum(r.n_ids for r in fake.log[since:])


def kinds(payload: dict) -> set[tuple[str, str]]:
    return {(f["kind"], f["arxiv_id"]) for f in payload["findings"] if f["status"] == "open"}


def test_two_lists_share_papers_and_poll_once_but_keep_their_own_findings(tmp_path, cli, fake,
                                                                          db_rows):
    list_a, list_b = write_lists(tmp_path)
    _, first = cli("check", str(list_a), "--json", "--max-age", "24")
    assert first["summary"]["fetched"] == 6 and asked_ids(fake, 0) == 6

    before = len(fake.log)
    _, second = cli("check", str(list_b), "--json", "--max-age", "24")
    # Only B's own papers are asked for: 4, 5 and 6 came with list A's check.
    assert asked_ids(fake, before) == 3
    assert second["summary"]["fetched"] == 3 and second["summary"]["papers"] == 6

    assert kinds(first) == {("title", "2303.00004")}
    assert kinds(second) == {("authors", "2303.00005")}
    assert db_rows("select count(*) from lists") == [(2,)]
    assert db_rows("select count(*) from papers") == [(9,)]

    # A decision on one list leaves the other alone.
    code, _ = cli("accept", "--all", str(list_a))
    assert code == 0
    _, a_now = cli("findings", str(list_a), "--json", "--status", "all")
    _, b_now = cli("findings", str(list_b), "--json", "--status", "all")
    assert {f["status"] for f in a_now["findings"]} == {"accepted"}
    assert [(f["kind"], f["status"]) for f in b_now["findings"]] == [("authors", "open")]

    # arXiv retitles shared paper 6; B's full check sees it, then A reuses B's fetch.
    six = next(p for p in PAPERS if p.arxiv_id == "2303.00006")
    fake.update_paper(replace(six, title="Paper Number 6, Revised", version=2))
    before = len(fake.log)
    _, b_again = cli("check", str(list_b), "--json", "--max-age", "0")
    assert asked_ids(fake, before) == 6
    before = len(fake.log)
    _, a_again = cli("check", str(list_a), "--json", "--max-age", "24")
    assert asked_ids(fake, before) == 0 and a_again["summary"]["fetched"] == 0
    assert ("title", "2303.00006") in kinds(a_again)
    assert ("title", "2303.00006") in kinds(b_again)
    assert fake.violations() == []

    # Each list's findings are its own: one row per list for the shared paper's new title.
    rows = db_rows("select count(distinct list_id) from findings where arxiv_id = '2303.00006'")
    assert rows == [(2,)]


def unlinked(p: PaperRecord) -> str:
    """An entry for ``p`` with no arXiv link, which diffsync title-searches."""
    return f"**{p.title}** \\\n*{', '.join(p.authors)}* \\\nWorkshop 2023.\n\n"


def test_a_title_search_serves_every_list_that_has_the_entry(tmp_path, cli, fake, monkeypatch):
    monkeypatch.setenv("DIFFSYNC_CHECK_SEARCH", "true")
    seven = next(p for p in PAPERS if p.arxiv_id == "2303.00007")
    for name in ("a", "b"):
        (tmp_path / f"{name}.md").write_text(f"# {name}\n\n" + entry(PAPERS[0]) + unlinked(seven),
                                             encoding="utf-8")
    _, first = cli("check", str(tmp_path / "a.md"), "--json", "--max-age", "24")
    assert first["summary"]["searched"] == 1
    before = len(fake.log)
    _, second = cli("check", str(tmp_path / "b.md"), "--json", "--max-age", "24")
    assert second["summary"]["searched"] == 0 and len(fake.log) == before
    for payload in (first, second):
        assert [(f["kind"], f["suggestion"]) for f in payload["findings"]] == \
            [("missing_id", "2303.00007")]
