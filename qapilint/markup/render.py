"""A doc block as the rST QEMU's doc generator makes of it, with a line map.

QEMU 10.2's generator (``docs/sphinx/qapidoc.py``) turns a definition's doc
block into the content of a ``qapi:<kind>`` directive: untagged sections are
paragraphs, member and feature descriptions are the fields ``:memb NAME:``
and ``:feat NAME:``, ``Returns:`` and ``Errors:`` become ``:return TYPE:``
and ``:error:``, ``Since:`` becomes a directive option and ``TODO:`` is
dropped; every ``@name`` becomes the inline literal ````name````. A
free-form block is copied as it is, ``@name`` rewritten the same way.

The rST is made here at indent 0 (QEMU indents it by three spaces inside
the directive, which changes no structure), one block at a time, and each
rST line remembers where its characters came from in the ``.json`` file:
:meth:`Rendered.position` maps an rST line and column back to a file line
and column. The old ``Example:`` and ``Note:`` sections of trees before
9.1 are rendered as their generator showed them: a literal block and a
note.
"""

from __future__ import annotations

import bisect
from dataclasses import dataclass, field

from qapilint.syntax.doclines import EXAMPLE_TAGS, at_references, section_tag
from qapilint.syntax.docparse import classified
from qapilint.syntax.model import Doc, DocLine, JList, JString, Section

# What the generator calls a member's field, per kind of definition
FIELD_KINDS = {
    "enum": "value",
    "struct": "memb",
    "union": "memb",
    "event": "memb",
    "command": "arg",
    "alternate": "alt",
}
# the body of an old "Example:" section, indented as a literal block
OLD_EXAMPLE_INDENT = "   "
# line kinds that start a section of their own (a plain paragraph after an
# old "Example:" section still belongs to the example, as in QEMU before 9.1)
SECTION_STARTS = (
    "member",
    "feature",
    "tag",
    "features",
)  # the body of an old "Example:" section as a literal block


@dataclass(frozen=True, slots=True)
class Origin:
    """Where one rST line's characters come from: ``anchors`` are pairs
    (rST column, file column), both 0-based for the rST side and 1-based for
    the file, sorted; a character maps through the last anchor at or
    before it."""

    line: int  # file line
    anchors: tuple[tuple[int, int], ...]

    def column(self, rst_col: int) -> int:
        starts = [start for start, _ in self.anchors]
        index = max(0, bisect.bisect_right(starts, rst_col) - 1)
        start, file_col = self.anchors[index]
        return file_col + max(0, rst_col - start)


@dataclass(slots=True)
class Rendered:
    """The rST of one doc block, line by line, with each line's origin
    (None for a blank line the generator adds)."""

    lines: list[str] = field(default_factory=list)
    origins: list[Origin | None] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.lines) + "\n"

    def position(self, rst_line: int, rst_col: int = 0) -> tuple[int, int] | None:
        """File (line, column) of rST line ``rst_line`` (1-based) and column
        ``rst_col`` (0-based); a generated blank line maps to the nearest
        line before it that has an origin. None past the end."""
        index = min(rst_line, len(self.lines)) - 1
        while index >= 0:
            origin = self.origins[index]
            if origin is not None:
                if index == rst_line - 1:
                    return origin.line, origin.column(rst_col)
                return origin.line, origin.column(len(self.lines[index]))
            index -= 1
        return None

    # building -----------------------------------------------------------------

    def blank(self) -> None:
        """A blank line, unless the last line is one already."""
        if self.lines and self.lines[-1]:
            self.lines.append("")
            self.origins.append(None)

    def add(
        self,
        text: str,
        line: int,
        col: int,
        *,
        prefix: str = "",
        prefix_col: int | None = None,
        indent: str = "",
    ) -> None:
        """Append ``indent + prefix + text`` with ``@name`` rewritten; ``text``
        starts at file column ``col``, the (generated) prefix maps to
        ``prefix_col``."""
        if not text.strip() and not prefix:
            self.lines.append("")
            self.origins.append(Origin(line, ((0, col),)))
            return
        out = indent + prefix
        anchors: list[tuple[int, int]] = [(0, prefix_col if prefix_col is not None else col)]
        anchors.append((len(out), col))
        done = 0
        for start, end, name in at_references(text):
            out += text[done:start]
            anchors.append((len(out), col + start))  # the opening ``
            out += "``"
            anchors.append((len(out), col + start + 1))  # the name
            out += name
            anchors.append((len(out), col + end - 1))  # the closing ``
            out += "``"
            anchors.append((len(out), col + end))
            done = end
        out += text[done:]
        self.lines.append(out.rstrip())
        self.origins.append(Origin(line, _sorted_anchors(anchors)))


