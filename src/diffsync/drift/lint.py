"""``diffsync lint``: the list's structure, offline, in milliseconds.

Nothing here asks arXiv or opens the database: the parser's own per-entry
problems (links Markdown does not render, links without a URL, invalid
arXiv IDs, double-encoded names), the link rules' junk in arXiv URLs
(``?context=cs``, fragments, doubled slashes), one arXiv ID under titles
that differ beyond cosmetics, and entries without authors or a date.
Each problem is one ``Problem`` with the line it is on, so editors and
pre-commit show it where it is, the way awesome-lint does.
"""

from __future__ import annotations

import sys
from bisect import bisect_right
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence, TextIO

from . import links as linkcheck
from ..errors import EXIT_FINDINGS, EXIT_OK, DiffsyncError
from ..listfile.text import display
from ..models import Entry, ParsedList
from ..textnorm import collapse, title_key, without_leftover


@dataclass(frozen=True)
class Problem:
    line: int  # 1-based
    message: str
    rule: str  # "markdown", "arxiv-link", "duplicate", "authors", "date", "file"

    def format(self, path: str) -> str:
        return f"{path}:{self.line}: {self.message}"


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
    found = [Problem(1, p, "file") for p in parsed.problems]
    for entry in parsed.entries:
        found += _parser_problems(entry, data, lines)
        found += _link_problems(entry, lines, strict)
        if not entry.authors_text:
            found.append(Problem(entry.line, f'entry "{_short(entry.title)}" has no *authors* line', "authors"))
        if entry.date is None:
            found.append(Problem(entry.line, f'entry "{_short(entry.title)}" has no date', "date"))
    found += _duplicates(parsed.entries)
    return sorted(found, key=lambda p: p.line)


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
        rule = "markdown" if message.startswith("link ") else "arxiv-link" if "arXiv" in message else "text"
        out.append(Problem(line, message, rule))
    return out


def _link_problems(entry: Entry, lines: _Lines, strict: bool) -> list[Problem]:
    problem = linkcheck.check_links(entry, strict=strict)
    if problem is None:
        return []
    # A link Markdown does not render is the parser's message already; say only what it adds.
    reasons = [r for r in problem.reasons if not r.startswith("broken Markdown")]
    if not reasons:
        return []
    return [Problem(lines.of(problem.link.span.start),
                    f"arXiv link {problem.link.url} has {', '.join(reasons)}; write it as {problem.repaired}",
                    "arxiv-link")]


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
                               "duplicate"))
    return out


def _short(text: str, limit: int = 80) -> str:
    text = collapse(text)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def run(paths: Sequence[Path], *, strict: bool = False, out: TextIO | None = None) -> int:
    """Lint each list, one ``file:line: message`` per problem on ``out``; exit code 0 or 1.

    ``ListReadError`` (missing, binary, empty list) propagates to the caller."""
    from ..listfile.parse import read_list

    out = out or sys.stdout
    problems = 0
    for path in paths:
        data, parsed = read_list(path)
        for problem in lint(data, parsed, strict=strict):
            out.write(problem.format(str(path)) + "\n")
            problems += 1
    return EXIT_FINDINGS if problems else EXIT_OK


def main(argv: Sequence[str] | None = None) -> None:
    """``diffsync-lint LIST...``: the same as ``diffsync lint``, without loading the rest of
    diffsync, so a pre-commit hook starts in milliseconds."""
    import argparse

    parser = argparse.ArgumentParser(prog="diffsync-lint", description=main.__doc__)
    parser.add_argument("lists", nargs="+", type=Path, metavar="LIST")
    parser.add_argument("--strict", action="store_true", help="Also flag /pdf/ links, http:// and mirror hosts.")
    args = parser.parse_args(argv)
    try:
        code = run(args.lists, strict=args.strict)
    except DiffsyncError as exc:
        print(f"diffsync: error: {exc}", file=sys.stderr)
        code = exc.exit_code
    raise SystemExit(code)
