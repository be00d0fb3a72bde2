"""Accepted findings -> byte edits: one fixer per fixable kind, and the export's plan.

New text is written in the entry's own style (separators, ``<sup>`` marks,
date format, link labels) and in the file's encoding and newline style.

Fixable kinds: title, authors, date, wrong_id (when a replacement ID is
known), missing_id, link and venue (when the entry's venue text is a
placeholder: see drift.venues.venue_fix).  The others (not_found,
withdrawn, new_version, duplicate) need a person and are review-only.
"""

from __future__ import annotations

import bisect
import datetime
import re
from dataclasses import dataclass, replace
from typing import Mapping, Sequence

from ..listfile.authorstyle import join_authors_like
from ..drift.fields import listed_value
from ..drift.venues import arxiv_venue, venue_fix
from ..venuenames import is_source_value
from ..listfile.dates import format_date_like
from ..arxivid import abs_url
from ..models import Entry, Finding, Kind, ParsedList, PaperRecord, Span
from .edits import Edit, ExportPlan, Skipped, encode_text, file_encoding, resolve_overlaps
from .owner import EntryIndex
from . import shapes


@dataclass(frozen=True)
class TextForm:
    """How the list writes text: its encoding, and its newline (``ParsedList.newline``)."""

    encoding: str
    newline: bytes

    def encode(self, text: str) -> bytes:
        return encode_text(text, self.encoding)


def _decode(raw: bytes) -> str:
    return raw.decode("utf-8", errors="surrogateescape")


def _line_bounds(data: bytes, offset: int) -> tuple[int, int, int]:
    """(start, end of content, end incl. newline) of the line holding ``offset``."""
    # A line ends at LF, CRLF or a lone CR (the list parser reads all three).
    start = max(data.rfind(b"\n", 0, offset), data.rfind(b"\r", 0, offset)) + 1
    m = _LINE_END.search(data, offset)
    if m is None:
        return start, len(data), len(data)
    return start, m.start(), m.end()


class _Cannot(Exception):
    """This finding cannot be applied to this entry; the message says why."""


class _ReviewOnly(_Cannot):
    """On this entry the finding needs a person: accepting it marks it handled, like a
    review-only kind, so export lists it as such instead of warning on every run."""


def _still_listed(e: Entry, f: Finding) -> str | None:
    """Why the entry no longer holds the value the finding saw; None when it does."""
    if f.kind is Kind.WRONG_ID and f.arxiv_id and e.arxiv_id != f.arxiv_id:
        return f"the entry now links {e.arxiv_id or 'no arXiv ID'}, not {f.arxiv_id}"
    if f.listed is None:
        return None
    now = listed_value(f.kind, e)
    if now is not None and now != f.listed:
        return f"the entry now has \"{now}\", not \"{f.listed}\" as checked; run diffsync check"
    return None


def _fix_title(data: bytes, e: Entry, f: Finding, rec: PaperRecord | None, form: TextForm) -> list[Edit]:
    new_title = shapes.title_text(data, e, f.suggestion or (rec.title if rec else None) or "")
    if not new_title:
        raise _Cannot("no replacement title")
    return [_replace_text(data, e.title_span, new_title, f, form)]


def _fix_authors(data: bytes, e: Entry, f: Finding, rec: PaperRecord | None, form: TextForm) -> list[Edit]:
    if e.authors_span is None:
        raise _Cannot("the entry has no author line")
    old_text = _decode(data[e.authors_span.start:e.authors_span.end])
    if rec is not None and rec.authors:
        new_text = join_authors_like(old_text, rec.authors)
    elif f.suggestion:
        new_text = f.suggestion
    else:
        raise _Cannot("no replacement author list")
    if e.shape == "row":  # a "|" in a name would end the cell
        new_text = new_text.replace("|", "\\|")
    return [_replace_text(data, e.authors_span, new_text, f, form)]


