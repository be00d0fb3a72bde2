"""Review decisions that travel with the list: ``LIST.diffsync.toml`` beside it.

The database forgets nothing, but CI starts with a fresh one; a maintainer's
ignore, accept and field locks therefore also live in a small file committed
next to the list.  Once the file exists (``diffsync lock`` creates it, or
create it empty), every decision is written there too, one table per entry
and field, sorted, so its git diffs stay small; every check applies it, so
a check on an empty database honours it.

A decision holds while the listed value is what was decided on (and, except
for a lock, arXiv's value too): a change of the listed text reopens it,
exactly as in the database.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Iterable, Sequence

from ..errors import ConfigError
from ..models import Entry, Finding, ParsedList, Status
from ..utc import utcnow

LOCKED = "locked"  # the listed value wins over arXiv's, whatever arXiv says
STATUSES = (Status.ACCEPTED.value, Status.IGNORED.value, LOCKED)


@dataclass(frozen=True)
class Decision:
    entry: str  # the entry's key: its arXiv ID, or "title:<folded title>"
    field: str  # the finding's kind: title, authors, date, ...
    status: str  # accepted, ignored or locked
    listed: str | None  # the listed value decided on
    arxiv: str | None = None  # arXiv's value decided on (None for a lock)
    reason: str | None = None
    on: date | None = None

    def holds_for(self, f: Finding, entry: Entry | None) -> bool:
        if f.entry_key != self.entry or f.kind.value != self.field:
            return False
        if self.status == LOCKED:  # the field as written in the list, whatever arXiv says
            return entry is not None and field_text(entry, self.field) == self.listed
        return f.listed == self.listed and f.arxiv == self.arxiv


LOCKABLE = ("title", "authors", "date", "venue")


def field_text(entry: Entry, field: str) -> str | None:
    """The field of ``entry`` as written in the list."""
    return {"title": entry.title, "authors": entry.authors_text, "date": entry.date_text,
            "venue": entry.venue}.get(field)


def path_for(list_path: str | Path) -> Path:
    """``README.md`` -> ``README.diffsync.toml`` beside it."""
    p = Path(list_path)
    return p.with_name(p.stem + ".diffsync.toml")


def load(path: Path) -> list[Decision]:
    """The decisions in ``path`` (none if it does not exist); ConfigError if it is not valid."""
    try:
        doc = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        return []
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise ConfigError(f"{path}: not a valid decisions file: {exc}") from None
    out = []
    for i, d in enumerate(doc.get("decision", [])):
        if not isinstance(d, dict) or d.get("status") not in STATUSES or not d.get("entry") or not d.get("field"):
            raise ConfigError(f"{path}: decision {i + 1} needs entry, field and status "
                              f"({', '.join(STATUSES)})")
        on = d.get("date")
        out.append(Decision(str(d["entry"]), str(d["field"]), d["status"], d.get("listed"),
                            d.get("arxiv"), d.get("reason"), on if isinstance(on, date) else None))
    return out


def _quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = "".join(c if c.isprintable() else f"\\u{ord(c):04x}" for c in escaped)
    return f'"{escaped}"'


def dumps(decisions: Iterable[Decision], list_name: str) -> str:
    lines = [f"# Review decisions for {list_name}, written by diffsync (accept, ignore, lock).",
             "# Commit this file with the list: a check with a fresh database honours it.", ""]
    for d in sorted(decisions, key=lambda d: (d.entry, d.field)):
        lines.append("[[decision]]")
        for key, value in (("entry", d.entry), ("field", d.field), ("status", d.status),
                           ("listed", d.listed), ("arxiv", d.arxiv), ("reason", d.reason)):
            if value is not None:
                lines.append(f"{key} = {_quote(value)}")
        if d.on is not None:
            lines.append(f"date = {d.on.isoformat()}")
        lines.append("")
    return "\n".join(lines)


def save(path: Path, decisions: Sequence[Decision], list_name: str) -> None:
    from ..writeback.atomicfile import write_atomic

    write_atomic(path, dumps(decisions, list_name).encode("utf-8"))


def merge(current: Sequence[Decision], new: Iterable[Decision]) -> list[Decision]:
    """``current`` with ``new`` replacing the decision on the same entry and field."""
    by_key = {(d.entry, d.field): d for d in current}
    for d in new:
        by_key[(d.entry, d.field)] = d
    return list(by_key.values())


def record(list_path: str | Path, decided: Sequence[Finding], *, reason: str | None = None,
           force: bool = False) -> Path | None:
    """Write ``decided`` findings' decisions to the list's file, if it exists (or ``force``).

    A reopened finding's decision is removed."""
    path = path_for(list_path)
    if not (force or path.exists()):
        return None
    today = utcnow().date()
    current = load(path)
    reopened = {(f.entry_key, f.kind.value) for f in decided if f.status is Status.OPEN}
    kept = [d for d in current if (d.entry, d.field) not in reopened]
    made = [Decision(f.entry_key, f.kind.value, f.status.value, f.listed, f.arxiv,
                     reason, today)
            for f in decided if f.status in (Status.ACCEPTED, Status.IGNORED)]
    save(path, merge(kept, made), Path(list_path).name)
    return path


def apply(store, list_id: int, parsed: ParsedList) -> int:
    """Give the list's open findings the decisions its file holds; how many it changed."""
    decisions = load(path_for(parsed.path))
    if not decisions:
        return 0
    entries = {e.key: e for e in parsed.entries}
    changed = 0
    for f in store.findings(list_id, status=[Status.OPEN]):
        d = next((d for d in decisions if d.holds_for(f, entries.get(f.entry_key))), None)
        if d is None:
            continue
        status = Status.ACCEPTED if d.status == Status.ACCEPTED.value else Status.IGNORED
        reason = d.reason or ("locked in the decisions file" if d.status == LOCKED
                              else "from the decisions file")
        changed += len(store.set_status(list_id, [f.id], status, reason))
    return changed


def lock(list_path: str | Path, entry: Entry, field: str, reason: str | None = None) -> Path:
    """Keep ``entry``'s ``field`` as the list writes it; the file is created if need be."""
    path = path_for(list_path)
    d = Decision(entry.key, field, LOCKED, field_text(entry, field), None, reason, utcnow().date())
    save(path, merge(load(path), [d]), Path(list_path).name)
    return path
