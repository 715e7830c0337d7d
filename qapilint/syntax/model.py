"""Plain data classes for a parsed QAPI file: values, definitions, doc blocks.

Everything here is produced by :mod:`qapilint.syntax.parse` and
:mod:`qapilint.syntax.docparse` and only read afterwards: rules never mutate it.

Positions are 1-based lines and columns in the original file, columns counted
in Unicode code points (a tab counts 1); a :class:`Span`'s end is exclusive.

The classes are named tuples (values compared by their fields) or plain
classes with ``__slots__`` (compared by identity), not dataclasses: every
run imports this module, and the dataclass decorator compiles code for each
class at every start. The parser makes the small ones in tens of thousands,
where a named tuple made with ``tuple.__new__`` costs no Python call.
"""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from qapilint.files.records import Record, TupleRecord

# --------------------------------------------------------------------------
# Positions

# ``new_tuple(Span, (line, col, end_line, end_col))``: a named tuple made by
# tuple.__new__ directly, its fields in order. The class's own __new__ is a
# Python call, and the parser makes spans, doc lines and text lines by the
# ten thousand.
new_tuple = tuple.__new__
# ``new_object(JString)``: an instance of a slotted class without its
# __init__ (which a class call runs in an interpreter loop of its own), for
# the parser to fill in where it makes thousands
new_object = object.__new__


# The int objects of line numbers, shared by every span, doc line and text
# line a parse makes: past 256 an int is an object of its own (32 bytes), and
# without this each holder of a line number would make its own. Grown to
# the longest file read.
_LINE_NUMBERS: list[int] = list(range(257))


def line_numbers(last: int) -> list[int]:
    """The shared ints 0 to at least ``last``, each at its own index."""
    if len(_LINE_NUMBERS) <= last:
        _LINE_NUMBERS.extend(range(len(_LINE_NUMBERS), last + 1))
    return _LINE_NUMBERS


class Span(TupleRecord):
    """A range of text: start inclusive, end exclusive, all 1-based.

    A named tuple: immutable, ordered by position, and cheap to make (the
    parser makes one per value, tens of thousands per schema)."""

    __slots__ = ()

    line: int
    col: int
    end_line: int
    end_col: int

    def __new__(cls, line: int, col: int, end_line: int, end_col: int) -> Span:
        return tuple.__new__(cls, (line, col, end_line, end_col))

    @classmethod
    def at(cls, line: int, col: int, length: int = 1) -> Span:
        """A span of ``length`` characters on one line."""
        return new_tuple(cls, (line, col, line, col + length))

    @classmethod
    def whole_line(cls, line: int, text: str) -> Span:
        return new_tuple(cls, (line, 1, line, len(text) + 1))

    def cover(self, other: Span) -> Span:
        """The smallest span holding both."""
        start = min((self.line, self.col), (other.line, other.col))
        end = max((self.end_line, self.end_col), (other.end_line, other.end_col))
        return new_tuple(Span, (*start, *end))


# --------------------------------------------------------------------------
# JSON-like values of a QAPI expression


class JString:
    __slots__ = ("span", "value")

    def __init__(self, value: str, span: Span) -> None:
        self.value = value
        self.span = span

    def to_py(self) -> str:
        return self.value


class JBool:
    __slots__ = ("span", "value")

    def __init__(self, value: bool, span: Span) -> None:
        self.value = value
        self.span = span

    def to_py(self) -> bool:
        return self.value


class JList:
    __slots__ = ("items", "span")

    def __init__(self, items: list[JValue], span: Span) -> None:
        self.items = items
        self.span = span

    def to_py(self) -> list[object]:
        return [item.to_py() for item in self.items]


class JObject:
    """An object; ``pairs`` keeps source order (duplicates are parse errors)."""

    __slots__ = ("pairs", "span")

    def __init__(self, pairs: list[tuple[JString, JValue]], span: Span) -> None:
        self.pairs = pairs
        self.span = span

    def get(self, key: str) -> JValue | None:
        for name, value in self.pairs:
            if name.value == key:
                return value
        return None

    def key(self, key: str) -> JString | None:
        for name, _value in self.pairs:
            if name.value == key:
                return name
        return None

    def keys(self) -> list[str]:
        return [name.value for name, _value in self.pairs]

    def to_py(self) -> dict[str, object]:
        return {name.value: value.to_py() for name, value in self.pairs}


