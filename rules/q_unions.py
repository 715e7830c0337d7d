"""QEMU's checks of unions and alternates (Q2xx): the discriminator, the
branches, and alternates whose branches cannot be told apart on the wire.

Each rule reports one class of :mod:`qapilint.schema.semantic`.
"""

from __future__ import annotations

from collections.abc import Iterator

from qapilint.lint.rule import Finding, SchemaContext, rule

from ._semantic import semantic_findings


@rule("Q225", "bad-discriminator", context="schema", severity="error", qemu_rejects=True)
def bad_discriminator(ctx: SchemaContext) -> Iterator[Finding]:
    """Flags a union discriminator that is not a member of the base, or is
    one that is not of enum type, optional or conditional.

    Why: QEMU rejects the schema: the discriminator's value picks the
    branch, so it must always be present and be one of the enum's values.

    Example::

        { 'union': 'Pet', 'base': { '*kind': 'PetKind' },
          'discriminator': 'kind',
          'data': { 'dog': 'Dog', 'cat': 'Cat' } }

    Use instead::

        { 'union': 'Pet', 'base': { 'kind': 'PetKind' },
          'discriminator': 'kind',
          'data': { 'dog': 'Dog', 'cat': 'Cat' } }
    """
    yield from semantic_findings(ctx, "discriminator")


@rule("Q226", "bad-union-branch", context="schema", severity="error", qemu_rejects=True)
def bad_union_branch(ctx: SchemaContext) -> Iterator[Finding]:
    """Flags a union branch that is not a value of the discriminator's enum,
    and a union without branches (its enum has no values and it lists none).

    Why: QEMU rejects the schema: a branch is selected by a discriminator
    value, so a branch no value selects can never be used.

    Example::

        { 'enum': 'PetKind', 'data': [ 'dog', 'cat' ] }
        { 'union': 'Pet', 'base': { 'kind': 'PetKind' },
          'discriminator': 'kind',
          'data': { 'dog': 'Dog', 'kat': 'Cat' } }

    Use instead::

        { 'enum': 'PetKind', 'data': [ 'dog', 'cat' ] }
        { 'union': 'Pet', 'base': { 'kind': 'PetKind' },
          'discriminator': 'kind',
          'data': { 'dog': 'Dog', 'cat': 'Cat' } }
    """
    yield from semantic_findings(ctx, "union-branch")


@rule(
    "Q227",
    "indistinguishable-alternate-branches",
    context="schema",
    severity="error",
    qemu_rejects=True,
)
def indistinguishable_alternate_branches(ctx: SchemaContext) -> Iterator[Finding]:
    """Flags an alternate branch whose JSON values could also be another
    branch's: two objects, two arrays, two numbers, or a string (or an enum
    with values such as ``on``, ``off`` or ``1``) beside a bool or number.

    Why: QEMU rejects the schema ("branch 'two' can't be distinguished
    from 'one'"): an alternate picks its branch by the JSON type of the
    value alone, and on the command line every value is a string.

    Example::

        { 'alternate': 'Size', 'data': { 'bytes': 'int', 'blocks': 'uint32' } }

    Use instead::

        { 'struct': 'Blocks', 'data': { 'count': 'uint32' } }
        { 'alternate': 'Size', 'data': { 'bytes': 'int', 'blocks': 'Blocks' } }
    """
    yield from semantic_findings(ctx, "alternate-ambiguous")
