"""New entries: arXiv records written into a list in that list's own style.

``style`` learns how the list writes an entry, ``render`` writes one,
``place`` finds where it goes; ``plan_additions`` here puts them together
and reads the result back before anyone may write it, like export does.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Mapping, Sequence

from ..drift.venues import Venue
from ..errors import DiffsyncError, UsageError
from ..listfile.parse import parse_list
from ..models import ParsedList, PaperRecord
from ..textnorm import title_key
from ..writeback.edits import encode_text, file_encoding
from .place import find_section, insertion, style_groups
from .render import render_entry
from .shaped import plan_shaped, section_shape
from .style import learn_style


class UnsafeAdditionError(DiffsyncError):
    """The list with the new entries does not read back as planned: nothing is written."""


@dataclass(frozen=True)
class Added:
    arxiv_id: str
    title: str
    line: int  # the new entry's title line in the new list
    section: str | None


@dataclass(frozen=True)
class AddPlan:
    old: bytes
    new: bytes
    added: tuple[Added, ...]


def already_listed(parsed: ParsedList, arxiv_id: str, title: str | None = None) -> str | None:
    """Why the paper is already in the list (naming the line), or None: an entry links
    ``arxiv_id``, or (given ``title``) an entry without a link has that title."""
    for e in parsed.entries:
        if e.arxiv_id == arxiv_id:
            return f"arXiv {arxiv_id} is already in the list, at line {e.line}"
    if title is None:
        return None
    key = title_key(title)
    for e in parsed.entries:
        if e.arxiv_id is None and title_key(e.title) == key:
            return (f"arXiv {arxiv_id} is already in the list at line {e.line}, without an arXiv "
                    "link (diffsync check offers the link as a missing_id fix)")
    return None


def plan_additions(data: bytes, parsed: ParsedList, records: Sequence[PaperRecord], *,
                   under: str | None, today: date, summary: str | None = None,
                   venues: Mapping[str, Venue] | None = None) -> AddPlan:
    """``data`` with one new entry per record, each in its section's style and place;
    ``venues``: the venue sources' confirmed venue by arXiv ID, written where arXiv names none."""
    for record in records:
        why = already_listed(parsed, record.arxiv_id, record.title)
        if why:
            raise UsageError(why)
    enc = file_encoding(data)
    new, now = data, parsed
    for record in records:
        section = find_section(new, now, under, today)
        groups = style_groups(now, section)
        shape = section_shape(groups)
        if shape != "paragraph":  # an item, a row or a heading block, written like the section's
            shaped = plan_shaped(new, now, section, groups, record, shape)
            new = new[:shaped.at] + encode_text(shaped.text, enc) + new[shaped.at:]
            now = parse_list(new, parsed.path)
            continue
        style = learn_style(new, groups, now.newline)
        text = render_entry(style, record, now.newline, summary, (venues or {}).get(record.arxiv_id))
        where = insertion(new, now, section, record.published.date(), style.order, style.separator)
        piece = encode_text(where.before + text + where.after, enc)
        new = new[:where.at] + piece + new[where.at:]
        now = parse_list(new, parsed.path)
    added = _read_back(parsed, now, records)
    return AddPlan(data, new, added)


def _same_date(written: date | None, published: date) -> bool:
    """The date written reads back as the v1 date, to the precision the list writes
    ("Oct 2023" and "2023" read as the 1st of that month or year)."""
    if written is None or written == published:
        return written is not None
    return written.year == published.year and written.day == 1 and written.month in (1, published.month)


def _read_back(old: ParsedList, new: ParsedList, records: Sequence[PaperRecord]) -> tuple[Added, ...]:
    """Every old entry still there in order, and each record now one entry of its own."""
    ids = {r.arxiv_id for r in records}
    kept = [e for e in new.entries if e.arxiv_id not in ids]
    if [(e.key, e.authors, e.date) for e in kept] != [(e.key, e.authors, e.date) for e in old.entries]:
        raise UnsafeAdditionError("the new entry would change how the list's other entries read; "
                                  "nothing was written (a summary starting with ** or # can do that)")
    out = []
    for record in records:
        mine = [e for e in new.entries if e.arxiv_id == record.arxiv_id]
        if len(mine) != 1 or title_key(mine[0].title) != title_key(record.title) \
                or mine[0].date_span is not None and not _same_date(mine[0].date, record.published.date()):
            raise UnsafeAdditionError(f"arXiv {record.arxiv_id}: the written entry does not read back as "
                                      "that paper; nothing was written")
        if mine[0].authors_span is not None and not mine[0].authors_et_al \
                and len(mine[0].authors) != len(record.authors):
            # e.g. a name with a "," or ";" in it would read as two people
            raise UnsafeAdditionError(f"arXiv {record.arxiv_id}: its {len(record.authors)} authors would read "
                                      f"back as {len(mine[0].authors)}; nothing was written")
        out.append(Added(record.arxiv_id, record.title, mine[0].line, mine[0].section))
    return tuple(out)
