"""Issue 25, item 5: nothing inside an HTML comment ``<!-- -->`` is an entry (read, checked or fixed)."""

from __future__ import annotations

import pytest

from pathlib import Path

from diffsync.check.pipeline import run_check
from diffsync.listfile.comments import html_comments, masked, unclosed
from diffsync.listfile.parse import parse_list
from helpers.hostile_cases import check_settings, entry, feed, write_list
from helpers.hostile_http import HostileServer, ok

HIDDEN = (b"<!--\n**Hidden Paper Title** \\\n*Nobody Real* \\\n"
          b"[[Paper](https://arxiv.org/abs/2206.00364)] \\\n1 Jun 2022\n-->\n")


def comments(data: bytes) -> list[bytes]:
    return [data[s.start:s.end] for s in html_comments(data)]


def test_comments_are_found_inline_and_across_lines():
    data = b"a <!-- x --> b\n<!--\n**T**\n-->\nc <!-- y -->"
    assert comments(data) == [b"<!-- x -->", b"<!--\n**T**\n-->", b"<!-- y -->"]


def test_code_fences_and_code_spans_hold_no_comment():
    assert comments(b"```\n<!-- code -->\n```\n<!-- yes -->") == [b"<!-- yes -->"]
    assert comments(b"~~~~\n```\n<!-- code -->\n~~~~\nz") == []
    assert comments(b"`<!--` then ``a ` <!-- `` and <!-- real -->") == [b"<!-- real -->"]


def test_commonmark_edge_cases():
    assert comments(b"<!-->x<!--->y") == [b"<!-->", b"<!--->"]
    assert comments(b"text <!-- never closed\nmore") == []  # mid-line: literal text
    data = b"ok\n<!-- block never closed\nmore"
    assert comments(data) == [b"<!-- block never closed\nmore"]
    assert unclosed(data, html_comments(data)) == 3


def test_masking_keeps_every_offset_and_line_end():
    data = b"a <!-- x\r\ny --> b"
    out = masked(data, html_comments(data))
    assert len(out) == len(data) and out == b"a       \r\n      b"


def test_an_entry_inside_a_comment_is_not_an_entry(tmp_path):
    visible = write_list(tmp_path / "list.md", ["2006.11239"]).read_bytes()
    data = visible + b"\n" + HIDDEN + b"\nSee also <!-- **Inline Hidden** --> nothing.\n"
    parsed = parse_list(data)
    assert [e.arxiv_id for e in parsed.entries] == ["2006.11239"]
    assert not any("Hidden" in e.title for e in parsed.entries)
    # The entry that is read keeps its byte spans into the file as written.
    (e,) = parsed.entries
    assert data[e.title_span.start:e.title_span.end].decode() in ("Denoising Diffusion Probabilistic Models",
                                                                    "**Denoising Diffusion Probabilistic Models**")


def test_a_comment_never_closed_is_a_warning(tmp_path):
    visible = write_list(tmp_path / "list.md", ["2006.11239"]).read_bytes()
    parsed = parse_list(visible + b"\n<!-- TODO\n" + HIDDEN.replace(b"<!--\n", b"").replace(b"-->\n", b""))
    assert len(parsed.entries) == 1
    assert [p for p in parsed.problems if "never closed" in p]


@pytest.mark.e2e  # a real process or server
def test_a_check_never_asks_about_or_reports_a_commented_out_entry(tmp_path, database_url):
    lst = write_list(tmp_path / "list.md", ["2006.11239"])
    lst.write_bytes(lst.read_bytes() + b"\n" + HIDDEN)
    with HostileServer(ok(feed(entry("2006.11239")))) as srv:
        result = run_check(check_settings(srv.url, database_url, tmp_path), lst, search=False)
        asked = [r.body.decode() for r in srv.requests]
    assert result.summary.papers == 1 and result.summary.entries == 1
    assert not [a for a in asked if "2206.00364" in a]
    assert result.summary.open == 0


def test_a_fix_never_overwrites_a_comment_inside_an_entry():
    from diffsync.models import Finding, Kind, Status
    from diffsync.writeback.planning import plan_export

    data = (b"**Denoising <!-- keep: our typo on purpose --> Models** \\\n*Jonathan Ho* \\\n"
            b"[[Paper](https://arxiv.org/abs/2006.11239)] \\\n19 Jun 2020\n\n"
            b"**Plain Title Here** \\\n*Ada Lee* \\\n[[Paper](https://arxiv.org/abs/2010.02502)] \\\n6 Oct 2020\n")
    parsed = parse_list(data)
    first, second = parsed.entries
    fix = lambda e, new: Finding(id=f"title-{e.line}", kind=Kind.TITLE, line=e.line, entry_key=e.key,  # noqa: E731
                                 arxiv_id=e.arxiv_id, listed=e.title, arxiv=new, message="m",
                                 suggestion=new, status=Status.ACCEPTED)
    plan = plan_export(data, parsed, [fix(first, "Denoising Diffusion Probabilistic Models"),
                                      fix(second, "Plain Title There")])
    assert [s.finding_id for s in plan.skipped] == [f"title-{first.line}"]  # the comment is kept
    assert plan.applied == (f"title-{second.line}",)
