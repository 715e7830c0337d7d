"""QEMU's naming rules (Q2xx): names that are invalid, in the wrong case,
reserved, or that clash with another member once made C identifiers.

The pragmas ``member-name-exceptions`` (members and enum values of the
listed types) and ``command-name-exceptions`` (commands) relax the case
rules, as QEMU's do. Each rule reports one class of
:mod:`qapilint.schema.semantic`.
"""

from __future__ import annotations

from collections.abc import Iterator

from qapilint.lint.rule import Finding, SchemaContext, rule

from ._semantic import semantic_findings


@rule("Q220", "invalid-name", context="schema", severity="error", qemu_rejects=True)
def invalid_name(ctx: SchemaContext) -> Iterator[Finding]:
    """Flags a name that is not a QAPI name: letters, digits, ``-`` and
    ``_``, starting with a letter (after an optional ``__RFQDN_``
    downstream prefix and ``x-``), and not starting with ``q_`` or ``q-``.

    Why: QEMU rejects it ("has an invalid name"): names become C
    identifiers, and the ``q_`` namespace is reserved for generated code.

    Example::

        { 'enum': 'SocketFamily', 'data': [ 'q-unix', 'inet' ] }

    Use instead::

        { 'enum': 'SocketFamily', 'data': [ 'unix', 'inet' ] }
    """
    yield from semantic_findings(ctx, "invalid-name")


@rule("Q221", "name-case", context="schema", severity="error", qemu_rejects=True)
def name_case(ctx: SchemaContext) -> Iterator[Finding]:
    """Flags a name in the wrong case: types must be CamelCase, events
    UPPER_CASE, and commands, members, enum values, alternate branches and
    features lower-case with ``-``.

    Why: QEMU rejects it ("must use CamelCase", "must not use uppercase or
    '_'"), unless pragma ``command-name-exceptions`` lists the command or
    ``member-name-exceptions`` the type whose members break the rule. The
    exceptions exist for old names only.

    Example::

        { 'struct': 'Foo', 'data': { 'Arg': 'int', 'other_arg': 'str' } }

    Use instead::

        { 'struct': 'Foo', 'data': { 'arg': 'int', 'other-arg': 'str' } }
    """
    yield from semantic_findings(ctx, "name-style")


@rule("Q222", "reserved-name", context="schema", severity="error", qemu_rejects=True)
def reserved_name(ctx: SchemaContext) -> Iterator[Finding]:
    """Flags a member named ``u`` or ``has-...`` (``has_...``), and a type
    name ending in ``List``.

    Why: QEMU rejects them: the generated C code uses ``u`` for a union's
    branches, ``has_X`` for whether optional member X is present, and
    ``XList`` for the array type of X.

    Example::

        { 'struct': 'Disk', 'data': { 'has-cache': 'bool' } }

    Use instead::

        { 'struct': 'Disk', 'data': { 'cache-present': 'bool' } }
    """
    yield from semantic_findings(ctx, "reserved-name")


@rule("Q223", "name-clash", context="schema", severity="error", qemu_rejects=True)
def name_clash(ctx: SchemaContext) -> Iterator[Finding]:
    """Flags two members, enum values, branches or features whose names are
    the same once ``-`` and ``.`` become ``_``: within a definition, with a
    member of its base, or between a union's common members and a branch's.

    Why: QEMU rejects the schema ("member 'a_b' collides with member
    'a-b'"): both would be the same field of the generated C struct, or the
    same key on the wire.

    Example::

        { 'struct': 'Base', 'data': { 'name': 'str' } }
        { 'struct': 'Sub', 'base': 'Base', 'data': { 'name': 'str' } }

    Use instead::

        { 'struct': 'Base', 'data': { 'name': 'str' } }
        { 'struct': 'Sub', 'base': 'Base', 'data': { 'alias': 'str' } }
    """
    yield from semantic_findings(ctx, "name-clash")
