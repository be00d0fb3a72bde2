"""``diffsync entries``: show the list as diffsync reads it."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING, Any, Optional

import typer

from ..listfile.parse import read_list
from ..models import Entry, ParsedList, Span
from ..report.render import TEXT_OVERFLOW, count
from .common import LIST_ARGUMENT, app, list_path, settings

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
    list_file: Optional[Path] = LIST_ARGUMENT,
    as_json: bool = typer.Option(False, "--json", help="Print a JSON array of entries on stdout."),
    problems_only: bool = typer.Option(
        False, "--problems", help="Show only entries with parse problems."),
) -> None:
    """Show every entry of LIST as diffsync reads it.

    One row per entry: line, title, authors, arXiv ID (with its linked
    version), date, venue and parse problems such as broken links.  With
    --json, an array of objects with line, title, authors, arxiv_id,
    version, date (YYYY-MM-DD or null), date_text, venue, section, shape
    (paragraph, item, row or heading), links, problems and the byte spans
    of each field.  The closing lines say how many arXiv links the file
    holds, how many sit inside entries, and which shape each section was
    read in (--shape overrides the inference).  Problems in one entry
    never stop the others from being read.

    Exit codes: 0 the list was read, 3 the list is missing or not a text file.

    Example:  diffsync entries README.md --problems
    """
    s = settings(list_file)
    path = list_path(s, list_file)
    _, parsed = read_list(path, s.list.max_mb)
    shown = [e for e in parsed.entries if e.problems or not problems_only]
    if parsed.problems or not as_json:  # rich loads only to print
        from rich.console import Console

        err = Console(stderr=True)
        for problem in parsed.problems:
            err.print(f"diffsync: warning: {path}: {problem}", markup=False, highlight=False, soft_wrap=True)
    if as_json:
        typer.echo(json.dumps([entry_to_dict(e) for e in shown], ensure_ascii=False, indent=2))
        return
    out = Console()
    out.print(_table(shown))
    out.print(_summary(parsed), markup=False, highlight=False)
