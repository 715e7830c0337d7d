"""``check --fix`` and ``--diff``: check, fix, re-check.

The fixer (:mod:`qapilint.fix.fixer`) takes a linter as a function; this
module wires it to the check pipeline: the first check, the re-checks
after each round (only the rules with fixes while fixes still wait), the
final full check, and writing.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from qapilint.fix.fixer import FixError, FixReport, describe, fix_findings, write_fixes
from qapilint.lint.check import CheckError, CheckOptions, CheckResult, run_check
from qapilint.lint.engine import sort_key
from qapilint.lint.rule import Applicability, Finding


@dataclass(slots=True)
class FixRun:
    result: CheckResult  # what remains, with the sources it refers to
    report: FixReport[Finding]
    problems: list[str]  # one line each, for stderr


def fix_check(
    options: CheckOptions, levels: Iterable[Applicability] = ("safe",), write: bool = True
) -> FixRun:
    """``qapilint check --fix`` (``write``) or ``--diff`` (not ``write``)."""
    first = run_check(options)
    last = [first]

    def lint(overlay: Mapping[Path, str]) -> list[Finding]:
        last.append(run_check(options.replace(overlay=overlay)))
        return last[-1].findings

    levels = tuple(levels)
    # rules whose findings depend on which other rules ran (unused
    # suppressions) are never fixed from a lint that runs only the fixable ones
    fixable = [
        found.code
        for found in first.settings.enabled
        if found.fix in levels and not found.sees_other_findings
    ]
    quick_options = options.replace(
        select=fixable, extend_select=[], ignore=[], preview=first.settings.preview
    )

    def quick(overlay: Mapping[Path, str]) -> list[Finding]:
        return run_check(quick_options.replace(overlay=overlay)).findings

    try:
        report = fix_findings(lint, levels, first=first.findings, quick=quick if fixable else None)
    except FixError as error:
        raise CheckError(str(error)) from error
    problems = describe(report)
    for path, outcome in report.files.items():
        seen = first.sources.get(path)
        if seen is not None and seen != outcome.source.text.split("\n"):
            outcome.refused = f"{path}: changed on disk while being checked; not fixed"
            problems.append(outcome.refused)
    if write:
        problems += write_fixes(report)
    sources = dict(last[-1].sources)
    kept = {p for p, o in report.files.items() if o.rolled_back or o.refused}
    for path in kept:
        if path in first.sources:
            sources[path] = first.sources[path]
    findings = report.findings
    if kept:
        findings = [f for f in findings if f.path is None or f.path.resolve() not in kept]
        findings += [f for f in first.findings if f.path is not None and f.path.resolve() in kept]
    result = CheckResult(sorted(findings, key=sort_key), sources, first.settings)
    return FixRun(result, report, problems)
