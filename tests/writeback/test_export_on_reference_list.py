"""Issue 11, as a new user would try it on a copy of the reference list against a fake arXiv:
repeated exports, ignored twins, what review shows versus what export writes, -o targets."""

from __future__ import annotations

import json

import pytest

from helpers.writeback_trust import REAL_LIST, check, cli, findings, real_list_papers

pytestmark = [pytest.mark.e2e,
              pytest.mark.skipif(not REAL_LIST.is_file(), reason="the reference list is not present")]


@pytest.fixture
def real(tmp_path, fake_env):
    data = REAL_LIST.read_bytes()
    lst = tmp_path / "list.md"
    lst.write_bytes(data)
    with fake_env(real_list_papers(data).values()):
        yield lst


def _by(found, kind, line=None):
    return [f for f in found if f["kind"] == kind and (line is None or f["line"] == line)]


def test_two_exports_without_a_check_between_move_only_the_wrong_entries(real, capsys, monkeypatch):
    found, _ = check(capsys, monkeypatch, real)
    assert sorted(f["line"] for f in _by(found, "wrong_id")) == [45, 531]
    assert cli(capsys, monkeypatch, "accept", "--kind", "wrong_id", str(real))[0] == 0
    code, _, err = cli(capsys, monkeypatch, "export", str(real), "--write")
    assert code == 0, err
    once = real.read_bytes()
    assert once.count(b"abs/2212.05034)") == 2 and once.count(b"abs/2302.08357)") == 2
    # Right after the write, with no check in between: nothing left to write.
    code, out, err = cli(capsys, monkeypatch, "export", str(real), "--check")
    assert (code, out) == (0, ""), err
    code, _, err = cli(capsys, monkeypatch, "export", str(real), "--write")
    assert code == 0, err
    assert real.read_bytes() == once  # SmartBrush keeps 2212.05034
    assert {f["status"] for f in _by(findings(capsys, monkeypatch, real), "wrong_id")} == {"applied"}
    code, out, _ = cli(capsys, monkeypatch, "status", "--json")
    assert json.loads(out)["applied"] == 2
    found, err = check(capsys, monkeypatch, real)
    assert _by(found, "wrong_id") == []
    assert {f["status"] for f in _by(findings(capsys, monkeypatch, real, "--status", "all"), "wrong_id")} \
        == {"resolved"}
    assert cli(capsys, monkeypatch, "export", str(real), "--check")[0] == 0
    assert real.read_bytes() == once


@pytest.mark.parametrize("other", ["ignore", "skip"])
def test_a_twin_ignored_or_skipped_is_never_edited(real, capsys, monkeypatch, other):
    found, _ = check(capsys, monkeypatch, real)
    at75, at252 = _by(found, "missing_id", 75)[0], _by(found, "missing_id", 252)[0]
    if other == "ignore":
        assert cli(capsys, monkeypatch, "ignore", at75["id"], str(real))[0] == 0
    # An ignored twin is never accepted, even with --twins; a skipped one only if asked.
    twins = ["--twins"] if other == "ignore" else []
    code, _, err = cli(capsys, monkeypatch, "accept", at252["id"], *twins, str(real))
    assert code == 0, err
    assert "also at line 75 (ignored)" in err if other == "ignore" else "also at line 75 (open" in err
    before = real.read_bytes().split(b"\n")
    code, _, err = cli(capsys, monkeypatch, "export", str(real), "--write")
    assert code == 0, err
    after = real.read_bytes().split(b"\n")
    changed = [n for n, (a, b) in enumerate(zip(before, after), start=1) if a != b]
    assert changed and all(252 <= n <= 256 for n in changed), changed
    assert before[74:79] == after[74:79]  # the entry at line 75, byte for byte
    status = {f["id"]: f["status"] for f in findings(capsys, monkeypatch, real, "--status", "all")}
    assert status[at75["id"]] == ("ignored" if other == "ignore" else "open")
    # The entry at 252 now links its paper: its findings moved with it (new key, new ids).
    moved = [f for f in findings(capsys, monkeypatch, real, "--status", "all")
             if f["kind"] == "missing_id" and f["line"] == 252]
    assert [f["status"] for f in moved] == ["applied"] and moved[0]["entry_key"] == "2302.05543"
    found, err = check(capsys, monkeypatch, real)
    status = {f["id"]: f["status"] for f in findings(capsys, monkeypatch, real, "--status", "all")}
    assert status[at75["id"]] == ("ignored" if other == "ignore" else "open")
    assert status[moved[0]["id"]] == "resolved"


