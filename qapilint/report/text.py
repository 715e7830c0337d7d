"""``--format text``: compiler-style findings with the source line, a caret
under the span and the fix, if any, as a before/after of the lines it
rewrites; then a summary line. With ``--statistics``, the counts per rule
as a table.

Text from the files (source lines, paths, messages quoting them) is shown
with every non-printable character but the tab escaped (``\\x1b``,
``\\x00``, ``\\u202e``): a terminal never receives a control sequence
from a schema, and the caret is placed by the width of what is shown.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path

from qapilint.files.paths import resolved
from qapilint.lint.rule import Edit, Finding, Fix
from qapilint.report import ReportInput, ordered, render_statistics, rewrite
from qapilint.syntax.model import Span

_RESET = "\x1b[0m"
_STYLES = {
    "bold": "\x1b[1m",
    "dim": "\x1b[2m",
    "error": "\x1b[1;31m",
    "warning": "\x1b[1;33m",
    "info": "\x1b[1;36m",
    "removed": "\x1b[31m",
    "added": "\x1b[32m",
}


class Painter:
    __slots__ = ("color",)

    def __init__(self, color: bool) -> None:
        self.color = color

    def __call__(self, style: str, text: str) -> str:
        if not self.color or not text:
            return text
        return f"{_STYLES[style]}{text}{_RESET}"


def render(report: ReportInput) -> str:
    if report.statistics:
        return render_statistics(report.findings, report.quiet)
    paint = Painter(report.color)
    out: list[str] = []
    for path, finding in ordered(report.findings, report.cwd):
        lines = finding_lines(path, finding, _source(report.sources, finding), paint)
        origin = report.origin(finding)
        if origin is not None:  # qapilint patch: the patch that introduced it
            lines.insert(1, f"  introduced by {shown(origin.patch.label)}")
        out += lines
    if not report.quiet:
        out.append(summary(report.findings))
    return "".join(line + "\n" for line in out)


def _source(sources: Mapping[Path, Sequence[str]], finding: Finding) -> Sequence[str]:
    if finding.path is None:
        return []
    return sources.get(resolved(finding.path), [])


def finding_lines(path: str, finding: Finding, lines: Sequence[str], paint: Painter) -> list[str]:
    span = finding.span
    code = paint(finding.severity, finding.code)
    where = paint("bold", f"{shown(path)}:{span.line}:{span.col}:")
    out = [f"{where} {code} [{finding.name}] {shown(finding.message)}"]
    width = max(len(str(span.line)), len(str(_last_fix_line(finding.fix, lines))))
    if 1 <= span.line <= len(lines):
        text = lines[span.line - 1]
        out.append(f"{span.line:>{width}} | {shown(text)}")
        out.append(f"{'':>{width}} | {paint(finding.severity, caret(text, span))}")
    if finding.fix is not None:
        out += fix_lines(finding.fix, lines, width, paint)
    out.append("")
    return out


def shown(text: str) -> str:
    """``text`` as the report shows it: non-printable characters but the
    tab escaped."""
    if text.isprintable():
        return text
    return "".join(_escaped(char) for char in text)


def _escaped(char: str) -> str:
    if char == "\t" or char.isprintable():
        return char
    code = ord(char)
    if code < 0x100:
        return f"\\x{code:02x}"
    return f"\\u{code:04x}" if code < 0x10000 else f"\\U{code:08x}"


def _width(char: str) -> int:
    """Terminal columns ``char`` takes as shown: a wide (East Asian)
    character two, a combining mark none, an escape its length."""
    import unicodedata  # noqa: PLC0415 - only text beyond printable ASCII asks

    if not char.isprintable():
        return len(_escaped(char))
    if unicodedata.combining(char):
        return 0
    return 2 if unicodedata.east_asian_width(char) in "WF" else 1


def caret(text: str, span: Span) -> str:
    """Spaces (tabs kept, for alignment) up to the span, then '^' under it
    (to the end of the line for a span running onto later lines), both by
    the width of ``text`` as :func:`shown` shows it."""
    col = max(span.col, 1)
    end = span.end_col if span.end_line == span.line else len(text) + 1
    prefix = _under(text[: col - 1])
    prefix += " " * max(0, col - 1 - len(text))
    under = len(_under(text[col - 1 : end - 1]))
    under += max(0, end - 1 - max(len(text), col - 1))  # a span past the line's end
    return prefix + "^" * max(1, under)


def _under(text: str) -> str:
    """What goes under ``text`` as shown: a tab under a tab, else as many
    spaces as each character takes columns."""
    if text.isascii() and text.isprintable():  # most lines: a column each, no tab
        return " " * len(text)
    return "".join("\t" if char == "\t" else " " * _width(char) for char in text)


def _last_fix_line(fix: Fix | None, lines: Sequence[str]) -> int:
    if fix is None:
        return 0
    return min(max(edit.span.end_line for edit in fix.edits), max(len(lines), 1))


def fix_lines(fix: Fix, lines: Sequence[str], width: int, paint: Painter) -> list[str]:
    label = {"safe": "fix", "unsafe": "unsafe fix", "suggestion": "suggestion"}[fix.applicability]
    out = [f"{'':>{width}} = {label}" + (f": {shown(fix.message)}" if fix.message else "")]
    rewritten = rewrite(fix, lines)
    if rewritten is None:
        for edit in fix.edits:
            span = edit.span
            where = f"{span.line}:{span.col}-{span.end_line}:{span.end_col}"
            out.append(f"{'':>{width}}   {where}: {_action(edit)}")
        return out
    first, old, new = rewritten
    for offset, text in enumerate(old):
        out.append(paint("removed", f"{first + offset:>{width}} - {shown(text)}"))
    for offset, text in enumerate(new):
        out.append(paint("added", f"{first + offset:>{width}} + {shown(text)}"))
    return out


def _action(edit: Edit) -> str:
    span = edit.span
    if (span.line, span.col) == (span.end_line, span.end_col):
        return f"insert {edit.text!r}"
    return f"replace with {edit.text!r}" if edit.text else "delete"


def summary(findings: Sequence[Finding]) -> str:
    if not findings:
        return "All checks passed."
    counts = Counter(finding.severity for finding in findings)
    parts = [
        f"{counts[level]} {level}{'s' if counts[level] != 1 else ''}"
        for level in ("error", "warning", "info")
        if counts[level]
    ]
    total = len(findings)
    fixable = sum(1 for f in findings if f.fix is not None and f.fix.applicability == "safe")
    text = f"Found {total} problem{'s' if total != 1 else ''} ({', '.join(parts)})."
    if fixable:
        text += f" {fixable} with a safe fix."
    return text
