"""``diffsync lint``: the list's structure, offline, in milliseconds.

Nothing here asks arXiv or opens the database: the parser's own per-entry
problems (links Markdown does not render, links without a URL, invalid
arXiv IDs, double-encoded names), the link rules' junk in arXiv URLs
(``?context=cs``, fragments, doubled slashes), one arXiv ID under titles
that differ beyond cosmetics, arXiv links outside every entry, and entries
without authors or a date (only where the list's entries carry them).
Each problem is one ``Problem`` with the line it is on and its rule's id
(``lintrules``), so editors and pre-commit show it where it is, the way
awesome-lint does, and a maintainer can tune it the way ruff is tuned.
"""

from __future__ import annotations

import sys
from bisect import bisect_right
from pathlib import Path
from typing import Sequence, TextIO

from . import links
from .lintrules import Problem
from ..errors import EXIT_FINDINGS, EXIT_OK, DiffsyncError, ListReadError, UsageError
from ..listfile.text import display
from ..models import Entry, ParsedList
from ..textnorm import collapse, title_key, without_leftover


# Under this share of entries carrying a field, the list's shape does not carry it:
# no per-entry "no authors" / "no date" (issue 22: a list of titles is not 7,000 defects).
FIELD_CARRIED = 0.05


class _Lines:
    """Byte offset -> 1-based line number."""

    def __init__(self, data: bytes) -> None:
        self._starts = [0]
        find, i = data.find, data.find(b"\n")
        while i != -1:
            self._starts.append(i + 1)
            i = find(b"\n", i + 1)

    def of(self, offset: int) -> int:
        return bisect_right(self._starts, offset)


def lint(data: bytes, parsed: ParsedList, *, strict: bool = False) -> list[Problem]:
    """Every structural problem of the list, in line order."""
    lines = _Lines(data)
    found = [Problem(1, p, "T002") for p in parsed.problems]
    entries = parsed.entries
    with_authors = _carried(sum(1 for e in entries if e.authors_text), len(entries))
    with_dates = _carried(sum(1 for e in entries if e.date is not None), len(entries))
    for entry in entries:
        found += _parser_problems(entry, data, lines)
        found += _link_problems(entry, lines, strict)
        if with_authors and not entry.authors_text:
            found.append(Problem(entry.line, f'entry "{_short(entry.title)}" has no *authors* line', "F001"))
        if with_dates and entry.date is None:
            found.append(Problem(entry.line, f'entry "{_short(entry.title)}" has no date', "F002"))
    found += _duplicates(entries)
    found += _stray_links(parsed)
    return sorted(found, key=lambda p: p.line)


def _carried(having: int, total: int) -> bool:
    return total > 0 and having >= FIELD_CARRIED * total


def _stray_links(parsed: ParsedList) -> list[Problem]:
    """Each arXiv link outside every entry (the parser's coverage, when it measures it)."""
    coverage = getattr(parsed, "coverage", None)
    return [Problem(s.line, f"arXiv link to {s.arxiv_id} is outside every entry: no check sees it",
                    "A004") for s in getattr(coverage, "stray", ())]


def _parser_problems(entry: Entry, data: bytes, lines: _Lines) -> list[Problem]:
    """The parser's messages, each on the line of the link it names (else the title's)."""
    out = []
    for message in entry.problems:
        line = entry.line
        for link in entry.links:
            written = display(data[link.span.start:link.span.end].decode("utf-8", "surrogateescape"))
            if written in message or (link.url and f" {link.url} " in message):
                line = lines.of(link.span.start)
                break
        rule = "M001" if message.startswith("link ") else "A002" if "arXiv" in message else "T001"
        out.append(Problem(line, message, rule))
    return out


def _link_problems(entry: Entry, lines: _Lines, strict: bool) -> list[Problem]:
    problem = links.check_links(entry, strict=strict)
    if problem is None:
        return []
    # A link Markdown does not render is the parser's message already; say only what it adds.
    reasons = [r for r in problem.reasons if not r.startswith("broken Markdown")]
    if not reasons:
        return []
    return [Problem(lines.of(problem.link.span.start),
                    f"arXiv link {problem.link.url} has {', '.join(reasons)}; write it as {problem.repaired}",
                    "A001")]


def _duplicates(entries: tuple[Entry, ...]) -> list[Problem]:
    """An arXiv ID listed again under a title that differs beyond cosmetics."""
    first: dict[str, Entry] = {}
    out = []
    for entry in entries:
        if entry.arxiv_id is None:
            continue
        seen = first.setdefault(entry.arxiv_id, entry)
        if seen is entry:
            continue
        if title_key(without_leftover(entry.title)) != title_key(without_leftover(seen.title)):
            out.append(Problem(entry.line, f'{entry.arxiv_id} is listed again under another title: '
                               f'"{_short(entry.title)}" here, "{_short(seen.title)}" at line {seen.line}',
                               "A003"))
    return out


