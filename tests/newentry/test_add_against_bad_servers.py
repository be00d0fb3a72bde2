"""`diffsync add` against a hostile arXiv on 127.0.0.1: whatever the server does, the list is
untouched unless a well-formed answer names the paper, and the command ends, bounded, with
one error line."""

from __future__ import annotations

import pytest

from helpers.hostile_cases import cli_env, diffsync, entry, feed, write_list
from helpers.hostile_http import (HostileServer, drop, endless_chunked, malformed, ok, redirect_loop,
                                  status, trickle)

pytestmark = pytest.mark.e2e

ADDED = "2010.02502"


@pytest.mark.parametrize("behaviour", [
    trickle(feed(entry(ADDED)), bytes_per_second=2),
    endless_chunked(),
    redirect_loop(),
    malformed(),
    drop(reset=True),
    status(503),
    ok(b"<html>not a feed</html>"),
], ids=["trickle", "endless", "redirect-loop", "malformed", "reset", "503", "not-a-feed"])
def test_a_misbehaving_server_leaves_the_list_alone(behaviour, tmp_path, database_url):
    lst = write_list(tmp_path / "list.md", ["2006.11239"])
    before = lst.read_bytes()
    with HostileServer(behaviour) as srv:
        done = diffsync("add", ADDED, "-l", str(lst), "--write", env=cli_env(srv.url, database_url),
                        cwd=tmp_path, timeout=120)
    assert done.returncode in (2, 3), done.stderr
    errors = [line for line in done.stderr.splitlines() if "error" in line]
    assert len(errors) == 1 and "Traceback" not in done.stderr and "internal error" not in done.stderr
    assert lst.read_bytes() == before
    assert not [p for p in tmp_path.iterdir() if ".diffsync-" in p.name]  # no temporary file left


def test_a_server_answering_with_another_paper_adds_nothing(tmp_path, database_url):
    lst = write_list(tmp_path / "list.md", ["2006.11239"])
    before = lst.read_bytes()
    with HostileServer(ok(feed(entry("2206.00364")))) as srv:  # asked for 2010.02502
        done = diffsync("add", ADDED, "-l", str(lst), "--write", env=cli_env(srv.url, database_url),
                        cwd=tmp_path)
    assert done.returncode == 2 and "arXiv does not know 2010.02502" in done.stderr
    assert lst.read_bytes() == before


def test_a_good_answer_is_added_once_and_a_second_run_refuses(tmp_path, database_url):
    lst = write_list(tmp_path / "list.md", ["2006.11239"])
    with HostileServer(ok(feed(entry(ADDED)))) as srv:
        env = cli_env(srv.url, database_url)
        first = diffsync("add", ADDED, "-l", str(lst), "--write", env=env, cwd=tmp_path)
        written = lst.read_bytes()
        second = diffsync("add", ADDED, "-l", str(lst), "--write", env=env, cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    assert b"**Denoising Diffusion Implicit Models** \\\n" in written
    assert second.returncode == 2 and "already in the list" in second.stderr and lst.read_bytes() == written


def test_a_list_saved_by_someone_else_while_add_waits_for_arxiv_is_not_overwritten(tmp_path, database_url):
    lst = write_list(tmp_path / "list.md", ["2006.11239"])
    answer = ok(feed(entry(ADDED)))

    def edited_meanwhile(conn):  # the maintainer saves the list while arXiv is answering
        lst.write_bytes(lst.read_bytes() + b"\nA note saved meanwhile.\n")
        answer(conn)

    with HostileServer(edited_meanwhile) as srv:
        done = diffsync("add", ADDED, "-l", str(lst), "--write", env=cli_env(srv.url, database_url),
                        cwd=tmp_path)
    assert done.returncode == 3 and "changed" in done.stderr.splitlines()[-1]
    assert lst.read_bytes().endswith(b"\nA note saved meanwhile.\n") and b"Implicit" not in lst.read_bytes()


def test_add_asks_arxiv_only_once_no_other_process_holds_the_poll_lock(tmp_path, database_url):
    import subprocess
    import sys
    import time

    from diffsync.store.store import Store

    lst = write_list(tmp_path / "list.md", ["2006.11239"])
    asked: list[float] = []
    answer = ok(feed(entry(ADDED)))

    def noted(conn):
        asked.append(time.monotonic())
        answer(conn)

    with HostileServer(noted) as srv, Store.open(database_url) as store:
        with store.poll_lock():  # a check (or the daemon) is polling arXiv
            child = subprocess.Popen([sys.executable, "-m", "diffsync", "add", ADDED, "-l", str(lst)],
                                     env=cli_env(srv.url, database_url), cwd=tmp_path,
                                     stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
            time.sleep(1.5)  # long enough for add to reach the lock
            assert not asked  # add waits: no second poller of arXiv
            released = time.monotonic()
        _, err = child.communicate(timeout=60)
    assert child.returncode == 0, err
    assert len(asked) == 1 and asked[0] >= released
