"""What the parser's callbacks build: the model of one module.

Both parsers (lark's full parser with error recovery in
:mod:`qapilint.syntax.recover`, and the fast path in :mod:`qapilint.syntax.fastparse`)
call the same :class:`Builder`: its rule methods as they reduce grammar
rules, its ``on_*`` methods as they read tokens. It turns values into
:mod:`qapilint.syntax.model` objects, cuts doc blocks into lines, checks
directives, and (:func:`place_docs`) attaches doc blocks to definitions.
Nothing here imports lark.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from operator import itemgetter
from typing import Any, Protocol

from qapilint.files import regexes
from qapilint.files.records import TupleRecord
from qapilint.syntax.lazylines import doc_line_of, doc_lines_between, unmake
from qapilint.syntax.model import (
    DEFINITION_KINDS,
    Comment,
    Definition,
    DefinitionKind,
    Doc,
    DocLine,
    Include,
    JBool,
    JList,
    JObject,
    JString,
    JValue,
    Module,
    Pragma,
    Problem,
    Span,
    line_numbers,
    new_object,
    new_tuple,
)

MAX_DEPTH = 64  # QAPI needs a handful of levels; deeper is garbage or an attack
STOP_AFTER = 1000  # problems after which a file is not read any further

DOCUMENTATION_EXCEPTIONS = "documentation-exceptions"
COMMAND_NAME_EXCEPTIONS = "command-name-exceptions"
COMMAND_RETURNS_EXCEPTIONS = "command-returns-exceptions"
MEMBER_NAME_EXCEPTIONS = "member-name-exceptions"
# The five pragmas QEMU knows, with the type of their values
PRAGMA_TYPES: dict[str, str] = {
    "doc-required": "bool",
    COMMAND_NAME_EXCEPTIONS: "list",
    COMMAND_RETURNS_EXCEPTIONS: "list",
    DOCUMENTATION_EXCEPTIONS: "list",
    MEMBER_NAME_EXCEPTIONS: "list",
}


class Token(Protocol):
    """What the builder reads of a token: lark's ``Token`` and the fast
    path's :class:`~qapilint.syntax.fastparse.FastToken` both have it."""

    type: str
    value: str
    line: int
    column: int
    end_line: int
    end_column: int


# --------------------------------------------------------------------------
# Per-parse state, filled by the builder's rule methods and token callbacks


class Item(TupleRecord):
    """A top-level item in source order, for the doc placement checks."""

    __slots__ = ()

    line: int
    col: int
    kind: str  # "doc", "definition", "directive", "expression", "broken"
    doc: Doc | None
    definition: Definition | None

    def __new__(
        cls,
        line: int,
        col: int,
        kind: str,
        doc: Doc | None = None,
        definition: Definition | None = None,
    ) -> Item:
        return tuple.__new__(cls, (line, col, kind, doc, definition))


class BuildState:
    """What one parse builds, besides the module (plain class: a dataclass
    costs a millisecond to import)."""

    __slots__ = (
        "block_token",
        "depth",
        "items",
        "line_numbers",
        "module",
        "open_doc",
        "open_doc_token",
        "parsing",
        "problem_lines",
        "problems",
        "stopped",
        "too_deep",
        "unterminated",
    )

    def __init__(self, module: Module) -> None:
        self.module = module
        self.line_numbers = line_numbers(len(module.lines))
        self.items: list[Item] = []
        self.problems: list[Problem] = []
        self.open_doc: Doc | None = None
        self.open_doc_token: Token | None = None  # the "##" token that opened it
        self.block_token: Token | None = None  # the last whole-block token
        self.depth = 0
        self.too_deep: list[tuple[int, int]] = []
        self.problem_lines: set[int] = set()
        self.unterminated: set[int] = set()  # id() of docs cut short
        self.stopped = False  # too many problems: the rest of the file is unread
        self.parsing = False  # while a parser runs (problems past STOP_AFTER stop it)

    def once_per_line(self, kind: str, span: Span, message: str) -> None:
        """Record a lexical-level problem unless its line has one already."""
        if span.line not in self.problem_lines:
            self.problem_lines.add(span.line)
            self.problem(kind, span, message)

    def problem(self, kind: str, span: Span, message: str, anchor_line: int | None = None) -> None:
        self.problems.append(Problem(kind, span, message, anchor_line))
        if self.parsing and len(self.problems) >= STOP_AFTER:
            self.stopped = True
            raise Stop


