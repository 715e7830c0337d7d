"""Markup as QEMU renders it (M): rST problems, cross-references, QMP examples.

Each doc block is turned into the rST QEMU's doc generator makes of it and
parsed with docutils (:mod:`qapilint.markup`); what docutils reports comes
back at its place in the ``.json`` file. In a QEMU tree, the rST and
reference rules read only the schemas QEMU's manual renders (not
``docs/interop/firmware.json``, which is read as text). The example rules read the QMP
messages of ``.. qmp-example::`` bodies (and old ``Example:`` sections) as
JSON and look their commands and events up in the schema.
"""

from __future__ import annotations

from collections.abc import Iterator

from qapilint.fix.edits import Edit, Fix
from qapilint.lint.rule import DocContext, Finding, rule
from qapilint.markup import message_kind, rst_messages, structures, xrefs
from qapilint.markup.examples import QmpMessage, messages
from qapilint.schema.manual import MANUAL_LABELS, manual_names, rendered_by_manual
from qapilint.schema.releases import LEGACY_HEADINGS_DROPPED
from qapilint.schema.resolve import Resolution, resolution
from qapilint.syntax.doclines import (
    HEADING_ADORNMENTS,
    adornment,
    legacy_heading,
    literal_flags,
)
from qapilint.syntax.model import Definition, Doc, DocLine, JBool, Span

# Targets QEMU's qapi domain never warns about (its core types)
QAPI_CORE_TYPES = frozenset({"string", "number", "int", "boolean", "null", "value", "q_empty"})


def _symbol(doc: Doc) -> str | None:
    return doc.symbol


def _rendered(ctx: DocContext) -> bool:
    """Whether QEMU's manual renders this doc block (see
    :func:`rendered_by_manual`); a block checked without its schema is."""
    return ctx.schema is None or rendered_by_manual(ctx.schema.root, ctx.tree.root)


def _rst(ctx: DocContext, kind: str, what: str) -> Iterator[Finding]:
    if not _rendered(ctx):
        return
    for message in rst_messages(ctx.doc):
        if message_kind(message) == kind:
            text = message.text.replace("\n", " ").strip()
            yield Finding(message.span, f"{what}: {text}", symbol=_symbol(ctx.doc))


@rule("M101", "rst-inline-markup", context="doc", severity="warning", status="preview")
def rst_inline_markup(ctx: DocContext) -> Iterator[Finding]:
    """Flags inline markup docutils cannot close: ````literal`` without its
    closing backquotes, ``*emphasis`` without its ``*``, an interpreted text
    or reference left open.

    Why: the manual shows the markup characters and the rest of the
    paragraph comes out wrong; Sphinx warns, and QEMU's docs build fails
    with ``-W``. The finding points at the start string in the ``.json``
    file.

    Example::

        # @mode: the mode, see ``MigrationMode for the values

    Use instead::

        # @mode: the mode, see ``MigrationMode`` for the values
    """
    yield from _rst(ctx, "inline", "unclosed inline markup")


@rule("M102", "rst-indentation", context="doc", severity="warning", status="preview")
def rst_indentation(ctx: DocContext) -> Iterator[Finding]:
    """Flags indentation docutils reads as a mistake: an indented line right
    after a paragraph line, a list, block quote or definition list that
    ends without a blank line.

    Why: the rendered structure is not what the author wrote (a block
    quote, a list swallowing the next paragraph), and Sphinx warns.

    Example::

        # Set the limits.
        #   The values are in bytes.

    Use instead::

        # Set the limits.  The values are in bytes.
    """
    yield from _rst(ctx, "indentation", "rST indentation")


@rule("M103", "rst-unknown-markup", context="doc", severity="warning", status="preview")
def rst_unknown_markup(ctx: DocContext) -> Iterator[Finding]:
    """Flags an interpreted text role or a directive that neither docutils,
    Sphinx nor QEMU's ``qapi`` domain knows (``:qapi:cmd:``, ``:doc:``,
    ``:ref:``, ``.. qmp-example::``, ``.. note::`` are known).

    Why: Sphinx reports an error and shows the text raw.

    Example::

        # See :command:`query-status` and .. notice:: text

    Use instead::

        # See `query-status`.
    """
    yield from _rst(ctx, "unknown", "unknown rST markup")


