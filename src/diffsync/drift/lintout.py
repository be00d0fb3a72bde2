"""The lint's problems for people and for machines: concise lines, JSON, GitHub
workflow commands and SARIF 2.1.0 (``diffsync lint --format``).

Kept apart from the check's ci_formats: the pre-commit hook loads this module
alone, without rich or the database stack.  JSON fields: docs/schemas/lint.json.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any, Sequence

from ..ghworkflow import escape_data, escape_property
from .lintrules import RULES

if TYPE_CHECKING:
    from .lintrules import Problem

FORMATS = ("concise", "json", "github", "sarif")
Report = tuple[str, Sequence["Problem"]]  # a list's path and its problems


def render(fmt: str, reports: Sequence[Report]) -> str:
    if fmt == "json":
        return json.dumps(as_json(reports), indent=2, ensure_ascii=False) + "\n"
    if fmt == "sarif":
        return json.dumps(sarif(reports), indent=2, ensure_ascii=False) + "\n"
    if fmt == "github":
        return "".join(github_line(path, p) for path, problems in reports for p in problems)
    return "".join(p.format(path) + "\n" for path, problems in reports for p in problems)


def as_json(reports: Sequence[Report]) -> dict[str, Any]:
    return {"problems": [{"path": path, "line": p.line, "rule": p.rule, "name": RULES[p.rule].name,
                          "level": RULES[p.rule].level, "message": p.message}
                         for path, problems in reports for p in problems]}




_GITHUB_LEVEL = {"error": "error", "warning": "warning", "note": "notice"}


def github_line(path: str, p: Problem) -> str:
    rule = RULES[p.rule]
    props = f"file={escape_property(path)},line={p.line},title={escape_property(f'diffsync lint {rule.id} {rule.name}')}"
    return f"::{_GITHUB_LEVEL[rule.level]} {props}::{escape_data(p.message)}\n"


def sarif(reports: Sequence[Report]) -> dict[str, Any]:
    from .. import __version__

    ids = list(RULES)
    rules = [{"id": r.id, "name": r.name, "shortDescription": {"text": r.summary},
              "help": {"text": f"{r.summary}. Silence it on one entry with "
                               f"<!-- diffsync: ignore {r.id} --> (docs/lint.md)."},
              "defaultConfiguration": {"level": r.level}} for r in RULES.values()]
    results = [{
        "ruleId": p.rule,
        "ruleIndex": ids.index(p.rule),
        "level": RULES[p.rule].level,
        "message": {"text": p.message},
        "locations": [{"physicalLocation": {"artifactLocation": {"uri": path.replace("\\", "/")},
                                            "region": {"startLine": p.line}}}],
    } for path, problems in reports for p in problems]
    return {
        "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
        "version": "2.1.0",
        "runs": [{"tool": {"driver": {"name": "diffsync-lint", "version": __version__,
                                      "informationUri": "https://pypi.org/project/diffsync/",
                                      "rules": rules}},
                  "results": results}],
    }
