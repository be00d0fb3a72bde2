"""The acceptance harness of issue 22 over real lists of every shape.

For one real list it measures, against the project's fake arXiv on 127.0.0.1:

- ``own``: a check against the fake serving the list's OWN entries (each linked ID's
  first entry as listed) gives 0 findings;
- ``drifts``: three planted drifts are found: arXiv retitles a paper, arXiv adds an
  author (only where the list carries authors), and one entry's link is switched to
  another listed paper;
- ``title_fix``: the retitle, accepted alone and exported, changes only the bytes
  inside the entry's title span (the new title holds ``|``, ``[`` and ``]``, so it
  also proves the fix is escaped for its shape);
- ``readded``: three entries removed from the file come back through ``add`` in the
  list's own shape (the same kind of unit as their neighbours, a table row with the
  header's column count).

Every step runs the real CLI in-process (``Cli``), in a fresh folder and database, so
no step sees another's cached arXiv answers.  Used by tests/acceptance/ and by
bench/bench_shapes.py, which prints the per-list table.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import sys
import tempfile
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

from diffsync.cli import main
from diffsync.fake_arxiv import FakeArxiv
from diffsync.listfile.parse import parse_list
from diffsync.models import Entry, Heading, PaperRecord, ParsedList
from diffsync.newentry.place import heading_path

from helpers import paths

SHAPES_DIR = paths.SHARED_LISTS / "shapes"
REFERENCE_LISTS = ("one-sentence-diffusion-summary.md", "diff-usion-awesome-diffusion-models.md")
RETITLE = " and Beyond"  # words arXiv added
HOSTILE = " | Revisited [v2] **x** <td>"  # words arXiv added, with a cell bar, brackets, emphasis and a tag
EXTRA_AUTHOR = "Quinn Extraauthor"
# SOURCES.md's count: distinct arxiv.org/(abs|pdf)/ID, new- and old-style, version not counted.
_FILE_ID = re.compile(rb"arxiv\.org/(?:abs|pdf)/(\d{4}\.\d{4,5}|[a-z-]+(?:\.[A-Z]{2})?/\d{7})", re.IGNORECASE)
_YEAR = re.compile(r"\b(19[89]\d|20[0-4]\d)\b")


def shape_lists() -> list[Path]:
    """Every list of the shape corpus, then the two reference lists (those present)."""
    found = sorted(SHAPES_DIR.glob("*.md")) if SHAPES_DIR.is_dir() else []
    found = [p for p in found if p.name != "SOURCES.md"]
    return found + [p for p in (paths.SHARED_LISTS / n for n in REFERENCE_LISTS) if p.is_file()]


# ---------------------------------------------------------------------------
# The list's own papers
# ---------------------------------------------------------------------------


def _published(e: Entry) -> datetime:
    if e.date is not None:
        return datetime(e.date.year, e.date.month, e.date.day, 12, tzinfo=timezone.utc)
    m = _YEAR.search(e.venue or "") or _YEAR.search(e.section or "")
    return datetime(int(m.group()) if m else 2023, 1, 15, 12, tzinfo=timezone.utc)


def own_records(entries: tuple[Entry, ...]) -> dict[str, PaperRecord]:
    """What arXiv would say if the list were right: each linked ID's first entry as listed."""
    papers: dict[str, PaperRecord] = {}
    for e in entries:
        if e.arxiv_id and e.arxiv_id not in papers:
            when = _published(e)
            papers[e.arxiv_id] = PaperRecord(e.arxiv_id, 1, " ".join(e.title.split()), tuple(e.authors),
                                             when, when, categories=("cs.LG",))
    return papers


def single_entries(entries: tuple[Entry, ...]) -> list[Entry]:
    """Entries whose ID no other entry links, and whose title no other entry has."""
    ids = Counter(e.arxiv_id for e in entries)
    titles = Counter(" ".join(e.title.lower().split()) for e in entries)
    return [e for e in entries if e.arxiv_id and ids[e.arxiv_id] == 1
            and titles[" ".join(e.title.lower().split())] == 1 and len(e.title.split()) >= 3]


def spread(entries: list[Entry], n: int) -> list[Entry]:
    """``n`` entries spread over ``entries`` (first, middle, last...)."""
    if len(entries) <= n:
        return list(entries)
    return [entries[round(i * (len(entries) - 1) / (n - 1))] for i in range(n)]


