"""Findings in the database: syncing one run's findings, resolving id prefixes.

The rules that make review decisions last:
- a finding id seen for the first time is ``open``;
- an ``ignored`` or ``accepted`` finding keeps its status while its listed
  and arXiv values stay the same, and is ``open`` again when either changes;
- a ``resolved`` finding that reappears is ``open`` again;
- an ``open``, ``accepted`` or ``applied`` finding absent from this run is
  ``resolved``, but only if its entry was in scope (checked) this run;
- an ``applied`` finding (export wrote its fix) that reappears is ``open``
  again: it is never applied a second time without a new decision.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any, Sequence

import sqlalchemy as sa
from sqlalchemy.engine import Connection

from .. import errors
from . import tables
from .engine import batched, upsert
from ..models import Finding, Kind, Status
from ..utc import utcnow

FINDINGS = tables.FindingRow.__table__
DECIDED = (Status.IGNORED.value, Status.ACCEPTED.value)
VANISHING = (Status.OPEN.value, Status.ACCEPTED.value, Status.APPLIED.value)  # resolved when gone


@dataclass(frozen=True)
class SyncSummary:
    new: int  # open now but not open before this run (first seen, reappeared or reopened)
    open: int  # open findings of the list after this run
    resolved: int  # findings this run resolved


# What ``finding_from_row`` reads: not the four timestamps (converting them was most of a load).
FINDING_COLUMNS = tuple(FINDINGS.c[name] for name in (
    "finding_id", "kind", "line", "entry_key", "arxiv_id", "listed", "arxiv", "message",
    "suggestion", "status", "reason"))


def finding_from_row(row: Any) -> Finding:
    return Finding(
        id=row.finding_id, kind=Kind(row.kind), line=row.line, entry_key=row.entry_key,
        arxiv_id=row.arxiv_id, listed=row.listed, arxiv=row.arxiv, message=row.message,
        suggestion=row.suggestion, status=Status(row.status), reason=row.reason,
    )


def sync_rows(conn: Connection, list_id: int, findings: Sequence[Finding],
              scope_keys: set[str] | None, now: datetime) -> SyncSummary:
    current = {f.id: f for f in findings}  # one per id; the last wins
    current = dict(sorted(current.items()))  # one lock order for concurrent writers
    existing = {r.finding_id: r for r in conn.execute(
        sa.select(FINDINGS.c.finding_id, FINDINGS.c.status, FINDINGS.c.listed,
                  FINDINGS.c.arxiv, FINDINGS.c.entry_key, FINDINGS.c.reason,
                  FINDINGS.c.decided_at, FINDINGS.c.first_seen_at)
        .where(FINDINGS.c.list_id == list_id))}
    new = 0
    rows = []
    for fid, f in current.items():
        old = existing.get(fid)
        status, reason, decided_at, first_seen = Status.OPEN.value, None, None, now
        if old is not None:
            first_seen = old.first_seen_at
            same_values = old.listed == f.listed and old.arxiv == f.arxiv
            if old.status in DECIDED and same_values:
                status, reason, decided_at = old.status, old.reason, old.decided_at
            elif old.status == Status.OPEN.value:
                reason, decided_at = old.reason, old.decided_at  # e.g. a reopen note
        if status == Status.OPEN.value and (old is None or old.status != Status.OPEN.value):
            new += 1
        rows.append({
            "list_id": list_id, "finding_id": fid, "kind": Kind(f.kind).value, "line": f.line,
            "entry_key": f.entry_key, "arxiv_id": f.arxiv_id, "listed": f.listed,
            "arxiv": f.arxiv, "message": f.message, "suggestion": f.suggestion,
            "status": status, "reason": reason, "decided_at": decided_at,
            "first_seen_at": first_seen, "last_seen_at": now, "resolved_at": None,
        })
    if rows:
        conn.execute(upsert(conn, FINDINGS, ["list_id", "finding_id"]), rows)

    gone = [fid for fid, r in existing.items()
            if fid not in current and r.status in VANISHING
            and (scope_keys is None or r.entry_key in scope_keys)]
    for part in batched(gone):
        conn.execute(sa.update(FINDINGS)
                     .where(FINDINGS.c.list_id == list_id, FINDINGS.c.finding_id.in_(part))
                     .values(status=Status.RESOLVED.value, resolved_at=now))
    still_open = conn.execute(
        sa.select(sa.func.count()).select_from(FINDINGS)
        .where(FINDINGS.c.list_id == list_id, FINDINGS.c.status == Status.OPEN.value)).scalar_one()
    return SyncSummary(new=new, open=int(still_open), resolved=len(gone))


def resolve_ids(conn: Connection, list_id: int | None, given: Sequence[str]) -> list[str]:
    """Full finding ids for ids or unique prefixes (like git); UsageError names the bad ones."""
    query = sa.select(FINDINGS.c.finding_id).distinct()
    if list_id is not None:
        query = query.where(FINDINGS.c.list_id == list_id)
    known = sorted(set(conn.execute(query).scalars()))
    known_set = set(known)
    full: list[str] = []
    unknown: list[str] = []
    ambiguous: list[str] = []
    for wanted in given:
        wanted = wanted.strip()
        if wanted in known_set:
            full.append(wanted)
            continue
        matches = [k for k in known if k.startswith(wanted)] if wanted else []
        if len(matches) == 1:
            full.append(matches[0])
        elif matches:
            ambiguous.append(f"{wanted} ({', '.join(matches[:3])}{', ...' if len(matches) > 3 else ''})")
        else:
            unknown.append(wanted or "''")
    if unknown:
        raise errors.UsageError(f"unknown finding id{'s' if len(unknown) > 1 else ''}: "
                                + ", ".join(unknown))
    if ambiguous:
        raise errors.UsageError("ambiguous finding id prefix: " + "; ".join(ambiguous))
    return list(dict.fromkeys(full))


def decide(conn: Connection, list_id: int | None, ids: Sequence[str], status: Status,
           reason: str | None, from_status: Status | None = None) -> list[str]:
    """Set status (and reason, decision time) of ``ids``; returns those that changed."""
    # A resolved finding is gone from the list: deciding it would change nothing written.
    where = [FINDINGS.c.finding_id.in_(ids), FINDINGS.c.status != Status(status).value,
             FINDINGS.c.status != Status.RESOLVED.value]
    if list_id is not None:
        where.append(FINDINGS.c.list_id == list_id)
    if from_status is not None:
        where.append(FINDINGS.c.status == Status(from_status).value)
    changed = sorted(set(conn.execute(sa.select(FINDINGS.c.finding_id).where(*where)).scalars()))
    if changed:
        conn.execute(sa.update(FINDINGS).where(*where).values(
            status=Status(status).value, reason=reason,
            decided_at=utcnow()))
    return changed


def rekey(conn: Connection, list_id: int, moves: dict[str, tuple[str, str, int]]) -> None:
    """Give findings the ids, entry keys and lines their entries have after export rewrote the list.

    ``moves``: old id -> (new id, new entry key, new line).  Ids are positional
    among copies of a paper, so a fix that changes one copy's key would hand its
    twin's decision to another finding; moving them with their entries keeps
    every decision on the entry it was made on.  Stale rows (resolved, not
    moved) holding a wanted id give way.
    """
    if not moves:
        return
    wanted = {new for new, _, _ in moves.values()}
    stale = wanted - set(moves)
    for part in batched(sorted(stale)):
        conn.execute(sa.delete(FINDINGS).where(FINDINGS.c.list_id == list_id,
                                               FINDINGS.c.finding_id.in_(part)))
    # Two steps, so a move onto an id another row is leaving never collides.
    for old, (new, key, line) in sorted(moves.items()):
        conn.execute(sa.update(FINDINGS)
                     .where(FINDINGS.c.list_id == list_id, FINDINGS.c.finding_id == old)
                     .values(finding_id="~" + new, entry_key=key, line=line))
    for old, (new, _, _) in sorted(moves.items()):
        conn.execute(sa.update(FINDINGS)
                     .where(FINDINGS.c.list_id == list_id, FINDINGS.c.finding_id == "~" + new)
                     .values(finding_id=new))
