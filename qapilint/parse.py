"""QAPI text -> :class:`~qapilint.model.Module`.

The syntax lives in ``grammar.lark``; lark's LALR parser runs it with an
inline transformer that builds model values directly (no parse tree). Errors
do not stop the parse: each is recorded as a :class:`~qapilint.model.Problem`
and the parser starts afresh at the next line that can begin a top-level item
(a ``{`` or ``#`` in column 1). Doc blocks are cut from the token stream by
lexer callbacks, then checked for placement and handed to
:mod:`qapilint.docparse`.

Problem kinds produced here (rules ``Q1xx`` in ``rules/qemu_parse.py`` turn
them into findings): see :data:`PROBLEM_KINDS`.
"""

from __future__ import annotations

import bisect
import contextlib
import functools
import os
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from importlib import import_module
from pathlib import Path
from typing import Any

from lark import Lark, Token, Transformer, UnexpectedCharacters, UnexpectedInput, UnexpectedToken

from qapilint.fastparse import Fallback, FastParser
from qapilint.model import (
    DEFINITION_KINDS,
    Comment,
    Definition,
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
)

MAX_DEPTH = 64  # QAPI needs a handful of levels; deeper is garbage or an attack
MAX_PROBLEMS = 100  # per file; then one "N more problems" problem
STOP_AFTER = 1000  # syntax problems after which a file is not read any further
MAX_SHOWN = 40  # characters of offending text quoted in a message

PRAGMA_TYPES: dict[str, str] = {
    "doc-required": "bool",
    "command-name-exceptions": "list",
    "command-returns-exceptions": "list",
    "documentation-exceptions": "list",
    "member-name-exceptions": "list",
}

# kind -> what it is about (one rule per kind in rules/qemu_parse.py)
PROBLEM_KINDS: dict[str, str] = {
    "encoding": "the file is not valid UTF-8",
    "bom": "a UTF-8 byte order mark, which QEMU rejects",
    "lexical": "a character or string the lexer rejects",
    "syntax": "a token where the grammar expects another",
    "duplicate-key": "a key given twice in one object",
    "top-level-not-object": "a top-level expression that is not an object",
    "bad-include": "a malformed 'include' directive",
    "bad-pragma": "a malformed 'pragma' directive",
    "unknown-pragma": "a pragma QEMU does not know",
    "pragma-type": "a pragma value of the wrong type",
    "too-deep": "nesting deeper than the depth cap",
    "too-many-problems": "problems beyond the per-file cap",
    "doc-delimiter": "a doc block's '##' lines or '# ' prefixes are malformed",
    "doc-unterminated": "a doc block without its closing '##'",
    "doc-placement": "a doc block not where its kind of doc belongs",
    "include-read": "an include target that cannot be read",
    "include-outside": "an include target outside the tree",
    "include-loop": "an include that includes itself, directly or not",
}

_DOC_START = frozenset({"DOC_BLOCK", "DOC_DELIM"})
_VALUE_TERMINALS = frozenset({"LBRACE", "LSQB", "STRING", "TRUE", "FALSE"})
_EXPECTED_MESSAGES: dict[frozenset[str], str] = {
    frozenset({"STRING", "RBRACE"}): "expected string or '}'",
    frozenset({"STRING"}): "expected string",
    frozenset({"_COLON"}): "expected ':'",
    frozenset({"_COMMA", "RBRACE"}): "expected ',' or '}'",
    frozenset({"_COMMA", "RSQB"}): "expected ',' or ']'",
}
_TERMINAL_TEXT = {
    "LBRACE": "'{'",
    "RBRACE": "'}'",
    "LSQB": "'['",
    "RSQB": "']'",
    "_COLON": "':'",
    "_COMMA": "','",
    "STRING": "string",
    "TRUE": "boolean",
    "FALSE": "boolean",
    "DOC_DELIM": "'##'",
    "DOC_BLOCK": "doc block",
    "DOC_LINE": "'#' line",
    "$END": "end of file",
}
_STRAY = re.compile(r"[^\[\]{}:,\s']+")
# lines where a fresh parse may start after an error
_RESYNC = re.compile(r"^[{#]", re.MULTILINE)


# --------------------------------------------------------------------------
# Per-parse state, filled by the transformer and the lexer callbacks


@dataclass(slots=True)
class _Item:
    """A top-level item in source order, for the doc placement checks."""

    line: int
    col: int
    kind: str  # "doc", "definition", "directive", "expression", "broken"
    doc: Doc | None = None
    definition: Definition | None = None