def _fix_date(data: bytes, e: Entry, f: Finding, rec: PaperRecord | None, form: TextForm) -> list[Edit]:
    if e.date_span is None:
        raise _Cannot("the entry has no date to correct")
    try:
        new_date = datetime.date.fromisoformat(f.suggestion) if f.suggestion else None
    except ValueError:
        new_date = None
    if new_date is None and rec is not None:
        new_date = rec.published.date()
    if new_date is None:
        raise _Cannot(f"no replacement date (suggestion {f.suggestion!r})")
    old_text = _decode(data[e.date_span.start:e.date_span.end])
    written = shapes.date_like(old_text, new_date) if e.shape != "paragraph" else format_date_like(old_text, new_date)
    return [_edit(data, e.date_span, form.encode(written), f)]


def _fix_wrong_id(data: bytes, e: Entry, f: Finding, rec: PaperRecord | None, form: TextForm) -> list[Edit]:
    if not f.suggestion:
        raise _Cannot("no confirmed replacement ID; fix it by hand")
    if e.arxiv_id_span is None:
        raise _Cannot("the entry's arXiv ID is not in a link")
    # The stale "vN" goes too: it was a version of the other paper.
    if e.shape != "paragraph":  # every mention: a badge shows the ID its link goes to
        return [_edit(data, at, form.encode(f.suggestion), f) for at in shapes.id_mentions(data, e)]
    return [_edit(data, e.arxiv_id_span, form.encode(f.suggestion), f)]


def _fix_missing_id(data: bytes, e: Entry, f: Finding, rec: PaperRecord | None, form: TextForm) -> list[Edit]:
    if not f.suggestion:
        raise _Cannot("no confirmed arXiv ID to add")
    if e.arxiv_id == f.suggestion:
        return []  # already linked
    if e.arxiv_id is not None:
        raise _Cannot(f"the entry now links arXiv {e.arxiv_id}")
    url = abs_url(f.suggestion)
    paper_link = next((ln for ln in e.links if ln.label.strip().lower() == "paper"), None)
    if paper_link is not None:
        # "Paper" already points at a venue page: add arXiv beside it, labelled as such.
        return [_insert(data, paper_link.span.end, form.encode(f" [[arXiv]({url})]"), f)]
    link = f"[[Paper]({url})]"
    if e.links:
        return [_insert(data, e.links[0].span.start, form.encode(link + " "), f)]
    if e.venue_span is not None:
        return [_insert(data, e.venue_span.end, form.encode(" " + link), f)]
    return _new_link_line(data, e, f, link, form)


def _link_like_the_list(data: bytes, parsed: ParsedList, e: Entry, f: Finding, form: TextForm) -> list[Edit]:
    """A missing ID in a list of another shape: written as the nearest entry writes its ID."""
    assert f.suggestion is not None
    try:
        made = shapes.link_new_id(data, parsed, e, f.suggestion, form.newline.decode())
    except shapes.CannotLink as exc:
        raise _Cannot(str(exc)) from None
    return [_edit(data, span, form.encode(text), f) for span, text in made]


def _new_link_line(data: bytes, e: Entry, f: Finding, link: str, form: TextForm) -> list[Edit]:
    """A links line of its own after the author (else title) line, continued like that line."""
    anchor = e.authors_span or e.title_span
    start, content_end, line_end = _line_bounds(data, anchor.end)
    content = data[start:content_end]
    own_newline = data[content_end:line_end]
    newline = own_newline or form.newline
    indent = content[: len(content) - len(content.lstrip(b" \t"))]
    body = content.rstrip(b" \t")
    link_bytes = form.encode(link)
    if body.endswith(b"\\"):
        # A continued line ("\\" or " \\"): the new line continues the same way.
        cont = content[len(body[:-1].rstrip(b" \t")):]
        if own_newline:
            return [_insert(data, line_end, indent + link_bytes + cont + newline, f)]
        return [_insert(data, line_end, newline + indent + link_bytes, f)]
    # The anchor line ended the entry: give it a hard break so the link renders below it.
    return [_insert(data, content_end, b" \\" + newline + indent + link_bytes, f)]


