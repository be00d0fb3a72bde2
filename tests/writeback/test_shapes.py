"""Fixes in the entry's own unit (issue 22 item 7): a table cell, link text, a heading, an item.

The entries are built by hand with the spans the parser's contract promises
(models.Entry), so these tests pin the write-back whatever reads the list.
"""

from __future__ import annotations

import re

import pytest

from diffsync.models import Entry, Finding, Kind, ParsedList, Span, Status
from diffsync.writeback.edits import apply_edits
from diffsync.writeback.planning import plan_export
from diffsync.writeback.shapes import safe_text

from helpers.export import assert_only_edits_changed
from helpers.hand_entries import entry

def finding(e: Entry, kind: Kind, suggestion: str) -> Finding:
    return Finding(id=f"{kind.value}-{e.line}", kind=kind, line=e.line, entry_key=e.key, arxiv_id=e.arxiv_id,
                   listed=None, arxiv=suggestion, message="m", suggestion=suggestion, status=Status.ACCEPTED)


def fixed(data: bytes, entries: list[Entry], *found: Finding) -> bytes:
    parsed = ParsedList("l.md", "", tuple(entries), "\n")
    plan = plan_export(data, parsed, list(found))
    assert not plan.skipped, plan.skipped
    new = apply_edits(data, plan.edits)
    assert_only_edits_changed(data, new, list(plan.edits))
    return new


ROWS = (b"| Title | arXiv | Code |\n|---|---|---|\n"
        b"| PointVector: A Vector Representation | [![arXiv](https://img.shields.io/badge/arXiv-2205.10528-b31b1b.svg)]"
        b"(http://arxiv.org/abs/2205.10528) | :heavy_minus_sign: |\n"
        b"| Another Paper Title Here | :heavy_minus_sign: | [code](https://github.com/o/r) |\n")


def _rows() -> list[Entry]:
    lines = ROWS.splitlines(keepends=True)
    return [entry(ROWS, lines[2], "PointVector: A Vector Representation", shape="row", context=("cell",),
                  arxiv_id="2205.10528", id_form="badge", cells=True),
            entry(ROWS, lines[3], "Another Paper Title Here", shape="row", context=("cell",), cells=True)]


def test_a_title_in_a_table_cell_escapes_every_bar_and_the_backslash_before_one():
    rows = _rows()
    new = fixed(ROWS, rows, finding(rows[0], Kind.TITLE, r"PointVector | A \| Vector [Representation]"))
    assert b"| PointVector \\| A \\\\\\| Vector \\[Representation\\] | [![arXiv]" in new
    # every row keeps its cell count: an unescaped bar would add a cell
    assert [len(re.findall(rb"(?<!\\)\|", ln.replace(b"\\\\", b""))) for ln in new.splitlines()] == [4, 4, 4, 4]


def test_a_wrong_id_in_a_row_changes_the_badge_and_its_link_together():
    rows = _rows()
    new = fixed(ROWS, rows, finding(rows[0], Kind.WRONG_ID, "2301.00001"))
    assert b"arXiv-2301.00001-b31b1b.svg)](http://arxiv.org/abs/2301.00001)" in new
    assert b"2205.10528" not in new


def test_a_missing_id_in_a_row_goes_into_its_neighbours_column_as_their_badge():
    rows = _rows()
    new = fixed(ROWS, rows, finding(rows[1], Kind.MISSING_ID, "2302.05543"))
    assert new.splitlines()[3] == (b"| Another Paper Title Here | [![arXiv](https://img.shields.io/badge/arXiv-"
                                   b"2302.05543-b31b1b.svg)](http://arxiv.org/abs/2302.05543) | "
                                   b"[code](https://github.com/o/r) |")


BULLETS = (b"- [Instant3D: Instant Text-to-3D Generation](http://arxiv.org/abs/2311.08403), Li et al., Arxiv 2023\n"
           b"- Magic3D: High-Resolution Text-to-3D, Lin et al., CVPR 2023\n")


def _bullets() -> list[Entry]:
    lines = BULLETS.splitlines(keepends=True)
    return [entry(BULLETS, lines[0], "Instant3D: Instant Text-to-3D Generation", shape="item",
                  context=("link",), arxiv_id="2311.08403", id_form="title-link"),
            entry(BULLETS, lines[1], "Magic3D: High-Resolution Text-to-3D", shape="item", context=())]


def test_a_title_in_link_text_escapes_brackets_and_stays_the_link_text():
    items = _bullets()
    new = fixed(BULLETS, items, finding(items[0], Kind.TITLE, "Instant3D] (evil)[x](http://e.vil)"))
    assert new.startswith(b"- [Instant3D\\] (evil)\\[x\\](http://e.vil)](http://arxiv.org/abs/2311.08403), Li")


