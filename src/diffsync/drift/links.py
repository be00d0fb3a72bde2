"""Is an entry's arXiv link broken or non-canonical, and what should it read?

Reported by default (a maintainer would call these broken or junk):
- Markdown that does not render (``[[Paper] (url)]``, found by the parser);
- a query string or fragment copied along (``/abs/2207.11192?context=cs``);
- a doubled slash in the path (``arxiv.org//abs/...``, which 404s).
Reported only with ``strict`` (they work and are often deliberate):
``/pdf/`` links, ``http://``, ``www.``/``export.`` hosts, a trailing slash.
A ``vN`` in the link is kept: pinning a version is a choice, and a newer
version is the ``new_version`` rule's business.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit, urlunsplit

from .. import arxivid
from ..models import Entry, Link


@dataclass(frozen=True)
class LinkProblem:
    link: Link
    reasons: tuple[str, ...]
    repaired: str  # the whole link as it should be written, e.g. ``[[Paper](https://arxiv.org/abs/…)]``


def _is_arxiv(url: str) -> bool:
    if "arxiv.org" not in url.lower():  # most links of a list: no need to parse them
        return False
    try:
        host = urlsplit(url.strip()).hostname or ""
    except ValueError:
        return False
    return host == "arxiv.org" or host.endswith(".arxiv.org")


def _url_problems(url: str, strict: bool) -> list[str]:
    parts = urlsplit(url.strip())
    problems = []
    if parts.query:
        problems.append(f"query string '?{parts.query}'")
    if parts.fragment:
        problems.append(f"fragment '#{parts.fragment}'")
    if "//" in parts.path:
        problems.append("doubled slash in the path")
    if url != url.strip():
        problems.append("spaces around the URL")
    if strict:
        if parts.scheme != "https":
            problems.append(f"{parts.scheme}:// instead of https://")
        if parts.hostname != "arxiv.org":
            problems.append(f"host {parts.hostname} instead of arxiv.org")
        if not parts.path.startswith("/abs/"):
            problems.append("not an /abs/ page")
        if parts.path.endswith("/") or parts.path.endswith(".pdf"):
            problems.append("trailing '/' or '.pdf'")
    return problems


def canonical_url(url: str) -> str | None:
    """``https://arxiv.org/abs/ID[vN]`` for any arXiv URL naming a paper, else None."""
    parts = urlsplit(url.strip())
    path = "/" + "/".join(p for p in parts.path.split("/") if p)  # "//abs/x" -> "/abs/x"
    found = arxivid.from_url(f"https://arxiv.org{path}")
    return arxivid.abs_url(found.id, found.version) if found else None


def _cleaned(url: str) -> str:
    """The URL minus the junk reported without strict; its style is the maintainer's."""
    parts = urlsplit(url.strip())
    path = "/" + "/".join(p for p in parts.path.split("/") if p) + ("/" if parts.path.endswith("/") else "")
    return urlunsplit((parts.scheme, parts.netloc, path, "", ""))


def _plainly_clean(url: str) -> bool:
    """No query, fragment, doubled slash or space, seen without parsing the URL.

    "scheme://host/path" with the scheme's "//" the only one, and no
    whitespace or control character (which urlsplit would drop): most links.
    """
    scheme_end = url.find("://")
    return (scheme_end > 0 and "?" not in url and "#" not in url and " " not in url
            and url.isprintable() and url.find("//", scheme_end + 3) == -1)


def check_links(entry: Entry, *, strict: bool = False) -> LinkProblem | None:
    """The first arXiv link of ``entry`` that is broken or non-canonical, with its repair."""
    for link in entry.links:
        if not strict and not link.broken and _plainly_clean(link.url):
            continue
        if not _is_arxiv(link.url):
            continue
        reasons = []
        if link.broken:
            reasons.append("broken Markdown (text between ']' and '(' so it does not render)")
        reasons += _url_problems(link.url, strict)
        if not reasons:
            continue
        url = (canonical_url(link.url) if strict else None) or _cleaned(link.url)
        return LinkProblem(link, tuple(reasons), f"[[{link.label}]({url})]")
    return None


def invalid_arxiv_link(entry: Entry) -> Link | None:
    """An arXiv paper link whose ID is not a valid arXiv ID (``/abs/2006.1123``), if any.

    Only for entries the parser found no ID in: the link is the thing to repair,
    so the fix replaces it instead of adding a second link beside it.
    """
    if entry.arxiv_id is not None:
        return None
    for link in entry.links:
        if _is_arxiv(link.url) and any(p in link.url for p in ("/abs/", "/pdf/")):
            return link
    return None
