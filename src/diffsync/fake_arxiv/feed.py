"""Atom feeds as arXiv writes them, in the current or the legacy dialect,
and the papers JSON format the fake server loads."""

from __future__ import annotations

import hashlib
import json
import os
import textwrap
from dataclasses import asdict
from datetime import datetime, timedelta, timezone
from typing import Iterable, Sequence
from xml.sax.saxutils import escape, quoteattr

from ..models import PaperRecord

CURRENT = "current"  # Python/Elasticsearch backend, since 2025-11-11
LEGACY = "legacy"  # Perl/Lucene backend, until 2025-11-10
DIALECTS = (CURRENT, LEGACY)

_NS_ARXIV = "http://arxiv.org/schemas/atom"
_NS_OS = "http://a9.com/-/spec/opensearch/1.1/"


# -- papers JSON ---------------------------------------------------------------


def record_to_dict(record: PaperRecord) -> dict:
    data = asdict(record)
    data["published"] = record.published.isoformat()
    data["updated"] = record.updated.isoformat()
    data["authors"] = list(record.authors)
    data["categories"] = list(record.categories)
    return data


def record_from_dict(data: dict) -> PaperRecord:
    def when(text: str) -> datetime:
        dt = datetime.fromisoformat(text.replace("Z", "+00:00"))
        return dt if dt.tzinfo else dt.replace(tzinfo=timezone.utc)

    return PaperRecord(
        arxiv_id=data["arxiv_id"],
        version=int(data.get("version", 1)),
        title=data["title"],
        authors=tuple(data.get("authors", ())),
        published=when(data["published"]),
        updated=when(data.get("updated") or data["published"]),
        comment=data.get("comment"),
        journal_ref=data.get("journal_ref"),
        doi=data.get("doi"),
        categories=tuple(data.get("categories", ())),
        withdrawn=bool(data.get("withdrawn", False)),
    )


def load_papers(path: str | os.PathLike[str]) -> list[PaperRecord]:
    """Papers from a JSON file: a list of ``PaperRecord``-shaped objects, ISO dates."""
    with open(path, encoding="utf-8") as f:
        return [record_from_dict(d) for d in json.load(f)]


def dump_papers(records: Iterable[PaperRecord], path: str | os.PathLike[str]) -> None:
    with open(path, "w", encoding="utf-8") as f:
        json.dump([record_to_dict(r) for r in records], f, ensure_ascii=False, indent=1)


def synthetic_papers(n: int, *, yymm: str = "2301", seed_title: str = "Synthetic study") -> list[PaperRecord]:
    """``n`` distinct, well-formed papers (IDs ``{yymm}.00001`` on) for load tests."""
    base = datetime(2000 + int(yymm[:2]), int(yymm[2:]), 1, 12, tzinfo=timezone.utc)
    papers = []
    for i in range(1, n + 1):
        published = base + timedelta(minutes=i)
        version = 1 + i % 3
        papers.append(
            PaperRecord(
                arxiv_id=f"{yymm}.{i:05d}",
                version=version,
                title=f"{seed_title} {i} of denoising diffusion models for image synthesis",
                authors=(f"Ada Author{i % 97}", f"Bo Writer{i % 89}"),
                published=published,
                updated=published + timedelta(days=version - 1),
                comment="10 pages" if i % 5 else None,
                categories=("cs.CV", "cs.LG"),
            )
        )
    return papers


# -- Atom ----------------------------------------------------------------------


def _stamp(dt: datetime) -> str:
    return dt.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def _el(tag: str, text: str | None, attrs: str = "") -> str:
    return f"<{tag}{attrs}>{escape(text or '')}</{tag}>"


