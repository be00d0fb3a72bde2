"""Reading figures of one real list (issue 22): how many of its arXiv IDs sit inside entries,
how many hand-checked titles are read right, and how many entries are misreads.

The file's IDs are counted here with SOURCES.md's own rule (distinct matches of
``arxiv.org/(abs|pdf)/ID``, version not counted), independently of the parser's
coverage module, so a bug there cannot flatter the figure; only links inside HTML
comments are left out (GitHub shows none of them, and diffsync reads none:
``ids_commented`` says how many IDs only a comment holds).
"""

from __future__ import annotations

import bisect
import json
import re
from dataclasses import dataclass
from pathlib import Path

from diffsync.listfile.comments import html_comments, masked
from diffsync.listfile.parse import parse_list
from diffsync.models import Entry, ParsedList

from helpers import paths

TITLES = paths.FIXTURES / "shapes" / "titles.json"
_FILE_ID = re.compile(rb"arxiv\.org/(?:abs|pdf)/(\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})", re.IGNORECASE)
_LABELS = {"authors", "author", "abstract", "paper", "code", "note", "notes", "news", "contents"}


@dataclass(frozen=True)
class Figures:
    name: str
    entries: int
    ids: int  # distinct arXiv IDs in the file
    ids_inside: int  # of those, with a link inside some entry
    ids_commented: int  # distinct IDs only inside HTML comments (not counted in ``ids``)
    titles: int  # hand-checked titles in the sample
    titles_right: int
    misreads: tuple[str, ...]  # "line N: why", one per misread entry
    wrong_titles: tuple[str, ...]

    @property
    def id_share(self) -> float:
        return self.ids_inside / self.ids if self.ids else 1.0

    @property
    def title_share(self) -> float:
        return self.titles_right / self.titles if self.titles else 1.0

    @property
    def misread_share(self) -> float:
        return len(self.misreads) / self.entries if self.entries else 0.0

    def row(self) -> str:
        hidden = f" (+{self.ids_commented} only in comments)" if self.ids_commented else ""
        return (f"| {self.name} | {self.entries} | {self.ids_inside}/{self.ids} ({100 * self.id_share:.1f}%){hidden} "
                f"| {self.titles_right}/{self.titles} | {len(self.misreads)} ({100 * self.misread_share:.1f}%) |")


def misread(e: Entry) -> str | None:
    """Why ``e`` is not one paper read right, judged without the answer key: several papers
    in one unit, a title that is a field label, a link or a single short word, a title
    holding markup, or a unit holding no paper link at all."""
    title = e.title.strip()
    if any(p.startswith("links to several arXiv papers") for p in e.problems):
        return "several arXiv papers in one entry"
    if not title or title.strip(" :").lower() in _LABELS:
        return f"title is a label: {title!r}"
    if "](" in title or "http" in title or "**" in title:
        return f"title holds markup: {title[:60]!r}"
    if not e.arxiv_id and not e.links and not e.venue:
        return "no paper link and no venue"
    return None


def titles_of(name: str) -> list[tuple[int, str, str]]:
    return [tuple(t) for t in json.loads(TITLES.read_text(encoding="utf-8")).get(name, [])]


def _entry_at(parsed: ParsedList, data: bytes, line: int) -> Entry | None:
    starts = [m.end() for m in re.finditer(rb"\r\n|\r|\n", data)]
    offset = ([0] + starts)[line - 1]
    ordered = sorted(parsed.entries, key=lambda e: e.span.start)
    k = bisect.bisect_right([e.span.start for e in ordered], offset) - 1
    return ordered[k] if k >= 0 and offset < ordered[k].span.end else None


def figures(path: Path) -> Figures:
    data = path.read_bytes()
    parsed = parse_list(data, str(path))
    ordered = sorted(parsed.entries, key=lambda e: e.span.start)
    starts = [e.span.start for e in ordered]
    view = masked(data, html_comments(data))
    commented = {m.group(1).decode().lower() for m in _FILE_ID.finditer(data)}
    all_ids, inside = set(), set()
    for m in _FILE_ID.finditer(view):
        found = m.group(1).decode().lower()
        all_ids.add(found)
        k = bisect.bisect_right(starts, m.start()) - 1
        if k >= 0 and m.start() < ordered[k].span.end:
            inside.add(found)
    right, wrong = 0, []
    sample = titles_of(path.name)
    for line, arxiv_id, title in sample:
        e = _entry_at(parsed, data, line)
        if e is not None and e.arxiv_id == arxiv_id and e.title == title:
            right += 1
        else:
            wrong.append(f"line {line}: expected {title!r}, read {(e.title, e.arxiv_id) if e else None}")
    bad = tuple(f"line {e.line}: {why}" for e in parsed.entries if (why := misread(e)))
    return Figures(path.name, len(parsed.entries), len(all_ids), len(inside), len(commented - all_ids),
                   len(sample), right, bad, tuple(wrong))


TABLE_HEAD = ("| list | entries | distinct arXiv IDs inside entries | titles right (hand-checked) "
              "| misreads |\n|---|---|---|---|---|")
