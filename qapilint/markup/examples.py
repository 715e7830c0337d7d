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
import re
from bisect import bisect_left
from operator import attrgetter

from qapilint.files import regexes
from qapilint.syntax.doclines import (
    EXAMPLE_TAGS,
    QMP_EXAMPLE_DIRECTIVE,
    directive_name,
    indent_of,
    qmp_message_start,
    section_tag,
)
from qapilint.syntax.docparse import classified
from qapilint.syntax.model import Doc, DocLine, LineClass, Module, Span

ELISION = "..."
# what a line that opens an example names
EXAMPLE_MARKERS = (QMP_EXAMPLE_DIRECTIVE, *EXAMPLE_TAGS)
# the markers a search for lines naming one must look for: one that holds
# another ("Examples" holds "Example") is found by the search for that other
SEARCHED_MARKERS = tuple(
    marker
    for marker in EXAMPLE_MARKERS
    if not any(other != marker and other in marker for other in EXAMPLE_MARKERS)
)
_TEXT = attrgetter("text")  # a doc line's text


class QmpMessage:
    """One ``->`` or ``<-`` message of an example."""

    # a plain class: a dataclass costs every run's import several times as much
    __slots__ = ("after", "arrow", "arrow_span", "error", "error_at", "lines", "source", "value")

    def __init__(
        self,
        arrow: str,
        arrow_span: Span,
        source: str,
        lines: list[tuple[DocLine, str]],
        after: int,
    ) -> None:
        self.arrow = arrow
        self.arrow_span = arrow_span
        # the message's text: the first line's after the arrow, then the
        # later lines whole, joined with "\n"
        self.source = source
        # its lines, each with its text (trailing whitespace removed), and
        # where the text after the arrow starts in the first: where the
        # characters of ``source`` are in the file (see :meth:`position`)
        self.lines = lines
        self.after = after
        self.value: object = None
        self.error: str | None = None  # why it is not JSON
        self.error_at: tuple[int, int] | None = None  # file (line, col) of the error

    def __repr__(self) -> str:
        return f"QmpMessage({self.arrow!r}, {self.source!r}, error={self.error!r})"

    @property
    def valid(self) -> bool:
        return self.error is None

    def position(self, offset: int) -> tuple[int, int]:
        """File (line, col) of ``source[offset]`` (a line break is placed at
        the end of the line it leads to; an offset past the end, just after
        the last character)."""
        first, first_text = self.lines[0]
        line, col, length = first.line, first.col + self.after, len(first_text) - self.after
        for doc_line, text in self.lines[1:]:
            if offset < length:
                break
            offset -= length
            if offset == 0:  # the line break before this line
                return doc_line.line, doc_line.col + len(text)
            offset -= 1
            line, col, length = doc_line.line, doc_line.col, len(text)
        return line, col + offset


def example_bodies(doc: Doc) -> list[list[DocLine]]:
    """The lines of each example of ``doc``."""
    return [[doc_line for doc_line, _text, _indent in body] for body in _example_bodies(doc)]


# a line of an example's body: the doc line, its text without trailing
# whitespace, and that text's indent (each worked out once per line)
_BodyLine = tuple[DocLine, str, int]


def _example_bodies(doc: Doc) -> list[list[_BodyLine]]:
    """The lines of each example of ``doc``, each with its text and indent."""
    bodies: list[list[_BodyLine]] = []
    lines = doc.lines
    classes: tuple[LineClass, ...] | None = None  # only an "Example:" section asks
    index = 0  # the lines before it are read
    for candidate in _candidate_lines(lines):
        if candidate < index:  # in an example already read
            continue
        text = lines[candidate].text.rstrip()
        if directive_name(text) == QMP_EXAMPLE_DIRECTIVE:
            body, index = _indented_after(lines, candidate + 1, indent_of(text))
            bodies.append(body)
            continue
        tag = section_tag(text)  # at the start of the text: the line's indent is 0
        if tag is not None and tag[0] in EXAMPLE_TAGS:
            if classes is None:
                classes = classified(doc)
            body, index = _section_after(lines, classes, candidate + 1)
            bodies.append(body)
    return bodies


