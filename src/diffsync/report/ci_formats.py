"""A check's findings for CI: GitHub workflow commands, SARIF 2.1.0, a job summary.

``check --format github|sarif|markdown`` prints one of these on stdout.
Each open finding is placed on its entry's line, the line every other
format shows for it; where its fix changes another line, the message says
that line too (and SARIF adds it as a related location).  Each carries the
fix export would make for it, so an annotation or a code-scanning alert
says what to do, not just what is wrong.
"""

from __future__ import annotations

import json
import os
from urllib.parse import quote
from pathlib import Path
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Mapping, Sequence

from .. import __version__
from ..errors import UsageError
from ..models import KINDS, Finding, Kind, PaperRecord, ParsedList, Status
from .render import sort_findings, unanswered_note
from ..ghworkflow import escape_data, escape_property
from ..writeback.edits import Edit
from ..writeback.planning import plan_export

if TYPE_CHECKING:
    from rich.console import Console

FORMATS = ("auto", "table", "concise", "json", "github", "sarif", "markdown")
# "auto": a table on a terminal wide enough for one, else one line per finding.
TABLE_MIN_COLUMNS = 120

KIND_HELP = {k: facts.help for k, facts in KINDS.items()}  # SARIF rule help, annotation titles


def parse_fail_on(value: str | None) -> frozenset[Kind] | None:
    """``title,date`` -> those kinds; None (every kind fails) when not given."""
    if value is None:
        return None
    names = [n.strip().lower() for n in value.split(",") if n.strip()]
    known = {k.value: k for k in Kind}
    unknown = [n for n in names if n not in known and n != "all"]
    if unknown or not names:
        raise UsageError(f"--fail-on: unknown kind {', '.join(unknown) or repr(value)}; "
                         f"kinds are all, {', '.join(known)}")
    return frozenset(Kind) if "all" in names else frozenset(known[n] for n in names)


def format_option(value: str, allowed: tuple[str, ...] = FORMATS) -> str:
    fmt = value.strip().lower()
    if fmt not in allowed:
        raise UsageError(f"--format must be one of {', '.join(allowed)}, got {value!r}")
    return fmt


def for_console(fmt: str, console: Console) -> str:
    """``auto`` made concrete: a table on a terminal wide enough for one, else concise lines."""
    if fmt != "auto":
        return fmt
    return "table" if console.is_terminal and console.width >= TABLE_MIN_COLUMNS else "concise"


@dataclass(frozen=True)
class Located:
    """An open finding, the line to show it on (its entry's, as in every format), and the
    edits export would make for it."""

    finding: Finding
    line: int
    edits: tuple[Edit, ...]

    @property
    def fix_line(self) -> int | None:
        """The line the fix changes, when it is not ``line``."""
        return self.edits[0].line if self.edits and self.edits[0].line != self.line else None


def locate(findings: Sequence[Finding], data: bytes, parsed: ParsedList,
           records: Mapping[str, PaperRecord]) -> list[Located]:
    shown = sort_findings(x for x in findings if x.status is Status.OPEN)
    # One plan for all (planning re-reads the whole list); a finding whose fix overlaps
    # another's is planned alone, as export would apply it were it the only one accepted.
    plan = plan_export(data, parsed, shown, records)
    edits: dict[str, list[Edit]] = {}
    for edit in plan.edits:
        for fid in edit.finding_id.split("+"):
            edits.setdefault(fid, []).append(edit)
    alone = {s.finding_id for s in plan.skipped}
    out = []
    for f in shown:
        mine = tuple(plan_export(data, parsed, [f], records).edits) if f.id in alone else tuple(edits.get(f.id, ()))
        out.append(Located(f, f.line, mine))
    return out


def _text(raw: bytes) -> str:
    return raw.decode("utf-8", "replace")


def _flat_text(raw: bytes) -> str:
    return " ".join(_text(raw).split())


def fix_text(item: Located) -> str | None:
    """What export would change, in one line; None when it would change nothing."""
    if not item.edits:
        return None
    return "; ".join(f'"{_flat_text(e.old)}" -> "{_flat_text(e.new)}"' if e.old
                     else f'add "{_flat_text(e.new)}"' for e in item.edits)


def advice(item: Located) -> str | None:
    """``fix: …`` (what ``export --write`` would change), or the review-only suggestion."""
    fix = fix_text(item)
    if fix:
        return f"fix{f' on line {item.fix_line}' if item.fix_line else ''}: {fix}"
    return f"suggested: {item.finding.suggestion}" if item.finding.suggestion else None


# ---------------------------------------------------------------------------
# GitHub workflow commands
# ---------------------------------------------------------------------------




_ANNOTATION = {"error": "error", "warning": "warning", "note": "notice"}


def github(items: Sequence[Located], list_path: str) -> str:
    """One ``::error``, ``::warning`` or ``::notice`` (by its kind's level) per open finding,
    on its line of the list."""
    lines = []
    for item in items:
        f = item.finding
        hint = advice(item)
        message = f.message + (f"\n{hint}" if hint else "") + f"\n(diffsync finding {f.id})"
        props = (f"file={escape_property(list_path)},line={item.line},"
                 f"title={escape_property('diffsync ' + f.kind.value)}")
        lines.append(f"::{_ANNOTATION[KINDS[f.kind].level]} {props}::{escape_data(message)}")
    return "".join(line + "\n" for line in lines)


# ---------------------------------------------------------------------------
# SARIF 2.1.0
# ---------------------------------------------------------------------------

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"


