import json
from datetime import datetime, timezone
from pathlib import Path

import pytest

from diffsync.errors import ConfigError, DiffsyncError
from diffsync.models import Kind, Status
from diffsync.report.markdown import (Report, format_for, is_report, render, render_json,
                                      render_markdown, write_report)
from diffsync.store.store import RunRow
from helpers.daemon import finding

NOW = datetime(2026, 1, 2, 6, 0, 5, tzinfo=timezone.utc)


def sample(**kw) -> Report:
    findings = (
        finding("t1", Kind.TITLE, 40, listed="Old | piped title", arxiv="New *title*"),
        finding("w1", Kind.WRONG_ID, 12, listed="2206.00365", arxiv="2206.00365",
                suggestion="2207.12598", message="wrong paper: 2206.00365 is another paper",
                fix="2207.12598"),  # the planner's text, which the report shows
        finding("d1", Kind.DUPLICATE, 7, arxiv_id=None, entry_key="title:foo",
                listed=None, arxiv=None, message="same paper as line 3"),
    )
    run = RunRow(id=4, trigger="daemon", list_path="README.md", status="ok", started_at=NOW,
                 finished_at=NOW, requests=2, papers=93, new=1, open=3, resolved=1, error=None)
    return Report(list_path="/lists/README.md", generated_at=NOW, findings=findings,
                  new_ids=frozenset({"t1"}), run=run, papers=93, **kw)


def test_markdown_groups_by_kind_with_lines_and_both_values():
    md = render_markdown(sample(), report_path=Path("/lists/reports/diffsync-report.md"))
    # wrong IDs come before titles, duplicates last
    assert md.index("## Wrong arXiv ID (1)") < md.index("## Title (1)") < md.index("## Duplicates (1)")
    title_row = next(l for l in md.splitlines() if l.startswith("| [40]"))
    assert "../README.md?plain=1#L40" in title_row
    assert r"Old \| piped title" in title_row and r"New \*title\*" in title_row
    assert title_row.rstrip().endswith("| **new** | `t1` |")
    dup_row = next(l for l in md.splitlines() if l.startswith("| [7]"))
    assert "same paper as line 3" in dup_row and "| foo |" in dup_row
    # a wrong ID shows the suggested ID, and why it was flagged
    wrong_row = next(l for l in md.splitlines() if l.startswith("| [12]"))
    assert "2207.12598" in wrong_row and "wrong paper" in wrong_row
    assert "| Suggested fix | Why | ID |" in md  # no "New" column: none is new
    assert md.endswith("|\n")
    assert "**3 open**" in md and "1 new" in md and "93 papers tracked" in md
    # every table row has its header's column count
    width = None
    for line in md.splitlines():
        if line.startswith("|"):
            cells = line.replace("\\|", "").count("|")
            width = width if width is not None else cells
            assert cells == width, line
        else:
            width = None


def test_markdown_without_report_path_has_plain_line_numbers():
    md = render_markdown(sample())
    assert "| 40 |" in md and "plain=1" not in md


def test_failed_run_is_called_out_and_old_findings_still_listed():
    failed = RunRow(id=5, trigger="daemon", list_path="README.md", status="failed",
                    started_at=NOW, finished_at=NOW, requests=3, papers=0, new=0, open=0,
                    resolved=0, error="arXiv unreachable: 503 after 3 tries")
    md = render_markdown(Report(list_path="README.md", generated_at=NOW,
                                findings=sample().findings, run=failed))
    assert "> [!WARNING]" in md
    assert "failed: arXiv unreachable: 503 after 3 tries" in md
    assert "## Title (1)" in md


def test_no_findings_says_so():
    md = render_markdown(Report(list_path="README.md", generated_at=NOW, findings=()))
    assert "Nothing to review" in md and "|" not in md