JValue = JString | JBool | JList | JObject


# --------------------------------------------------------------------------
# Doc blocks

SectionKind = Literal["plain", "member", "feature", "returns", "errors", "since", "todo"]
TAGGED_KINDS: tuple[SectionKind, ...] = ("returns", "errors", "since", "todo")


# What a doc line is, as QEMU's doc parser reads it: the "@NAME:" line of a
# definition doc, untagged text, the first line of a member or feature
# description, the "Features:" line, the first line of a tagged section
# ("Since: 9.1"), a later line of a description or tagged section, or blank.
LineKind = Literal[
    "symbol", "text", "member", "feature", "features", "tag", "continuation", "blank"
]


class DocLine(TupleRecord):
    """One line between the ``##`` delimiters of a doc block. What it is
    (its kind, section, indent, literal mode) is
    :func:`qapilint.syntax.docparse.classified`'s answer."""

    __slots__ = ()

    line: int  # file line
    raw: str  # the whole file line, line end removed
    text: str  # what follows "# " ("" for a bare "#"), trailing spaces kept
    col: int  # file column of text[0]

    def __new__(cls, line: int, raw: str, text: str, col: int) -> DocLine:
        return tuple.__new__(cls, (line, raw, text, col))


class LineClass(TupleRecord):
    """What one doc line is, as QEMU's doc parser reads it."""

    __slots__ = ()

    kind: LineKind
    section: int  # index into Doc.sections; -1: none (symbol line, Features:, blank)
    indent: int  # leading whitespace of the line's text
    literal: bool  # in QEMU's literal mode: exempt from its line checks

    def __new__(cls, kind: LineKind, section: int, indent: int, literal: bool) -> LineClass:
        return tuple.__new__(cls, (kind, section, indent, literal))


class TextLine(TupleRecord):
    """A line of a section's text as QEMU reads it (tag and indent removed)."""

    __slots__ = ()

    line: int  # file line
    col: int  # file column of text[0]
    text: str

    def __new__(cls, line: int, col: int, text: str) -> TextLine:
        return tuple.__new__(cls, (line, col, text))


class Section:
    """One section of a doc block, in QEMU's terms.

    ``plain`` sections hold untagged text (the first is the body); ``member``
    and ``feature`` sections are ``@name:`` descriptions; the rest are the
    tagged sections ``Returns:``, ``Errors:``, ``Since:`` and ``TODO:``.

    A section the doc reader made covers lines ``start`` to ``end``
    (exclusive) of its ``doc``; each loses ``first_cut`` characters on the
    first line (-1: the first line is like the others), at most ``cut`` of
    its indentation on the others. Its ``lines`` are made from those when
    read (:mod:`qapilint.syntax.lazylines`); a section made with explicit
    lines has no ``doc``.
    """

    __slots__ = (
        "__weakref__",
        "cut",
        "doc",
        "end",
        "first_cut",
        "kind",
        "lines",
        "name",
        "start",
        "tag_span",
    )

    def __init__(
        self,
        kind: SectionKind,
        name: str | None,  # member or feature name
        tag_span: Span | None,  # the "@name:" or "Since:" tag, if any
        lines: list[TextLine] | None = None,
    ) -> None:
        self.kind = kind
        self.name = name
        self.tag_span = tag_span
        self.lines: list[TextLine] = [] if lines is None else lines
        self.doc: Doc | None = None
        self.start = self.end = self.cut = 0
        self.first_cut = -1

    @property
    def text(self) -> str:
        return "\n".join(line.text for line in self.lines).strip("\n")

    @property
    def span(self) -> Span | None:
        """From the tag (or first line) to the end of the last line."""
        start = self.tag_span
        if self.lines:
            last = self.lines[-1]
            end = Span.at(last.line, last.col, len(last.text))
            first = self.lines[0]
            start = start or Span.at(first.line, first.col, len(first.text))
            return start.cover(end)
        return start


