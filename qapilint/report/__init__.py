"""Reporters: one module per output format. They format findings that the
check pipeline produced and never re-read or re-parse files."""

from __future__ import annotations

from pathlib import Path

from qapilint.lint.rule import Finding


def display_path(path: Path | None, cwd: Path | None = None) -> str:
    """``path`` relative to the current folder when it is below it."""
    if path is None:
        return "-"
    base = (cwd or Path.cwd()).resolve()
    resolved = path.resolve()
    if resolved.is_relative_to(base):
        return resolved.relative_to(base).as_posix()
    return resolved.as_posix()


def ordered(findings: list[Finding], cwd: Path | None = None) -> list[tuple[str, Finding]]:
    """Findings with their displayed path, sorted by (path, line, column, code)."""
    shown = [(display_path(finding.path, cwd), finding) for finding in findings]
    shown.sort(key=lambda item: (item[0], item[1].span.line, item[1].span.col, item[1].code))
    return shown
