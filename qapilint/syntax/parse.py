"""QAPI text -> :class:`~qapilint.syntax.model.Module`.

The syntax lives in ``grammar.lark``. A file is read by the fast path
(:mod:`qapilint.syntax.fastparse`) when it has no syntax error, else by lark's
full parser with error recovery (:mod:`qapilint.syntax.recover`); both call the
same builder (:mod:`qapilint.syntax.build`), which makes model values directly
(no parse tree) and cuts doc blocks from the token stream. The doc blocks
are then read by :mod:`qapilint.syntax.docparse` and attached to definitions.
Errors do not stop the parse: each is recorded as a
:class:`~qapilint.syntax.model.Problem`.

Problem kinds produced here (rules ``Q1xx`` in ``rules/q_parse.py`` turn
them into findings): see :data:`PROBLEM_KINDS`.
"""

from __future__ import annotations

import _thread
import contextlib
import functools
from collections.abc import Callable
from pathlib import Path

from qapilint.files.text import DecodedText
from qapilint.files.text import decode as decode_text
from qapilint.syntax.build import (
    BUILDER,
    MAX_DEPTH,
    BuildState,
    Stop,
    close_doc,
    done_with_module,
    place_docs,
    pragma_values,
    sharing_strings,
)
from qapilint.syntax.docparse import read_doc
from qapilint.syntax.fastparse import Fallback, FastParser, fast_parser
from qapilint.syntax.lazylines import unmake_doc
from qapilint.syntax.model import Module, Problem, Span

__all__ = [
    "MAX_DEPTH",
    "MAX_PROBLEMS",
    "PROBLEM_KINDS",
    "parse_module",
    "pragma_values",
    "sharing_strings",
]

MAX_PROBLEMS = 100  # per file; then one "N more problems" problem
# one parse at a time: the builder holds its state (the lock threading.Lock
# makes, without importing all of threading into a check)
_LOCK = _thread.allocate_lock()

# kind -> what it is about (one rule per kind in rules/q_parse.py)
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


# --------------------------------------------------------------------------
# Entry point


def decode(path: Path, data: str | bytes) -> tuple[DecodedText, Problem | None]:
    """Text of ``data`` (see :func:`qapilint.files.text.decode`) and a
    problem when it is not valid UTF-8 (the text then has U+FFFD in place of
    bad bytes)."""
    decoded = decode_text(data)
    if decoded.bad_byte is None:
        return decoded, None
    line, col, byte = decoded.bad_byte
    message = f"invalid UTF-8 (byte 0x{byte:02x}); QAPI schemas are UTF-8"
    return decoded, Problem("encoding", Span.at(line, col), message)


def _run_parser(new_state: Callable[[], BuildState], text: str, fast: bool) -> BuildState:
    """A state whose module is built from ``text``: by the fast path when it
    can read the file, else by lark's full parser with error recovery (on a
    new state: what the fast path built is dropped)."""
    state = new_state()
    fast_path = _fast_parser() if fast else None
    if fast_path is not None:
        BUILDER.state = state
        state.parsing = True
        try:
            fast_path.parse(text)
            return state
        except Stop:
            return state
        except Fallback:
            state = new_state()
        finally:
            state.parsing = False
    from qapilint.syntax import recover  # noqa: PLC0415 - lark is imported only when needed

    recover.run(state, text)
    return state


@functools.cache
def _fast_parser() -> FastParser | None:
    return fast_parser(BUILDER)


def parse_module(path: Path, text: str | bytes, *, fast: bool = True) -> Module:
    """Parse one QAPI file; never raises on bad input (problems instead).

    ``fast=False`` skips the fast path (:mod:`qapilint.syntax.fastparse`); the
    result is the same, which the tests check."""
    decoded_text, encoding_problem = decode(path, text)
    decoded, newline, bom = decoded_text.text, decoded_text.newline, decoded_text.bom
    lines = decoded.split("\n")  # the builder reads them; dropped after

    def new_state() -> BuildState:
        module = Module(path, lines, newline, bom, text=decoded)
        state = BuildState(module)
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
        with contextlib.suppress(AttributeError):
            del BUILDER.state  # it keeps no module (and its docs) between parses
    module = state.module
    if state.open_doc is not None:  # only when lark stopped early
        close_doc(state)
    for doc in module.docs:
        read_doc(doc, state.problems)
    place_docs(state)
    for doc in module.docs:
        # made again when a rule reads them (qapilint.syntax.lazylines)
        unmake_doc(doc)
    module.problems = _capped(state.problems, state.stopped)
    module.forget_lines()  # made again from its text when read
    done_with_module()
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
