"""The fast path of the parser: a file without syntax errors, read in one loop.

Almost every file qapilint reads is a schema QEMU builds. For those, lark's
general machinery (a lexer object per parser state, a method call and a
position counter per token, the interactive parser kept ready for error
recovery) costs more than the parse itself. This module drives lark's own
LALR table, built from ``grammar.lark``, with one master regex made of the
grammar's own terminals, and calls the same callbacks the full parser calls,
so it builds the same model.

It handles only what a well-formed file holds. At the first character no
terminal matches, the first token the table does not take, or a ``##`` that
does not start a complete doc block, it raises :class:`Fallback`; the caller
then discards what was built and reads the file again with the full parser,
which reports and recovers. The grammar stays the single source of truth:
nothing here knows QAPI's syntax.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from lark import Lark, Token
from lark.parsers.lalr_analysis import Shift

# Terminals only a cut-short doc block produces (read line by line, which
# needs the contextual lexer): their text sends the fast path back.
_FULL_PARSER_ONLY = frozenset({"DOC_DELIM", "DOC_LINE"})
_END = "$END"

_new_token = Token._future_new  # Token() minus its deprecated-keyword check
_Reduction = tuple[int, str, Callable[[list[Any]], Any]]


class Fallback(Exception):
    """The text needs the full parser (it has an error or a cut-short doc)."""


class FastParser:
    """lark's LALR table for ``grammar``, driven by one master regex."""

    def __init__(self, grammar: Lark) -> None:
        terminals = [t for t in grammar.terminals if t.name not in _FULL_PARSER_ONLY]
        # lark's own order of preference among terminals that match at one place
        terminals.sort(
            key=lambda t: (-t.priority, -t.pattern.max_width, -len(t.pattern.value), t.name)
        )
        self.master = re.compile(
            "|".join(f"(?P<{t.name}>{t.pattern.to_regexp()})" for t in terminals)
        )
        self.ignored = frozenset(grammar.lexer_conf.ignore)
        self.token_callbacks: dict[str, Callable[[Token], Token]] = dict(
            grammar.lexer_conf.callbacks
        )
        # lark leaves terminals named "_..." out of what rules receive, and
        # whitespace is dropped: neither needs a token made
        self.filtered = frozenset(
            t.name
            for t in terminals
            if t.name not in self.token_callbacks
            and (t.name.startswith("_") or t.name in self.ignored)
        )
        parser = grammar.parser.parser.parser  # frontend -> LALR_Parser -> _Parser
        table = parser.parse_table
        reductions = {  # rule -> (values it pops, nonterminal it makes, callback)
            rule: (len(rule.expansion), rule.origin.name, callback)
            for rule, callback in parser.callbacks.items()
        }
        # state -> symbol -> action: an int is a shift to that state, a
        # tuple a reduction (symbols are terminal and nonterminal names)
        self.actions: dict[int, dict[str, int | _Reduction]] = {
            state: {
                symbol: target if what is Shift else reductions[target]
                for symbol, (what, target) in row.items()
            }
            for state, row in table.states.items()
        }
        self.start_state: int = table.start_states["start"]
        self.end_state: int = table.end_states["start"]

    def parse(self, text: str) -> None:
        """Feed ``text`` through the table; the callbacks build the model.
        Raises :class:`Fallback` where the full parser is needed."""
        actions = self.actions
        ignored = self.ignored
        filtered = self.filtered
        token_callbacks = self.token_callbacks
        state_stack = [self.start_state]
        value_stack: list[Any] = []
        pos = 0
        line = 1
        line_start = 0  # offset of the current line's first character
        for match in self.master.finditer(text):
            start = match.start()
            if start != pos:  # text no terminal matches
                raise Fallback
            kind: str = match.lastgroup  # type: ignore[assignment]
            value = match.group()
            pos = match.end()
            newlines = value.count("\n")
            if newlines:
                end_line = line + newlines
                end_line_start = start + value.rindex("\n") + 1
            else:
                end_line, end_line_start = line, line_start
            if kind in filtered:
                token = None
            else:
                token = _new_token(
                    kind,
                    value,
                    start,
                    line,
                    start - line_start + 1,
                    end_line,
                    pos - end_line_start + 1,
                    pos,
                )
                callback = token_callbacks.get(kind)
                if callback is not None:
                    token = callback(token)
            line, line_start = end_line, end_line_start
            if kind in ignored:
                continue
            while True:  # reduce as the table says, then shift
                action = actions[state_stack[-1]].get(kind)
                if action is None:
                    raise Fallback
                if action.__class__ is int:
                    state_stack.append(action)  # type: ignore[arg-type]
                    value_stack.append(token)
                    break
                size, origin, reduce = action  # type: ignore[misc]
                if size:
                    values = value_stack[-size:]
                    del state_stack[-size:]
                    del value_stack[-size:]
                else:
                    values = []
                value_stack.append(reduce(values))
                state_stack.append(actions[state_stack[-1]][origin])  # type: ignore[arg-type]
        if pos != len(text):
            raise Fallback
        self._finish(state_stack, value_stack)

    def _finish(self, state_stack: list[int], value_stack: list[Any]) -> None:
        """The end of the input: reduce until the start rule is made."""
        actions = self.actions
        while state_stack[-1] != self.end_state:
            action = actions[state_stack[-1]].get(_END)
            if action is None or action.__class__ is int:
                raise Fallback
            size, origin, reduce = action  # type: ignore[misc]
            values = value_stack[-size:] if size else []
            if size:
                del state_stack[-size:]
                del value_stack[-size:]
            value_stack.append(reduce(values))
            state_stack.append(actions[state_stack[-1]][origin])  # type: ignore[arg-type]
