"""Applying fixes: rounds of non-overlapping edits, a safety re-lint, and
atomic writes that keep a file's encoding details.

The linter is passed in as a function from an overlay (resolved path ->
new text, ``\\n`` line ends, no BOM) to findings, so this module knows
nothing of parsing or rules: :mod:`qapilint.cli` wires it to the check
pipeline, tests to anything they like.

One run goes like this: lint; apply every applicable fix whose edits do
not overlap an already chosen one (identical fixes count once, overlapping
ones wait for the next round); lint the result; repeat until nothing
changes (at most :data:`MAX_ROUNDS` rounds). The last lint is the safety
check: a file where a finding appears that the original did not have
(a parse error included) keeps its original text, and the report says why.
Only then are files written, each refused if it changed on disk meanwhile.
"""

from __future__ import annotations

import contextlib
import difflib
import re
import stat
from collections import Counter
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Generic, Protocol, TypeVar

from qapilint.files import regexes
from qapilint.files.text import decode, encode, line_starts, offset
from qapilint.files.write import replace_file
from qapilint.fix.edits import Applicability, Edit, Fix, OverlappingEdits, apply_edits
from qapilint.syntax.doclines import doc_blocks_of_text
from qapilint.syntax.model import Span

MAX_ROUNDS = 10


class Finding(Protocol):
    """What the fixer reads of a finding (:class:`qapilint.lint.rule.Finding`).

    The fixer is generic in the caller's finding type (``F``): the report
    holds the very findings the linter returned, with their type.
    """

    span: Span
    message: str
    fix: Fix | None
    symbol: str | None
    path: Path | None
    code: str

    def fingerprint(self) -> tuple[str, ...]: ...


# the caller's own kind of finding: what its linter returns, the report holds
F = TypeVar("F", bound=Finding)
Linter = Callable[[Mapping[Path, str]], list[F]]


class FixError(Exception):
    """A file could not be read or written: one line for the user."""


# --------------------------------------------------------------------------
# Files as read


@dataclass(slots=True)
class SourceFile:
    """A file's text as read, and what writing it back must preserve."""

    path: Path
    raw: bytes
    text: str  # BOM removed, line ends "\n"
    newline: str  # "\r\n" when the file used CRLF
    bom: bool
    mode: int

    @classmethod
    def read(cls, path: Path) -> SourceFile:
        try:
            raw = path.read_bytes()
            mode = stat.S_IMODE(path.stat().st_mode)
        except OSError as error:
            raise FixError(f"{path}: cannot read: {error.strerror or error}") from error
        decoded = decode(raw)
        if decoded.bad_byte is not None:
            line, col, byte = decoded.bad_byte
            raise FixError(f"{path}: not UTF-8: byte 0x{byte:02x} at line {line}, column {col}")
        return cls(path, raw, decoded.text, decoded.newline, decoded.bom, mode)

    def encode(self, text: str) -> bytes:
        """``text`` (``\\n`` line ends) in this file's line ends and BOM."""
        return encode(text, self.newline, self.bom)

    def unchanged_on_disk(self) -> bool:
        try:
            return self.path.read_bytes() == self.raw
        except OSError:
            return False


def write_atomically(source: SourceFile, text: str) -> None:
    """Replace the file by ``text`` in one step, keeping its permissions,
    line ends and BOM.

    Raises :class:`FixError` if the file changed on disk since it was read.
    """
    if not source.unchanged_on_disk():
        raise FixError(f"{source.path}: changed on disk since it was read; not written")
    try:
        replace_file(source.path, source.encode(text), source.mode)
    except OSError as error:
        raise FixError(f"{source.path}: cannot write: {error.strerror or error}") from error


# --------------------------------------------------------------------------
# Where fixes may write


_OWN_COMMENT = regexes.pattern(r"\s*#.*\bqapilint\b", re.IGNORECASE)


def writable_lines(text: str) -> set[int]:
    """1-based numbers of the lines a fix may touch: the lines of ``##`` doc
    blocks (delimiters excluded) and qapilint's own comment lines."""
    lines = text.split("\n")
    allowed: set[int] = set()
    in_doc: set[int] = set()
    for block in doc_blocks_of_text(lines):
        in_doc.update(range(block.start, block.end))
        allowed.update(index + 1 for index in block.doc_lines)
    for index, line in enumerate(lines):
        if index not in in_doc and _OWN_COMMENT.match(line):
            allowed.add(index + 1)
    return allowed