def _short(text: str, limit: int = 80) -> str:
    text = collapse(text)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def run(paths: Sequence[Path], *, strict: bool = False, out: TextIO | None = None,
        select: Sequence[str] = (), ignore: Sequence[str] = (), fmt: str = "concise") -> int:
    """Lint each list and print its problems in ``fmt`` (concise: one ``file:line: RULE
    message`` per problem) on ``out``; exit code 0 or 1.  ``select`` / ``ignore`` are rule
    ids or prefixes (lintrules); suppressions in the list silence their rules there.

    A list that cannot be read (missing, binary, empty) is ``ListReadError``: alone it
    propagates to the caller; among several it is named on stderr after the others are
    linted, and the exit code is its (3)."""
    from ..listfile.parse import read_list
    from . import lintout
    from .lintrules import selected, suppressions

    out = out or sys.stdout
    rules = selected(select, ignore)
    if fmt not in lintout.FORMATS:
        raise UsageError(f"--format must be one of {', '.join(lintout.FORMATS)}, got {fmt!r}")
    reports: list[tuple[str, list[Problem]]] = []
    unreadable: list[ListReadError] = []
    for path in paths:
        try:
            data, parsed = read_list(path)
        except ListReadError as exc:
            if len(paths) == 1:
                raise
            unreadable.append(exc)  # named after the others' problems; they are still linted
            continue
        quiet = suppressions(data, parsed.entries, _Lines(data).of)
        shown = [p for p in lint(data, parsed, strict=strict)
                 if p.rule in rules and not quiet.hides(p.line, p.rule)]
        reports.append((str(path), shown))
    out.write(lintout.render(fmt, reports))
    for exc in unreadable:
        print(f"diffsync: error: {exc}", file=sys.stderr)
    if unreadable:
        return max(exc.exit_code for exc in unreadable)
    return EXIT_FINDINGS if any(problems for _, problems in reports) else EXIT_OK


def main(argv: Sequence[str] | None = None) -> None:
    """``diffsync-lint LIST...``: the same as ``diffsync lint``, without loading the rest of
    diffsync, so a pre-commit hook starts in milliseconds.  ``[lint] select`` / ``ignore``
    come from config.toml (or $DIFFSYNC_CONFIG) as for ``diffsync lint``."""
    import argparse

    from ..config import load_settings
    from .lintout import FORMATS

    parser = argparse.ArgumentParser(prog="diffsync-lint", description=main.__doc__)
    parser.add_argument("lists", nargs="+", type=Path, metavar="LIST")
    parser.add_argument("--strict", action="store_true", help="Also flag /pdf/ links, http:// and mirror hosts.")
    parser.add_argument("--select", action="append", default=[], metavar="RULES",
                        help="Only these rule ids or prefixes (comma-separated; ALL for every rule).")
    parser.add_argument("--ignore", action="append", default=[], metavar="RULES",
                        help="Not these rule ids or prefixes (comma-separated).")
    parser.add_argument("--format", default="concise", choices=FORMATS)
    args = parser.parse_args(argv)
    try:
        from ..listfile.parse import use_shape

        loaded = load_settings(list_path=args.lists[0])
        use_shape(loaded.list.shape or None, "config", per_list=loaded.list_shapes())  # as diffsync lint
        lint_settings = loaded.lint
        select, ignore = pick_rules(args.select, args.ignore, lint_settings.select, lint_settings.ignore)
        code = run(args.lists, strict=args.strict, select=select, ignore=ignore, fmt=args.format)
    except DiffsyncError as exc:
        print(f"diffsync: error: {exc}", file=sys.stderr)
        code = exc.exit_code
    raise SystemExit(code)


def pick_rules(flag_select: Sequence[str], flag_ignore: Sequence[str], config_select: Sequence[str],
               config_ignore: Sequence[str]) -> tuple[list[str], list[str]]:
    """Flags over config: ``--select`` replaces ``[lint] select``; ``--ignore`` adds to
    ``[lint] ignore``.  Flag values may be comma-separated."""
    def split(values: Sequence[str]) -> list[str]:
        return [v.strip() for value in values for v in value.split(",") if v.strip()]

    select = split(flag_select) or list(config_select)
    return select, list(config_ignore) + split(flag_ignore)