def _entry(rec: PaperRecord, dialect: str) -> str:
    legacy = dialect == LEGACY
    scheme = "http" if legacy else "https"
    vid = f"{rec.arxiv_id}v{rec.version}"
    arx = f' xmlns:arxiv="{_NS_ARXIV}"' if legacy else ""
    title = "\n  ".join(textwrap.wrap(rec.title, 76)) if legacy else rec.title
    parts = {
        "id": _el("id", f"http://arxiv.org/abs/{vid}"),  # <id> stayed http in both dialects
        "title": _el("title", title),
        "updated": _el("updated", _stamp(rec.updated)),
        "published": _el("published", _stamp(rec.published)),
        "summary": _el("summary", "  Synthetic abstract served by diffsync's fake arXiv.\n" if legacy else "Synthetic abstract served by diffsync's fake arXiv."),
        "authors": "".join(f"<author>{_el('name', a)}</author>" for a in rec.authors),
        "links": (
            f'<link href="{scheme}://arxiv.org/abs/{vid}" rel="alternate" type="text/html"/>'
            f'<link title="pdf" href="{scheme}://arxiv.org/pdf/{vid}" rel="related" type="application/pdf"/>'
        ),
        "comment": _el("arxiv:comment", rec.comment, arx) if rec.comment else "",
        "journal_ref": _el("arxiv:journal_ref", rec.journal_ref, arx) if rec.journal_ref else "",
        "doi": "",
        "primary": "",
        "categories": "".join(
            f'<category term={quoteattr(c)} scheme="{_NS_ARXIV}"/>' for c in rec.categories
        ),
    }
    if rec.doi:
        host = "http://dx.doi.org" if legacy else "https://doi.org"
        parts["doi"] = _el("arxiv:doi", rec.doi, arx) + (
            f'<link title="doi" href={quoteattr(f"{host}/{rec.doi}")} rel="related"/>'
        )
    if rec.categories:
        extra = f' scheme="{_NS_ARXIV}"' if legacy else ""
        parts["primary"] = f"<arxiv:primary_category{arx} term={quoteattr(rec.categories[0])}{extra}/>"
    order = (
        "id updated published title summary authors doi comment journal_ref links primary categories"
        if legacy
        else "id title updated links summary categories published comment primary journal_ref authors doi"
    )
    return "<entry>" + "".join(parts[k] for k in order.split()) + "</entry>"


def render_feed(
    records: Sequence[PaperRecord],
    *,
    total: int,
    start: int,
    max_results: int,
    search_query: str = "",
    id_list: str = "",
    dialect: str = CURRENT,
    now: datetime | None = None,
) -> bytes:
    """A result page exactly shaped like arXiv's (namespaces, order, header) for ``dialect``."""
    now = now or datetime.now(timezone.utc)
    query = f"search_query={search_query}&id_list={id_list}&start={start}&max_results={max_results}"
    digest = hashlib.sha1(query.encode()).hexdigest()[:27]
    if dialect == LEGACY:
        osns = f' xmlns:opensearch="{_NS_OS}"'
        head = (
            '<?xml version="1.0" encoding="UTF-8"?>\n<feed xmlns="http://www.w3.org/2005/Atom">'
            f'<link href={quoteattr("http://arxiv.org/api/query?" + query)} rel="self" type="application/atom+xml"/>'
            + _el("title", "ArXiv Query: " + query, ' type="html"')
            + _el("id", f"http://arxiv.org/api/{digest}")
            + _el("updated", now.strftime("%Y-%m-%dT00:00:00-04:00"))
            + _el("opensearch:totalResults", str(total), osns)
            + _el("opensearch:startIndex", str(start), osns)
            + _el("opensearch:itemsPerPage", str(max_results), osns)
        )
    else:
        head = (
            "<?xml version='1.0' encoding='UTF-8'?>\n"
            f'<feed xmlns:opensearch="{_NS_OS}" xmlns:arxiv="{_NS_ARXIV}" xmlns="http://www.w3.org/2005/Atom">'
            + _el("id", f"https://arxiv.org/api/{digest}")
            + _el("title", "arXiv Query: " + query)
            + _el("updated", _stamp(now))
            + f'<link href={quoteattr("https://arxiv.org/api/query?" + query)} type="application/atom+xml"/>'
            + _el("opensearch:itemsPerPage", str(max_results))
            + _el("opensearch:totalResults", str(total))
            + _el("opensearch:startIndex", str(start))
        )
    body = head + "".join(_entry(r, dialect) for r in records) + "</feed>\n"
    return body.encode("utf-8")


def render_error(message: str, fragment: str = "", *, now: datetime | None = None) -> bytes:
    """arXiv's error feed: one entry titled ``Error`` with id under ``/api/errors``."""
    now = now or datetime.now(timezone.utc)
    eid = "https://arxiv.org/api/errors" + (f"#{fragment}" if fragment else "")
    return (
        "<?xml version='1.0' encoding='UTF-8'?>\n"
        f'<feed xmlns:opensearch="{_NS_OS}" xmlns:arxiv="{_NS_ARXIV}" xmlns="http://www.w3.org/2005/Atom">'
        + _el("id", "https://arxiv.org/")
        + _el("title", "arXiv Search Results")
        + _el("updated", _stamp(now))
        + "<opensearch:itemsPerPage>1</opensearch:itemsPerPage>"
        "<opensearch:totalResults>1</opensearch:totalResults>"
        "<opensearch:startIndex>0</opensearch:startIndex><entry>"
        + _el("id", eid)
        + _el("title", "Error")
        + _el("updated", _stamp(now))
        + f'<link href={quoteattr(eid)} rel="alternate" type="text/html"/>'
        + _el("summary", message)
        + "<author><name>arXiv api core</name></author></entry></feed>\n"
    ).encode("utf-8")
