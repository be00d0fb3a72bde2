"""Fixtures of the CLI tests."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone

import pytest

from diffsync.fake_arxiv import FakeArxiv
from diffsync.fake_arxiv.example import EXAMPLE_DIR, example_papers

from diffsync.listfile.parse import parse_list
from diffsync.models import Kind, Status
from diffsync.store.store import Store
from helpers.export import DDPM, LIST, finding

NOW = datetime(2024, 5, 1, tzinfo=timezone.utc)


@pytest.fixture
def setup(tmp_path, monkeypatch, database_url):
    """A checked list with four open findings, as `diffsync check` would leave it."""
    path = tmp_path / "papers.md"
    path.write_bytes(LIST)
    url = database_url
    monkeypatch.setenv("DIFFSYNC_DATABASE_URL", url)
    monkeypatch.chdir(tmp_path)
    found = [replace(finding(Kind.TITLE, 4, DDPM.title), status=Status.OPEN, listed="Denoising Diffusion Probabilistic Modles"),
             replace(finding(Kind.DATE, 4, "2020-06-19"), status=Status.OPEN,
                     listed="[Submitted on 19 Jun 2021]"),  # the entry's date_text, as check records it
             replace(finding(Kind.LINK, 15, None), status=Status.OPEN),
             replace(finding(Kind.WITHDRAWN, 10, None), status=Status.OPEN)]
    with Store.open(url) as store:
        list_id = store.list_id(str(path))
        store.save_entries(list_id, parse_list(LIST, str(path)))
        store.save_records([DDPM], NOW)
        store.sync_findings(list_id, found, now=NOW)
    return path, url


def every_other_block(text: str, keep: int) -> str:
    """A list sharing some entries with ``text``: its header, then every other block."""
    blocks = text.split("\n\n")
    return "\n\n".join(blocks[:2] + [b for n, b in enumerate(blocks[2:]) if n % 2 == keep]) + "\n"


@pytest.fixture
def three_lists(tmp_path, monkeypatch):
    """a.md (the example list), b.md and c.md (every other entry of it: a shares entries
    with each, b and c share none) in the working folder, a fake arXiv serving their
    papers, no config: (the folder, the fake)."""
    from diffsync.listfile.parse import use_shape

    example = (EXAMPLE_DIR / "list.md").read_text(encoding="utf-8")
    (tmp_path / "a.md").write_text(example, encoding="utf-8")
    (tmp_path / "b.md").write_text(every_other_block(example, 0), encoding="utf-8")
    (tmp_path / "c.md").write_text(every_other_block(example, 1), encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    for var in ("DIFFSYNC_DATABASE_URL", "DIFFSYNC_CONFIG"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("DIFFSYNC_ARXIV_DELAY", "0")
    with FakeArxiv(example_papers()) as server:
        monkeypatch.setenv("DIFFSYNC_ARXIV_URL", server.url)
        yield tmp_path, server
    use_shape(None)  # the CLI sets the process's shapes; later tests start from the vote
