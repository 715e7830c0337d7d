"""``--format json``: format 1, documented in docs/json-format.md."""

from __future__ import annotations

import json
from collections import Counter
from pathlib import Path
from typing import Any

from qapilint.lint.rule import Finding, Fix
from qapilint.report import ordered

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


def render(findings: list[Finding], cwd: Path | None = None) -> str:
    """The findings as a JSON array, sorted by (path, line, column, code)."""
    objects = [finding_object(path, finding) for path, finding in ordered(findings, cwd)]
    return json.dumps(objects, indent=2, ensure_ascii=False) + "\n"


def render_statistics(findings: list[Finding]) -> str:
    """Counts per rule: an array of {code, name, count}, most frequent first."""
    return json.dumps(statistics(findings), indent=2) + "\n"


def statistics(findings: list[Finding]) -> list[dict[str, Any]]:
    counts = Counter((finding.code, finding.name) for finding in findings)
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0][0]))
    return [{"code": code, "name": name, "count": count} for (code, name), count in ranked]
