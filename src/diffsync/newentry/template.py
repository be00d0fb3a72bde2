"""A new entry in a section whose entries are list items, table rows or headings.

The section's entries are the template.  Each is read as a sequence of
fields (title, authors, venue, date, the arXiv link or URL) with the text
between them; the most common field sequence wins, and the text between two
fields is what the entries of that sequence share: all of it where they
agree ("- Paper: ", ", "), else only their common start and end, cut back to
balanced markup, so one paper's own words (a model name ``**[LLaRP]**``, a
number, an abstract) are never copied into another's entry.  Links other
than the arXiv one (code, project pages) belong to their paper and are left
out.  A field the template has no value for is left out with the text that
leads to it; nothing is invented.  A label naming a venue or a year
(``[[CVPR 2025](…)]``) becomes "arXiv".

A table row is written from the nearest row of the section, cell by cell:
the cells holding fields get the new paper's, every other cell is left
empty (or holds the list's own empty mark, such as ``:heavy_minus_sign:``).
"""

from __future__ import annotations

import os
import re
from collections import Counter
from dataclasses import dataclass
from typing import Sequence

from ..drift.venues import arxiv_venue, is_placeholder
from ..listfile.authorstyle import join_authors_like
from ..listfile.dates import parse_date
from ..models import Entry, PaperRecord, Span
from ..writeback.shapes import date_like, is_html_row, safe_text, swap_id, undated_label

_NUMBERED = re.compile(r"^([ \t]*(?:#{1,6}[ \t]+)?)(\d+)([.)][ \t]+)")  # "3. ", "### 12. "
_EMPTY_MARK = re.compile(r"^(?::heavy_minus_sign:|-|—|–|n/?a)$", re.IGNORECASE)
# An abstract's block and the blank lines after it (those before it stay, once).
_DETAILS = re.compile(r"[ \t]*<details[\s\S]*?</details>[ \t]*(?:\r\n|\r|\n)?(?:[ \t]*(?:\r\n|\r|\n))*",
                      re.IGNORECASE)
_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
_MONTH_OR_NUMERIC = re.compile(r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?,?\s+(?:19|20)\d\d"
                               r"|(?:19|20)\d\d[-/.]\d\d", re.IGNORECASE)
_LINE_BREAK = re.compile(r"[\r\n]")
_LEADS_TO = " \t([{,;:-–—/|·"
_PREPRINT = re.compile(r"^\W*(?:arxiv|preprint)\b", re.IGNORECASE)  # "arXiv, Oct 2023", "Arxiv"


@dataclass(frozen=True)
class _Token:
    kind: str  # T title, A authors, V venue, D date, U arXiv URL, X arXiv link (whole)
    span: Span


def _text(data: bytes, a: int, b: int) -> str:
    return data[a:b].decode("utf-8", "surrogateescape")


def _arxiv_link(e: Entry):
    at = e.arxiv_id_span
    if at is None:
        return None
    return next((ln for ln in e.links if ln.span.start <= at.start and at.end <= ln.span.end), None)


def _bare_url(data: bytes, e: Entry) -> Span | None:
    at = e.arxiv_id_span
    if at is None:
        return None
    m = None
    for m in re.finditer(rb"https?://\S+", data[max(e.span.start, at.start - 60):at.end + 30]):
        start = max(e.span.start, at.start - 60) + m.start()
        if start <= at.start and at.end <= start + len(m.group()):
            return Span(start, start + len(m.group().rstrip(b".,;)>")))
    return None


def tokens(data: bytes, e: Entry) -> list[_Token]:
    """The fields of ``e`` in file order, none overlapping (the first-listed kind wins)."""
    link = _arxiv_link(e)
    found: list[_Token] = [_Token("T", e.title_span)]
    if link is not None and e.id_form == "title-link":
        found.append(_Token("U", link.url_span))
    elif link is not None:
        found.append(_Token("X", link.span))
    elif e.arxiv_id_span is not None:
        url = _bare_url(data, e)
        found.append(_Token("U", url) if url else _Token("X", e.arxiv_id_span))
    if e.authors_span is not None:
        found.append(_Token("A", e.authors_span))
    if e.venue_span is not None and not e.venue_in_heading:
        found.append(_Token("V", e.venue_span))
    if e.date_span is not None:
        found.append(_Token("D", e.date_span))
    kept: list[_Token] = []
    for t in found:
        if t.span.end > t.span.start and not any(t.span.start < k.span.end and k.span.start < t.span.end
                                                 for k in kept):
            kept.append(t)
    return sorted(kept, key=lambda t: t.span.start)


