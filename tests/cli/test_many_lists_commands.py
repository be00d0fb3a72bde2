"""Every command that acts on lists takes several, and with no LIST every configured list:
accept/ignore/reopen place each finding id in the one list that holds it (an id two
lists hold is refused before anything is decided), export shows each list's diff and
writes each list on its own, lint and entries read every list, each in its own shape."""

from __future__ import annotations

import json
import subprocess

import pytest

from helpers.cli import run_cli
from helpers.schemas import valid

TWO_LISTS = '[[lists]]\npath = "b.md"\n\n[[lists]]\npath = "c.md"\n'


@pytest.fixture
def here(three_lists, database_url, monkeypatch):
    """The three lists' folder, with this test's database (SQLite, or PostgreSQL when asked)."""
    monkeypatch.setenv("DIFFSYNC_DATABASE_URL", database_url)
    return three_lists[0]


def _cli(capsys, monkeypatch, *args):
    return run_cli(capsys, monkeypatch, *args)


def _findings(capsys, monkeypatch, *lists):
    code, out, err = _cli(capsys, monkeypatch, "findings", *lists, "--status", "all", "--json")
    assert code == 0, err
    return json.loads(out)["findings"]


def _one(findings, name, kind):
    found = [f for f in findings if f["list"].endswith(name) and f["kind"] == kind]
    assert len(found) == 1, found
    return found[0]


def test_an_id_two_lists_hold_is_refused_naming_both_and_nothing_is_decided(here, capsys, monkeypatch):
    code, _, err = _cli(capsys, monkeypatch, "check", "a.md", "c.md")
    assert code == 1, err
    before = _findings(capsys, monkeypatch, "a.md", "c.md")
    shared = _one(before, "c.md", "title")["id"]  # the same entry in a.md: the same id
    assert any(f["id"] == shared for f in before if f["list"].endswith("a.md"))
    for args in (["accept", shared[:6], "a.md", "c.md"], ["ignore", shared, "--list", "a.md", "--list", "c.md"]):
        code, out, err = _cli(capsys, monkeypatch, *args)
        assert code == 2 and out == ""
        lines = err.strip().splitlines()
        assert len(lines) == 1 and "a.md" in lines[0] and "c.md" in lines[0] and "give its list" in lines[0]
    assert _findings(capsys, monkeypatch, "a.md", "c.md") == before
    assert not (here / "a.diffsync.toml").exists() and not (here / "c.diffsync.toml").exists()
    # No LIST and no config: every checked list, never only the most recently checked one.
    code, _, err = _cli(capsys, monkeypatch, "accept", shared)
    assert code == 2 and "is in 2 lists (" in err and "a.md" in err and "c.md" in err
    assert _findings(capsys, monkeypatch, "a.md", "c.md") == before
    only_a = next(f["id"] for f in before if f["list"].endswith("a.md")
                  and not any(g["id"] == f["id"] for g in before if g["list"].endswith("c.md")))
    code, _, err = _cli(capsys, monkeypatch, "ignore", only_a, "--reason", "on purpose")
    assert code == 0 and "1 finding now ignored" in err, err
    # Named with its list, it is decided there only.
    code, _, err = _cli(capsys, monkeypatch, "accept", shared, "c.md")
    assert code == 0, err
    after = {(f["list"].rsplit("/", 1)[-1], f["id"]): f["status"] for f in _findings(capsys, monkeypatch, "a.md", "c.md")}
    assert after[("c.md", shared)] == "accepted" and after[("a.md", shared)] == "open"
    assert after[("a.md", only_a)] == "ignored"