@dataclass(slots=True)
class _State:
    module: Module
    items: list[_Item] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    open_doc: Doc | None = None
    open_doc_token: Token | None = None  # the "##" token that opened it
    block_token: Token | None = None  # the last whole-block token
    depth: int = 0
    too_deep: list[tuple[int, int]] = field(default_factory=list)
    problem_lines: set[int] = field(default_factory=set)
    unterminated: set[int] = field(default_factory=set)  # id() of docs cut short
    stopped: bool = False  # too many problems: the rest of the file is unread
    parsing: bool = False  # while lark runs (problems past STOP_AFTER stop it)

    def once_per_line(self, kind: str, span: Span, message: str) -> None:
        """Record a lexical-level problem unless its line has one already."""
        if span.line not in self.problem_lines:
            self.problem_lines.add(span.line)
            self.problem(kind, span, message)

    def problem(self, kind: str, span: Span, message: str, anchor_line: int | None = None) -> None:
        self.problems.append(Problem(kind, span, message, anchor_line))
        if self.parsing and len(self.problems) >= STOP_AFTER:
            self.stopped = True
            raise _Stop


class _Stop(Exception):
    """Raised from a parser callback to stop reading a hopeless file."""


def _span(token: Token) -> Span:
    return Span(token.line, token.column, token.end_line, token.end_column)  # type: ignore[arg-type]


def _jstring(token: Token) -> JString:
    return JString(token.value[1:-1].replace("\\\\", "\\"), _span(token))


class _Builder(Transformer[Token, Any]):
    """Inline transformer: lark calls these as it reduces rules."""

    state: _State

    # values ---------------------------------------------------------------

    def string(self, children: list[Token]) -> JString:
        return _jstring(children[0])

    def true(self, children: list[Token]) -> JBool:
        return JBool(True, _span(children[0]))

    def false(self, children: list[Token]) -> JBool:
        return JBool(False, _span(children[0]))

    def pairs(self, children: list[Any]) -> list[tuple[JString, JValue]]:
        """``[key, value]`` for the first member, ``[pairs, key, value]``
        for each further one."""
        if len(children) == 2:
            return [(_jstring(children[0]), children[1])]
        pairs: list[tuple[JString, JValue]] = children[0]
        pairs.append((_jstring(children[1]), children[2]))
        return pairs

    def values(self, children: list[Any]) -> list[JValue]:
        if len(children) == 1:
            return children
        children[0].append(children[1])
        return children[0]  # type: ignore[no-any-return]

    def object(self, children: list[Any]) -> JObject:
        first, last = children[0], children[-1]
        pairs: list[tuple[JString, JValue]] = children[1] if len(children) == 3 else []
        if len(pairs) > 1:
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
        span = Span(first.line, first.column, last.end_line, last.end_column)
        return JObject(pairs, span)

    def array(self, children: list[Any]) -> JList:
        first, last = children[0], children[-1]
        items: list[JValue] = children[1] if len(children) == 3 else []
        return JList(items, Span(first.line, first.column, last.end_line, last.end_column))

    # top level ------------------------------------------------------------

    def top(self, children: list[JValue]) -> None:
        _top_level(self.state, children[0])

    def _nothing(self, children: list[Any]) -> None:
        """Doc blocks are built by the lexer callbacks, items as reduced."""
        return None

    doc = doc_lines = items = start = _nothing

    # lexer callbacks --------------------------------------------------------

    def on_open(self, token: Token) -> Token:
        self.state.depth += 1
        if self.state.depth == MAX_DEPTH + 1:
            self.state.too_deep.append((token.line, token.column))  # type: ignore[arg-type]
        return token

    def on_close(self, token: Token) -> Token:
        self.state.depth = max(0, self.state.depth - 1)
        return token

    def on_comment(self, token: Token) -> Token:
        self.state.module.comments.append(Comment(token.line, token.column, token.value[1:]))  # type: ignore[arg-type]
        return token

    def on_doc_block(self, token: Token) -> Token:
        """A whole doc block in one token: split it into its lines."""
        state = self.state
        line: int = token.line  # type: ignore[assignment]
        pieces = token.value.split("\n")
        _delimiter(state, pieces[0], line, token.column)  # type: ignore[arg-type]
        for number, piece in enumerate(pieces[1:], line + 1):
            comment = piece.lstrip()
            if not comment:
                continue
            col = len(piece) - len(comment) + 1
            if comment.startswith("##"):
                _delimiter(state, comment, number, col)
            else:
                _doc_line(state, comment, number, col)
        state.block_token = token
        return token

    def on_doc_delim(self, token: Token) -> Token:
        opens = self.state.open_doc is None
        _delimiter(self.state, token.value, token.line, token.column)  # type: ignore[arg-type]
        if opens:
            self.state.open_doc_token = token
        return token

    def on_doc_line(self, token: Token) -> Token:
        _doc_line(self.state, token.value, token.line, token.column)  # type: ignore[arg-type]
        return token


