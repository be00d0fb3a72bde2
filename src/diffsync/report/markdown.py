"""The review report the daemon leaves after each run (and ``check --report``): Markdown or JSON.

The maintainer reads it on GitHub or in an editor, without a terminal, so
the Markdown groups open findings by kind, gives each its line number
(a link into the list where the report sits next to it), what the list
has next to what arXiv has (changed words marked), and the command that
accepts it, written for this list; ignored findings follow with their
reasons.  The file is replaced atomically, so a reader never sees half a
report.
"""

from __future__ import annotations

import json
import os
import shlex
from dataclasses import asdict, dataclass, field
from datetime import datetime, timezone
from itertools import groupby
from pathlib import Path
from typing import Any, Iterable, Mapping
from urllib.parse import quote

from ..arxivid import abs_url
from ..writeback.atomicfile import write_atomic
from ..listfile.safetext import markdown_cell
from ..errors import ConfigError, DiffsyncError
from ..models import KIND_TITLES, KINDS, Finding
from .render import count, finding_to_dict, printable, shown_fix, sort_findings
from .worddiff import html_word_diff
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
    ignored: tuple[Finding, ...] = ()  # ignored findings, shown with their reasons
    titles: Mapping[int, str] = field(default_factory=dict)  # entry title by line (gather.gather)
    list_arg: str | None = None  # how the commands name the list; None: the default [list] path


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


def report_format(fmt: str) -> str:
    fmt = fmt.strip().lower()
    if fmt not in FORMATS:
        raise ConfigError(f"config: report.format must be markdown or json, got {fmt!r}")
    return fmt


def render(report: Report, fmt: str = "markdown", *, report_path: Path | None = None) -> str:
    if report_format(fmt) == "json":
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
            "ignored": len(report.ignored),
            "new": sum(1 for f in report.findings if f.id in report.new_ids),
            "by_kind": by_kind,
        },
        "findings": [
            {**finding_to_dict(f, report.list_path), "title": report.titles.get(f.line), "new": f.id in report.new_ids}
            for f in sort_findings(report.findings)
        ],
        "ignored": [{**finding_to_dict(f, report.list_path), "title": report.titles.get(f.line)}
                    for f in sort_findings(report.ignored)],
    }
    return json.dumps(doc, indent=2, ensure_ascii=False) + "\n"


def render_markdown(report: Report, *, report_path: Path | None = None, line_link: str | None = None) -> str:
    """GitHub-flavoured Markdown; ``report_path`` makes line numbers links into the list
    (relative to the report), ``line_link`` links them to that URL (the job summary's:
    the list on GitHub at the commit checked)."""
    link = line_link or _line_link_base(report.list_path, report_path)
    findings = sort_findings(report.findings)
    new_count = sum(1 for f in findings if f.id in report.new_ids)
    out = [f"# diffsync review: {_escape(Path(report.list_path).name)}", ""]
    out += _run_lines(report, len(findings), new_count)
    if not findings:
        if not _run_failed(report):
            out += ["", "Nothing to review: the list agrees with arXiv"
                    + (", apart from the ignored findings below." if report.ignored else "."), ""]
        elif report.last_good is not None:
            out += ["", f"No findings were open after the last good check "
                        f"({human_time(report.last_good.started_at)}); this run did not check the list.", ""]
        else:
            out += ["", "No check of this list has completed yet, so nothing is known about it.", ""]
        return "\n".join(out + _ignored_section(report, link))
    if _run_failed(report):
        when = (f"the last good check ({human_time(report.last_good.started_at)})"
                if report.last_good is not None else "earlier checks")
        out += ["", f"**These findings are from {when}, not from the failed run.**"]
    by_kind = _count_by_kind(findings)
    new_by_kind = _count_by_kind(f for f in findings if f.id in report.new_ids)
    out += ["", "| Kind | Open |" + " New |" * bool(new_count), "|---|---:|" + "---:|" * bool(new_count)]
    for kind, n in by_kind.items():
        out.append(f"| [{KIND_TITLES.get(kind, kind)}](#{_anchor(kind)}) | {n} |"
                   + f" {new_by_kind.get(kind, 0)} |" * bool(new_count))
    out += ["", *_how_to_act(report.list_arg), ""]
    for kind, group in groupby(findings, key=lambda f: f.kind.value):
        rows = list(group)
        out += [f'<a id="{_anchor(kind)}"></a>', "",
                f"## {KIND_TITLES.get(kind, kind)} ({len(rows)})", ""]
        if len(rows) > 1:
            every = _command("accept", list_arg=report.list_arg, options=("--kind", kind))
            out += [f"All of them: {_code(every)}", ""]
        out += _kind_table(rows, report, link)
        out.append("")
    return "\n".join(out + _ignored_section(report, link))


