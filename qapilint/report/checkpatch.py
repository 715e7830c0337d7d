"""``--format checkpatch``: terse lines in the style of QEMU's and Linux's
``checkpatch.pl --terse --showfile``, ``FILE:LINE: ERROR: ...`` (or
``WARNING:``, ``CHECK:`` for info), and nothing at all when clean, so
that b4's per-patch check (``b4.prep-perpatch-check-cmd``) reads it: b4
counts a line holding ``ERROR:`` as a failure and any other as a warning.
Paths are relative to the repository's top. It has no form for
``--statistics`` (the CLI refuses the combination)."""

from __future__ import annotations

from qapilint.report import ReportInput, ordered

LEVELS = {"error": "ERROR", "warning": "WARNING", "info": "CHECK"}


def _one_line(text: str) -> str:
    return " ".join(text.split())


def render(report: ReportInput) -> str:
    out = []
    for path, finding in ordered(report.findings, report.top or report.cwd):
        level = LEVELS.get(finding.severity, "WARNING")
        text = f"{finding.code} {finding.message}"
        if finding.fix is not None and finding.fix.message:
            text += f" ({finding.fix.message})"
        out.append(f"{path}:{finding.span.line}: {level}: {_one_line(text)}\n")
    return "".join(out)