@rule("M104", "rst-table", context="doc", severity="warning", status="preview")
def rst_table(ctx: DocContext) -> Iterator[Finding]:
    """Flags a grid or simple table docutils cannot read (borders that do
    not line up, a missing bottom border).

    Why: Sphinx reports an error and the table is shown as a literal block,
    or not at all.

    Example::

        # +-----+-----+
        # | a   | b   |
        # +-----+---+

    Use instead::

        # +-----+-----+
        # | a   | b   |
        # +-----+-----+
    """
    yield from _rst(ctx, "table", "malformed table")


@rule("M105", "rst-literal-block", context="doc", severity="warning", status="preview")
def rst_literal_block(ctx: DocContext) -> Iterator[Finding]:
    """Flags a literal block after ``::`` without the blank line rST needs
    between them, and a ``::`` that no indented block follows.

    Why: without the blank line docutils reads the "block" as a definition
    list: the manual shows it as prose, not as code.

    Example::

        # Use it like this::
        #     -> { "execute": "stop" }

    Use instead::

        # Use it like this::
        #
        #     -> { "execute": "stop" }
    """
    yield from _rst(ctx, "literal", "literal block")


@rule("M106", "indentation-structure", context="doc", severity="warning", status="preview")
def indentation_structure(ctx: DocContext) -> Iterator[Finding]:
    """Flags a line indented more than the paragraph line before it, which
    docutils silently turns into a definition list (the paragraph line
    becomes its term, the indented text its definition), and an indented
    paragraph after a blank line, which becomes a block quote.  Left alone:
    indentation docutils warns about (``M102``, ``M105``), a literal block
    after ``::``, the continuation lines of a member, feature or other
    section (QEMU's generator makes them a field body), and anything
    inside a list item.  The finding points at the indented line.

    Why: no warning, no error, but the manual shows a bold term and an
    indented definition, or an indented quote, where the author meant
    one paragraph.

    Example::

        # Plug the device into the bus
        #     selected by the board.

    Use instead::

        # Plug the device into the bus selected by the board.
    """
    if not _rendered(ctx):
        return
    warned = {message.span.line for message in rst_messages(ctx.doc)}
    for found in structures(ctx.doc):
        if found.in_list or found.after_literal_marker or found.span.line in warned:
            continue
        if found.kind == "definition_list":
            if found.term.rstrip().endswith("::"):
                continue
            term = found.term.strip()
            shown = term if len(term) <= 30 else term[:27] + "..."
            message = f"indented line makes a definition list of the line '{shown}'"
        elif found.after_blank:
            message = "indented paragraph becomes a block quote"
        else:
            continue  # docutils warns about it (M102)
        yield Finding(found.span, message, symbol=_symbol(ctx.doc))


def _heading_fix(doc_line: DocLine, level: int, title: str) -> Fix | None:
    """``= Title`` rewritten as the rST title of the same level (``=`` is
    QEMU's level 2, over- and underlined with ``*``), when the line
    starts the block or a paragraph."""
    if level > len(HEADING_ADORNMENTS):
        return None
    char = HEADING_ADORNMENTS[level - 1]
    prefix = doc_line.raw[: doc_line.col - 1]
    line = char * len(title)
    text = f"{title}\n{prefix}{line}"
    if level == 1:
        text = f"{line}\n{prefix}{text}"
    span = Span(doc_line.line, doc_line.col, doc_line.line, len(doc_line.raw.rstrip()) + 1)
    return Fix.suggestion([Edit(span, text)], "write an rST title")


@rule(
    "M107",
    "legacy-heading",
    context="doc",
    severity="warning",
    status="preview",
    fix="suggestion",
    convention_release=LEGACY_HEADINGS_DROPPED,
)
def legacy_heading_line(ctx: DocContext) -> Iterator[Finding]:
    """Flags a line of a free-form doc block that uses QEMU's old heading
    syntax, ``= Title`` or ``== Subtitle``.

    Why: QEMU's doc generator no longer reads it: the manual shows the
    line as a paragraph starting with equals signs, and the heading is
    missing from the contents.  Trees of releases that still read it are
    not checked.  The suggestion writes the rST title of the same level
    (``=`` over- and underlined with ``*``, ``==`` underlined with ``=``,
    then ``_``, ``^``, ``"``) when the heading starts its block or a
    paragraph.

    Example::

        ##
        # == GHESv2 CPER Error Injection
        ##

    Use instead::

        ##
        # GHESv2 CPER Error Injection
        # ===========================
        ##
    """
    if not ctx.doc.free_form or not _rendered(ctx):
        return
    lines = ctx.doc.lines
    literal = literal_flags([line.text for line in lines])
    for index, doc_line in enumerate(lines):
        found = legacy_heading(doc_line.text) if not literal[index] else None
        if found is None:
            continue
        level, title = found
        starts = index == 0 or not lines[index - 1].text.strip()
        fix = _heading_fix(doc_line, level, title) if starts else None
        end = len(doc_line.text.rstrip()) + doc_line.col
        yield Finding(
            Span(doc_line.line, doc_line.col, doc_line.line, end),
            f"'{'=' * level} {title}' is no heading any more: write an rST title",
            symbol=_symbol(ctx.doc),
            fix=fix,
        )


