"""The QMP messages of a doc block's examples, read as JSON.

An example is the body of a ``.. qmp-example::`` directive (plain or
``:annotated:``) or, in trees before 9.1, an ``Example:`` section. In it, a
message starts at a line whose text starts with ``->`` (client to server)
or ``<-`` (server to client) and goes on over the lines indented at least
as far as its arrow, up to a blank line or the next arrow. QEMU's examples elide
with ``...``; outside strings an elision (``...``, or words
between two of them on one line: ``{...more...}``) is taken out with the comma next
to it (in a value's place it stands for ``null``) before the message is
read as JSON. A message that does not start
with ``{`` or ``[`` is prose (a legend such as ``-> ... text sent by the
client``) and is not read.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from qapilint.syntax.doclines import (
    EXAMPLE_TAGS,
    QMP_EXAMPLE_DIRECTIVE,
    directive_name,
    indent_of,
    qmp_message_start,
    section_tag,
)
from qapilint.syntax.docparse import classified
from qapilint.syntax.model import Doc, DocLine, LineClass, Span

ELISION = "..."


@dataclass(slots=True)
class QmpMessage:
    """One ``->`` or ``<-`` message of an example."""

    arrow: str
    arrow_span: Span
    source: str  # the message's text after the arrow, lines joined with "\n"
    positions: list[tuple[int, int]] = field(default_factory=list)  # file (line, col) per char
    value: object = None
    error: str | None = None  # why it is not JSON
    error_at: tuple[int, int] | None = None  # file (line, col) of the error

    @property
    def valid(self) -> bool:
        return self.error is None


def example_bodies(doc: Doc) -> list[list[DocLine]]:
    """The lines of each example of ``doc``."""
    bodies: list[list[DocLine]] = []
    lines = doc.lines
    classes = classified(doc)
    index = 0
    while index < len(lines):
        doc_line, line_class = lines[index], classes[index]
        text = doc_line.text.rstrip()
        top = line_class.kind == "tag" or line_class.indent == 0
        tag = section_tag(text) if top else None
        if directive_name(text) == QMP_EXAMPLE_DIRECTIVE:
            base = indent_of(text)
            body, index = _indented_after(lines, classes, index + 1, base)
            bodies.append(body)
            continue
        if tag is not None and tag[0] in EXAMPLE_TAGS and line_class.indent == 0:
            body, index = _indented_after(lines, classes, index + 1, -1, stop_at_section=True)
            bodies.append(body)
            continue
        index += 1
    return bodies


def _indented_after(
    lines: list[DocLine],
    classes: tuple[LineClass, ...],
    index: int,
    base: int,
    stop_at_section: bool = False,
) -> tuple[list[DocLine], int]:
    body: list[DocLine] = []
    while index < len(lines):
        doc_line = lines[index]
        text = doc_line.text.rstrip()
        starts = classes[index].kind in ("member", "feature", "tag", "features")
        if text and stop_at_section and starts:
            break
        if text and not stop_at_section and indent_of(text) <= base:
            break
        body.append(doc_line)
        index += 1
    return body, index


_LAST: list[tuple[Doc, list[QmpMessage]]] = []


def messages(doc: Doc) -> list[QmpMessage]:
    """Every QMP message of ``doc``'s examples, read (the last block's are
    remembered: the engine runs every doc rule on one block before the
    next)."""
    if _LAST and _LAST[0][0] is doc:
        return _LAST[0][1]
    markers = (QMP_EXAMPLE_DIRECTIVE, *EXAMPLE_TAGS)
    if any(marker in line.text for line in doc.lines for marker in markers):
        found = _read_messages(doc)
    else:
        found = []
    _LAST[:] = [(doc, found)]
    return found


def _read_messages(doc: Doc) -> list[QmpMessage]:
    found: list[QmpMessage] = []
    for body in example_bodies(doc):
        found.extend(_messages_of(body))
    return found


def _messages_of(body: list[DocLine]) -> list[QmpMessage]:
    found: list[QmpMessage] = []
    current: QmpMessage | None = None
    arrow_indent = 0
    for doc_line in body:
        text = doc_line.text.rstrip()
        start = qmp_message_start(text)
        if start is not None:
            arrow, after = start
            arrow_indent = indent_of(text)
            arrow_col = doc_line.col + arrow_indent
            current = QmpMessage(arrow, Span.at(doc_line.line, arrow_col, 2), "")
            found.append(current)
            _append(current, text[after:], doc_line.line, doc_line.col + after)
            continue
        if current is None:
            continue
        if not text or indent_of(text) < arrow_indent:
            current = None
            continue
        current.source += "\n"
        current.positions.append((doc_line.line, doc_line.col + len(text)))
        _append(current, text, doc_line.line, doc_line.col)
    for message in found:
        _read(message)
    return found


def _append(message: QmpMessage, text: str, line: int, col: int) -> None:
    message.source += text
    message.positions.extend((line, col + offset) for offset in range(len(text)))


def _read(message: QmpMessage) -> None:
    text, positions = _without_elisions(message.source, message.positions)
    if not text.lstrip().startswith(("{", "[")):
        return  # prose, such as a legend ("-> ... text sent by the client")
    try:
        message.value = json.loads(text)
    except json.JSONDecodeError as error:
        message.error = error.msg.lower()
        at = min(error.pos, len(positions) - 1)
        message.error_at = positions[at] if positions else None


def _without_elisions(
    source: str, positions: list[tuple[int, int]]
) -> tuple[str, list[tuple[int, int]]]:
    """``source`` with each ``...`` outside strings taken out (with a comma
    beside it), or replaced by ``null`` where a value belongs; positions
    follow the characters kept."""
    out: list[str] = []
    where: list[tuple[int, int]] = []
    index = 0
    in_string = False
    while index < len(source):
        char = source[index]
        if in_string:
            out.append(char)
            where.append(positions[index])
            if char == "\\" and index + 1 < len(source):
                out.append(source[index + 1])
                where.append(positions[index + 1])
                index += 1
            elif char == '"':
                in_string = False
            index += 1
            continue
        if source.startswith(ELISION, index):
            index = _elision_end(source, index)
            before = _last_significant(out)
            after_index = _next_significant(source, index)
            after = source[after_index] if after_index < len(source) else ""
            if before == ":":
                out.append("null")
                where.extend([positions[index]] * 4)
            elif before == ",":
                _drop_last_comma(out, where)
            elif after == ",":
                source = source[:after_index] + " " + source[after_index + 1 :]
            continue
        if char == '"':
            in_string = True
        out.append(char)
        where.append(positions[index])
        index += 1
    return "".join(out), where


def _elision_end(source: str, index: int) -> int:
    """Where the elision at ``index`` ends: after its ``...``, or after a
    second ``...`` on the same line when only words come between them
    (``{...more...}``, ``[ ... more channels follow ... ]``)."""
    end = index + len(ELISION)
    line_end = source.find("\n", end)
    line_end = len(source) if line_end < 0 else line_end
    second = source.find(ELISION, end, line_end)
    if second >= 0 and not any(char in _JSON_PUNCTUATION for char in source[end:second]):
        return second + len(ELISION)
    return end


_JSON_PUNCTUATION = frozenset('{}[]":,')


def _last_significant(out: list[str]) -> str:
    for char in reversed(out):
        if not char.isspace():
            return char
    return ""


def _next_significant(source: str, index: int) -> int:
    while index < len(source) and source[index].isspace():
        index += 1
    return index


def _drop_last_comma(out: list[str], where: list[tuple[int, int]]) -> None:
    for index in range(len(out) - 1, -1, -1):
        if out[index] == ",":
            del out[index]
            del where[index]
            return
        if not out[index].isspace():
            return