def _candidate_lines(lines: list[DocLine]) -> list[int]:
    """The indexes of the lines that might open an example, in order: those
    that name the directive or an example tag. A few searches of the whole
    text (joined at C speed) settle most blocks: they have no example."""
    whole = "\n".join(map(_TEXT, lines))
    found: set[int] = set()
    for marker in SEARCHED_MARKERS:
        at = whole.find(marker)
        while at >= 0:
            found.add(whole.count("\n", 0, at))
            at = whole.find(marker, at + len(marker))
    return sorted(found)


def _indented_after(lines: list[DocLine], index: int, base: int) -> tuple[list[_BodyLine], int]:
    """The lines from ``index`` on up to the first non-blank line indented
    ``base`` or less (a directive's body); the index after them."""
    body: list[_BodyLine] = []
    for doc_line in lines[index:]:
        text = doc_line.text.rstrip()
        indent = indent_of(text)
        if text and indent <= base:
            break
        body.append((doc_line, text, indent))
    return body, index + len(body)


_SECTION_STARTS = ("member", "feature", "tag", "features")


def _section_after(
    lines: list[DocLine], classes: tuple[LineClass, ...], index: int
) -> tuple[list[_BodyLine], int]:
    """The lines from ``index`` on up to the next section's start (an old
    ``Example:`` section's body); the index after them."""
    body: list[_BodyLine] = []
    for end in range(index, len(lines)):
        text = lines[end].text.rstrip()
        if classes[end].kind in _SECTION_STARTS and text:
            break
        body.append((lines[end], text, indent_of(text)))
    return body, index + len(body)


_LAST: list[tuple[Doc, list[QmpMessage]]] = []


def messages(doc: Doc, module: Module | None = None) -> list[QmpMessage]:
    """Every QMP message of ``doc``'s examples, read (the last block's are
    remembered: the engine runs every doc rule on one block before the
    next). With ``module``, the block's module, a block whose lines name
    neither the directive nor an example tag (most blocks) is settled
    without a look at its lines."""
    if _LAST and _LAST[0][0] is doc:
        return _LAST[0][1]
    found: list[QmpMessage] = []
    if module is None or _names_an_example(module, doc.span):
        for body in _example_bodies(doc):
            found.extend(_messages_of(body))
    _LAST[:] = [(doc, found)]
    return found


def _names_an_example(module: Module, span: Span) -> bool:
    """Whether a line of ``span`` in ``module`` names the directive or an
    example tag."""
    marked = _marked_lines(module)
    first = bisect_left(marked, span.line)
    return first < len(marked) and marked[first] <= span.end_line


_LAST_MODULE: list[tuple[Module, list[int]]] = []


def _marked_lines(module: Module) -> list[int]:
    """The lines of ``module``'s text that name the directive or an example
    tag, in order: a few searches of the whole text, made once per module
    (the last module's are remembered: the engine reads the blocks of one
    module after another)."""
    if _LAST_MODULE and _LAST_MODULE[0][0] is module:
        return _LAST_MODULE[0][1]
    text = module.text
    offsets: set[int] = set()
    for marker in SEARCHED_MARKERS:
        at = text.find(marker)
        while at >= 0:
            offsets.add(at)
            at = text.find(marker, at + len(marker))
    marked: list[int] = []
    line, counted = 1, 0  # the line of offset ``counted``
    for at in sorted(offsets):
        line += text.count("\n", counted, at)
        counted = at
        if not marked or marked[-1] != line:
            marked.append(line)
    _LAST_MODULE[:] = [(module, marked)]
    return marked


def _messages_of(body: list[_BodyLine]) -> list[QmpMessage]:
    found = [_message(*grouped) for grouped in _message_lines(body)]
    for message in found:
        _read(message)
    return found


# a message's lines, each with its text, and its first line's arrow, the
# offset of the text after it, and the arrow's indent
_MessageLines = tuple[list[tuple[DocLine, str]], str, int, int]


def _message_lines(body: list[_BodyLine]) -> list[_MessageLines]:
    """The lines of each message of an example's body, each with its text
    (trailing whitespace removed): a line that starts a message, then the
    lines indented at least as far as its arrow, up to a blank line."""
    grouped: list[_MessageLines] = []
    current: list[tuple[DocLine, str]] | None = None
    arrow_indent = 0
    for doc_line, text, indent in body:
        if not text:
            current = None
        elif (start := qmp_message_start(text)) is not None:
            current = [(doc_line, text)]
            grouped.append((current, *start, indent))
            arrow_indent = indent
        elif current is not None and indent >= arrow_indent:
            current.append((doc_line, text))
        else:
            current = None
    return grouped


