"""QEMU's checks of each expression on its own (Q2xx): what kind of
definition it is, its keys, the shape of their values, flags, ``if``
conditions and features.

QEMU makes these checks before it resolves any type; a definition that
fails one takes no part in the later checks (it still counts as defined).
Each rule reports one class of :mod:`qapilint.schema.semantic`.
"""

from __future__ import annotations

from collections.abc import Iterator

from qapilint.lint.rule import Finding, SchemaContext, rule

from ._semantic import semantic_findings


@rule("Q230", "definition-kind", context="schema", severity="error", qemu_rejects=True)
def definition_kind(ctx: SchemaContext) -> Iterator[Finding]:
    """Flags an expression that is not exactly one kind of definition
    (``enum``, ``struct``, ``union``, ``alternate``, ``command``,
    ``event``), or whose name is not a string.

    Why: QEMU rejects it ("expression must have exactly one key ...",
    "'struct' requires a string name"): it cannot tell what is defined.

    Example::

        { 'struct': 'Foo', 'command': 'foo', 'data': {} }

    Use instead::

        { 'struct': 'Foo', 'data': {} }
        { 'command': 'foo', 'data': 'Foo' }
    """
    yield from semantic_findings(ctx, "expression-kind")


@rule("Q231", "definition-keys", context="schema", severity="error", qemu_rejects=True)
def definition_keys(ctx: SchemaContext) -> Iterator[Finding]:
    """Flags a definition, member, enum value or feature that misses a key
    it needs (``data``, ``type``, ``name``, a union's ``base`` or
    ``discriminator``) or has a key its kind does not take.

    Why: QEMU rejects it ("misses key", "has unknown key"); an unknown key
    is usually a typo, or a key of another kind of definition (an
    alternate has no ``base``).

    Example::

        { 'struct': 'Foo', 'data': { 'a': 'int' }, 'bogus': 'x' }

    Use instead::

        { 'struct': 'Foo', 'data': { 'a': 'int' } }
    """
    yield from semantic_findings(ctx, "expression-keys")


@rule("Q232", "definition-value", context="schema", severity="error", qemu_rejects=True)
def definition_value(ctx: SchemaContext) -> Iterator[Finding]:
    """Flags a value of the wrong shape: an enum's ``data`` that is not a
    list, a struct's or union's ``data`` that is not an object, a member
    type that is neither a type name nor a one-element array, a union
    branch that is an array, an empty alternate, ``'boxed': true`` without
    a type name as ``data``, a ``prefix`` or ``discriminator`` that is not
    a string.

    Why: QEMU rejects it ("'data' must be an array", "should be a type name
    or array", ...): nested anonymous types do not exist in QAPI.

    Example::

        { 'struct': 'Foo', 'data': { 'a': { 'type': { 'b': 'int' } } } }

    Use instead::

        { 'struct': 'Inner', 'data': { 'b': 'int' } }
        { 'struct': 'Foo', 'data': { 'a': 'Inner' } }
    """
    yield from semantic_findings(ctx, "expression-value")


@rule("Q233", "bad-flag", context="schema", severity="error", qemu_rejects=True)
def bad_flag(ctx: SchemaContext) -> Iterator[Finding]:
    """Flags a command flag with a value it cannot take (``boxed``,
    ``allow-oob``, ``allow-preconfig`` and ``coroutine`` only ``true``;
    ``gen`` and ``success-response`` only ``false``), and ``allow-oob``
    together with ``coroutine``.

    Why: QEMU rejects them: a flag's default is its only other value, and
    an out-of-band command must never yield, which a coroutine does.

    Example::

        { 'command': 'migrate-pause', 'allow-oob': true, 'coroutine': true }

    Use instead::

        { 'command': 'migrate-pause', 'allow-oob': true }
    """
    yield from semantic_findings(ctx, "flag")


@rule("Q234", "bad-if-condition", context="schema", severity="error", qemu_rejects=True)
def bad_if_condition(ctx: SchemaContext) -> Iterator[Finding]:
    """Flags an ``if`` condition QEMU cannot read: a name that is not an
    upper-case C macro name, an object that is not exactly one of
    ``{'all': [...]}``, ``{'any': [...]}`` or ``{'not': ...}``, an empty
    list.

    Why: QEMU rejects the schema; the condition becomes a C preprocessor
    expression.

    Example::

        { 'struct': 'Foo', 'data': {}, 'if': { 'all': [] } }

    Use instead::

        { 'struct': 'Foo', 'data': {}, 'if': { 'all': [ 'CONFIG_FOO', 'CONFIG_BAR' ] } }
    """
    yield from semantic_findings(ctx, "if-condition")


@rule("Q235", "bad-feature", context="schema", severity="error", qemu_rejects=True)
def bad_feature(ctx: SchemaContext) -> Iterator[Finding]:
    """Flags ``features`` that are not a list of names (or of
    ``{'name': ..., 'if': ...}`` objects), and the special features
    ``deprecated`` and ``unstable`` on a type.

    Why: QEMU rejects them; ``deprecated`` and ``unstable`` mean something
    to clients only on commands, events and members.

    Example::

        { 'struct': 'Foo', 'data': {}, 'features': [ 'deprecated' ] }

    Use instead::

        { 'struct': 'Foo', 'data': { 'a': { 'type': 'int', 'features': [ 'deprecated' ] } } }
    """
    yield from semantic_findings(ctx, "feature")


@rule("Q236", "too-many-features", context="schema", severity="error", qemu_rejects=True)
def too_many_features(ctx: SchemaContext) -> Iterator[Finding]:
    """Flags the 65th distinct feature name of a schema (counting
    ``deprecated`` and ``unstable``).

    Why: QEMU rejects the schema: features are a 64-bit mask in the
    generated code.

    Example::

        { 'command': 'go-fish', 'features': [ 'f00', 'f01', ..., 'f3e' ] }

    Use instead::

        { 'command': 'go-fish', 'features': [ 'f00' ] }
    """
    yield from semantic_findings(ctx, "too-many-features")
