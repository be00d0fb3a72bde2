"""The review walk: rendering, decisions, skip/quit/EOF, over injected streams."""

from __future__ import annotations

import io

from diffsync.models import Finding, Kind, Status
from diffsync.report.worddiff import word_diff
from diffsync.review.walk import render_finding, review_findings


def _f(fid: str, kind: Kind = Kind.TITLE, listed: str | None = "Old Title Here",
       arxiv: str | None = "New Title Here") -> Finding:
    return Finding(id=fid, kind=kind, line=7, entry_key="2206.00364", arxiv_id="2206.00364",
                   listed=listed, arxiv=arxiv, message="the titles differ in words", suggestion=arxiv,
                   fix=arxiv)  # the planner's text (writeback.fixes), which review shows


def _walk(findings, answers: str, width: int = 100):
    decided = []
    out = io.StringIO()
    summary = review_findings(findings, lambda f, s, r: decided.append((f.id, s, r)),
                              input=io.StringIO(answers), output=out, width=width)
    return summary, decided, out.getvalue()


def test_word_diff_marks_only_changed_words():
    assert word_diff("Denoising Diffusion Modles", "Denoising Diffusion Probabilistic Models") == \
        "Denoising Diffusion [-Modles-] {+Probabilistic Models+}"


def test_render_shows_both_sides_side_by_side_and_the_fix():
    text = render_finding(_f("abc"), 2, 5, width=100)
    lines = text.splitlines()
    assert lines[0] == "[2/5] title · line 7 · arXiv 2206.00364 · id abc"
    assert lines[1].startswith("list has") and lines[1].endswith("| arXiv has")
    assert lines[3].startswith("Old Title Here") and lines[3].endswith("| New Title Here")
    assert "fix      : New Title Here" in text


def test_render_narrow_terminal_stacks_and_review_only_kind_says_so():
    text = render_finding(_f("w", Kind.WITHDRAWN, listed=None, arxiv="withdrawn in v3"), 1, 1, width=60)
    assert "list has : -" in text and "arXiv has: withdrawn in v3" in text
    assert "review-only" in text


def test_decisions_are_passed_on_at_once_with_reasons():
    summary, decided, out = _walk([_f("1"), _f("2"), _f("3")], "a\ni on purpose, see README\n\n")
    assert decided == [("1", Status.ACCEPTED, None), ("2", Status.IGNORED, "on purpose, see README")]
    assert (summary.accepted, summary.ignored, summary.skipped, summary.quit) == (1, 1, 1, False)


def test_quit_and_end_of_input_stop_and_count_the_rest():
    summary, decided, _ = _walk([_f("1"), _f("2"), _f("3")], "a\nq\n")
    assert decided == [("1", Status.ACCEPTED, None)]
    assert summary.quit and summary.remaining == 2
    summary, decided, _ = _walk([_f("1"), _f("2")], "")
    assert decided == [] and summary.quit and summary.remaining == 2


def test_unknown_answer_shows_help_and_asks_again():
    summary, decided, out = _walk([_f("1")], "x\nA\n")
    assert "s = skip" in out and out.count("[a]ccept") == 2
    assert decided == [("1", Status.ACCEPTED, None)]