def _other_links(e: Entry, keep: list[_Token]) -> list[Span]:
    """Links of ``e`` that are not a field's (code, project page): left out of a template."""
    return [ln.span for ln in e.links
            if not any(ln.span.start <= t.span.start and t.span.end <= ln.span.end
                       or t.span.start <= ln.span.start and ln.span.end <= t.span.end for t in keep)]


_LABEL_ONLY = re.compile(r"[ \t]*(?:[-*+][ \t]+)?[^\s\[\]()]{0,20}:?[ \t]*")


def _without(data: bytes, gone: list[Span], a: int, b: int) -> str:
    """data[a:b] as text with the ``gone`` links cut out, each with the separator before it,
    or with its whole line where the line is only a label for it ("- Code: URL")."""
    out, pos = [], a
    for s in sorted(gone, key=lambda s: s.start):
        if not (a <= s.start and s.end <= b) or s.start < pos:
            continue
        start = max(data.rfind(b"\n", 0, s.start), data.rfind(b"\r", 0, s.start)) + 1
        m = re.compile(rb"\r\n|\r|\n").search(data, s.end)
        end, after = (m.start(), m.end()) if m else (len(data), len(data))
        if start >= pos and _LABEL_ONLY.fullmatch(_text(data, start, s.start)) and not data[s.end:end].strip() \
                and after <= b:
            out.append(_text(data, pos, start))
            pos = after
            continue
        piece = _text(data, pos, s.start)
        out.append(re.sub(r"[ \t]*(?:[|,·/]|<br\s*/?>)?[ \t]*$", "", piece))
        pos = s.end
    out.append(_text(data, pos, b))
    return "".join(out)


def literals(data: bytes, e: Entry, toks: list[_Token]) -> list[str]:
    """The text before, between and after ``toks`` in ``e``, other links cut out."""
    gone = _other_links(e, toks)
    bounds = [e.span.start] + [x for t in toks for x in (t.span.start, t.span.end)] + [e.span.end]
    return [_without(data, gone, bounds[i], bounds[i + 1]) for i in range(0, len(bounds), 2)]


_MARKER = re.compile(r"^[ \t]*(?:#{1,6}[ \t]+|(?:[-*+]|\d+[.)])[ \t]+)?")
_PAIRS = (("**", "**"), ("[", "]"), ("(", ")"), ('"', '"'), ("`", "`"), ("<", ">"))
_MARKUP = re.compile(r"[*_\[\]()\"`<>|!#\r\n]")


def _unclosed(text: str, opener: str, closer: str) -> bool:
    if opener == closer:
        return text.count(opener) % 2 == 1
    return text.count(opener) > text.count(closer)


def _balanced_prefix(text: str, before: str) -> str:
    """``text`` cut before any markup it opens and does not close; ``before`` is the
    template up to it (a quote it opened may close here; a bullet's ``*`` is no markup)."""
    marker = _MARKER.match(text).group() if not before else ""
    body = text[len(marker):]
    for _ in range(20):
        open_ = next(((o, c) for o, c in _PAIRS if _unclosed(before + body, o, c) and o in body), None)
        if open_ is None:
            break
        body = body[:body.rindex(open_[0])]
    return marker + body


def _first_unmatched_closer(suffix: str, opener: str, closer: str) -> int | None:
    """Where the first ``closer`` in ``suffix`` that no ``opener`` inside it matched ends."""
    depth, i = 0, 0
    while i < len(suffix):
        if opener != closer and suffix.startswith(opener, i):
            depth, i = depth + 1, i + len(opener)
        elif suffix.startswith(closer, i):
            if depth == 0:
                return i + len(closer)
            depth, i = depth - 1, i + len(closer)
        else:
            i += 1
    return None


def _balanced_suffix(suffix: str, middle: str) -> str:
    """The shared end of a literal whose ``middle`` varies: cut after any markup that closes
    something opened in that middle, then up to the first markup it keeps (the words and
    separators there, like " - " after a model name, were that paper's)."""
    for _ in range(20):
        cuts = [_first_unmatched_closer(suffix, o, c) for o, c in _PAIRS if _unclosed(middle, o, c)]
        cuts = [c for c in cuts if c is not None]
        if not cuts:
            break
        middle, suffix = middle + suffix[:min(cuts)], suffix[min(cuts):]
    m = _MARKUP.search(suffix)
    return suffix[m.start():] if m else ""


