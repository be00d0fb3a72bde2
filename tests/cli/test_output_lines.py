"""What the CLI writes to stderr: one line per message, a progress bar only on a terminal."""

from __future__ import annotations

import json
import os
import pty
import select
import subprocess
import sys

import pytest

from diffsync.fake_arxiv import FakeArxiv
from helpers.cli import run_cli

pytestmark = pytest.mark.e2e  # starts real processes or a server on 127.0.0.1

# Long enough that every message below is wider than a default 80-column console.
LIST = (
    "**Denoising Diffusion Probabilistic Models With A Deliberately Long Title For Wrapping** \\\n"
    "*Jonathan Ho, Ajay Jain, Pieter Abbeel* \\\n"
    "NeurIPS 2020. [[Paper] (https://arxiv.org/abs/2006.11239)] \\\n"
    "19 Jun 2020 \\\n"
    "\n"
    "**Score-Based Generative Modeling through Stochastic Differential Equations** \\\n"
    "*Yang Song, Jascha Sohl-Dickstein, Diederik P. Kingma* \\\n"
    "ICLR 2021. [[Paper](https://arxiv.org/abs/2011.13456)] \\\n"
    "26 Nov 2020 \\\n"
).encode()


@pytest.fixture
def listed(tmp_path, monkeypatch, database_url):
    path = tmp_path / "list.md"
    path.write_bytes(LIST)
    monkeypatch.setenv("DIFFSYNC_DATABASE_URL", database_url)
    monkeypatch.delenv("COLUMNS", raising=False)
    monkeypatch.chdir(tmp_path)
    return path


def test_check_summary_and_warnings_are_one_line_each_when_piped(listed, capsys, monkeypatch):
    code, _, err = run_cli(capsys, monkeypatch, "check", str(listed), "--offline")
    assert code == 3  # nothing fetched yet: not compared is not a pass (the broken link is open)
    lines = err.splitlines()
    assert lines and all(line.startswith("diffsync: ") for line in lines), lines
    summary = [line for line in lines if "open finding" in line]
    assert len(summary) == 1 and len(summary[0]) > 80
    assert summary[0].endswith("resolved")
    warning = [line for line in lines if line.startswith("diffsync: warning: ")]
    assert len(warning) == 1 and "Markdown shows it as text" in warning[0]


def test_entries_warnings_are_one_line_each(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("COLUMNS", raising=False)
    path = tmp_path / "a-list-with-a-rather-long-file-name-so-the-warning-is-wide.md"
    path.write_bytes(b"\xef\xbb\xbf" + LIST)
    code, _, err = run_cli(capsys, monkeypatch, "entries", str(path), "--json")
    assert code == 0
    lines = err.splitlines()
    assert len(lines) == 1 and "byte-order mark" in lines[0] and len(lines[0]) > 80


def _check_stderr(listed, url: str, *, tty: bool) -> str:
    """Run `diffsync check` in a child with stderr on a pseudo-terminal or a pipe."""
    env = {**os.environ, "DIFFSYNC_ARXIV_URL": url, "DIFFSYNC_ARXIV_DELAY": "0.01",
           "TERM": "xterm", "COLUMNS": "100"}
    env.pop("NO_COLOR", None)
    cmd = [sys.executable, "-m", "diffsync", "check", str(listed), "--no-search"]
    if not tty:
        done = subprocess.run(cmd, env=env, cwd=listed.parent, capture_output=True, timeout=60)
        assert done.returncode == 1, done.stderr
        return done.stderr.decode()
    master, slave = pty.openpty()
    proc = subprocess.Popen(cmd, env=env, cwd=listed.parent, stdout=subprocess.DEVNULL,
                            stderr=slave)
    os.close(slave)
    chunks = []
    while True:
        ready, _, _ = select.select([master], [], [], 60)
        if not ready:
            break
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the child closed its end
            break
        if not chunk:
            break
        chunks.append(chunk)
    os.close(master)
    assert proc.wait(timeout=60) == 1
    return b"".join(chunks).decode(errors="replace")


def test_progress_bar_only_on_a_terminal(listed, monkeypatch):
    from helpers.export import DDPM

    with FakeArxiv([DDPM]) as fake:
        on_terminal = _check_stderr(listed, fake.url, tty=True)
        piped = _check_stderr(listed, fake.url, tty=False)
    assert "Fetching arXiv metadata" in on_terminal
    assert "eta" in on_terminal  # the bar says how long is left
    assert "open findings" in on_terminal
    assert "Fetching arXiv metadata" not in piped and "\x1b[" not in piped
    assert "open findings" in piped


def test_accept_note_on_review_only_kinds_is_one_line(setup, capsys, monkeypatch):
    monkeypatch.delenv("COLUMNS", raising=False)
    path, _ = setup
    code, _, err = run_cli(capsys, monkeypatch, "accept", "--kind", "withdrawn", str(path))
    assert code == 0
    lines = err.splitlines()
    assert len(lines) == 3 and all(line.startswith("diffsync: ") for line in lines), lines  # created, note, count
    assert "review-only" in lines[1] and len(lines[1]) > 80


def test_offline_before_any_fetch_says_what_was_not_compared(listed, capsys, monkeypatch):
    from helpers.export import DDPM

    code, out, err = run_cli(capsys, monkeypatch, "check", str(listed), "--offline", "--json")
    assert code == 3, err  # a check that compared nothing is not a pass
    assert json.loads(out)["summary"]["not_compared"] == 2
    assert "2 not compared (never fetched; run a check without --offline)" in err
    with FakeArxiv([DDPM]) as fake:  # 2011.13456 is not served: confirmed not found
        monkeypatch.setenv("DIFFSYNC_ARXIV_URL", fake.url)
        monkeypatch.setenv("DIFFSYNC_ARXIV_DELAY", "0.01")
        run_cli(capsys, monkeypatch, "check", str(listed), "--no-search")
    code, out, err = run_cli(capsys, monkeypatch, "check", str(listed), "--offline", "--json")
    summary = json.loads(out)["summary"]
    assert summary["not_compared"] == 0 and "not compared" not in err and code == 1, err
    assert summary["by_kind"].get("not_found") == 1
