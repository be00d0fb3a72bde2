"""Review decisions that travel with the list: ``LIST.diffsync.toml`` beside it.

The database forgets nothing, but CI starts with a fresh one; a maintainer's
ignore, accept and field locks therefore also live in a small file committed
next to the list.  Every accept, ignore and lock is written there too (the
first decision creates it; ``[review] decisions_file = false`` keeps
decisions in the database only), one table per entry and field, sorted, so
its git diffs stay small; decisions the database holds from before the file
existed are written with the next one (or by ``diffsync decisions export``).
Every check applies it, so a check on an empty database honours it.

The file is written by tomli-w, a well-kept TOML writer: every character a
title may hold (those above U+FFFF too) is written as TOML reads it back.

A decision holds while the listed value is what was decided on (and, except
for a lock, arXiv's value too): a change of the listed text reopens it,
exactly as in the database.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import Iterable, Mapping, Sequence

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
    # The finding's id: which copy of a paper listed twice the decision was made on
    # (an id holds kind, entry and copy; never a line).  None: every copy (a lock).
    finding: str | None = None

    def holds_for(self, f: Finding, entry: Entry | None) -> bool:
        if f.entry_key != self.entry or f.kind.value != self.field:
            return False
        if self.finding is not None and f.id != self.finding:
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
        finding = d.get("finding")
        out.append(Decision(str(d["entry"]), str(d["field"]), d["status"], d.get("listed"),
                            d.get("arxiv"), d.get("reason"), on if isinstance(on, date) else None,
                            str(finding) if finding is not None else None))
    return out


def _sort_key(d: Decision) -> tuple[str, str, str]:
    return d.entry, d.field, d.finding or ""


def dumps(decisions: Iterable[Decision], list_name: str) -> str:
    import tomli_w

    header = (f"# Review decisions for {list_name}, written by diffsync (accept, ignore, lock).\n"
              "# Commit this file with the list: a check with a fresh database honours it.\n\n")
    tables = []
    for d in sorted(decisions, key=_sort_key):
        table: dict[str, object] = {key: value for key, value in (
            ("entry", d.entry), ("field", d.field), ("status", d.status), ("listed", d.listed),
            ("arxiv", d.arxiv), ("reason", d.reason), ("date", d.on), ("finding", d.finding))
            if value is not None}
        tables.append(table)
    return header + (tomli_w.dumps({"decision": tables}) if tables else "")


def save(path: Path, decisions: Sequence[Decision], list_name: str) -> None:
    save_text(path, dumps(decisions, list_name))


def merge(current: Sequence[Decision], new: Iterable[Decision]) -> list[Decision]:
    """``current`` with ``new`` replacing the decision on the same entry and field."""
    by_key = {_key(d): d for d in current}
    for d in new:
        by_key[_key(d)] = d
    return list(by_key.values())


def _key(d: Decision) -> tuple[str, str, str | None]:
    """A decision replaces the one on the same entry, field and copy."""
    return d.entry, d.field, d.finding


@dataclass(frozen=True)
class Written:
    path: Path
    created: bool  # the file did not exist before this decision


def _decision_of(f: Finding, reason: str | None, on: date) -> Decision:
    return Decision(f.entry_key, f.kind.value, f.status.value, f.listed, f.arxiv, reason, on, f.id)


def record(list_path: str | Path, decided: Sequence[Finding], *, reason: str | None = None,
           known: Sequence[Finding] = (), enabled: bool = True) -> Written | None:
    """Write ``decided`` findings' decisions to the list's file, creating it if need be.

    A reopened finding's decision is removed.  ``known`` (every finding the database
    holds for the list) fills in decisions made before the file existed; a decision
    the file already holds on the same entry and field is kept as it is (a lock too).
    Nothing is written when nothing would change (the file is byte-stable) or when
    ``enabled`` is false (``[review] decisions_file = false``)."""
    if not enabled:
        return None
    path = path_for(list_path)
    existed = path.exists()
    today = utcnow().date()
    current = load(path)
    by_key = {_key(d): d for d in current}
    held = {(d.entry, d.field) for d in current if d.finding is None}  # locks, older files
    for f in known:  # decisions the database holds and the file does not
        key = (f.entry_key, f.kind.value, f.id)
        if f.status in (Status.ACCEPTED, Status.IGNORED) and key not in by_key and key[:2] not in held:
            by_key[key] = _decision_of(f, f.reason, today)
        elif f.status in (Status.APPLIED, Status.RESOLVED) and key in by_key \
                and by_key[key].status == Status.ACCEPTED.value:
            del by_key[key]  # export wrote the fix: the accept has done its work
    for f in decided:
        key = (f.entry_key, f.kind.value, f.id)
        if f.status is Status.OPEN:
            by_key.pop(key, None)
            if (f.entry_key, f.kind.value, None) in by_key and by_key[key[:2] + (None,)].status != LOCKED:
                del by_key[key[:2] + (None,)]  # an older file's decision on every copy
        elif f.status in (Status.ACCEPTED, Status.IGNORED):
            made = _decision_of(f, reason, today)
            same = by_key.get(key)
            if same is None or (same.status, same.listed, same.arxiv) != (made.status, made.listed, made.arxiv) \
                    or (reason is not None and reason != same.reason):
                by_key[key] = made
    text = dumps(by_key.values(), Path(list_path).name)
    if existed and not by_key and not current:
        return None  # an empty file the maintainer made stays as it is until a decision
    if existed and path.read_bytes() == text.encode("utf-8"):
        return None
    if not existed and not by_key:
        return None
    save_text(path, text)
    return Written(path, not existed)


def follow(list_path: str | Path, moves: Mapping[str, tuple[str, str, int]], applied: Iterable[str],
           *, enabled: bool = True) -> Written | None:
    """After diffsync rewrote the list (export, add): keep the file true to its findings.

    ``moves``: each moved finding's old id -> (new id, new entry key, line); ``applied``:
    the new ids of the findings whose fix was written.  An accept whose fix was written
    has done its work and goes.  Every other decision follows its finding: a copy's id
    counts the copies before it, so fixing the first copy's title renumbers the next,
    and a decision left on the old id would land on the wrong copy."""
    path = path_for(list_path)
    done = set(applied)
    if not enabled or not (moves or done) or not path.exists():
        return None
    current = load(path)
    kept = []
    for d in current:
        new_id, new_key, _ = moves.get(d.finding, (d.finding, d.entry, 0)) if d.finding else (None, d.entry, 0)
        if d.status == Status.ACCEPTED.value and new_id in done:
            continue
        kept.append(replace(d, entry=new_key, finding=new_id))
    if kept == current:
        return None
    save(path, kept, Path(list_path).name)
    return Written(path, False)


def save_text(path: Path, text: str) -> None:
    from ..writeback.atomicfile import write_atomic

    write_atomic(path, text.encode("utf-8"))


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


def lock(list_path: str | Path, entry: Entry, field: str, reason: str | None = None,
         known: Sequence[Finding] = ()) -> Written:
    """Keep ``entry``'s ``field`` as the list writes it; the file is created if need be.
    ``known`` fills in the database's earlier decisions, as ``record`` does."""
    path = path_for(list_path)
    existed = path.exists()
    d = Decision(entry.key, field, LOCKED, field_text(entry, field), None, reason, utcnow().date())
    current = merge(load(path), [d])
    held = {_key(c) for c in current} | {(c.entry, c.field, None) for c in current}
    today = utcnow().date()
    current += [_decision_of(f, f.reason, today) for f in known
                if f.status in (Status.ACCEPTED, Status.IGNORED)
                and (f.entry_key, f.kind.value, f.id) not in held and (f.entry_key, f.kind.value, None) not in held]
    save(path, current, Path(list_path).name)
    return Written(path, not existed)