def _title_line(doc: Doc, line: int) -> DocLine | None:
    """The title's line of the over- or underline (or title) at ``line``."""
    by_line = {doc_line.line: index for index, doc_line in enumerate(doc.lines)}
    index = by_line.get(line)
    if index is None:
        return None
    lines = doc.lines
    if adornment(lines[index].text) is None:
        return lines[index]
    for other in (index + 1, index - 1):
        if 0 <= other < len(lines):
            text = lines[other].text
            if text.strip() and adornment(text) is None:
                return lines[other]
    return lines[index]


def _short_underlines(doc: Doc, warned: set[int]) -> Iterator[DocLine]:
    """Title lines of a free-form block whose underline is shorter than the
    title and too short for docutils to warn (fewer than four characters:
    both lines become one paragraph)."""
    lines = doc.lines
    literal = literal_flags([line.text for line in lines])
    for index in range(len(lines) - 1):
        title, under = lines[index].text.rstrip(), lines[index + 1].text.rstrip()
        if literal[index] or not title or title[0] == " " or adornment(title) is not None:
            continue
        if index > 0 and lines[index - 1].text.strip():
            continue
        if index + 2 < len(lines) and lines[index + 2].text.strip():
            continue
        if adornment(under) is None or len(under) >= len(title):
            continue
        if lines[index].line in warned or lines[index + 1].line in warned:
            continue
        yield lines[index]


@rule("M108", "rst-title", context="doc", severity="warning", status="preview")
def rst_title(ctx: DocContext) -> Iterator[Finding]:
    """Flags a malformed rST section title: an over- or underline shorter
    than the title, an overline that does not match the underline, an
    overline without its underline.  The finding points at the title.

    Why: docutils warns and Sphinx's build fails with ``-W``; an underline
    of fewer than four characters is worse: docutils quietly joins title
    and underline into one paragraph, and the heading is gone.

    Example::

        # Plugging
        # ==

    Use instead::

        # Plugging
        # ========
    """
    if not _rendered(ctx):
        return
    warned: set[int] = set()
    seen: set[int] = set()
    for message in rst_messages(ctx.doc):
        if message_kind(message) != "title":
            continue
        warned.update((message.span.line - 1, message.span.line, message.span.line + 1))
        title = _title_line(ctx.doc, message.span.line)
        span = message.span
        if title is not None:
            span = Span(title.line, title.col, title.line, title.col + len(title.text.rstrip()))
        if span.line in seen:
            continue
        seen.add(span.line)
        text = message.text.replace("\n", " ").strip()
        yield Finding(span, f"malformed section title: {text}", symbol=_symbol(ctx.doc))
    if not ctx.doc.free_form:
        return
    for title in _short_underlines(ctx.doc, warned):
        end = title.col + len(title.text.rstrip())
        yield Finding(
            Span(title.line, title.col, title.line, end),
            "section title underline shorter than the title: docutils reads both"
            " lines as a paragraph",
            symbol=_symbol(ctx.doc),
        )


@rule("M109", "rst-problem", context="doc", severity="warning", status="preview")
def rst_problem(ctx: DocContext) -> Iterator[Finding]:
    """Flags any other warning or error docutils reports about a doc
    block's rST (duplicate targets, ...; malformed titles are ``M108``'s).

    Why: Sphinx reports the same, and QEMU's docs build fails with ``-W``.

    Example::

        # .. _plug:
        #
        # Plug it.
        #
        # .. _plug:

    Use instead::

        # .. _plug:
        #
        # Plug it.
        #
        # .. _plug-again:
    """
    yield from _rst(ctx, "other", "rST problem")


