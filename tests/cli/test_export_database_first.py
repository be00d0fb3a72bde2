"""Issue 25, item 3: export writes the database first, then the list.

The database is made unwritable at each step of ``export --write``: before the
intent is recorded the list stays untouched; after the list was replaced the
command says so, and the next export (or check) records it without help.
"""

from __future__ import annotations

import pytest

from diffsync import errors
from diffsync.store import store as store_module
from diffsync.store.store import Store
from helpers.cli import run_cli
from helpers.export import LIST


def title_status(url, path) -> str:
    """The line-4 title finding's status (its id follows its entry's key, which the fix changes)."""
    with Store.open(url) as store:
        (status,) = [f.status.value for f in store.findings(store.list_id(str(path)))
                     if f.kind.value == "title" and f.line == 4]
    return status


def _unwritable_from(monkeypatch, n: int) -> list[int]:
    """The database refuses every write from the ``n``-th of this command on (1-based)."""
    real = store_module.run_write
    calls: list[int] = []

    def run_write(engine, work):
        calls.append(1)
        if len(calls) >= n:
            raise errors.DatabaseError("read-only database: cannot write to it (attempt to write a readonly database)")
        return real(engine, work)

    monkeypatch.setattr(store_module, "run_write", run_write)  # every Store write goes through it
    return calls


def _accept_title(capsys, monkeypatch, path):
    assert run_cli(capsys, monkeypatch, "accept", "title-4", str(path))[0] == 0


def test_an_unwritable_database_leaves_the_list_untouched(setup, capsys, monkeypatch):
    path, url = setup
    _accept_title(capsys, monkeypatch, path)
    with monkeypatch.context() as m:
        _unwritable_from(m, 1)
        code, out, err = run_cli(capsys, monkeypatch, "export", str(path), "--write")
    assert code == 3 and "read-only database" in err
    assert path.read_bytes() == LIST
    assert title_status(url, path) == "accepted"
    # Once the database can be written again, the same export works.
    code, out, err = run_cli(capsys, monkeypatch, "export", str(path), "--write")
    assert code == 0, err
    assert b"Denoising Diffusion Probabilistic Models**" in path.read_bytes()
    assert title_status(url, path) == "applied"


@pytest.mark.parametrize("then", ["export", "check"])
def test_a_database_failing_after_the_list_was_written_is_repaired_by_the_next_command(
        setup, capsys, monkeypatch, then):
    path, url = setup
    _accept_title(capsys, monkeypatch, path)
    with monkeypatch.context() as m:
        calls = _unwritable_from(m, 2)  # the intent is recorded, the result is not
        code, out, err = run_cli(capsys, monkeypatch, "export", str(path), "--write")
    assert len(calls) == 2
    assert code == 3 and "was written, but the database could not record it" in err
    written = path.read_bytes()
    assert written != LIST and b"Denoising Diffusion Probabilistic Models**" in written
    with Store.open(url) as store:
        assert store.pending_list_write(store.list_id(str(path))) is not None
    if then == "check":
        code, _, err = run_cli(capsys, monkeypatch, "check", str(path), "--offline")
        assert code == 3 and "2 not compared" in err, err  # two papers the setup never fetched
    else:
        code, out, err = run_cli(capsys, monkeypatch, "export", str(path), "--write")
        assert code == 0 and "list changed since the last check" not in err, err
    assert path.read_bytes() == written
    with Store.open(url) as store:
        assert store.pending_list_write(store.list_id(str(path))) is None
    assert title_status(url, path) in ("applied", "resolved")
    code, out, err = run_cli(capsys, monkeypatch, "export", str(path), "--check")
    assert code == 0, err


def test_a_failed_rename_drops_the_intent(setup, capsys, monkeypatch):
    path, url = setup
    _accept_title(capsys, monkeypatch, path)
    from diffsync.writeback import export as export_module

    def refuse(*a, **kw):
        raise errors.ListChangedError(f"{path}: changed while export ran")

    with monkeypatch.context() as m:
        m.setattr(export_module, "write_atomic", refuse)
        code, _, err = run_cli(capsys, monkeypatch, "export", str(path), "--write")
    assert code == 3 and path.read_bytes() == LIST
    with Store.open(url) as store:
        assert store.pending_list_write(store.list_id(str(path))) is None
    assert title_status(url, path) == "accepted"
