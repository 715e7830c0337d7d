"""Doc structure QEMU accepts but reviewers bounce (D).

QEMU's parser takes these doc blocks without complaint: a command whose
return value nobody describes (it inserts a stub), an ``Errors:`` section
that is prose instead of a list, a ``Since:`` section followed by other
tagged sections, an ``@name text`` paragraph meant as a member description.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from qapilint.files.records import TupleRecord
from qapilint.lint.rule import DefinitionContext, DocContext, Edit, Finding, Fix, rule
from qapilint.schema.releases import CONVENTIONS_UPDATE, MEMBER_DOCS_REQUIRED, release_reached
from qapilint.schema.resolve import resolution
from qapilint.syntax.doclines import (
    TAG_SHOWN,
    colonless_description,
    line_facts,
    may_have_colonless_descriptions,
    starts_list,
)
from qapilint.syntax.model import Doc, JList, JString, JValue, Module, Section, Span

from ._data import load_toml
from ._doctext import doc_line, fix_keeping_lines_short, is_blank

# The start of an rST list item: bullets, enumerators, auto-enumerators.
# "@name text" or "@name : text": a member description without its colon.
CONTINUATION_INDENT = "    "


@cache
def _data() -> dict[str, dict[str, list[str]]]:
    return load_toml("structure.toml")


def _says_what_it_returns(doc: Doc) -> bool:
    """Whether the body's first paragraph already tells what the command
    returns ("Return the list of ...", "... and return its content")."""
    body = doc.body
    if body is None:
        return False
    paragraph = body.text.strip().split("\n\n", 1)[0]
    data = _data()["missing-returns"]
    if paragraph.startswith(tuple(f"{verb} " for verb in data["return-verbs"])):
        return True
    words = set(re.findall(r"[A-Za-z]+", paragraph.lower()))
    return not words.isdisjoint(data["mentions"])


def _returns_text(value: JValue | None) -> str | None:
    if isinstance(value, JString):
        return value.value
    if isinstance(value, JList) and len(value.items) == 1 and isinstance(value.items[0], JString):
        return f"[{value.items[0].value}]"
    return None


def _doc_anchor(doc: Doc) -> Span:
    return doc.symbol_span or Span.at(doc.span.line, doc.span.col, 2)


@rule("D001", "missing-returns", context="doc", severity="info", status="preview")
def missing_returns(ctx: DocContext) -> Iterator[Finding]:
    """Flags a command that returns something but has no ``Returns:`` text.

    Why: QEMU inserts a stub naming only the return type, so the manual
    never says what the value means (what the list holds, when it is empty,
    what the fields describe). A command whose first paragraph already says
    what it returns ("Return information about ...", "... and return its
    content"; the words are data in ``structure.toml``) is not flagged.
    Severity ``info``: often the type's own doc is enough.

    Example::

        ##
        # @add-widget:
        #
        # Plug a widget into the machine.
        #
        # Since: 11.0
        ##
        { 'command': 'add-widget', 'returns': 'WidgetInfo' }

    Use instead::

        ##
        # @add-widget:
        #
        # Plug a widget into the machine.
        #
        # Returns: the widget as plugged, with the slot it took
        #
        # Since: 11.0
        ##
        { 'command': 'add-widget', 'returns': 'WidgetInfo' }
    """
    definition = ctx.definition
    if definition is None or definition.kind != "command" or ctx.doc.of_kind("returns"):
        return
    if _says_what_it_returns(ctx.doc):
        return
    returns = definition.get("returns")
    if returns is None:
        return
    what = _returns_text(returns)
    shown = f" '{what}'" if what else " a value"
    yield Finding(
        _doc_anchor(ctx.doc),
        f"command '{definition.name}' returns{shown} but its documentation "
        "has no 'Returns:' section saying what it means",
        symbol=definition.name,
    )


@rule("D002", "errors-not-list", context="doc", severity="warning")
def errors_not_list(ctx: DocContext) -> Iterator[Finding]:
    """Flags an ``Errors:`` section that is not an rST list of conditions.

    Why: every ``Errors:`` section in QEMU is a list with one item per
    error condition ("If @device does not exist, DeviceNotFound"); prose
    hides which error belongs to which condition and renders unlike every
    other command's.

    Example::

        # Errors: If @id is not a valid network backend, the command
        #     fails with DeviceNotFound.

    Use instead::

        # Errors:
        #     - If @id is not a valid network backend, DeviceNotFound
    """
    for section in ctx.doc.of_kind("errors"):
        first = next((line for line in section.lines if line.text.strip()), None)
        if first is None or starts_list(first.text.strip()):
            continue
        text = first.text.strip()
        col = first.col + first.text.index(text)
        yield Finding(
            section.tag_span or Span.at(first.line, col, len(text)),
            "'Errors:' section is not a list; write one '- If ..., ErrorClass' item per condition",
            symbol=ctx.doc.symbol,
            member=TAG_SHOWN["errors"],
        )


def _tagged(doc: Doc) -> list[Section]:
    return [s for s in doc.sections if s.kind in ("returns", "errors", "since", "todo")]


@rule("D003", "since-not-last", context="doc", severity="warning", fix="safe")
def since_not_last(ctx: DocContext) -> Iterator[Finding]:
    """Flags a ``Since:`` section followed by another tagged section.

    Why: by convention ``Since:`` closes the tagged sections (``Returns:``,
    ``Errors:``, ``TODO:``), where readers and scripts look for it. The fix
    moves the ``Since:`` section after the last tagged section; text is not
    changed.

    Example::

        # Since: 0.14
        #
        # Errors:
        #     - If @type is not a valid network backend, DeviceNotFound

    Use instead::

        # Errors:
        #     - If @type is not a valid network backend, DeviceNotFound
        #
        # Since: 0.14
    """
    tagged = _tagged(ctx.doc)
    for index, section in enumerate(tagged):
        if section.kind != "since" or index == len(tagged) - 1:
            continue
        after = tagged[-1]
        fix = _move_after(ctx.doc, ctx.module, section, after)
        yield Finding(
            section.tag_span or section.span or _doc_anchor(ctx.doc),
            f"'Since:' comes before the '{after.kind.title()}:' section; "
            "put it after the last tagged section",
            fix=fix,
            symbol=ctx.doc.symbol,
            member="Since",
        )


def _last_line(section: Section) -> int | None:
    lines = [line.line for line in section.lines if line.text.strip()]
    if section.tag_span is not None:
        lines.append(section.tag_span.line)
    return max(lines) if lines else None


def _move_after(doc: Doc, module: Module, moved: Section, target: Section) -> Fix | None:
    """Edits moving ``moved`` (with the blank lines after it) to follow
    ``target``; None when the lines cannot be worked out."""
    first = moved.tag_span.line if moved.tag_span else None
    last = _last_line(moved)
    end = _last_line(target)
    if first is None or last is None or end is None or end <= last:
        return None
    resume = last + 1
    while resume < end and is_blank(doc_line(doc, resume)):
        resume += 1
    raw = module.lines[first - 1 : last]
    end_text = module.lines[end - 1]
    blank = _blank_line(doc)
    edits = [
        Edit(Span(first, 1, resume, 1), ""),
        Edit(Span.at(end, len(end_text) + 1, 0), "\n" + blank + "\n" + "\n".join(raw)),
    ]
    return Fix.safe(edits, "move the 'Since:' section to the end of the tagged sections")


def _blank_line(doc: Doc) -> str:
    """The way this block writes an empty line ("#", normally)."""
    for line in doc.lines:
        if not line.text.strip():
            return line.raw.rstrip()
    return "#"


# --------------------------------------------------------------------------
# "@name text": a member description that lost its colon


class ColonlessDescription(TupleRecord):
    """A paragraph ``@name text`` or ``@name : text`` describing ``name``."""

    __slots__ = ()

    name: str
    span: Span  # "@name" plus the separator
    fix: Fix

    def __new__(cls, name: str, span: Span, fix: Fix) -> ColonlessDescription:
        return tuple.__new__(cls, (name, span, fix))


def colonless_descriptions(
    doc: Doc, names: set[str], aligned: bool = False
) -> list[ColonlessDescription]:
    """Paragraphs of ``doc`` that start ``@name text`` or ``@name : text``
    where ``name`` is one of ``names`` (the members it fails to describe),
    each with a safe fix turning it into ``@name: text`` (continuation lines
    indented four spaces, as a description needs; with ``aligned``, as
    QEMU before 8.1 needs them, up to the description's first character)."""
    found: list[ColonlessDescription] = []
    if not names or not may_have_colonless_descriptions(line_facts(doc).text):
        return found  # most blocks: every member described, or no "@name text" line
    in_plain = {text.line for s in doc.sections if s.kind == "plain" for text in s.lines}
    for index, line in enumerate(doc.lines):
        if index == 0 or line.line == (doc.symbol_span.line if doc.symbol_span else 0):
            continue
        match = colonless_description(line.text)
        if not match or match["name"] not in names:
            continue
        before = doc_line(doc, line.line - 1)
        if not is_blank(before) and before is not None and before.line in in_plain:
            continue  # mid-paragraph: "... see\n@name for details"
        head = Span(line.line, line.col, line.line, line.col + match.end())
        edits = [Edit(head, f"@{match['name']}: ")]
        indent = " " * len(f"@{match['name']}: ") if aligned else CONTINUATION_INDENT
        following = line.line + 1
        while not is_blank(candidate := doc_line(doc, following)):
            assert candidate is not None
            if candidate.text.startswith((" ", "\t")):
                break
            if candidate.text.startswith("@") or candidate.text == "Features:":
                break
            edits.append(Edit(Span.at(following, candidate.col, 0), indent))
            following += 1
        name = match["name"]
        found.append(
            ColonlessDescription(
                name, head, Fix.safe(edits, f"write '@{name}:' to make it a description")
            )
        )
    return found


@rule("D004", "description-without-colon", context="definition", severity="warning", fix="safe")
def description_without_colon(ctx: DefinitionContext) -> Iterator[Finding]:
    """Flags an ``@name text`` or ``@name : text`` paragraph where ``name`` is
    a member the block does not describe, in a definition listed in pragma
    ``documentation-exceptions`` or on a tree older than QEMU 9.0
    (elsewhere ``undocumented-member`` reports the member and carries this
    fix).

    Why: QEMU takes a description only as ``@name:`` with the colon right
    after the name; without it the paragraph is ordinary text (or describes
    a member called "name " that does not exist), and QEMU reports the
    member as lacking documentation (``undocumented-member``) at the
    definition, or, for definitions in ``documentation-exceptions``, says
    nothing and renders a stub. This finding points at the paragraph and
    carries the safe fix (``@name:``, continuation lines indented: four
    spaces, or on trees before 8.1 up to the description's first
    character, as their doc parser requires).

    Example::

        # @bar the number of bars
        # in the foo

    Use instead::

        # @bar: the number of bars
        #     in the foo
    """
    definition = ctx.definition
    doc = definition.doc
    if doc is None or doc.free_form or doc.symbol != definition.name:
        return
    version = ctx.tree.version
    checked_by_q203 = release_reached(version, MEMBER_DOCS_REQUIRED)
    if checked_by_q203 and definition.name not in ctx.schema.pragmas.documentation_exceptions:
        return  # undocumented-member (Q203) reports it, with this fix attached
    described = {section.name for section in doc.of_kind("member")}
    missing = resolution(ctx.schema).of(definition).documented_names() - described
    aligned = not release_reached(version, CONVENTIONS_UPDATE)
    for found in colonless_descriptions(doc, missing, aligned):
        edits = list(found.fix.edits)
        fix = fix_keeping_lines_short(definition.module, ctx.tree, edits, found.fix.message)
        yield Finding(
            found.span,
            f"'@{found.name}' paragraph is not a description (no colon after the name), so "
            f"member '{found.name}' lacks documentation; did you mean '@{found.name}:'?",
            fix=fix,
            symbol=definition.name,
            member=found.name,
        )