def test_accept_twins_accepts_open_copies_with_the_same_value(real, capsys, monkeypatch):
    found, _ = check(capsys, monkeypatch, real)
    at75, at252 = _by(found, "missing_id", 75)[0], _by(found, "missing_id", 252)[0]
    code, _, err = cli(capsys, monkeypatch, "accept", at75["id"], str(real))
    assert "also at line 252 (open, same value); add --twins" in err
    code, out, err = cli(capsys, monkeypatch, "accept", at75["id"], "--twins", "--json", str(real))
    assert [f["id"] for f in json.loads(out)["changed"]] == [at252["id"]]
    cli(capsys, monkeypatch, "export", str(real), "--write")
    assert real.read_bytes().count(b"abs/2302.05543)") == 2


def test_review_offers_the_twin_and_shows_what_export_writes(real, capsys, monkeypatch):
    check(capsys, monkeypatch, real)
    code, out, err = cli(capsys, monkeypatch, "review", str(real), "--kind", "title", stdin="a\ny\n")
    assert code == 0, err
    assert "twins    : also at line 252 (open, same value)" in out
    assert "also accept the same fix at line 252? [y/N]" in out
    assert "fix      : Adding Conditional Control to Text-to-Image Diffusion Models" in out
    assert "2 accepted" in err
    code, out, err = cli(capsys, monkeypatch, "export", str(real), "--json")
    assert [e["new"] for e in json.loads(out)["edits"]] == [
        "Adding Conditional Control to Text-to-Image Diffusion Models"] * 2


def test_every_shown_fix_is_the_text_export_writes(real, capsys, monkeypatch):
    found, _ = check(capsys, monkeypatch, real)
    fixable = [f for f in found if f["fix"] is not None]
    assert {f["kind"] for f in fixable} >= {"wrong_id", "missing_id", "title"}
    listed = {f["id"]: f for f in findings(capsys, monkeypatch, real)}
    assert cli(capsys, monkeypatch, "accept", "--all", str(real))[0] == 0
    code, out, err = cli(capsys, monkeypatch, "export", str(real), "--json")
    edits = {e["finding_id"]: e["new"] for e in json.loads(out)["edits"]}
    for f in fixable:
        assert listed[f["id"]]["fix"] == f["fix"] == edits[f["id"]], f


def test_o_refuses_the_list_the_database_and_symlinks(real, capsys, monkeypatch, tmp_path):
    check(capsys, monkeypatch, real)
    before = real.read_bytes()
    db = tmp_path / "d.db"
    if db.exists():
        db_before = db.read_bytes()
        for target in (db, tmp_path / "d.db-wal", tmp_path / "d.db.arxiv.lock"):
            code, _, err = cli(capsys, monkeypatch, "export", str(real), "--format", "csv",
                               "-o", str(target), "--force")
            assert code == 2 and "database" in err and err.count("\n") == 1, err
        assert db.read_bytes() == db_before
    code, _, err = cli(capsys, monkeypatch, "export", str(real), "--format", "csv", "-o", str(real))
    assert code == 2 and "the list itself" in err
    code, _, err = cli(capsys, monkeypatch, "export", str(real), "--format", "csv", "-o", str(real),
                       "--force")
    assert code == 2 and "the list itself" in err
    precious = tmp_path / "precious.txt"
    precious.write_bytes(b"keep me\n")
    link = tmp_path / "out.csv"
    link.symlink_to(precious)
    code, _, err = cli(capsys, monkeypatch, "export", str(real), "--format", "csv", "-o", str(link),
                       "--force")
    assert code == 2 and "symbolic link" in err
    code, _, err = cli(capsys, monkeypatch, "export", str(real), "--format", "csv", "-o", str(precious))
    assert code == 2 and "--force" in err
    assert precious.read_bytes() == b"keep me\n" and real.read_bytes() == before
    code, _, err = cli(capsys, monkeypatch, "export", str(real), "--format", "csv", "-o",
                       str(precious), "--force")
    assert code == 0, err
    assert precious.read_bytes().startswith(b"line,") or b"," in precious.read_bytes()


def test_backup_symlink_is_refused_and_the_list_may_be_a_symlink(real, capsys, monkeypatch, tmp_path):
    check(capsys, monkeypatch, real)
    cli(capsys, monkeypatch, "accept", "--kind", "wrong_id", str(real))
    precious = tmp_path / "precious.txt"
    precious.write_bytes(b"keep me\n")
    (tmp_path / "list.md.bak").symlink_to(precious)
    before = real.read_bytes()
    code, _, err = cli(capsys, monkeypatch, "export", str(real), "--write", "--backup")
    assert code == 3 and "symbolic link" in err and err.count("\n") == 1, err
    assert real.read_bytes() == before and precious.read_bytes() == b"keep me\n"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]
    # Through a symlinked list: the file it points at is updated, the link stays.
    (tmp_path / "list.md.bak").unlink()
    link = tmp_path / "via-link.md"
    link.symlink_to(real)
    code, _, err = cli(capsys, monkeypatch, "export", str(link), "--write")
    assert code == 0, err
    assert link.is_symlink() and real.read_bytes().count(b"abs/2302.08357)") == 2
