"""``--format github``: GitHub Actions workflow commands, one line per
finding, which the Actions runner turns into annotations on the diff. It
has no form for ``--statistics`` (the CLI refuses the combination). Paths
are relative to the repository's top, wherever the command runs."""

from __future__ import annotations

from qapilint.report import ReportInput, ordered

LEVELS = {"error": "error", "warning": "warning", "info": "notice"}


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def render(report: ReportInput) -> str:
    out = []
    for path, finding in ordered(report.findings, report.top or report.cwd):
        span = finding.span
        properties = ",".join(
            [
                f"file={_property(path)}",
                f"line={span.line}",
                f"col={span.col}",
                f"endLine={span.end_line}",
                f"endColumn={span.end_col}",
                f"title={_property(f'{finding.code} {finding.name}')}",
            ]
        )
        level = LEVELS.get(finding.severity, "warning")
        out.append(f"::{level} {properties}::{_data(f'{finding.code} {finding.message}')}\n")
    return "".join(out)
