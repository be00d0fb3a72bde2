"""Commands: findings, accept, ignore, reopen, review -- deciding what export may fix."""

from __future__ import annotations

import io
import json
import shutil
import sys
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, List, Optional, TextIO

import typer

from ..errors import UsageError
from ..models import FIXABLE_KINDS, Finding, Kind, Status
from .common import DB_OPTION, LISTS_ARGUMENT, app, settings, shown_path, verbose
from .listargs import LISTS_OPTION, checked_lists, ids_and_lists, ids_by_list

if TYPE_CHECKING:  # rich, review and the database stack load when these commands run
    from rich.console import Console

_KINDS = ", ".join(k.value for k in Kind)

IDS_ARGUMENT = typer.Argument(None, metavar="[ID]... [LIST]...",
                              help="Finding ids or unique prefixes; the lists may follow them "
                                   "(default: every list of the config).")


def _kinds(values: Optional[List[str]]) -> list[Kind]:
    out = []
    for v in values or []:
        for part in v.split(","):
            try:
                out.append(Kind(part.strip()))
            except ValueError:
                raise UsageError(f"unknown kind {part.strip()!r}; kinds are: {_KINDS}") from None
    return out


def _statuses(values: Optional[List[str]]) -> list[Status] | None:
    if values and any(v.strip() == "all" for v in values):
        return None
    out = []
    for v in values or ["open", "accepted", "applied"]:
        for part in v.split(","):
            try:
                out.append(Status(part.strip()))
            except ValueError:
                raise UsageError(f"unknown status {part.strip()!r}; statuses are: "
                                 "open, accepted, applied, ignored, resolved, all") from None
    return out


def _note_review_only(kinds: set[Kind], err: Console) -> None:

    only = sorted(k.value for k in kinds if k not in FIXABLE_KINDS)
    if only:
        err.print(f"diffsync: note: {', '.join(only)} findings are review-only; "
                  "export will not change the list for them", markup=False, highlight=False,
                  soft_wrap=True)