def _command(verb: str, *args: str, list_arg: str | None, options: tuple[str, ...] = ()) -> str:
    """A command line that works for this list: LIST after the ids (every command takes it
    there; ``--list`` would break after its hyphens in a narrow rendered cell)."""
    where = [list_arg] if list_arg is not None else []
    return shlex.join(["diffsync", verb, *args, *where, *options])


def _how_to_act(list_arg: str | None) -> list[str]:
    review, export = (_command(v, list_arg=list_arg) for v in ("review", "export"))
    ignore = _command("ignore", "ID", list_arg=list_arg, options=("--reason", "REASON"))
    accept = _command("accept", "ID", list_arg=list_arg)
    return ["To act on them (ID: a row's last column):", "",
            f"- review them one by one: {_code(review)}",
            f"- accept one: {_code(accept)}; ignore one: {_code(ignore)}",
            f"- then {_code(export)} shows the diff of the accepted fixes; add `--write` to apply it"]


def _code(text: str) -> str:
    """``text`` as a code span that is safe in a table cell: a fence longer than any run of
    backticks in it, ``|`` escaped (GitHub splits cells before it reads code spans)."""
    text = printable(" ".join(text.split()))
    fence = "`" * (_longest_backtick_run(text) + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text.replace('|', chr(92) + '|')}{pad}{fence}"


def _longest_backtick_run(text: str) -> int:
    longest = run = 0
    for ch in text:
        run = run + 1 if ch == "`" else 0
        longest = max(longest, run)
    return longest


def _kind_table(rows: list[Finding], report: Report, link: str | None) -> list[str]:
    """One table per kind; "Suggested fix" and "Why" columns only where they add something.
    Titles and author lists show one column with the differing words marked."""
    marked = KINDS[rows[0].kind].word_diff
    show_fix = any(_fix_cell(f) for f in rows)
    show_why = any(_needs_message(f) for f in rows)
    show_new = any(f.id in report.new_ids for f in rows)  # an empty column only takes width
    # A link finding has the same URL on both sides, which its "Why" quotes: the value
    # columns would only repeat it (and push the table wider than a GitHub page).
    # A side that is empty in every row (missing_id lists nothing) is left out too.
    same = not marked and all(f.listed == f.arxiv for f in rows)
    show_listed = not (same and show_why) and any(f.listed for f in rows)
    show_arxiv = not same and any(f.arxiv for f in rows)
    values = (["List has → arXiv has"] if marked
              else ["List has"] * show_listed + ["arXiv has"] * show_arxiv)
    # The finding's id, not a whole accept command per row: a command wraps over three or
    # four lines in a narrow cell; the one command above the tables takes the id.
    header = ["Line", "Paper"] + values
    header += ["Suggested fix"] * show_fix + ["Why"] * show_why + ["New"] * show_new + ["ID"]
    lines = ["| " + " | ".join(header) + " |",
             "|---:|" + "---|" * (len(header) - 2 - show_new) + ":---:|" * show_new + "---|"]
    for f in rows:
        cells = [_line_cell(f, link), _paper_cell(f, report.titles)]
        if marked:
            cells.append(_changed_words(f))
        else:
            cells += [_escape(f.listed) if f.listed else "—"] * show_listed
            cells += [_escape(f.arxiv) if f.arxiv else "—"] * show_arxiv
        if show_fix:
            cells.append(_fix_cell(f))
        if show_why:
            cells.append(_escape(_why(f, shown=(f.listed if show_listed or marked else None,
                                                 f.arxiv if show_arxiv or marked else None,
                                                 shown_fix(f) if show_fix else None)))
                         if _needs_message(f) else "")
        if show_new:
            cells.append("**new**" if f.id in report.new_ids else "")
        cells.append(_code(f.id))
        lines.append("| " + " | ".join(cells) + " |")
    return lines


def _line_cell(f: Finding, link: str | None) -> str:
    """The finding's line, and the line its fix changes when that is another."""
    def one(line: int) -> str:
        return f"[{line}]({link}#L{line})" if link else str(line)

    return one(f.line) + (f"<br>fix {one(f.fix_line)}" if f.fix_line else "")


def _why(f: Finding, shown: tuple[str | None, ...]) -> str:
    """The message without the clauses that only repeat a value the row shows already
    ("the list links X for \"T\"…, but X is \"U\"…" beside the List has and arXiv has
    columns); the whole message when every clause does."""
    values = [v for v in shown if v]
    clauses = f.message.split("; ")
    kept = [c for c in clauses if not any(_quotes(c, v) for v in values)]
    if not kept or kept == clauses:
        return f.message
    return "; ".join(kept)


