"""QEMU's semantic schema checks, as data: what its front end rejects after
parsing, found for the whole schema at once.

QEMU checks a schema in two passes and stops at the first error: the
expressions one by one (their keys, the shape of their values, names, ``if``
conditions, features and flags), then the resolved schema (redefinitions,
types of the right kind, base cycles, member name clashes, union
discriminators and branches, alternates whose branches cannot be told
apart). This module reports every problem instead, each with the class of
check that found it (the rules in ``rules/q_*.py`` report one class each),
QEMU's line (the first line of the definition's expression) and a better
place where there is one (the member, the branch, the key).

Where one problem makes later checks meaningless, they are skipped rather
than reported: an expression that is malformed takes no part in the second
pass (its name is still defined, so nothing that uses it is "unknown"); a
definition's second-pass checks stop at its first problem; a check that
needs the members of a type whose members cannot be worked out (an unknown
or malformed base, a base cycle) is not made.

Behaviour follows QEMU 10.2.2's front end, matched case by case against its
test suite; no code of QEMU's is used.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Literal, NoReturn

from qapilint.files import regexes
from qapilint.files.records import TupleRecord
from qapilint.schema.root import Schema
from qapilint.syntax.build import (
    COMMAND_NAME_EXCEPTIONS,
    COMMAND_RETURNS_EXCEPTIONS,
    MEMBER_NAME_EXCEPTIONS,
)
from qapilint.syntax.model import Definition, JBool, JList, JObject, JString, JValue, Span

# The class of check that found a problem: each is one rule's.
Check = Literal[
    "unknown-type",
    "wrong-type-kind",
    "base-cycle",
    "redefinition",
    "conditional-arguments",
    "invalid-name",
    "name-style",
    "reserved-name",
    "name-clash",
    "discriminator",
    "union-branch",
    "alternate-ambiguous",
    "expression-kind",
    "expression-keys",
    "expression-value",
    "flag",
    "if-condition",
    "feature",
    "too-many-features",
]

META = ("enum", "struct", "union", "alternate", "command", "event")
TYPE_KINDS = ("enum", "struct", "union", "alternate")
# built-in type -> its JSON type (what an alternate tells its branches apart by)
BUILTIN_JSON = {
    "str": "string",
    "number": "number",
    "int": "int",
    "int8": "int",
    "int16": "int",
    "int32": "int",
    "int64": "int",
    "uint8": "int",
    "uint16": "int",
    "uint32": "int",
    "uint64": "int",
    "size": "int",
    "bool": "boolean",
    "any": "value",
    "null": "null",
}
PREDEFINED_ENUMS = {"QType": ("none", "qnull", "qnum", "qstring", "qdict", "qlist", "qbool")}
SPECIAL_FEATURES = ("deprecated", "unstable")
MAX_FEATURES = 64
# JSON type -> the kind of JSON value an alternate sees on the wire
JSON_VALUE = {
    "null": "null",
    "string": "string",
    "number": "number",
    "int": "number",
    "boolean": "boolean",
    "array": "array",
    "object": "object",
}
# the keys each kind of definition requires and allows
KEYS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "enum": (("enum", "data"), ("if", "features", "prefix")),
    "union": (("union", "base", "discriminator", "data"), ("if", "features")),
    "alternate": (("alternate", "data"), ("if", "features")),
    "struct": (("struct", "data"), ("base", "if", "features")),
    "command": (
        ("command",),
        (
            "data",
            "returns",
            "boxed",
            "if",
            "features",
            "gen",
            "success-response",
            "allow-oob",
            "allow-preconfig",
            "coroutine",
        ),
    ),
    "event": (("event",), ("data", "boxed", "if", "features")),
}
FALSE_FLAGS = ("gen", "success-response")
TRUE_FLAGS = ("boxed", "allow-oob", "allow-preconfig", "coroutine")
_FLAGS = frozenset(FALSE_FLAGS + TRUE_FLAGS)

_VALID_NAME = regexes.pattern(r"(__[a-z0-9.-]+_)?(x-)?([a-z][a-z0-9_-]*)$", re.IGNORECASE)
_CAMEL = regexes.pattern(r"[A-Z][A-Za-z0-9]*[a-z][A-Za-z0-9]*$")
_IF_NAME = regexes.pattern(r"[A-Z][A-Z0-9_]*")
_NOT_C = regexes.pattern(r"[^A-Za-z0-9_]")
_UPPER = regexes.pattern(r"[A-Z]")
_LOWER_OR_DASH = regexes.pattern(r"[a-z-]")
_NUMBER_START = regexes.pattern(r"[-+0-9.]")


@functools.cache  # names repeat across a schema (emptied with the working state)
def c_name(name: str) -> str:
    """The name as an identifier of the generated C code (where names clash)."""
    return _NOT_C.sub("_", name)


def _c_name_starts(name: str, prefix: str) -> bool:
    """Whether ``c_name(name)`` starts with ``prefix`` such as ``has_``
    (which it does when the name's first characters become the prefix:
    c_name maps each character on its own, and keeps letters and digits)."""
    return name.startswith(prefix.rstrip("_")) and c_name(name[: len(prefix)]) == prefix


class SemanticProblem(TupleRecord):  # (see qapilint.files.records)
    """One thing QEMU's semantic checks reject."""

    __slots__ = ()
    check: Check
    message: str
    span: Span  # the better place: the key, member, branch or type name
    line: int  # the line QEMU reports: the definition's first line
    path: Path
    symbol: str | None  # the definition
    member: str | None

    def __new__(  # noqa: PLR0917 - one argument a field
        cls,
        check: Check,
        message: str,
        span: Span,
        line: int,
        path: Path,
        symbol: str | None = None,
        member: str | None = None,
    ) -> SemanticProblem:
        return tuple.__new__(cls, (check, message, span, line, path, symbol, member))