class Doc:
    """A ``##`` doc block.

    A block read from a whole ``##`` token holds its module as its
    ``source``, and its ``lines`` are made from the module's lines when read
    (:mod:`qapilint.syntax.lazylines`); one made with explicit lines has
    no ``source``. A ``regular`` block's lines all have the usual shape
    ("# text" or a bare "#" from column 1)."""

    __slots__ = (
        "__weakref__",
        "definition",
        "features_span",
        "free_form",
        "lines",
        "regular",
        "sections",
        "source",
        "span",
        "symbol",
        "symbol_span",
    )

    def __init__(  # noqa: PLR0917 - the block's parts, as the reader fills them
        self,
        span: Span,  # from the opening "##" to the closing one
        lines: list[DocLine],
        symbol: str | None = None,  # "NAME" of "# @NAME:", None for free-form
        symbol_span: Span | None = None,
        sections: list[Section] | None = None,
        features_span: Span | None = None,  # the "Features:" line
        definition: Definition | None = None,  # the definition it documents
    ) -> None:
        self.span = span
        self.lines = lines
        self.name_symbol(symbol)
        self.symbol_span = symbol_span
        self.sections: list[Section] = [] if sections is None else sections
        self.features_span = features_span
        self.definition = definition
        self.source: Module | None = None
        self.regular = False  # every line "# text" or "#", from column 1

    def name_symbol(self, symbol: str | None) -> None:
        """Set ``symbol`` and with it ``free_form`` (no symbol): held beside
        it, as rules ask it of every block again and again (a property
        would be a call each time)."""
        self.symbol = symbol
        self.free_form = symbol is None

    @property
    def body(self) -> Section | None:
        if self.sections and self.sections[0].kind == "plain":
            return self.sections[0]
        return None

    def of_kind(self, kind: SectionKind) -> list[Section]:
        return [section for section in self.sections if section.kind == kind]

    def member(self, name: str) -> Section | None:
        for section in self.sections:
            if section.kind == "member" and section.name == name:
                return section
        return None

    def feature(self, name: str) -> Section | None:
        for section in self.sections:
            if section.kind == "feature" and section.name == name:
                return section
        return None


# --------------------------------------------------------------------------
# Prose view


SegmentKind = Literal["prose", "ref", "literal", "xref", "literal_block", "example", "markup"]


class Segment(TupleRecord):
    """A run of a section's text: prose, or something prose rules skip."""

    __slots__ = ()

    kind: SegmentKind
    start: int  # offset into ProseView.source
    end: int

    def __new__(cls, kind: SegmentKind, start: int, end: int) -> Segment:
        return tuple.__new__(cls, (kind, start, end))


class ProseView(Record):
    """A section's text where only prose is readable.

    ``source`` is the section text (its lines joined with "\\n"); ``text`` has
    the same length with every non-prose character replaced by ``MASK``, so a
    regular expression run over ``text`` finds prose only and its offsets
    map back to the file through :meth:`span`.
    """

    MASK = "\x1a"

    # (a Record: equal when its fields are, as tests compare views)
    __slots__ = ("lines", "segments", "source", "text")

    def __init__(
        self, source: str, text: str, segments: list[Segment], lines: list[TextLine]
    ) -> None:
        self.source = source
        self.text = text
        self.segments = segments
        self.lines = lines

    def position(self, offset: int) -> tuple[int, int]:
        """File (line, column) of a character offset into ``text``."""
        for text_line in self.lines:
            length = len(text_line.text)
            if offset <= length:
                return text_line.line, text_line.col + offset
            offset -= length + 1
        last = self.lines[-1]
        return last.line, last.col + len(last.text)

    def span(self, start: int, end: int) -> Span:
        line, col = self.position(start)
        end_line, end_col = self.position(end)
        return Span(line, col, end_line, end_col)


# --------------------------------------------------------------------------
# Top-level expressions

DefinitionKind = Literal["enum", "struct", "union", "alternate", "command", "event"]
DEFINITION_KINDS: tuple[DefinitionKind, ...] = (
    "enum",
    "struct",
    "union",
    "alternate",
    "command",
    "event",
)


