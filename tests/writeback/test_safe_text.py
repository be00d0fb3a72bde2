"""Issue 11: arXiv text written into the list renders as plain text and cannot change its
structure; review shows exactly what export writes; unsafe rewrites, concurrent edits and
symlinked derived files are refused; a killed export's temporary files are cleaned up."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from datetime import datetime, timezone

import pytest

from diffsync.report.markdown import Report, render_markdown, write_report
from diffsync.errors import DiffsyncError, ListChangedError
from diffsync.listfile.parse import parse_list
from diffsync.models import Finding, Kind, PaperRecord
from diffsync.store.store import Store
from diffsync.writeback.export import preview_export, write_export
from diffsync.listfile.safetext import markdown_text
from helpers.writeback_trust import check, cli, findings

pytestmark = pytest.mark.e2e


def _d(y, m, d):
    return datetime(y, m, d, 12, tzinfo=timezone.utc)




def live_metachars(text: str) -> list[str]:
    """Markdown/HTML metacharacters in ``text`` that no backslash escapes."""
    live, escaped = [], False
    for ch in text:
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch in "<>[]`~*_":
            live.append(ch)
    return live


HOSTILE = ("Diffusion **bold** [[x](http://evil.example)] ](javascript:alert(1)) "
           "<script>alert(1)</script> <img src=x onerror=alert(1)> `code` _u_ ~~s~~ with $^2$ TeX")

LIST = (b"# Papers\n\n"
        b"**Imagen Video: High Definition Video Generation** \\\n"
        b"*Jonathan Ho, Ajay Jain et al.* \\\n"
        b"[[Paper](https://arxiv.org/abs/2210.02303)] \\\n"
        b"[Submitted on 6 Feb 2022] \\\n"
        b"Summary one.\n\n"
        b"**Hostile Paper** \\\n"
        b"*Ann Lee, Bo Chen* \\\n"
        b"[[Paper](https://arxiv.org/abs/2301.00001)] \\\n"
        b"1 Jan 2023\n\n"
        b"**Comma Paper** \\\n"
        b"*Cy Dee, Ed Fox* \\\n"
        b"[[Paper](https://arxiv.org/abs/2301.00002)] \\\n"
        b"2 Jan 2023\n")

PAPERS = [
    PaperRecord("2210.02303", 1, "Imagen Video: High Definition Video Generation",
                ("Jonathan Ho", "Ajay Jainn", "Chitwan Saharia", "Jay Whang"), _d(2023, 2, 6), _d(2023, 2, 6)),
    PaperRecord("2301.00001", 1, HOSTILE, ("Ann Lee", "Bo <b>Chen</b>*", "\u202eEve\u202c \u200fMallory"),
                _d(2023, 1, 1), _d(2023, 1, 1)),
    PaperRecord("2301.00002", 1, "Comma Paper", ("Cy Dee", "Ed Fox", "Gil Hu; Ida Jo"),
                _d(2023, 1, 2), _d(2023, 1, 2)),
]


@pytest.fixture
def small(tmp_path, fake_env):
    lst = tmp_path / "list.md"
    lst.write_bytes(LIST)
    with fake_env(PAPERS, check_search="false"):
        yield lst


def test_markdown_text_escapes_structure_and_keeps_tex():
    out = markdown_text(HOSTILE + "\nnext line\u200f")
    assert "**" not in out and "](" not in out.replace("\\](", "") and "<script>" not in out
    assert "$^2$" in out and "\n" not in out and "\u200f" not in out
    assert markdown_text("a\\") == "a\\\\" and markdown_text("&lt;") == "\\&lt;"
    assert markdown_text("$a**b$") == "$a\\*\\*b$"  # math that could end a title is escaped too


def test_review_shows_exactly_what_export_writes_et_al_and_date_style(small, capsys, monkeypatch):
    check(capsys, monkeypatch, small)
    code, out, err = cli(capsys, monkeypatch, "review", str(small), stdin="a\n" * 10)
    assert code == 0, err
    assert "fix      : Jonathan Ho, Ajay Jainn et al." in out
    assert "fix      : 6 Feb 2023" in out
    shown = {f["line"]: f for f in findings(capsys, monkeypatch, small)}
    code, out, err = cli(capsys, monkeypatch, "export", str(small), "--json")
    edits = {e["finding_id"]: e["new"] for e in json.loads(out)["edits"]}
    fixes = {f["id"]: f["fix"] for f in findings(capsys, monkeypatch, small) if f["fix"]}
    assert fixes and all(edits[i] == fix for i, fix in fixes.items() if i in edits)
    assert "Jonathan Ho, Ajay Jainn et al." in edits.values() and "6 Feb 2023" in edits.values()
    assert shown


def test_hostile_arxiv_text_is_written_as_plain_text_and_stays_tracked(small, capsys, monkeypatch):
    found, _ = check(capsys, monkeypatch, small)
    hostile = [f["id"] for f in found if f["line"] == 9 and f["kind"] in ("title", "authors")]
    assert len(hostile) == 2
    assert cli(capsys, monkeypatch, "accept", *hostile, str(small))[0] == 0
    code, _, err = cli(capsys, monkeypatch, "export", str(small), "--write")
    assert code == 0, err
    new = small.read_bytes()
    title_line = new.split(b"\n")[8].decode()
    assert title_line.startswith("**") and title_line.endswith("** \\")
    assert live_metachars(title_line[2:-4]) == [], title_line
    assert "$^2$" in title_line and title_line.count("**") == 2
    after = parse_list(new)
    assert [e.arxiv_id for e in after.entries] == ["2210.02303", "2301.00001", "2301.00002"]
    assert len(after.entries[1].authors) == 3
    found, err = check(capsys, monkeypatch, small)
    assert "3 entries, 3 arXiv papers" in err and "0 new, 2 resolved" in err
    assert not [f for f in found if f["line"] == 9 and f["status"] == "open"]


def test_a_rewrite_that_would_not_read_back_is_refused_with_exit_3(small, capsys, monkeypatch):
    found, _ = check(capsys, monkeypatch, small)
    [comma] = [f["id"] for f in found if f["line"] == 14 and f["kind"] == "authors"]
    cli(capsys, monkeypatch, "accept", comma, str(small))
    code, _, err = cli(capsys, monkeypatch, "export", str(small), "--write")
    assert code == 3 and "nothing written" in err and err.startswith("diffsync: error:"), err
    assert small.read_bytes() == LIST
    assert not [p for p in small.parent.iterdir() if p.name.endswith(".tmp")]


def test_an_edit_made_while_export_runs_is_refused_not_lost(small, capsys, monkeypatch, database_url):
    check(capsys, monkeypatch, small)
    cli(capsys, monkeypatch, "accept", "--kind", "date", str(small))
    with Store.open(database_url) as store:
        list_id = store.find_list(str(small))
        preview = preview_export(store, list_id, small)
        assert preview.changed
        with small.open("ab") as fh:
            fh.write(b"A line the maintainer added meanwhile.\n")
        with pytest.raises(ListChangedError, match="changed while export ran"):
            write_export(store, list_id, preview)
    assert small.read_bytes() == LIST + b"A line the maintainer added meanwhile.\n"
    assert sorted(p.name for p in small.parent.iterdir() if p.name.startswith(".")) == []


def test_a_killed_exports_temporary_files_are_removed_by_the_next(small, capsys, monkeypatch):
    check(capsys, monkeypatch, small)
    cli(capsys, monkeypatch, "accept", "--kind", "date", str(small))
    dead = subprocess.run([sys.executable, "-c", "import os; print(os.getpid())"],
                          capture_output=True, text=True, check=True).stdout.strip()
    folder = small.parent
    leftovers = [folder / f".list.md.diffsync-{dead}-k2j3h4g5.tmp", folder / ".list.md.a1b2c3d4.tmp"]
    alive = folder / f".list.md.diffsync-{os.getppid()}-q9w8e7r6.tmp"  # another export, running
    for p in leftovers + [alive]:
        p.write_bytes(LIST)
    unrelated = folder / ".notes.md.a1b2c3d4.tmp"
    unrelated.write_bytes(b"not ours\n")
    code, _, err = cli(capsys, monkeypatch, "export", str(small), "--write")
    assert code == 0, err
    assert not any(p.exists() for p in leftovers)
    assert alive.exists() and unrelated.exists()


def test_report_never_writes_through_a_symlink_and_escapes_arxiv_text(tmp_path):
    precious = tmp_path / "precious.md"
    precious.write_bytes(b"keep\n")
    link = tmp_path / "report.md"
    link.symlink_to(precious)
    with pytest.raises(DiffsyncError, match="symbolic link"):
        write_report(link, "# report\n")
    assert precious.read_bytes() == b"keep\n"
    f = Finding(id="t1", kind=Kind.TITLE, line=3, entry_key="2301.00001", arxiv_id="2301.00001",
                listed="Hostile Paper", arxiv=HOSTILE, message="title differs", suggestion=HOSTILE,
                fix=markdown_text(HOSTILE))
    md = render_markdown(Report(list_path=str(tmp_path / "list.md"), generated_at=_d(2026, 1, 1),
                                findings=(f,)))
    row = next(line for line in md.splitlines() if line.startswith("| 3 "))
    cells = row.split(" | ")
    assert cells[1] == "[2301.00001](https://arxiv.org/abs/2301.00001)"  # the list's own ID, a link
    # the report's own marks (changed words, the ID's code span) aside, nothing is live
    values = [re.sub(r"</?(del|ins)>", "", cell) for cell in cells[2:-1]]
    assert all(live_metachars(cell) == [] for cell in values), row
    assert cells[-1] == "`t1` |"  # the finding's ID; the one accept command is above the tables
