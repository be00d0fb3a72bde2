"""The review report the daemon leaves after each run: Markdown or JSON.

The maintainer reads it on GitHub or in an editor, without a terminal, so
the Markdown groups open findings by kind, gives each its line number
(a link into the list where the report sits next to it) and what the list
has next to what arXiv has.  The file is replaced atomically, so a reader
never sees half a report.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from itertools import groupby
from pathlib import Path
from typing import Any, Iterable

from ..writeback.atomicfile import write_atomic
from ..listfile.safetext import markdown_cell
from ..errors import ConfigError, DiffsyncError
from ..models import KIND_TITLES, Finding
from .render import finding_to_dict, shown_fix, sort_findings
from ..store.store import RunRow
from ..utc import as_utc

FORMATS = ("markdown", "json")



def run_to_dict(run: RunRow) -> dict[str, Any]:
    return {**asdict(run), "started_at": iso(run.started_at), "finished_at": iso(run.finished_at),
            "heartbeat_at": iso(run.heartbeat_at)}


@dataclass(frozen=True)
class Report:
    list_path: str
    generated_at: datetime
    findings: tuple[Finding, ...]  # the open findings of the list
    new_ids: frozenset[str] = frozenset()  # findings first seen by the run
    run: RunRow | None = None  # the run that produced the report
    papers: int | None = None  # papers tracked
    next_run: datetime | None = None
    notes: tuple[str, ...] = field(default_factory=tuple)  # e.g. cooldown state
    last_good: RunRow | None = None  # the list's last run that completed, when ``run`` did not


def _run_failed(report: Report) -> bool:
    return report.run is not None and report.run.status not in ("ok", "running")


def iso(value: datetime | None) -> str | None:
    value = as_utc(value)
    return None if value is None else value.isoformat(timespec="seconds")


def human_time(value: datetime | None) -> str:
    value = as_utc(value)
    if value is None:
        return "-"
    return value.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S UTC")


def check_format(fmt: str) -> str:
    fmt = fmt.strip().lower()
    if fmt not in FORMATS:
        raise ConfigError(f"config: report.format must be markdown or json, got {fmt!r}")
    return fmt


def render(report: Report, fmt: str = "markdown", *, report_path: Path | None = None) -> str:
    if check_format(fmt) == "json":
        return render_json(report)
    return render_markdown(report, report_path=report_path)


def render_json(report: Report) -> str:
    by_kind = _count_by_kind(report.findings)
    doc = {
        "list": report.list_path,
        "generated_at": iso(report.generated_at),
        "run": run_to_dict(report.run) if report.run else None,
        "papers": report.papers,
        "next_run": iso(report.next_run),
        "notes": list(report.notes),
        "run_failed": _run_failed(report),
        # whose findings these are: this run's, or (after a failed run) the last good one's
        "findings_from": (run_to_dict(report.last_good) if report.last_good else None)
        if _run_failed(report) else (run_to_dict(report.run) if report.run else None),
        "counts": {
            "open": len(report.findings),
            "new": sum(1 for f in report.findings if f.id in report.new_ids),
            "by_kind": by_kind,
        },
        "findings": [
            {**finding_to_dict(f), "new": f.id in report.new_ids}
            for f in sort_findings(report.findings)
        ],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def render_markdown(report: Report, *, report_path: Path | None = None) -> str:
    """GitHub-flavoured Markdown; ``report_path`` makes line numbers links into the list."""
    link = _line_link_base(report.list_path, report_path)
    findings = sort_findings(report.findings)
    new_count = sum(1 for f in findings if f.id in report.new_ids)
    out = [f"# diffsync review: {_escape(Path(report.list_path).name)}", ""]
    out += _run_lines(report, len(findings), new_count)
    if not findings:
        if not _run_failed(report):
            out += ["", "Nothing to review: the list agrees with arXiv.", ""]
        elif report.last_good is not None:
            out += ["", f"No findings were open after the last good check "
                        f"({human_time(report.last_good.started_at)}); this run did not check the list.", ""]
        else:
            out += ["", "No check of this list has completed yet, so nothing is known about it.", ""]
        return "\n".join(out)
    if _run_failed(report):
        when = (f"the last good check ({human_time(report.last_good.started_at)})"
                if report.last_good is not None else "earlier checks")
        out += ["", f"**These findings are from {when}, not from the failed run.**"]
    out += ["", "| Kind | Open | New |", "|---|---:|---:|"]
    by_kind = _count_by_kind(findings)
    new_by_kind = _count_by_kind(f for f in findings if f.id in report.new_ids)
    for kind, n in by_kind.items():
        out.append(f"| [{KIND_TITLES.get(kind, kind)}](#{_anchor(kind)}) | {n} "
                   f"| {new_by_kind.get(kind, 0)} |")
    out += ["", "Review them with `diffsync review`; accepted fixes are written back by "
            "`diffsync export`.", ""]
    for kind, group in groupby(findings, key=lambda f: f.kind.value):
        rows = list(group)
        out += [f'<a id="{_anchor(kind)}"></a>', "",
                f"## {KIND_TITLES.get(kind, kind)} ({len(rows)})", ""]
        out += _kind_table(rows, report.new_ids, link)
        out.append("")
    return "\n".join(out)


# Kinds whose list/arXiv values alone do not say what is wrong.
_EXPLAINED_KINDS = {"wrong_id", "not_found", "withdrawn", "link", "duplicate"}


def _kind_table(rows: list[Finding], new_ids: frozenset[str], link: str | None) -> list[str]:
    """One table per kind; "Suggested fix" and "Why" columns only where they add something."""
    show_fix = any(shown_fix(f) for f in rows)
    show_why = any(_needs_message(f) for f in rows)
    header = ["Line", "Paper", "List has", "arXiv has"]
    header += ["Suggested fix"] * show_fix + ["Why"] * show_why + ["New"]
    lines = ["| " + " | ".join(header) + " |",
             "|---:|" + "---|" * (len(header) - 2) + ":---:|"]
    for f in rows:
        cells = [f"[{f.line}]({link}#L{f.line})" if link else str(f.line),
                 (f"[{f.arxiv_id}](https://arxiv.org/abs/{f.arxiv_id})" if f.arxiv_id
                  else _escape(f.entry_key.removeprefix("title:"))),
                 _escape(f.listed) if f.listed else "—",
                 _escape(f.arxiv) if f.arxiv else "—"]
        if show_fix:
            fix = shown_fix(f)
            cells.append(_escape(fix) if fix else "")
        if show_why:
            cells.append(_escape(f.message) if _needs_message(f) else "")
        cells.append("**new**" if f.id in new_ids else "")
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def _needs_message(f: Finding) -> bool:
    return (f.kind.value in _EXPLAINED_KINDS or not f.listed or not f.arxiv
            or f.listed == f.arxiv)


def _run_lines(report: Report, open_count: int, new_count: int) -> list[str]:
    lines = []
    run = report.run
    if run is not None and run.status not in ("ok", "running"):
        kind = "WARNING" if run.status in ("failed", "interrupted") else "NOTE"
        what = {"failed": "failed", "interrupted": "was interrupted",
                "skipped": "was skipped"}.get(run.status, run.status)
        lines += [f"> [!{kind}]",
                  f"> The last run ({human_time(run.started_at)}) {what}"
                  + (f": {_escape(run.error)}" if run.error else "") + ".",
                  "> The findings below are the ones still open from earlier checks.", ""]
    facts = [f"Generated {human_time(report.generated_at)}"]
    if run is not None:
        facts.append(f"last run **{run.status}**")
        if run.status in ("ok", "interrupted"):
            facts.append(f"{run.requests} requests")
            facts.append(f"{run.resolved} resolved")
    if report.papers is not None:
        facts.append(f"{report.papers} papers tracked")
    facts.append(f"**{open_count} open**")
    facts.append(f"{new_count} new")
    if report.next_run is not None:
        facts.append(f"next run {human_time(report.next_run)}")
    lines.append(" · ".join(facts))
    lines += [f"\n{_escape(note)}" for note in report.notes]
    return lines


def _line_link_base(list_path: str, report_path: Path | None) -> str | None:
    if report_path is None:
        return None
    try:
        rel = os.path.relpath(Path(list_path).resolve(), Path(report_path).resolve().parent)
    except ValueError:  # different drives on Windows
        return None
    # ?plain=1 makes GitHub show a Markdown file's source, where #L<n> works.
    return rel.replace(os.sep, "/").replace(" ", "%20") + "?plain=1"


def _count_by_kind(findings: Iterable[Finding]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for f in sort_findings(findings):
        counts[f.kind.value] = counts.get(f.kind.value, 0) + 1
    return counts


def _anchor(kind: str) -> str:
    return "kind-" + kind.replace("_", "-")


def _escape(text: str) -> str:
    """One table cell: no line breaks, no Markdown/HTML the value did not mean (the
    same escaping export uses for arXiv text in the list)."""
    return markdown_cell(text)


def write_report(path: Path, text: str) -> None:
    """Replace ``path`` atomically: readers see the old report or the new one."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DiffsyncError(f"{path}: cannot write report: {exc.strerror or exc}") from None
    write_atomic(path, text.encode("utf-8"), follow_symlink=False)
