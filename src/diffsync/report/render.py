"""Findings for people and for machines: rich tables and JSON-ready dicts.

Shared by ``check``, ``findings`` and anything else that reports findings,
so every command shows them the same way.
"""

from __future__ import annotations

from dataclasses import replace
from itertools import groupby
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable, Sequence

from ..models import FIXABLE_KINDS, KIND_ORDER, KINDS, Finding
from .worddiff import word_diff

if TYPE_CHECKING:  # rich loads when a table is drawn: `entries --json` and --help need none
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text



def count(n: int, noun: str, plural: str | None = None) -> str:
    """``1 finding``, ``2 findings``: messages read as sentences."""
    return f"{n} {noun if n == 1 else plural or noun + 's'}"


def shown_path(list_path: str) -> str:
    """The list's path as a user typed it: relative to here when it is below here."""
    path = Path(list_path)
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


def finding_to_dict(f: Finding, list_path: str | Path) -> dict[str, Any]:
    """A finding as JSON; ``list_path``, the list it belongs to, is its "list"."""
    return {
        "list": str(list_path),
        "id": f.id,
        "kind": f.kind.value,
        "line": f.line,
        "fix_line": f.fix_line,  # the line the fix changes, when not ``line`` (else None)
        "arxiv_id": f.arxiv_id,
        "listed": f.listed,
        "arxiv": f.arxiv,
        "message": f.message,
        "suggestion": f.suggestion,
        "fix": f.fix,  # the exact text export writes (None: nothing to write now)
        "status": f.status.value,
        "reason": f.reason,  # why it was ignored or accepted, when a reason was given
        "entry_key": f.entry_key,
    }


def sort_findings(findings: Iterable[Finding]) -> list[Finding]:
    rank = {k: i for i, k in enumerate(KIND_ORDER)}
    return sorted(findings, key=lambda f: (rank.get(f.kind.value, 99), f.line, f.id))


# Table cells wrap between words only; a word wider than its column ends in "…" instead
# of going on in the next row ("Classifier-F│ree"): the concise and JSON formats carry
# every value whole.
TEXT_OVERFLOW = "ellipsis"


def findings_table(findings: Sequence[Finding], *, title: str | None = None) -> Table:
    """One table, grouped by kind, with line numbers and list-versus-arXiv values."""
    from rich.table import Table
    from rich.text import Text

    show_fix = any(shown_fix(f) for f in findings)
    show_status = any(f.status.value != "open" for f in findings)
    table = Table(title=title, show_lines=False, expand=False)
    table.add_column("id", style="dim", no_wrap=True)
    table.add_column("line", justify="right", no_wrap=True)
    show_id = any(f.arxiv_id for f in findings)  # an empty column only takes width
    if show_id:
        table.add_column("arXiv", no_wrap=True)
    table.add_column("list has", overflow=TEXT_OVERFLOW, max_width=44)
    table.add_column("arXiv has", overflow=TEXT_OVERFLOW, max_width=44)
    if show_fix:
        table.add_column("suggested fix", overflow=TEXT_OVERFLOW, max_width=44)
    if show_status:
        table.add_column("status", overflow=TEXT_OVERFLOW, max_width=30)
    for kind, group in groupby(sort_findings(findings), key=lambda f: f.kind.value):
        table.add_row(Text(kind, style="bold"), end_section=False)
        for f in group:
            row = [f.id, _line(f)] + [f.arxiv_id or "-"] * show_id + list(_value_cells(f))
            row += [_cell(shown_fix(f))] * show_fix + [_cell(_status(f))] * show_status
            table.add_row(*row)
        table.add_section()
    return table


def _line(f: Finding) -> str:
    """The finding's line; ``41 (fix 43)`` when its fix changes another line."""
    return f"{f.line} (fix {f.fix_line})" if f.fix_line else str(f.line)


def shown_fix(f: Finding) -> str | None:
    """What a fixable finding's fix column shows: the exact text export writes there
    (whitespace around it trimmed); for review-only kinds the suggestion, when it
    says more than the arXiv value already does."""
    if f.kind in FIXABLE_KINDS:
        return f.fix.strip() if f.fix else None
    return f.suggestion if f.suggestion and f.suggestion != f.arxiv else None


