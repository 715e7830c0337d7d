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

A rule reads its options, declared with their defaults in
``@rule(..., options={...})`` and set by a project in
``[tool.qapilint.rule.<name>]``, with ``ctx.option(key)``; tree-wide
settings with ``ctx.tree.setting(key)``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

from qapilint.files.records import FrozenRecord, Record
from qapilint.fix.edits import Applicability, Edit, Fix, OverlappingEdits, apply_edits
from qapilint.schema.tree import TreeInfo
from qapilint.syntax.model import Definition, Doc, Module, Problem, Span

__all__ = [
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
# "suppressions": run by the suppression stage (qapilint.lint.suppress) on one
# file's suppression comments, after every other rule's findings are filtered
# "change": run only when a base is given (--diff-base, --staged), on the pair
ContextKind = Literal["module", "doc", "definition", "schema", "suppressions", "change"]


def severity_rank(severity: Severity) -> int:
    return SEVERITIES.index(severity)


def severity_named(name: object) -> Severity | None:
    """The severity ``name`` names (``"error"``, ...); None if it names none."""
    return next((severity for severity in SEVERITIES if severity == name), None)


# --------------------------------------------------------------------------
# Findings


class Finding(Record):
    """One problem at one place.

    Rules set ``span``, ``message`` and, where they know them, ``symbol``
    (the definition), ``member`` (member, feature or section name) and
    ``fix``; the engine fills in the rest.
    """

    __slots__ = (
        "anchor_line",
        "code",
        "fix",
        "member",
        "message",
        "name",
        "path",
        "severity",
        "span",
        "symbol",
    )

    def __init__(  # noqa: PLR0917 - the fields, in order, as rules write them
        self,
        span: Span,
        message: str,
        fix: Fix | None = None,
        symbol: str | None = None,
        member: str | None = None,
        anchor_line: int | None = None,  # the line QEMU reports, if not span.line
        path: Path | None = None,
        code: str = "",
        name: str = "",
        severity: Severity = "error",
    ) -> None:
        self.span = span
        self.message = message
        self.fix = fix
        self.symbol = symbol
        self.member = member
        self.anchor_line = anchor_line
        self.path = path
        self.code = code
        self.name = name
        self.severity = severity

    def fingerprint(self, text: str | None = None, path: str | None = None) -> tuple[str, ...]:
        """Identity for baselines and "new findings only": the rule, the
        definition (or, for a finding that belongs to none, the file:
        ``path`` when given, else the finding's own), the member or section
        and the message; no line numbers, and no file for findings that
        belong to a definition (definitions move between files).

        With ``text``, the flagged text as the caller read it
        (:func:`qapilint.change.compare.flagged_text`), whitespace-normalised,
        is part of it too, and the message's numbers are masked (the text
        carries them, and a line number in a message must not make a moved
        finding new)."""
        where = self.symbol if self.symbol else (path if path is not None else str(self.path))
        message = _normalise(self.message)
        if text is None:
            return (self.code, where or "", self.member or "", message)
        message = re.sub(_NUMBER, "#", message)
        return (self.code, where or "", self.member or "", message, _normalise(text))


_NUMBER = r"\d+"  # compiled by ``re`` on first use: only change runs mask numbers


def _normalise(message: str) -> str:
    return " ".join(message.split())


# --------------------------------------------------------------------------
# Contexts


class RuleContext:
    """What every context offers a rule: its options.

    The engine sets ``rule`` to the rule it is running before each call;
    a test calling a rule function directly sets it itself.
    """

    # the slot is declared here, so that every context can take the rule
    # being run; each subclass makes it a field or sets it in __init__
    # (default None) and gives it no second slot
    __slots__ = ("rule",)
    tree: TreeInfo
    rule: Rule | None

    def option(self, key: str, rule: Rule | RuleFunction | None = None) -> Any:
        """Option ``key`` of the rule being run (or of ``rule``, a rule or
        its decorated function, to read another rule's option): the
        project's value from ``[tool.qapilint.rule.<name>]``, else the
        default declared in ``@rule(..., options={...})``; a key the rule
        does not declare is an error. (Read in a rule's every run: one
        call, no helper of its own.)"""
        owner = self.rule if rule is None else rule_of(rule)
        if owner is None:
            raise LookupError("option(): no rule is being run (set the context's 'rule')")
        declared = owner.options
        if key not in declared:
            raise KeyError(f"rule {owner.name!r} declares no option {key!r}")
        project = self.tree.options.get(owner.name)
        return declared[key] if project is None else project.get(key, declared[key])


class _OptionsOf(RuleContext):
    """A rule's options in a tree, read outside a run."""

    __slots__ = ("tree",)

    def __init__(self, tree: TreeInfo, *, rule: Rule | None = None) -> None:
        self.tree = tree
        self.rule = rule


def rule_option(tree: TreeInfo, rule: Rule, key: str) -> Any:
    """Option ``key`` of ``rule`` in ``tree``: the project's value, else the
    default the rule declares; a key it does not declare is an error."""
    return _OptionsOf(tree, rule=rule).option(key)


def rule_of(target: Rule | RuleFunction) -> Rule:
    """The :class:`Rule` of a rule function (or the rule itself)."""
    if isinstance(target, Rule):
        return target
    found = getattr(target, "qapilint_rule", None)
    if not isinstance(found, Rule):
        raise TypeError(f"{target!r} is not a rule")
    return found


class SeesSchema(RuleContext):
    """A context of one part of a schema (a module, a doc block, a
    definition) that notes whether the rule run on it read its
    ``schema``: a rule that did not found the same in every root that
    includes the part, so the engine reuses what it found in the first
    (``schema_read``)."""

    __slots__ = ("_schema", "schema_read")
    _schema: Schema | None
    schema_read: bool

    @property
    def schema(self) -> Schema | None:
        self.schema_read = True
        return self._schema


class ModuleContext(SeesSchema):
    __slots__ = ("module", "tree")

    def __init__(
        self,
        module: Module,
        tree: TreeInfo,
        schema: Schema | None = None,
        *,
        rule: Rule | None = None,
    ) -> None:
        self.module = module
        self.tree = tree
        self._schema = schema
        self.rule = rule
        self.schema_read = False

    def problems(self, *kinds: str) -> Iterator[Finding]:
        """The problems of the given kinds that parsing and loading found in
        this module, as findings."""
        schema = self.schema
        loaded = schema.load_problems.get(self.module.path, []) if schema else []
        for problem in (*self.module.problems, *loaded):
            if problem.kind in kinds:
                yield problem_finding(problem)


class DocContext(SeesSchema):
    __slots__ = ("base_names", "definition", "doc", "module", "tree")

    def __init__(
        self,
        doc: Doc,
        module: Module,
        tree: TreeInfo,
        definition: Definition | None = None,
        schema: Schema | None = None,
        *,
        rule: Rule | None = None,
        base_names: frozenset[str] | None = None,
    ) -> None:
        self.doc = doc
        self.module = module
        self.tree = tree
        self.definition = definition
        self._schema = schema
        self.rule = rule
        # with a base (--diff-base, --staged): the base's definition names, so a
        # rule can tell a definition new in the change; None without a base
        self.base_names = base_names
        self.schema_read = False


class DefinitionContext(SeesSchema):
    __slots__ = ("definition", "tree")

    def __init__(
        self,
        definition: Definition,
        tree: TreeInfo,
        schema: Schema,
        *,
        rule: Rule | None = None,
    ) -> None:
        self.definition = definition
        self.tree = tree
        self._schema = schema
        self.rule = rule
        self.schema_read = False

    @property
    def schema(self) -> Schema:  # never None here
        self.schema_read = True
        assert self._schema is not None
        return self._schema


class SchemaContext(RuleContext):
    __slots__ = ("schema", "tree")

    def __init__(self, schema: Schema, tree: TreeInfo, *, rule: Rule | None = None) -> None:
        self.schema = schema
        self.tree = tree
        self.rule = rule


class ChangeContext(RuleContext):
    """A base and a head of the same root, for the change rules (``C``).

    ``base`` is None when the root did not exist at base (everything in it
    is new); ``base_tree`` is the base's tree (its own ``VERSION``).
    """

    __slots__ = ("base", "base_tree", "schema", "tree")

    def __init__(
        self,
        schema: Schema,
        tree: TreeInfo,
        base: Schema | None,
        base_tree: TreeInfo | None,
        *,
        rule: Rule | None = None,
    ) -> None:
        self.schema = schema
        self.tree = tree
        self.base = base
        self.base_tree = base_tree
        self.rule = rule


def problem_finding(problem: Problem) -> Finding:
    return Finding(problem.span, problem.message, anchor_line=problem.anchor_line)


# --------------------------------------------------------------------------
# Rule metadata and the decorator


RuleFunction = Callable[[Any], Iterator[Finding]]


class Rule(FrozenRecord):
    __slots__ = (
        "code",
        "context",
        "convention_release",
        "fix",
        "function",
        "name",
        "options",
        "qemu_rejects",
        "qemu_release",
        "severity",
        "status",
    )

    def __init__(  # noqa: PLR0917 - the fields, in order
        self,
        code: str,
        name: str,
        severity: Severity,
        context: ContextKind,
        function: RuleFunction,
        status: Status = "stable",
        fix: FixAvailability = "none",
        qemu_release: str | None = None,  # the QEMU release that started rejecting this
        options: dict[str, Any] | None = None,  # option -> default
        # what it finds, QEMU's own build rejects: a severity override can only raise it
        qemu_rejects: bool = False,
        # the QEMU release whose conventions the rule enforces: on trees older
        # than it the rule does not run (their own conventions differ)
        convention_release: str | None = None,
    ) -> None:
        setting = object.__setattr__  # frozen: see FrozenRecord
        setting(self, "code", code)
        setting(self, "name", name)
        setting(self, "severity", severity)
        setting(self, "context", context)
        setting(self, "function", function)
        setting(self, "status", status)
        setting(self, "fix", fix)
        setting(self, "qemu_release", qemu_release)
        setting(self, "options", {} if options is None else options)
        setting(self, "qemu_rejects", qemu_rejects)
        setting(self, "convention_release", convention_release)

    # the fields' types, for type checkers (set through object.__setattr__,
    # they are not inferred); annotations alone make no class attributes
    code: str
    name: str
    severity: Severity
    context: ContextKind
    function: RuleFunction
    status: Status
    fix: FixAvailability
    qemu_release: str | None
    options: dict[str, Any]
    qemu_rejects: bool
    convention_release: str | None

    @property
    def doc(self) -> str:
        from inspect import cleandoc  # noqa: PLC0415 - only help and docs read it

        return cleandoc(self.function.__doc__ or "")

    @property
    def summary(self) -> str:
        """The docstring's first paragraph, on one line."""
        return " ".join(self.doc.split("\n\n", 1)[0].split())

    @property
    def sees_other_findings(self) -> bool:
        """Whether its findings depend on the other rules' findings (a rule
        of the suppression stage, ``context="suppressions"``): it runs
        after them, so a suppression of it is never reported unused, and
        a lint that runs only some rules (the fixer's quick pass) leaves
        it out."""
        return self.context == "suppressions"


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
    qemu_rejects: bool = False,
    convention_release: str | None = None,
) -> Callable[[RuleFunction], RuleFunction]:
    """Declare a rule; the decorated function is returned unchanged, with the
        :class:`Rule` attached as ``function.qapilint_rule``.

        ``qemu_release``: the release whose parser started rejecting what the
        rule reports (an error from there, a warning before). ``convention_release``:
        the release whose doc conventions the rule enforces; the rule is silent
        on trees older than that (they follow other conventions).

    ``qemu_rejects``: what the rule finds is what QEMU's own build rejects
        (every ``Q`` rule); a severity override can then only raise it.
    """

    def decorate(function: RuleFunction) -> RuleFunction:
        # a function takes any attribute; the Callable type declares none
        function.qapilint_rule = Rule(  # type: ignore[attr-defined]  # see above
            code=code,
            name=name,
            severity=severity,
            context=context,
            function=function,
            status=status,
            fix=fix,
            qemu_release=qemu_release,
            options=dict(options or {}),
            qemu_rejects=qemu_rejects,
            convention_release=convention_release,
        )
        return function

    return decorate
