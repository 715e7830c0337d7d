"""One definition's documentation as plain text, as the manual shows it.

The doc block is rendered to the rST of QEMU's generator
(:mod:`.render`), parsed with docutils, and the doctree walked: a title
line (the kind and the name), the body's paragraphs, lists and literal
blocks, then one list per field kind (members, arguments, values,
alternatives, features) with each entry's type and description, then
what it returns, its errors and the release it appeared in. docutils is
imported only here, when a definition is shown.
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable

from qapilint.markup.render import render
from qapilint.schema.resolve import Member, Resolved
from qapilint.syntax.doclines import TAG_SHOWN
from qapilint.syntax.model import Definition

WIDTH = 72
# the rST field name's first word -> the heading of its list, as in
# QEMU's qapi domain
FIELD_HEADINGS = {
    "memb": "Members",
    "arg": "Arguments",
    "value": "Values",
    "alt": "Alternatives",
    "feat": "Features",
}
KIND_TITLES = {
    "command": "Command",
    "event": "Event",
    "enum": "Enum",
    "struct": "Object",
    "union": "Object",
    "alternate": "Alternate",
}


def show_text(definition: Definition, resolved: Resolved) -> str:
    """``definition``'s documentation as text (its doc block rendered as
    QEMU's manual does, members with their types)."""
    from docutils import nodes  # noqa: PLC0415 - only when a definition is shown

    from qapilint.markup.parser import parse_document  # noqa: PLC0415

    title = f"{KIND_TITLES.get(definition.kind, definition.kind.title())} {definition.name}"
    out = [title, "=" * len(title)]
    doc = definition.doc
    if doc is None:
        out += ["", "Not documented."]
        return "\n".join(out) + "\n"
    document = parse_document(render(doc).text)
    types = {member.name: member for member in [*resolved.documented, *resolved.features]}
    # (heading, lines) in document order; consecutive fields of one kind
    # share a heading, as in the manual
    parts: list[tuple[str | None, list[str]]] = []
    for child in document.children:
        if isinstance(child, nodes.field_list):
            for one in child.children:
                heading, lines, listed = _field(one, types)
                if listed and parts and parts[-1][0] == heading:
                    parts[-1][1].extend(lines)
                else:
                    parts.append((heading, lines))
            continue
        parts += [(None, block) for block in _blocks(child, WIDTH) if block]
    inherited = resolved.base or resolved.arg_type
    if inherited is not None:
        heading = FIELD_HEADINGS["arg" if definition.kind == "command" else "memb"] + ":"
        entry = f"  The members of {inherited.name}."
        group = next((lines for name, lines in parts if name == heading), None)
        if group is None:  # after the body, as the manual places the field list
            at = next(
                (
                    index
                    for index, (name, lines) in enumerate(parts)
                    if name or lines[0] == "Example:"
                ),
                len(parts),
            )
            parts.insert(at, (heading, [entry]))
        else:
            group.append(entry)
    for shown, lines in parts:
        out.append("")
        if shown is not None:
            out.append(shown)
        out += lines
    since = doc.of_kind("since")
    if since:
        out += ["", f"{TAG_SHOWN['since']}: {since[0].text.strip()}"]
    return "\n".join(out) + "\n"


def _field(field: object, types: dict[str, Member]) -> tuple[str, list[str], bool]:
    """One field: its heading, its lines, whether it is a list entry."""
    from docutils import nodes  # noqa: PLC0415

    assert isinstance(field, nodes.field)
    name_node, body = field.children[0], field.children[1]
    kind, _, name = name_node.astext().partition(" ")
    body_lines = _inner(body, WIDTH - 6)
    if kind in FIELD_HEADINGS:
        member = types.get(name)
        shown = name
        if member is not None and member.type is not None:
            ref = member.type
            shown += f": [{ref.name}]" if ref.array else f": {ref.name}"
        if member is not None and member.optional:
            shown += " (optional)"
        lines = [f"  {shown}"]
        lines += [f"      {line}" if line else "" for line in body_lines or ["Not documented."]]
        return f"{FIELD_HEADINGS[kind]}:", lines, True
    if kind == "return":
        heading = f"{TAG_SHOWN['returns']}: {name}" if name else f"{TAG_SHOWN['returns']}:"
    elif kind == "error":
        heading = f"{TAG_SHOWN['errors']}:"
    else:
        heading = f"{name_node.astext()}:"
    return heading, [f"  {line}" if line else "" for line in body_lines], False


def _spaced(blocks: Iterable[list[str]]) -> list[str]:
    """Blocks joined with one blank line between them."""
    lines: list[str] = []
    for block in blocks:
        if block and lines:
            lines.append("")
        lines += block
    return lines


def _blocks(node: object, width: int) -> list[list[str]]:
    """The text blocks of one body element, each a list of lines."""
    from docutils import nodes  # noqa: PLC0415

    if isinstance(node, nodes.system_message | nodes.comment | nodes.target):
        return []
    if isinstance(node, nodes.paragraph):
        text = " ".join(line.strip() for line in node.astext().splitlines())
        return [textwrap.wrap(text, width, break_on_hyphens=False) or [""]]
    if isinstance(node, nodes.literal_block | nodes.doctest_block):
        return [["    " + line if line else "" for line in node.astext().splitlines()]]
    if isinstance(node, nodes.bullet_list | nodes.enumerated_list):
        items: list[str] = []
        for number, item in enumerate(node.children, 1):
            mark = "- " if isinstance(node, nodes.bullet_list) else f"{number}. "
            items += _indented(mark, _inner(item, width - len(mark)))
        return [items]
    if isinstance(node, nodes.definition_list):
        found = []
        for item in node.children:
            term = item.children[0].astext()
            found.append([term, *_indented("    ", _inner(item.children[-1], width - 4))])
        return found
    if isinstance(node, nodes.Admonition):
        if isinstance(node, nodes.admonition):  # qmp-example
            head = "Example:"
            return [[head, *_inner(node, width)]]
        else:
            head = f"{type(node).__name__.title()}:"
        return [[head, *_indented("  ", _inner(node, width - 2))]]
    if isinstance(node, nodes.block_quote):
        return [_indented("    ", _inner(node, width - 4))]
    if isinstance(node, nodes.Element) and node.children and not isinstance(node, nodes.Inline):
        return [block for child in node.children for block in _blocks(child, width)]
    text = " ".join(str(node.astext() if isinstance(node, nodes.Node) else node).split())
    return [textwrap.wrap(text, width)] if text else []


def _inner(node: object, width: int) -> list[str]:
    from docutils import nodes  # noqa: PLC0415

    assert isinstance(node, nodes.Element)
    return _spaced(block for child in node.children for block in _blocks(child, width))


def _indented(first: str, lines: list[str]) -> list[str]:
    """``lines`` indented by ``first``'s width, ``first`` before the first."""
    pad = " " * len(first)
    return [
        (first if index == 0 else pad) + line if line else "" for index, line in enumerate(lines)
    ]
