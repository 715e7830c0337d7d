"""``--format sarif``: SARIF 2.1.0, for code-scanning dashboards.

One run; the driver lists the rules that ran (and any other rule a finding
names); columns are Unicode code points (``columnKind``), regions end
exclusive, as in SARIF. Paths below the repository's top (else the current
folder) are relative to the ``%SRCROOT%`` base, others are absolute
``file:`` URIs. Every fix is given, its applicability in the fix's properties. It has no form for
``--statistics`` (the CLI refuses the combination).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from qapilint import __version__
from qapilint.lint.rule import Finding, Fix, Rule
from qapilint.report import ReportInput, fingerprint_hash, ordered
from qapilint.syntax.model import Span

SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
INFORMATION_URI = "https://pypi.org/project/qapilint/"


def render(report: ReportInput) -> str:
    """The SARIF log; the driver lists the rules that ran (``enabled``) and
    any rule of ``known`` that a finding names."""
    findings = report.findings
    base = (report.top or report.cwd or Path.cwd()).resolve()
    named = {finding.code for finding in findings}
    chosen = {found.code: found for found in report.known if found.code in named}
    chosen.update((found.code, found) for found in report.enabled)
    listed = sorted(chosen.values(), key=lambda found: found.code)
    index = {found.code: position for position, found in enumerate(listed)}
    run: dict[str, Any] = {
        "tool": {
            "driver": {
                "name": "qapilint",
                "version": __version__,
                "informationUri": INFORMATION_URI,
                "rules": [_rule(found) for found in listed],
            }
        },
        "columnKind": "unicodeCodePoints",
        "originalUriBaseIds": {"%SRCROOT%": {"uri": base.as_uri() + "/"}},
        "results": [
            _result(path, finding, index, base) for path, finding in ordered(findings, base)
        ],
    }
    document = {"$schema": SCHEMA, "version": "2.1.0", "runs": [run]}
    return json.dumps(document, indent=2, ensure_ascii=False) + "\n"


def _rule(found: Rule) -> dict[str, Any]:
    return {
        "id": found.code,
        "name": found.name,
        "shortDescription": {"text": found.summary or found.name},
        "fullDescription": {"text": found.doc or found.name},
        "help": {"text": found.doc or found.name},
        "defaultConfiguration": {"level": LEVELS[found.severity]},
        "properties": {"status": found.status, "fix": found.fix},
    }


def _location(path: str, finding: Finding) -> dict[str, Any]:
    if finding.path is not None and not Path(path).is_absolute():
        artifact = {"uri": path, "uriBaseId": "%SRCROOT%"}
    elif finding.path is not None:
        artifact = {"uri": finding.path.resolve().as_uri()}
    else:
        artifact = {"uri": path}
    return artifact


def _region(span: Span) -> dict[str, int]:
    return {
        "startLine": span.line,
        "startColumn": span.col,
        "endLine": span.end_line,
        "endColumn": span.end_col,
    }


def _result(path: str, finding: Finding, index: dict[str, int], base: Path) -> dict[str, Any]:
    artifact = _location(path, finding)
    result: dict[str, Any] = {
        "ruleId": finding.code,
        "level": LEVELS.get(finding.severity, "warning"),
        "message": {"text": finding.message},
        "locations": [
            {"physicalLocation": {"artifactLocation": artifact, "region": _region(finding.span)}}
        ],
        "partialFingerprints": {"qapilint/v1": _fingerprint(finding, base)},
    }
    if finding.code in index:
        result["ruleIndex"] = index[finding.code]
    if finding.fix is not None:
        result["fixes"] = [_fix(finding.fix, artifact)]
    return result


def _fingerprint(finding: Finding, base: Path) -> str:
    """Stable across line moves: the finding's fingerprint, paths relative."""
    return fingerprint_hash(finding, base)


def _fix(fix: Fix, artifact: dict[str, Any]) -> dict[str, Any]:
    return {
        "description": {"text": fix.message or f"{fix.applicability} fix"},
        "artifactChanges": [
            {
                "artifactLocation": artifact,
                "replacements": [
                    {"deletedRegion": _region(edit.span), "insertedContent": {"text": edit.text}}
                    for edit in fix.edits
                ],
            }
        ],
        "properties": {"applicability": fix.applicability},
    }