def _edit_allowed(edit: Edit, allowed: set[int]) -> bool:
    # (controls helper) an edit ending at column 1 of a later line, such as
    # deleting a whole line with its line end, leaves that later line alone
    span = edit.span
    last = span.end_line - 1 if span.end_col == 1 and span.end_line > span.line else span.end_line
    return all(line in allowed for line in range(span.line, last + 1))


# --------------------------------------------------------------------------
# One round


@dataclass(slots=True)
class RoundResult(Generic[F]):
    text: str
    applied: list[F]
    deferred: int  # fixes left for a later round (they overlapped another)
    refused: list[F]  # fixes touching lines a fix may not touch


def _offsets(edit: Edit, starts: list[int]) -> tuple[int, int]:
    span = edit.span
    return offset(starts, span.line, span.col), offset(starts, span.end_line, span.end_col)


def _overlaps(a: tuple[int, int], b: tuple[int, int]) -> bool:
    if a[0] == a[1] == b[0] == b[1]:
        return True  # two insertions at one place: order unknown
    return a[0] < b[1] and b[0] < a[1]


def apply_round(text: str, findings: Iterable[F]) -> RoundResult[F]:
    """Apply the fixes of ``findings`` that fit together, in source order,
    "late" fixes (rewraps, recomputed each round) after all others.

    A fix whose edits overlap an edit already chosen waits for the next
    round; a fix identical to one already chosen is applied once.
    """
    allowed = writable_lines(text)
    starts = line_starts(text)
    chosen: list[tuple[int, int]] = []
    chosen_fixes: set[tuple[Edit, ...]] = set()
    edits: list[Edit] = []
    applied: list[F] = []
    refused: list[F] = []
    deferred = 0
    ordered = sorted(
        (
            (finding, finding.fix)
            for finding in findings
            if finding.fix is not None and finding.fix.edits
        ),
        key=lambda pair: (pair[1].late, min(edit.span for edit in pair[1].edits)),
    )
    for finding, fix in ordered:
        key = tuple(sorted(fix.edits, key=lambda edit: edit.span))
        if key in chosen_fixes:
            applied.append(finding)
            continue
        if not all(_edit_allowed(edit, allowed) for edit in fix.edits):
            refused.append(finding)
            continue
        ranges = [_offsets(edit, starts) for edit in fix.edits]
        if any(_overlaps(new, old) for new in ranges for old in chosen):
            deferred += 1
            continue
        chosen += ranges
        chosen_fixes.add(key)
        edits += fix.edits
        applied.append(finding)
    try:
        new_text = apply_edits(text, edits)
    except OverlappingEdits:  # a fix overlapping itself: apply nothing
        return RoundResult(text, [], deferred + len(applied), refused)
    return RoundResult(new_text, applied, deferred, refused)


# --------------------------------------------------------------------------
# The whole run


@dataclass(slots=True)
class FileOutcome(Generic[F]):
    path: Path
    source: SourceFile
    text: str  # the fixed text (the original if rolled back)
    applied: int = 0
    rolled_back: list[F] = field(default_factory=list)  # findings the fix introduced
    refused: str | None = None  # why the file was not written

    @property
    def changed(self) -> bool:
        return self.text != self.source.text and not self.rolled_back

    def diff(self) -> str:
        if not self.changed or self.refused:
            return ""
        name = str(self.path)
        with contextlib.suppress(ValueError):
            name = str(self.path.relative_to(Path.cwd()))
        return "".join(
            difflib.unified_diff(
                self.source.text.splitlines(keepends=True),
                self.text.splitlines(keepends=True),
                fromfile=f"a/{name}",
                tofile=f"b/{name}",
            )
        )


