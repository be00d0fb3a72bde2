"""Export as a whole: a list's accepted findings, from the store, to a diff or a rewritten list.

``export`` plans the byte edits; this module gathers what planning needs
(the list as it is now, its accepted findings, the arXiv records they
name), refuses a list that changed since its last check, writes the result
atomically and records the written list, so the next export finds nothing
left to do instead of refusing.  ``export_papers`` gives the list's papers
as JSON, CSV or BibTeX instead.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from .atomicfile import write_atomic
from ..errors import ListChangedError
from .diff import diff_from_edits
from .edits import ExportPlan, apply_edits, plan_export
from .formats import corrected_entries, render
from ..listfile.parse import parse_list, read_list
from ..models import Kind, Status
from ..store.store import Store


@dataclass(frozen=True)
class ExportPreview:
    """The list as it is and as the accepted fixes would make it."""

    path: Path
    old: bytes
    new: bytes
    plan: ExportPlan
    accepted: int  # accepted findings of the list, fixable or not

    @property
    def changed(self) -> bool:
        return self.new != self.old

    def diff(self) -> str:
        """``diff -u`` of the list before and after; empty when nothing changes."""
        return diff_from_edits(self.old, self.new, self.plan.edits, self.path)


def preview_export(store: Store, list_id: int, path: Path) -> ExportPreview:
    """Apply the list's accepted findings in memory; ``ListChangedError`` if it changed since its check."""
    data, parsed = read_list(path)
    accepted = store.findings(list_id, status=[Status.ACCEPTED])
    state = store.list_state(list_id)
    if state is None or state.sha256 != parsed.sha256:
        raise ListChangedError(f"{path}: list changed since the last check; "
                               f"run diffsync check {path} first")
    wanted = {f.arxiv_id for f in accepted if f.arxiv_id}
    wanted |= {f.suggestion for f in accepted if f.suggestion and f.kind is Kind.WRONG_ID}
    plan = plan_export(data, parsed, accepted, store.load_records(sorted(wanted)))
    return ExportPreview(Path(path), data, apply_edits(data, plan.edits), plan, len(accepted))


def write_export(store: Store, list_id: int, preview: ExportPreview, *, backup: bool = False) -> None:
    """Replace the list by ``preview.new`` atomically (``backup`` keeps ``LIST.bak``)."""
    write_atomic(preview.path, preview.new, backup=backup)
    # Record the list as written, so a second export sees no change instead of refusing.
    store.save_entries(list_id, parse_list(preview.new, str(preview.path)))


def export_papers(store: Store, list_id: int, path: Path, fmt: str) -> tuple[str, int]:
    """The list's papers in ``fmt`` (json, csv, bibtex), corrected by accepted findings; and how many entries."""
    _, parsed = read_list(path)
    accepted = store.findings(list_id, status=[Status.ACCEPTED])
    wanted = {e.arxiv_id for e in parsed.entries if e.arxiv_id}
    wanted |= {f.suggestion for f in accepted
               if f.suggestion and f.kind in (Kind.WRONG_ID, Kind.MISSING_ID)}
    records = store.load_records(sorted(wanted))
    return render(fmt, corrected_entries(parsed, records, accepted)), len(parsed.entries)
