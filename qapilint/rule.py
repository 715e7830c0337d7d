"""The rule plugin API: metadata, findings, edits and the contexts rules get.

A rule is a generator function decorated with :func:`rule`::

    @rule("W301", "vague-quantifier", context="doc", severity="warning",
          fix="suggestion")
    def vague_quantifier(ctx: DocContext) -> Iterator[Finding]:
        '''Flags "one" used as an article ...'''
        ...
        yield Finding(span, "...", fix=Fix.suggestion([Edit(span, "the")]))

The engine fills in ``code``, ``name``, ``severity`` and ``path`` of each
finding a rule yields. Rules never read files, print or mutate the model.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from qapilint.model import Definition, Doc, Module, Problem, Span

if TYPE_CHECKING:
    from qapilint.schema import Schema

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("info", "warning", "error")
Applicability = Literal["safe", "unsafe", "suggestion"]
FixAvailability = Literal["none", "safe", "unsafe", "suggestion"]
Status = Literal["stable", "preview"]
ContextKind = Literal["module", "doc", "definition", "schema"]


def severity_rank(severity: str) -> int:
    return SEVERITIES.index(severity)  # type: ignore[arg-type]


# --------------------------------------------------------------------------
# Edits and fixes


@dataclass(frozen=True, slots=True)
class Edit:
    """Replace the text of ``span`` by ``text`` (an empty span inserts)."""

    span: Span
    text: str


@dataclass(frozen=True, slots=True)
class Fix:
    applicability: Applicability
    edits: tuple[Edit, ...]
    message: str = ""  # what the fix does, e.g. "write 'the paused migration'"
    # True for a fix computed from the text around it (a paragraph rewrap):
    # --fix applies it after any fix it overlaps, recomputed in a later round
    late: bool = False

    @classmethod
    def safe(cls, edits: list[Edit], message: str = "") -> Fix:
        return cls("safe", tuple(edits), message)

    @classmethod
    def unsafe(cls, edits: list[Edit], message: str = "") -> Fix:
        return cls("unsafe", tuple(edits), message)

    @classmethod
    def suggestion(cls, edits: list[Edit], message: str = "") -> Fix:
        return cls("suggestion", tuple(edits), message)


class OverlappingEdits(ValueError):
    """Two edits touch the same text."""


def _offset(line_starts: list[int], line: int, col: int) -> int:
    return line_starts[line - 1] + col - 1


def apply_edits(text: str, edits: list[Edit] | tuple[Edit, ...]) -> str:
    """Apply edits to ``text`` (lines joined by "\\n"), in memory.

    Raises :class:`OverlappingEdits` when two edits overlap; two insertions
    at the same place are overlapping too, since their order is ambiguous.
    """
    line_starts = [0]
    for index, char in enumerate(text):
        if char == "\n":
            line_starts.append(index + 1)
    line_starts.append(len(text) + 1)
    ranges = sorted(
        (
            _offset(line_starts, edit.span.line, edit.span.col),
            _offset(line_starts, edit.span.end_line, edit.span.end_col),
            edit.text,
        )
        for edit in edits
    )
    pieces: list[str] = []
    cursor = 0
    previous_end = -1
    for start, end, replacement in ranges:
        if start < previous_end or (start == previous_end and start == end and pieces):
            raise OverlappingEdits(f"edits overlap at offset {start}")
        if start < cursor:
            raise OverlappingEdits(f"edits overlap at offset {start}")
        pieces.append(text[cursor:start])
        pieces.append(replacement)
        cursor = end
        previous_end = end
    pieces.append(text[cursor:])
    return "".join(pieces)


# --------------------------------------------------------------------------
# Findings


@dataclass(slots=True)
class Finding:
    """One problem at one place.

    Rules set ``span``, ``message`` and, where they know them, ``symbol``
    (the definition), ``member`` (member, feature or section name) and
    ``fix``; the engine fills in the rest.
    """

    span: Span
    message: str
    fix: Fix | None = None
    symbol: str | None = None
    member: str | None = None
    anchor_line: int | None = None  # the line QEMU reports, if not span.line
    path: Path | None = None
    code: str = ""
    name: str = ""
    severity: Severity = "error"

    def fingerprint(self) -> tuple[str, ...]:
        """Identity for baselines: no line numbers, and no file for findings
        that belong to a definition (definitions move between files)."""
        where = self.symbol if self.symbol else str(self.path)
        return (self.code, where or "", self.member or "", _normalise(self.message))


def _normalise(message: str) -> str:
    return " ".join(message.split())


# --------------------------------------------------------------------------
# Contexts


TREE_SETTINGS = "*"  # key of TreeInfo.options holding tree-wide settings (not a rule name)


@dataclass(slots=True)
class TreeInfo:
    """What rules may know about the source tree being checked.

    ``options`` maps each rule's name to its options: the defaults declared
    in ``@rule(..., options={...})`` overlaid with the project's
    ``[tool.qapilint.rule.<name>]`` table (validated against those
    defaults). Under the key :data:`TREE_SETTINGS` it holds the tree-wide
    settings from config: ``"next-version"`` (the release ``(X, Y)`` the
    tree works towards, for trees without ``VERSION``; None when unset) and
    ``"line-length"`` (an int, None when unset). Read them with
    :meth:`rule_options` and :meth:`setting`.
    """

    root: Path
    version: tuple[int, int, int] | None  # from VERSION; None: current
    options: dict[str, Any] = field(default_factory=dict)  # per-rule options by rule name

    def rule_options(self, name: str) -> dict[str, Any]:
        """The options of the rule called ``name`` (defaults merged with config)."""
        return self.options.get(name, {})

    def setting(self, key: str) -> Any:
        """A tree-wide setting: ``"next-version"`` or ``"line-length"``."""
        return self.options.get(TREE_SETTINGS, {}).get(key)


@dataclass(slots=True)
class ModuleContext:
    module: Module
    tree: TreeInfo
    schema: Schema | None = None

    def problems(self, *kinds: str) -> Iterator[Finding]:
        """The parser's problems of the given kinds, as findings."""
        for problem in self.module.problems:
            if problem.kind in kinds:
                yield problem_finding(problem)


