"""Reporters: one module per output format, found through a registry.

A format is a module with one function, ``render(report: ReportInput) ->
str``, that returns the whole output for a check. :data:`FORMATS` maps each
format's name to its module's dotted path, so the names (``--format``'s
choices) are known without importing any format: a format's module is
imported only when it is chosen. :func:`register` adds one.

Reporters format the findings the check pipeline produced; they never
re-read or re-parse files. What more than one format needs (the order of
findings, displayed paths, counts per rule) lives here, so that no format
module imports another.
"""

from __future__ import annotations

import importlib
from collections import Counter
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

from qapilint.files.paths import resolved
from qapilint.files.records import FrozenRecord
from qapilint.lint.rule import Edit, Finding, Fix, OverlappingEdits, Rule, apply_edits
from qapilint.syntax.model import Span

if TYPE_CHECKING:
    from qapilint.change.patch import Origin
    from qapilint.change.series import Patch


class ReportInput(FrozenRecord):
    """Everything a format may show; each format reads what it needs."""

    __slots__ = (
        "color",
        "cwd",
        "enabled",
        "findings",
        "known",
        "origins",
        "quiet",
        "series",
        "sources",
        "statistics",
        "top",
    )
    findings: Sequence[Finding]  # as the check produced them, paths absolute
    sources: Mapping[Path, Sequence[str]]  # resolved path -> lines
    enabled: Sequence[Rule]  # the rules that ran
    known: Sequence[Rule]  # every loaded rule, for describing the rules findings name
    statistics: bool  # counts per rule instead of the findings (``--statistics``)
    quiet: bool  # findings only: no summary line, no total (``--quiet``)
    color: bool  # ANSI colours, for a terminal
    cwd: Path | None  # paths below it are shown relative to it; None: the current folder
    # the repository's top: formats read by tools on a repository (sarif,
    # github, gitlab) show paths relative to it; None: relative to ``cwd``
    top: Path | None
    # ``qapilint patch``: the series, and the patch that introduced each
    # finding, by id(finding)
    series: Sequence[Patch]
    origins: Mapping[int, Origin]

    def __init__(  # noqa: PLR0917 - the fields, in order
        self,
        findings: Sequence[Finding],
        sources: Mapping[Path, Sequence[str]] | None = None,
        enabled: Sequence[Rule] = (),
        known: Sequence[Rule] = (),
        statistics: bool = False,
        quiet: bool = False,
        color: bool = False,
        cwd: Path | None = None,
        top: Path | None = None,
        series: Sequence[Patch] = (),
        origins: Mapping[int, Origin] | None = None,
    ) -> None:
        setting = object.__setattr__  # frozen: see FrozenRecord
        setting(self, "findings", findings)
        setting(self, "sources", {} if sources is None else sources)
        setting(self, "enabled", enabled)
        setting(self, "known", known)
        setting(self, "statistics", statistics)
        setting(self, "quiet", quiet)
        setting(self, "color", color)
        setting(self, "cwd", cwd)
        setting(self, "top", top)
        setting(self, "series", series)
        setting(self, "origins", {} if origins is None else origins)

    def origin(self, finding: Finding) -> Origin | None:
        """The patch that introduced ``finding`` (``qapilint patch`` only)."""
        return self.origins.get(id(finding))


Renderer = Callable[[ReportInput], str]


# name -> module that defines ``render``; the order is the order ``--help`` lists
class Format(FrozenRecord):
    # a record: a named tuple writes and compiles source for its class at
    # every run's import
    __slots__ = ("module", "statistics")
    module: str  # dotted path of the module whose render() makes it
    statistics: bool  # whether it has a form for --statistics

    def __init__(self, module: str, statistics: bool) -> None:
        object.__setattr__(self, "module", module)
        object.__setattr__(self, "statistics", statistics)


FORMATS: dict[str, Format] = {
    "text": Format("qapilint.report.text", statistics=True),
    "json": Format("qapilint.report.json", statistics=True),
    "sarif": Format("qapilint.report.sarif", statistics=False),
    "github": Format("qapilint.report.github", statistics=False),
    "gitlab": Format("qapilint.report.gitlab", statistics=False),
    "checkpatch": Format("qapilint.report.checkpatch", statistics=False),
    "review": Format("qapilint.report.review", statistics=False),
}


def register(name: str, module: str, statistics: bool = True) -> None:
    """Add output format ``name``, rendered by ``render`` of the module with
    dotted path ``module`` (imported when the format is first used);
    ``statistics``: whether it renders ``--statistics`` (the CLI refuses the
    combination otherwise)."""
    if name in FORMATS:
        raise ValueError(f"output format {name!r} is already registered")
    FORMATS[name] = Format(module, statistics)


def has_statistics(name: str) -> bool:
    """Whether format ``name`` has a form for ``--statistics``."""
    return FORMATS[name].statistics