class Stop(Exception):
    """Raised from a parser callback to stop reading a hopeless file."""


def _span(token: Token) -> Span:
    return new_tuple(Span, (token.line, token.column, token.end_line, token.end_column))


# Equal string values of the modules read together share one object: a
# schema repeats a few thousand names and keys in ten thousand strings, and
# its doc blocks name its members again (a shared object also answers ==
# at once and hashes once). Emptied (never replaced: the doc reader holds it
# too) when the modules are read: the table itself is not worth holding.
# Modules read together are read within :func:`sharing_strings`; a module
# read alone empties it when read.
SHARED_STRINGS: dict[str, str] = {}
_SHARING: list[None] = []  # one entry per sharing_strings() open


@contextmanager
def sharing_strings() -> Iterator[None]:
    """The modules read within share their equal strings; the table is
    emptied at the end."""
    _SHARING.append(None)
    try:
        yield
    finally:
        _SHARING.pop()
        done_with_module()


def done_with_module() -> None:
    """A module (or, at the end of :func:`sharing_strings`, the last of
    those read together) has been read: outside a sharing, its strings are
    shared with no later one."""
    if not _SHARING:
        SHARED_STRINGS.clear()


def _jstring(tokens: list[Token], index: int = 0) -> JString:
    """The JString of the STRING token ``tokens[index]``."""
    token = tokens[index]
    value = token.value[1:-1]
    if "\\" in value:
        value = value.replace("\\\\", "\\")
    value = SHARED_STRINGS.setdefault(value, value)
    # JString's fields set here, not by its __init__: a Python __init__ runs
    # in an interpreter loop of its own when the class is called, which
    # costs more than the rest of this function (strings are the most
    # frequent value)
    string = new_object(JString)
    string.value = value
    string.span = new_tuple(Span, (token.line, token.column, token.end_line, token.end_column))
    return string