class _Stop(Exception):
    """The current expression or definition has a problem: check no further."""


# --------------------------------------------------------------------------
# Members as the second pass sees them


class _Member:
    """A member as QEMU's second pass sees it (a plain class, as a
    dataclass costs several times as much to import)."""

    __slots__ = (
        "array",
        "conditional",
        "defined_in",
        "features",
        "name",
        "optional",
        "role",
        "span",
        "type",
        "type_span",
    )

    def __init__(  # noqa: PLR0917 - one argument a field
        self,
        name: str,
        role: str,  # "member", "value", "branch", "feature"
        defined_in: str,  # QEMU's owner: a type name, "q_obj_NAME-arg" or "q_obj_NAME-base"
        span: Span,
        type: str | None = None,  # the type's name; an array's element type
        array: bool = False,
        type_span: Span | None = None,
        optional: bool = False,
        conditional: bool = False,
        features: tuple[_Member, ...] = (),
    ) -> None:
        self.name = name
        self.role = role
        self.defined_in = defined_in
        self.span = span
        self.type = type
        self.array = array
        self.type_span = type_span
        self.optional = optional
        self.conditional = conditional
        self.features = features

    def __repr__(self) -> str:
        return f"_Member({self.name!r}, {self.role!r}, {self.defined_in!r})"

    def describe(self, current: str) -> str:
        """How QEMU names the member seen from definition ``current``."""
        role, meta, owner = self.role, "type", self.defined_in
        if owner.startswith("q_obj_"):
            owner = owner[len("q_obj_") :]
            if owner.endswith("-arg"):
                role, meta, owner = "parameter", "command", owner[: -len("-arg")]
            elif owner.endswith("-base"):
                role, owner = "base " + role, owner[: -len("-base")]
        if owner != current:
            return f"{role} '{self.name}' of {meta} '{owner}'"
        return f"{role} '{self.name}'"


def _truthy(value: JValue | None) -> bool:
    """Python truth of the value, as QEMU tests a flag like ``boxed``."""
    if value is None:
        return False
    if isinstance(value, JBool | JString):
        return bool(value.value)
    if isinstance(value, JList):
        return bool(value.items)
    return bool(value.pairs)


def _shown(value: JValue) -> str:
    """A value as QEMU prints it in a message (Python's repr)."""
    return repr(value.to_py())


def _quoted(names: list[str]) -> str:
    return ", ".join(f"'{name}'" for name in sorted(names))


# --------------------------------------------------------------------------
# The checker


