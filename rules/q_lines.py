"""QEMU 10.2's two doc line checks (family ``Q1xx``, codes Q180-Q189): 70
columns and two spaces between sentences.

They read the doc block's classified lines: the reader marks the lines
QEMU's literal mode exempts (literal blocks, ``.. qmp-example::``
bodies), and :mod:`qapilint.syntax.doclines` says how QEMU measures a line
and where it wants two spaces. Errors on trees that have reached 10.2,
warnings on older ones, whose builds do not fail on them.
"""

from __future__ import annotations

from collections.abc import Iterator

from qapilint.fix.edits import Edit
from qapilint.fix.reflow import line_length_fix, sentence_spacing_fix
from qapilint.lint.rule import DocContext, Finding, Fix, rule
from qapilint.schema.releases import CONVENTIONS_UPDATE, LINE_CHECKS_ENFORCED
from qapilint.syntax.doclines import (
    checked_lines,
    hash_col,
    is_url_line,
    line_facts,
    line_length,
    may_have_single_spaces,
    single_spaces,
)
from qapilint.syntax.model import Doc, Span

LINE_CHECKS_RELEASE = LINE_CHECKS_ENFORCED  # the QEMU release that added both line checks


def _may_be_too_long(doc: Doc, limit: int) -> bool:
    """False when no line of the block is too long, checked or not (then
    its lines need not be sorted into checked ones). Measured on the
    block's line facts, whose texts are the checked lines' texts (trailing
    whitespace removed, as QEMU measures them): made for every block by
    the rules before this one, where the doc lines' own texts would be
    mapped again."""
    return line_length(max(line_facts(doc).texts, key=len, default="")) > limit


@rule(
    "Q181",
    "doc-line-too-long",
    context="doc",
    severity="error",
    fix="safe",
    qemu_release=LINE_CHECKS_RELEASE,
    qemu_rejects=True,
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
    limit = ctx.tree.line_limit()
    if not _may_be_too_long(ctx.doc, limit):  # most blocks
        return
    shown: set[tuple[Edit, ...]] = set()
    for doc_line, text in checked_lines(ctx.doc):
        length = line_length(text)
        if length <= limit or is_url_line(text):
            continue
        start = hash_col(doc_line.raw)
        # the safe fix rewraps the paragraph or splits a "Paragraph::" intro;
        # one paragraph, one rewrap: its later long lines are fixed by the
        # same edit, shown once, at the first (a string: why no fix is safe)
        made = line_length_fix(ctx.doc.lines, ctx.doc.lines.index(doc_line), limit)
        fix = made if isinstance(made, Fix) and made.edits not in shown else None
        if fix is not None:
            shown.add(fix.edits)
        yield Finding(
            Span(doc_line.line, start, doc_line.line, doc_line.col + len(text)),
            f"documentation line longer than {limit} characters ({length})",
            fix=fix,
            symbol=ctx.doc.symbol,
        )


@rule(
    "Q182",
    "sentence-spacing",
    context="doc",
    severity="error",
    fix="safe",
    qemu_release=LINE_CHECKS_RELEASE,
    qemu_rejects=True,
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
    # most blocks have no single space between sentences on any line,
    # checked or not: they need not be sorted into checked lines (the
    # block's lines joined, trailing whitespace removed, are in its line
    # facts: a single space is found there if in the lines themselves)
    if not may_have_single_spaces((line_facts(ctx.doc).text,)):
        return
    limit = ctx.tree.line_limit()
    checked = checked_lines(ctx.doc)
    if not may_have_single_spaces(text for _, text in checked):
        return
    shown: set[tuple[Edit, ...]] = set()
    for doc_line, text in checked:
        for offset in single_spaces(text):
            col = doc_line.col + offset
            # the safe fix inserts the space, rewrapping the paragraph if that
            # would push the line past the limit (a rewrap doubles every gap
            # of the line: shown once, with the first)
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
