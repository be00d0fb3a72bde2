"""How arXiv answers one query, as a pure function of the papers it holds.

The fake server calls it per request; unit tests call it from an httpx
mock, so both see the same arXiv.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Mapping

from ..models import PaperRecord
from .feed import CURRENT, render_error, render_feed

# As lenient as arXiv's own check (arxiv-base): well-formed but nonexistent IDs pass.
_ID_FORMAT = re.compile(r"\d{4}\.\d{4,5}(v\d+)?|[a-zA-Z-]+(\.[A-Za-z]{2})?/\d{7}(v\d+)?")
_TERM = re.compile(r'^(ti|au|all):(?:"([^"]*)"|(\S+))$')
_VERSIONED = re.compile(r"^(.+)v(\d+)$")


def _tokens(text: str) -> list[str]:
    return re.findall(r"[^\W_]+", text.lower())


def _lookup(papers: Mapping[str, PaperRecord], ids: list[str]) -> list[PaperRecord]:
    """Papers for an id_list: unversioned = current version, ``vN`` = only if current."""
    found: dict[str, PaperRecord] = {}
    for given in ids:
        m = _VERSIONED.match(given)
        rec = papers.get(m.group(1) if m else given)
        if rec is not None and (m is None or int(m.group(2)) == rec.version):
            found[rec.arxiv_id] = rec
    return list(found.values())


def _parse_query(query: str) -> list[list[tuple[str, list[str]]]] | None:
    """``ti:"a b" AND (ti:c OR au:d)`` -> AND of OR-groups of (field, tokens); None if unsupported."""
    groups = []
    for part in re.split(r"\s+AND\s+", query.strip()):
        part = part.strip()
        if part.startswith("(") and part.endswith(")"):
            part = part[1:-1]
        group = []
        for alternative in re.split(r"\s+OR\s+", part):
            m = _TERM.match(alternative.strip())
            if not m:
                return None
            group.append((m.group(1), _tokens(m.group(2) if m.group(2) is not None else m.group(3))))
        groups.append(group)
    return groups


@lru_cache(maxsize=1 << 17)
def _token_set(text: str) -> frozenset[str]:
    """Cached: a search scans every paper the fake holds (50,000 in the scale bench)."""
    return frozenset(_tokens(text))


def _term_matches(paper: PaperRecord, fieldname: str, tokens: list[str]) -> bool:
    title = _token_set(paper.title)
    authors = _token_set(" ".join(paper.authors))
    pool = title if fieldname == "ti" else authors if fieldname == "au" else title | authors
    return all(t in pool for t in tokens)


def answer_query(
    papers: Mapping[str, PaperRecord],
    params: Mapping[str, str],
    *,
    dialect: str = CURRENT,
    max_page: int | None = None,
    empty_page: bool = False,
) -> tuple[int, bytes, int]:
    """(HTTP status, Atom body, number of IDs asked) for one query, like arXiv would answer."""
    id_list = params.get("id_list", "")
    query = params.get("search_query", "")
    ids = [i.strip() for i in id_list.split(",") if i.strip()]
    try:
        start = int(params.get("start", "0"))
        max_results = int(params.get("max_results", "10"))  # arXiv's silent default
    except ValueError:
        return 400, render_error("max_results must be an integer", "max_results_must_be_an_integer"), len(ids)
    for given in ids:
        if not _ID_FORMAT.search(given):
            return 400, render_error(f"incorrect id format for {given}", f"incorrect_id_format_for_{given}"), len(ids)
    if not ids and not query:
        return 400, render_error("Either a search_query or id_list must be specified for the classic API."), 0
    matches = _lookup(papers, ids) if ids else list(papers.values())
    if query:
        terms = _parse_query(query)
        if terms is None:
            return 400, render_error(f"Invalid query string: '{query}'"), len(ids)
        matches = [p for p in matches if all(any(_term_matches(p, f, t) for f, t in g) for g in terms)]
    page = max_results if max_page is None else min(max_results, max_page)
    shown = [] if empty_page else matches[start : start + page]
    body = render_feed(
        shown, total=0 if empty_page else len(matches), start=start, max_results=max_results,
        search_query=query, id_list=id_list, dialect=dialect,
    )
    return 200, body, len(ids)