class Definition:
    __slots__ = ("doc", "expr", "kind", "module", "name", "name_span")

    def __init__(  # noqa: PLR0917 - a definition's parts
        self,
        kind: DefinitionKind,
        name: str,
        name_span: Span,
        expr: JObject,
        module: Module,
        doc: Doc | None = None,
    ) -> None:
        self.kind = kind
        self.name = name
        self.name_span = name_span
        self.expr = expr
        self.module = module
        self.doc = doc

    @property
    def span(self) -> Span:
        return self.expr.span

    def get(self, key: str) -> JValue | None:
        return self.expr.get(key)


class Include:
    __slots__ = ("module", "span", "target", "target_span")

    def __init__(
        self,
        target: str,  # the path as written
        span: Span,  # the whole expression
        target_span: Span,
        module: Module,
    ) -> None:
        self.target = target
        self.span = span
        self.target_span = target_span
        self.module = module


class Pragma:
    __slots__ = ("module", "span", "value")

    def __init__(self, value: JObject, span: Span, module: Module) -> None:
        self.value = value
        self.span = span
        self.module = module


class Comment(TupleRecord):
    """A plain ``#`` comment line outside doc blocks (suppressions live here)."""

    __slots__ = ()

    line: int
    col: int  # column of the '#'
    text: str  # after the '#'

    def __new__(cls, line: int, col: int, text: str) -> Comment:
        return tuple.__new__(cls, (line, col, text))


class Problem(TupleRecord):
    """Something the parser rejected, tagged with a stable kind.

    Rules (``Q1xx``) turn problems of their kind into findings; the engine
    knows kinds, never rule codes.
    """

    __slots__ = ()

    kind: str
    span: Span
    message: str
    anchor_line: int | None  # the line QEMU reports, when not span.line

    def __new__(
        cls, kind: str, span: Span, message: str, anchor_line: int | None = None
    ) -> Problem:
        return tuple.__new__(cls, (kind, span, message, anchor_line))


class Module:
    """One parsed file.

    Its decoded text is held once, as :attr:`text`; :attr:`lines` are made
    from it when read and kept until :meth:`forget_lines` (the engine calls
    it when it moves on from the module: held for every module at once,
    the lines took more memory than the text)."""

    __slots__ = (
        "_lines",
        "bom",
        "comments",
        "definitions",
        "docs",
        "expressions",
        "includes",
        "newline",
        "path",
        "pragmas",
        "problems",
        "text",
    )

    def __init__(
        self,
        path: Path,
        lines: list[str] | None = None,  # the decoded text split on "\n", no line ends
        newline: str = "\n",  # "\r\n" when the file uses CRLF
        bom: bool = False,
        *,
        text: str | None = None,  # or the decoded text itself (BOM removed, "\n" line ends)
    ) -> None:
        self.path = path
        if text is None:
            text = "\n".join(lines) if lines is not None else ""
        self.text = text
        self._lines = lines
        self.newline = newline
        self.bom = bom
        self.definitions: list[Definition] = []
        self.includes: list[Include] = []
        self.pragmas: list[Pragma] = []
        self.docs: list[Doc] = []
        self.comments: list[Comment] = []
        self.problems: list[Problem] = []
        # every top-level object that is not an include or pragma directive, in
        # source order, including those naming no (or more than one) metatype
        self.expressions: list[JObject] = []

    @property
    def lines(self) -> list[str]:
        """The text split on "\n" (no line ends), made on first use."""
        made = self._lines
        if made is None:
            made = self._lines = self.text.split("\n")
        return made

    def forget_lines(self) -> None:
        """Drop :attr:`lines` until they are read again."""
        self._lines = None

    def renamed(self, path: Path) -> Module:
        """The same parse named by another path (the model is immutable and
        its derived facts are keyed by its parts, not by the file)."""
        copy = Module(path, self._lines, self.newline, self.bom, text=self.text)
        for name in Module.__slots__:
            if name != "path":
                setattr(copy, name, getattr(self, name))
        return copy
