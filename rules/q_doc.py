"""Everything QEMU's schema parser rejects inside a doc block's text
(family ``Q1xx``, codes Q140-Q179).

:mod:`qapilint.syntax.docparse` reads each block as QEMU 10.2 does and records a
problem of one kind per defect; each rule here reports one kind. QEMU
10.2's line checks are in :mod:`qapilint.rules.q_lines`.
"""

from __future__ import annotations

from collections.abc import Iterator

from qapilint.lint.rule import Finding, ModuleContext, rule
from qapilint.schema.releases import (
    MEMBER_DOCS_REQUIRED,
    OLD_SECTIONS_REJECTED,
    release_reached,
)
from qapilint.syntax import docparse

OLD_SECTIONS_RELEASE = OLD_SECTIONS_REJECTED  # the QEMU release that rejected Note: and Example:


@rule("Q140", "doc-symbol-missing-colon", context="module", severity="error", qemu_rejects=True)
def doc_symbol_missing_colon(ctx: ModuleContext) -> Iterator[Finding]:
    """Flags a definition doc whose ``@NAME`` line does not end with a colon.

    Why: QEMU reads a first line starting with ``@`` as the name of the
    documented definition and stops with "line should end with ':'" when the
    colon is missing or followed by text.

    Example::

        ##
        # @query-status
        ##

    Use instead::

        ##
        # @query-status:
        ##
    """
    yield from ctx.problems(docparse.SYMBOL_COLON)


@rule("Q141", "doc-symbol-missing-name", context="module", severity="error", qemu_rejects=True)
def doc_symbol_missing_name(ctx: ModuleContext) -> Iterator[Finding]:
    """Flags a definition doc whose first line is ``@:`` with no name.

    Why: QEMU stops with "name required after '@'": it cannot tell which
    definition the block documents.

    Example::

        ##
        # @:
        ##

    Use instead::

        ##
        # @query-status:
        ##
    """
    yield from ctx.problems(docparse.SYMBOL_EMPTY)


@rule("Q142", "doc-unexpected-dedent", context="module", severity="error", qemu_rejects=True)
def doc_unexpected_dedent(ctx: ModuleContext) -> Iterator[Finding]:
    """Flags the line after a description's first continuation line when it
    is indented less than that line.

    Why: QEMU stops with "unexpected de-indent (expected at least N
    spaces)": continuation lines of a member description or tagged section
    must keep the indentation their first line set.

    Example::

        # @speed: the new speed,
        #     in bytes per second,
        # or 0 for no limit

    Use instead::

        # @speed: the new speed,
        #     in bytes per second,
        #     or 0 for no limit
    """
    yield from ctx.problems(docparse.BAD_INDENT)


@rule("Q143", "doc-duplicate-features-line", context="module", severity="error", qemu_rejects=True)
def doc_duplicate_features_line(ctx: ModuleContext) -> Iterator[Finding]:
    """Flags a second ``Features:`` line in one doc block.

    Why: QEMU stops with "duplicated 'Features:' line": all feature
    descriptions of a definition belong under a single ``Features:``.

    Example::

        # Features:
        # @deprecated: Use @speed instead.
        #
        # Features:
        # @unstable: Experimental.

    Use instead::

        # Features:
        # @deprecated: Use @speed instead.
        # @unstable: Experimental.
    """
    yield from ctx.problems(docparse.FEATURES_DUPLICATED)


@rule(
    "Q144",
    "doc-features-without-descriptions",
    context="module",
    severity="error",
    qemu_rejects=True,
)
def doc_features_without_descriptions(ctx: ModuleContext) -> Iterator[Finding]:
    """Flags a ``Features:`` line not followed by any ``@feature:`` description.

    Why: QEMU stops with "feature descriptions expected": the line only
    introduces descriptions; plain text after it is not allowed.

    Example::

        # Features:
        #
        # Some features are unstable.

    Use instead::

        # Features:
        #
        # @unstable: This command is experimental.
    """
    yield from ctx.problems(docparse.FEATURES_EMPTY)


@rule("Q145", "doc-duplicate-section", context="module", severity="error", qemu_rejects=True)
def doc_duplicate_section(ctx: ModuleContext) -> Iterator[Finding]:
    """Flags a second ``Returns:``, ``Errors:`` or ``Since:`` section in one
    doc block.

    Why: QEMU stops with "duplicated 'Since' section" (or 'Returns',
    'Errors'): each of these may appear once per definition.

    Example::

        # Since: 2.0
        #
        # Since: 2.1

    Use instead::

        # Since: 2.0
    """
    yield from ctx.problems(docparse.SECTION_DUPLICATED)


@rule("Q146", "doc-empty-section", context="module", severity="error", qemu_rejects=True)
def doc_empty_section(ctx: ModuleContext) -> Iterator[Finding]:
    """Flags a tagged section or ``@name:`` description with no text.

    Why: QEMU stops with "text required after 'X:'": an empty ``Since:``,
    ``Returns:``, ``Errors:``, ``TODO:`` or member description documents
    nothing.

    Before QEMU 9.0 the doc parser took the unindented lines after a bare
    ``@name:`` line as its text (``@kernel-release:`` followed by a list):
    on trees older than 9.0 only a tag followed by no text at all is
    reported.

    Example::

        # @speed:
        #
        # Since: 2.0

    Use instead::

        # @speed: the new speed in bytes per second
        #
        # Since: 2.0
    """
    old_reader = not release_reached(ctx.tree.version, MEMBER_DOCS_REQUIRED)
    for found in ctx.problems(docparse.SECTION_EMPTY):
        if old_reader and _text_follows(ctx.module.lines, found.span.line):
            continue
        yield found