@dataclass(slots=True)
class FixReport(Generic[F]):
    files: dict[Path, FileOutcome[F]]
    findings: list[F]  # what remains: the last lint, originals for rolled-back files
    original: list[F]  # the first lint
    rounds: int
    converged: bool  # False: MAX_ROUNDS reached with fixes still changing text
    unapplied: int = 0  # fixes refused because they touch non-doc lines
    held: list[F] = field(default_factory=list)  # new findings that held fixes back

    @property
    def applied(self) -> int:
        """Findings fixed: those of the first lint, in the files changed,
        that the last lint no longer has. Fix applications are not counted:
        a finding one fix creates and a later round fixes again (a line a
        re-indent made too long, then rewrapped) was never the user's."""
        changed = {outcome.path for outcome in self.changed()}

        def in_changed(findings: list[F]) -> Counter[tuple[object, ...]]:
            return Counter(
                (finding.path.resolve(), _identity(finding))
                for finding in findings
                if finding.path is not None and finding.path.resolve() in changed
            )

        return sum((in_changed(self.original) - in_changed(self.findings)).values())

    def changed(self) -> list[FileOutcome[F]]:
        return [o for o in self.files.values() if o.changed and not o.refused]

    def diff(self) -> str:
        return "".join(outcome.diff() for outcome in sorted(self.changed(), key=_by_path))


def _by_path(outcome: FileOutcome[F]) -> str:
    return str(outcome.path)


def applicable(fix: Fix | None, levels: Iterable[Applicability]) -> bool:
    return fix is not None and fix.applicability in set(levels)


_NUMBER = regexes.pattern(r"\d+")


def _identity(finding: Finding) -> tuple[str, ...]:
    """A finding's fingerprint with numbers masked: a line that is still too
    long after a fix, now 72 columns instead of 71, is no new finding."""
    return tuple(_NUMBER.sub("#", part) for part in finding.fingerprint())


def fix_findings(
    lint: Linter[F],
    levels: Iterable[Applicability] = ("safe",),
    max_rounds: int = MAX_ROUNDS,
    first: list[F] | None = None,
    quick: Linter[F] | None = None,
) -> FixReport[F]:
    """Lint, fix in rounds and re-lint, all in memory; nothing is written.

    ``first`` is the first lint's result when the caller has it already.
    ``quick``, if given, lints after a round that left fixes waiting (e.g.
    only the rules that have fixes); ``lint`` always makes the final check.
    """
    levels = tuple(levels)
    original = first if first is not None else lint({})
    findings = original
    sources: dict[Path, SourceFile] = {}
    texts: dict[Path, str] = {}
    applied: Counter[Path] = Counter()
    rounds = 0
    unapplied = 0
    verified = True  # findings come from the full lint
    while True:
        step = _fix_round(findings, levels, sources, texts)
        if rounds == 0:
            unapplied = step.refused
        if not step.texts or rounds == max_rounds:
            converged = not step.texts
            if verified:
                break
            findings, verified = lint(dict(texts)), True
            continue
        texts.update(step.texts)
        applied.update(step.applied)
        rounds += 1
        if quick is not None and step.deferred > 0:
            findings, verified = quick(dict(texts)), False
        else:
            findings, verified = lint(dict(texts)), True
    outcomes: dict[Path, FileOutcome[F]] = {
        path: FileOutcome(path, sources[path], text, applied[path]) for path, text in texts.items()
    }
    remaining, held = _judge(original, findings, outcomes)
    return FixReport(outcomes, remaining, original, rounds, converged, unapplied, held)


@dataclass(slots=True)
class _Step:
    texts: dict[Path, str]  # only the files this round changes
    applied: Counter[Path]
    refused: int
    deferred: int


def _fix_round(
    findings: list[F],
    levels: tuple[Applicability, ...],
    sources: dict[Path, SourceFile],
    texts: dict[Path, str],
) -> _Step:
    by_path: dict[Path, list[F]] = {}
    for finding in findings:
        if finding.path is not None and applicable(finding.fix, levels):
            by_path.setdefault(finding.path.resolve(), []).append(finding)
    step = _Step({}, Counter(), 0, 0)
    for path, fixable in sorted(by_path.items()):
        if path not in sources:
            sources[path] = SourceFile.read(path)
        current = texts.get(path, sources[path].text)
        result = apply_round(current, fixable)
        step.refused += len(result.refused)
        step.deferred += result.deferred
        if result.text != current:
            step.texts[path] = result.text
            step.applied[path] += len(result.applied)
    return step