def test_json_report_counts_and_flags_new():
    doc = json.loads(render_json(sample()))
    assert doc["counts"] == {"open": 3, "new": 1, "ignored": 0,
                             "by_kind": {"wrong_id": 1, "title": 1, "duplicate": 1}}
    assert [f["id"] for f in doc["findings"]] == ["w1", "t1", "d1"]
    assert [f["new"] for f in doc["findings"]] == [False, True, False]
    assert doc["run"]["status"] == "ok" and doc["run"]["started_at"] == "2026-01-02T06:00:05+00:00"


def test_unknown_format_is_a_config_error():
    with pytest.raises(ConfigError):
        render(sample(), "html")


def test_write_report_replaces_atomically_and_leaves_no_temp_files(tmp_path):
    target = tmp_path / "out" / "report.md"
    write_report(target, "first\n")
    write_report(target, "second\n")
    assert target.read_text() == "second\n"
    assert sorted(p.name for p in target.parent.iterdir()) == ["report.md"]


def test_write_report_failure_keeps_old_report(tmp_path):
    target = tmp_path / "report.md"
    target.write_text("old\n")
    (tmp_path / "blocker").write_text("")
    with pytest.raises(DiffsyncError, match="cannot write report"):
        write_report(tmp_path / "blocker" / "report.md", "x")
    target.chmod(0o644)
    assert target.read_text() == "old\n"


def rows_of(md: str, prefix: str) -> list[str]:
    return [line for line in md.splitlines() if line.startswith(prefix)]


def test_rows_show_titles_not_keys_suggested_ids_as_links_and_commands_for_this_list():
    missing = finding("m1", Kind.MISSING_ID, 47, arxiv_id=None, listed=None, arxiv="2102.09672",
                      entry_key="title:improved denoising diffusion probabilistic models",
                      suggestion="2102.09672", message="missing arXiv link",
                      fix="[[Paper](https://arxiv.org/abs/2102.09672)]")
    date = finding("d2", Kind.DATE, 32, arxiv_id="2112.10752", listed="[Submitted on 20 Dec 2022]",
                   arxiv="2021-12-20", fix="20 Dec 2021", message="date differs")
    report = Report(list_path="docs/list.md", generated_at=NOW, findings=(missing, date),
                    list_arg="docs/list.md",
                    titles={47: "Improved Denoising Diffusion *Probabilistic* Models",
                            32: "High-Resolution Image Synthesis"})
    md = render_markdown(report)
    [row] = rows_of(md, "| 47 ")
    assert row == ("| 47 | Improved Denoising Diffusion \\*Probabilistic\\* Models | 2102.09672 "
                   "| [2102.09672](https://arxiv.org/abs/2102.09672) | missing arXiv link "
                   "| `m1` |")
    [row] = rows_of(md, "| 32 ")
    assert row.startswith("| 32 | [2112.10752](https://arxiv.org/abs/2112.10752)<br>High-Resolution Image Synthesis |")
    assert "| 20 Dec 2021 | `d2` |" in row
    assert ("- review them one by one: `diffsync review docs/list.md`\n"
            "- accept one: `diffsync accept ID docs/list.md`; ignore one: "
            "`diffsync ignore ID docs/list.md --reason REASON`\n"
            "- then `diffsync export docs/list.md` shows the diff") in md
    assert "| Kind | Open |\n" in md  # no "New" column when nothing is new


def test_commands_leave_out_the_default_list_and_quote_a_path_with_spaces():
    f = finding("t1", Kind.TITLE, 40)
    default = render_markdown(Report(list_path="README.md", generated_at=NOW, findings=(f, f)))
    assert "`diffsync review`" in default and "`diffsync accept ID`;" in default
    assert "All of them: `diffsync accept --kind title`" in default
    spaced = render_markdown(Report(list_path="my lists/a.md", generated_at=NOW, findings=(f,),
                                    list_arg="my lists/a.md"))
    assert "`diffsync accept ID 'my lists/a.md'`;" in spaced