def _delimiter(state: _State, value: str, line: int, col: int) -> None:
    """A "##" line: opens a doc block, or closes the open one."""
    span = Span.at(line, col, len(value))
    if state.open_doc is None:
        state.open_doc = Doc(span, [])
        where = "start"
    else:
        _close_doc(state, span)
        where = "end"
    if value != "##":
        state.once_per_line(
            "doc-delimiter", span, f"junk after '##' at {where} of documentation comment"
        )


def _doc_line(state: _State, value: str, line: int, col: int) -> None:
    doc = state.open_doc
    if doc is None:  # cannot happen: the grammar allows doc lines in doc blocks only
        return
    if value == "#":
        text, text_col = "", col + 1
    elif value[1] != " ":
        state.once_per_line(
            "doc-delimiter", Span.at(line, col, len(value)), "missing space after #"
        )
        text, text_col = value[1:], col + 1
    else:
        text, text_col = value[2:], col + 2
    doc.lines.append(DocLine(line, state.module.lines[line - 1], text, text_col))


def _forget_last_doc(state: _State) -> None:
    """Undo the doc block just read (it stood where no doc may be)."""
    doc = state.module.docs.pop()
    state.items = [item for item in state.items if item.doc is not doc]
    state.block_token = None


def _forget_problems_from(state: _State, token: Token) -> None:
    """Drop the problems found in a doc block that turned out to stand
    inside an expression; it is read again after the syntax error."""
    start = (token.line, token.column)
    state.problems = [p for p in state.problems if (p.span.line, p.span.col) < start]
    state.problem_lines = {p.span.line for p in state.problems}


def _close_doc(state: _State, end: Span | None = None) -> None:
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
    state.items.append(_Item(doc.span.line, doc.span.col, "doc", doc=doc))
    state.open_doc = None
    state.open_doc_token = None


# --------------------------------------------------------------------------
# Top-level expressions


def _top_level(state: _State, value: JValue) -> None:
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
            state.items.append(_Item(span.line, span.col, "broken"))
            return
    if not isinstance(value, JObject):
        state.problem(
            "top-level-not-object",
            span,
            "top-level expression must be an object",
            anchor_line=span.line,
        )
        state.items.append(_Item(span.line, span.col, "broken"))
        return
    keys = value.keys()
    if "include" in keys:
        state.items.append(_Item(span.line, span.col, "directive"))
        target = value.get("include")
        if len(value.pairs) != 1:
            state.problem("bad-include", span, "invalid 'include' directive", span.line)
        elif not isinstance(target, JString):
            state.problem("bad-include", span, "value of 'include' must be a string", span.line)
        else:
            module.includes.append(Include(target.value, span, target.span, module))
        return
    if "pragma" in keys:
        state.items.append(_Item(span.line, span.col, "directive"))
        _pragma_directive(state, value)
        return
    module.expressions.append(value)
    kind = next((key for key in keys if key in DEFINITION_KINDS), None)
    if kind is None:
        state.items.append(_Item(span.line, span.col, "expression"))
        return
    name_value = value.get(kind)
    assert name_value is not None
    name = name_value.value if isinstance(name_value, JString) else ""
    definition = Definition(kind, name, name_value.span, value, module)  # type: ignore[arg-type]
    module.definitions.append(definition)
    state.items.append(_Item(span.line, span.col, "definition", definition=definition))


def _inside(span: Span, where: tuple[int, int]) -> bool:
    return (span.line, span.col) <= where < (span.end_line, span.end_col)


def _pragma_directive(state: _State, value: JObject) -> None:
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
# The parser object (built once; lark caches the grammar analysis)


_BUILDER = _Builder()
_PARSER: Lark | None = None
_LOCK = threading.Lock()  # one parse at a time: the builder holds its state


