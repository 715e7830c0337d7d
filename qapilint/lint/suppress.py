"""Inline suppressions: ``# qapilint: disable=...`` comments.

They live only where QEMU never renders them: plain ``#`` comment lines
outside doc blocks (the parser collects those in ``Module.comments``).

- ``# qapilint: disable=CODE[,CODE] [-- reason]`` on the comment lines
  directly above a ``##`` block silences those rules in that block and in the
  definition after it.
- ``# qapilint: disable-file=CODE[,CODE] [-- reason]`` anywhere outside doc
  blocks silences them in the whole file.

Codes may be written as rule codes or rule names.

This stage reads the comments (:func:`collect`), silences the findings they
cover (:func:`apply`, which marks what each one silenced), then runs the
rules whose context is ``suppressions`` on each file that has a
``qapilint:`` comment (:func:`check`): they get a :class:`SuppressionContext`
and report the suppression comments' own problems (the built-in ones are in
``rules/l_suppression.py``: a suppression that silenced nothing, an unknown
code, a malformed or misplaced comment).
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from functools import partial
from pathlib import Path
from typing import Literal

from qapilint.files import regexes
from qapilint.files.paths import resolved
from qapilint.files.records import Record
from qapilint.lint.engine import applies_to, prepare, run_prepared
from qapilint.lint.rule import Finding, Rule, RuleContext, TreeInfo
from qapilint.lint.selection import find_rule
from qapilint.syntax.model import Comment, Module, Span

Scope = Literal["block", "file"]

_DIRECTIVE = regexes.pattern(r"^\s*qapilint\s*:")
# read only in a comment _DIRECTIVE matches (few files have one): left to
# ``re`` to compile on first use, which costs more than the matching
_PARSE = (
    r"^\s*qapilint\s*:\s*(?P<kind>[A-Za-z-]*)\s*"
    r"(?:=(?P<codes>(?:(?!--).)*))?"
    r"(?:--(?P<reason>.*))?$"
)
_CODE = r"[^,\s]+"


class Entry(Record):
    """One code of a suppression comment."""

    __slots__ = ("rule", "span", "text")

    def __init__(self, text: str, span: Span, rule: Rule | None) -> None:
        self.text = text  # as written
        self.span = span
        self.rule = rule  # None: unknown


class Suppression:
    __slots__ = (
        "codes_span",
        "comment_line",
        "entries",
        "first_line",
        "last_line",
        "path",
        "reason",
        "scope",
        "symbol",
        "used",
    )

    def __init__(  # noqa: PLR0917 - the fields, in order
        self,
        path: Path,
        scope: Scope,
        comment_line: int,
        codes_span: Span,  # the codes list, for rewriting it
        entries: list[Entry],
        reason: str,
        first_line: int = 0,  # block scope: lines covered
        last_line: int = 0,
        symbol: str | None = None,  # block scope: the definition after the block
    ) -> None:
        self.path = path
        self.scope = scope
        self.comment_line = comment_line
        self.codes_span = codes_span
        self.entries = entries
        self.reason = reason
        self.first_line = first_line
        self.last_line = last_line
        self.symbol = symbol
        self.used: set[str] = set()  # codes that silenced something

    def covers(self, finding: Finding) -> bool:
        if self.scope == "file":
            return True
        if self.first_line <= finding.span.line <= self.last_line:
            return True
        return self.symbol is not None and finding.symbol == self.symbol


class Invalid(Record):
    """A ``qapilint:`` comment that makes no suppression, and why."""

    __slots__ = ("comment", "reason")

    def __init__(self, comment: Comment, reason: str) -> None:
        self.comment = comment
        self.reason = reason


class FileSuppressions(Record):
    __slots__ = ("invalid", "module", "suppressions")

    def __init__(self, module: Module) -> None:
        self.module = module
        self.suppressions: list[Suppression] = []
        self.invalid: list[Invalid] = []


class SuppressionContext(RuleContext):
    """One file's ``qapilint:`` comments, for the rules of the suppression
    stage (``context="suppressions"``), after every other rule's findings
    were filtered and suppressed: each suppression knows which codes it
    silenced (``used``)."""

    __slots__ = ("invalid", "module", "ran", "suppressions", "tree")

    def __init__(
        self,
        module: Module,
        tree: TreeInfo,
        suppressions: list[Suppression],
        invalid: list[Invalid],
        ran: Callable[[Rule], bool],  # whether a rule ran on this file
        *,
        rule: Rule | None = None,
    ) -> None:
        self.module = module
        self.tree = tree
        self.suppressions = suppressions
        self.invalid = invalid
        self.ran = ran
        self.rule = rule


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
    """The suppression comments of ``module``, and its ``qapilint:``
    comments that make none."""
    found = FileSuppressions(module)
    comment_lines = {comment.line for comment in module.comments}
    for comment in module.comments:
        if not _DIRECTIVE.match(comment.text):
            continue
        suppression, reason = _read(module, comment, rules, comment_lines)
        if suppression is None:
            found.invalid.append(Invalid(comment, reason))
        else:
            found.suppressions.append(suppression)
    return found


def _read(
    module: Module, comment: Comment, rules: Sequence[Rule], comment_lines: set[int]
) -> tuple[Suppression | None, str]:
    """The suppression a ``qapilint:`` comment makes, or None and why not."""
    match = re.match(_PARSE, comment.text)
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


def _suppression(
    module: Module, comment: Comment, match: re.Match[str], rules: Sequence[Rule]
) -> Suppression:
    start = comment.col + 1  # column of comment.text[0]
    codes_offset = match.start("codes")
    codes_text = match["codes"]
    entries = []
    for code in re.finditer(_CODE, codes_text):
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
        target = files.get(resolved(finding.path)) if finding.path else None
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


def check(
    files: Mapping[Path, FileSuppressions],
    rules: Iterable[Rule],
    trees: Mapping[Path, TreeInfo],
    active: Callable[[Path, Rule], bool],
) -> list[Finding]:
    """The findings of the suppression stage's rules (those of ``rules``
    whose context is ``suppressions``) on each file with a ``qapilint:``
    comment, after :func:`apply` marked what each suppression silenced.
    ``files`` and ``trees`` are keyed alike; ``active`` tells whether a
    rule is enabled for a file (it ran there if it also applies to the
    file's tree: see :func:`~qapilint.lint.engine.applies_to`)."""
    chosen = [found for found in rules if found.context == "suppressions"]
    found: list[Finding] = []
    if not chosen:
        return found
    for key, target in files.items():
        if not target.suppressions and not target.invalid:
            continue
        tree = trees[key]
        ran = partial(_ran, active, target.module.path, tree)
        context = SuppressionContext(target.module, tree, target.suppressions, target.invalid, ran)
        run_prepared(prepare(chosen, tree), context, target.module, found)
    return found


def _ran(active: Callable[[Path, Rule], bool], path: Path, tree: TreeInfo, rule: Rule) -> bool:
    return active(path, rule) and applies_to(rule, tree)


def delete_line(module: Module, line: int) -> Span:
    """The span whose removal deletes ``line`` and one line end."""
    if line < len(module.lines):
        return Span(line, 1, line + 1, 1)
    if line > 1:
        return Span(
            line - 1, len(module.lines[line - 2]) + 1, line, len(module.lines[line - 1]) + 1
        )
    return Span(line, 1, line, len(module.lines[line - 1]) + 1)
