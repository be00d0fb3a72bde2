"""Export: each fix kind touches only its intended bytes; everything else survives."""

from __future__ import annotations

import pytest

from diffsync.listfile.authorstyle import join_authors_like
from diffsync.writeback.diff import unified_diff
from diffsync.writeback.edits import apply_edits
from diffsync.writeback.planning import plan_export
from diffsync.models import Kind
from helpers.builders import paper
from helpers.export import DDPM, LIST, assert_only_edits_changed, finding, parsed


def _apply(findings, records=None, data=LIST):
    edits = list(plan_export(data, parsed(data), findings, records).edits)
    new = apply_edits(data, edits)
    assert_only_edits_changed(data, new, edits)
    return edits, new


def test_title_fix_replaces_only_the_title_of_its_own_entry():
    # Decisions are per entry (issue 11): the copy at line 35 has its own finding.
    edits, new = _apply([finding(Kind.TITLE, 4, DDPM.title)])
    assert [(e.old, e.new, e.line) for e in edits] == [
        (b"Denoising Diffusion Probabilistic Modles", b"Denoising Diffusion Probabilistic Models", 4),
    ]
    assert b"**Denoising Diffusion Probabilistic Model** \\\r\n" in new
    assert b"**Denoising Diffusion Probabilistic Models** \\\r\n" in new
    assert b"Caf\xe9 is a Latin-1 byte; \xc3\xac\xc2\xa0\xe2\x80\xa2 is mojibake.\t \r\n" in new
    assert new.count(b"\r\n") == LIST.count(b"\r\n") and new.count(b"\n") == LIST.count(b"\n")


def test_authors_fix_keeps_separators_and_sup_marks():
    edits, new = _apply([finding(Kind.AUTHORS, 4, "Jonathan Ho, Ajay Jain, Pieter Abbeel"),
                         finding(Kind.AUTHORS, 35, None)], {DDPM.arxiv_id: DDPM})
    assert [e.new for e in edits] == [
        b"Jonathan Ho<sup>1</sup>, Ajay Jain, Pieter Abbeel",
        b"Jonathan Ho, Ajay Jain, Pieter Abbeel",
    ]


def test_authors_fix_keeps_a_final_and():
    rec = paper("2011.13456", "Score-Based Generative Modeling through Stochastic Differential Equations",
                 ("Yang Song", "Jascha Sohl-Dickstein", "Diederik P. Kingma", "Ben Poole"), "2020-11-26")
    edits, _ = _apply([finding(Kind.AUTHORS, 10, None)], {rec.arxiv_id: rec})
    assert [e.new for e in edits] == [b"Yang Song, Jascha Sohl-Dickstein, Diederik P. Kingma and Ben Poole"]


def test_authors_fix_without_record_uses_the_suggestion():
    edits, _ = _apply([finding(Kind.AUTHORS, 15, "Sangyun Lee, Beomsu Kim, Jong Chul Ye, X Y")])
    assert [e.old for e in edits] == [b"Sangyun Lee, Beomsu Kim, Jong Chul Ye"]
    assert [e.new for e in edits] == [b"Sangyun Lee, Beomsu Kim, Jong Chul Ye, X Y"]


@pytest.mark.parametrize("example, names, expected", [
    ("A B<sup>1</sup>, C D<sup>1,2</sup>", ["A B", "E F", "C D"], "A B<sup>1</sup>, E F, C D<sup>1,2</sup>"),
    ("A B; C D", ["A B", "C D", "E F"], "A B; C D; E F"),
    ("A B,C D", ["A B", "E F"], "A B,E F"),
    ("A B, C D, and E F", ["A B", "C D", "E F", "G H"], "A B, C D, E F, and G H"),
    ("Björn Ommer<sup>2</sup>", ["Bjorn Ommer"], "Bjorn Ommer<sup>2</sup>"),
])
def test_join_authors_like(example, names, expected):
    assert join_authors_like(example, names) == expected


def test_date_fix_keeps_each_entrys_date_format():
    edits, new = _apply([finding(Kind.DATE, 4, "2020-06-19"), finding(Kind.DATE, 35, "2020-06-19")])
    assert [(e.old, e.new) for e in edits] == [(b"19 Jun 2021", b"19 Jun 2020"), (b"19 Jun. 2021", b"19 Jun. 2020")]
    assert b"[Submitted on 19 Jun 2020]   \r\n" in new
    edits, _ = _apply([finding(Kind.DATE, 10, "2020-11-25")])
    assert [e.new for e in edits] == [b"25 November 2020"]


def test_wrong_id_fix_replaces_the_id_and_drops_the_stale_version():
    edits, new = _apply([finding(Kind.WRONG_ID, 10, "2011.99999")])
    assert [(e.old, e.new) for e in edits] == [(b"2011.13456v1", b"2011.99999")]
    assert b"[[Paper](https://arxiv.org/pdf/2011.99999.pdf)]" in new