def _cache_path() -> str | bool:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = os.path.join(base, "qapilint")
    try:
        os.makedirs(folder, exist_ok=True)
    except OSError:
        return False
    if not os.access(folder, os.W_OK):
        return False
    import lark  # noqa: PLC0415 - only for its version

    return os.path.join(folder, f"grammar-lark{lark.__version__}.cache")


@functools.cache
def _fast_parser() -> FastParser:
    return FastParser(_parser())


def _parser() -> Lark:
    global _PARSER  # noqa: PLW0603 - one parser per process
    if _PARSER is None:
        grammar = Path(__file__).with_name("grammar.lark").read_text("utf-8")
        callbacks: dict[str, Callable[[Token], Token]] = {
            "LBRACE": _BUILDER.on_open,
            "LSQB": _BUILDER.on_open,
            "RBRACE": _BUILDER.on_close,
            "RSQB": _BUILDER.on_close,
            "COMMENT": _BUILDER.on_comment,
            "DOC_BLOCK": _BUILDER.on_doc_block,
            "DOC_DELIM": _BUILDER.on_doc_delim,
            "DOC_LINE": _BUILDER.on_doc_line,
        }
        options: dict[str, Any] = {
            "parser": "lalr",
            "lexer": "contextual",
            "transformer": _BUILDER,
            "lexer_callbacks": callbacks,
            "maybe_placeholders": False,
        }
        try:
            _PARSER = Lark(grammar, cache=_cache_path(), **options)
        except Exception:  # a corrupt or unreadable cache must not matter
            _PARSER = Lark(grammar, **options)
    return _PARSER


# --------------------------------------------------------------------------
# Errors and recovery


class _Recovery:
    """lark's ``on_error`` hook: record a problem, then restart the parser
    at the next line where a top-level item can begin."""

    def __init__(self, state: _State, text: str, line_starts: list[int]) -> None:
        self.state = state
        self.text = text
        self.line_starts = line_starts

    def __call__(self, error: UnexpectedInput) -> bool:
        state = self.state
        text = self.text
        restart_at: int | None = None  # where to restart, when not at a resync line
        accepts = _accepts(error)
        if "$END" in accepts:
            _flush(error)  # a complete top-level item precedes the error: keep it
        if isinstance(error, UnexpectedToken):
            token = error.token
            end = token.type == "$END"
            offset: int = _eof_offset(text) if end else token.start_pos  # type: ignore[assignment]
            line, col = self.position(offset)
            first_on_line = not text[self.line_starts[line - 1] : offset].strip()
            if state.open_doc is not None and state.open_doc_token is token:
                # a "##" where an expression continues: forget the doc it opened
                state.open_doc = None
                state.open_doc_token = None
                _forget_problems_from(state, token)
            if token is state.block_token:  # the same, for a whole doc block
                _forget_last_doc(state)
                _forget_problems_from(state, token)
            if state.open_doc is not None:
                state.unterminated.add(id(state.open_doc))
                _close_doc(state)
                self.report(
                    "doc-unterminated",
                    Span.at(line, col),
                    "documentation comment must end with '##'",
                )
                if not end and first_on_line:
                    restart_at = offset  # the doc is over; the expression may be fine
            else:
                self.report("syntax", self.token_span(token, line, col), _expected(accepts, token))
                state.items.append(_Item(line, col, "broken"))
                if first_on_line and (
                    (token.type == "LBRACE" and col == 1) or token.type in _DOC_START
                ):
                    restart_at = offset  # the previous expression lacks its end
            if end:
                restart_at = len(text)
        elif isinstance(error, UnexpectedCharacters):
            offset = error.pos_in_stream
            line, col = self.position(offset)
            if state.open_doc is not None:
                state.unterminated.add(id(state.open_doc))
                _close_doc(state)
            message, length = _lexical(text, offset)
            self.report("lexical", Span.at(line, col, length), message)
            state.items.append(_Item(line, col, "broken"))
        else:  # pragma: no cover - lark raises no other kind here
            return False
        if restart_at is None:
            restart_at = self.resync(line + 1)
        self.restart(restart_at, error)
        return True

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect.bisect_right(self.line_starts, offset)
        return line, offset - self.line_starts[line - 1] + 1

    def token_span(self, token: Token, line: int, col: int) -> Span:
        if token.type == "$END":
            return Span.at(line, col)
        length = len(token.value) if token.end_line == token.line else 1
        return Span.at(line, col, max(1, min(length, MAX_SHOWN)))

    def report(self, kind: str, span: Span, message: str) -> None:
        self.state.once_per_line(kind, span, message)

    def resync(self, line: int) -> int:
        """Offset of the first line at or after ``line`` that may start a
        top-level item: "{" or "#" in column 1."""
        if line - 1 >= len(self.line_starts):
            return len(self.text)
        found = _RESYNC.search(self.text, self.line_starts[line - 1])
        return found.start() if found else len(self.text)

    def restart(self, offset: int, error: UnexpectedInput) -> None:
        """Reset the parser to its start state and the lexer to ``offset``."""
        self.state.depth = 0
        interactive = error.interactive_parser
        parser_state = interactive.parser_state
        del parser_state.state_stack[1:]
        del parser_state.value_stack[:]
        counter = interactive.lexer_thread.state.line_ctr
        line = bisect.bisect_right(self.line_starts, offset)
        counter.char_pos = offset
        counter.line = line
        counter.line_start_pos = self.line_starts[line - 1]
        counter.column = offset - counter.line_start_pos + 1