@app.command()
def findings(
    list_files: Optional[List[Path]] = LISTS_ARGUMENT,
    status: Optional[List[str]] = typer.Option(
        None, "--status", "-s", metavar="S",
        help="open, accepted, applied, ignored, resolved or all; repeatable "
             "(default: open, accepted and applied)."),
    kind: Optional[List[str]] = typer.Option(None, "--kind", "-k", metavar="K",
                                             help=f"Only these kinds; repeatable ({_KINDS})."),
    as_json: bool = typer.Option(False, "--json", help="Print {findings: [...]} as JSON on stdout."),
    fmt: str = typer.Option(
        "auto", "--format", metavar="FORMAT",
        help="table, concise (one line per finding) or json; auto: a table on a terminal "
             "of 120+ columns, else concise."),
    database_url: Optional[str] = DB_OPTION,
) -> None:
    """List the findings of the last check, with their ids and status.

    Example:  diffsync findings README.md --kind title --status all
    """
    from rich.console import Console

    from ..report.ci_formats import format_option, for_console
    from ..report.render import count, finding_to_dict, print_findings, sort_findings
    from ..writeback.fixes import findings_with_fixes

    fmt = "json" if as_json else format_option(fmt, ("auto", "table", "concise", "json"))
    with checked_lists(list_files, database_url) as (store, checked):
        found = [(path, sort_findings(findings_with_fixes(
            store, list_id, path, store.findings(list_id, status=_statuses(status), kind=_kinds(kind)))))
            for list_id, path in checked]
    out = Console()
    fmt = for_console(fmt, out)
    if fmt == "json":
        json.dump({"findings": [finding_to_dict(f, path) for path, some in found for f in some],
                   "lists": [{"list": str(path), "findings": len(some)} for path, some in found],
                   "total": sum(len(some) for _, some in found)},
                  sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        for path, some in found:
            print_findings(some, out, title=f"Findings in {path}",
                           concise_path=shown_path(path) if fmt == "concise" else None, whole=verbose())
    total = sum(len(some) for _, some in found)
    per_list = "; ".join(f"{shown_path(p)}: {len(some)}" for p, some in found) if len(found) > 1 else ""
    Console(stderr=True).print(f"diffsync: {count(total, 'finding')}" + (f" ({per_list})" if per_list else ""),
                               markup=False, highlight=False)


def _twins(store, list_id: int, accepted: list[Finding], with_twins: bool, err: Console) -> list[Finding]:
    """Say where else each accepted finding's paper is listed; with ``with_twins`` accept the
    open twins that list the same value (an ignored twin never).  The twins accepted."""
    from ..report.render import sort_findings
    from ..review.walk import open_twins, twin_note

    everything = store.findings(list_id)
    done = {f.id for f in accepted}
    offered: dict[str, Finding] = {}
    for f in sort_findings(accepted):
        note = twin_note(f, everything)
        if note is None:
            continue
        offer = [t for t in open_twins(f, everything) if t.id not in done]
        hint = "; add --twins to accept those too" if offer and not with_twins else ""
        err.print(f"diffsync: note: {f.id} (line {f.line}, {f.kind.value}) is {note}{hint}",
                  markup=False, highlight=False, soft_wrap=True)
        offered.update((t.id, t) for t in offer)
    if not with_twins or not offered:
        return []
    changed = set(store.set_status(list_id, sorted(offered), Status.ACCEPTED))
    return [f for f in store.findings(list_id) if f.id in changed]


def _note_unchanged(everything: list[Finding], ids: list[str], decided: list[Finding],
                    status: Status, err) -> None:
    """Say why a finding named by id did not change: resolved, or already so decided."""
    changed = {f.id for f in decided}
    for given in dict.fromkeys(i.strip() for i in ids if i.strip()):
        for f in everything:
            if not f.id.startswith(given) or f.id in changed:
                continue
            if f.status is Status.RESOLVED:
                why = "is resolved (the list no longer has this drift): nothing to do"
            elif f.status is status:
                why = f"is already {status.value}"
            else:
                why = f"is {f.status.value}: left as it is"
            err.print(f"diffsync: note: {f.id} (line {f.line}, {f.kind.value}) {why}",
                      markup=False, highlight=False, soft_wrap=True)


def note_written(written, err: Console) -> None:
    """Say where decisions went: a new LIST.diffsync.toml is news the maintainer must commit."""
    if written is None:
        return
    if written.created:
        err.print(f"diffsync: created {shown_path(str(written.path))} with the decisions; commit it with "
                  "the list so a fresh database (CI, a fork) honours them", markup=False, highlight=False,
                  soft_wrap=True)
    else:
        err.print(f"diffsync: decisions written to {shown_path(str(written.path))}", markup=False,
                  highlight=False)


JSON_DECISIONS = typer.Option(False, "--json", help="Print the changed findings as JSON on stdout.")


def _decide_command(ids: list[str], kinds: list[Kind], every: bool, status: Status,
                    reason: Optional[str], list_files: list[Path], database_url: Optional[str],
                    as_json: bool = False, with_twins: bool = False) -> None:
    if not ids and not kinds and not every:
        raise UsageError("give finding ids, --kind K or --all")
    from rich.console import Console

    from ..report.render import count, finding_to_dict, sort_findings

    if reason:  # argv bytes that are not UTF-8 arrive as lone surrogates the database refuses
        reason = reason.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    err = Console(stderr=True)
    command = {Status.ACCEPTED: "accept", Status.IGNORED: "ignore"}.get(status, "reopen")
    changed: list[tuple[Path, list[Finding]]] = []
    by_id = bool(ids) and not kinds and not every
    with checked_lists(list_files, database_url, by_id=by_id) as (store, checked):
        # Every id is placed in its one list before anything is decided.
        for (list_id, path), own_ids in zip(checked, ids_by_list(store, checked, ids, command)):
            if own_ids or kinds or every:
                decided = _decide_one(store, list_id, path, own_ids, kinds, every, status, reason,
                                      with_twins, err)
                changed.append((path, decided))
    if as_json:
        json.dump({"changed": [finding_to_dict(f, path) for path, decided in changed
                               for f in sort_findings(decided)],
                   "lists": [{"list": str(path), "changed": len(decided)} for path, decided in changed],
                   "total": sum(len(decided) for _, decided in changed)},
                  sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    if status is Status.ACCEPTED:
        _note_review_only({f.kind for _, decided in changed for f in decided}, err)
    total = sum(len(decided) for _, decided in changed)
    per_list = ("; ".join(f"{shown_path(str(p))}: {len(d)}" for p, d in changed)
                if len(changed) > 1 else "")
    err.print(f"diffsync: {count(total, 'finding')} now {status.value}" + (f" ({per_list})" if per_list else ""),
              markup=False, highlight=False, soft_wrap=True)


def _decide_one(store, list_id: int, path: Path, ids: list[str], kinds: list[Kind], every: bool,
                status: Status, reason: Optional[str], with_twins: bool, err: Console) -> list[Finding]:
    """Decide the findings of one list, and write them to its decisions file; those changed."""
    from ..review import decisions
    from ..review.walk import decide_findings

    decided = decide_findings(store, list_id, status, ids=ids, kinds=kinds, every=every, reason=reason)
    _note_unchanged(store.findings(list_id), ids, decided, status, err)
    if status is Status.ACCEPTED:
        # Twins of every finding named, including one accepted before.
        named = {f.id: f for f in decided}
        named.update((f.id, f) for f in store.findings(list_id, status=[Status.ACCEPTED])
                     if any(f.id.startswith(i.strip()) for i in ids if i.strip()))
        decided += _twins(store, list_id, list(named.values()), with_twins, err)
    if decided:
        note_written(decisions.record(path, decided, reason=reason, known=store.findings(list_id),
                                      enabled=settings(path).review.decisions_file), err)
    return decided


_FIXABLE_NAMES = ", ".join(k.value for k in FIXABLE_KINDS)
_REVIEW_ONLY_NAMES = ", ".join(k.value for k in Kind if k not in FIXABLE_KINDS)


@app.command(help=f"""Accept findings: `diffsync export` will write their fixes into the list.

    Fixable kinds: {_FIXABLE_NAMES} (wrong_id when a replacement ID was
    confirmed, venue over a placeholder such as "arXiv 2023.").  Review-only
    kinds ({_REVIEW_ONLY_NAMES}) can be accepted to mark them handled, but
    export never changes the list for them.

    A decision belongs to the entry it is made on: a paper listed twice has a
    finding per copy.  accept names the other copies ("also at lines 252,
    303") and, with --twins, accepts the open ones listing the same value.

    With several lists (given, or every list of the config), each id is
    decided in the one list that holds it; an id two lists hold (the same
    entry in both) is refused, exit 2, until its list is named.

    Example:  diffsync accept 3f2a 91bc   |   diffsync accept --kind title README.md
    """)
def accept(
    ids: Optional[List[str]] = IDS_ARGUMENT,
    kind: Optional[List[str]] = typer.Option(None, "--kind", "-k", metavar="K",
                                             help="Accept every open finding of this kind; repeatable."),
    every: bool = typer.Option(False, "--all", help="Accept every open finding."),
    with_twins: bool = typer.Option(False, "--twins",
                                    help="Also accept the open findings on other copies of the same "
                                         "paper that list the same value (never ignored ones)."),
    list_files: Optional[List[Path]] = LISTS_OPTION,
    database_url: Optional[str] = DB_OPTION,
    as_json: bool = JSON_DECISIONS,
) -> None:
    given, list_files = ids_and_lists(ids, list_files)
    _decide_command(given, _kinds(kind), every, Status.ACCEPTED, None, list_files, database_url, as_json,
                    with_twins)


@app.command()
def ignore(
    ids: Optional[List[str]] = IDS_ARGUMENT,
    reason: Optional[str] = typer.Option(None, "--reason", "-r", metavar="TEXT", help="Why, for later."),
    kind: Optional[List[str]] = typer.Option(None, "--kind", "-k", metavar="K",
                                             help="Ignore every open finding of this kind; repeatable."),
    list_files: Optional[List[Path]] = LISTS_OPTION,
    database_url: Optional[str] = DB_OPTION,
    as_json: bool = JSON_DECISIONS,
) -> None:
    """Ignore findings: they stay ignored while the listed and arXiv values stay the same.

    Example:  diffsync ignore 3f2a --reason "workshop title on purpose"
    """
    given, list_files = ids_and_lists(ids, list_files)
    _decide_command(given, _kinds(kind), False, Status.IGNORED, reason, list_files, database_url, as_json)


@app.command()
def reopen(
    ids: Optional[List[str]] = IDS_ARGUMENT,
    list_files: Optional[List[Path]] = LISTS_OPTION,
    database_url: Optional[str] = DB_OPTION,
    as_json: bool = JSON_DECISIONS,
) -> None:
    """Reopen accepted or ignored findings, so they show up for review again.

    Example:  diffsync reopen 3f2a
    """
    given, list_files = ids_and_lists(ids, list_files)
    if not given:
        raise UsageError("give the ids of the findings to reopen")
    _decide_command(given, [], False, Status.OPEN, None, list_files, database_url, as_json)


@app.command()
def review(
    list_files: Optional[List[Path]] = LISTS_ARGUMENT,
    kind: Optional[List[str]] = typer.Option(None, "--kind", "-k", metavar="K",
                                             help="Only these kinds; repeatable."),
    database_url: Optional[str] = DB_OPTION,
) -> None:
    """Walk through open findings, list versus arXiv side by side, and decide each.

    Keys (then Enter): a accept, i ignore (i REASON to say why), s or Enter
    skip, u undo the last decision (open again, shown again), q quit.
    Decisions are saved as you go.  Works over plain stdin:
    printf 'a\\ni not a typo\\n' | diffsync review README.md

    With several lists (or none: every configured list), one list after
    another; q quits them all.

    Example:  diffsync review README.md --kind title
    """
    from rich.console import Console

    from ..review.walk import summary_line

    err = Console(stderr=True)
    with checked_lists(list_files, database_url) as (store, checked):
        walked = 0
        for n, (list_id, path) in enumerate(checked):
            result = _review_one(store, list_id, path, _kinds(kind), named=len(checked) > 1)
            if result is None:
                continue
            walked += 1
            where = f"{shown_path(str(path))}: " if len(checked) > 1 else ""
            err.print(summary_line(result).replace("diffsync: ", f"diffsync: {where}", 1),
                      markup=False, highlight=False, soft_wrap=True)
            if result.quit:
                rest = [shown_path(str(p)) for _, p in checked[n + 1:]]
                if rest:
                    err.print(f"diffsync: not reviewed: {', '.join(rest)}", markup=False, highlight=False,
                              soft_wrap=True)
                return
    if not walked:
        err.print("diffsync: no open findings to review", markup=False, highlight=False)


def _review_one(store, list_id: int, path: Path, kinds: list[Kind], named: bool):
    """Walk one list's open findings; its ReviewSummary, None when it has none."""
    from rich.console import Console

    from ..report.render import sort_findings
    from ..review import decisions
    from ..review.walk import review_findings
    from ..writeback.fixes import fixes_and_entry_edits

    found, edits = fixes_and_entry_edits(store, path, store.findings(list_id, status=[Status.OPEN], kind=kinds))
    todo = sort_findings(found)
    if not todo:
        return None
    enabled = settings(path).review.decisions_file
    err = Console(stderr=True)
    if named:
        sys.stdout.write(f"\n== {shown_path(str(path))}: {len(todo)} open findings ==\n")

    def decide(f: Finding, status: Status, reason: str | None) -> None:
        store.set_status(list_id, [f.id], status, reason)
        note_written(decisions.record(path, [replace(f, status=status)], reason=reason,
                                      known=store.findings(list_id), enabled=enabled), err)

    width = min(shutil.get_terminal_size((100, 24)).columns, 140)
    return review_findings(todo, decide, input=_answers(), output=sys.stdout, width=width,
                           everything=store.findings(list_id), edits=edits,
                           one_per_screen=sys.stdout.isatty() and sys.stdin.isatty())


def _answers() -> TextIO:
    """stdin for the answers: closed (``<&-``) reads as end of input, and bytes that
    are not in its encoding become U+FFFD instead of failing the review or the database."""
    if sys.stdin is None:
        return io.StringIO()
    try:
        sys.stdin.reconfigure(errors="replace")
    except (AttributeError, ValueError):
        pass  # not a TextIOWrapper (a test's StringIO): nothing to decode
    return sys.stdin