def test_wrong_id_only_moves_copies_with_the_same_title():
    # Lines 4 and 35 link the same ID under different titles: only line 4 moves.
    edits, _ = _apply([finding(Kind.WRONG_ID, 4, "2006.00001")])
    assert [(e.line, e.new) for e in edits] == [(6, b"2006.00001")]


def test_wrong_id_without_a_replacement_is_reported_not_dropped():
    plan = plan_export(LIST, parsed(), [finding(Kind.WRONG_ID, 10, None)])
    assert plan.edits == ()
    assert [(s.finding_id, s.line) for s in plan.skipped] == [("wrong_id-10", 10)]
    assert "by hand" in plan.skipped[0].reason


def test_missing_id_goes_beside_an_existing_paper_link_as_arxiv():
    edits, new = _apply([finding(Kind.MISSING_ID, 19, "2202.05830")])
    assert [e.new for e in edits] == [b" [[arXiv](https://arxiv.org/abs/2202.05830)]"]
    assert (b"ICLR 2022. [[Paper](https://openreview.net/forum?id=VFBjuF8HEp)] "
            b"[[arXiv](https://arxiv.org/abs/2202.05830)]  \\\r\n") in new


def test_missing_id_goes_before_other_links():
    _, new = _apply([finding(Kind.MISSING_ID, 23, "2202.00512")])
    assert (b"ICLR 2022. [[Paper](https://arxiv.org/abs/2202.00512)] "
            b"[[Github](https://github.com/google-research/google-research)] \\\r\n") in new


def test_missing_id_without_links_line_gets_a_new_line_in_the_entrys_style():
    _, new = _apply([finding(Kind.MISSING_ID, 27, "2207.12598")])
    assert (b"*Jonathan Ho, Tim Salimans* \\\r\n[[Paper](https://arxiv.org/abs/2207.12598)] \\\r\n"
            b"NeurIPS 2021 Workshop.\r\n") in new


def test_missing_id_after_a_last_author_line_adds_a_hard_break():
    _, new = _apply([finding(Kind.MISSING_ID, 31, "2206.00364")])
    assert b"*Tero Karras, Miika Aittala* \\\r\n[[Paper](https://arxiv.org/abs/2206.00364)]\r\n\r\n## Again" in new
    assert parsed(new).entries[6].arxiv_id == "2206.00364"


def test_link_fix_repairs_the_markdown():
    edits, new = _apply([finding(Kind.LINK, 15, "[[Paper](https://arxiv.org/abs/2301.12003)]")])
    assert [e.old for e in edits] == [b"[[Paper] (https://arxiv.org/abs/2301.12003)]"]
    assert b"arxiv 27 Jan 2023 [[Paper](https://arxiv.org/abs/2301.12003)]\\\r\n" in new


def test_link_fix_without_suggestion_builds_the_canonical_link():
    edits, _ = _apply([finding(Kind.LINK, 15, None)])
    assert [e.new for e in edits] == [b"[[Paper](https://arxiv.org/abs/2301.12003)]"]


def test_all_kinds_together_then_a_second_export_is_a_no_op():
    accepted = [
        finding(Kind.TITLE, 4, DDPM.title), finding(Kind.AUTHORS, 4, None), finding(Kind.DATE, 4, "2020-06-19"),
        finding(Kind.WRONG_ID, 10, "2011.99999"), finding(Kind.DATE, 10, "2020-11-25"),
        finding(Kind.LINK, 15, None), finding(Kind.MISSING_ID, 19, "2202.05830"),
        finding(Kind.MISSING_ID, 23, "2202.00512"), finding(Kind.MISSING_ID, 27, "2207.12598"),
        finding(Kind.MISSING_ID, 31, "2206.00364"),
    ]
    plan = plan_export(LIST, parsed(), accepted, {DDPM.arxiv_id: DDPM})
    assert plan.skipped == ()
    new = apply_edits(LIST, plan.edits)
    assert_only_edits_changed(LIST, new, list(plan.edits))
    assert set(plan.applied) == {f.id for f in accepted}
    again = plan_export(new, parsed(new), accepted, {DDPM.arxiv_id: DDPM})
    assert again.edits == ()
    # Applied once: the moved entry no longer holds what its finding saw, the rest hold the fix.
    # (export marks them applied, so a real second export does not even plan them).
    assert {s.finding_id for s in again.skipped} == {
        "wrong_id-10", "date-10", "missing_id-19", "missing_id-23", "missing_id-27", "missing_id-31"}
    assert set(again.unchanged) | {s.finding_id for s in again.skipped} == {f.id for f in accepted}


def test_review_only_kinds_are_counted_apart():
    plan = plan_export(LIST, parsed(), [finding(Kind.WITHDRAWN, 4, None), finding(Kind.NEW_VERSION, 4, None)])
    assert plan.edits == () and plan.skipped == ()
    assert sorted(plan.review_only) == ["new_version-4", "withdrawn-4"]


