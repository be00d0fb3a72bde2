"""One arXiv record written as an entry of a list, in that list's style.

Everything from arXiv passes through the same Markdown-safe writers that
export uses (``markdown_text``, ``join_authors_like``), so a title cannot
open a link, a heading or a new entry; the summary is the maintainer's own
text and is written as given, on one line.
"""

from __future__ import annotations

import re

from ..arxivid import abs_url
from ..drift.venues import Venue, arxiv_venue, venue_fix
from ..listfile.authorstyle import join_authors_like
from ..listfile.dates import format_date_like
from ..listfile.safetext import markdown_text
from ..models import PaperRecord
from .style import EntryStyle

_YEAR = re.compile(r"\b(?:19|20)\d\d\b")
# The authors' own code, as arXiv comments announce it ("Code: https://github.com/o/r",
# "code is available at …"); a repository named without "code" may be someone else's.
_CODE_URL = re.compile(r"\bcodes?\b[^.;]*?(https?://github\.com/[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+)", re.IGNORECASE)


def code_url(comment: str | None) -> str | None:
    """The GitHub repository an arXiv comment gives as the paper's code, if it does."""
    m = _CODE_URL.search(comment or "")
    return m.group(1).rstrip(".") if m else None


def venue_text(style: EntryStyle, record: PaperRecord, confirmed: Venue | None = None) -> str:
    """The venue as the list writes it: the venue arXiv (else the venue sources,
    ``confirmed``) confirms where export would write it as a fix, else the list's
    placeholder ("arXiv 2023.") with the v1 year."""
    year = str(record.published.year)
    placeholder = _YEAR.sub(year, style.venue_example, count=1)
    venue = arxiv_venue(record.journal_ref, record.comment) or confirmed
    if venue is not None:
        fixed, _ = venue_fix(placeholder, venue)
        if fixed is not None:
            return fixed
    return placeholder


def entry_lines(style: EntryStyle, record: PaperRecord, summary: str | None = None,
                venue_confirmed: Venue | None = None) -> list[str]:
    """The entry's lines, without line endings or continuations."""
    lines = [style.title.before + markdown_text(record.title) + style.title.after]
    if style.authors is not None and record.authors:
        lines.append(style.authors.before + join_authors_like(style.authors_example, record.authors)
                     + style.authors.after)
    link = f"[[{style.link_label}]({abs_url(record.arxiv_id)})]"
    code = code_url(record.comment)
    if code:
        link += f" [[{style.code_label}]({code})]"
    venue = venue_text(style, record, venue_confirmed)
    if style.venue_line is not None and venue:
        lines.append(style.venue_line.before + markdown_text(venue) + style.link_gap + link
                     + style.venue_line.after)
    else:
        lines.append(style.indent + link)
    if style.date is not None:
        lines.append(style.date.before + format_date_like(style.date_example, record.published.date())
                     + style.date.after)
    if summary and flat_summary(summary):
        lines.append(style.indent + flat_summary(summary))
    return lines


def flat_summary(text: str) -> str:
    """The maintainer's summary on one line: each line break (with the indentation after it)
    becomes one space, the final one goes; every other character stays as given (a no-break
    space inside mojibake is part of the text)."""
    return re.sub(r"[ \t]*(?:\r\n|\r|\n)[ \t]*", " ", text.lstrip(" \t").rstrip("\r\n")).strip("\r\n")


def render_entry(style: EntryStyle, record: PaperRecord, newline: str, summary: str | None = None,
                 venue_confirmed: Venue | None = None) -> str:
    """The whole entry: every line but the last continued as the list continues them."""
    lines = entry_lines(style, record, summary, venue_confirmed)
    return "".join(line + (style.continuation if i < len(lines) - 1 else "") + newline
                   for i, line in enumerate(lines))