def _skeleton(value: str) -> str:
    return re.sub(r"[ \t]+", "", re.sub(r"\w+", "w", value))


def unify(values: Sequence[str], before: str = "") -> str:
    """What the values of one literal slot share, as balanced markup: among the values of the
    most common skeleton (an odd entry out does not decide), all of it where they agree, else
    their common start and end (an abstract's ``<details>`` block is one paper's own)."""
    values = [_DETAILS.sub("", v) for v in values]
    if len(set(values)) == 1:
        return values[0]
    most, n = Counter(values).most_common(1)[0]
    if 2 * n >= len(values) and not any(c.isalnum() for c in re.sub(r"<[^<>]*>", "", most)):
        return most  # a separator most entries write (". " where a few write " ")
    leads = Counter(v[:len(v) - len(v.lstrip(" \t"))] for v in values)
    if len(leads) > 1:  # "### 1." and "  ### 2.": the indentation most write, then the rest
        return leads.most_common(1)[0][0] + unify([v.lstrip(" \t") for v in values], before)
    common, count = Counter(_skeleton(v) for v in values).most_common(1)[0]
    if 2 * count > len(values) and len({v for v in values if _skeleton(v) == common}) > 1:
        values = [v for v in values if _skeleton(v) == common]
    prefix = os.path.commonprefix(list(values))
    while prefix and prefix[-1].isalnum():  # never end inside a word ("### 1" of "### 1." and "### 12.")
        prefix = prefix[:-1]
    rest = [v[len(prefix):] for v in values]
    suffix = os.path.commonprefix([r[::-1] for r in rest])[::-1]
    while suffix and suffix[0].isalnum():
        suffix = suffix[1:]
    kept = _balanced_prefix(prefix, before)
    dropped = prefix[len(kept):] + values[0][len(prefix):len(values[0]) - len(suffix)]
    return kept + _balanced_suffix(suffix, dropped)


def _renumber(first: list[str]) -> str:
    """An ordered list's marker for a new item: the one number all share, else the highest + 1."""
    found = [_NUMBERED.match(v) for v in first]
    if not all(found):
        return unify(first)
    numbers = {int(m.group(2)) for m in found if m}
    m = found[0]
    assert m is not None
    rest = unify([v[x.end():] for v, x in zip(first, found) if x])
    number = numbers.pop() if len(numbers) == 1 else max(int(x.group(2)) for x in found if x) + 1
    return m.group(1) + str(number) + m.group(3) + rest


# ---------------------------------------------------------------------------
# Field values written like the template's
# ---------------------------------------------------------------------------


def _names_like(example: str, names: Sequence[str]) -> list[str]:
    """Surnames where the list writes surnames ("Li et al."), initials where it writes "M. Lin"."""
    shown = re.split(r",|\band\b|&", re.sub(r"\bet\s+al\.?", "", example))
    shown = [s.strip() for s in shown if s.strip()]
    if shown and all(len(s.split()) == 1 for s in shown):
        return [n.split()[-1] for n in names]
    if shown and all(re.match(r"^[A-Z]\.(?:\s?[A-Z]\.)*\s", s) for s in shown):
        return [" ".join(p[0] + "." for p in n.split()[:-1]) + " " + n.split()[-1] for n in names]
    return list(names)


def field_value(data: bytes, kind: str, model: Entry, span: Span, record: PaperRecord,
                voters: Sequence[Entry]) -> str | None:
    """The new paper's value for one field, in the model's notation; None: left out."""
    old = _text(data, span.start, span.end)
    if kind == "T":
        return safe_text(record.title, model.title_context, html_row=is_html_row(data, model))
    if kind == "A":
        names = _names_like(model.authors_text or old, record.authors)
        return join_authors_like(old, names) if names else None
    if kind == "D":
        return date_like(old, record.published.date())
    if kind == "V":
        venue = arxiv_venue(record.journal_ref, record.comment)
        if venue is not None and venue.year:
            return safe_text(_YEAR.sub(str(venue.year), old, count=1).replace(
                _venue_name(old), venue.name, 1) if _venue_name(old) else str(venue), ())
        holder = next((v.venue for v in [model, *voters] if v.venue and v.venue_span is not None
                       and (is_placeholder(v.venue) or _PREPRINT.match(v.venue))), None)
        if holder is None and re.fullmatch(r"\W*(?:19|20)\d\d\W*", old):
            return _YEAR.sub(str(record.published.year), old)  # the slot holds a year: the v1 year
        if holder is None:
            return None  # no venue known and no "arXiv, Oct 2023" notation to follow: left out
        if parse_date(holder) is not None or _MONTH_OR_NUMERIC.search(holder):
            return date_like(holder, record.published.date())
        return _YEAR.sub(str(record.published.year), holder, count=1)  # "Arxiv 2023", or "Arxiv" as is
    url = _text(data, span.start, span.end)
    assert model.arxiv_id is not None
    swapped = swap_id(url, model.arxiv_id, record.arxiv_id)
    link = _arxiv_link(model)
    return undated_label(swapped, link.label) if kind == "X" and link is not None else swapped


