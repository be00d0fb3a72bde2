"""Checks shared by the parser tests: every span gives back its field's bytes."""

from __future__ import annotations

import re

from diffsync import arxivid
from diffsync.listfile.dates import parse_date
from diffsync.models import ParsedList


_LINE_END = re.compile(rb"\r\n|\r|\n")  # the parser's line ends: LF, CRLF and a lone CR


def text_at(data: bytes, span) -> str:
    return data[span.start:span.end].decode("utf-8", "surrogateescape")


def assert_spans_exact(data: bytes, parsed: ParsedList) -> int:
    """Assert every field span slices back to its field; return how many were checked."""
    checked = 0
    for e in parsed.entries:
        where = f"entry at line {e.line}"
        assert text_at(data, e.title_span) == e.title, where
        entry_text = text_at(data, e.span)
        assert entry_text.lstrip(" \t\ufeff").startswith("**"), where
        assert len(_LINE_END.findall(data, 0, e.span.start)) + 1 == e.line, where
        checked += 2
        if e.authors_span is not None:
            assert text_at(data, e.authors_span) == e.authors_text, where
            checked += 1
        if e.venue_span is not None:
            assert text_at(data, e.venue_span) == e.venue, where
            checked += 1
        if e.date_span is not None:
            written = text_at(data, e.date_span)
            assert parse_date(written)[0] == e.date, where
            assert written in e.date_text, where
            checked += 1
        if e.arxiv_id_span is not None:
            written = text_at(data, e.arxiv_id_span)
            found = arxivid.parse_id(written)
            assert found is not None and found.id == e.arxiv_id, (where, written)
            assert found.version == e.arxiv_version, where
            checked += 1
        for link in e.links:
            assert text_at(data, link.url_span) == link.url, where
            whole = text_at(data, link.span)
            assert link.url in whole and link.label in whole, where
            checked += 2
        for span in [e.title_span, e.authors_span, e.venue_span, e.date_span, e.arxiv_id_span]:
            if span is not None:
                assert e.span.start <= span.start <= span.end <= e.span.end, where
    return checked
