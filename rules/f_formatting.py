"""Formatting conventions of QEMU's doc comments that QEMU's parser accepts
but reviewers ask for (F).

Each rule works on the raw lines of one doc block, so it sees exactly what
a reviewer sees; :mod:`qapilint.fix.reflow` tells literal blocks, examples and
tables apart from prose. Every convention was measured on the QEMU 10.2.2
corpus before it became a rule (numbers in each rule's docstring).
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from qapilint.lint.rule import DocContext, Edit, Finding, Fix, rule
from qapilint.schema.releases import CONVENTIONS_UPDATE
from qapilint.syntax.doclines import (
    FEATURES_LINE,
    LineFacts,
    indent_of,
    is_section_start,
    line_facts,
    member_match,
    simple_list_item,
    tag_match,
)
from qapilint.syntax.model import Doc, DocLine, Span

CONTINUATION_INDENT = 4
TAB_SIZE = 8


def _section_end(texts: list[str], start: int, indent: int) -> int:
    """Index after the last line of the section starting at ``start`` whose
    continuation lines are indented ``indent``: QEMU ends it at the first
    non-blank line indented less, or at another ``@name:``."""
    end = start + 1
    while end < len(texts):
        text = texts[end]
        if text and (indent_of(text) < indent or member_match(text)):
            break
        end += 1
    while end > start + 1 and not texts[end - 1]:
        end -= 1
    return end


def _insert_blank_before(line: DocLine) -> Fix:
    prefix = line.raw[: line.col - 1].rstrip() or "#"
    return Fix.safe([Edit(Span(line.line, 1, line.line, 1), prefix + "\n")], "add a blank line")


def _name(match: re.Match[str]) -> str:
    return match.group(1)


# --------------------------------------------------------------------------


@rule(
    "F001",
    "continuation-indent",
    context="doc",
    severity="warning",
    fix="safe",
    options={"indent": CONTINUATION_INDENT},
    convention_release=CONVENTIONS_UPDATE,
)
def continuation_indent(ctx: DocContext) -> Iterator[Finding]:
    """Flags continuation lines of a description or tagged section not
    indented by four spaces.

    Why: QEMU's docs indent every continuation line by exactly four spaces
    (1,429 of 1,430 descriptions in QEMU 10.2); aligning with the text after
    the tag breaks as soon as a member is renamed, and uneven indentation
    hides where a description ends. The fix shifts the whole section.
    Option ``indent`` sets another width. This is the convention of QEMU
    8.1 on; older trees are not checked, since their doc parser requires
    continuation lines to line up with the description's first character
    ("unexpected de-indent"), which the fix would break.

    Example::

        # @data-file: the filename of the external data file that is
        #             stored in the image

    Use instead::

        # @data-file: the filename of the external data file that is
        #     stored in the image
    """
    wanted = ctx.option("indent")
    doc = ctx.doc
    if doc.free_form:
        return
    facts = line_facts(doc)
    texts = facts.texts
    # the lines a finding may start at, found with one search of the block
    for following in facts.indented_unless(wanted):
        index = following - 1  # the tag's line, if it is one (never the first)
        match = tag_match(texts[index]) if index > 0 else None
        if match is None:
            continue
        text = texts[following]
        indent = indent_of(text)
        rest = texts[index][match.end() :]
        # (an indented line never starts a section)
        if not rest or simple_list_item(rest) or facts.protected[following]:
            continue
        end = _section_end(texts, index, indent)
        after = next((later for later in texts[end:] if later), "")
        fix = None
        if not after or indent_of(after) < min(indent, wanted):
            fix = _shift_fix(doc.lines[following:end], wanted - indent)
        where = doc.lines[following]
        yield Finding(
            Span.at(where.line, where.col, indent),
            f"continuation of '{match.group(0).strip()}' indented {indent} spaces, not {wanted}",
            fix=fix,
            symbol=doc.symbol,
            member=_name(match),
        )


def _shift_fix(lines: list[DocLine], delta: int) -> Fix:
    edits = []
    for line in lines:
        if not line.text.strip():
            continue
        if delta > 0:
            edits.append(Edit(Span.at(line.line, line.col, 0), " " * delta))
        else:
            edits.append(Edit(Span.at(line.line, line.col, -delta), ""))
    return Fix.safe(edits, "re-indent the continuation lines")


@rule("F002", "description-ends-at-deindent", context="doc", status="preview", fix="unsafe")
def description_ends_at_deindent(ctx: DocContext) -> Iterator[Finding]:
    """Flags a paragraph after a member description that starts in lowercase
    at column 0: QEMU silently ends the description before it.

    Why: after a blank line, a line that is not indented ends the
    description; the paragraph becomes part of the definition's general
    text instead, which is rarely what a paragraph starting mid-thought
    means. Most unindented paragraphs after members are deliberate notes
    about the whole definition, so only lowercase starts are flagged.

    Example::

        # @mode: the mode to use
        #
        # only used when @enable is true

    Use instead::

        # @mode: the mode to use
        #
        #     Only used when @enable is true.
    """
    doc = ctx.doc
    facts = line_facts(doc)
    texts = facts.texts
    tags = facts.tags
    current: re.Match[str] | None = None
    for index, text in enumerate(texts):
        if index == 0 or not text:
            continue
        match = tags[index]
        if match is not None or text == FEATURES_LINE:
            current = match if match is not None and text.startswith("@") else None
            continue
        if indent_of(text) or current is None or texts[index - 1] or facts.protected[index]:
            continue
        name = current
        current = None
        if not text[0].islower():
            continue
        end = index
        while end < len(texts) and texts[end] and not is_section_start(texts[end]):
            end += 1
        edits = [
            Edit(Span.at(line.line, line.col, 0), " " * CONTINUATION_INDENT)
            for line in doc.lines[index:end]
        ]
        where = doc.lines[index]
        yield Finding(
            Span.at(where.line, where.col, len(where.text.rstrip())),
            f"paragraph after the description of '@{_name(name)}' is not part of it (not indented)",
            fix=Fix.unsafe(edits, "indent it into the description"),
            symbol=doc.symbol,
            member=_name(name),
        )


@rule("F003", "trailing-whitespace", context="doc", severity="warning", fix="safe")
def trailing_whitespace(ctx: DocContext) -> Iterator[Finding]:
    """Flags spaces or tabs at the end of a doc comment line.

    Why: invisible, noise in every diff that touches the line, and
    checkpatch rejects it; QEMU 10.2's doc comments have none.

    Example::

        # @bar: the bar;␠␠

    Use instead::

        # @bar: the bar;
    """
    raw = line_facts(ctx.doc).raw_text
    if not (" \n" in raw or "\t\n" in raw or raw.endswith((" ", "\t"))):
        return  # most blocks: no line ends in a space or tab
    for line in ctx.doc.lines:
        stripped = line.raw.rstrip(" \t")
        if stripped != line.raw:
            start = len(stripped) + 1
            span = Span(line.line, start, line.line, len(line.raw) + 1)
            yield Finding(
                span,
                "trailing whitespace",
                fix=Fix.safe([Edit(span, "")], "remove it"),
                symbol=ctx.doc.symbol,
            )


@rule("F004", "tab-in-doc", context="doc", severity="warning", fix="safe")
def tab_in_doc(ctx: DocContext) -> Iterator[Finding]:
    """Flags a tab character inside a doc comment line.

    Why: rST expands tabs to 8-column stops relative to where QEMU's doc
    generator places the text, so indentation made with tabs renders
    unpredictably; QEMU 10.2's doc comments use spaces only.

    Example::

        # @bar:<TAB>the bar

    Use instead::

        # @bar: the bar
    """
    if "\t" not in line_facts(ctx.doc).raw_text:
        return
    for line in ctx.doc.lines:
        body = line.raw[line.col - 1 :].rstrip(" \t")
        if "\t" not in body:
            continue
        first = body.index("\t")
        span = Span(line.line, line.col, line.line, line.col + len(body))
        yield Finding(
            Span.at(line.line, line.col + first),
            "tab in doc comment",
            fix=Fix.safe([Edit(span, body.expandtabs(TAB_SIZE))], "expand tabs to spaces"),
            symbol=ctx.doc.symbol,
        )


@rule("F005", "description-on-next-line", context="doc", severity="warning", fix="safe")
def description_on_next_line(ctx: DocContext) -> Iterator[Finding]:
    """Flags a description or tagged section whose text starts on the line
    after its tag, unless that text is a list or literal block.

    Why: QEMU's docs put the first words right after ``@name:`` everywhere
    (3,176 descriptions in QEMU 10.2); the next-line form is kept for lists
    (5 members, 55 ``Errors:`` sections), where rST needs it.

    Example::

        # @bar:
        #     the bar

    Use instead::

        # @bar: the bar
    """
    doc = ctx.doc
    if doc.free_form:
        return
    facts = line_facts(doc)
    texts = facts.texts
    # the lines a finding may start at, found with one search of the block
    for index in facts.colon_lines_before_indented():
        match = tag_match(texts[index]) if index > 0 else None
        if match is None or texts[index][match.end() :]:
            continue
        following = index + 1
        text = texts[following]
        if not text or not indent_of(text):
            continue
        body = text.lstrip()
        if simple_list_item(body) or body.startswith(("..", "|", "::")) or body.endswith("::"):
            continue
        if following + 1 < len(texts) and indent_of(texts[following + 1]) > indent_of(text):
            continue  # a definition list or a quote
        if facts.protected[following]:
            continue
        tag_line, text_line = doc.lines[index], doc.lines[following]
        tag_text = tag_line.raw.rstrip()
        span = Span(
            tag_line.line, len(tag_text) + 1, text_line.line, text_line.col + indent_of(text)
        )
        yield Finding(
            Span.at(tag_line.line, tag_line.col, len(match.group(0).strip())),
            f"text of '{match.group(0).strip()}' starts on the next line",
            fix=Fix.safe([Edit(span, " ")], "move it up"),
            symbol=doc.symbol,
            member=_name(match),
        )


@rule("F006", "list-needs-blank-line", context="doc", severity="warning", fix="safe")
def list_needs_blank_line(ctx: DocContext) -> Iterator[Finding]:
    """Flags a bullet or numbered list directly after a paragraph line, or a
    paragraph directly after a list, with no blank line between.

    Why: rST only starts a list after a blank line; without one the items
    render as one run-on paragraph (or, indented, as a docs build error).

    Example::

        # The modes are:
        # - fast
        # - slow

    Use instead::

        # The modes are:
        #
        # - fast
        # - slow
    """
    doc = ctx.doc
    facts = line_facts(doc)
    if not facts.may_have_simple_list_items():
        return  # no list, nothing to flag: most blocks
    texts, tags = facts.texts, facts.tags
    if not _may_lack_blank_line(texts, tags):
        return  # most lists: the protected lines need not be worked out
    protected = facts.protected
    item_indent: int | None = None  # text indent of the list item being read
    for index, text in enumerate(texts):
        if not text or protected[index]:
            item_indent = None
            continue
        match = tags[index]  # only an unindented line has a tag
        body = text[match.end() :] if match else text
        item = simple_list_item(body)
        previous = texts[index - 1] if index else ""
        previous_tag = tags[index - 1] if index else None
        if item and match is None and previous and not protected[index - 1]:
            continuing = item_indent is not None
            empty_tag = previous_tag is not None and not previous[previous_tag.end() :]
            if not continuing and not empty_tag and index > 1 and previous != FEATURES_LINE:
                yield _blank_line_finding(doc, index, "list starts")
        elif not item and item_indent is not None and indent_of(text) < item_indent:
            if match is None and not is_section_start(text):
                yield _blank_line_finding(doc, index, "paragraph follows a list")
            item_indent = None
        if item:
            offset = len(text) - len(body)
            item_indent = offset + item.end() - 1
        elif match is not None:
            item_indent = None


def _may_lack_blank_line(texts: list[str], tags: list[re.Match[str] | None]) -> bool:
    """Whether :func:`list_needs_blank_line` may flag a line, judged as if
    no line were protected: a protected line only ends the list being
    read, and the rule flags (a) an untagged item after a line that is
    neither blank nor an item (an item before it would make it a list's
    next item), or (b) an untagged line that is not an item, indented less
    than the item text of the unbroken run of lines it ends, where
    protection could only have ended that run already."""
    item_indent: int | None = None  # as the rule reads it, protection aside
    previous_is_item = False
    for index, text in enumerate(texts):
        if not text:
            item_indent, previous_is_item = None, False
            continue
        match = tags[index]
        body = text[match.end() :] if match else text
        item = simple_list_item(body)
        if match is None:
            if item and index > 1 and texts[index - 1] and not previous_is_item:
                return True  # (a)
            if not item and item_indent is not None and indent_of(text) < item_indent:
                return True  # (b)
        if item:
            item_indent = len(text) - len(body) + item.end() - 1
        elif match is not None:
            item_indent = None
        previous_is_item = item is not None
    return False


def _blank_line_finding(doc: Doc, index: int, what: str) -> Finding:
    line = doc.lines[index]
    return Finding(
        Span.at(line.line, line.col, len(line.text.rstrip())),
        f"{what} without a blank line",
        fix=_insert_blank_before(line),
        symbol=doc.symbol,
    )


@rule(
    "F007",
    "missing-blank-line",
    context="doc",
    severity="warning",
    fix="safe",
    convention_release=CONVENTIONS_UPDATE,
)
def missing_blank_line(ctx: DocContext) -> Iterator[Finding]:
    """Flags a member or feature description not separated from the one
    before by a blank line, and ``Features:`` not followed by one.

    Why: every description in QEMU 10.2 is set off by a blank line (3,172
    of 3,172; 66 of 66 after ``Features:``); without it a long description
    runs into the next and reviewers ask for the blank line. This is the
    convention of QEMU 8.1 on; older trees, which wrote descriptions without
    blank lines between them, are not checked.

    Example::

        # @bar: the bar
        # @baz: the baz

    Use instead::

        # @bar: the bar
        #
        # @baz: the baz
    """
    doc = ctx.doc
    if doc.free_form:
        return
    facts = line_facts(doc)
    texts = facts.texts
    for index in _after_text_or_features(facts):
        text = texts[index]
        previous = texts[index - 1]
        if text and previous == FEATURES_LINE:
            yield Finding(
                Span.at(doc.lines[index].line, doc.lines[index].col, len(text)),
                "no blank line after 'Features:'",
                fix=_insert_blank_before(doc.lines[index]),
                symbol=doc.symbol,
            )
            continue
        match = member_match(text)
        if match is None or not previous or index == 1:
            continue
        line = doc.lines[index]
        yield Finding(
            Span.at(line.line, line.col, len(match.group(0).strip())),
            f"no blank line before '@{_name(match)}:'",
            fix=_insert_blank_before(line),
            symbol=doc.symbol,
            member=_name(match),
        )


def _after_text_or_features(facts: LineFacts) -> list[int]:
    """Indexes (in order) of the lines ``missing-blank-line`` may flag: a
    line starting with "@" after a non-blank line, any after a
    ``Features:`` line."""
    found = facts.members_after_text()
    if FEATURES_LINE not in facts.text:
        return found  # most blocks
    texts = facts.texts
    after = [index + 1 for index, text in enumerate(texts[:-1]) if text == FEATURES_LINE]
    return sorted({*found, *after})