def _venue_name(text: str) -> str:
    m = re.match(r"[\s(\[*]*([A-Za-z][A-Za-z-]*)", text)
    return m.group(1) if m else ""


def fill(data: bytes, model: Entry, toks: list[_Token], lits: list[str], record: PaperRecord,
         voters: Sequence[Entry]) -> str:
    """The template's literals with the new paper's fields between them; a field without a
    value goes with the literal that leads to it (or, for the first, the one after it)."""
    parts: list[str] = [lits[0]]
    for i, t in enumerate(toks):
        value = field_value(data, t.kind, model, t.span, record, voters)
        if value is None:
            # the separators leading to it go with it ("** (" keeps "**", "), " keeps " ")
            if len(parts) > 1 and not _LINE_BREAK.search(parts[-1]):
                lead = re.sub(r"(?<![*_])[*_]$", "", parts[-1].rstrip(_LEADS_TO))  # an emphasis it opened
                parts[-1] = lead.rstrip(_LEADS_TO)
            follow = lits[i + 1]
            if not _LINE_BREAK.search(follow):
                follow = re.sub(r"^[*_](?![*_])", "", follow).lstrip(")]}").lstrip(",;:")
            if parts[-1][-1:] in (".", ",") and follow[:1] == parts[-1][-1:]:
                follow = follow[1:]
            parts.append(follow)
            continue
        parts += [value, lits[i + 1]]
    return "".join(parts)


def signature(data: bytes, e: Entry) -> tuple[str, ...]:
    """Which fields, in which order, and the markup around the title: entries alike in these
    share their text between fields (a bold title's ``**`` closes where it opened)."""
    return (*e.title_context, "|", *(t.kind for t in tokens(data, e)))


def render_item(data: bytes, voters: Sequence[Entry], record: PaperRecord) -> str:
    """A new list item or heading block written as ``voters`` (one shape, linked to arXiv) write theirs."""
    sigs = Counter(signature(data, e) for e in voters)
    best = max(sigs, key=lambda s: (sigs[s], len(s)))
    same = [e for e in voters if signature(data, e) == best]
    model = same[0]
    toks = tokens(data, model)
    all_lits = [literals(data, e, tokens(data, e)) for e in same]
    lits = [_renumber([lits[0] for lits in all_lits])]
    for i in range(1, len(toks) + 1):
        lits.append(unify([x[i] for x in all_lits], "".join(lits)))
    return fill(data, model, toks, lits, record, voters)


def render_row(data: bytes, model: Entry, voters: Sequence[Entry], record: PaperRecord) -> str:
    """A new table row with ``model``'s cells: fields filled, every other cell emptied."""
    toks = tokens(data, model)
    out, pos = [], model.span.start
    for i, cell in enumerate(model.cells):
        out.append(_text(data, pos, cell.start))
        inside = [t for t in toks if cell.start <= t.span.start and t.span.end <= cell.end]
        if inside:
            lits = literals(data, Entry(**{**_fields(model), "span": cell}), inside)
            out.append(fill(data, model, inside, lits, record, voters))
        else:
            out.append(_empty_mark(data, voters, i))
        pos = cell.end
    out.append(_text(data, pos, model.span.end))
    return "".join(out)


def _fields(e: Entry) -> dict:
    return {k: getattr(e, k) for k in e.__slots__}


def _empty_mark(data: bytes, voters: Sequence[Entry], column: int) -> str:
    """The list's own mark for an empty cell in this column, if its rows use one."""
    marks = Counter(_text(data, e.cells[column].start, e.cells[column].end) for e in voters
                    if column < len(e.cells))
    return next((m for m, _ in marks.most_common() if _EMPTY_MARK.match(m.strip())), "")