def names() -> tuple[str, ...]:
    """The registered formats' names, without importing any of them."""
    return tuple(FORMATS)


def renderer(name: str) -> Renderer:
    """The ``render`` function of format ``name``, importing its module."""
    render_function: Renderer = importlib.import_module(FORMATS[name].module).render
    return render_function


def render(name: str, report: ReportInput) -> str:
    """``report`` in format ``name``."""
    return renderer(name)(report)


# --------------------------------------------------------------------------
# Shared by the formats


def display_path(path: Path | None, cwd: Path | None = None) -> str:
    """``path`` relative to the current folder when it is below it."""
    if path is None:
        return "-"
    base = resolved(cwd or Path.cwd())
    real = resolved(path)
    if real.is_relative_to(base):
        return real.relative_to(base).as_posix()
    return real.as_posix()


def repository_path(path: Path | None, top: Path | None, cwd: Path | None = None) -> str:
    """``path`` relative to the repository's ``top`` (wherever the command
    runs from); without a top, as :func:`display_path` shows it."""
    if top is not None and path is not None:
        real, real_top = resolved(path), resolved(top)
        if real.is_relative_to(real_top):
            return real.relative_to(real_top).as_posix()
    return display_path(path, cwd)


def ordered(findings: Sequence[Finding], cwd: Path | None = None) -> list[tuple[str, Finding]]:
    """Findings with their displayed path, sorted by (path, line, column, code)."""
    shown = [(display_path(finding.path, cwd), finding) for finding in findings]
    shown.sort(key=lambda item: (item[0], item[1].span.line, item[1].span.col, item[1].code))
    return shown


def statistics(findings: Sequence[Finding]) -> list[dict[str, Any]]:
    """Counts per rule: {code, name, count}, most frequent first, then by code."""
    counts = Counter((finding.code, finding.name) for finding in findings)
    ranked = sorted(counts.items(), key=lambda item: (-item[1], item[0][0]))
    return [{"code": code, "name": name, "count": count} for (code, name), count in ranked]


def render_statistics(findings: Sequence[Finding], quiet: bool = False) -> str:
    """Counts per rule as a table, most frequent first, then the total (unless
    ``quiet``): what ``--statistics`` prints in a format with no form of its own."""
    rows = statistics(findings)
    width = max([len(str(row["count"])) for row in rows] + [len(str(len(findings)))])
    out = [f"{row['count']:>{width}}  {row['code']}  {row['name']}" for row in rows]
    if not quiet:
        out.append(f"{len(findings):>{width}}  total")
    return "".join(line + "\n" for line in out)


def fingerprint_hash(finding: Finding, top: Path | None, cwd: Path | None = None) -> str:
    """A finding's fingerprint as a short hash, stable across line moves
    and wherever the command runs (a file named relative to the
    repository's top)."""
    parts = list(finding.fingerprint())
    if finding.path is not None and not finding.symbol:
        parts[1] = repository_path(finding.path, top, cwd)
    # surrogateescape: a file name that is not UTF-8 hashes as its bytes
    data = "\x00".join(parts).encode("utf-8", "surrogateescape")
    import hashlib  # noqa: PLC0415 - only some formats hash, and hashlib costs start-up time

    return hashlib.sha256(data).hexdigest()[:32]


MAX_FIX_LINES = 8  # a fix rewriting more lines is shown as its edits


def rewrite(fix: Fix, lines: Sequence[str]) -> tuple[int, list[str], list[str]] | None:
    """(first line, old lines, new lines) of the region ``fix`` changes in
    ``lines`` (a file's lines, the first numbered 1), common leading and
    trailing lines trimmed; None when it cannot be shown (no edits, more
    than :data:`MAX_FIX_LINES` lines, edits outside ``lines``)."""
    if not fix.edits or not lines:
        return None
    first = min(edit.span.line for edit in fix.edits)
    last = min(max(edit.span.end_line for edit in fix.edits), len(lines))
    if first < 1 or first > len(lines) or last - first + 1 > MAX_FIX_LINES:
        return None
    region = lines[first - 1 : last]
    shift = first - 1
    edits = []
    for edit in fix.edits:
        span = edit.span
        end_line = span.end_line - shift
        if end_line > len(region) + 1 or (end_line == len(region) + 1 and span.end_col != 1):
            return None
        moved = Span(span.line - shift, span.col, end_line, span.end_col)
        edits.append(Edit(moved, edit.text))
    try:
        new_text = apply_edits("\n".join(region) + "\n", edits)
    except (OverlappingEdits, IndexError):
        return None
    old = list(region)
    new = new_text.removesuffix("\n").split("\n") if new_text else []
    while old and new and old[0] == new[0]:
        old, new, first = old[1:], new[1:], first + 1
    while old and new and old[-1] == new[-1]:
        old, new = old[:-1], new[:-1]
    return first, old, new
