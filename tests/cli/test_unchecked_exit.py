"""Issue 25, item 4: a check that arXiv stopped answering part-way is not a success.

arXiv answers the first batch, then resets every connection: the check still
shows what it found, counts the unchecked papers in every output format, and
exits 3 (documented), so a CI gate never passes on a list it did not check.
"""

from __future__ import annotations

import json

import pytest

from helpers.hostile_cases import PAPERS, cli_env, diffsync, entry, feed, write_list
from helpers.hostile_http import HostileServer, drop, ok, sequence

pytestmark = pytest.mark.e2e  # starts real processes or a server on 127.0.0.1

FIRST = sorted(PAPERS)[0]


@pytest.mark.parametrize("fmt", ["concise", "json", "github", "sarif", "markdown"])
def test_arxiv_going_silent_after_one_batch_exits_3_with_the_counts(tmp_path, database_url, fmt):
    lst = write_list(tmp_path / "list.md")
    with HostileServer(sequence(ok(feed(entry(FIRST))), drop(reset=True))) as srv:
        done = diffsync("check", str(lst), "--no-search", "--format", fmt,
                        env=cli_env(srv.url, database_url, DIFFSYNC_ARXIV_BATCH_SIZE="1"), cwd=tmp_path)
    assert done.returncode == 3, done.stderr
    assert "internal error" not in done.stderr and "Traceback" not in done.stderr
    assert "2 unchecked (arXiv did not answer; run again later)" in done.stderr
    if fmt == "json":
        summary = json.loads(done.stdout)["summary"]
        assert summary["unchecked"] == 2 and summary["unanswered"] == 2 and summary["fetched"] == 1
    elif fmt == "github":
        assert "::error title=diffsync::2 unchecked" in done.stdout
    elif fmt == "sarif":
        (invocation,) = json.loads(done.stdout)["runs"][0]["invocations"]
        assert invocation["executionSuccessful"] is False
        assert "2 unchecked" in invocation["toolExecutionNotifications"][0]["message"]["text"]
    elif fmt == "markdown":
        assert "2 unchecked: arXiv stopped answering" in done.stdout


def test_an_unreadable_record_is_a_warning_not_an_incomplete_check(tmp_path, database_url):
    lst = write_list(tmp_path / "list.md")
    body = feed(*(entry(i) for i in PAPERS)).replace(
        f"<published>{PAPERS[FIRST][2]}</published>".encode(), b"<published></published>")
    with HostileServer(ok(body)) as srv:
        done = diffsync("check", str(lst), "--no-search", env=cli_env(srv.url, database_url), cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "1 unchecked (1 unreadable in arXiv's answer; run again later)" in done.stderr
