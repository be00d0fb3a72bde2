"""Command: add -- new entries from arXiv, in the list's own style, shown as a diff first."""

from __future__ import annotations

import json
import re
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, List, Optional

import typer

from ..errors import ApiError, UsageError
from .common import DB_OPTION, LIST_OPTION, app, arxiv_notices, list_path, settings

if TYPE_CHECKING:  # the fetch, the store and the planner load when add runs
    from ..config import Settings
    from ..models import ParsedList


def _arxiv_ids(given: List[str]) -> list[str]:
    """Canonical IDs of ``2302.05543``, ``arXiv:2302.05543v2`` and abs/pdf URLs, in order."""
    from .. import arxivid

    out: list[str] = []
    for text in given:
        found = arxivid.parse_id(text) or arxivid.from_url(text)
        if found is None:
            raise UsageError(f"not an arXiv ID or arxiv.org URL: {text!r} (e.g. 2302.05543 or "
                             "https://arxiv.org/abs/2302.05543)")
        if found.id not in out:
            out.append(found.id)
    return out


def _ids_and_list(given: List[str], list_file: Optional[Path]) -> tuple[List[str], Optional[Path]]:
    """The IDs, and LIST when it was given last (as ``accept ID… LIST`` takes it): a last
    argument that is no arXiv ID but an existing file or a Markdown path."""
    from .. import arxivid

    if list_file is not None or len(given) < 2:
        return given, list_file
    last = given[-1]
    if arxivid.parse_id(last) or arxivid.from_url(last):
        return given, list_file
    if Path(last).is_file() or last.lower().endswith((".md", ".markdown")):
        return given[:-1], Path(last)
    return given, list_file


def _summary(text: Optional[str], n_papers: int) -> Optional[str]:
    if text is None:
        return None
    if n_papers > 1:
        raise UsageError("--summary goes with one paper at a time")
    if text == "-":
        text = sys.stdin.read()
    if re.search(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]", text):
        # an escape sequence in the list would drive the terminal of whoever prints it
        raise UsageError("--summary holds control characters (an escape sequence?); give plain text")
    return text if text.strip() else None


