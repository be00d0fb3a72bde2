"""Shared builders for the hostile-answer tests: papers, feeds, a list, a CLI run.

The hostile server itself is ``helpers.hostile_http``; this holds what the
test modules of issue 12's HTTP families have in common.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

from diffsync.config import ArxivSettings, DatabaseSettings, Settings, VenuesSettings
from helpers.hostile_http import atom_feed

# Three real papers, as a list entry and as arXiv's record.
PAPERS = {
    "2006.11239": ("Denoising Diffusion Probabilistic Models",
                   ["Jonathan Ho", "Ajay Jain", "Pieter Abbeel"], "2020-06-19T17:24:44Z"),
    "2010.02502": ("Denoising Diffusion Implicit Models",
                   ["Jiaming Song", "Chenlin Meng", "Stefano Ermon"], "2020-10-06T17:58:31Z"),
    "2206.00364": ("Elucidating the Design Space of Diffusion-Based Generative Models",
                   ["Tero Karras", "Miika Aittala", "Timo Aila", "Samuli Laine"],
                   "2022-06-01T17:59:56Z"),
}
BAD_PUBLISHED = ["9999-12-31T23:00:00-05:00", "0001-01-01T00:00:00+05:00", "2023-13-45T99:99:99Z"]
HUGE_VERSION = "v99999999999999999999"


def entry(arxiv_id: str, *, published: str | None = None, version: str = "v1") -> dict[str, Any]:
    title, authors, when = PAPERS[arxiv_id]
    return dict(id=arxiv_id + version, title=title, authors=authors,
                published=published or when, updated=published or when)


def feed(*entries: dict[str, Any]) -> bytes:
    return atom_feed(list(entries))


def good_feed() -> bytes:
    return feed(*(entry(i) for i in PAPERS))


def write_list(path: Path, ids: list[str] | None = None) -> Path:
    """A list linking ``ids`` (default: every paper), each entry agreeing with arXiv."""
    parts = ["# Papers\n"]
    for arxiv_id in ids or list(PAPERS):
        title, authors, when = PAPERS[arxiv_id]
        day = f"{int(when[8:10])} {['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][int(when[5:7]) - 1]} {when[:4]}"
        parts.append(f"**{title}** \\\n*{', '.join(authors)}* \\\n"
                     f"[[Paper](https://arxiv.org/abs/{arxiv_id})] \\\n{day}\n")
    path.write_text("\n".join(parts), encoding="utf-8")
    return path


def fast_arxiv(url: str, **kw: Any) -> ArxivSettings:
    """Settings that keep every retry short: a hostile answer costs well under a second."""
    base = dict(url=url, delay=0.0, batch_size=100, max_retries=2, backoff=0.01,
                max_backoff=0.05, timeout=2.0, cooldown=3600.0, contact="ops@example.org")
    return ArxivSettings(**(base | kw))


def check_settings(url: str, database_url: str, folder: Path, **sections: Any) -> Settings:
    """Settings for a check in this process against the server at ``url`` (``fast_arxiv``):
    this test's database and folder, and no venue source (those are real services)."""
    return Settings(arxiv=fast_arxiv(url), database=DatabaseSettings(url=database_url), config_dir=str(folder),
                    venues=VenuesSettings(enabled=False), **sections)


def cli_env(url: str, database_url: str, **extra: str) -> dict[str, str]:
    env = dict(os.environ)
    env.pop("DIFFSYNC_CONFIG", None)
    env.update(DIFFSYNC_ARXIV_URL=url, DIFFSYNC_ARXIV_DELAY="0", DIFFSYNC_ARXIV_BACKOFF="0.01",
               DIFFSYNC_ARXIV_MAX_BACKOFF="0.05", DIFFSYNC_ARXIV_MAX_RETRIES="2",
               DIFFSYNC_ARXIV_TIMEOUT="2", DIFFSYNC_DATABASE_URL=database_url)
    env.update(extra)
    return env


def diffsync(*args: str, env: dict[str, str], cwd: Path,
             timeout: float = 60) -> subprocess.CompletedProcess[str]:
    """The real CLI in a subprocess; ``timeout`` only bounds the test, nothing asserts on time."""
    return subprocess.run([sys.executable, "-m", "diffsync", *args], capture_output=True,
                          text=True, env=env, cwd=cwd, timeout=timeout)