class Builder:
    """The parser's callbacks: lark (or the fast path) calls the rule
    methods as it reduces rules and the ``on_*`` methods as it reads tokens."""

    state: BuildState

    # values ---------------------------------------------------------------

    # the rule's one child, a STRING token, read without a method of its own
    # between (a string value is the most frequent reduction)
    string = staticmethod(_jstring)

    def true(self, children: list[Token]) -> JBool:
        return JBool(True, _span(children[0]))

    def false(self, children: list[Token]) -> JBool:
        return JBool(False, _span(children[0]))

    def pairs(self, children: list[Any]) -> list[tuple[JString, JValue]]:
        """``[key, value]`` for the first member, ``[pairs, key, value]``
        for each further one."""
        if len(children) == 2:
            return [(_jstring(children), children[1])]
        pairs: list[tuple[JString, JValue]] = children[0]
        pairs.append((_jstring(children, 1), children[2]))
        return pairs

    def values(self, children: list[Any]) -> list[JValue]:
        if len(children) == 1:
            return children
        values: list[JValue] = children[0]
        values.append(children[1])
        return values

    def object(self, children: list[Any]) -> JObject:
        first, last = children[0], children[-1]
        pairs: list[tuple[JString, JValue]] = children[1] if len(children) == 3 else []
        if len(pairs) > 1 and len({key.value for key, _ in pairs}) < len(pairs):
            seen: set[str] = set()
            for key, value in pairs:
                if key.value in seen:
                    start = value.span
                    self.state.problem(
                        "duplicate-key",
                        Span.at(start.line, start.col),
                        f"duplicate key '{key.value}'",
                    )
                seen.add(key.value)
        span = new_tuple(Span, (first.line, first.column, last.end_line, last.end_column))
        made = new_object(JObject)  # (as in _jstring: no __init__ run)
        made.pairs = pairs
        made.span = span
        return made

    def array(self, children: list[Any]) -> JList:
        first, last = children[0], children[-1]
        items: list[JValue] = children[1] if len(children) == 3 else []
        span = new_tuple(Span, (first.line, first.column, last.end_line, last.end_column))
        made = new_object(JList)  # (as in _jstring: no __init__ run)
        made.items = items
        made.span = span
        return made

    # top level ------------------------------------------------------------

    def top(self, children: list[JValue]) -> None:
        _top_level(self.state, children[0])

    def _nothing(self, children: list[Any]) -> None:
        """Doc blocks are built by the lexer callbacks, items as reduced."""
        return None

    doc = doc_lines = items = start = _nothing

    # token callbacks --------------------------------------------------------

    def token_callbacks(self) -> dict[str, Callable[[Token], Token]]:
        """The ``on_*`` methods by the terminal they read."""
        return {
            "LBRACE": self.on_open,
            "LSQB": self.on_open,
            "RBRACE": self.on_close,
            "RSQB": self.on_close,
            "COMMENT": self.on_comment,
            "DOC_BLOCK": self.on_doc_block,
            "DOC_DELIM": self.on_doc_delim,
            "DOC_LINE": self.on_doc_line,
        }

    def on_open(self, token: Token) -> Token:
        self.state.depth += 1
        if self.state.depth == MAX_DEPTH + 1:
            self.state.too_deep.append((token.line, token.column))
        return token

    def on_close(self, token: Token) -> Token:
        self.state.depth = max(0, self.state.depth - 1)
        return token

    def on_comment(self, token: Token) -> Token:
        comment = new_tuple(Comment, (token.line, token.column, token.value[1:]))
        self.state.module.comments.append(comment)
        return token

    def on_doc_block(self, token: Token) -> Token:
        """A whole doc block in one token: cut it into its lines."""
        state = self.state
        line = token.line
        file_lines = state.module.lines
        # the token runs from its "##" to the end of its closing "##" line,
        # so the lines after its first are whole lines of the file: the
        # module's own copies, not a second one
        opening = file_lines[line - 1][token.column - 1 :]
        assert token.value.startswith(opening), "the parser reads the module's text"
        _delimiter(state, opening, line, token.column)
        doc = state.open_doc
        # lexers read a whole block only where no doc block is open (the
        # parser takes DOC_BLOCK only outside one; recovery closes any open
        # doc before it restarts), so the "##" above has just opened one
        assert doc is not None
        end_line = token.end_line
        doc.source = state.module  # its lines are what the doc's are made from
        value = token.value
        if _IRREGULAR_DOC_LINE.search(value, 0, value.rindex("\n")) is None:
            # every line "# text" or "#" from column 1 (most blocks): its
            # lines are made when read (qapilint.syntax.lazylines)
            doc.regular = True
            unmake(doc)
        else:
            doc.lines = doc_lines_between(file_lines, line + 1, end_line - 1)
            for doc_line in doc.lines:
                # "#text": the one line shape the block's token takes that
                # QEMU rejects (any "#" but the first of a line is text)
                if doc_line.raw[doc_line.col - 2] == "#" and doc_line.text:
                    _missing_space(state, doc_line)
        closing = file_lines[end_line - 1]
        comment = closing.lstrip()
        _delimiter(state, comment, end_line, len(closing) - len(comment) + 1)
        state.block_token = token
        return token

    def on_doc_delim(self, token: Token) -> Token:
        opens = self.state.open_doc is None
        _delimiter(self.state, token.value, token.line, token.column)
        if opens:
            self.state.open_doc_token = token
        return token

    def on_doc_line(self, token: Token) -> Token:
        _doc_line(self.state, token.value, token.line, token.column)
        return token


# A line break in a doc block's token followed by no line of the usual
# shape ("# text" or a bare "#", from column 1)
_IRREGULAR_DOC_LINE = regexes.pattern(r"\n(?!# |#(?:\n|$))")


