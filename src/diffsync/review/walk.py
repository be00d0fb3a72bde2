"""The interactive walk through open findings: list versus arXiv, then a decision.

Line-based on purpose: one letter and Enter per finding, so the same loop
works on a terminal, over a pipe (``printf 'a\\ni\\n' | diffsync review``)
and in tests with injected streams.  Each decision is handed to ``decide``
at once, so quitting half way keeps everything decided so far.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, replace
from typing import Callable, Mapping, Sequence, TextIO

from ..models import FIXABLE_KINDS, Finding, Kind, Status
from ..report.render import shown_fix
from ..report.worddiff import word_diff
from ..store.store import Store

Decide = Callable[[Finding, Status, "str | None"], None]

PROMPT = "[a]ccept  [i]gnore (i REASON)  [s]kip  [u]ndo  [q]uit > "
HELP = ("a = accept: export will write the fix (or, for review-only kinds, mark it handled)\n"
        "i = ignore: stays ignored while the list and arXiv keep these values; "
        "'i REASON' records why\n"
        "s = skip: decide later;  u = undo the last decision (it is open again, shown again);\n"
        "q = quit (decisions so far are kept)\n"
        "A paper listed more than once: each copy has its own finding; after 'a' review\n"
        "offers to accept the open copies that list the same value (never an ignored one).\n")


@dataclass(frozen=True)
class ReviewSummary:
    accepted: int = 0
    ignored: int = 0
    skipped: int = 0
    remaining: int = 0  # not shown because the walk was quit
    quit: bool = False


def decide_findings(store: Store, list_id: int, status: Status, *, ids: Sequence[str] = (),
                    kinds: Sequence[Kind] = (), every: bool = False,
                    reason: str | None = None) -> list[Finding]:
    """Give findings of a list ``status``; the findings that changed.

    ``ids`` are finding ids or unique prefixes.  ``kinds`` (every kind with
    ``every``) decide each open finding of those kinds -- or, when reopening,
    each ignored one.
    """
    changed: set[str] = set()
    if ids:
        changed.update(store.set_status(list_id, ids, status, reason))
    if kinds or every:
        from_status = Status.OPEN if status is not Status.OPEN else Status.IGNORED
        chosen = kinds or list(Kind)
        changed.update(store.set_status_by_kind(list_id, [k.value for k in chosen], status,
                                                from_status=from_status, reason=reason))
    return [f for f in store.findings(list_id) if f.id in changed]


def twins(f: Finding, everything: Sequence[Finding]) -> list[Finding]:
    """Findings of the same kind on other copies of the same paper in the list, by line."""
    return sorted((t for t in everything if t.id != f.id and t.kind is f.kind
                   and t.entry_key == f.entry_key), key=lambda t: (t.line, t.id))


def open_twins(f: Finding, everything: Sequence[Finding]) -> list[Finding]:
    """The twins ``accept`` and ``review`` offer to accept with ``f``: open, same listed value.

    An ignored (or accepted, applied) twin is never among them.
    """
    return [t for t in twins(f, everything) if t.status is Status.OPEN and t.listed == f.listed]


def twin_note(f: Finding, everything: Sequence[Finding]) -> str | None:
    """ "also at lines 252 (open, same value), 303 (ignored)" or None for a paper listed once."""
    others = twins(f, everything)
    if not others:
        return None
    offer = {t.id for t in open_twins(f, everything)}
    parts = [f"{t.line} ({'open, same value' if t.id in offer else t.status.value})" for t in others]
    return f"also at line{'s' if len(others) > 1 else ''} " + ", ".join(parts)


def _side_by_side(left: str, right: str, width: int) -> list[str]:
    col = max(20, (width - 3) // 2)
    lw = textwrap.wrap(left, col) or [""]
    rw = textwrap.wrap(right, col) or [""]
    rows = max(len(lw), len(rw))
    lw += [""] * (rows - len(lw))
    rw += [""] * (rows - len(rw))
    lines = [f"{'list has'.ljust(col)} | arXiv has", f"{'-' * col}-+-{'-' * col}"]
    lines += [f"{x.ljust(col)} | {y}".rstrip() for x, y in zip(lw, rw)]
    return lines


def _entry_lines(edit: Sequence[str], width: int) -> list[str]:
    """The entry as written, its fix as -/+ lines: a changed line wraps so all of it shows,
    a line the fix leaves alone is cut at the width."""
    out = ["in the list:"]
    for line in edit:
        if line.startswith("  "):
            out.append(line if len(line) <= width else line[:width - 1] + "…")
        else:
            # every piece of a wrapped -/+ line keeps its mark
            out += textwrap.wrap(line, width, subsequent_indent=line[0] + " ", drop_whitespace=False,
                                 replace_whitespace=False) or [line]
    return out


def render_finding(f: Finding, position: int, total: int, width: int = 100,
                   everything: Sequence[Finding] = (), edit: Sequence[str] = ()) -> str:
    """One finding as the review shows it: header, both sides, why, the entry's Markdown
    with the edit export would make, and what export would do."""
    where = f"line {f.line}" + (f" · arXiv {f.arxiv_id}" if f.arxiv_id else "")
    lines = [f"[{position}/{total}] {f.kind.value} · {where} · id {f.id}"]
    note = twin_note(f, everything)
    if note:
        lines.append(f"twins    : {note}")
    listed = f.listed or "-"
    arxiv = f.arxiv if f.arxiv is not None else (f.suggestion or "-")
    if width >= 72:
        lines += _side_by_side(listed, arxiv, width)
    else:
        lines += [f"list has : {listed}", f"arXiv has: {arxiv}"]
    if f.listed and f.arxiv and f.listed != f.arxiv:
        lines += textwrap.wrap("changes  : " + word_diff(f.listed, f.arxiv), width,
                               subsequent_indent=" " * 11)
    lines += textwrap.wrap("why      : " + f.message, width, subsequent_indent=" " * 11)
    if edit:
        lines += _entry_lines(edit, width)
    fix = shown_fix(f)
    if f.kind in FIXABLE_KINDS and fix:
        # The planner's text: exactly what export writes at that span.
        lines.append(f"fix      : {fix}")
    elif f.kind in FIXABLE_KINDS and not f.suggestion:
        # e.g. a wrong ID with no confirmed replacement, a venue over the maintainer's own text
        lines.append("fix      : none: review by hand (why says what is missing)")
    elif f.kind in FIXABLE_KINDS:
        lines.append("fix      : none that export could write now (run diffsync check)")
    else:
        lines.append("fix      : none (review-only: export never changes the list for this kind)")
    return "\n".join(lines) + "\n"


def _ask(input: TextIO, output: TextIO) -> tuple[str, str | None]:
    """The next decision letter and optional reason; "q" at end of input."""
    while True:
        output.write(PROMPT)
        output.flush()
        line = input.readline()
        if not line:
            output.write("\n")
            return "q", None
        answer = line.strip()
        key, _, rest = answer.partition(" ")
        key = key.lower()
        if key in {"a", "accept", "i", "ignore", "s", "skip", "", "q", "quit", "u", "undo"}:
            return (key[:1] or "s"), (rest.strip() or None)
        output.write(HELP)


def _yes(input: TextIO, output: TextIO, question: str) -> bool:
    output.write(question)
    output.flush()
    return input.readline().strip().lower() in {"y", "yes"}


def review_findings(
    findings: Sequence[Finding],
    decide: Decide,
    *,
    input: TextIO,
    output: TextIO,
    width: int = 100,
    everything: Sequence[Finding] = (),
    edits: Mapping[str, Sequence[str]] | None = None,
    one_per_screen: bool = False,
) -> ReviewSummary:
    """Show each finding, read a decision, pass accept/ignore to ``decide``; Enter skips.

    ``everything`` (the list's findings, any status) names a paper's twins;
    accepting one offers to accept its open twins holding the same value.  ``edits``
    (finding id -> the entry's lines as a -/+ diff) shows the Markdown a fix changes;
    ``one_per_screen`` clears a terminal before each finding.
    """
    counts = {"a": 0, "i": 0, "s": 0}
    total = len(findings)
    known = {f.id: f for f in everything}  # no list given: no twin offers
    decided: set[str] = set()
    history: list[tuple[int, str, list[Finding]]] = []  # (where, a or i, the findings decided)
    skipped: list[int] = []  # where each skip was: an undo shows those after it again
    n = 0
    while n < total:
        f = findings[n]
        if f.id in decided:
            n += 1
            continue  # accepted with its twin
        screen = "\x1b[H\x1b[2J" if one_per_screen else "\n"
        output.write(screen + render_finding(f, n + 1, total, width, list(known.values()),
                                             (edits or {}).get(f.id, ())))
        key, reason = _ask(input, output)
        if key == "q":
            return ReviewSummary(counts["a"], counts["i"], counts["s"], total - n, True)
        if key == "u":
            if not history:
                output.write("nothing to undo yet\n")
                continue
            n, undone_key, undone = history.pop()
            for d in undone:
                decide(d, Status.OPEN, None)
                known[d.id] = replace(d, status=Status.OPEN)
                decided.discard(d.id)
            counts[undone_key] -= len(undone)
            again = [i for i in skipped if i > n]
            counts["s"] -= len(again)
            skipped = [i for i in skipped if i <= n]
            output.write(f"undone: line {undone[0].line} ({undone[0].kind.value}) is open again\n")
            continue
        made: list[Finding] = []
        if key == "a":
            decide(f, Status.ACCEPTED, None)
            known[f.id] = replace(f, status=Status.ACCEPTED)
            made.append(f)
            offer = open_twins(f, list(known.values())) if known else []
            lines = ", ".join(str(t.line) for t in offer)
            if offer and _yes(input, output, f"also accept the same fix at line"
                                             f"{'s' if len(offer) > 1 else ''} {lines}? [y/N] "):
                for t in offer:
                    decide(t, Status.ACCEPTED, None)
                    known[t.id] = replace(t, status=Status.ACCEPTED)
                    decided.add(t.id)
                    made.append(t)
        elif key == "i":
            decide(f, Status.IGNORED, reason)
            if known:
                known[f.id] = replace(f, status=Status.IGNORED)
            made.append(f)
        counts[key] += len(made) if made else 1
        if made:
            history.append((n, key, made))
        else:
            skipped.append(n)
        n += 1
    return ReviewSummary(counts["a"], counts["i"], counts["s"], 0, False)


def summary_line(s: ReviewSummary) -> str:
    text = f"diffsync: {s.accepted} accepted, {s.ignored} ignored, {s.skipped} skipped"
    if s.quit:
        text += f"; quit with {s.remaining} not shown"
    return text