def test_without_list_each_id_is_decided_in_the_configured_list_that_holds_it(here, capsys, monkeypatch):
    (here / "config.toml").write_text(TWO_LISTS, encoding="utf-8")
    code, _, err = _cli(capsys, monkeypatch, "check")
    assert code == 1, err
    before = _findings(capsys, monkeypatch)
    in_b, in_c = _one(before, "b.md", "title")["id"], _one(before, "c.md", "title")["id"]
    code, out, _ = _cli(capsys, monkeypatch, "findings", "--json")
    doc = json.loads(out)
    assert [one["list"].rsplit("/", 1)[-1] for one in doc["lists"]] == ["b.md", "c.md"]
    assert doc["total"] == len(doc["findings"]) == sum(one["findings"] for one in doc["lists"]) > 0
    valid("findings.json", doc)
    code, out, err = _cli(capsys, monkeypatch, "accept", in_b, in_c[:5], "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert sorted((f["list"].rsplit("/", 1)[-1], f["id"]) for f in doc["changed"]) == [("b.md", in_b), ("c.md", in_c)]
    assert doc["total"] == 2 and sorted(one["changed"] for one in doc["lists"]) == [1, 1]
    valid("decisions.json", doc)
    assert (here / "b.diffsync.toml").exists() and (here / "c.diffsync.toml").exists()
    # An id no configured list holds: one line, nothing decided.
    code, _, err = _cli(capsys, monkeypatch, "ignore", "ffffffffff", in_b)
    assert code == 2 and "unknown finding id: ffffffffff" in err
    assert _one(_findings(capsys, monkeypatch), "b.md", "title")["status"] == "accepted"


def test_a_kind_without_list_is_decided_in_every_configured_list(here, capsys, monkeypatch):
    (here / "config.toml").write_text(TWO_LISTS, encoding="utf-8")
    assert _cli(capsys, monkeypatch, "check")[0] == 1
    code, _, err = _cli(capsys, monkeypatch, "accept", "--kind", "title")
    assert code == 0 and "2 findings now accepted (b.md: 1; c.md: 1)" in err
    found = _findings(capsys, monkeypatch)
    assert {_one(found, name, "title")["status"] for name in ("b.md", "c.md")} == {"accepted"}


def _accept_titles(here, capsys, monkeypatch):
    (here / "config.toml").write_text(TWO_LISTS, encoding="utf-8")
    assert _cli(capsys, monkeypatch, "check")[0] == 1
    assert _cli(capsys, monkeypatch, "accept", "--kind", "title")[0] == 0
    found = _findings(capsys, monkeypatch)
    return {name: _one(found, name, "title") for name in ("b.md", "c.md")}


def test_export_without_list_shows_each_diff_then_writes_each_list(here, capsys, monkeypatch):
    titles = _accept_titles(here, capsys, monkeypatch)
    old = {name: (here / name).read_bytes() for name in ("b.md", "c.md")}
    code, out, err = _cli(capsys, monkeypatch, "export")
    assert code == 0, err
    assert out.count("--- a/") == 2 and "--- a/b.md\n+++ b/b.md\n" in out and "--- a/c.md\n+++ b/c.md\n" in out
    # The diffs apply as they are (paths as the user would type them, not a//tmp/…).
    applied = subprocess.run(["git", "apply", "--check", "-"], input=out, text=True, cwd=here,
                             capture_output=True, timeout=60)
    assert applied.returncode == 0, applied.stderr
    assert {name: (here / name).read_bytes() for name in old} == old  # a diff only
    assert "total: 2 lists: 2 edits, 2 would change" in err
    # One list named twice is one list: one diff.
    code, out, err = _cli(capsys, monkeypatch, "export", "b.md", f"../{here.name}/b.md")
    assert code == 0 and out.count("--- a/") == 1, err
    code, out, err = _cli(capsys, monkeypatch, "export", "--write")
    assert code == 0, err
    for name, f in titles.items():
        # Only the accepted title's bytes changed.
        assert (here / name).read_bytes() == old[name].replace(f["listed"].encode(), f["arxiv"].encode(), 1)
    assert _cli(capsys, monkeypatch, "export", "--check")[0] == 0


def test_export_names_a_list_that_fails_and_writes_the_others(here, capsys, monkeypatch):
    titles = _accept_titles(here, capsys, monkeypatch)
    old_c = (here / "c.md").read_bytes()
    with (here / "b.md").open("a", encoding="utf-8") as fh:
        fh.write("\nEdited after the check.\n")
    changed_b = (here / "b.md").read_bytes()
    code, out, err = _cli(capsys, monkeypatch, "export", "--write", "--json")
    assert code == 3
    assert "diffsync: error: b.md: not exported: " in err and "changed since the last check" in err
    assert (here / "b.md").read_bytes() == changed_b
    f = titles["c.md"]
    assert (here / "c.md").read_bytes() == old_c.replace(f["listed"].encode(), f["arxiv"].encode(), 1)
    doc = json.loads(out)
    assert [one["list"].rsplit("/", 1)[-1] for one in doc["lists"]] == ["c.md"]
    assert [one["list"].rsplit("/", 1)[-1] for one in doc["failed"]] == ["b.md"]
    assert doc["total"] == {"lists": 2, "edits": 1, "changed": 1, "failed": 1, "written": True}
    valid("export.json", doc)


def test_configured_lists_never_checked_are_one_error_and_export_format_takes_one_list(here, capsys, monkeypatch):
    (here / "config.toml").write_text(TWO_LISTS, encoding="utf-8")
    assert _cli(capsys, monkeypatch, "check", "a.md")[0] == 1  # neither configured list yet
    for command in (["export"], ["accept", "--all"], ["findings"]):
        code, out, err = _cli(capsys, monkeypatch, *command)
        assert code == 2 and out == "" and "none of the 2 configured lists has been checked yet" in err
    assert _cli(capsys, monkeypatch, "check")[0] == 1
    code, out, err = _cli(capsys, monkeypatch, "export", "--format", "bibtex")
    assert code == 2 and out == "" and "--format takes one list" in err
    code, out, _ = _cli(capsys, monkeypatch, "export", "--format", "bibtex", "b.md")
    assert code == 0 and "@" in out


def test_lint_and_entries_read_every_configured_list(here, capsys, monkeypatch):
    (here / "config.toml").write_text(TWO_LISTS, encoding="utf-8")
    with (here / "c.md").open("a", encoding="utf-8") as fh:
        fh.write("\nSee https://arxiv.org/abs/2006.11239 here.\n")  # A004: outside every entry
    code, out, _ = _cli(capsys, monkeypatch, "lint", "--select", "ALL")
    assert code == 1
    assert {line.split(":", 1)[0].rsplit("/", 1)[-1] for line in out.splitlines() if line} == {"b.md", "c.md"}
    code, out, err = _cli(capsys, monkeypatch, "entries", "--json")
    assert code == 0, err
    doc = json.loads(out)
    assert [one["list"].rsplit("/", 1)[-1] for one in doc["lists"]] == ["b.md", "c.md"]
    assert doc["total"]["entries"] == sum(len(one["entries"]) for one in doc["lists"]) > 0
    valid("entries.json", doc)
    code, out, err = _cli(capsys, monkeypatch, "entries", "a.md", "gone.md")
    assert code == 3 and "gone.md" in err and "a.md" in out
    code, out, err = _cli(capsys, monkeypatch, "lint", "gone.md", "c.md")  # named; c.md still linted
    assert code == 3 and "diffsync: error: gone.md: no such file" in err and out.startswith("c.md:")


def test_each_list_is_read_in_its_own_shape_by_entries_lint_and_export(here, capsys, monkeypatch):
    # Every list is read as items, but b.md as the paragraphs it is.
    (here / "config.toml").write_text('[list]\nshape = "row"\n\n[[lists]]\npath = "b.md"\nshape = "paragraph"\n\n'
                                      '[[lists]]\npath = "c.md"\n', encoding="utf-8")
    code, out, err = _cli(capsys, monkeypatch, "entries", "b.md")
    assert code == 0 and "read as paragraph ([list] shape)" in out, err
    code, _, err = _cli(capsys, monkeypatch, "entries", "c.md")
    assert code == 3 and "no paper entries found" in err
    assert _cli(capsys, monkeypatch, "lint", "c.md")[0] == 3
    assert _cli(capsys, monkeypatch, "lint", "b.md")[0] in (0, 1)
    code, _, err = _cli(capsys, monkeypatch, "check", "b.md")
    assert code == 1, err
    assert _cli(capsys, monkeypatch, "accept", "--kind", "title", "b.md")[0] == 0
    code, out, err = _cli(capsys, monkeypatch, "export", "b.md")
    assert code == 0 and "+**Image Super-Resolution via Iterative Refinement**" in out, err


def test_review_without_list_walks_every_configured_list_and_q_quits_them_all(here, capsys, monkeypatch):
    (here / "config.toml").write_text(TWO_LISTS, encoding="utf-8")
    assert _cli(capsys, monkeypatch, "check")[0] == 1
    counts = {name: sum(1 for f in _findings(capsys, monkeypatch) if f["list"].endswith(name)
                        and f["status"] == "open") for name in ("b.md", "c.md")}
    # Accept the first of b.md, skip the rest of it, accept the first of c.md, quit.
    answers = "a\n" + "s\n" * (counts["b.md"] - 1) + "a\nq\n"
    code, out, err = run_cli(capsys, monkeypatch, "review", stdin=answers)
    assert code == 0, err
    assert "== b.md: " in out and "== c.md: " in out
    assert "b.md: 1 accepted, 0 ignored" in err and "c.md: 1 accepted, 0 ignored, 0 skipped; quit" in err
    found = _findings(capsys, monkeypatch)
    assert sorted(f["list"].rsplit("/", 1)[-1] for f in found if f["status"] == "accepted") == ["b.md", "c.md"]


def test_export_names_a_list_the_file_system_refuses_and_writes_the_others(here, capsys, monkeypatch):
    import errno

    from diffsync.writeback import export as writeback_export

    titles = _accept_titles(here, capsys, monkeypatch)
    old = {name: (here / name).read_bytes() for name in ("b.md", "c.md")}
    real_write = writeback_export.write_atomic

    def read_only_b(path, *args, **kwargs):  # the file system, not export, refuses b.md
        if path.name == "b.md":
            raise OSError(errno.EROFS, "Read-only file system", str(path))
        return real_write(path, *args, **kwargs)

    monkeypatch.setattr(writeback_export, "write_atomic", read_only_b)
    code, _, err = _cli(capsys, monkeypatch, "export", "--write")
    assert code == 3 and "Traceback" not in err
    assert "diffsync: error: b.md: not exported: " in err and "Read-only file system" in err
    assert (here / "b.md").read_bytes() == old["b.md"]
    f = titles["c.md"]
    assert (here / "c.md").read_bytes() == old["c.md"].replace(f["listed"].encode(), f["arxiv"].encode(), 1)
    monkeypatch.setattr(writeback_export, "write_atomic", real_write)
    # b.md's fix is still accepted: the next export writes it, and only it.
    code, out, err = _cli(capsys, monkeypatch, "export", "--write")
    assert code == 0 and "wrote 1 accepted finding, 1 edit to" in err and "nothing to change in" in err, err


def test_the_lint_hook_reads_each_list_in_its_own_shape(here, capsys, monkeypatch):
    from diffsync.drift.lint import main

    (here / "config.toml").write_text('[[lists]]\npath = "b.md"\nshape = "row"\n\n[[lists]]\npath = "c.md"\n',
                                      encoding="utf-8")
    with pytest.raises(SystemExit) as stopped:  # c.md in its own (inferred) shape: read
        main(["c.md"])
    assert stopped.value.code in (0, 1), capsys.readouterr().err
    with pytest.raises(SystemExit) as stopped:  # b.md as rows: no entry, as diffsync lint says
        main(["b.md"])
    assert stopped.value.code == 3 and "no paper entries found in b.md" in capsys.readouterr().err
