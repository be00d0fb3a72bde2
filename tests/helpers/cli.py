"""The CLI as the tests run it: ``run_cli`` in this process; ``cli_folder``, the test's
own folder and database; ``fake_env``, a fake arXiv on 127.0.0.1 with the settings
diffsync reads pointed at it, and ``serving_venues``, the fake venue sources as well."""

from __future__ import annotations

import io
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, ContextManager, Iterator, Sequence

import pytest

from diffsync.cli import main
from diffsync.fake_arxiv import FakeArxiv
from diffsync.fake_venues import FakeVenues, World
from diffsync.models import PaperRecord


def run_cli(capsys, monkeypatch, *args: str, stdin: str = "") -> tuple[int, str, str]:
    """``diffsync ARGS`` in-process through the real entry point: (exit code, stdout, stderr)."""
    monkeypatch.setattr(sys, "argv", ["diffsync", *args])
    monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = 0
    try:
        main()
    except SystemExit as exc:
        code = exc.code or 0
    out, err = capsys.readouterr()
    return code, out, err


@contextmanager
def serving(monkeypatch, papers: Sequence[PaperRecord], **settings: str | None) -> Iterator[FakeArxiv]:
    """A fake arXiv serving ``papers`` while the block runs: ``DIFFSYNC_ARXIV_URL`` points
    at it meanwhile, and any ``section_key="value"`` is set as ``DIFFSYNC_SECTION_KEY``
    (``section_key=None`` unsets it, e.g. ``database_url=None``: the defaults decide)."""
    with FakeArxiv(list(papers)) as fake:
        monkeypatch.setenv("DIFFSYNC_ARXIV_URL", fake.url)
        for key, value in settings.items():
            if value is None:
                monkeypatch.delenv("DIFFSYNC_" + key.upper(), raising=False)
            else:
                monkeypatch.setenv("DIFFSYNC_" + key.upper(), value)
        yield fake


FakeEnv = Callable[..., ContextManager[FakeArxiv]]


@contextmanager
def serving_venues(fake_env: FakeEnv, papers: Sequence[PaperRecord], world: World,
                   **settings: str | None) -> Iterator[FakeVenues]:
    """``fake_env(papers)`` and the fake venue sources serving ``world``, with diffsync's
    venue step on and pointed at them (quick pacing); ``settings`` as for ``serving``."""
    with FakeVenues(world) as venues, fake_env(
            papers, venues_enabled="1", venues_semantic_scholar_url=venues.s2_url,
            venues_openreview_url=venues.openreview_url, venues_dblp_url=venues.dblp_url,
            venues_delay="0.001", **settings):
        yield venues


@pytest.fixture
def cli_folder(monkeypatch, tmp_path, database_url) -> Path:
    """This test's folder as the working directory, its own database, no config file."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("DIFFSYNC_CONFIG", raising=False)
    monkeypatch.setenv("DIFFSYNC_DATABASE_URL", database_url)
    return tmp_path


@pytest.fixture
def fake_env(monkeypatch, cli_folder) -> FakeEnv:
    """``cli_folder``, with quick pacing and retries; ``with fake_env(papers) as fake:``
    serves ``papers`` (``serving``)."""
    for key, value in {"ARXIV_DELAY": "0.01", "ARXIV_BACKOFF": "0.01", "ARXIV_MAX_RETRIES": "2"}.items():
        monkeypatch.setenv("DIFFSYNC_" + key, value)
    return lambda papers, **kw: serving(monkeypatch, papers, **kw)