_LINE_END = re.compile(rb"\r\n|\r|\n")


_LINK_TEXT = re.compile(r"^\[\[(?P<label>[^\]]*)\]\s*\(\s*(?P<url>[^)\s]*)\s*\)\]$")


def _fix_link(data: bytes, e: Entry, f: Finding, rec: PaperRecord | None, form: TextForm) -> list[Edit]:
    candidates = [ln for ln in e.links if f.listed and _decode(data[ln.span.start:ln.span.end]) == f.listed]
    candidates = candidates or [ln for ln in e.links if f.listed and ln.url.strip() == f.listed.strip()
                                and (ln.broken or f.suggestion)]
    candidates = candidates or [ln for ln in e.links if ln.broken]
    candidates = candidates or [ln for ln in e.links
                                if e.arxiv_id_span and ln.span.start <= e.arxiv_id_span.start < ln.span.end]
    if not candidates:
        if f.suggestion and any(_decode(data[ln.span.start:ln.span.end]) == f.suggestion for ln in e.links):
            return []  # already repaired
        raise _Cannot("no broken arXiv link in the entry")
    link = candidates[0]
    new = f.suggestion
    if not new:
        m = _LINK_TEXT.match(_decode(data[link.span.start:link.span.end]))
        label = m.group("label").strip() if m else (link.label or "Paper")
        new = f"[[{label}]({abs_url(e.arxiv_id) if e.arxiv_id else link.url.strip()})]"
    return [_edit(data, link.span, form.encode(new), f)]


def _fix_venue(data: bytes, e: Entry, f: Finding, rec: PaperRecord | None, form: TextForm) -> list[Edit]:
    if e.venue_span is None:
        raise _Cannot("the entry has no venue text to rewrite")
    if is_source_value(f.arxiv):
        # A venue the venue sources confirmed: the check decided the text on the entry's venue
        # as it was then, so it holds only while that text is unchanged.
        if not f.suggestion:
            raise _ReviewOnly("review by hand: " + f.message.rpartition("review by hand: ")[2])
        if (e.venue or "").strip() != (f.listed or ""):
            raise _Cannot("the entry's venue text changed since the check; run diffsync check")
        return [_replace_text(data, e.venue_span, shapes.field_text(data, e, f.suggestion), f, form)]
    venue = arxiv_venue(rec.journal_ref, rec.comment) if rec is not None else None
    if venue is None:
        raise _Cannot("arXiv's record no longer names a venue; run diffsync check")
    # Decided again on the entry as it is now: a finding stored before venues were
    # fixable may carry a suggestion for venue text that is the maintainer's own.
    new_text, why_not = venue_fix(e.venue, venue)
    if new_text is None:
        raise _ReviewOnly(f"review by hand: {why_not}")
    return [_replace_text(data, e.venue_span, shapes.field_text(data, e, new_text), f, form)]


_FIXERS = {
    Kind.TITLE: _fix_title,
    Kind.AUTHORS: _fix_authors,
    Kind.DATE: _fix_date,
    Kind.WRONG_ID: _fix_wrong_id,
    Kind.MISSING_ID: _fix_missing_id,
    Kind.LINK: _fix_link,
    Kind.VENUE: _fix_venue,
}


def _edit(data: bytes, span: Span, new: bytes, f: Finding) -> Edit:
    # ``line`` is filled in by plan_export, which knows where every line starts.
    return Edit(span=span, old=data[span.start:span.end], new=new, finding_id=f.id, line=0)


def _replace_text(data: bytes, span: Span, text: str, f: Finding, form: TextForm) -> Edit:
    """Replace a field's text, keeping any whitespace the field was written with around it."""
    old = _decode(data[span.start:span.end])
    lead = old[: len(old) - len(old.lstrip())]
    trail = old[len(old.rstrip()):]
    return _edit(data, span, form.encode(lead + text + trail), f)


def _insert(data: bytes, at: int, new: bytes, f: Finding) -> Edit:
    return _edit(data, Span(at, at), new, f)


