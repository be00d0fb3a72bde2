"""Export as a whole: a list's accepted findings, from the store, to a diff or a rewritten list.

``export`` plans the byte edits; this module gathers what planning needs
(the list as it is now, its accepted findings, the arXiv records they
name), refuses a list that changed since its last check, reads the result
back (``verify``), writes it atomically unless the list changed meanwhile,
records the written list and marks the findings it applied ``applied``, so
the next export neither refuses nor applies them again.  ``export_papers``
gives the list's papers as JSON, CSV or BibTeX instead; ``check_output``
keeps that derived file off the user's data.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Sequence

from .atomicfile import FileSnapshot, write_atomic
from ..errors import ListChangedError, UsageError
from .diff import diff_from_edits
from .edits import ExportPlan, apply_edits
from .planning import plan_export, record_ids
from .owner import EntryIndex
from .formats import corrected_entries, render
from ..listfile.parse import parse_list, read_list
from ..models import KINDS, Entry, Finding, PaperRecord, ParsedList, Status, finding_id
from ..store.store import Store
from .verify import check_rewrite
from .listwrite import settle, write_database_first


@dataclass(frozen=True)
class ExportPreview:
    """The list as it is and as the accepted fixes would make it."""

    path: Path
    old: bytes
    new: bytes
    plan: ExportPlan
    accepted: int  # accepted findings of the list, fixable or not
    parsed: ParsedList  # ``old`` as parsed
    findings: tuple[Finding, ...]  # the accepted findings planned from
    records: Mapping[str, PaperRecord]
    snapshot: FileSnapshot  # the list as read: the write refuses if it is not so any more

    @property
    def changed(self) -> bool:
        return self.new != self.old

    def diff(self) -> str:
        """``diff -u`` of the list before and after; empty when nothing changes."""
        return diff_from_edits(self.old, self.new, self.plan.edits, self.path)


def preview_export(store: Store, list_id: int, path: Path) -> ExportPreview:
    """Apply the list's accepted findings in memory; ``ListChangedError`` if it changed since its check."""
    data, parsed = read_list(path)
    settle(store, list_id, data, path)  # an export a crash left unrecorded is recorded first
    accepted = store.findings(list_id, status=[Status.ACCEPTED])
    state = store.list_state(list_id)
    if state is None or state.sha256 != parsed.sha256:
        raise ListChangedError(f"{path}: list changed since the last check; "
                               f"run diffsync check {path} first")
    snapshot = FileSnapshot.of(path, data)
    records = store.load_records(record_ids(accepted))
    plan = plan_export(data, parsed, accepted, records)
    return ExportPreview(Path(path), data, apply_edits(data, plan.edits), plan, len(accepted),
                         parsed, tuple(accepted), records, snapshot)


@dataclass(frozen=True)
class Written:
    """What an export wrote: the findings now ``applied`` (their ids after the rewrite)
    and each moved finding's old id -> (new id, new entry key, line)."""

    applied: tuple[str, ...]
    moves: Mapping[str, tuple[str, str, int]]


def write_export(store: Store, list_id: int, preview: ExportPreview, *, backup: bool = False) -> Written:
    """Replace the list by ``preview.new`` atomically (``backup`` keeps ``LIST.bak``).

    Refuses (``UnsafeRewriteError``, ``ListChangedError``; the list untouched)
    when the new text does not read back as planned or the list changed
    meanwhile.  The database is written first (see ``listwrite``): one that
    cannot be written leaves the list untouched.
    """
    # Written (or already in the list): never planned again; the next check resolves them.
    done = list(dict.fromkeys(preview.plan.applied + preview.plan.unchanged))
    if not preview.changed:
        return Written(tuple(store.set_status(list_id, done, Status.APPLIED) if done else ()), {})
    check_rewrite(preview.parsed, preview.new, preview.plan, preview.findings, preview.records)
    # Recorded as written, so a second export sees no change instead of refusing.
    written = parse_list(preview.new, str(preview.path))
    moves = _moves(preview.parsed, list(written.entries), store.findings(list_id))
    applied = write_database_first(
        store, list_id, preview.parsed, written, moves, [moves.get(i, (i,))[0] for i in done],
        lambda: write_atomic(preview.path, preview.new, backup=backup, expect=preview.snapshot),
        preview.path)
    return Written(tuple(applied), moves)


