"""``diffsync entries``: show the list as diffsync reads it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, List, Optional

import typer

from ..listfile.parse import read_list
from ..models import Entry, ParsedList, Span
from ..report.render import TEXT_OVERFLOW, count
from ..errors import DiffsyncError
from .common import LISTS_ARGUMENT, app, list_paths, settings

if TYPE_CHECKING:  # rich loads only to print the table
    from rich.table import Table


def _span(span: Span | None) -> list[int] | None:
    return [span.start, span.end] if span else None


def entry_to_dict(e: Entry) -> dict[str, Any]:
    return {
        "line": e.line,
        "title": e.title,
        "authors": list(e.authors),
        "authors_text": e.authors_text,
        "arxiv_id": e.arxiv_id,
        "version": e.arxiv_version,
        "date": e.date.isoformat() if e.date else None,
        "date_text": e.date_text,
        "venue": e.venue,
        "section": e.section,
        "shape": e.shape,
        "title_context": list(e.title_context),
        "id_form": e.id_form,
        "authors_et_al": e.authors_et_al,
        "venue_in_heading": e.venue_in_heading,
        "links": [{"label": ln.label, "url": ln.url, "broken": ln.broken} for ln in e.links],
        "problems": list(e.problems),
        "spans": {
            "entry": _span(e.span), "title": _span(e.title_span), "authors": _span(e.authors_span),
            "venue": _span(e.venue_span), "arxiv_id": _span(e.arxiv_id_span), "date": _span(e.date_span),
        },
        "cells": [_span(c) for c in e.cells],
        "columns": list(e.columns),
    }


def _table(entries: list[Entry]) -> Table:
    from rich.table import Table

    table = Table(show_lines=False, expand=False)
    table.add_column("line", justify="right", no_wrap=True)
    table.add_column("title", overflow=TEXT_OVERFLOW, max_width=50)
    table.add_column("authors", overflow=TEXT_OVERFLOW, max_width=28)
    table.add_column("arXiv", no_wrap=True)
    table.add_column("date", no_wrap=True)
    table.add_column("venue", overflow=TEXT_OVERFLOW, max_width=20)
    table.add_column("problems", overflow=TEXT_OVERFLOW, max_width=40, style="yellow")
    for e in entries:
        authors = ", ".join(e.authors[:2]) + (f" +{len(e.authors) - 2}" if len(e.authors) > 2 else "")
        arxiv = (e.arxiv_id or "-") + (f"v{e.arxiv_version}" if e.arxiv_version else "")
        table.add_row(str(e.line), e.title, authors or "-", arxiv,
                      e.date.isoformat() if e.date else "-", e.venue or "-", "; ".join(e.problems))
    return table


def _summary(parsed: ParsedList) -> str:
    n = len(parsed.entries)
    with_id = sum(1 for e in parsed.entries if e.arxiv_id)
    with_date = sum(1 for e in parsed.entries if e.date)
    with_problems = sum(1 for e in parsed.entries if e.problems)
    lines = [f"{count(n, 'entry', 'entries')}: {with_id} with an arXiv ID, {with_date} with a date, "
             f"{with_problems} with problems"]
    if parsed.coverage is not None:
        lines.append(parsed.coverage.summary + "; " + shapes_line(parsed))
    return "\n".join(lines)


def shapes_line(parsed: ParsedList) -> str:
    """How the entries were read: "read as item (inferred)", or one part per section."""
    how = {"vote": "inferred", "flag": "--shape", "config": "[list] shape"}
    parts = [p for p in parsed.sections if p.entries] or list(parsed.sections[:1])
    if len({(p.shape, p.source) for p in parts}) <= 1:
        p = parts[0] if parts else None
        return f"read as {p.shape} ({how.get(p.source, p.source)})" if p else "read as paragraph"
    return "read as " + ", ".join(f"{p.shape} from line {p.line} ({p.entries})" for p in parts) + " (inferred)"


@app.command()
def entries(
    list_files: Optional[List[Path]] = LISTS_ARGUMENT,
    as_json: bool = typer.Option(False, "--json", help="Print a JSON array of entries on stdout."),
    problems_only: bool = typer.Option(
        False, "--problems", help="Show only entries with parse problems."),
) -> None:
    """Show every entry of LIST as diffsync reads it.

    One row per entry: line, title, authors, arXiv ID (with its linked
    version), date, venue and parse problems such as broken links.  With
    --json, an array of objects with list, line, title, authors, arxiv_id,
    version, date (YYYY-MM-DD or null), date_text, venue, section, shape
    (paragraph, item, row or heading), links, problems and the byte spans
    of each field; with several lists, {lists: [{list, entries}], total}.
    The closing lines say how many arXiv links the file holds, how many sit
    inside entries, and which shape each section was read in (--shape, or
    the list's shape in the config, overrides the inference).  Problems in
    one entry never stop the others from being read.

    Exit codes: 0 every list was read, 3 a list is missing or not a text
    file (named; the others are still shown).

    Example:  diffsync entries README.md --problems
    """
    s = settings(list_files[0] if list_files else None)
    paths = list_paths(s, list_files)
    read: list[tuple[Path, list[Entry], ParsedList]] = []
    failed: list[tuple[Path, DiffsyncError]] = []
    for path in paths:
        try:
            _, parsed = read_list(path, s.for_list(path).list.max_mb)
        except DiffsyncError as exc:
            if len(paths) == 1:
                raise
            failed.append((path, exc))
            continue
        read.append((path, [e for e in parsed.entries if e.problems or not problems_only], parsed))
    if as_json:
        _print_json(read, several=len(paths) > 1)
    else:
        _print_tables(read, several=len(paths) > 1)
    if any(parsed.problems for _, _, parsed in read) or failed or (len(paths) > 1 and not as_json):
        from rich.console import Console

        err = Console(stderr=True)
        for path, _, parsed in read:
            for problem in parsed.problems:
                err.print(f"diffsync: warning: {path}: {problem}", markup=False, highlight=False, soft_wrap=True)
        for _, exc in failed:  # the error names its list
            err.print(f"diffsync: error: {exc}", markup=False, highlight=False, soft_wrap=True)
        if len(paths) > 1:
            total = sum(len(p.entries) for _, _, p in read)
            err.print(f"diffsync: total: {count(len(paths), 'list')}, {count(total, 'entry', 'entries')}"
                      + (f", {len(failed)} not read" if failed else ""), markup=False, highlight=False)
    if failed:
        raise typer.Exit(max(exc.exit_code for _, exc in failed))


def _print_json(read: list[tuple[Path, list[Entry], ParsedList]], several: bool) -> None:
    """One list: the array of its entries, as always.  Several: each list's, and a total."""
    lists = [{"list": str(path), "entries": [{"list": str(path), **entry_to_dict(e)} for e in shown]}
             for path, shown, _ in read]
    doc: Any = lists[0]["entries"] if not several else {
        "lists": lists, "total": {"lists": len(lists), "entries": sum(len(one["entries"]) for one in lists)}}
    typer.echo(json.dumps(doc, ensure_ascii=False, indent=2))


def _print_tables(read: list[tuple[Path, list[Entry], ParsedList]], several: bool) -> None:
    from rich.console import Console

    out = Console()
    for path, shown, parsed in read:
        if several:
            out.print(f"{path}", markup=False, highlight=False)
        out.print(_table(shown))
        out.print(_summary(parsed), markup=False, highlight=False)