def _plan_one(data: bytes, owners: EntryIndex, f: Finding, records: Mapping[str, PaperRecord],
              form: TextForm) -> list[Edit] | Skipped:
    """The edits of one fixable finding on its own entry, or why there are none."""
    e = owners.own_entry(f)
    if e is None:
        return Skipped(f.id, f.kind, f.line, "the entry is no longer in the list")
    moved = _still_listed(e, f)
    if moved is not None:
        return Skipped(f.id, f.kind, e.line, moved)
    rec = records.get(f.suggestion if f.kind is Kind.WRONG_ID and f.suggestion else f.arxiv_id or "")
    try:
        if f.kind is Kind.MISSING_ID and e.shape != "paragraph" and f.suggestion and e.arxiv_id is None:
            return _link_like_the_list(data, owners.parsed, e, f, form)
        return [x for x in _FIXERS[f.kind](data, e, f, rec, form) if x.old != x.new]
    except _Cannot as exc:
        return Skipped(f.id, f.kind, e.line, str(exc), review_only=isinstance(exc, _ReviewOnly))


def record_ids(findings: Sequence[Finding]) -> list[str]:
    """The arXiv records planning these findings' fixes reads: each finding's paper, and
    the paper a wrong ID is to be replaced by."""
    wanted = {f.arxiv_id for f in findings if f.arxiv_id}
    wanted |= {f.suggestion for f in findings if f.suggestion and f.kind is Kind.WRONG_ID}
    return sorted(wanted)


def planned_edits(data: bytes, parsed: ParsedList, findings: Sequence[Finding],
                  records: Mapping[str, PaperRecord] | None = None) -> dict[str, list[Edit]]:
    """The edits export would make for each fixable finding, were it accepted alone.

    The one source of what review, findings, check and the daemon report show
    as "fix" (``writeback.fixes``): the same planning as ``plan_export``.
    """
    form = TextForm(file_encoding(data), parsed.newline.encode())
    owners = EntryIndex(parsed)
    planned: dict[str, list[Edit]] = {}
    for f in findings:
        if f.kind in _FIXERS:
            made = _plan_one(data, owners, f, records or {}, form)
            if isinstance(made, list) and made:
                planned[f.id] = made
    return planned


def plan_export(
    data: bytes,
    parsed: ParsedList,
    accepted: Sequence[Finding],
    records: Mapping[str, PaperRecord] | None = None,
) -> ExportPlan:
    """The edits that apply ``accepted`` to ``data``, and the findings that cannot be applied."""
    records = records or {}
    form = TextForm(file_encoding(data), parsed.newline.encode())
    owners = EntryIndex(parsed)
    edits: list[Edit] = []
    skipped: list[Skipped] = []
    unchanged: list[str] = []
    review_only: list[str] = []
    for f in sorted(accepted, key=lambda f: (f.line, f.kind.value, f.id)):
        if f.kind not in _FIXERS:
            review_only.append(f.id)
            continue
        made = _plan_one(data, owners, f, records, form)
        if isinstance(made, Skipped) and made.review_only:
            review_only.append(f.id)
        elif isinstance(made, Skipped):
            skipped.append(made)
        elif made:
            edits.extend(made)
        else:
            unchanged.append(f.id)
    newlines = [m.start() for m in _LINE_END.finditer(data)]
    edits = [replace(e, line=bisect.bisect_left(newlines, e.span.start) + 1) for e in edits]
    final, conflicts = resolve_overlaps(edits)
    for edit, other in conflicts:
        first = edit.finding_id.split("+")[0]
        f = next(x for x in accepted if x.id == first)
        skipped.append(Skipped(f.id, f.kind, edit.line, f"overlaps the fix of finding {other}"))
    applied = tuple(dict.fromkeys(i for e in final for i in e.finding_id.split("+")))
    return ExportPlan(edits=tuple(final), skipped=tuple(skipped), applied=applied,
                      unchanged=tuple(i for i in unchanged if i not in applied),
                      review_only=tuple(review_only))