class Semantics:
    """Every semantic problem of one schema, worked out once."""

    def __init__(self, schema: Schema) -> None:
        self.schema = schema
        self.problems: list[SemanticProblem] = []
        self._broken: set[int] = set()  # id() of malformed definitions' expressions
        self._definition: Definition | None = None
        self._path = schema.root
        self._line = 0
        self.types: dict[str, Definition] = {}
        self._flat: dict[str, list[_Member] | None] = {}
        self._locals: dict[int, list[_Member]] = {}  # id() of a struct: its own members
        self._branches: dict[int, list[str]] = {}  # id() of a union: its branches' types
        # every feature name the first pass saw (a superset of those of the
        # definitions it found well-formed: their features are all read)
        self._feature_names: set[str] = set()
        self._in_cycle: set[str] = set()
        self._by_check: dict[str, list[SemanticProblem]] | None = None
        self._run()
        self._forget_working_state()

    def _forget_working_state(self) -> None:
        """Drop what only the run needed (the members, bases and branches
        of every type): the schema keeps its semantics for the rest of
        the process, and the rules read nothing but the problems."""
        self.types = {}
        self._flat = {}
        self._locals = {}
        self._branches = {}
        self._broken = set()
        self._feature_names = set()
        self._in_cycle = set()
        self._definition = None
        c_name.cache_clear()  # the C names served this schema's checks only

    def of(self, check: Check) -> list[SemanticProblem]:
        """The problems one class of check found, in QEMU's order."""
        if self._by_check is None:
            self._by_check = {}
            for problem in self.problems:
                self._by_check.setdefault(problem.check, []).append(problem)
        return self._by_check.get(check, [])

    # Reporting --------------------------------------------------------------

    def _report(
        self, check: Check, message: str, span: Span | None = None, member: str | None = None
    ) -> None:
        definition = self._definition
        where = span or (definition.name_span if definition else Span.at(self._line, 1))
        self.problems.append(
            SemanticProblem(
                check,
                message,
                where,
                self._line,
                self._path,
                definition.name if definition and definition.name else None,
                member,
            )
        )

    def _fail(
        self, check: Check, message: str, span: Span | None = None, member: str | None = None
    ) -> NoReturn:
        self._report(check, message, span, member)
        raise _Stop

    def _run(self) -> None:
        schema = self.schema
        definitions = {id(d.expr): d for d in schema.all_definitions()}
        for module in schema.modules:
            for expr in module.expressions:
                self._definition = definitions.get(id(expr))
                self._path = module.path
                self._line = expr.span.line
                try:
                    self._expression(expr)
                except _Stop:
                    self._broken.add(id(expr))
        good = [d for d in schema.all_definitions() if id(d.expr) not in self._broken]
        self._redefinitions(schema.all_definitions())
        for definition in good:
            if definition.kind in TYPE_KINDS:
                self.types.setdefault(definition.name, definition)
        self._cycles(good)
        for definition in good:
            self._check(definition)
        self._feature_count(good)

    def _check(self, definition: Definition) -> None:
        """The second pass's checks of one definition, up to its first
        problem (try/except: contextlib.suppress costs a microsecond a use)."""
        self._enter(definition)
        try:
            self._definition_check(definition)
        except _Stop:
            return

    def _enter(self, definition: Definition) -> None:
        self._definition = definition
        self._path = definition.module.path
        self._line = definition.span.line

    # ------------------------------------------------------------------------
    # First pass: one expression at a time

    def _expression(self, expr: JObject) -> None:
        keys = expr.keys()
        metas = [key for key in keys if key in META]
        if len(metas) != 1:
            span = expr.key(metas[1]).span if len(metas) > 1 else expr.span  # type: ignore[union-attr]
            self._fail(
                "expression-kind",
                "expression must have exactly one key "
                "'enum', 'struct', 'union', 'alternate', 'command', 'event'",
                Span.at(span.line, span.col) if len(metas) < 2 else span,
            )
        meta = metas[0]
        name_value = expr.get(meta)
        if not isinstance(name_value, JString):
            assert name_value is not None
            self._fail("expression-kind", f"'{meta}' requires a string name", name_value.span)
        name = name_value.value
        self._definition_name(name, name_value.span, meta)
        required, optional = KEYS[meta]
        self._keys(expr, meta, required, optional, expr.span, keys=keys)
        getattr(self, "_expr_" + meta)(expr, name)
        self._if(expr, meta)
        self._features(expr.get("features"))
        if not _FLAGS.isdisjoint(keys):  # most expressions have no flag
            self._flags(expr)

    def _definition_name(self, name: str, span: Span, meta: str) -> None:
        pragmas = self.schema.pragmas
        try:
            if meta == "event":
                self._name_upper(name, span, meta)
            elif meta == "command":
                self._name_lower(
                    name,
                    span,
                    meta,
                    permit_underscore=name in pragmas.command_name_exceptions,
                    pragma=COMMAND_NAME_EXCEPTIONS,
                )
            else:
                self._name_camel(name, span, meta)
                if name.endswith("List"):
                    self._fail("reserved-name", f"{meta} name should not end in 'List'", span)
        except _Stop:  # a bad name makes nothing else meaningless
            pass

    def _case_broken(
        self,
        name: str,
        case: _Case,
        span: Span,
        source: str,
        *,
        permit_upper: bool = False,
        permit_underscore: bool = False,
    ) -> bool:
        """Whether ``name`` breaks its ``case`` rule; an invalid name fails
        here, with its own message."""
        if _PLAIN_NAME[case].match(name):  # most names
            return False
        fault = _name_fault(name, case, permit_upper, permit_underscore)
        if fault == "invalid-name":
            self._fail("invalid-name", f"{source} has an invalid name", span)
        return fault is not None

    def _name_upper(self, name: str, span: Span, source: str) -> None:
        if self._case_broken(name, "upper", span, source):
            self._fail("name-style", f"name of {source} must not use lowercase or '-'", span)

    def _name_lower(
        self,
        name: str,
        span: Span,
        source: str,
        *,
        permit_upper: bool = False,
        permit_underscore: bool = False,
        pragma: str | None = None,
    ) -> None:
        if self._case_broken(
            name,
            "lower",
            span,
            source,
            permit_upper=permit_upper,
            permit_underscore=permit_underscore,
        ):
            hint = f" (unless listed in pragma '{pragma}')" if pragma else ""
            self._fail("name-style", f"name of {source} must not use uppercase or '_'{hint}", span)

    def _name_camel(self, name: str, span: Span, source: str) -> None:
        if self._case_broken(name, "camel", span, source):
            self._fail("name-style", f"name of {source} must use CamelCase", span)

    def _keys(
        self,
        value: JObject,
        source: str,
        required: tuple[str, ...],
        optional: tuple[str, ...],
        span: Span,
        *,
        keys: list[str] | None = None,  # value.keys(), when the caller has them
    ) -> None:
        if keys is None:
            keys = value.keys()
        missing = [key for key in required if key not in keys]
        if missing:
            plural = "s" if len(missing) > 1 else ""
            self._fail(
                "expression-keys",
                f"{source} misses key{plural} {_quoted(missing)}",
                Span.at(span.line, span.col),
            )
        allowed = _allowed_keys(required, optional)
        if allowed.issuperset(keys):  # the usual case
            return
        unknown = [key for key in keys if key not in allowed]
        plural = "s" if len(unknown) > 1 else ""
        first = value.key(unknown[0])
        self._fail(
            "expression-keys",
            f"{source} has unknown key{plural} {_quoted(unknown)}; "
            f"valid keys are {_quoted(list(allowed))}",
            first.span if first else span,
        )

    # the kinds --------------------------------------------------------------

    def _expr_enum(self, expr: JObject, name: str) -> None:
        data = expr.get("data")
        if not isinstance(data, JList):
            self._fail("expression-value", "'data' must be an array", _span(data, expr))
        prefix = expr.get("prefix")
        if prefix is not None and not isinstance(prefix, JString):
            self._fail("expression-value", "'prefix' must be a string", prefix.span)
        permissive = name in self.schema.pragmas.member_name_exceptions
        for item in data.items:
            if isinstance(item, JString) and _plain_lower(item.value):
                continue  # the usual value: a plain name, nothing else to check
            source = "'data' member"
            if isinstance(item, JObject):
                self._keys(item, source, ("name",), ("if", "features"), item.span)
                value = item.get("name")
            else:
                value = item
            if not isinstance(value, JString):
                assert value is not None
                self._fail("expression-value", f"{source} requires a string name", value.span)
            source = f"{source} '{value.value}'"
            self._name_lower(
                _value_name(value.value),
                value.span,
                source,
                permit_upper=permissive,
                permit_underscore=permissive,
                pragma=MEMBER_NAME_EXCEPTIONS,
            )
            if isinstance(item, JObject):
                self._if(item, source)
                self._features(item.get("features"))

    def _expr_struct(self, expr: JObject, name: str) -> None:
        self._implicit(expr.get("data"), "'data'", name)
        self._type_name(expr.get("base"), "'base'")

    def _expr_union(self, expr: JObject, name: str) -> None:
        base = expr.get("base")
        if not isinstance(base, JString):
            self._implicit(base, "'base'", name)
        discriminator = expr.get("discriminator")
        if not isinstance(discriminator, JString):
            assert discriminator is not None
            self._fail(
                "expression-value", "'discriminator' requires a string name", discriminator.span
            )
        data = expr.get("data")
        if not isinstance(data, JObject):
            self._fail("expression-value", "'data' must be an object", _span(data, expr))
        for key, value in data.pairs:
            source = f"'data' member '{key.value}'"
            self._type_name(self._spec_type(value, source, ("if",), key.span), source)

    def _expr_alternate(self, expr: JObject, name: str) -> None:
        data = expr.get("data")
        if not _truthy(data):
            self._fail("expression-value", "'data' must not be empty", _span(data, expr))
        if not isinstance(data, JObject):
            self._fail("expression-value", "'data' must be an object", _span(data, expr))
        for key, value in data.pairs:
            source = f"'data' member '{key.value}'"
            self._name_lower(key.value, key.span, source)
            self._type_name_or_array(self._spec_type(value, source, ("if",), key.span), source)

    def _expr_command(self, expr: JObject, name: str) -> None:
        self._arguments(expr)
        self._type_name_or_array(expr.get("returns"), "'returns'")

    def _expr_event(self, expr: JObject, name: str) -> None:
        self._arguments(expr)

    def _arguments(self, expr: JObject) -> None:
        data = expr.get("data")
        if _truthy(expr.get("boxed")):
            if data is None:
                self._fail(
                    "expression-value", "'boxed': true requires 'data'", _key_span(expr, "boxed")
                )
            self._type_name(data, "'data'")
        elif not isinstance(data, JString):
            self._implicit(data, "'data'", None)

    # values -----------------------------------------------------------------

    def _spec_type(
        self, value: JValue, source: str, optional: tuple[str, ...], span: Span
    ) -> JValue | None:
        """A member's type: a bare type, or the ``'type'`` of its
        ``{'type': ...}`` form, whose keys and ``if`` are checked first."""
        if not isinstance(value, JObject):
            return value
        self._keys(value, source, ("type",), optional, span)
        self._if(value, source)
        return value.get("type")

    def _implicit(self, value: JValue | None, source: str, parent: str | None) -> None:
        """Members given as an object: ``'*name': TYPE`` pairs."""
        if value is None:
            return
        if not isinstance(value, JObject):
            self._fail("expression-value", f"{source} should be an object or type name", value.span)
        permissive = parent is not None and parent in self.schema.pragmas.member_name_exceptions
        for name, spec_value in value.pairs:
            bare = name.value[1:] if name.value.startswith("*") else name.value
            if isinstance(spec_value, JString) and _PLAIN_MEMBER.match(bare):
                continue  # the usual member: a plain name and a type name
            key_source = f"{source} member '{name.value}'"
            self._name_lower(
                bare,
                name.span,
                key_source,
                permit_upper=permissive,
                permit_underscore=permissive,
                pragma=MEMBER_NAME_EXCEPTIONS if parent else None,
            )
            if _reserved(bare):
                self._fail("reserved-name", f"{key_source} uses reserved name", name.span)
            spec_type = self._spec_type(spec_value, key_source, ("if", "features"), name.span)
            if isinstance(spec_value, JObject):
                self._features(spec_value.get("features"))
            self._type_name_or_array(spec_type, key_source)

    def _type_name(self, value: JValue | None, source: str) -> None:
        if value is not None and not isinstance(value, JString):
            self._fail("expression-value", f"{source} should be a type name", value.span)

    def _type_name_or_array(self, value: JValue | None, source: str) -> None:
        if value is None or isinstance(value, JString):
            return
        if not isinstance(value, JList):
            self._fail("expression-value", f"{source} should be a type name or array", value.span)
        if len(value.items) != 1 or not isinstance(value.items[0], JString):
            self._fail(
                "expression-value",
                f"{source}: array type must contain single type name",
                value.span,
            )

    def _if(self, value: JObject, source: str) -> None:
        condition = value.get("if")
        if condition is not None:
            self._condition(condition, source)

    def _condition(self, condition: JValue, source: str) -> None:
        if isinstance(condition, JString):
            if not _IF_NAME.fullmatch(condition.value):
                self._fail(
                    "if-condition",
                    f"'if' condition '{condition.value}' of {source} is not a valid identifier",
                    condition.span,
                )
            return
        if not isinstance(condition, JObject):
            self._fail(
                "if-condition",
                f"'if' condition of {source} must be a string or an object",
                condition.span,
            )
        keys = condition.keys()
        unknown = [key for key in keys if key not in ("all", "any", "not")]
        if unknown:
            plural = "s" if len(unknown) > 1 else ""
            self._fail(
                "if-condition",
                f"'if' condition of {source} has unknown key{plural} {_quoted(unknown)}; "
                "valid keys are 'all', 'any', 'not'",
                condition.span,
            )
        if len(keys) != 1:
            self._fail(
                "if-condition", f"'if' condition of {source} has conflicting keys", condition.span
            )
        operator, operand = condition.pairs[0][0].value, condition.pairs[0][1]
        if operator == "not":
            self._condition(operand, source)
            return
        if not isinstance(operand, JList):
            self._fail(
                "if-condition", f"'{operator}' condition of {source} must be an array", operand.span
            )
        if not operand.items:
            self._fail("if-condition", f"'if' condition [] of {source} is useless", operand.span)
        for item in operand.items:
            self._condition(item, source)

    def _features(self, features: JValue | None) -> None:
        if features is None:
            return
        if not isinstance(features, JList):
            self._fail("feature", "'features' must be an array", features.span)
        for item in features.items:
            if isinstance(item, JString) and _plain_lower(item.value):
                self._feature_names.add(item.value)
                continue  # the usual feature: a plain name
            source = "'features' member"
            if isinstance(item, JObject):
                self._keys(item, source, ("name",), ("if",), item.span)
                name = item.get("name")
            else:
                name = item
            if not isinstance(name, JString):
                assert name is not None
                self._fail("feature", f"{source} requires a string name", name.span)
            self._feature_names.add(name.value)
            source = f"{source} '{name.value}'"
            self._name_lower(name.value, name.span, source)
            if isinstance(item, JObject):
                self._if(item, source)

    def _flags(self, expr: JObject) -> None:
        for key in FALSE_FLAGS:
            value = expr.get(key)
            if value is not None and not (isinstance(value, JBool) and not value.value):
                self._fail("flag", f"flag '{key}' may only use false value", value.span)
        for key in TRUE_FLAGS:
            value = expr.get(key)
            if value is not None and not (isinstance(value, JBool) and value.value):
                self._fail("flag", f"flag '{key}' may only use true value", value.span)
        if expr.get("allow-oob") is not None and expr.get("coroutine") is not None:
            self._fail(
                "flag",
                "flags 'allow-oob' and 'coroutine' are incompatible",
                _key_span(expr, "coroutine"),
            )

    # ------------------------------------------------------------------------
    # Second pass: the schema

    def _redefinitions(self, definitions: list[Definition]) -> None:
        seen: dict[str, Definition] = {}
        for definition in definitions:
            name = definition.name
            if not name:
                continue
            message = None
            if name in BUILTIN_JSON:
                message = f"built-in type '{name}' is already defined"
            elif name.endswith("List") and name[: -len("List")] in BUILTIN_JSON:
                message = f"array type ['{name[: -len('List')]}'] is already defined"
            elif name in PREDEFINED_ENUMS:
                message = f"enum type '{name}' is already defined"
            elif name in seen:
                first = seen[name]
                where = first.module.path.name
                message = (
                    f"'{name}' is already defined; previous definition at {where}:{first.span.line}"
                )
            else:
                seen[name] = definition
            if message is not None:
                self._enter(definition)
                self._report("redefinition", message)

    def _lookup(self, name: str) -> str | Definition | None:
        """A type by name: a definition, "builtin" or "QType"; None when unknown."""
        if name in BUILTIN_JSON:
            return "builtin"
        if name in PREDEFINED_ENUMS:
            return "QType"
        found = self.types.get(name)
        if found is not None:
            return found
        if self.schema.definitions.get(name) is not None:
            broken = self.schema.definitions[name]
            if broken.kind in TYPE_KINDS:  # malformed: known, but opaque
                return broken
        return None

    def _describe(self, name: str, array: bool = False) -> str:
        if array:
            return f"array type ['{name}']"
        found = self._lookup(name)
        if found == "builtin":
            return f"built-in type '{name}'"
        if found == "QType":
            return f"enum type '{name}'"
        if isinstance(found, Definition):
            return f"{found.kind} type '{name}'"
        return f"type '{name}'"

    def _resolve(self, name: str, span: Span, what: str) -> str | Definition:
        found = self._lookup(name)
        if found is None:
            self._unknown(name, span, what)
        return found

    def _unknown(self, name: str, span: Span, what: str) -> NoReturn:
        self._fail("unknown-type", f"{what} uses unknown type '{name}'", span)

    def _opaque(self, found: str | Definition) -> bool:
        return isinstance(found, Definition) and id(found.expr) in self._broken

    # members ----------------------------------------------------------------

    def _members(self, value: JValue | None, defined_in: str, role: str) -> list[_Member]:
        found: list[_Member] = []
        if not isinstance(value, JObject):
            return found
        for key, spec in value.pairs:
            name = key.value
            optional = role == "member" and name.startswith("*")
            if optional:
                name = name[1:]
            type_value: JValue | None = spec
            conditional = False
            features: tuple[_Member, ...] = ()
            if isinstance(spec, JObject):
                type_value = spec.get("type")
                conditional = spec.get("if") is not None
                features = tuple(_feature_members(spec.get("features"), name))
            array = False
            if isinstance(type_value, JList) and type_value.items:
                type_value, array = type_value.items[0], True
            type_name, type_span = None, None
            if isinstance(type_value, JString):
                type_name, type_span = type_value.value, type_value.span
            # every field by position (by keyword takes twice as long, and a
            # schema has thousands of members)
            member = _Member(
                name,
                role,
                defined_in,
                key.span,
                type_name,
                array,
                type_span,
                optional,
                conditional,
                features,
            )
            found.append(member)
        return found

    def _local_members(self, definition: Definition) -> list[_Member]:
        """The members a struct defines itself (made once: a struct's check
        and its flat members both ask)."""
        found = self._locals.get(id(definition))
        if found is None:
            found = self._members(definition.get("data"), definition.name, "member")
            self._locals[id(definition)] = found
        return found

    def flat(self, name: str) -> list[_Member] | None:
        """The members of struct or union ``name`` common to all its
        branches (a base's first), or None when they cannot be worked out."""
        if name in self._flat:
            return self._flat[name]
        self._flat[name] = None  # a cycle finds None
        definition = self.types.get(name)
        result: list[_Member] | None = None
        if definition is not None and definition.kind in ("struct", "union"):
            base = definition.get("base")
            inherited: list[_Member] | None = []
            if isinstance(base, JString):
                found = self.types.get(base.value)
                inherited = (
                    self.flat(base.value) if found is not None and found.kind == "struct" else None
                )
            elif definition.kind == "union":
                inherited = self._members(base, f"q_obj_{name}-base", "member")
            if inherited is not None and name not in self._in_cycle:
                local = self._local_members(definition) if definition.kind == "struct" else []
                result = inherited + local
        self._flat[name] = result
        return result

    def _clash(self, members: Sequence[_Member], seen: dict[str, _Member], current: str) -> None:
        keys = list(map(c_name, [member.name for member in members]))
        if len(set(keys)) == len(keys) and seen.keys().isdisjoint(keys):  # the usual case
            seen.update(zip(keys, members, strict=True))
            return
        for member in members:
            key = c_name(member.name)
            other = seen.get(key)
            if other is not None:
                own = member.defined_in in (current, f"q_obj_{current}-arg")
                span = member.span if own else None
                self._fail(
                    "name-clash",
                    f"{member.describe(current)} collides with {other.describe(current)}",
                    span,
                    member.name,
                )
            seen[key] = member

    def _clash_object(self, name: str, seen: dict[str, _Member], current: str) -> None:
        """The members of struct or union ``name`` (each branch separately)."""
        members = self.flat(name)
        if members is None:
            return
        self._clash(members, seen, current)
        definition = self.types.get(name)
        if definition is not None and definition.kind == "union":
            for branch_type in self._branch_types(definition):
                self._clash_object(branch_type, dict(seen), current)

    def _branch_types(self, definition: Definition) -> list[str]:
        """The struct and union types of a union's branches (made once:
        cycles, clashes and the union's own check ask)."""
        names = self._branches.get(id(definition))
        if names is not None:
            return names
        names = []
        data = definition.get("data")
        if isinstance(data, JObject):
            for member in self._members(data, definition.name, "branch"):
                found = self.types.get(member.type or "")
                if found is not None and found.kind in ("struct", "union") and not member.array:
                    names.append(found.name)
        self._branches[id(definition)] = names
        return names

    # cycles -----------------------------------------------------------------

    def _cycles(self, definitions: list[Definition]) -> None:
        """QEMU's "contains itself": a struct's or union's base, or a union's
        branch type, leads back to it. Reported once per cycle, at the first
        of its definitions QEMU checks."""
        state: dict[str, int] = {}  # 1: on the path, 2: done
        for definition in definitions:
            if definition.kind not in ("struct", "union") or definition.name in state:
                continue
            path: list[str] = []
            self._visit(definition.name, state, path)

    def _contains(self, name: str) -> list[str]:
        definition = self.types.get(name)
        if definition is None or definition.kind not in ("struct", "union"):
            return []
        found: list[str] = []
        base = definition.get("base")
        if isinstance(base, JString):
            target = self.types.get(base.value)
            if target is not None and target.kind == "struct":
                found.append(base.value)
        if definition.kind == "union":
            found += self._branch_types(definition)
        return found

    def _visit(self, name: str, state: dict[str, int], path: list[str]) -> None:
        state[name] = 1
        path.append(name)
        for target in self._contains(name):
            if state.get(target) == 1:
                cycle = path[path.index(target) :]
                if not self._in_cycle.intersection(cycle):
                    self._enter(self.types[target])
                    self._report("base-cycle", f"object {target} contains itself")
                self._in_cycle.update(cycle)
            elif target not in state:
                self._visit(target, state, path)
        path.pop()
        state[name] = 2

    # definitions --------------------------------------------------------------

    def _definition_check(self, definition: Definition) -> None:
        name = definition.name
        declared = definition.get("features")
        features = _feature_members(declared, name) if declared is not None else []
        if features:  # most definitions have none
            self._clash(features, {}, name)
            for feature in features:
                if definition.kind in TYPE_KINDS and feature.name in SPECIAL_FEATURES:
                    self._fail(
                        "feature",
                        f"feature '{feature.name}' is not supported for types",
                        feature.span,
                        feature.name,
                    )
        getattr(self, "_check_" + definition.kind)(definition)

    def _check_enum(self, definition: Definition) -> None:
        data = definition.get("data")
        assert isinstance(data, JList)
        names: list[JString] = []
        for item in data.items:
            value = item.get("name") if isinstance(item, JObject) else item
            assert isinstance(value, JString)
            names.append(value)
        if len(set(map(c_name, [value.value for value in names]))) == len(names):
            return  # the usual case: no two values clash
        values = [_Member(value.value, "value", definition.name, value.span) for value in names]
        self._clash(values, {}, definition.name)

    def _check_members(self, members: list[_Member], seen: dict[str, _Member], name: str) -> None:
        for member in members:
            type_name, type_span = member.type, member.type_span
            if type_name is not None and type_span is not None and self._lookup(type_name) is None:
                meta = self._definition.kind if self._definition else ""
                self._unknown(type_name, type_span, meta if member.array else member.describe(name))
            if member.features:
                self._clash(member.features, {}, name)
            key = c_name(member.name)
            if key in seen:
                self._clash((member,), seen, name)  # reports the clash
            seen[key] = member

    def _check_struct(self, definition: Definition) -> None:
        name = definition.name
        if name in self._in_cycle:
            return
        seen: dict[str, _Member] = {}
        base = definition.get("base")
        if isinstance(base, JString):
            self._base(base, seen, name)
        self._check_members(self._local_members(definition), seen, name)

    def _base(self, base: JString, seen: dict[str, _Member], name: str) -> None:
        found = self._resolve(base.value, base.span, "'base'")
        if self._opaque(found):
            raise _Stop
        if not isinstance(found, Definition) or found.kind != "struct":
            self._fail(
                "wrong-type-kind",
                f"'base' requires a struct type, {self._describe(base.value)} isn't",
                base.span,
            )
        self._clash_object(base.value, seen, name)
        if self.flat(base.value) is None:
            raise _Stop

    def _check_union(self, definition: Definition) -> None:
        name = definition.name
        if name in self._in_cycle:
            return
        seen: dict[str, _Member] = {}
        base = definition.get("base")
        if isinstance(base, JString):
            self._base(base, seen, name)
        else:
            self._check_members(self._members(base, f"q_obj_{name}-base", "member"), seen, name)
        discriminator = definition.get("discriminator")
        assert isinstance(discriminator, JString)
        tag = seen.get(c_name(discriminator.value))
        where = discriminator.span
        if tag is None or tag.name != discriminator.value:
            self._fail(
                "discriminator",
                f"discriminator '{discriminator.value}' is not a member of 'base'",
                where,
            )
        assert tag is not None
        owner = "'base'" if tag.defined_in.startswith("q_obj_") else f"base type '{tag.defined_in}'"
        enum = self._lookup(tag.type or "") if tag.type else None
        if enum is None:  # its unknown type is reported where it is used
            raise _Stop
        values: list[str] | None = None
        if enum == "QType":
            values = list(PREDEFINED_ENUMS["QType"])
        elif isinstance(enum, Definition) and enum.kind == "enum" and not tag.array:
            values = _enum_values(enum)
        if values is None and not self._opaque(enum):
            self._fail(
                "discriminator",
                f"discriminator member '{tag.name}' of {owner} must be of enum type",
                where,
            )
        if tag.optional:
            self._fail(
                "discriminator",
                f"discriminator member '{tag.name}' of {owner} must not be optional",
                where,
            )
        if tag.conditional:
            self._fail(
                "discriminator",
                f"discriminator member '{tag.name}' of {owner} must not be conditional",
                where,
            )
        branches = self._members(definition.get("data"), name, "branch")
        if values is None:
            raise _Stop
        if not branches and not values:
            self._fail("union-branch", "union has no branches", definition.name_span)
        for branch in branches:
            if branch.type is not None and branch.type_span is not None:
                self._resolve(branch.type, branch.type_span, branch.describe(name))
            if branch.name not in values:
                self._fail(
                    "union-branch",
                    f"branch '{branch.name}' is not a value of {self._describe(tag.type or '')}",
                    branch.span,
                    branch.name,
                )
            found = self._lookup(branch.type or "")
            if not isinstance(found, Definition) or found.kind not in ("struct", "union"):
                self._fail(
                    "wrong-type-kind",
                    f"{branch.describe(name)} cannot use "
                    f"{self._describe(branch.type or '', branch.array)}",
                    branch.type_span,
                    branch.name,
                )
        for branch_type in self._branch_types(definition):
            self._clash_object(branch_type, dict(seen), name)

    def _check_alternate(self, definition: Definition) -> None:
        name = definition.name
        branches = self._members(definition.get("data"), name, "branch")
        kinds: dict[str, str] = {}
        seen: dict[str, _Member] = {}
        for branch in branches:
            if branch.type is None or branch.type_span is None:
                continue
            what = definition.kind if branch.array else branch.describe(name)
            self._resolve(branch.type, branch.type_span, what)
        for branch in branches:
            self._clash([branch], seen, name)
            found = self._lookup(branch.type or "")
            if found is None or self._opaque(found):
                raise _Stop
            json = "array" if branch.array else self._json_type(branch.type or "", found)
            value = JSON_VALUE.get(json)
            if value is None:
                self._fail(
                    "wrong-type-kind",
                    f"{branch.describe(name)} cannot use "
                    f"{self._describe(branch.type or '', branch.array)}",
                    branch.type_span,
                    branch.name,
                )
            assert value is not None
            conflicting = {value}
            if value == "string":
                if (isinstance(found, Definition) and found.kind == "enum") or found == "QType":
                    names = (
                        _enum_values(found)
                        if isinstance(found, Definition)
                        else list(PREDEFINED_ENUMS["QType"])
                    )
                    if any(value_name in ("on", "off") for value_name in names):
                        conflicting.add("boolean")
                    if any(_NUMBER_START.match(value_name) for value_name in names):
                        conflicting.add("number")
                else:
                    conflicting |= {"number", "boolean"}
            for kind in sorted(conflicting):
                if kind in kinds:
                    self._fail(
                        "alternate-ambiguous",
                        f"{branch.describe(name)} can't be distinguished from '{kinds[kind]}'",
                        branch.span,
                        branch.name,
                    )
                kinds[kind] = branch.name

    def _json_type(self, name: str, found: str | Definition) -> str:
        if found == "builtin":
            return BUILTIN_JSON[name]
        if found == "QType" or (isinstance(found, Definition) and found.kind == "enum"):
            return "string"
        if isinstance(found, Definition) and found.kind in ("struct", "union"):
            return "object"
        return "value"  # an alternate: not allowed in an alternate

    def _check_command(self, definition: Definition) -> None:
        self._check_arguments(definition)
        returns = definition.get("returns")
        array = isinstance(returns, JList)
        if isinstance(returns, JList):
            returns = returns.items[0] if returns.items else None
        if not isinstance(returns, JString):
            return
        found = self._resolve(returns.value, returns.span, "command's 'returns'")
        if definition.name in self.schema.pragmas.command_returns_exceptions:
            return
        if self._opaque(found):
            return
        if not isinstance(found, Definition) or found.kind not in ("struct", "union"):
            self._fail(
                "wrong-type-kind",
                f"command's 'returns' cannot take {self._describe(returns.value, array)} "
                f"(unless listed in pragma '{COMMAND_RETURNS_EXCEPTIONS}')",
                returns.span,
            )

    def _check_event(self, definition: Definition) -> None:
        self._check_arguments(definition)

    def _check_arguments(self, definition: Definition) -> None:
        name, meta = definition.name, definition.kind
        data = definition.get("data")
        boxed = _truthy(definition.get("boxed"))
        if isinstance(data, JObject):
            members = self._members(data, f"q_obj_{name}-arg", "member")
            self._check_members(members, {}, name)
            conditional = any(member.conditional for member in members)
        elif isinstance(data, JString):
            found = self._resolve(data.value, data.span, f"{meta}'s 'data'")
            if self._opaque(found):
                return
            if not isinstance(found, Definition) or found.kind not in ("struct", "union"):
                self._fail(
                    "wrong-type-kind",
                    f"{meta}'s 'data' cannot take {self._describe(data.value)}",
                    data.span,
                )
            assert isinstance(found, Definition)
            if found.kind == "union" and not boxed:
                self._fail(
                    "wrong-type-kind",
                    f"{meta}'s 'data' can take {self._describe(data.value)} "
                    "only with 'boxed': true",
                    data.span,
                )
            members = self.flat(data.value) or []
            conditional = any(member.conditional for member in members)
        else:
            return
        if conditional and not boxed:
            self._fail(
                "conditional-arguments",
                f"conditional {meta} arguments require 'boxed': true",
                data.span,
            )

    # the whole schema -----------------------------------------------------------

    def _feature_count(self, definitions: list[Definition]) -> None:
        if len(self._feature_names | set(SPECIAL_FEATURES)) <= MAX_FEATURES:
            return  # the usual case: fewer names in all expressions than allowed
        names = set(SPECIAL_FEATURES)
        for definition in definitions:
            for feature in _all_feature_names(definition):
                if feature.value not in names:
                    names.add(feature.value)
                    if len(names) == MAX_FEATURES + 1:
                        self._enter(definition)
                        self._report(
                            "too-many-features",
                            f"Maximum of {MAX_FEATURES} schema features is permitted "
                            f"('{feature.value}' is the {MAX_FEATURES + 1}th)",
                            feature.span,
                            feature.value,
                        )
                        return


