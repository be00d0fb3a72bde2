"""The list's papers as data: JSON, CSV and BibTeX, corrected where arXiv knows better.

Each entry keeps the list's own fields (section, venue, links, the title,
authors and date as written) next to the corrected values: arXiv's
canonical metadata where the paper is known, and the arXiv ID an accepted
``wrong_id``/``missing_id`` finding gives it.  BibTeX entries are ``@misc``
with ``eprint``/``archivePrefix``/``primaryClass``, the form arXiv itself
recommends, so LaTeX users can cite them directly.
"""

from __future__ import annotations

import csv
import io
import json
import re
import unicodedata
from dataclasses import dataclass
from typing import Any, Mapping, Sequence

from ..listfile.dates import entry_year
from ..arxivid import abs_url
from ..models import KINDS, Entry, Finding, PaperRecord, ParsedList, Status, entry_key

FORMATS = ("json", "csv", "bibtex")


@dataclass(frozen=True)
class CorrectedEntry:
    entry: Entry
    arxiv_id: str | None  # after accepted wrong_id/missing_id fixes
    record: PaperRecord | None  # arXiv's metadata for ``arxiv_id``, if stored

    @property
    def title(self) -> str:
        return self.record.title if self.record else self.entry.title

    @property
    def authors(self) -> tuple[str, ...]:
        return self.record.authors if self.record and self.record.authors else self.entry.authors

    @property
    def year(self) -> int | None:
        return self.record.published.year if self.record else entry_year(self.entry)

    @property
    def url(self) -> str | None:
        if self.arxiv_id:
            return abs_url(self.arxiv_id)
        return self.entry.links[0].url if self.entry.links else None


def corrected_entries(parsed: ParsedList, records: Mapping[str, PaperRecord],
                      accepted: Sequence[Finding] = ()) -> list[CorrectedEntry]:
    """Every entry, with the arXiv ID accepted fixes give it and arXiv's record for that ID."""
    new_id = {f.entry_key: f.suggestion for f in accepted
              if f.status is Status.ACCEPTED and KINDS[f.kind].fix_is_id and f.suggestion}
    out = []
    for e in parsed.entries:
        arxiv_id = new_id.get(e.key, e.arxiv_id)
        out.append(CorrectedEntry(e, arxiv_id, records.get(arxiv_id) if arxiv_id else None))
    return out


def _as_dict(c: CorrectedEntry) -> dict[str, Any]:
    e, r = c.entry, c.record
    return {
        "line": e.line,
        "section": e.section,
        "arxiv_id": c.arxiv_id,
        "title": c.title,
        "authors": list(c.authors),
        "published": r.published.date().isoformat() if r else (e.date.isoformat() if e.date else None),
        "updated": r.updated.date().isoformat() if r else None,
        "version": r.version if r else None,
        "year": c.year,
        "primary_category": r.categories[0] if r and r.categories else None,
        "journal_ref": r.journal_ref if r else None,
        "doi": r.doi if r else None,
        "comment": r.comment if r else None,
        "withdrawn": r.withdrawn if r else None,
        "url": c.url,
        "venue": e.venue,
        "links": [{"label": ln.label, "url": ln.url} for ln in e.links],
        "listed": {"title": e.title, "authors": list(e.authors), "date": e.date_text,
                   "arxiv_id": e.arxiv_id, "arxiv_version": e.arxiv_version},
    }


def to_json(entries: Sequence[CorrectedEntry]) -> str:
    return json.dumps({"entries": [_as_dict(c) for c in entries]}, ensure_ascii=False, indent=2) + "\n"


_CSV_COLUMNS = ("line", "section", "arxiv_id", "title", "authors", "published", "updated", "version",
                "primary_category", "journal_ref", "doi", "url", "venue", "listed_title",
                "listed_authors", "listed_date")