def test_finding_for_an_entry_that_is_gone_is_reported():
    f = finding(Kind.TITLE, 4, DDPM.title)
    shorter = LIST.replace(b"Denoising Diffusion Probabilistic Modles", b"Something Else Entirely")
    shorter = shorter.replace(b"2006.11239", b"2001.00001")
    plan = plan_export(shorter, parsed(shorter), [f])
    assert plan.edits == () and [s.reason for s in plan.skipped] == ["the entry is no longer in the list"]


def test_link_repair_and_wrong_id_in_the_same_link_merge_into_one_edit():
    accepted = [finding(Kind.LINK, 15, None), finding(Kind.WRONG_ID, 15, "2301.00002")]
    plan = plan_export(LIST, parsed(), accepted)
    assert [(e.new, e.finding_id) for e in plan.edits] == [
        (b"[[Paper](https://arxiv.org/abs/2301.00002)]", "link-15+wrong_id-15")]
    assert plan.skipped == ()


def test_new_text_in_a_latin1_file_stays_latin1():
    data = b"**Caf\xe9 Models** \\\n*Ana Mu\xf1oz* \\\n[[Paper](https://arxiv.org/abs/2101.00001)] \\\n1 Jan 2021\n"
    rec = paper("2101.00001", "Caf\u00e9 Models \u2014 Revisited", ("Ana Mu\u00f1oz", "Bo \u0141ukasz"), "2021-01-01")
    accepted = [finding(Kind.TITLE, 1, rec.title, data=data), finding(Kind.AUTHORS, 1, None, data=data)]
    edits, new = _apply(accepted, {rec.arxiv_id: rec}, data=data)
    assert b"**Caf\xe9 Models &#8212; Revisited** \\\n*Ana Mu\xf1oz, Bo &#321;ukasz* \\\n" in new


def test_unified_diff_shows_only_changed_lines_and_keeps_going_on_bad_bytes():
    _, new = _apply([finding(Kind.TITLE, 4, DDPM.title)])
    diff = unified_diff(LIST, new, "papers.md")
    assert diff.startswith("--- a/papers.md\n+++ b/papers.md\n")
    changed = [ln for ln in diff.splitlines() if ln[:1] in "+-" and ln[:3] not in ("---", "+++")]
    assert changed == [
        "-**Denoising Diffusion Probabilistic Modles** \\",
        "+**Denoising Diffusion Probabilistic Models** \\",
    ]
    _, new = _apply([finding(Kind.DATE, 4, "2020-06-19")])
    assert "\ufffd is a Latin-1 byte" in unified_diff(LIST, new, "papers.md")  # shown, no crash
    assert unified_diff(LIST, LIST, "papers.md") == ""


def test_link_with_an_invalid_id_is_replaced_in_place():
    data = (b"**Denoising Diffusion Probabilistic Models** \\\r\n*Jonathan Ho, Ajay Jain* \\\r\n"
            b"NeurIPS 2020. [[Paper](https://arxiv.org/abs/2006.1123)] [[Code](https://x.org)] \\\r\n"
            b"19 Jun 2020\r\n")
    fix = finding(Kind.LINK, 1, "[[Paper](https://arxiv.org/abs/2006.11239)]",
                  listed="https://arxiv.org/abs/2006.1123", data=data)
    edits, new = _apply([fix], data=data)
    assert [e.old for e in edits] == [b"[[Paper](https://arxiv.org/abs/2006.1123)]"]
    assert new == data.replace(b"2006.1123)", b"2006.11239)")


def test_a_venue_fix_replaces_a_placeholder_and_never_the_maintainers_own_venue():
    from dataclasses import replace as with_
    accepted_at_icml = {DDPM.arxiv_id: with_(DDPM, comment="Accepted to ICML 2021. 20 pages")}
    placeholder = LIST.replace(b"NeurIPS 2020.", b"arXiv 2020.")
    f = finding(Kind.VENUE, 4, "ICML 2021.", listed="arXiv 2020.", data=placeholder)
    plan = plan_export(placeholder, parsed(placeholder), [f], accepted_at_icml)
    new = apply_edits(placeholder, plan.edits)
    assert_only_edits_changed(placeholder, new, plan.edits)
    assert b"ICML 2021. [[" in new and plan.applied == (f.id,)
    # Stored before venues were fixable, a finding on the entry's own venue text carries a
    # suggestion too: export decides again on the entry and leaves it to the maintainer.
    stale = finding(Kind.VENUE, 4, "ICML 2021.", listed="NeurIPS 2020.")
    plan = plan_export(LIST, parsed(), [stale], accepted_at_icml)
    assert plan.edits == () and plan.skipped == () and plan.review_only == (stale.id,)