@functools.cache
def _allowed_keys(required: tuple[str, ...], optional: tuple[str, ...]) -> frozenset[str]:
    return frozenset(required + optional)


_Case = Literal["lower", "upper", "camel"]
# Names that are plainly valid and of their case (no prefix, nothing
# unusual): one match spares most names the checks of _name_fault
_PLAIN_NAME: dict[_Case, re.Pattern[str]] = {
    "lower": regexes.pattern(r"(?!q-)[a-z][a-z0-9-]*\Z"),
    "upper": regexes.pattern(r"[A-Z][A-Z0-9_]*\Z"),
    "camel": regexes.pattern(r"[A-Z][A-Za-z0-9]*[a-z][A-Za-z0-9]*\Z"),
}


_plain_lower = _PLAIN_NAME["lower"].match
# a plain lowercase member name that is not reserved (see _reserved: a
# plain name has no character but "-" that C turns into "_")
_PLAIN_MEMBER = regexes.pattern(r"(?!q-|has-|u\Z)[a-z][a-z0-9-]*\Z")


def _value_name(value: str) -> str:
    """An enum value's name as its check sees it (a value may start with a
    digit: checked as if it started with a letter)."""
    return "d" + value if value[:1].isdigit() else value


def _reserved(name: str) -> bool:
    """Whether a member's name (without its ``*``) is reserved in C."""
    return name == "u" or _c_name_starts(name, "has_")


