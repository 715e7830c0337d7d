"""The full parser: lark's LALR parser with error recovery.

Reads any text, however broken. Each error is recorded as a
:class:`~qapilint.syntax.model.Problem` and the parser starts afresh at the next
line that can begin a top-level item (a ``{`` or ``#`` in column 1), so
three independent errors give three problems. The fast path
(:mod:`qapilint.syntax.fastparse`) hands every file it cannot read to :func:`run`.
"""

from __future__ import annotations

import bisect
import contextlib
import functools
import os
import re
from typing import Any

from lark import Lark, Token, UnexpectedCharacters, UnexpectedInput, UnexpectedToken
from lark import __version__ as lark_version

from qapilint.files import regexes
from qapilint.files.cachedir import cache_folder
from qapilint.syntax.build import (
    BUILDER,
    BuildState,
    Item,
    Stop,
    close_doc,
    forget_last_doc,
    forget_problems_from,
)
from qapilint.syntax.grammar import grammar_text
from qapilint.syntax.model import Span

MAX_SHOWN = 40  # characters of offending text quoted in a message

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
_STRAY = regexes.pattern(r"[^\[\]{}:,\s']+")
# lines where a fresh parse may start after an error
_RESYNC = regexes.pattern(r"^[{#]", re.MULTILINE)


# --------------------------------------------------------------------------
# The parser object (built once; lark caches the grammar analysis)


@functools.cache
def lark_parser() -> Lark:
    """lark's parser for ``grammar.lark``, calling :data:`BUILDER`."""
    options: dict[str, Any] = {
        "parser": "lalr",
        "lexer": "contextual",
        "transformer": BUILDER,
        "lexer_callbacks": BUILDER.token_callbacks(),
        "maybe_placeholders": False,
    }
    grammar = grammar_text()
    folder = cache_folder()
    if folder is not None:
        cache = os.path.join(folder, f"grammar-lark{lark_version}.cache")
        try:
            return Lark(grammar, cache=cache, **options)
        except Exception:  # a corrupt or unreadable cache must not matter
            pass
    return Lark(grammar, **options)


def run(state: BuildState, text: str) -> None:
    """Read ``text`` into ``state`` (whose module it builds), recovering
    from every error. The caller holds the lock that guards :data:`BUILDER`."""
    BUILDER.state = state
    state.parsing = True
    line_starts = [0]
    line_starts.extend(m.end() for m in re.finditer("\n", text))
    try:
        lark_parser().parse(text, on_error=Recovery(state, text, line_starts))
    except Stop:
        pass
    except UnexpectedInput as error:  # lark's own loop guard gave up
        if not state.problems:
            line, col = getattr(error, "line", 1), getattr(error, "column", 1)
            state.problem("syntax", Span.at(max(1, line), max(1, col)), "cannot parse")
    finally:
        state.parsing = False


# --------------------------------------------------------------------------
# Errors and recovery


class Recovery:
    """lark's ``on_error`` hook: record a problem, then restart the parser
    at the next line where a top-level item can begin."""

    def __init__(self, state: BuildState, text: str, line_starts: list[int]) -> None:
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
            token: Token = error.token
            end = token.type == "$END"
            offset = _eof_offset(text) if end else _start(token)
            line, col = self.position(offset)
            first_on_line = not text[self.line_starts[line - 1] : offset].strip()
            # the builder holds the tokens lark handed it typed as its own
            # Token (positions known); compared by identity, as the objects
            # they are, with the token lark stopped at
            stopped_at: object = token
            opened = state.open_doc_token
            if state.open_doc is not None and opened is not None and opened is stopped_at:
                # a "##" where an expression continues: forget the doc it opened
                state.open_doc = None
                state.open_doc_token = None
                forget_problems_from(state, opened)
            block = state.block_token
            if block is not None and block is stopped_at:  # the same, for a whole doc block
                forget_last_doc(state)
                forget_problems_from(state, block)
            if state.open_doc is not None:
                state.unterminated.add(id(state.open_doc))
                close_doc(state)
                self.report(
                    "doc-unterminated",
                    Span.at(line, col),
                    "documentation comment must end with '##'",
                )
                if not end and first_on_line:
                    restart_at = offset  # the doc is over; the expression may be fine
            else:
                self.report("syntax", self.token_span(token, line, col), _expected(accepts, token))
                state.items.append(Item(line, col, "broken"))
                if first_on_line and (
                    (token.type == "LBRACE" and col == 1) or token.type in _DOC_START
                ):
                    restart_at = offset  # the previous expression lacks its end
            if end:
                restart_at = len(text)
        elif isinstance(error, UnexpectedCharacters):
            offset = _lexer_position(error)
            line, col = self.position(offset)
            if state.open_doc is not None:
                state.unterminated.add(id(state.open_doc))
                close_doc(state)
            message, length = _lexical(text, offset)
            self.report("lexical", Span.at(line, col, length), message)
            state.items.append(Item(line, col, "broken"))
        else:  # pragma: no cover - lark raises no other kind here
            return False
        if restart_at is None:
            restart_at = self.resync(line + 1)
        elif restart_at == offset:
            # the token that showed the error starts a new item: that item's
            # own errors on this line are not the same error again
            state.problem_lines.discard(line)
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
        lexer_state = interactive.lexer_thread.state
        assert lexer_state is not None  # lark parses text through a lexer state it made
        counter = lexer_state.line_ctr
        line = bisect.bisect_right(self.line_starts, offset)
        counter.char_pos = offset
        counter.line = line
        counter.line_start_pos = self.line_starts[line - 1]
        counter.column = offset - counter.line_start_pos + 1


def _start(token: Token) -> int:
    """Where a token lark's lexer read starts (lark's ``Token`` types the
    position optional: a token made by hand has none)."""
    assert token.start_pos is not None
    return token.start_pos


def _lexer_position(error: UnexpectedCharacters) -> int:
    """Where the lexer stopped: lark sets ``pos_in_stream`` of an
    ``UnexpectedCharacters`` to the lexer's position, but declares it
    (on ``UnexpectedInput``) as ``None``."""
    position: int | None = error.pos_in_stream
    assert position is not None
    return position


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
        return frozenset(getattr(error, "expected", None) or getattr(error, "allowed", None) or ())


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
        body = _string_body().match(text, offset + 1)
        assert body is not None  # the pattern matches the empty string too
        index = body.end()
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
    pattern = lark_parser().get_terminal("STRING").pattern.to_regexp()
    assert pattern.startswith("'") and pattern.endswith("'")
    return regexes.pattern(pattern[1:-1])


def _shown(text: str) -> str:
    """Offending text fit for a one-line message."""
    if len(text) > MAX_SHOWN:
        text = text[:MAX_SHOWN] + "..."
    return "".join(c if c.isprintable() else f"\\x{ord(c):02x}" for c in text)