def record_rewrite(store: Store, list_id: int, old: ParsedList, new: bytes, path: Path,
                   added: frozenset[str] = frozenset()) -> dict[str, tuple[str, str, int]]:
    """Store the list as diffsync rewrote it, and move its findings to their entries' new
    ids and lines; ``added``: arXiv IDs of entries that are new (``diffsync add``)."""
    written = parse_list(new, str(path))
    store.save_entries(list_id, written)
    kept = [e for e in written.entries if e.arxiv_id not in added] if added else list(written.entries)
    moves = _moves(old, kept, store.findings(list_id))
    store.rekey_findings(list_id, moves)
    return moves


def _moves(old: ParsedList, new: Sequence[Entry], findings: Sequence[Finding]) -> dict[str, tuple[str, str, int]]:
    """Each live finding's id, key and line in the rewritten list (same entries, same order)."""
    position = {id(e): n for n, e in enumerate(old.entries)}
    occurrence: list[int] = []
    seen: dict[str, int] = {}
    for e in new:
        occurrence.append(seen.get(e.key, 0))
        seen[e.key] = occurrence[-1] + 1
    owners = EntryIndex(old)
    moves = {}
    for f in findings:
        if f.status is Status.RESOLVED:
            continue
        e = owners.own_entry(f)
        if e is None:
            continue
        n = position[id(e)]
        after = new[n]
        moved = (finding_id(f.kind, after.key, occurrence[n]), after.key, after.line)
        if moved != (f.id, f.entry_key, f.line):
            moves[f.id] = moved
    return moves


def check_output(output: Path, list_path: Path, database_file: Path | None, *, force: bool,
                 option: str = "export -o", unless: str = "add --force to replace it") -> None:
    """``export -o FILE`` (or ``option``: ``check --report``, the daemon's report) writes a
    derived file: never the list, the database or a symlink, and an existing file only
    with ``force`` (else ``unless`` says what to do).  ``UsageError`` (exit 2) says why."""
    if os.path.islink(output):
        raise UsageError(f"{output}: is a symbolic link; {option} does not write through links")
    target = Path(os.path.realpath(output))
    protected = {Path(os.path.realpath(list_path)): "the list itself"}
    if database_file is not None:
        db = Path(os.path.realpath(database_file))
        for suffix in ("", "-wal", "-shm", "-journal", ".arxiv.lock", ".lock"):
            protected[db.with_name(db.name + suffix)] = "the database" if not suffix else f"a database file ({suffix})"
    for path, what in protected.items():
        if target == path or (target.exists() and path.exists() and os.path.samefile(target, path)):
            raise UsageError(f"{output}: is {what}; {option} writes a derived file, choose another path")
    if target.is_dir():
        raise UsageError(f"{output}: is a directory")
    if target.exists() and not force:
        raise UsageError(f"{output}: exists; {unless}")


def export_papers(store: Store, list_id: int, path: Path, fmt: str) -> tuple[str, int]:
    """The list's papers in ``fmt`` (json, csv, bibtex), corrected by accepted findings; and how many entries."""
    _, parsed = read_list(path)
    accepted = store.findings(list_id, status=[Status.ACCEPTED])
    wanted = {e.arxiv_id for e in parsed.entries if e.arxiv_id}
    wanted |= {f.suggestion for f in accepted
               if f.suggestion and KINDS[f.kind].fix_is_id}
    records = store.load_records(sorted(wanted))
    return render(fmt, corrected_entries(parsed, records, accepted)), len(parsed.entries)