def _name_fault(
    name: str, case: _Case, permit_upper: bool, permit_underscore: bool
) -> Literal["invalid-name", "name-style"] | None:
    """What is wrong with a name, if anything: it is invalid (QEMU's name
    syntax; no "q_" prefix in C), or its stem (the name without a
    ``__vendor.`` or ``x-`` prefix) breaks its case rule: no lowercase or
    '-' (``upper``), CamelCase (``camel``), or (``lower``) no uppercase and
    no '_' unless permitted."""
    match = _VALID_NAME.match(name)
    if not match or _c_name_starts(name, "q_"):
        return "invalid-name"
    stem = match.group(3)
    if case == "upper":
        broken = _LOWER_OR_DASH.search(stem) is not None
    elif case == "camel":
        broken = _CAMEL.match(stem) is None
    else:
        broken = (not permit_upper and _UPPER.search(stem) is not None) or (
            not permit_underscore and "_" in stem
        )
    return "name-style" if broken else None


def _key_span(expr: JObject, key: str) -> Span:
    found = expr.key(key)
    return found.span if found is not None else Span.at(expr.span.line, expr.span.col)


def _span(value: JValue | None, expr: JObject) -> Span:
    return value.span if value is not None else Span.at(expr.span.line, expr.span.col)


def _feature_names(value: JValue | None) -> Iterator[JString]:
    """The names of the entries of a ``'features'`` list (a name, or an
    object with a ``'name'``)."""
    if isinstance(value, JList):
        for item in value.items:
            name = item.get("name") if isinstance(item, JObject) else item
            if isinstance(name, JString):
                yield name


