"""Property tests of the write-back in every entry shape (issue 22 item 7), through the real parser.

For arbitrary text from arXiv (markup, bars, brackets, tags, quotes, line breaks, RTL marks)
written as a title, venue or date fix, or an ID, into a list item, a table row, a heading
block or a paragraph: either the read-back refuses it (nothing written), or the list keeps
its structure (entry count, each row's cell count, item and heading counts, every ID) and
every byte outside the fix is identical.  Ordinary titles are always written and read back.
In-process, no server: the normal suite draws a few examples (tests/conftest.py).
"""

from __future__ import annotations

import re
from datetime import datetime, timezone

import pytest
from hypothesis import given, strategies as st

from diffsync.listfile.parse import parse_list
from diffsync.models import Finding, Kind, PaperRecord, Status
from diffsync.drift.rules import finding_id
from diffsync.writeback.edits import apply_edits
from diffsync.writeback.planning import plan_export
from diffsync.writeback.verify import UnsafeRewriteError, check_rewrite
from diffsync.textnorm import collapse

from helpers.export import assert_only_edits_changed

_IDS = ["2401.00001", "2401.00002", "2401.00003", "2401.00004"]
_TITLES = ["Scaling Diffusion Models for Images", "Learning Policies from Language Feedback",
           "Gaussian Splatting for Dynamic Scenes", "Knowledge Editing in Large Models"]

SHAPES = {
    "item": "# Papers\n\n## Section\n\n" + "".join(
        f"- [{t}](https://arxiv.org/abs/{i}), Li et al., Arxiv 2024\n" for t, i in zip(_TITLES, _IDS)),
    "row": "# Papers\n\n## Section\n\n| Date | Paper | Venue |\n|---|---|---|\n" + "".join(
        f"| 2024-01-0{n} | [{t}](https://arxiv.org/abs/{i}) | Arxiv |\n"
        for n, (t, i) in enumerate(zip(_TITLES, _IDS), 1)),
    "heading": "# Papers\n\n## Section\n\n" + "".join(
        f"### {t}\n\n- Paper: https://arxiv.org/abs/{i}\n- Code: https://github.com/o/r{n}\n\n"
        for n, (t, i) in enumerate(zip(_TITLES, _IDS))),
    "quoted": "# Papers\n\n## Section\n\n" + "".join(
        f"* **Name{n}**: \"{t}\", *arXiv, Jan 2024*. [[Paper](https://arxiv.org/abs/{i})]\n"
        for n, (t, i) in enumerate(zip(_TITLES, _IDS))),
    "paragraph": "# Papers\n\n## Section\n\n" + "".join(
        f"**{t}** \\\n*Ada Lovelace, Alan Turing* \\\narXiv 2024. [[Paper](https://arxiv.org/abs/{i})] \\\n"
        f"1 Jan 2024\n\n" for t, i in zip(_TITLES, _IDS)),
}
WHEN = datetime(2024, 1, 1, 12, tzinfo=timezone.utc)

_PIECES = list("ab |[]()*_`<>#\"\\!:-.\n\r\t\u202e&;/") + ["<td>", "</tr>", "**", "](x)", "\\|", "$x$", "&lt;"]
hostile = st.lists(st.sampled_from(_PIECES), min_size=1, max_size=30).map(lambda p: "Title " + "".join(p))
ordinary = st.text(st.sampled_from(list("abcXYZ019 :-,.()'?&+")), min_size=1, max_size=40).map(
    lambda s: "New Results on " + s + " for Learning Words")


def _structure(data: bytes) -> tuple:
    parsed = parse_list(data)
    lines = data.splitlines()
    rows = [len(re.findall(rb"(?<!\\)\|", ln.replace(b"\\\\", b""))) for ln in lines if ln.lstrip().startswith(b"|")]
    items = sum(1 for ln in lines if re.match(rb"^\s*(?:[-*+]|\d+[.)])\s", ln))
    headings = sum(1 for ln in lines if ln.startswith(b"#"))
    return (len(parsed.entries), tuple(e.shape for e in parsed.entries), tuple(e.arxiv_id for e in parsed.entries),
            tuple(len(e.cells) for e in parsed.entries), tuple(rows), items, headings)


def _fix(shape: str, kind: Kind, suggestion: str, n: int = 1) -> tuple[bytes, bytes | None, list]:
    """The list of ``shape`` with the ``kind`` fix of its n-th entry accepted: (before, after or
    None when the read-back refused it, the edits)."""
    data = SHAPES[shape].encode()
    parsed = parse_list(data)
    assert len(parsed.entries) == 4 and {e.shape for e in parsed.entries} == \
        {"item" if shape == "quoted" else shape}, [(e.shape, e.title) for e in parsed.entries]
    e = parsed.entries[n]
    f = Finding(id=finding_id(kind, e.key, 0), kind=kind, line=e.line, entry_key=e.key, arxiv_id=e.arxiv_id,
                listed=None, arxiv=suggestion, message="m", suggestion=suggestion, status=Status.ACCEPTED)
    title = suggestion if kind is Kind.TITLE else e.title
    records = {e.arxiv_id: PaperRecord(e.arxiv_id, 1, title, ("Ada Lovelace",), WHEN, WHEN)}
    plan = plan_export(data, parsed, [f], records)
    new = apply_edits(data, plan.edits)
    try:
        check_rewrite(parsed, new, plan, [f], records)
    except UnsafeRewriteError:
        return data, None, list(plan.edits)
    return data, new, list(plan.edits)


@pytest.mark.parametrize("shape", list(SHAPES))
@given(title=hostile)
def test_any_title_keeps_the_lists_structure_and_every_byte_outside_the_fix(shape, title):
    before, after, edits = _fix(shape, Kind.TITLE, title)
    if after is None:
        return  # refused by the read-back: nothing is written
    assert _structure(after) == _structure(before)
    assert_only_edits_changed(before, after, edits)
    assert all(b"\n" not in e.new and b"\r" not in e.new for e in edits)


@pytest.mark.parametrize("shape", list(SHAPES))
@given(title=ordinary)
def test_an_ordinary_title_is_written_and_reads_back(shape, title):
    before, after, edits = _fix(shape, Kind.TITLE, title)
    assert after is not None, f"refused {title!r}"
    assert collapse(parse_list(after).entries[1].title) == collapse(title)
    assert _structure(after) == _structure(before)


@pytest.mark.parametrize("shape", list(SHAPES))
def test_a_wrong_id_fix_changes_every_mention_and_nothing_else(shape):
    before, after, edits = _fix(shape, Kind.WRONG_ID, "2402.09999")
    assert after is not None
    assert b"2401.00002" not in after and after.count(b"2402.09999") == before.count(b"2401.00002")
    assert [e.arxiv_id for e in parse_list(after).entries][1] == "2402.09999"
    assert_only_edits_changed(before, after, edits)