CELL_LIMIT = 600  # characters per table cell: a pasted paragraph must not flood the terminal


def printable(text: str) -> str:
    """``text`` with control characters (an ESC that would drive the terminal) shown as
    ``\\u001b``: a reason or a title is shown, never obeyed."""
    if text.isprintable():
        return text
    return "".join(c if c.isprintable() or c == " " else f"\\u{ord(c):04x}" for c in text)


def _cell(value: str | None) -> Text:
    from rich.text import Text

    if value and len(value) > CELL_LIMIT:
        value = value[:CELL_LIMIT] + f"… ({len(value) - CELL_LIMIT} more characters)"
    return Text(printable(value) if value else "-")


def _value_cells(f: Finding) -> tuple[Text, Text]:
    """The list's and arXiv's values, the words that differ marked: struck red on the
    list's side, bold green on arXiv's (word_changes, as the review's word diff)."""
    from rich.text import Text

    from .worddiff import word_changes

    if not f.listed or not f.arxiv or max(len(f.listed), len(f.arxiv)) > CELL_LIMIT:
        return _cell(f.listed), _cell(f.arxiv)
    listed, arxiv = Text(), Text()
    for change in word_changes(f.listed, f.arxiv):
        for side, kinds, style in ((listed, ("equal", "gone"), "red strike"),
                                   (arxiv, ("equal", "new"), "bold green")):
            if change.kind in kinds:
                side.append((" " if side else "") + printable(change.text),
                            style=None if change.kind == "equal" else style)
    return listed, arxiv


def _status(f: Finding) -> str:
    """``ignored: workshop title on purpose``: a decision shows why it was made."""
    return f"{f.status.value}: {f.reason}" if f.reason else f.status.value


def concise_lines(findings: Sequence[Finding], path: str, *, whole: bool = False) -> list[str]:
    """One line per finding, the way compilers and linters report, for CI logs and
    terminals narrower than a table: ``list.md:41: open wrong_id 2f0bc42dc5: …``, at most
    two rows of 80 columns (values elided with …); ``whole`` (``-v``) keeps every value."""
    from . import concise

    lines = []
    for f in sort_findings(findings):
        fix = shown_fix(f)
        fix = " ".join(fix.split()) if fix else None
        status = f.status.value
        if whole:
            words = word_diff(f.listed, f.arxiv) if KINDS[f.kind].word_diff and f.listed and f.arxiv \
                and f.listed != f.arxiv and max(len(f.listed), len(f.arxiv)) <= CELL_LIMIT else None
            if fix and len(fix) > CELL_LIMIT:
                fix = fix[:CELL_LIMIT] + "…"
            text = concise.whole_line(f, path, _status(f), fix, f.fix_line, words)
            text = printable(text)
            lines.append(text if len(text) <= 4 * CELL_LIMIT else text[:4 * CELL_LIMIT] + "…")
        else:
            lines.append(concise.line(replace(f, message=printable(f.message), listed=_printable(f.listed),
                                              arxiv=_printable(f.arxiv), reason=_printable(f.reason)),
                                      printable(path), status, printable(fix) if fix else None, f.fix_line))
    return lines


def _printable(text: str | None) -> str | None:
    return printable(text) if text is not None else None


def print_findings(findings: Sequence[Finding], console: Console, *, title: str | None = None,
                   concise_path: str | None = None, whole: bool = False) -> None:
    """A table, or with ``concise_path`` one line per finding (that path in front of each;
    ``whole``: every value whole)."""
    if not findings:
        console.print("No findings.")
        return
    if concise_path is not None:
        for line in concise_lines(findings, concise_path, whole=whole):
            console.print(line, markup=False, highlight=False, soft_wrap=True)
        return
    console.print(findings_table(findings, title=title))


def unanswered_note(summary: Any) -> str | None:
    """One line when arXiv stopped answering and left papers or searches unchecked."""
    n = summary.unanswered
    return (f"{n} unchecked: arXiv stopped answering before they were asked; "
            "the list is not fully checked (run again later)") if n else None