# ---------------------------------------------------------------------------
# One world: a folder, a database, the fake arXiv, the CLI in-process
# ---------------------------------------------------------------------------


class Cli:
    """``diffsync ARGS`` in-process against ``url``, with its own folder and database."""

    def __init__(self, folder: Path, url: str) -> None:
        self.folder = folder
        self.env = {"DIFFSYNC_DATABASE_URL": f"sqlite:///{folder / 'd.db'}", "DIFFSYNC_ARXIV_URL": url,
                    "DIFFSYNC_ARXIV_DELAY": "0.01", "DIFFSYNC_ARXIV_BACKOFF": "0.01",
                    "DIFFSYNC_ARXIV_MAX_RETRIES": "2", "COLUMNS": "200"}

    def __call__(self, *args: str) -> tuple[int, str, str]:
        saved_env = {k: os.environ.get(k) for k in [*self.env, "DIFFSYNC_CONFIG"]}
        saved = (sys.argv, sys.stdin, os.getcwd())
        out, err = io.StringIO(), io.StringIO()
        os.environ.update(self.env)
        os.environ.pop("DIFFSYNC_CONFIG", None)  # the folder has no config.toml: defaults
        sys.argv, sys.stdin = ["diffsync", *args], io.StringIO("")
        os.chdir(self.folder)
        code = 0
        try:
            with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
                main()
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        finally:
            sys.argv, sys.stdin = saved[0], saved[1]
            os.chdir(saved[2])
            for k, v in saved_env.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
        return code, out.getvalue(), err.getvalue()


@contextlib.contextmanager
def world(data: bytes, papers: dict[str, PaperRecord]) -> Iterator[tuple[Cli, Path]]:
    with tempfile.TemporaryDirectory(prefix="diffsync-shapes-") as tmp, FakeArxiv(papers.values()) as fake:
        folder = Path(tmp)
        lst = folder / "list.md"
        lst.write_bytes(data)
        yield Cli(folder, fake.url), lst


def check(cli: Cli, lst: Path) -> tuple[int, list[dict], str]:
    code, out, err = cli("check", str(lst), "--json")
    findings = json.loads(out)["findings"] if code in (0, 1) and out.strip() else []
    return code, findings, err


# ---------------------------------------------------------------------------
# The measures
# ---------------------------------------------------------------------------


@dataclass
class ListResult:
    name: str
    entries: int = 0
    tracked: int = 0  # distinct arXiv IDs inside entries
    in_file: int = 0  # distinct arXiv IDs anywhere in the file
    own_findings: int | None = None  # on entries listed once; None: the check did not run (exit 3)
    own_total: int = 0  # with those on papers the list itself lists twice under two titles
    own_kinds: dict[str, int] = field(default_factory=dict)
    carries_authors: bool = False
    drifts: dict[str, bool | None] = field(default_factory=dict)  # retitle/author/link -> found
    title_fix_exact: bool | None = None
    hostile: str = "n/a"  # a title full of markup, accepted: "written" (and reads back), "refused", "BROKE"
    missing_linked: bool | None = None  # an entry's arXiv link removed: found, and linked back in its form
    readded: int = 0
    readd_tried: int = 0
    notes: list[str] = field(default_factory=list)

    def row(self) -> str:
        def yn(v: bool | None) -> str:
            return "n/a" if v is None else ("yes" if v else "NO")
        drifts = "/".join(yn(self.drifts.get(k)) for k in ("retitle", "author", "link"))
        own = "exit 3" if self.own_findings is None else f"{self.own_findings} ({self.own_total})"
        return (f"| {self.name} | {self.entries} | {self.tracked}/{self.in_file} | {own} | {drifts} | "
                f"{yn(self.title_fix_exact)} | {self.hostile} | {yn(self.missing_linked)} | {self.readded}/{self.readd_tried} |")


TABLE_HEAD = ("| list | entries | IDs in entries/in file | own-entries findings (all) | drifts found (retitle/author/link) "
              "| title fix byte-exact | hostile title | missing ID linked in form | re-added in shape |\n"
              "|---|---|---|---|---|---|---|---|---|")


def _kinds(findings: list[dict]) -> dict[str, int]:
    out: dict[str, int] = {}
    for f in findings:
        out[f["kind"]] = out.get(f["kind"], 0) + 1
    return out


