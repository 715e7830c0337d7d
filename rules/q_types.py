"""QEMU's semantic checks of types (Q2xx): references that name no type or
a type of the wrong kind, base cycles, redefinitions, conditional arguments.

Each rule reports one class of :mod:`qapilint.schema.semantic`: every
problem, at the type name or member concerned, with the line QEMU reports
(the definition's first line) kept as ``anchor_line``.
"""

from __future__ import annotations

from collections.abc import Iterator

from qapilint.lint.rule import Finding, SchemaContext, rule

from ._semantic import semantic_findings


@rule("Q210", "unknown-type", context="schema", severity="error", qemu_rejects=True)
def unknown_type(ctx: SchemaContext) -> Iterator[Finding]:
    """Flags a type reference that names no type.

    Why: QEMU rejects the schema ("uses unknown type"). Commands and events
    are not types. A reference to a malformed definition is not reported
    again: the definition's own finding is the root cause.

    Example::

        { 'struct': 'BlockdevOptionsNull', 'base': 'BlockdevOptionBase',
          'data': { '*size': 'int' } }

    Use instead::

        { 'struct': 'BlockdevOptionsNull', 'base': 'BlockdevOptionsBase',
          'data': { '*size': 'int' } }
    """
    yield from semantic_findings(ctx, "unknown-type")


@rule("Q213", "wrong-type-kind", context="schema", severity="error", qemu_rejects=True)
def wrong_type_kind(ctx: SchemaContext) -> Iterator[Finding]:
    """Flags a type of the wrong kind for its place: a base that is not a
    struct, a union branch that is not a struct or union, an alternate
    branch of type ``any`` or another alternate, a command's or event's
    ``data`` that is not a struct (or, with ``'boxed': true``, a union),
    a command's ``returns`` that is not a struct or union (or an array of
    one) unless pragma ``command-returns-exceptions`` lists the command.

    Why: QEMU rejects the schema: the generated C code and the wire
    protocol need members where these types have none, or a JSON value an
    alternate can tell apart.

    Example::

        { 'command': 'query-tpm-version', 'returns': 'str' }

    Use instead::

        { 'struct': 'TpmVersion', 'data': { 'version': 'str' } }
        { 'command': 'query-tpm-version', 'returns': 'TpmVersion' }
    """
    yield from semantic_findings(ctx, "wrong-type-kind")


@rule("Q214", "object-contains-itself", context="schema", severity="error", qemu_rejects=True)
def object_contains_itself(ctx: SchemaContext) -> Iterator[Finding]:
    """Flags a struct or union whose base chain, or a union branch type,
    leads back to itself.

    Why: QEMU rejects the schema ("object X contains itself"): the C struct
    would contain itself. Reported once per cycle, at the definition QEMU
    names.

    Example::

        { 'struct': 'Base1', 'base': 'Base2', 'data': {} }
        { 'struct': 'Base2', 'base': 'Base1', 'data': {} }

    Use instead::

        { 'struct': 'Base1', 'data': {} }
        { 'struct': 'Base2', 'base': 'Base1', 'data': {} }
    """
    yield from semantic_findings(ctx, "base-cycle")


@rule("Q215", "already-defined", context="schema", severity="error", qemu_rejects=True)
def already_defined(ctx: SchemaContext) -> Iterator[Finding]:
    """Flags a definition whose name is taken: by an earlier definition, a
    built-in type (``int``, ``str``, ...), its array type (``strList``) or
    the predefined enum ``QType``.

    Why: QEMU rejects the schema ("'X' is already defined"); names of
    types, commands and events share one namespace. The finding is at the
    second definition and names the first.

    Example::

        { 'command': 'int', 'data': { 'character': 'str' } }

    Use instead::

        { 'command': 'send-int', 'data': { 'character': 'str' } }
    """
    yield from semantic_findings(ctx, "redefinition")


@rule(
    "Q216",
    "conditional-arguments-unboxed",
    context="schema",
    severity="error",
    qemu_rejects=True,
)
def conditional_arguments_unboxed(ctx: SchemaContext) -> Iterator[Finding]:
    """Flags a command or event with a conditional argument (a member with
    ``'if'``) that is not ``'boxed': true``.

    Why: QEMU rejects it ("conditional command arguments require 'boxed':
    true"): an unboxed handler takes each argument as a C parameter, and a
    parameter cannot be conditional.

    Example::

        { 'command': 'test-if-cmd',
          'data': { 'foo': 'int',
                    'bar': { 'type': 'str', 'if': 'TEST_IF_CMD_ARG' } } }

    Use instead::

        { 'struct': 'TestIfCmdArgs',
          'data': { 'foo': 'int',
                    'bar': { 'type': 'str', 'if': 'TEST_IF_CMD_ARG' } } }
        { 'command': 'test-if-cmd', 'data': 'TestIfCmdArgs', 'boxed': true }
    """
    yield from semantic_findings(ctx, "conditional-arguments")