# --------------------------------------------------------------------------
# Cross-references


def resolves(target: str, res: Resolution) -> bool:
    """Whether QEMU's ``any`` role finds ``target``: a definition (maybe
    written ``ns:module.Name``), a module of the schema, or a core type."""
    if target in QAPI_CORE_TYPES:
        return True
    name = target.rpartition(":")[2]
    last = name.rpartition(".")[2]
    if res.lookup(last) is not None or res.lookup(name) is not None:
        return True
    modules = {module.path.stem for module in res.schema.modules}
    return name in modules


@rule(
    "M110",
    "unresolved-reference",
    context="doc",
    severity="warning",
    status="preview",
    options={"other-targets": []},
)
def unresolved_reference(ctx: DocContext) -> Iterator[Finding]:
    """Flags a cross-reference written with the default role (```Name```),
    ``:any:`` or a ``:qapi:...:`` role that names no definition of the
    schema, nor of the other schemas QEMU's manual documents in the same
    Sphinx build (the QMP, guest agent and storage daemon references, found
    under the tree's top folder), nor a label of the manual (its indexes,
    ``qapi-qmp-index`` and the like; more in the option ``other-targets``).
    ``:doc:`` and ``:ref:`` are recognised and left alone (their targets
    live in the manual, not the schema).

    Why: QEMU's Sphinx configuration makes the default role ``any``: an
    unresolved reference is a warning that fails the docs build with
    ``-W``, and the text is not a link. A member of the current definition
    is written ``@name``, a literal ````text````.

    Example::

        # Like `BlockdevOptionz`, but ...

    Use instead::

        # Like `BlockdevOptions`, but ...
    """
    if ctx.schema is None or not _rendered(ctx):
        return
    res = resolution(ctx.schema)
    others = set(ctx.option("other-targets")) | MANUAL_LABELS
    for xref in xrefs(ctx.doc):
        if xref.role in ("doc", "ref") or not xref.target:
            continue
        if resolves(xref.target, res) or xref.target in others:
            continue
        if xref.target.rpartition(":")[2].rpartition(".")[2] not in manual_names(
            ctx.tree.root, ctx.schema
        ):
            shown = f"`{xref.target}`" if not xref.role else xref.raw
            yield Finding(
                xref.span,
                f"cross-reference {shown} names no definition of the schema",
                symbol=_symbol(ctx.doc),
            )


# --------------------------------------------------------------------------
# QMP examples


def _message_span(message: QmpMessage) -> Span:
    """From the message's arrow to where its JSON breaks."""
    line, col = message.arrow_span.line, message.arrow_span.col
    if message.error_at is None:
        return message.arrow_span
    end_line, end_col = message.error_at
    if end_line == line:
        return Span(line, col, line, max(end_col + 1, col + 2))
    return Span(line, col, end_line, end_col + 1)


@rule("M120", "example-invalid-json", context="doc", severity="warning")
def example_invalid_json(ctx: DocContext) -> Iterator[Finding]:
    """Flags a QMP example message (a ``->`` or ``<-`` line and the lines
    indented under it) that is not JSON, even with QEMU's ``...`` elisions
    taken out.

    Why: readers copy examples into QMP clients; a stray brace or comma
    makes the example wrong, and QEMU's build does not notice. The finding
    starts at the message's arrow and ends where the JSON breaks; the
    message says where that is, counting the message's own lines.

    Example::

        # -> { "execute": "dumpdtb" }
        #      "arguments": { "filename": "fdt.dtb" } }

    Use instead::

        # -> { "execute": "dumpdtb",
        #      "arguments": { "filename": "fdt.dtb" } }
    """
    for message in messages(ctx.doc, ctx.module):
        if message.valid:
            continue
        where = ""
        if message.error_at is not None:
            # relative to the message, so that the fingerprint has no file line
            line = message.error_at[0] - message.arrow_span.line + 1
            where = f" (line {line} of the message, column {message.error_at[1]})"
        yield Finding(
            _message_span(message),
            f"QMP example message is not valid JSON: {message.error}{where}",
            symbol=_symbol(ctx.doc),
        )


def _wire_members(definition: Definition, res: Resolution, seen: set[int]) -> set[str] | None:
    """The member names a struct or union accepts on the wire, through
    bases and every branch; None when some type is unknown."""
    if id(definition) in seen:
        return set()
    seen.add(id(definition))
    names = {member.name for member in res.object_members(definition)}
    for branch in res.of(definition).branches:
        if branch.type is None:
            continue
        found = res.lookup(branch.type.name)
        if found is None:
            return None
        more = _wire_members(found, res, seen)
        if more is None:
            return None
        names |= more
    return names