def _eof_offset(text: str) -> int:
    """Where QEMU reports an unexpected end of file: the final line end."""
    if text.endswith("\n"):
        return len(text) - 1
    return len(text)


def _accepts(error: UnexpectedInput) -> frozenset[str]:
    """The terminals the parser would take where the error is: exact, unlike
    the LALR table's merged lookaheads in ``error.expected``."""
    try:
        return frozenset(error.interactive_parser.accepts())
    except Exception:
        return frozenset(getattr(error, "expected", None) or getattr(error, "allowed", ()))


def _flush(error: UnexpectedInput) -> None:
    """End the input before the error, so that the complete top-level
    items on the parser's stack are reduced (and recorded)."""
    with contextlib.suppress(UnexpectedInput):
        error.interactive_parser.feed_eof()


def _expected(expected: frozenset[str], token: Token) -> str:
    if expected >= _VALUE_TERMINALS:
        if "RSQB" in expected:
            return "expected '{', '[', ']', string, or boolean"
        return "expected '{', '[', string, or boolean"
    known = _EXPECTED_MESSAGES.get(expected)
    if known:
        return known
    names = sorted({_TERMINAL_TEXT.get(name, name) for name in expected})
    if not names:
        return f"unexpected {_TERMINAL_TEXT.get(token.type, token.type)}"
    if len(names) == 1:
        return f"expected {names[0]}"
    return "expected " + ", ".join(names[:-1]) + f" or {names[-1]}"


def _lexical(text: str, offset: int) -> tuple[str, int]:
    """QEMU's message for the text at ``offset`` the lexer cannot take,
    and how many characters it covers."""
    if text[offset] == "'":
        index = _string_body().match(text, offset + 1).end()  # type: ignore[union-attr]
        char = text[index : index + 1]
        if char == "\\":
            char = text[index + 1 : index + 2]
            if char not in ("", "\n"):
                return f"unknown escape \\{_shown(char)}", index - offset + 2
        elif char not in ("", "\n", "'"):
            return "funny character in string", index - offset + 1
        return 'missing terminating "\'"', index - offset
    found = _STRAY.match(text, offset)
    stray = found.group(0) if found else text[offset]
    return f"stray '{_shown(stray)}'", min(len(stray), MAX_SHOWN)


@functools.cache
def _string_body() -> re.Pattern[str]:
    """What may stand between a string's quotes: the grammar's STRING
    terminal without its quotes."""
    pattern = _parser().get_terminal("STRING").pattern.to_regexp()
    assert pattern.startswith("'") and pattern.endswith("'")
    return re.compile(pattern[1:-1])


def _shown(text: str) -> str:
    """Offending text fit for a one-line message."""
    if len(text) > MAX_SHOWN:
        text = text[:MAX_SHOWN] + "..."
    return "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in text)


# --------------------------------------------------------------------------
# Doc placement


def _read_doc_function() -> Callable[[Doc, list[Problem]], None] | None:
    try:
        docparse = import_module("qapilint.docparse")
    except ModuleNotFoundError as error:  # not written yet: doc blocks stay unread
        if error.name != "qapilint.docparse":
            raise
        return None
    return getattr(docparse, "read_doc", None)


_SYMBOL = re.compile(r"@([^:]*):\s*$")


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


def _place_docs(state: _State) -> None:
    """QEMU's rules for what may follow a doc block; attaches docs to the
    definitions they document."""
    items = sorted(state.items, key=lambda item: (item.line, item.col))
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


