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

from qapilint.fix.edits import Applicability, Edit, Fix, OverlappingEdits, apply_edits
from qapilint.schema.tree import TREE_SETTINGS, TreeInfo
from qapilint.syntax.model import Definition, Doc, Module, Problem, Span

__all__ = [
    "TREE_SETTINGS",
    "Applicability",
    "Edit",
    "Fix",
    "OverlappingEdits",
    "TreeInfo",
    "apply_edits",
]  # the rule API: edits and fixes come from qapilint.fix.edits

if TYPE_CHECKING:
    from qapilint.schema.root import Schema

Severity = Literal["error", "warning", "info"]
SEVERITIES: tuple[Severity, ...] = ("info", "warning", "error")
FixAvailability = Literal["none", "safe", "unsafe", "suggestion"]
Status = Literal["stable", "preview"]
ContextKind = Literal["module", "doc", "definition", "schema"]


def severity_rank(severity: str) -> int:
    return SEVERITIES.index(severity)  # type: ignore[arg-type]


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
) -> Callable[[RuleFunction], RuleFunction]:
    """Declare a rule; the decorated function is returned unchanged, with the
    :class:`Rule` attached as ``function.qapilint_rule``."""

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
        )
        return function

    return decorate