def command_arguments(command: Definition, res: Resolution) -> set[str] | None:
    """The argument names a command accepts (None: unknown)."""
    resolved = res.of(command)
    if resolved.arg_type is not None:
        return _wire_members(resolved.arg_type, res, set())
    if command.get("data") is not None and not resolved.documented:
        return None  # a data type that did not resolve
    return {member.name for member in resolved.documented}


def _takes_anything(command: Definition) -> bool:
    """A command with ``'gen': false`` takes what its handler makes of
    its arguments (``device_add`` takes every device property)."""
    gen = command.get("gen")
    return isinstance(gen, JBool) and not gen.value


def _commands(ctx: DocContext) -> Iterator[tuple[QmpMessage, dict[str, object]]]:
    for message in messages(ctx.doc, ctx.module):
        if message.valid and isinstance(message.value, dict):
            yield message, message.value


@rule("M121", "example-unknown-command", context="doc", severity="warning", status="preview")
def example_unknown_command(ctx: DocContext) -> Iterator[Finding]:
    """Flags a QMP example that executes (``"execute"`` or ``"exec-oob"``)
    a command the schema does not define.

    Why: the example cannot work; usually the command was renamed or the
    name has a typo.

    Example::

        # -> { "execute": "query-statuss" }

    Use instead::

        # -> { "execute": "query-status" }
    """
    if ctx.schema is None:
        return
    res = resolution(ctx.schema)
    for message, value in _commands(ctx):
        name = value.get("execute", value.get("exec-oob"))
        if message.arrow != "->" or not isinstance(name, str):
            continue
        found = res.lookup(name)
        if found is None or found.kind != "command":
            yield Finding(
                message.arrow_span,
                f"QMP example executes '{name}', which is no command of the schema",
                symbol=_symbol(ctx.doc),
            )


@rule("M122", "example-unknown-argument", context="doc", severity="warning", status="preview")
def example_unknown_argument(ctx: DocContext) -> Iterator[Finding]:
    """Flags an argument of a QMP example command that the command does not
    take (its members, through a named argument type, its bases and, for a
    boxed union, every branch).

    Why: the server rejects the command; the example teaches a wrong name.

    Example::

        # -> { "execute": "set-vcpu-dirty-limit",
        #      "arguments": { "dirty_rate": 200 } }

    Use instead::

        # -> { "execute": "set-vcpu-dirty-limit",
        #      "arguments": { "dirty-rate": 200 } }
    """
    if ctx.schema is None:
        return
    res = resolution(ctx.schema)
    for message, value in _commands(ctx):
        name = value.get("execute", value.get("exec-oob"))
        arguments = value.get("arguments")
        if message.arrow != "->" or not isinstance(name, str) or not isinstance(arguments, dict):
            continue
        found = res.lookup(name)
        if found is None or found.kind != "command" or _takes_anything(found):
            continue
        allowed = command_arguments(found, res)
        if allowed is None:
            continue
        for key in arguments:
            if key not in allowed:
                yield Finding(
                    message.arrow_span,
                    f"QMP example passes '{key}' to '{name}', which takes no such argument",
                    symbol=_symbol(ctx.doc),
                    member=key,
                )


@rule("M123", "example-unknown-event", context="doc", severity="warning", status="preview")
def example_unknown_event(ctx: DocContext) -> Iterator[Finding]:
    """Flags a QMP example event (``<- { "event": NAME, ... }``) that the
    schema does not define.

    Why: a reader waits for an event that never comes; usually it was
    renamed.

    Example::

        # <- { "event": "BLOCK_JOB_COMPLETE", ... }

    Use instead::

        # <- { "event": "BLOCK_JOB_COMPLETED", ... }
    """
    if ctx.schema is None:
        return
    res = resolution(ctx.schema)
    for message, value in _commands(ctx):
        name = value.get("event")
        if message.arrow != "<-" or not isinstance(name, str):
            continue
        found = res.lookup(name)
        if found is None or found.kind != "event":
            yield Finding(
                message.arrow_span,
                f"QMP example shows event '{name}', which is no event of the schema",
                symbol=_symbol(ctx.doc),
            )
