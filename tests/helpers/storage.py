"""Builders shared by the storage tests."""

from __future__ import annotations

from dataclasses import replace
from datetime import datetime, timezone

from diffsync.models import Finding, Kind, PaperRecord

T0 = datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone.utc)


def record(arxiv_id: str = "2206.00364", version: int = 1, title: str = "Elucidating the Design Space",
           authors: tuple[str, ...] = ("Tero Karras", "Miika Aittala"), **kw: object) -> PaperRecord:
    published = datetime(2022, 6, 1, tzinfo=timezone.utc)
    return PaperRecord(arxiv_id=arxiv_id, version=version, title=title, authors=authors,
                       published=published, updated=kw.pop("updated", published),  # type: ignore[arg-type]
                       **kw)  # type: ignore[arg-type]


def finding(fid: str, kind: Kind = Kind.TITLE, line: int = 10, entry_key: str = "2206.00364",
            listed: str | None = "Old title", arxiv: str | None = "New title") -> Finding:
    return Finding(id=fid, kind=kind, line=line, entry_key=entry_key, arxiv_id=entry_key,
                   listed=listed, arxiv=arxiv, message=f"{kind.value}: {listed!r} vs {arxiv!r}",
                   suggestion=arxiv)


__all__ = ["T0", "record", "finding", "replace"]