def _csv_cell(value: Any) -> str:
    text = "" if value is None else str(value)
    # A leading = + - @ makes spreadsheets run the cell as a formula.
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def to_csv(entries: Sequence[CorrectedEntry]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(_CSV_COLUMNS)
    for c in entries:
        d = _as_dict(c)
        d["authors"] = "; ".join(d["authors"])
        d["listed_title"] = d["listed"]["title"]
        d["listed_authors"] = "; ".join(d["listed"]["authors"])
        d["listed_date"] = d["listed"]["date"]
        writer.writerow([_csv_cell(d[col]) for col in _CSV_COLUMNS])
    return buf.getvalue()


# ---------------------------------------------------------------------------
# BibTeX
# ---------------------------------------------------------------------------

_SPECIAL = {"&": r"\&", "%": r"\%", "#": r"\#", "_": r"\_", "~": r"\textasciitilde{}",
            "^": r"\textasciicircum{}"}
_TEX_COMMAND = re.compile(r"\\(?:[A-Za-z]+|.)")


def bibtex_escape(text: str) -> str:
    """Escape BibTeX/LaTeX specials outside ``$...$`` math; TeX commands already there survive."""
    out: list[str] = []
    for i, part in enumerate(re.split(r"(\$[^$]*\$)", text)):
        if i % 2 == 1:
            out.append(part)  # math as arXiv wrote it
            continue
        pos = 0
        while pos < len(part):
            ch = part[pos]
            if ch == "\\":
                m = _TEX_COMMAND.match(part, pos)
                if m and (m.group(0)[1:2].isalpha() or m.group(0)[1:2] in "&%#_${}"):
                    out.append(m.group(0))
                    pos = m.end()
                    continue
                out.append(r"\textbackslash{}")
            elif ch in _SPECIAL:
                out.append(_SPECIAL[ch])
            else:
                out.append(ch)
            pos += 1
    return _balance(out)


def _balance(pieces: list[str]) -> str:
    """Unbalanced braces break the whole .bib file; escape the ones that do not pair."""
    text = "".join(pieces)
    depth = 0
    result = []
    for ch in text:
        if ch == "{":
            depth += 1
        elif ch == "}":
            if depth == 0:
                result.append(r"\}")
                continue
            depth -= 1
        result.append(ch)
    out = "".join(result)
    return out + "}" * depth if depth else out


def _ascii_word(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]", "", plain.lower())


_STOP = {"a", "an", "the", "on", "of", "for", "and", "in", "to", "with", "via", "from", "towards"}


def citation_key(c: CorrectedEntry) -> str:
    """``ho2020denoising``: first author's surname, year, first significant title word."""
    surname = _ascii_word(c.authors[0].split()[-1]) if c.authors and c.authors[0].split() else ""
    words = [_ascii_word(w) for w in c.title.split()]
    word = next((w for w in words if w and w not in _STOP), "")
    return (surname or "anon") + (str(c.year) if c.year else "") + word


def _bib_entry(c: CorrectedEntry, key: str) -> str:
    r = c.record
    fields: list[tuple[str, str]] = [("title", bibtex_escape(c.title))]
    if c.authors:
        fields.append(("author", " and ".join(bibtex_escape(a) for a in c.authors)))
    if c.year:
        fields.append(("year", str(c.year)))
    if c.arxiv_id:
        fields += [("eprint", c.arxiv_id), ("archivePrefix", "arXiv")]
        if r and r.categories:
            fields.append(("primaryClass", r.categories[0]))
    if r and r.doi:
        fields.append(("doi", bibtex_escape(r.doi)))
    if r and r.journal_ref:
        fields.append(("note", bibtex_escape(r.journal_ref)))
    elif c.entry.venue and not c.entry.venue.lower().startswith("arxiv"):
        fields.append(("note", bibtex_escape(c.entry.venue.rstrip(". "))))
    if c.url:
        fields.append(("url", c.url))
    body = ",\n".join(f"  {name:<13} = {{{value}}}" for name, value in fields)
    return f"@misc{{{key},\n{body}\n}}\n"


def to_bibtex(entries: Sequence[CorrectedEntry]) -> str:
    """One ``@misc`` per paper (a paper listed twice is cited once); keys made unique with a, b, ..."""
    seen_papers: set[str] = set()
    used: dict[str, int] = {}
    out = []
    for c in entries:
        paper = entry_key(c.arxiv_id, c.title)
        if paper in seen_papers:
            continue
        seen_papers.add(paper)
        key = citation_key(c)
        n = used.get(key, 0)
        used[key] = n + 1
        out.append(_bib_entry(c, key + (chr(ord("a") + n - 1) if 0 < n <= 26 else str(n) if n else "")))
    return "\n".join(out)


def render(fmt: str, entries: Sequence[CorrectedEntry]) -> str:
    return {"json": to_json, "csv": to_csv, "bibtex": to_bibtex}[fmt](entries)
