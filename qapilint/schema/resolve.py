"""Member resolution: what each definition's doc block must describe.

QEMU connects every member, value, branch and feature to exactly one doc
block, and a description anywhere else "does not exist". This module works
out that connection from the parsed expressions (see the table "Where a
description belongs" in QAPI-NOTES.md):

- enum values, struct members, the members of a union's inline (dict)
  ``base``, alternate branches, and the arguments of a command or event
  given as a dict are described in the definition's own doc;
- the members of a *named* base type, and of a named argument type (boxed or
  not), are described in that type's doc;
- union branch names are described nowhere (they are values of the
  discriminator enum); a branch's members are described in its branch type;
- every feature — of the definition, of a member described here, of an enum
  value — is described in the definition's single ``Features:`` section.

Resolution never fails: an unknown type, a base that is not a struct or a
base chain that loops is recorded as a :class:`TypeProblem` and resolution
carries on without it. Everything is computed lazily and cached per
definition; :func:`resolution` keeps one cache per :class:`Schema`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

from qapilint.files.records import TupleRecord
from qapilint.schema.root import Schema
from qapilint.syntax.model import Definition, JBool, JList, JObject, JString, JValue, Span

# The types every schema has without defining them.
BUILTIN_TYPES = frozenset(
    {
        "str",
        "number",
        "int",
        "int8",
        "int16",
        "int32",
        "int64",
        "uint8",
        "uint16",
        "uint32",
        "uint64",
        "size",
        "bool",
        "any",
        "null",
    }
)
# Predefined enums: usable as types, defined by no module.
BUILTIN_ENUMS: dict[str, tuple[str, ...]] = {
    "QType": ("none", "qnull", "qnum", "qstring", "qdict", "qlist", "qbool"),
}

Role = Literal["member", "value", "branch", "feature"]
# how a client meets a type: it sends it (command arguments, and through
# them object properties) or receives it (returns, event data)
Direction = Literal["input", "output"]
OBJECT_KINDS = ("struct", "union")


# The records below are tuple records and plain classes, not dataclasses or
# typing's named tuples: those compile source text as their module is
# imported (see qapilint.files.records), and every run imports this one.


class TypeRef(TupleRecord):
    """A type as written: ``'T'`` or ``['T']``."""

    __slots__ = ()
    name: str
    array: bool
    span: Span  # the type name's string

    def __new__(cls, name: str, array: bool, span: Span) -> TypeRef:
        return tuple.__new__(cls, (name, array, span))


class Member:
    """A member, enum value, branch or feature, and where it is described."""

    __slots__ = ("features", "name", "optional", "owner", "role", "span", "type")

    def __init__(  # noqa: PLR0917 - one argument a field
        self,
        name: str,  # without the '*' optional prefix
        role: Role,
        span: Span,  # the name's string in the expression
        owner: Definition,  # the definition whose doc describes it (None-free)
        type: TypeRef | None = None,  # members and branches
        optional: bool = False,
        features: tuple[Member, ...] = (),
    ) -> None:
        self.name = name
        self.role = role
        self.span = span
        self.owner = owner
        self.type = type
        self.optional = optional
        self.features = features  # most have none: the one empty tuple

    def __repr__(self) -> str:
        return f"Member({self.name!r}, {self.role!r}, owner={self.owner.name!r})"


class TypeProblem(TupleRecord):
    """A type reference resolution could not follow."""

    __slots__ = ()
    span: Span
    message: str
    anchor_line: int  # the line QEMU reports: the definition's first line

    def __new__(cls, span: Span, message: str, anchor_line: int) -> TypeProblem:
        return tuple.__new__(cls, (span, message, anchor_line))


class Resolved:
    """One definition, resolved.

    ``documented`` and ``features`` are exactly what the definition's doc
    must describe, in QEMU's order; everything else a reader may meet on
    the wire (a named base's members, a branch type's members) is described
    in another definition, reachable through :meth:`Resolution.related`.
    """

    __slots__ = (
        "arg_type",
        "base",
        "branches",
        "definition",
        "discriminator",
        "documented",
        "features",
        "problems",
        "returns",
    )

    def __init__(self, definition: Definition) -> None:
        self.definition = definition
        self.documented: list[Member] = []  # members, values, branches
        # the tuples below are most often empty: the one empty tuple then
        self.features: tuple[Member, ...] = ()
        self.base: Definition | None = None  # a named base type
        self.arg_type: Definition | None = None  # a command's or event's named 'data'
        self.returns: TypeRef | None = None
        self.branches: tuple[Member, ...] = ()  # union branches: described nowhere
        self.discriminator: str | None = None
        self.problems: tuple[TypeProblem, ...] = ()

    def __repr__(self) -> str:
        return f"Resolved({self.definition.name!r})"

    def documented_names(self) -> set[str]:
        return {member.name for member in self.documented}

    def feature_names(self) -> set[str]:
        return {feature.name for feature in self.features}


class Related(TupleRecord):
    """A definition whose members a reader meets through another one."""

    __slots__ = ()
    definition: Definition
    how: str  # e.g. "the base type of 'Foo'"

    def __new__(cls, definition: Definition, how: str) -> Related:
        return tuple.__new__(cls, (definition, how))


# --------------------------------------------------------------------------
# Reading the expression forms


def type_ref(value: JValue | None) -> TypeRef | None:
    """``'T'`` or ``['T']``; None for anything else."""
    if isinstance(value, JString):
        return TypeRef(value.value, False, value.span)
    if isinstance(value, JList) and len(value.items) == 1:
        item = value.items[0]
        if isinstance(item, JString):
            return TypeRef(item.value, True, item.span)
    return None


def _features(value: JValue | None, owner: Definition) -> tuple[Member, ...]:
    """A ``features`` list: names, or ``{'name': ...}`` objects."""
    if not isinstance(value, JList):
        return ()
    names = [_name_of(item) for item in value.items]
    return tuple([Member(name.value, "feature", name.span, owner) for name in names if name])


def _name_of(item: JValue) -> JString | None:
    if isinstance(item, JString):
        return item
    if isinstance(item, JObject):
        name = item.get("name")
        if isinstance(name, JString):
            return name
    return None


def _object_members(value: JValue | None, owner: Definition, role: Role) -> list[Member]:
    """The members of a dict ``data`` or ``base``: ``'*name': TYPE`` pairs,
    TYPE a type or ``{'type': TYPE, 'if': ..., 'features': [...]}``."""
    found: list[Member] = []
    if not isinstance(value, JObject):
        return found
    for key, spec in value.pairs:
        name = key.value
        optional = role == "member" and name.startswith("*")
        if optional:
            name = name[1:]
        features: tuple[Member, ...] = ()
        if isinstance(spec, JObject):
            ref = type_ref(spec.get("type"))
            features = _features(spec.get("features"), owner)
        else:
            ref = type_ref(spec)
        found.append(Member(name, role, key.span, owner, ref, optional, features))
    return found


def _enum_values(value: JValue | None, owner: Definition) -> list[Member]:
    found: list[Member] = []
    if not isinstance(value, JList):
        return found
    for item in value.items:
        name = _name_of(item)
        if name is None:
            continue
        features = _features(item.get("features"), owner) if isinstance(item, JObject) else ()
        found.append(Member(name.value, "value", name.span, owner, features=features))
    return found


def _with_features(members: list[Member]) -> tuple[Member, ...]:
    return tuple([feature for member in members for feature in member.features])


# --------------------------------------------------------------------------
# Resolution


class Resolution:
    """Resolved views of a schema's definitions, computed once each."""

    def __init__(self, schema: Schema) -> None:
        self.schema = schema
        self._cache: dict[Definition, Resolved] = {}
        self._directions: dict[str, frozenset[Direction]] | None = None

    # Looking types up ------------------------------------------------------

    def lookup(self, name: str) -> Definition | None:
        return self.schema.definitions.get(name)

    def is_known(self, name: str) -> bool:
        return name in BUILTIN_TYPES or name in BUILTIN_ENUMS or name in self.schema.definitions

    def describe(self, name: str) -> str:
        """ "struct 'Foo'", "built-in type 'int'", ..."""
        if name in BUILTIN_TYPES:
            return f"built-in type '{name}'"
        if name in BUILTIN_ENUMS:
            return f"built-in enum '{name}'"
        found = self.lookup(name)
        return f"{found.kind} '{name}'" if found else f"unknown type '{name}'"

    # Resolving one definition ---------------------------------------------

    def of(self, definition: Definition) -> Resolved:
        """The resolved view of ``definition`` (cached)."""
        resolved = self._cache.get(definition)
        if resolved is None:
            resolved = self._resolve(definition)
            self._cache[definition] = resolved
        return resolved

    def all(self) -> list[Resolved]:
        return [self.of(definition) for definition in self.schema.all_definitions()]

    def _resolve(self, definition: Definition) -> Resolved:
        resolved = Resolved(definition)
        kind = definition.kind
        if kind == "enum":
            resolved.documented = _enum_values(definition.get("data"), definition)
        elif kind == "struct":
            self._resolve_base(resolved)
            resolved.documented += _object_members(definition.get("data"), definition, "member")
        elif kind == "union":
            self._resolve_base(resolved)
            resolved.branches = tuple(_object_members(definition.get("data"), definition, "branch"))
            discriminator = definition.get("discriminator")
            if isinstance(discriminator, JString):
                resolved.discriminator = discriminator.value
            for branch in resolved.branches:
                self._check_object_type(resolved, branch.type, f"branch '{branch.name}'")
        elif kind == "alternate":
            resolved.documented = _object_members(definition.get("data"), definition, "branch")
        elif kind in ("command", "event"):
            self._resolve_arguments(resolved)
            if kind == "command":
                resolved.returns = type_ref(definition.get("returns"))
        resolved.features = _features(definition.get("features"), definition) + _with_features(
            resolved.documented
        )
        self._check_known(resolved)
        return resolved

    def _resolve_base(self, resolved: Resolved) -> None:
        definition = resolved.definition
        base = definition.get("base")
        if isinstance(base, JObject):  # inline base: described here
            resolved.documented += _object_members(base, definition, "member")
        elif isinstance(base, JString):
            found = self._check_type(resolved, TypeRef(base.value, False, base.span), "'base'")
            if found is None:
                return
            if found.kind != "struct":
                shown = self.describe(found.name)
                self._problem(resolved, base.span, f"'base' must be a struct, not {shown}")
            elif self._base_loops(found, definition):
                message = f"'base' '{found.name}' leads to a loop of base types"
                self._problem(resolved, base.span, message)
            else:
                resolved.base = found

    def _base_loops(self, start: Definition, target: Definition) -> bool:
        """Whether following named bases from ``start`` reaches ``target``
        (or any loop)."""
        seen: set[int] = set()
        current: Definition | None = start
        while current is not None:
            if current is target or id(current) in seen:
                return True
            seen.add(id(current))
            base = current.get("base")
            current = self.lookup(base.value) if isinstance(base, JString) else None
        return False

    def _resolve_arguments(self, resolved: Resolved) -> None:
        definition = resolved.definition
        data = definition.get("data")
        if isinstance(data, JObject):
            resolved.documented = _object_members(data, definition, "member")
        elif isinstance(data, JString):
            found = self._check_object_type(resolved, type_ref(data), "'data'")
            if found is None:
                return
            boxed = definition.get("boxed")
            if found.kind == "union" and not (isinstance(boxed, JBool) and boxed.value):
                self._problem(
                    resolved,
                    data.span,
                    f"'data' can be {self.describe(found.name)} only with 'boxed': true",
                )
            resolved.arg_type = found

    # Type problems ----------------------------------------------------------

    def _problem(self, resolved: Resolved, span: Span, message: str) -> None:
        resolved.problems += (TypeProblem(span, message, resolved.definition.span.line),)

    def _check_type(self, resolved: Resolved, ref: TypeRef | None, what: str) -> Definition | None:
        """The definition ``ref`` names, None for a built-in, for nothing,
        or for an unknown type (which is a problem)."""
        if ref is None:
            return None
        if not self.is_known(ref.name):
            self._problem(resolved, ref.span, f"{what} uses unknown type '{ref.name}'")
            return None
        return self.lookup(ref.name)

    def _check_object_type(
        self, resolved: Resolved, ref: TypeRef | None, what: str
    ) -> Definition | None:
        """Like :meth:`_check_type`, for a place that needs a struct or union."""
        if ref is None:
            return None
        known = self.is_known(ref.name)
        found = self._check_type(resolved, ref, what)
        if known and (found is None or ref.array or found.kind not in OBJECT_KINDS):
            shown = (
                f"an array of {self.describe(ref.name)}" if ref.array else self.describe(ref.name)
            )
            self._problem(resolved, ref.span, f"{what} must be a struct or union, not {shown}")
            return None
        return found

    def _check_known(self, resolved: Resolved) -> None:
        """Unknown types of members, alternate branches and return values
        (bases, branch types and argument types are checked on the way)."""
        for member in resolved.documented:
            if member.type is not None and not self.is_known(member.type.name):
                self._problem(
                    resolved,
                    member.type.span,
                    f"{member.role} '{member.name}' uses unknown type '{member.type.name}'",
                )
        if resolved.returns is not None:
            self._check_type(resolved, resolved.returns, "'returns'")

    # Members on the wire ----------------------------------------------------

    def object_members(self, definition: Definition) -> list[Member]:
        """A struct's or union's members common to every branch: the named
        base chain's first, then its own (for a union, its inline base)."""
        if definition.kind not in OBJECT_KINDS:
            return []
        resolved = self.of(definition)
        inherited = self.object_members(resolved.base) if resolved.base is not None else []
        return inherited + resolved.documented

    def discriminator_enum(self, definition: Definition) -> str | None:
        """The type name of a union's discriminator member, if known."""
        name = self.of(definition).discriminator
        for member in self.object_members(definition):
            if member.name == name and member.type is not None:
                return member.type.name
        return None

    # Which way a type travels ----------------------------------------------

    def directions(self, definition: Definition) -> frozenset[Direction]:
        """How a client meets ``definition``'s members: ``input`` when it
        is reachable from a command's arguments, ``output`` when reachable
        from a command's returns or an event's data (through bases, branch
        types, argument types, member types and arrays); both, or neither
        when no command or event reaches it."""
        if self._directions is None:
            self._directions = self._all_directions()
        if definition.kind in ("command",):
            return frozenset({"input"})
        if definition.kind == "event":
            return frozenset({"output"})
        return self._directions.get(definition.name, frozenset())

    def _all_directions(self) -> dict[str, frozenset[Direction]]:
        found: dict[str, set[Direction]] = {}

        def walk(name: str, direction: Direction) -> None:
            stack = [name]
            while stack:
                current = self.lookup(stack.pop())
                if current is None or direction in found.setdefault(current.name, set()):
                    continue
                found[current.name].add(direction)
                resolved = self.of(current)
                refs = [m.type for m in [*resolved.documented, *resolved.branches]]
                stack += [ref.name for ref in refs if ref is not None]
                stack += [d.name for d in (resolved.base, resolved.arg_type) if d is not None]

        for definition in self.schema.definitions.values():
            resolved = self.of(definition)
            if definition.kind not in ("command", "event"):
                continue
            ways: list[tuple[Definition | None, TypeRef | None, Direction]] = []
            inward: Direction = "input" if definition.kind == "command" else "output"
            ways.append((resolved.arg_type, None, inward))
            ways += [(None, m.type, inward) for m in resolved.documented]
            ways.append((None, resolved.returns, "output"))
            for named, ref, direction in ways:
                if named is not None:
                    walk(named.name, direction)
                elif ref is not None:
                    walk(ref.name, direction)
        return {name: frozenset(ways) for name, ways in found.items()}

    # Where else a name may live ----------------------------------------------

    def related(self, definition: Definition) -> Iterator[Related]:
        """Definitions whose members a reader of ``definition`` meets: its
        named base chain, its branch types, its named argument type and its
        return type, and in turn their bases and branch types; each once."""
        seen: set[int] = {id(definition)}
        queue: list[Related] = []

        def add(found: Definition | None, how: str) -> None:
            if found is not None and id(found) not in seen:
                seen.add(id(found))
                queue.append(Related(found, how))

        def expand(current: Definition) -> None:
            resolved = self.of(current)
            add(resolved.base, f"the base type of '{current.name}'")
            for branch in resolved.branches:
                if branch.type is not None:
                    add(
                        self.lookup(branch.type.name),
                        f"the type of branch '{branch.name}' of '{current.name}'",
                    )

        resolved = self.of(definition)
        expand(definition)
        add(resolved.arg_type, f"the argument type of '{definition.name}'")
        if resolved.returns is not None:
            add(self.lookup(resolved.returns.name), f"the return type of '{definition.name}'")
        index = 0
        while index < len(queue):
            current = queue[index]
            yield current
            expand(current.definition)
            index += 1

    def home(
        self, definition: Definition, name: str, kind: Literal["member", "feature"] = "member"
    ) -> Related | None:
        """Which definition's doc describes the member (or feature) ``name``
        a reader of ``definition`` may meet: the definition itself, else the
        first of :meth:`related` that has it; None when none has."""
        if self._has(self.of(definition), name, kind):
            return Related(definition, "itself")
        for related in self.related(definition):
            if self._has(self.of(related.definition), name, kind):
                return related
        return None

    @staticmethod
    def _has(resolved: Resolved, name: str, kind: str) -> bool:
        if kind == "member":
            return name in resolved.documented_names()
        return name in resolved.feature_names()


def resolution(schema: Schema) -> Resolution:
    """The schema's member resolution, made on first use and kept beside the
    schema (which nothing changes after loading)."""
    found: Resolution | None = schema.derived.get("resolution")
    if found is None:
        found = schema.derived["resolution"] = Resolution(schema)
    return found


def resolve(schema: Schema) -> list[Resolved]:
    """Resolve every definition of ``schema`` now (otherwise lazily)."""
    return resolution(schema).all()