def _delimiter(state: BuildState, value: str, line: int, col: int) -> None:
    """A "##" line: opens a doc block, or closes the open one."""
    span = Span.at(line, col, len(value))
    if state.open_doc is None:
        state.open_doc = Doc(span, [])
        where = "start"
    else:
        close_doc(state, span)
        where = "end"
    if value != "##":
        state.once_per_line(
            "doc-delimiter", span, f"junk after '##' at {where} of documentation comment"
        )


def _missing_space(state: BuildState, doc_line: DocLine) -> None:
    col = doc_line.col - 1
    value = doc_line.raw[col - 1 :]
    state.once_per_line(
        "doc-delimiter", Span.at(doc_line.line, col, len(value)), "missing space after #"
    )


def _doc_line(state: BuildState, value: str, line: int, col: int) -> None:
    """A doc line read as a token of its own (the full parser's way)."""
    doc = state.open_doc
    if doc is None:  # cannot happen: the grammar allows doc lines in doc blocks only
        return
    doc_line = doc_line_of(line, state.module.lines[line - 1], value, col)
    if value != "#" and value[1] != " ":
        _missing_space(state, doc_line)
    doc.lines.append(doc_line)


def forget_last_doc(state: BuildState) -> None:
    """Undo the doc block just read (it stood where no doc may be)."""
    doc = state.module.docs.pop()
    state.items = [item for item in state.items if item.doc is not doc]
    state.block_token = None


def forget_problems_from(state: BuildState, token: Token) -> None:
    """Drop the problems found in a doc block that turned out to stand
    inside an expression; it is read again after the syntax error."""
    start = (token.line, token.column)
    state.problems = [p for p in state.problems if (p.span.line, p.span.col) < start]
    state.problem_lines = {p.span.line for p in state.problems}


def close_doc(state: BuildState, end: Span | None = None) -> None:
    """The open doc block ends at ``end`` (its closing "##"), or, cut short,
    after its last line."""
    doc = state.open_doc
    assert doc is not None
    start = doc.span
    if end is not None:
        doc.span = start.cover(end)
    elif doc.lines:
        last = doc.lines[-1]
        doc.span = Span(start.line, start.col, last.line, len(last.raw) + 1)
    state.module.docs.append(doc)
    state.items.append(new_tuple(Item, (doc.span.line, doc.span.col, "doc", doc, None)))
    state.open_doc = None
    state.open_doc_token = None


# --------------------------------------------------------------------------
# Top-level expressions


# a definition's key, as the kind of definition it makes
_KINDS: dict[str, DefinitionKind] = {kind: kind for kind in DEFINITION_KINDS}


def _top_level(state: BuildState, value: JValue) -> None:
    module = state.module
    span = value.span
    if state.too_deep:
        inside = [where for where in state.too_deep if _inside(span, where)]
        # what is not after this expression is done with
        state.too_deep = [w for w in state.too_deep if w >= (span.end_line, span.end_col)]
        if inside:
            state.problem(
                "too-deep",
                Span.at(*inside[0]),
                f"expression nested deeper than {MAX_DEPTH} levels",
            )
            state.items.append(Item(span.line, span.col, "broken"))
            return
    if not isinstance(value, JObject):
        state.problem(
            "top-level-not-object",
            span,
            "top-level expression must be an object",
            anchor_line=span.line,
        )
        state.items.append(Item(span.line, span.col, "broken"))
        return
    keys = value.keys()
    if "include" in keys:
        state.items.append(Item(span.line, span.col, "directive"))
        target = value.get("include")
        if len(value.pairs) != 1:
            state.problem("bad-include", span, "invalid 'include' directive", span.line)
        elif not isinstance(target, JString):
            state.problem("bad-include", span, "value of 'include' must be a string", span.line)
        else:
            module.includes.append(Include(target.value, span, target.span, module))
        return
    if "pragma" in keys:
        state.items.append(Item(span.line, span.col, "directive"))
        _pragma_directive(state, value)
        return
    module.expressions.append(value)
    kind: DefinitionKind | None = None
    for key in keys:  # (a loop, not a generator: one per top-level expression)
        if key in _KINDS:
            kind = _KINDS[key]
            break
    if kind is None:
        state.items.append(new_tuple(Item, (span.line, span.col, "expression", None, None)))
        return
    name_value = value.get(kind)
    assert name_value is not None
    name = name_value.value if isinstance(name_value, JString) else ""
    definition = Definition(kind, name, name_value.span, value, module)
    module.definitions.append(definition)
    state.items.append(new_tuple(Item, (span.line, span.col, "definition", None, definition)))