def measure_own(data: bytes, result: ListResult) -> None:
    entries = parse_list(data).entries
    result.entries = len(entries)
    result.tracked = len({e.arxiv_id for e in entries if e.arxiv_id})
    result.in_file = len({m.group(1).decode().lower() for m in _FILE_ID.finditer(data)})
    result.carries_authors = any(e.authors for e in entries)
    with world(data, own_records(entries)) as (cli, lst):
        code, findings, err = check(cli, lst)
        if code not in (0, 1):
            result.notes.append(f"own check exit {code}: {err.strip().splitlines()[-1:] }")
            return
        singles = {e.line for e in single_entries(entries)}
        # A broken link's markup ("link") is the list's own defect, whatever arXiv says.
        result.own_findings = sum(1 for f in findings if f["line"] in singles and f["kind"] != "link")
        result.own_total = len(findings)
        result.own_kinds = _kinds(findings)


def _switch_link(data: bytes, e: Entry, other: str) -> bytes:
    """``data`` with every mention of ``e``'s ID inside ``e`` replaced by ``other``."""
    assert e.arxiv_id is not None
    piece = data[e.span.start:e.span.end].replace(e.arxiv_id.encode(), other.encode())
    return data[:e.span.start] + piece + data[e.span.end:]


def measure_drifts(data: bytes, result: ListResult) -> None:
    """Plant the three drifts on three different entries, check once, fix the retitle alone."""
    entries = parse_list(data).entries
    singles = single_entries(entries)
    if len(singles) < 4:
        result.notes.append(f"only {len(singles)} entries link an ID of their own: drifts not planted")
        return
    retitled, linked, target = singles[len(singles) // 3], singles[len(singles) // 2], singles[-1]
    authored = next((e for e in reversed(singles[: len(singles) // 2]) if e.authors and e is not retitled), None)
    papers = own_records(entries)
    assert retitled.arxiv_id and target.arxiv_id
    papers[retitled.arxiv_id] = replace(papers[retitled.arxiv_id], title=papers[retitled.arxiv_id].title + RETITLE)
    if authored is not None:
        rec = papers[authored.arxiv_id]  # type: ignore[index]
        extra = ((EXTRA_AUTHOR,) + rec.authors) if getattr(authored, "authors_et_al", False) \
            else rec.authors + (EXTRA_AUTHOR,)
        papers[authored.arxiv_id] = replace(rec, authors=extra)  # type: ignore[index]
    planted = _switch_link(data, linked, target.arxiv_id)
    with world(planted, papers) as (cli, lst):
        code, findings, err = check(cli, lst)
        if code not in (0, 1):
            result.notes.append(f"planted check exit {code}")
            return
        on = {(f["kind"], f["line"]) for f in findings}
        result.drifts["retitle"] = ("title", retitled.line) in on
        result.drifts["author"] = None if authored is None else ("authors", authored.line) in on
        result.drifts["link"] = any(f["line"] == linked.line and f["kind"] in ("wrong_id", "duplicate")
                                    for f in findings)
        title = next((f for f in findings if (f["kind"], f["line"]) == ("title", retitled.line)), None)
        if title is not None:
            result.title_fix_exact = _title_fix_exact(cli, lst, title["id"], retitled, result)


def _title_fix_exact(cli: Cli, lst: Path, finding_id: str, e: Entry, result: ListResult) -> bool:
    before = lst.read_bytes()
    if cli("accept", finding_id, str(lst))[0] != 0:
        return False
    code, _, err = cli("export", str(lst), "--write")
    if code != 0:
        result.notes.append(f"title fix export exit {code}: {err.strip()[-200:]}")
        return False
    after = lst.read_bytes()
    # Bytes outside the old title span are identical: same prefix, same suffix.
    head, tail = before[:e.title_span.start], before[e.title_span.end:]
    if not (after.startswith(head) and after.endswith(tail)) or len(after) < len(head) + len(tail):
        result.notes.append("title fix changed bytes outside the title")
        return False
    now = [x for x in parse_list(after).entries if x.arxiv_id == e.arxiv_id]
    ok = len(now) == 1 and now[0].title.endswith("and Beyond")
    ok = ok and len(parse_list(after).entries) == len(parse_list(before).entries)
    if not ok:
        result.notes.append("the fixed title does not read back")
    return ok


def measure_hostile(data: bytes, result: ListResult) -> None:
    """arXiv retitles one paper with markup of every shape; the fix, accepted, is written
    escaped and reads back as written, or is refused with the list untouched; never more."""
    entries = parse_list(data).entries
    singles = single_entries(entries)
    if len(singles) < 4:
        return
    e = singles[len(singles) // 4]
    papers = own_records(entries)
    papers[e.arxiv_id] = replace(papers[e.arxiv_id], title=papers[e.arxiv_id].title + HOSTILE)  # type: ignore[index]
    with world(data, papers) as (cli, lst):
        _, findings, _ = check(cli, lst)
        title = next((f for f in findings if (f["kind"], f["line"]) == ("title", e.line)), None)
        if title is None or cli("accept", title["id"], str(lst))[0] != 0:
            result.hostile = "not found"
            return
        code, _, _ = cli("export", str(lst), "--write")
        after = lst.read_bytes()
        head, tail = data[:e.title_span.start], data[e.title_span.end:]
        inside = after.startswith(head) and after.endswith(tail)
        now = parse_list(after).entries
        if code != 0:
            result.hostile = "refused" if after == data else "BROKE"
        elif inside and len(now) == len(entries) and [x.arxiv_id for x in now] == [x.arxiv_id for x in entries]:
            result.hostile = "written"
        else:
            result.hostile = "BROKE"


def _unlinked(data: bytes, e: Entry) -> bytes:
    """``data`` with ``e``'s arXiv link taken out (a title link keeps its title as text)."""
    link = next((ln for ln in e.links if e.arxiv_id_span and ln.span.start <= e.arxiv_id_span.start
                 and e.arxiv_id_span.end <= ln.span.end), None)
    if link is None:
        return data
    keep = data[e.title_span.start:e.title_span.end] if e.id_form == "title-link" else b""
    return data[:link.span.start] + keep + data[link.span.end:]


def measure_missing(data: bytes, result: ListResult) -> None:
    """One entry's arXiv link removed: the check finds the paper by its title, and the accepted
    fix links it again the way the entry linked it (same ID form), touching no other entry."""
    entries = parse_list(data).entries
    singles = [e for e in single_entries(entries) if e.id_form and len(e.title.split()) >= 5]
    if len(singles) < 3:
        return
    e = singles[len(singles) // 5]
    unlinked = _unlinked(data, e)
    result.missing_linked = False
    with world(unlinked, own_records(entries)) as (cli, lst):
        _, findings, _ = check(cli, lst)
        found = next((f for f in findings if f["kind"] == "missing_id" and f.get("suggestion") == e.arxiv_id), None)
        if found is None:
            result.notes.append(f"missing ID of line {e.line} not found by title")
            return
        if cli("accept", found["id"], str(lst))[0] != 0 or cli("export", str(lst), "--write")[0] != 0:
            result.notes.append(f"missing ID of line {e.line}: export refused")
            return
        after = lst.read_bytes()
        now = parse_list(after).entries
        mine = [x for x in now if x.arxiv_id == e.arxiv_id]
        same_rest = [x.arxiv_id for x in now if x.line != (mine[0].line if mine else 0)] == \
            [x.arxiv_id for x in parse_list(unlinked).entries if x.line != e.line]
        result.missing_linked = len(mine) == 1 and mine[0].id_form == e.id_form and same_rest
        if not result.missing_linked:
            result.notes.append(f"missing ID of line {e.line}: linked as {mine[0].id_form if mine else None}, "
                                f"the list's entry was {e.id_form}")


# ---------------------------------------------------------------------------
# Removed entries, brought back through ``add``
# ---------------------------------------------------------------------------


_BULLET = re.compile(rb"^[ \t]*(?:[-*+]|\d+[.)])[ \t]")


def unit_kind(line: bytes) -> tuple[str, int]:
    """What kind of unit a first line opens, read from bytes alone (not by the parser):
    ("row", column count), ("heading", level), ("item", indentation) or ("paragraph", 0)."""
    stripped = line.lstrip(b" \t")
    if stripped.startswith(b"|"):
        return "row", len(re.findall(rb"(?<!\\)\|", line.rstrip(b"\r\n \t"))) - 1
    if stripped.startswith(b"<tr"):
        return "row", line.count(b"<td")
    if stripped.startswith(b"#"):
        return "heading", len(stripped) - len(stripped.lstrip(b"#"))
    if _BULLET.match(line):
        return "item", len(line) - len(stripped)
    return "paragraph", 0


def _first_line(data: bytes, e: Entry) -> bytes:
    end = data.find(b"\n", e.span.start)
    return data[e.span.start: end if end != -1 else len(data)]


def _remove(data: bytes, gone: list[Entry]) -> bytes:
    for e in sorted(gone, key=lambda e: e.span.start, reverse=True):
        data = data[:e.span.start] + data[e.span.end:]
    return data


def _heading_of(parsed: ParsedList, e: Entry) -> tuple[list[Heading], Heading | None]:
    """The headings named as ``e``'s section, and the one ``e`` is under."""
    named = [h for h in parsed.headings if h.text == e.section]
    above = [h for h in named if h.line < e.line] or named
    return named, above[-1] if above else None


def _under(parsed: ParsedList, e: Entry) -> str:
    """``--under`` for the heading ``e`` was under: its text, with its parents where the text repeats."""
    named, heading = _heading_of(parsed, e)
    if len(named) <= 1 or heading is None:
        return e.section or ""
    return heading_path(parsed, heading)


def _addressable(parsed: ParsedList, e: Entry) -> bool:
    under = _under(parsed, e)
    named = [h for h in parsed.headings if h.text == e.section]
    return len(named) <= 1 or sum(1 for h in named if heading_path(parsed, h) == under) == 1


def _addressable_entries(parsed: ParsedList, entries: list[Entry]) -> list[Entry]:
    """The entries ``--under`` can name, worked out once per heading (the heading paths of a
    long list with many headings are slow to build for each entry)."""
    by_heading: dict[tuple[str | None, int | None], bool] = {}
    out = []
    for e in entries:
        _, heading = _heading_of(parsed, e)
        key = (e.section, heading.line if heading is not None else None)
        if key not in by_heading:
            by_heading[key] = _addressable(parsed, e)
        if by_heading[key]:
            out.append(e)
    return out


def measure_readd(data: bytes, result: ListResult, n: int = 3) -> None:
    parsed = parse_list(data)
    entries = parsed.entries
    # entries under a heading ``--under`` can name (some lists repeat "2024:" under one parent), in a
    # section that keeps other papers of their shape to learn from (not a lone news line)
    alike = Counter((e.section, e.shape) for e in entries if e.arxiv_id)
    gone = spread([e for e in _addressable_entries(parsed, single_entries(entries))
                   if e.section and alike[(e.section, e.shape)] >= 3], n)
    result.readd_tried = n
    if len(gone) < n:
        result.notes.append(f"only {len(gone)} entries to remove")
        return
    kinds = {e.arxiv_id: unit_kind(_first_line(data, e)) for e in gone}
    removed = _remove(data, gone)
    papers = own_records(entries)
    with world(removed, papers) as (cli, lst):
        for e in gone:
            assert e.arxiv_id is not None
            code, _, err = cli("add", e.arxiv_id, "--under", _under(parse_list(lst.read_bytes()), e),
                               "--list", str(lst), "--write")
            if code != 0:
                result.notes.append(f"add {e.arxiv_id} exit {code}: {err.strip()[-160:]}")
                continue
            after = lst.read_bytes()
            mine = [x for x in parse_list(after).entries if x.arxiv_id == e.arxiv_id]
            if len(mine) != 1 or " ".join(mine[0].title.split()) != papers[e.arxiv_id].title:
                result.notes.append(f"add {e.arxiv_id}: does not read back as one entry with its title")
                continue
            got = unit_kind(_first_line(after, mine[0]))
            if got != kinds[e.arxiv_id] or getattr(mine[0], "shape", "paragraph") != getattr(e, "shape", "paragraph"):
                result.notes.append(f"add {e.arxiv_id}: wrote a {got}, the list's entry was a {kinds[e.arxiv_id]}")
                continue
            result.readded += 1


def measure(path: Path) -> ListResult:
    data = path.read_bytes()
    result = ListResult(path.name.removesuffix(".md"))
    measure_own(data, result)
    if result.own_findings is not None:
        measure_drifts(data, result)
        measure_hostile(data, result)
        measure_missing(data, result)
        measure_readd(data, result)
    return result
