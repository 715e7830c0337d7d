"""Everything QEMU's schema parser rejects inside a doc block's text
(family ``Q1xx``, codes Q140-Q189).

:mod:`qapilint.docparse` reads each block as QEMU 10.2 does and records a
problem of one kind per defect; each rule here reports one kind. The last
two rules are the line checks QEMU's parser added in 10.2 (70 columns, two
spaces between sentences): errors on trees that have reached 10.2,
warnings on older ones, whose builds do not fail on them.
"""

from __future__ import annotations

from collections.abc import Iterator

from qapilint import docparse
from qapilint.docparse import QEMU_LINE_LIMIT
from qapilint.model import Span
from qapilint.reflow import line_length_fix, sentence_spacing_fix
from qapilint.releases import (
    CONVENTIONS_UPDATE,
    LINE_CHECKS_ENFORCED,
    MEMBER_DOCS_REQUIRED,
    OLD_SECTIONS_REJECTED,
    release_reached,
)
from qapilint.rule import DocContext, Edit, Finding, Fix, ModuleContext, rule

LINE_CHECKS_RELEASE = LINE_CHECKS_ENFORCED  # the QEMU release that added both line checks
OLD_SECTIONS_RELEASE = OLD_SECTIONS_REJECTED  # the QEMU release that rejected Note: and Example:


@rule("Q140", "doc-symbol-missing-colon", context="module", severity="error")
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


@rule("Q141", "doc-symbol-missing-name", context="module", severity="error")
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


@rule("Q142", "doc-unexpected-dedent", context="module", severity="error")
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


@rule("Q143", "doc-duplicate-features-line", context="module", severity="error")
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


@rule("Q144", "doc-features-without-descriptions", context="module", severity="error")
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


@rule("Q145", "doc-duplicate-section", context="module", severity="error")
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


@rule("Q146", "doc-empty-section", context="module", severity="error")
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


@rule("Q147", "doc-description-after-section", context="module", severity="error")
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


@rule("Q148", "doc-duplicate-description", context="module", severity="error")
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


@rule("Q149", "doc-description-without-name", context="module", severity="error")
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


@rule("Q150", "doc-free-form-description", context="module", severity="error")
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


def line_limit(ctx: DocContext) -> int:
    """QEMU's limit, or the tree's ``line-length`` setting when lower."""
    configured = ctx.tree.setting("line-length")
    if isinstance(configured, int) and 0 < configured < QEMU_LINE_LIMIT:
        return configured
    return QEMU_LINE_LIMIT


@rule(
    "Q181",
    "doc-line-too-long",
    context="doc",
    severity="error",
    fix="safe",
    qemu_release=LINE_CHECKS_RELEASE,
    convention_release=CONVENTIONS_UPDATE,
)
def doc_line_too_long(ctx: DocContext) -> Iterator[Finding]:
    """Flags a doc comment line longer than 70 columns, ``# `` included.

    Why: QEMU 10.2's parser rejects such lines ("documentation line longer
    than 70 characters"), except lines that are nothing but a URL and lines
    in literal blocks or ``.. qmp-example::`` bodies. 70 columns became the
    convention in QEMU 8.1, so on trees from 8.1 to 10.1 (whose builds
    accept long lines) this is a warning; older trees are not checked.

    The fix rewraps the line's paragraph; a paragraph with several long
    lines gets one rewrap, shown with its first long line.

    Example::

        # @speed: the maximum speed, in bytes per second, for the whole job

    Use instead::

        # @speed: the maximum speed, in bytes per second, for the whole
        #     job
    """
    limit = line_limit(ctx)
    shown: set[tuple[Edit, ...]] = set()
    for doc_line, text in docparse.checked_lines(ctx.doc):
        length = docparse.line_length(text)
        if length <= limit or docparse.is_url_line(text):
            continue
        start = docparse.hash_col(doc_line)
        # Safe fix: rewrap the paragraph with qapilint.reflow, or split a
        # "Paragraph::" literal intro. One paragraph, one rewrap: its later
        # long lines are fixed by the same edit, shown once, at the first.
        fix = line_length_fix(ctx.doc.lines, ctx.doc.lines.index(doc_line), limit)
        if isinstance(fix, Fix) and fix.edits in shown:
            fix = None
        elif isinstance(fix, Fix):
            shown.add(fix.edits)
        yield Finding(
            Span(doc_line.line, start, doc_line.line, doc_line.col + len(text)),
            f"documentation line longer than {limit} characters ({length})",
            fix=fix if isinstance(fix, Fix) else None,
            symbol=ctx.doc.symbol,
        )


@rule(
    "Q182",
    "sentence-spacing",
    context="doc",
    severity="error",
    fix="safe",
    qemu_release=LINE_CHECKS_RELEASE,
    convention_release=CONVENTIONS_UPDATE,
)
def sentence_spacing(ctx: DocContext) -> Iterator[Finding]:
    """Flags a single space between two sentences in a doc comment.

    Why: QEMU 10.2's parser rejects ``.``, ``!`` or ``?`` followed by one
    space and an uppercase letter, a digit or ``(`` ("Use two spaces between
    sentences"), except after ``e.g.`` and a leading list number; literal
    blocks and ``.. qmp-example::`` bodies are exempt. Two spaces became
    the convention in QEMU 8.1, so on trees from 8.1 to 10.1 this is a
    warning; older trees are not checked. The fix inserts the second space.

    Example::

        # Stop the job. It can be resumed later.

    Use instead::

        # Stop the job.  It can be resumed later.
    """
    limit = line_limit(ctx)
    checked = docparse.checked_lines(ctx.doc)
    if not docparse.may_have_single_spaces(checked):  # most doc blocks
        return
    shown: set[tuple[Edit, ...]] = set()
    for doc_line, text in checked:
        for offset in docparse.single_spaces(text):
            col = doc_line.col + offset
            # Safe fix: insert the space, rewrapping the paragraph if that
            # would push the line past the limit (a rewrap doubles every gap
            # of the line: shown once, with the first).
            index = ctx.doc.lines.index(doc_line)
            fix: Fix | None = sentence_spacing_fix(ctx.doc.lines, index, offset, limit)
            if fix is not None and fix.edits in shown:
                fix = None
            elif fix is not None:
                shown.add(fix.edits)
            yield Finding(
                Span.at(doc_line.line, col),
                "use two spaces between sentences (after an abbreviation "
                "such as 'i.e.', rephrase instead)",
                fix=fix,
                symbol=ctx.doc.symbol,
            )