def _sorted_anchors(anchors: list[tuple[int, int]]) -> tuple[tuple[int, int], ...]:
    """Later anchors win over earlier ones at the same rST column."""
    by_start: dict[int, int] = {}
    for start, file_col in anchors:
        by_start[start] = file_col
    return tuple(sorted(by_start.items()))


def render(doc: Doc) -> Rendered:
    """The rST QEMU's generator makes of ``doc``."""
    out = Rendered()
    if doc.free_form:
        for doc_line in doc.lines:
            out.add(doc_line.text.rstrip(), doc_line.line, doc_line.col)
        out.blank()
        return out
    kind = doc.definition.kind if doc.definition is not None else "struct"
    current = -1
    previous_plain = False
    skip = False
    pending: str | None = None  # a field whose text starts on a later line
    pending_col = 0
    indent = ""
    for doc_line, line_class in zip(doc.lines, classified(doc), strict=True):
        if line_class.kind in ("symbol", "features"):
            continue
        text = doc_line.text.rstrip()
        if line_class.kind == "blank" or not text:
            if not skip and pending is None and current >= 0:
                out.add("", doc_line.line, doc_line.col)
            continue
        if line_class.section < 0:
            continue
        if line_class.section != current and indent and line_class.kind not in SECTION_STARTS:
            # an old Example: section goes on to the next section tag
            current = line_class.section
        if line_class.section != current:
            current = line_class.section
            section = doc.sections[current]
            skip, pending, indent = False, None, ""
            first = _first_text(section, doc_line)
            start_col = first[1] if first else doc_line.col
            tag_col = section.tag_span.col if section.tag_span else doc_line.col
            opening = _opening(section, kind, doc)
            if opening is None:
                skip = True
                continue
            head, where = opening
            # a field after a paragraph: QEMU 10.2 always has a blank line
            # there; QEMU before 9.0 rendered each section on its own
            if previous_plain and where not in ("paragraph", "example"):
                out.blank()
            previous_plain = where in ("paragraph", "example")
            if where == "paragraph":
                out.blank()
                out.add(first[0] if first else text, doc_line.line, start_col)
            elif where == "example":
                out.blank()
                out.add("", doc_line.line, tag_col, prefix=head, prefix_col=tag_col)
                out.blank()
                indent = OLD_EXAMPLE_INDENT
                if first and first[0]:
                    out.add(first[0], doc_line.line, start_col, indent=indent)
            elif first and first[0]:
                out.add(first[0], doc_line.line, start_col, prefix=head, prefix_col=tag_col)
            elif where == "error":
                out.add("", doc_line.line, tag_col, prefix=head.rstrip(), prefix_col=tag_col)
            else:
                pending, pending_col = head, tag_col
            continue
        if skip:
            continue
        if pending is not None:
            # QEMU joins the field's text onto the field line, indent and all
            out.add(text, doc_line.line, doc_line.col, prefix=pending, prefix_col=pending_col)
            pending = None
            continue
        out.add(text, doc_line.line, doc_line.col, indent=indent)
    if pending is not None:
        out.add("", doc.span.line, 1, prefix=pending, prefix_col=pending_col)
    out.blank()
    return out


def _first_text(section: Section, doc_line: DocLine) -> tuple[str, int] | None:
    """The section's text on its tag line (after the tag), if any."""
    if section.lines and section.lines[0].line == doc_line.line:
        first = section.lines[0]
        return first.text.rstrip(), first.col
    if section.tag_span is None:
        return doc_line.text.rstrip(), doc_line.col
    return None


def _opening(section: Section, kind: str, doc: Doc) -> tuple[str, str] | None:
    """How a section starts in the rST: (text before its own text, how);
    None for sections the generator leaves out."""
    if section.kind == "plain":
        if section.tag_span is not None:
            word = _tag_word(section, doc)
            if word in EXAMPLE_TAGS:
                return f"{word}::", "example"
            if word is not None:
                return ".. note:: ", "field"
        return "", "paragraph"
    if section.kind == "member":
        return f":{FIELD_KINDS.get(kind, 'memb')} {section.name}: ", "field"
    if section.kind == "feature":
        return f":feat {section.name}: ", "field"
    if section.kind == "returns":
        return f":return {_return_type(doc)}: ", "field"
    if section.kind == "errors":
        return ":error: ", "error"
    return None  # Since: is a directive option; TODO: is dropped


def _tag_word(section: Section, doc: Doc) -> str | None:
    span = section.tag_span
    if span is None:
        return None
    for doc_line in doc.lines:
        if doc_line.line == span.line:
            found = section_tag(doc_line.text.lstrip())
            return found[0] if found else None
    return None


def _return_type(doc: Doc) -> str:
    value = doc.definition.get("returns") if doc.definition is not None else None
    if isinstance(value, JString):
        return value.value
    if isinstance(value, JList) and value.items and isinstance(value.items[0], JString):
        return f"[{value.items[0].value}]"
    return "value"