def test_a_missing_id_in_a_list_of_title_links_becomes_the_titles_link_in_the_lists_url_form():
    items = _bullets()
    new = fixed(BULLETS, items, finding(items[1], Kind.MISSING_ID, "2211.10440"))
    assert new.splitlines()[1] == b"- [Magic3D: High-Resolution Text-to-3D](http://arxiv.org/abs/2211.10440), " \
                                  b"Lin et al., CVPR 2023"


LABELLED = (b"* **[LLaRP]** \"Large Language Models as Policies\", *arXiv, Oct 2023*. "
            b"[[CVPR 2025](https://arxiv.org/abs/2310.17722)] [[Website](https://llm-rl.github.io)]\n"
            b"* \"Some Other Robot Paper Title\", *arXiv, May 2024*. [[Website](https://x.github.io)]\n")


def test_a_missing_id_never_copies_a_neighbours_venue_label():
    lines = LABELLED.splitlines(keepends=True)
    items = [entry(LABELLED, lines[0], "Large Language Models as Policies", shape="item", context=("quote",),
                   arxiv_id="2310.17722", id_form="link"),
             entry(LABELLED, lines[1], "Some Other Robot Paper Title", shape="item", context=("quote",))]
    new = fixed(LABELLED, items, finding(items[1], Kind.MISSING_ID, "2405.00001"))
    assert new.splitlines()[1] == (b"* \"Some Other Robot Paper Title\", *arXiv, May 2024*. "
                                   b"[[arXiv](https://arxiv.org/abs/2405.00001)] [[Website](https://x.github.io)]")
    title = fixed(LABELLED, items, finding(items[1], Kind.TITLE, 'Say "Hi" to Robots'))
    assert b'* "Say \\"Hi\\" to Robots", *arXiv' in title


HEADINGS = (b"### Accelerating Diffusion Sampling\n\n- Paper: https://arxiv.org/abs/2402.17376\n"
            b"- Code: https://github.com/o/r\n\n### Another Heading Paper Title\n\n"
            b"- Paper: https://openaccess.thecvf.com/x.pdf\n- Code: https://github.com/o/s\n\n")


def test_a_missing_id_in_a_list_of_bare_urls_is_a_bare_url_line_like_its_neighbours():
    blocks = HEADINGS.split(b"\n\n### ")
    first = blocks[0] + b"\n\n"
    second = b"### " + blocks[1]
    e1 = entry(HEADINGS, first, "Accelerating Diffusion Sampling", shape="heading", context=("heading",),
               arxiv_id="2402.17376", id_form="bare")
    e2 = entry(HEADINGS, second, "Another Heading Paper Title", shape="heading", context=("heading",))
    new = fixed(HEADINGS, [e1, e2], finding(e2, Kind.MISSING_ID, "2403.00002"))
    assert new.endswith(b"- Paper: https://openaccess.thecvf.com/x.pdf\n- Paper: https://arxiv.org/abs/2403.00002\n"
                        b"- Code: https://github.com/o/s\n\n")
    title = fixed(HEADINGS, [e1, e2], finding(e1, Kind.TITLE, "C# and F##"))
    assert title.startswith(b"### C# and F\\#\\#\n")  # only a closing run reads as markup


@pytest.mark.parametrize("context, html_row", [(("cell",), False), (("link",), False), (("heading",), False),
                                               (("bold",), False), (("quote",), False), (("cell",), True)])
def test_safe_text_is_one_line_and_opens_no_structure(context, html_row):
    hostile = 'a | b ] [c](d) <tr><td> **e** "f" \n# g\r\n| h \u202e ##'
    out = safe_text(hostile, context, html_row=html_row)
    assert "\n" not in out and "\r" not in out and "\u202e" not in out
    assert not re.search(r"(?<!\\)<", out)  # no tag opens: every < escaped (or an entity)
    if html_row:
        assert "&lt;tr&gt;" in out
    else:
        assert "](" not in out.replace("\\](", "")
        if "cell" in context:
            assert not re.search(r"(?<!\\)\|", out.replace("\\\\", ""))


def test_the_read_back_refuses_a_row_with_a_cell_more_or_an_entry_of_another_shape():
    from diffsync.writeback.verify import _unit_problem

    row = _rows()[0]
    more = Entry(**{**{k: getattr(row, k) for k in row.__slots__}, "cells": row.cells + (Span(0, 0),)})
    assert "4 cells, not 3" in _unit_problem(row, more, {})
    item = Entry(**{**{k: getattr(row, k) for k in row.__slots__}, "shape": "item"})
    assert "item, not a row" in _unit_problem(row, item, {})
    assert _unit_problem(row, row, {}) is None
    linked = _bullets()[1]
    wrapped = Entry(**{**{k: getattr(linked, k) for k in linked.__slots__}, "title_context": ("link",)})
    assert _unit_problem(linked, wrapped, {Kind.MISSING_ID: finding(linked, Kind.MISSING_ID, "2211.10440")}) is None
    assert _unit_problem(linked, wrapped, {}) == "the title's markup would change"
