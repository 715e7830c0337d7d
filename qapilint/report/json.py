"""``--format json``: format 1, documented in docs/json-format.md: an array
of findings or, with ``--statistics``, of counts per rule."""

from __future__ import annotations

import json
from typing import Any

from qapilint.lint.rule import Finding, Fix
from qapilint.report import ReportInput, ordered, statistics

FORMAT_VERSION = 1


def finding_object(path: str, finding: Finding) -> dict[str, Any]:
    span = finding.span
    return {
        "path": path,
        "line": span.line,
        "column": span.col,
        "end_line": span.end_line,
        "end_column": span.end_col,
        "code": finding.code,
        "name": finding.name,
        "severity": finding.severity,
        "message": finding.message,
        "fix": fix_object(finding.fix),
    }


def fix_object(fix: Fix | None) -> dict[str, Any] | None:
    if fix is None:
        return None
    return {
        "applicability": fix.applicability,
        "message": fix.message,
        "edits": [
            {
                "line": edit.span.line,
                "column": edit.span.col,
                "end_line": edit.span.end_line,
                "end_column": edit.span.end_col,
                "text": edit.text,
            }
            for edit in fix.edits
        ],
    }


def render(report: ReportInput) -> str:
    """The findings as a JSON array, sorted by (path, line, column, code);
    with ``statistics``, the counts per rule: an array of {code, name,
    count}, most frequent first."""
    if report.statistics:
        return json.dumps(statistics(report.findings), indent=2) + "\n"
    objects = []
    for path, finding in ordered(report.findings, report.cwd):
        shown = finding_object(path, finding)
        origin = report.origin(finding)
        if origin is not None:  # qapilint patch: the patch that introduced it
            patch = origin.patch
            shown["patch"] = {
                "number": patch.number,
                "total": patch.total,
                "subject": patch.subject,
                "line": origin.then.span.line,
            }
        objects.append(shown)
    return json.dumps(objects, indent=2, ensure_ascii=False) + "\n"