# --------------------------------------------------------------------------
# Entry point


def decode(path: Path, data: str | bytes) -> tuple[str, bool, Problem | None]:
    """Text of ``data`` without BOM, whether it had one, and a problem when
    it is not valid UTF-8 (the text then has U+FFFD in place of bad bytes)."""
    problem = None
    if isinstance(data, bytes):
        bom = data.startswith(b"\xef\xbb\xbf")
        if bom:
            data = data[3:]
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            good = data[: error.start].decode("utf-8", errors="replace")
            line = good.count("\n") + 1
            col = len(good) - (good.rfind("\n") + 1) + 1
            problem = Problem(
                "encoding",
                Span.at(line, col),
                f"invalid UTF-8 (byte 0x{data[error.start]:02x}); QAPI schemas are UTF-8",
            )
            text = data.decode("utf-8", errors="replace")
        return text, bom, problem
    if data.startswith("\ufeff"):
        return data[1:], True, None
    return data, False, None


def _run_parser(new_state: Callable[[], _State], text: str, fast: bool) -> _State:
    """A state whose module is built from ``text``: by the fast path when it
    can read the file, else by lark's full parser with error recovery (on a
    new state: what the fast path built is dropped)."""
    state = _BUILDER.state = new_state()
    state.parsing = True
    try:
        if fast:
            try:
                _fast_parser().parse(text)
                return state
            except Fallback:
                state = _BUILDER.state = new_state()
                state.parsing = True
        line_starts = [0]
        line_starts.extend(m.end() for m in re.finditer("\n", text))
        _parser().parse(text, on_error=_Recovery(state, text, line_starts))
    except _Stop:
        pass
    except UnexpectedInput as error:  # lark's own loop guard gave up
        if not state.problems:
            line, col = getattr(error, "line", 1), getattr(error, "column", 1)
            state.problem("syntax", Span.at(max(1, line), max(1, col)), "cannot parse")
    finally:
        state.parsing = False
    return state


def _universal_newlines(text: str) -> tuple[str, str]:
    """Line ends as QEMU's reader sees them ("\\r\\n" and a lone "\\r" end a
    line), and the file's own line end for writing it back."""
    if "\r" not in text:
        return text, "\n"
    newline = "\r\n" if "\r\n" in text else "\r" if "\n" not in text else "\n"
    return text.replace("\r\n", "\n").replace("\r", "\n"), newline


def parse_module(path: Path, text: str | bytes, *, fast: bool = True) -> Module:
    """Parse one QAPI file; never raises on bad input (problems instead).

    ``fast=False`` skips the fast path (:mod:`qapilint.fastparse`); the
    result is the same, which the tests check."""
    decoded, bom, encoding_problem = decode(path, text)
    decoded, newline = _universal_newlines(decoded)
    lines = decoded.split("\n")

    def new_state() -> _State:
        module = Module(path=path, text=decoded, lines=lines, newline=newline, bom=bom)
        state = _State(module)
        if encoding_problem is not None:
            state.problems.append(encoding_problem)
        if bom:
            state.problem(
                "bom",
                Span.at(1, 1),
                "UTF-8 byte order mark at the start of the file"
                " (QEMU reads it as a stray character)",
            )
        return state

    with _LOCK:
        state = _run_parser(new_state, decoded, fast)
    module = state.module
    if state.open_doc is not None:  # only when lark stopped early
        _close_doc(state)
    read_doc = _read_doc_function()
    for doc in module.docs:
        if read_doc is not None:
            read_doc(doc, state.problems)
        elif doc.symbol is None:
            symbol = _symbol(doc)
            if symbol is not None:
                doc.symbol = symbol
                first = doc.lines[0]
                doc.symbol_span = Span.at(first.line, first.col + 1, len(symbol))
    _place_docs(state)
    module.problems = _capped(state.problems, state.stopped)
    return module


def _capped(problems: list[Problem], stopped: bool) -> list[Problem]:
    problems = sorted(problems, key=lambda problem: (problem.span.line, problem.span.col))
    if len(problems) <= MAX_PROBLEMS:
        return problems
    shown = problems[:MAX_PROBLEMS]
    rest = len(problems) - MAX_PROBLEMS
    last = problems[-1].span
    message = f"{rest} more problems not shown"
    if stopped:
        message += f"; stopped reading after line {last.line}"
    shown.append(Problem("too-many-problems", Span.at(last.line, last.col), message))
    return shown
