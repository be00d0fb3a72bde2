"""Fixtures of the CLI tests."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone

import pytest

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