def revert_blocks(original: str, fixed: str, symbols: set[str]) -> str | None:
    """``fixed`` with the doc blocks of ``symbols`` as in ``original``; None
    when the two texts' doc blocks do not line up."""
    old_lines, new_lines = original.split("\n"), fixed.split("\n")
    old_blocks = [b for b in doc_blocks_of_text(old_lines) if b.closed]
    new_blocks = [b for b in doc_blocks_of_text(new_lines) if b.closed]
    if [b.symbol for b in old_blocks] != [b.symbol for b in new_blocks]:
        return None
    result: list[str] = []
    cursor = 0
    for old, new in zip(old_blocks, new_blocks, strict=True):
        if old.symbol not in symbols:
            continue
        result += new_lines[cursor : new.start] + old_lines[old.start : old.end]
        cursor = new.end
    return "\n".join(result + new_lines[cursor:])


def _judge(
    original: list[F], final: list[F], outcomes: dict[Path, FileOutcome[F]]
) -> tuple[list[F], list[F]]:
    """Where the fixed text has a finding the original did not, keep the
    original doc block of the definition it belongs to (the whole file
    when it belongs to none). Returns the findings that remain and the new
    findings that held fixes back."""
    before = Counter(_identity(finding) for finding in original)
    new = Counter(_identity(finding) for finding in final) - before
    worse: dict[Path | None, list[F]] = {}
    for finding in final:
        key = _identity(finding)
        if new[key] > 0:
            new[key] -= 1
            path = finding.path.resolve() if finding.path is not None else None
            worse.setdefault(path, []).append(finding)
    blame_all = any(path not in outcomes for path in worse)  # not caused by its own file
    held: list[F] = []
    whole: set[Path] = set()
    blocks: set[tuple[Path, str]] = set()
    for path, outcome in outcomes.items():
        introduced = worse.get(path, [])
        if blame_all:
            introduced = introduced or [f for found in worse.values() for f in found]
        if not introduced:
            continue
        symbols = {finding.symbol for finding in introduced if finding.symbol is not None}
        reverted = None
        if not blame_all and all(finding.symbol is not None for finding in introduced):
            reverted = revert_blocks(outcome.source.text, outcome.text, symbols)
        if reverted is None:
            outcome.rolled_back = introduced
            whole.add(path)
        else:
            outcome.text = reverted
            blocks |= {(path, symbol) for symbol in symbols}
            held += introduced
    if not whole and not blocks:
        return final, held

    def kept_back(finding: F) -> bool:
        if finding.path is None:
            return False
        path = finding.path.resolve()
        return path in whole or (path, finding.symbol) in blocks

    remaining = [f for f in final if not kept_back(f)] + [f for f in original if kept_back(f)]
    return remaining, held


def write_fixes(report: FixReport[F]) -> list[str]:
    """Write every changed file; return one line per file not written."""
    problems = []
    for outcome in sorted(report.changed(), key=_by_path):
        try:
            write_atomically(outcome.source, outcome.text)
        except FixError as error:
            outcome.refused = str(error)
            problems.append(str(error))
    return problems


def describe(report: FixReport[F]) -> list[str]:
    """Human lines about rollbacks and unconverged runs (for stderr)."""
    lines = []
    for finding in report.held:
        where = f"'{finding.symbol}'" if finding.symbol else "the file"
        lines.append(
            f"{finding.path}: fixes in {where} not applied: they would introduce "
            f"{finding.code} at line {finding.span.line}: {finding.message}"
        )
    for outcome in sorted(report.files.values(), key=_by_path):
        if outcome.rolled_back:
            first = outcome.rolled_back[0]
            lines.append(
                f"{outcome.path}: fixes not applied: they would introduce "
                f"{len(outcome.rolled_back)} new finding(s), first {first.code} "
                f"at line {first.span.line}: {first.message}"
            )
    if not report.converged:
        lines.append(f"fixes still changing text after {MAX_ROUNDS} rounds; stopped")
    return lines