def _quotes(clause: str, value: str) -> bool:
    """Whether ``clause`` repeats ``value`` (or, for "ID: title" values, its title)."""
    title = value.split(": ", 1)[1] if ": " in value[:24] else value
    return len(title) > 3 and (title in clause or value in clause)


def _paper_cell(f: Finding, titles: Mapping[int, str]) -> str:
    """The arXiv ID as a link, over the entry's title as the list has it (unless the row's
    values show it); without an ID, the title alone, never the internal key."""
    title = titles.get(f.line) or f.entry_key.removeprefix("title:")
    if not f.arxiv_id:
        return _escape(title)
    if KINDS[f.kind].title_shown or f.line not in titles:
        return _arxiv_link(f.arxiv_id)
    return f"{_arxiv_link(f.arxiv_id)}<br>{_escape(title)}"


def _arxiv_link(arxiv_id: str) -> str:
    return f"[{_escape(arxiv_id)}]({abs_url(quote(arxiv_id, safe='/.'))})"


def _changed_words(f: Finding) -> str:
    if f.listed and f.arxiv and f.listed != f.arxiv:
        return html_word_diff(f.listed, f.arxiv, escape=_escape)
    return _escape(f.listed or f.arxiv or "—")


def _fix_cell(f: Finding) -> str:
    """A suggested ID as a link; other fixes as the text export writes, unless that is just
    arXiv's value again (the row shows it already)."""
    if KINDS[f.kind].fix_is_id and f.suggestion:  # an ID: a link to its abstract page
        return _arxiv_link(f.suggestion)
    fix = shown_fix(f)
    if not fix or " ".join(fix.split()) in (_escape(f.arxiv or ""), " ".join((f.arxiv or "").split())):
        return ""
    # Markdown (a repaired link) as code: shown as it will be written, never rendered
    # (an autolink would swallow the escapes around it).
    return _code(fix) if "](" in fix else _escape(fix)


def _ignored_section(report: Report, link: str | None) -> list[str]:
    """Ignored findings with why, folded: a maintainer checks a reason still holds, rarely."""
    if not report.ignored:
        return []
    out = ["<details>", f"<summary>{count(len(report.ignored), 'ignored finding')}, with the reasons "
           "given</summary>", "",
           "| Line | Paper | Kind | Reason | Reopen with |", "|---:|---|---|---|---|"]
    for f in sort_findings(report.ignored):
        out.append(f"| {_line_cell(f, link)} | {_paper_cell(f, report.titles)} | {f.kind.value} "
                   f"| {_escape(f.reason) if f.reason else '*no reason given*'} "
                   f"| {_code(_command('reopen', f.id, list_arg=report.list_arg))} |")
    return out + ["", "</details>", ""]


def _needs_message(f: Finding) -> bool:
    return (KINDS[f.kind].explained or not f.listed or not f.arxiv
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
            facts.append(count(run.requests, "request"))
            facts.append(f"{run.resolved} resolved")
    if report.papers is not None:
        facts.append(f"{count(report.papers, 'paper')} tracked")
    facts.append(f"**{open_count} open**")
    facts.append(f"{new_count} new")
    if report.next_run is not None:
        facts.append(f"next run {human_time(report.next_run)}")
    lines.append(" · ".join(facts))
    shown = run if run is not None and run.venues else report.last_good
    venues = shown.venues if shown is not None else None
    if venues:
        lines.append(f"\nVenues: {_escape(venues)}.")
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


def format_for(path: Path, configured: str) -> str:
    """The format of a report written to ``path``: JSON for ``.json``, Markdown for ``.md``,
    else ``configured`` (``[report] format``)."""
    suffix = Path(path).suffix.lower()
    return {".json": "json", ".md": "markdown", ".markdown": "markdown"}.get(suffix) or report_format(configured)


def is_report(path: Path) -> bool:
    """Whether ``path`` holds a report diffsync wrote (Markdown or JSON): only such a file
    is replaced without asking; anything else there is someone's data."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(4096).decode("utf-8", errors="replace")
    except OSError:
        return False
    return head.startswith("# diffsync review: ") or (
        head.startswith('{\n  "list": ') and '"generated_at": ' in head)


def write_report(path: Path, text: str) -> None:
    """Replace ``path`` atomically: readers see the old report or the new one."""
    path = Path(path)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise DiffsyncError(f"{path}: cannot write report: {exc.strerror or exc}") from None
    write_atomic(path, text.encode("utf-8"), follow_symlink=False)