def _text_follows(lines: list[str], line: int) -> bool:
    """Whether the doc line after file line ``line`` holds text that opens
    no section: what a pre-9.0 parser read as the tag's text."""
    if line >= len(lines):
        return False
    text = lines[line].strip()
    if not text.startswith("#") or text.startswith("##"):
        return False
    body = text[1:].strip()
    return bool(body) and docparse.member_tag(body) is None and docparse.section_tag(body) is None


@rule(
    "Q147", "doc-description-after-section", context="module", severity="error", qemu_rejects=True
)
def doc_description_after_section(ctx: ModuleContext) -> Iterator[Finding]:
    """Flags an ``@member:`` description that comes after a later section
    (a tagged section, ``Features:``, or text following the descriptions).

    Why: QEMU stops with "description of '@x:' follows a section": member
    descriptions form one block after the body, before everything else.

    Example::

        # @speed: the new speed
        #
        # Since: 2.0
        #
        # @limit: the limit

    Use instead::

        # @speed: the new speed
        #
        # @limit: the limit
        #
        # Since: 2.0
    """
    yield from ctx.problems(docparse.DESCRIPTION_LATE)


@rule("Q148", "doc-duplicate-description", context="module", severity="error", qemu_rejects=True)
def doc_duplicate_description(ctx: ModuleContext) -> Iterator[Finding]:
    """Flags a member or feature described twice in one doc block.

    Why: QEMU stops with "'x' parameter name duplicated"; one of the two
    descriptions is a mistake, often a copy-paste that should name another
    member.

    Example::

        # @speed: the new speed
        # @speed: the speed limit

    Use instead::

        # @speed: the new speed
        # @limit: the speed limit
    """
    yield from ctx.problems(docparse.DESCRIPTION_DUPLICATED)


@rule("Q149", "doc-description-without-name", context="module", severity="error", qemu_rejects=True)
def doc_description_without_name(ctx: ModuleContext) -> Iterator[Finding]:
    """Flags a description line ``@:`` that names no member or feature.

    Why: QEMU stops with "invalid parameter name": the description cannot
    be attached to anything.

    Example::

        # @: the new speed

    Use instead::

        # @speed: the new speed
    """
    yield from ctx.problems(docparse.DESCRIPTION_NO_NAME)


@rule("Q150", "doc-free-form-description", context="module", severity="error", qemu_rejects=True)
def doc_free_form_description(ctx: ModuleContext) -> Iterator[Finding]:
    """Flags an ``@name:`` description in a free-form doc block (one that
    does not start with ``@DEFINITION:``).

    Why: QEMU stops with "'@x:' not allowed in free-form documentation":
    only a definition's doc block has members to describe. Often the
    block's ``@NAME:`` first line is missing.

    Example::

        ##
        # Query the status.
        # @verbose: more output
        ##

    Use instead::

        ##
        # @query-status:
        #
        # Query the status.
        #
        # @verbose: more output
        ##
    """
    yield from ctx.problems(docparse.FREE_FORM_DESCRIPTION)


@rule(
    "Q151",
    "doc-note-section",
    context="module",
    severity="error",
    qemu_release=OLD_SECTIONS_RELEASE,
    qemu_rejects=True,
    convention_release=OLD_SECTIONS_RELEASE,
)
def doc_note_section(ctx: ModuleContext) -> Iterator[Finding]:
    """Flags a ``Note:`` or ``Notes:`` section.

    Why: QEMU 9.1 and later reject these sections and ask for an rST
    admonition instead: ``.. note::``, ``.. admonition:: Notes`` or another
    suitable one. Trees older than 9.1 are not checked: there ``Note:`` is
    the documented form.

    Example::

        # Note: The device must be stopped first.

    Use instead::

        # .. note:: The device must be stopped first.
    """
    yield from ctx.problems(docparse.NOTE_SECTION)


@rule(
    "Q152",
    "doc-example-section",
    context="module",
    severity="error",
    qemu_release=OLD_SECTIONS_RELEASE,
    qemu_rejects=True,
    convention_release=OLD_SECTIONS_RELEASE,
)
def doc_example_section(ctx: ModuleContext) -> Iterator[Finding]:
    """Flags an ``Example:`` or ``Examples:`` section.

    Why: QEMU 9.1 and later reject these sections and ask for the
    ``.. qmp-example::`` directive (or other suitable markup) instead.
    Trees older than 9.1 are not checked: there ``Example:`` is the
    documented form, and their doc generator has no ``qmp-example``.

    Example::

        # Example:
        #
        # -> { "execute": "stop" }
        # <- { "return": {} }

    Use instead::

        # .. qmp-example::
        #
        #     -> { "execute": "stop" }
        #     <- { "return": {} }
    """
    yield from ctx.problems(docparse.EXAMPLE_SECTION)
