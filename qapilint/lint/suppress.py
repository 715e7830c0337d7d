"""Inline suppressions: ``# qapilint: disable=...`` comments.

They live only where QEMU never renders them: plain ``#`` comment lines
outside doc blocks (the parser collects those in ``Module.comments``).

- ``# qapilint: disable=CODE[,CODE] [-- reason]`` on the comment lines
  directly above a ``##`` block silences those rules in that block and in the
  definition after it.
- ``# qapilint: disable-file=CODE[,CODE] [-- reason]`` anywhere outside doc
  blocks silences them in the whole file.

Codes may be written as rule codes or rule names. A suppression that
silenced nothing is reported (``L001``), as is an unknown code (``L002``) and
a ``qapilint:`` comment that is malformed or misplaced (``L003``); those
findings are made here, since only this stage knows what was silenced.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

from qapilint.lint.rule import Edit, Finding, Fix, Rule
from qapilint.lint.selection import find_rule
from qapilint.syntax.model import Comment, Module, Span

UNUSED = "L001"
UNKNOWN = "L002"
INVALID = "L003"
META_CODES = (UNUSED, UNKNOWN, INVALID)

Scope = Literal["block", "file"]

_DIRECTIVE = re.compile(r"^\s*qapilint\s*:")
_PARSE = re.compile(
    r"^\s*qapilint\s*:\s*(?P<kind>[A-Za-z-]*)\s*"
    r"(?:=(?P<codes>(?:(?!--).)*))?"
    r"(?:--(?P<reason>.*))?$"
)
_CODE = re.compile(r"[^,\s]+")


@dataclass(slots=True)
class Entry:
    """One code of a suppression comment."""

    text: str  # as written
    span: Span
    rule: Rule | None  # None: unknown


@dataclass(slots=True, eq=False)
class Suppression:
    path: Path
    scope: Scope
    comment_line: int
    codes_span: Span  # the codes list, for rewriting it
    entries: list[Entry]
    reason: str
    first_line: int = 0  # block scope: lines covered
    last_line: int = 0
    symbol: str | None = None  # block scope: the definition after the block
    used: set[str] = field(default_factory=set)  # codes that silenced something

    def covers(self, finding: Finding) -> bool:
        if self.scope == "file":
            return True
        if self.first_line <= finding.span.line <= self.last_line:
            return True
        return self.symbol is not None and finding.symbol == self.symbol


@dataclass(slots=True)
class FileSuppressions:
    module: Module
    suppressions: list[Suppression] = field(default_factory=list)
    problems: list[Finding] = field(default_factory=list)  # L002, L003


MALFORMED = (
    "malformed suppression: write '# qapilint: disable=CODE' or "
    "'# qapilint: disable-file=CODE', optionally followed by '-- reason'"
)
NOT_OWN_LINE = "a suppression must be a comment line of its own"
NO_CODE = "suppression names no code"
NOT_ABOVE_BLOCK = (
    "a 'disable=' suppression must be on the comment lines directly above a "
    "'##' doc block (use 'disable-file=' for the whole file)"
)


def collect(module: Module, rules: Sequence[Rule]) -> FileSuppressions:
    """The suppression comments of ``module`` and the L002/L003 problems in them."""
    found = FileSuppressions(module)
    comment_lines = {comment.line for comment in module.comments}
    for comment in module.comments:
        if not _DIRECTIVE.match(comment.text):
            continue
        suppression, problem = _read(module, comment, rules, comment_lines)
        if suppression is None:
            found.problems.append(_problem(INVALID, module, comment, problem))
            continue
        for entry in suppression.entries:
            if entry.rule is None:
                message = f"unknown rule code or name {entry.text!r} in suppression"
                found.problems.append(Finding(entry.span, message, code=UNKNOWN))
        found.suppressions.append(suppression)
    for problem in found.problems:
        problem.path = module.path
    return found


def _read(
    module: Module, comment: Comment, rules: Sequence[Rule], comment_lines: set[int]
) -> tuple[Suppression | None, str]:
    """The suppression a ``qapilint:`` comment makes, or None and why not."""
    match = _PARSE.match(comment.text)
    if match is None or match["kind"] not in ("disable", "disable-file") or match["codes"] is None:
        return None, MALFORMED
    if module.lines[comment.line - 1][: comment.col - 1].strip():
        return None, NOT_OWN_LINE
    suppression = _suppression(module, comment, match, rules)
    if not suppression.entries:
        return None, NO_CODE
    if suppression.scope == "block" and not _place_block(suppression, module, comment_lines):
        return None, NOT_ABOVE_BLOCK
    return suppression, ""


def _problem(code: str, module: Module, comment: Comment, message: str) -> Finding:
    line_text = module.lines[comment.line - 1]
    span = Span(comment.line, comment.col, comment.line, len(line_text) + 1)
    return Finding(span, message, code=code)


def _suppression(
    module: Module, comment: Comment, match: re.Match[str], rules: Sequence[Rule]
) -> Suppression:
    start = comment.col + 1  # column of comment.text[0]
    codes_offset = match.start("codes")
    codes_text = match["codes"]
    entries = []
    for code in _CODE.finditer(codes_text):
        col = start + codes_offset + code.start()
        span = Span.at(comment.line, col, len(code[0]))
        entries.append(Entry(code[0], span, find_rule(code[0], rules)))
    stripped = codes_text.strip()
    lead = len(codes_text) - len(codes_text.lstrip())
    codes_col = start + codes_offset + lead
    return Suppression(
        path=module.path,
        scope="block" if match["kind"] == "disable" else "file",
        comment_line=comment.line,
        codes_span=Span.at(comment.line, codes_col, len(stripped)),
        entries=entries,
        reason=(match["reason"] or "").strip(),
    )


def _place_block(suppression: Suppression, module: Module, comment_lines: set[int]) -> bool:
    """Attach a block suppression to the doc block right below it."""
    line = suppression.comment_line
    for doc in module.docs:
        if doc.span.line <= line:
            continue
        between = range(line + 1, doc.span.line)
        if any(number not in comment_lines for number in between):
            return False
        suppression.first_line = doc.span.line
        suppression.last_line = doc.span.end_line
        if doc.definition is not None:
            suppression.last_line = max(suppression.last_line, doc.definition.span.end_line)
            suppression.symbol = doc.definition.name
        return True
    return False


# --------------------------------------------------------------------------
# Applying


def apply(findings: Iterable[Finding], files: dict[Path, FileSuppressions]) -> list[Finding]:
    """The findings no suppression covers; suppressions that matched are
    marked as used. ``files`` is keyed by resolved module path."""
    kept = []
    for finding in findings:
        target = files.get(finding.path.resolve()) if finding.path else None
        if target is None or not _silence(finding, target.suppressions):
            kept.append(finding)
    return kept


def _silence(finding: Finding, suppressions: list[Suppression]) -> bool:
    silenced = False
    for suppression in suppressions:
        for entry in suppression.entries:
            rule = entry.rule
            if rule is not None and rule.code == finding.code and suppression.covers(finding):
                suppression.used.add(rule.code)
                silenced = True
    return silenced


def unused(
    files: dict[Path, FileSuppressions], active: Callable[[Path, Rule], bool]
) -> list[Finding]:
    """One L001 per suppression comment with codes that silenced nothing;
    only rules that ran on the file count (``active``)."""
    found = []
    for target in files.values():
        for suppression in target.suppressions:
            stale = [
                entry
                for entry in suppression.entries
                if entry.rule is not None
                and entry.rule.code not in META_CODES
                and entry.rule.code not in suppression.used
                and active(suppression.path, entry.rule)
            ]
            if stale:
                found.append(_unused_finding(target.module, suppression, stale))
    return found


def _unused_finding(module: Module, suppression: Suppression, stale: list[Entry]) -> Finding:
    names = ", ".join(entry.text for entry in stale)
    keep = [entry.text for entry in suppression.entries if entry not in stale]
    if keep:
        fix = Fix.safe(
            [Edit(suppression.codes_span, ",".join(keep))],
            f"remove {names} from the suppression",
        )
        span = stale[0].span.cover(stale[-1].span)
    else:
        fix = Fix.safe([Edit(delete_line(module, suppression.comment_line), "")], "remove it")
        span = suppression.codes_span
    scope = "file" if suppression.scope == "file" else "doc block"
    finding = Finding(span, f"unused suppression of {names}: no such finding in this {scope}")
    finding.fix = fix
    finding.code = UNUSED
    finding.path = module.path
    return finding


def delete_line(module: Module, line: int) -> Span:
    """The span whose removal deletes ``line`` and one line end."""
    if line < len(module.lines):
        return Span(line, 1, line + 1, 1)
    if line > 1:
        return Span(
            line - 1, len(module.lines[line - 2]) + 1, line, len(module.lines[line - 1]) + 1
        )
    return Span(line, 1, line, len(module.lines[line - 1]) + 1)