def test_title_and_author_rows_mark_the_differing_words_escaped():
    f = finding("t1", Kind.TITLE, 40, listed="SR3: Image *Super*-Resolution",
                arxiv="Image *Super*-Resolution via <Iterative> Refinement")
    md = render_markdown(Report(list_path="README.md", generated_at=NOW, findings=(f,)))
    [row] = rows_of(md, "| 40 ")
    assert ("| <del>SR3:</del> Image \\*Super\\*-Resolution <ins>via \\<Iterative\\> Refinement</ins> |"
            in row)
    assert "| List has → arXiv has |" in md


def test_link_rows_say_the_url_once():
    f = finding("l1", Kind.LINK, 56, listed="https://arxiv.org/abs/2208.11970",
                arxiv="https://arxiv.org/abs/2208.11970", message="link: broken Markdown",
                fix="[[Paper](https://arxiv.org/abs/2208.11970)]")
    md = render_markdown(Report(list_path="README.md", generated_at=NOW, findings=(f,)))
    assert "| Line | Paper | Suggested fix | Why | ID |" in md
    [row] = rows_of(md, "| 56 ")
    assert row.count("https://arxiv.org/abs/2208.11970") == 1  # in the fix, not twice more


def test_ignored_findings_are_listed_with_their_reasons_escaped():
    ignored = (finding("v1", Kind.VENUE, 74, status=Status.IGNORED,
                       reason="we cite the <b>workshop</b> | version"),
               finding("x1", Kind.DATE, 9, status=Status.IGNORED, reason=None))
    md = render_markdown(Report(list_path="README.md", generated_at=NOW, findings=(),
                                ignored=ignored, list_arg="docs/list.md"))
    assert "Nothing to review: the list agrees with arXiv, apart from the ignored findings below." in md
    assert "<summary>2 ignored findings, with the reasons given</summary>" in md
    [row] = rows_of(md, "| 74 ")
    assert row == ("| 74 | [2206.00364](https://arxiv.org/abs/2206.00364) | venue "
                   "| we cite the \\<b\\>workshop\\</b\\> \\| version | `diffsync reopen v1 docs/list.md` |")
    assert "| *no reason given* |" in rows_of(md, "| 9 ")[0]
    doc = json.loads(render_json(Report(list_path="README.md", generated_at=NOW, findings=(),
                                        ignored=ignored)))
    assert doc["counts"]["ignored"] == 2
    assert [(f["id"], f["reason"]) for f in doc["ignored"]] == [
        ("x1", None), ("v1", "we cite the <b>workshop</b> | version")]  # in kind order


def test_report_format_follows_the_suffix_else_the_config():
    assert format_for(Path("r.json"), "markdown") == "json"
    assert format_for(Path("r.MD"), "json") == "markdown"
    assert format_for(Path("report.txt"), "json") == "json"
    with pytest.raises(ConfigError):
        format_for(Path("report.txt"), "html")


def test_only_a_report_diffsync_wrote_counts_as_one(tmp_path):
    md, js, notes = tmp_path / "r.md", tmp_path / "r.json", tmp_path / "notes.md"
    md.write_text(render_markdown(sample()), encoding="utf-8")
    js.write_text(render_json(sample()), encoding="utf-8")
    notes.write_text("# diffsync notes\n{\n", encoding="utf-8")
    assert is_report(md) and is_report(js)
    assert not is_report(notes) and not is_report(tmp_path / "absent.md")


def test_a_list_path_with_backticks_and_pipes_cannot_break_the_commands():
    f = finding("t1", Kind.TITLE, 40)
    md = render_markdown(Report(list_path="a`b|c.md", generated_at=NOW, findings=(f,),
                                list_arg="a`b|c.md"))
    [row] = rows_of(md, "| 40 ")
    assert row.endswith("| `t1` |")
    assert row.replace("\\|", "").count("|") == 5  # Line, Paper, values, ID
    assert "`` diffsync accept ID 'a`b\\|c.md' ``" in md or "``diffsync accept ID 'a`b\\|c.md'``" in md