def _feature_members(value: JValue | None, defined_in: str) -> list[_Member]:
    return [_Member(name.value, "feature", defined_in, name.span) for name in _feature_names(value)]


def _enum_values(definition: Definition) -> list[str]:
    data = definition.get("data")
    values: list[str] = []
    if isinstance(data, JList):
        for item in data.items:
            value = item.get("name") if isinstance(item, JObject) else item
            if isinstance(value, JString):
                values.append(value.value)
    return values


def _all_feature_names(definition: Definition) -> Iterator[JString]:
    """The name of every feature of a definition, in QEMU's order: its own,
    then those of its members (or enum values)."""
    yield from _feature_names(definition.get("features"))
    for key in ("data", "base"):
        value = definition.get(key)
        if isinstance(value, JObject):
            for _name, spec in value.pairs:
                if isinstance(spec, JObject):
                    yield from _feature_names(spec.get("features"))
        elif isinstance(value, JList):
            for item in value.items:
                if isinstance(item, JObject):
                    yield from _feature_names(item.get("features"))


def semantics(schema: Schema) -> Semantics:
    """The schema's semantic problems, worked out on first use and kept
    beside the schema (which nothing changes after loading)."""
    found: Semantics | None = schema.derived.get("semantics")
    if found is None:
        found = schema.derived["semantics"] = Semantics(schema)
    return found