def _message(lines: list[tuple[DocLine, str]], arrow: str, after: int, indent: int) -> QmpMessage:
    """The message on ``lines`` (where its characters are is worked out
    only for an error)."""
    first, first_text = lines[0]
    arrow_span = Span.at(first.line, first.col + indent, 2)
    source = "\n".join([first_text[after:], *(text for _line, text in lines[1:])])
    return QmpMessage(arrow, arrow_span, source, lines, after)


def _read(message: QmpMessage) -> None:
    text, pieces = _without_elisions(message.source)
    if not text.lstrip().startswith(("{", "[")):
        return  # prose, such as a legend ("-> ... text sent by the client")
    try:
        message.value = json.loads(text)
    except json.JSONDecodeError as error:
        message.error = error.msg.lower()
        at = min(error.pos, len(text) - 1)
        message.error_at = message.position(_source_offset(pieces, at) if pieces else at)


class _Piece:
    """A run of the text read as JSON: characters of the source from
    ``source_at`` on, or (``inserted``) a ``null`` standing for an elision,
    all of whose characters are placed at ``source_at``."""

    # a plain class: a named tuple (or a dataclass) writes and compiles
    # source for its class at every run's import
    __slots__ = ("inserted", "source_at", "text")

    def __init__(self, text: str, source_at: int, inserted: bool = False) -> None:
        self.text = text
        self.source_at = source_at
        self.inserted = inserted


# outside strings, what the elision reader stops at: a whole string (to
# skip it; an unclosed one runs to the end) or an elision
_STRING_OR_ELISION = regexes.pattern(r'"[^"\\]*(?:\\[\s\S][^"\\]*)*"?|' + re.escape(ELISION))
_NON_SPACE = regexes.pattern(r"\S")


def _without_elisions(source: str) -> tuple[str, list[_Piece] | None]:
    """``source`` with each ``...`` outside strings taken out (with a comma
    beside it), or replaced by ``null`` where a value belongs; the pieces
    of the result say where its characters come from (None: the source
    as it is, when it has no elision)."""
    if ELISION not in source:  # most messages
        return source, None
    pieces: list[_Piece] = []
    kept_from = 0  # the source from here on is kept, up to the next elision
    search_from = 0
    while (found := _STRING_OR_ELISION.search(source, search_from)) is not None:
        if found.group() != ELISION:
            search_from = found.end()
            continue
        pieces.append(_Piece(source[kept_from : found.start()], kept_from))
        end = _elision_end(source, found.start())
        before = _last_significant(pieces)
        after_match = _NON_SPACE.search(source, end)
        if before == ":":
            pieces.append(_Piece("null", end, inserted=True))
        elif before == ",":
            _drop_last_comma(pieces)
        elif after_match is not None and after_match.group() == ",":
            comma = after_match.start()
            source = source[:comma] + " " + source[comma + 1 :]
        kept_from = search_from = end
    pieces.append(_Piece(source[kept_from:], kept_from))
    return "".join(piece.text for piece in pieces), pieces


def _source_offset(pieces: list[_Piece], offset: int) -> int:
    """Where character ``offset`` of the pieces' text comes from in the source."""
    for piece in pieces:
        if offset < len(piece.text):
            return piece.source_at if piece.inserted else piece.source_at + offset
        offset -= len(piece.text)
    raise IndexError(offset)


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


def _last_significant(pieces: list[_Piece]) -> str:
    for piece in reversed(pieces):
        text = piece.text.rstrip()
        if text:
            return text[-1]
    return ""


def _drop_last_comma(pieces: list[_Piece]) -> None:
    """Take out the pieces' last non-space character, a comma."""
    for index in range(len(pieces) - 1, -1, -1):
        piece = pieces[index]
        comma = len(piece.text.rstrip()) - 1
        if comma < 0:
            continue
        # a kept piece: an inserted null never ends in a comma
        pieces[index : index + 1] = [
            _Piece(piece.text[:comma], piece.source_at),
            _Piece(piece.text[comma + 1 :], piece.source_at + comma + 1),
        ]
        return