def _inside(span: Span, where: tuple[int, int]) -> bool:
    return (span.line, span.col) <= where < (span.end_line, span.end_col)


def _pragma_directive(state: BuildState, value: JObject) -> None:
    span = value.span
    pragma = value.get("pragma")
    if len(value.pairs) != 1:
        state.problem("bad-pragma", span, "invalid 'pragma' directive", span.line)
        return
    if not isinstance(pragma, JObject):
        state.problem("bad-pragma", span, "value of 'pragma' must be an object", span.line)
        return
    state.module.pragmas.append(Pragma(pragma, span, state.module))
    for key, item in pragma.pairs:
        expected = PRAGMA_TYPES.get(key.value)
        if expected is None:
            state.problem("unknown-pragma", key.span, f"unknown pragma '{key.value}'", span.line)
        elif expected == "bool" and not isinstance(item, JBool):
            state.problem(
                "pragma-type", item.span, f"pragma '{key.value}' must be boolean", span.line
            )
        elif expected == "list" and not (
            isinstance(item, JList) and all(isinstance(x, JString) for x in item.items)
        ):
            state.problem(
                "pragma-type",
                item.span,
                f"pragma '{key.value}' must be a list of strings",
                span.line,
            )


def pragma_values(pragma: Pragma) -> dict[str, bool | list[str]]:
    """The well-typed, known entries of a pragma directive, by name."""
    values: dict[str, bool | list[str]] = {}
    for key, item in pragma.value.pairs:
        expected = PRAGMA_TYPES.get(key.value)
        if expected == "bool" and isinstance(item, JBool):
            values[key.value] = item.value
        elif (
            expected == "list"
            and isinstance(item, JList)
            and all(isinstance(x, JString) for x in item.items)
        ):
            values[key.value] = [x.value for x in item.items if isinstance(x, JString)]
    return values


# --------------------------------------------------------------------------
# Doc placement


_SYMBOL = regexes.pattern(r"@([^:]*):\s*$")


def _symbol(doc: Doc) -> str | None:
    """The documented definition's name: QEMU's "@NAME:" first line."""
    if doc.symbol is not None:
        return doc.symbol
    if doc.lines:
        found = _SYMBOL.match(doc.lines[0].text)
        if found and found.group(1):
            return found.group(1)
    return None


def _is_definition_doc(doc: Doc) -> bool:
    """Definition docs start "@"; a broken one still is not free-form."""
    return doc.symbol is not None or bool(doc.lines and doc.lines[0].text.startswith("@"))


def place_docs(state: BuildState) -> None:
    """QEMU's rules for what may follow a doc block; attaches docs to the
    definitions they document."""
    items = sorted(state.items, key=itemgetter(0, 1))  # (line, col), no Python call each
    pending: Doc | None = None

    def not_followed(doc: Doc | None) -> None:
        name = _symbol(doc) if doc is not None else None
        if doc is not None and name is not None and id(doc) not in state.unterminated:
            state.problem(
                "doc-placement",
                Span.at(doc.span.line, doc.span.col, 2),
                f"documentation for '{name}' is not followed by the definition",
                doc.span.line,
            )

    for item in items:
        if item.kind == "doc":
            not_followed(pending)
            pending = item.doc
            continue
        if item.kind == "directive":
            not_followed(pending)
        elif item.kind in ("definition", "expression") and pending is not None:
            if not _is_definition_doc(pending):
                state.problem(
                    "doc-placement",
                    Span.at(pending.span.line, pending.span.col, 2),
                    "definition documentation required",
                    pending.span.line,
                )
            elif item.definition is not None:
                item.definition.doc = pending
                pending.definition = item.definition
        pending = None
    not_followed(pending)


BUILDER = Builder()  # the one builder; whoever parses holds qapilint.syntax.parse's lock
