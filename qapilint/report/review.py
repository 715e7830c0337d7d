"""``--format review`` (``qapilint patch``): a plain-text reply in the
style of a qemu-devel review. One section per patch with findings
(``On [PATCH n/m] subject:``); in it, the patch's hunks quoted with ``> ``
as a mail reply quotes them (the file's ``diff --git`` line and the hunk's
``@@`` line kept for orientation), trimmed to a few lines around each
remark (``[...]`` where lines are cut), and each finding written unquoted
right under the quoted line it is about: its code and message and, when it
has a fix, what the lines would read. Patches without findings get
nothing; a clean series prints nothing at all.

The hunks come from the series (:class:`qapilint.change.series.Patch`),
the lines and fixes from each finding as it was right after the patch that
introduced it (:class:`qapilint.change.patch.Origin`): nothing is re-read.
It has no form for ``--statistics``."""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass

from qapilint.change.series import Hunk, Patch
from qapilint.lint.rule import Finding
from qapilint.report import ReportInput, display_path, repository_path, rewrite

BEFORE = 3  # quoted lines kept above a remark
AFTER = 1  # and below it
WIDTH = 72  # remarks are wrapped as mail is
CUT = "[...]"
LABELS = {"safe": "Fix", "unsafe": "Possible fix", "suggestion": "Suggestion"}


@dataclass(frozen=True, slots=True)
class _Remark:
    finding: Finding  # as right after the patch that introduced it
    path: str  # relative to the repository's top


def _matches(remark_path: str, hunk_path: str) -> bool:
    return remark_path == hunk_path or remark_path.endswith("/" + hunk_path)


def _wrapped(text: str) -> list[str]:
    return textwrap.wrap(
        " ".join(text.split()), WIDTH, break_long_words=False, break_on_hyphens=False
    ) or [""]


def _remark(finding: Finding, hunks: Sequence[Hunk], path: str) -> list[str]:
    """A finding written as a reviewer would: code and message, then the
    fix's rewrite (when the hunks show every line it changes)."""
    out = _wrapped(f"{finding.code} {finding.message}")
    fix = finding.fix
    if fix is None:
        return out
    label = LABELS.get(fix.applicability, "Fix")
    shown = _shown_rewrite(finding, hunks, path)
    if shown is None:
        if fix.message:
            out += _wrapped(f"{label}: {fix.message}.")
        return out
    what = f"{label}: {fix.message}" if fix.message else label
    if not shown:
        return [*out, *_wrapped(f"{what}, deleting the line.")]
    return [*out, *_wrapped(f"{what}, to read:"), "", *(f"    {line}" for line in shown)]


def _shown_rewrite(finding: Finding, hunks: Sequence[Hunk], path: str) -> list[str] | None:
    if finding.fix is None or not finding.fix.edits:
        return None
    known: dict[int, str] = {}
    for hunk in hunks:
        if _matches(path, hunk.path):
            known.update((line.line, line.text) for line in hunk.lines if line.line is not None)
    if not known:
        return None
    first = min(edit.span.line for edit in finding.fix.edits)
    last = min(max(edit.span.end_line for edit in finding.fix.edits), max(known))
    if any(number not in known for number in range(first, last + 1)):
        return None  # the fix reaches lines the patch does not show
    lines = [known.get(number, "") for number in range(1, max(known) + 1)]
    found = rewrite(finding.fix, lines)
    if found is None:
        return None
    return found[2]


def _quote(kind: str, text: str) -> str:
    return f"> {kind}{text}".rstrip()


def _file_section(path: str, hunks: Sequence[Hunk], remarks: Sequence[_Remark]) -> list[str]:
    """The quoted hunks of one file with their remarks; remarks on lines the
    hunks do not show come after them, each with its line."""
    placed: set[int] = set()
    out: list[str] = []
    header_done = False
    for hunk in hunks:
        if not _matches(path, hunk.path):
            continue
        at: dict[int, list[_Remark]] = {}
        for number, remark in enumerate(remarks):
            if number in placed:
                continue
            for index, line in enumerate(hunk.lines):
                if line.kind != "-" and line.line == remark.finding.span.line:
                    at.setdefault(index, []).append(remark)
                    placed.add(number)
                    break
        if not at:
            continue
        keep: set[int] = set()
        for index in at:
            keep.update(range(max(0, index - BEFORE), min(len(hunk.lines), index + AFTER + 1)))
        if not header_done:
            out.append(f"> {hunk.file_header or f'diff --git a/{path} b/{path}'}")
            header_done = True
        out.append(f"> {hunk.header}")
        previous = -1
        for index in sorted(keep):
            if index != previous + 1:
                out.append(CUT)
            line = hunk.lines[index]
            out.append(_quote(line.kind, line.text))
            for remark in at.get(index, []):
                out += ["", *_remark(remark.finding, hunks, path), ""]
            previous = index
        if previous != len(hunk.lines) - 1:
            out.append(CUT)
    for number, remark in enumerate(remarks):
        if number in placed:
            continue
        if out and out[-1] != "":
            out.append("")
        finding = remark.finding
        out.append(f"{path}:{finding.span.line} (a line this patch does not show):")
        out += [*_remark(finding, (), path), ""]
    return out


def _patch_section(patch: Patch, remarks: Sequence[_Remark]) -> list[str]:
    out = [f"On {patch.label}:", ""]
    paths: list[str] = []
    for remark in remarks:
        if remark.path not in paths:
            paths.append(remark.path)
    order = {hunk.path: number for number, hunk in enumerate(patch.hunks)}

    def position(path: str) -> int:
        return next((n for p, n in order.items() if _matches(path, p)), len(order))

    for path in sorted(paths, key=position):
        mine = [remark for remark in remarks if remark.path == path]
        out += _file_section(path, patch.hunks, mine)
        if out[-1] != "":
            out.append("")
    return out


def _key(remark: _Remark) -> tuple[str, int, int, str]:
    span = remark.finding.span
    return (remark.path, span.line, span.col, remark.finding.code)


def render(report: ReportInput) -> str:
    by_patch: dict[int, list[_Remark]] = {}
    patches: dict[int, Patch] = {}
    elsewhere: list[tuple[str, Finding]] = []
    for finding in report.findings:
        origin = report.origin(finding)
        if origin is None:
            elsewhere.append((display_path(finding.path, report.cwd), finding))
            continue
        then = origin.then
        path = repository_path(then.path, report.top, report.cwd)
        key = id(origin.patch)
        patches[key] = origin.patch
        by_patch.setdefault(key, []).append(_Remark(then, path))
    order = {id(patch): number for number, patch in enumerate(report.series)}
    out: list[str] = []
    for key in sorted(by_patch, key=lambda k: (order.get(k, len(order)), patches[k].number)):
        out += _patch_section(patches[key], sorted(by_patch[key], key=_key))
    if elsewhere:
        out += ["Not attributed to a patch:", ""]
        for path, finding in sorted(elsewhere, key=lambda item: (item[0], item[1].span.line)):
            out.append(f"{path}:{finding.span.line}:")
            out += [*_remark(finding, (), path), ""]
    while out and out[-1] == "":
        out.pop()
    return "".join(line + "\n" for line in out)