def sarif(items: Sequence[Located], list_path: str) -> dict[str, Any]:
    kinds = list(Kind)
    rules = [{
        "id": k.value,
        "name": "".join(p.capitalize() for p in k.value.split("_")),
        "shortDescription": {"text": KIND_HELP[k].split(". ")[0].rstrip(".") + "."},
        "fullDescription": {"text": KIND_HELP[k]},
        "help": {"text": KIND_HELP[k] + " Review with `diffsync review`; write fixes with "
                 "`diffsync export --write`."},
        "defaultConfiguration": {"level": KINDS[k].level},
    } for k in kinds]
    uri = list_path.replace(os.sep, "/")
    results = []
    for item in items:
        f = item.finding
        result: dict[str, Any] = {
            "ruleId": f.kind.value,
            "ruleIndex": kinds.index(f.kind),
            "level": KINDS[f.kind].level,
            "message": {"text": f.message},
            "locations": [{"physicalLocation": {
                "artifactLocation": {"uri": uri},
                "region": {"startLine": item.line},
            }}],
            "partialFingerprints": {"diffsyncFinding/v1": f.id},
            **({"relatedLocations": [{"id": 1, "message": {"text": "the line the fix changes"},
                                      "physicalLocation": {"artifactLocation": {"uri": uri},
                                                           "region": {"startLine": item.fix_line}}}]}
               if item.fix_line else {}),
            "properties": {"findingId": f.id, "arxivId": f.arxiv_id, "listed": f.listed,
                           "arxiv": f.arxiv},
        }
        if item.edits:
            result["fixes"] = [{
                "description": {"text": f"diffsync export: {fix_text(item)}"},
                "artifactChanges": [{
                    "artifactLocation": {"uri": uri},
                    "replacements": [{
                        "deletedRegion": {"byteOffset": e.span.start,
                                          "byteLength": e.span.end - e.span.start},
                        "insertedContent": {"text": _text(e.new)},
                    } for e in item.edits],
                }],
            }]
        results.append(result)
    return {
        "$schema": SARIF_SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "diffsync",
                "version": __version__,
                "informationUri": "https://pypi.org/project/diffsync/",
                "rules": rules,
            }},
            "artifacts": [{"location": {"uri": uri}}],
            "results": results,
        }],
    }


# ---------------------------------------------------------------------------
# For ``diffsync check``
# ---------------------------------------------------------------------------


def open_before(fmt: str, database_url: str, path: Path) -> frozenset[str]:
    """Ids of the list's open findings before a check, so the summary can mark new ones."""
    from ..store.store import Store

    if fmt != "markdown" or not Store.exists(database_url):
        return frozenset()
    with Store.open(database_url) as store:
        list_id = store.find_list(str(Path(path).resolve()))
        if list_id is None:
            return frozenset()
        return frozenset(f.id for f in store.findings(list_id, status=[Status.OPEN]))


def render_check(fmt: str, result: Any, database_url: str, busy_timeout: float = 30.0,
                 before: frozenset[str] = frozenset()) -> str:
    """``result`` (a pipeline CheckResult) in ``fmt``: github, sarif or markdown."""
    from ..listfile.parse import read_list
    from ..store.store import Store
    from ..writeback.planning import record_ids

    with Store.open(database_url, busy_timeout=busy_timeout) as store:
        if fmt == "markdown":  # the daemon's report, for $GITHUB_STEP_SUMMARY
            from .gather import report_of_check
            from .markdown import render_markdown

            return render_markdown(report_of_check(store, result, before, _workspace_path(result.list_path)),
                                   line_link=_blob_url(result.list_path))
        data, parsed = read_list(Path(result.list_path))
        records = store.load_records(record_ids(result.findings))
    items = locate(result.findings, data, parsed, records)
    shown = _workspace_path(result.list_path)
    unanswered = unanswered_note(result.summary)
    if fmt == "github":
        return github(items, shown) + (f"::error title=diffsync::{escape_data(unanswered)}\n" if unanswered else "")
    log = sarif(items, shown)
    if unanswered:  # the run did not check everything: SARIF says so, not "no results"
        log["runs"][0]["invocations"] = [{"executionSuccessful": False, "toolExecutionNotifications": [
            {"level": "error", "message": {"text": unanswered}}]}]
    return json.dumps(log, indent=2, ensure_ascii=False) + "\n"



def _blob_url(path: str) -> str | None:
    """In a GitHub workflow, the list at the commit checked, as GitHub shows its source
    (``?plain=1``, where ``#L41`` works): the job summary's line numbers link there."""
    server, repo, sha = (os.environ.get(k) for k in ("GITHUB_SERVER_URL", "GITHUB_REPOSITORY", "GITHUB_SHA"))
    if not (server and repo and sha):
        return None
    shown = _workspace_path(path)
    if shown.startswith(("/", "..")):
        return None  # outside the workspace: not in the repository
    return f"{server.rstrip('/')}/{repo}/blob/{sha}/{quote(shown)}?plain=1"


def _workspace_path(path: str) -> str:
    """The list's path relative to the workspace (GitHub's annotations and SARIF want that)."""
    root = os.environ.get("GITHUB_WORKSPACE") or os.getcwd()
    try:
        rel = os.path.relpath(Path(path).resolve(), Path(root).resolve())
    except ValueError:
        return path
    return path if rel.startswith("..") else rel.replace(os.sep, "/")


def fails(findings: Sequence[Finding], fail_on: frozenset[Kind] | None) -> bool:
    """Whether the open findings make the exit code 1 (with ``--fail-on``, only those kinds)."""
    return any(f.status is Status.OPEN and (fail_on is None or f.kind in fail_on) for f in findings)