@app.command()
def add(
    papers: List[str] = typer.Argument(..., metavar="ID_OR_URL... [LIST]",
                                       help="arXiv IDs or arxiv.org/abs or /pdf URLs; LIST may follow them."),
    list_file: Optional[Path] = LIST_OPTION,
    under: Optional[str] = typer.Option(
        None, "--under", "-u", metavar="HEADING",
        help="The heading to add under (\"Audio / Generation\" when names repeat), or \"today\" "
             "for today's dated section, created in the list's heading format if missing."),
    summary: Optional[str] = typer.Option(
        None, "--summary", "-s", metavar="TEXT",
        help="A summary line after the date (\"-\" reads it from stdin)."),
    write: bool = typer.Option(False, "--write", "-w", help="Write the new entries into LIST (atomically)."),
    backup: bool = typer.Option(False, "--backup", help="With --write, keep the old file as LIST.bak."),
    offline: bool = typer.Option(False, "--offline", help="Use stored metadata only; ask arXiv nothing."),
    database_url: Optional[str] = DB_OPTION,
    as_json: bool = typer.Option(False, "--json", help="Print the added entries and the diff as JSON."),
) -> None:
    """Add papers to LIST, written the way LIST writes its entries.

    Fetches each paper from arXiv (paced and cached like check), writes its
    title, authors, venue, arXiv link and v1 date in the style the list's
    own entries use (emphasis, line-end backslashes, author separators, date
    format, link label, indentation), and puts it where that section keeps
    new entries: by date when the section is in date order, else at the top.

    Prints the diff; only --write changes the list. Refuses a paper already
    in the list and an ID arXiv does not know.

    Exit codes: 0 added (or would add), 2 usage error (a bad ID, an unknown
    heading, a paper already listed or unknown to arXiv), 3 could not
    complete (list unreadable, arXiv unreachable).

    Example:  diffsync add 2302.05543 README.md --under "Image Editing"
    """
    from ..check.lookup import look_up
    from ..listfile.parse import read_list
    from ..newentry import already_listed, plan_additions
    from ..writeback.atomicfile import FileSnapshot, write_atomic
    from ..writeback.diff import unified_diff

    from ..newentry.place import find_section

    papers, list_file = _ids_and_list(papers, list_file)
    wanted = _arxiv_ids(papers)
    text = _summary(summary, len(wanted))
    s = settings(list_file, database={"url": database_url})
    path = list_path(s, list_file)
    data, parsed = read_list(path, s.list.max_mb)
    for arxiv_id in wanted:  # before asking arXiv anything; titles once its answer is in
        why = already_listed(parsed, arxiv_id)
        if why:
            raise UsageError(why)
    find_section(data, parsed, under, date.today())  # a wrong --under is said before any request
    with arxiv_notices(offline):
        found = look_up(s, wanted, offline=offline)
    if found.unchecked:
        arxiv_id, why = next(iter(found.unchecked.items()))
        raise ApiError(f"arXiv {arxiv_id} could not be fetched: {why}; nothing was added")
    unknown = [i for i in wanted if i in found.not_found or i not in found.records]
    if unknown:
        raise UsageError(f"arXiv does not know {', '.join(unknown)} (asked twice); nothing was added")
    records = [found.records[i] for i in wanted]
    plan = plan_additions(data, parsed, records, under=under, today=date.today(), summary=text,
                          venues=_confirmed_venues(s, records, offline))
    diff = unified_diff(plan.old, plan.new, path)
    if write:
        write_atomic(path, plan.new, backup=backup, expect=FileSnapshot.of(path, data))
        _record(s, path, parsed, plan.new, frozenset(wanted))
    if as_json:
        json.dump({"added": [{"arxiv_id": a.arxiv_id, "title": a.title, "line": a.line, "section": a.section}
                             for a in plan.added], "written": write, "diff": diff},
                  sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        sys.stdout.write(diff)
    where = "; ".join(f"{a.arxiv_id} at line {a.line}" + (f' under "{a.section}"' if a.section else "")
                      for a in plan.added)
    if write:
        print(f"diffsync: added {where} to {path}; run diffsync check to track it", file=sys.stderr)
    else:
        print(f"diffsync: would add {where} to {path}; run with --write to add", file=sys.stderr)


def _confirmed_venues(s: Settings, records: list, offline: bool) -> dict:
    """The venue sources' confirmed venue of each paper (stored answers, else asked now)."""
    if not s.venues.enabled:
        return {}
    from ..store.store import Store
    from ..venuecheck.findings import written_venue
    from ..venuecheck.gather import gather

    with Store.open(s.database_url, busy_timeout=s.database.busy_timeout) as store:
        run = gather(s.venues, store.venues(), {r.arxiv_id: r for r in records}, offline=offline)
    for warning in run.warnings:
        print(f"diffsync: warning: {warning}", file=sys.stderr)
    return {i: v for i, ev in run.evidence.items() for v in [written_venue(ev)] if v is not None}


def _record(s: Settings, path: Path, old: ParsedList, new: bytes, added: frozenset[str]) -> None:
    """Keep a checked list's stored state and findings in step with the rewrite, so the
    next export does not refuse it as "changed since the last check"."""
    from ..store.store import Store
    from ..review import decisions
    from ..writeback.export import record_rewrite

    with Store.open(s.database_url, busy_timeout=s.database.busy_timeout) as store:
        list_id = store.find_list(str(path))
        state = store.list_state(list_id) if list_id is not None else None
        if state is not None and state.sha256 == old.sha256:
            moves = record_rewrite(store, list_id, old, new, path, added)
            decisions.follow(path, moves, (), enabled=s.review.decisions_file)