@dataclass(slots=True)
class DocContext:
    doc: Doc
    module: Module
    tree: TreeInfo
    definition: Definition | None = None
    schema: Schema | None = None


@dataclass(slots=True)
class DefinitionContext:
    definition: Definition
    tree: TreeInfo
    schema: Schema


@dataclass(slots=True)
class SchemaContext:
    schema: Schema
    tree: TreeInfo


def problem_finding(problem: Problem) -> Finding:
    return Finding(problem.span, problem.message, anchor_line=problem.anchor_line)


# --------------------------------------------------------------------------
# Rule metadata and the decorator


RuleFunction = Callable[[Any], Iterator[Finding]]


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    name: str
    severity: Severity
    context: ContextKind
    function: RuleFunction
    status: Status = "stable"
    fix: FixAvailability = "none"
    qemu_release: str | None = None  # the QEMU release that started rejecting this
    options: dict[str, Any] = field(default_factory=dict)  # option -> default
    # the QEMU release whose conventions the rule enforces: on trees older
    # than it the rule does not run (their own conventions differ)
    convention_release: str | None = None

    @property
    def doc(self) -> str:
        return inspect.cleandoc(self.function.__doc__ or "")

    @property
    def summary(self) -> str:
        return self.doc.split("\n", 1)[0]


def rule(
    code: str,
    name: str,
    *,
    context: ContextKind,
    severity: Severity = "warning",
    status: Status = "stable",
    fix: FixAvailability = "none",
    qemu_release: str | None = None,
    options: dict[str, Any] | None = None,
    convention_release: str | None = None,
) -> Callable[[RuleFunction], RuleFunction]:
    """Declare a rule; the decorated function is returned unchanged, with the
    :class:`Rule` attached as ``function.qapilint_rule``.

    ``qemu_release``: the release whose parser started rejecting what the
    rule reports (an error from there, a warning before). ``convention_release``:
    the release whose doc conventions the rule enforces; the rule is silent
    on trees older than that (they follow other conventions)."""

    def decorate(function: RuleFunction) -> RuleFunction:
        function.qapilint_rule = Rule(  # type: ignore[attr-defined]
            code=code,
            name=name,
            severity=severity,
            context=context,
            function=function,
            status=status,
            fix=fix,
            qemu_release=qemu_release,
            options=dict(options or {}),
            convention_release=convention_release,
        )
        return function

    return decorate
