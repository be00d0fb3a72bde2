"""The rewritten list, read back before it is written: arXiv text must not change its structure.

Export re-parses the new bytes and refuses to write (exit 3, the list
untouched) unless every entry still parses, in the same order, as the same
unit (shape, a row's cell count, the markup around its title), with the
same arXiv ID (or the one its accepted fix gives it) and, where a fix was
applied, with exactly the value that fix wrote; every other field of every
entry must read as before.
"""

from __future__ import annotations

from typing import Mapping, Sequence

import re

from ..arxivid import from_url
from ..drift.authors import same_person
from ..errors import DiffsyncError
from ..listfile.parse import parse_list
from ..models import KINDS, Entry, Finding, Kind, ParsedList, PaperRecord
from ..textnorm import collapse
from .edits import ExportPlan
from .owner import EntryIndex


_URL_IN_LINK = re.compile(r"\(\s*([^()\s]+)\s*\)")


class UnsafeRewriteError(DiffsyncError):
    """The fixes would change the list's structure; nothing is written."""


def _new_id(f: Finding) -> str | None:
    if KINDS[f.kind].fix_is_id:
        return f.suggestion
    m = _URL_IN_LINK.search(f.suggestion or "")
    found = from_url(m.group(1)) if m else None
    return found.id if found else None


def _written_by(plan: ExportPlan) -> dict[str, str]:
    """The text each applied finding's (first) edit writes, by finding id: one pass, not one per fix."""
    written: dict[str, str] = {}
    for e in plan.edits:
        for fid in e.finding_id.split("+"):
            written.setdefault(fid, e.new.decode("utf-8", "surrogateescape"))
    return written


def check_rewrite(parsed: ParsedList, new: bytes, plan: ExportPlan, accepted: Sequence[Finding],
                  records: Mapping[str, PaperRecord]) -> None:
    """Raise ``UnsafeRewriteError`` unless ``new`` reads as ``parsed`` with exactly the planned fixes."""
    after = parse_list(new, parsed.path)
    if len(after.entries) != len(parsed.entries):
        raise UnsafeRewriteError(
            f"{parsed.path}: the fixes would turn {len(parsed.entries)} entries into "
            f"{len(after.entries)}; nothing written (arXiv text would change the list's structure)")
    applied = set(plan.applied)
    owners = EntryIndex(parsed)
    fixes: dict[int, list[Finding]] = {}
    for f in accepted:
        if f.id in applied:
            e = owners.own_entry(f)
            if e is not None:
                fixes.setdefault(e.line, []).append(f)
    written = _written_by(plan)
    for old, now in zip(parsed.entries, after.entries):
        problem = _entry_problem(old, now, fixes.get(old.line, []), written, records)
        if problem:
            raise UnsafeRewriteError(f"{parsed.path}: line {old.line}: {problem}; nothing written "
                                     "(arXiv text would change the entry's structure)")


def _unit_problem(old: Entry, now: Entry, kinds: Mapping[Kind, Finding]) -> str | None:
    """Why ``now`` is no longer the same unit as ``old`` (another shape, a cell more), or None."""
    if now.shape != old.shape:
        return f"the entry would read as a {now.shape}, not a {old.shape}"
    if len(now.cells) != len(old.cells):
        return f"the row would have {len(now.cells)} cells, not {len(old.cells)}"
    # a missing ID may make the title its link (a list of title links); nothing else may
    if now.title_context != old.title_context and not (
            Kind.MISSING_ID in kinds and [c for c in now.title_context if c != "link"] == list(old.title_context)):
        return "the title's markup would change"
    return None


def _entry_problem(old: Entry, now: Entry, fixes: list[Finding], written_by: Mapping[str, str],
                   records: Mapping[str, PaperRecord]) -> str | None:
    kinds = {f.kind: f for f in fixes}
    unit = _unit_problem(old, now, kinds)
    if unit:
        return unit
    want_id = old.arxiv_id
    for f in fixes:
        if (KINDS[f.kind].fix_is_id or f.kind is Kind.LINK) and _new_id(f):
            want_id = _new_id(f)
    if now.arxiv_id != want_id and not (Kind.LINK in kinds and now.arxiv_id == old.arxiv_id):
        return f"would link {now.arxiv_id or 'no arXiv ID'} instead of {want_id or 'none'}"
    title = kinds.get(Kind.TITLE)
    if title is None and now.title != old.title:
        return "the title would change"
    if title is not None:
        written = written_by.get(title.id)
        if written is None or collapse(now.title) != collapse(written):
            return "the new title would not read back as written"
    authors = kinds.get(Kind.AUTHORS)
    if authors is None and now.authors != old.authors:
        return "the authors would change"
    if authors is not None:
        written = written_by.get(authors.id)
        if written is None or collapse(now.authors_text or "") != collapse(written):
            return "the new author line would not read back as written"
        rec = records.get(authors.arxiv_id or "")
        if rec is not None:
            names = rec.authors[:len(now.authors)]
            if len(now.authors) > len(rec.authors) or not all(map(same_person, now.authors, names)):
                return "the new author line would not read back as arXiv's names"
    if Kind.DATE not in kinds and now.date != old.date:
        return "the date would change"
    if Kind.DATE in kinds and now.date is None:
        return "the new date would not read back"
    return None
