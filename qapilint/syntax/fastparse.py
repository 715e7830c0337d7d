"""The fast path of the parser: a file without syntax errors, read in one loop.

Almost every file qapilint reads is a schema QEMU builds. For those, lark's
general machinery (a lexer object per parser state, a method call and a
position counter per token, the interactive parser kept ready for error
recovery) and even importing lark cost more than the parse itself. This
module drives the LALR table lark builds from ``grammar.lark`` with one
master regex made of the grammar's own terminals, and calls the same
:class:`~qapilint.syntax.build.Builder` the full parser calls, so it builds the
same model.

The table, the terminals' patterns and what each rule hands its builder
method are plain data, taken from lark once and kept in the user's cache
(:data:`TABLES_NAME`), where they are checked against the grammar text they
were made from; lark is imported only when they are missing or stale, or
when a file needs the full parser.

It reads only what a well-formed file holds. At the first character no
terminal matches, the first token the table does not take, or a ``##`` that
does not start a complete doc block, it raises :class:`Fallback`; the caller
then discards what was built and reads the file again with the full parser
(:mod:`qapilint.syntax.recover`), which reports and recovers. The grammar stays the
single source of truth: nothing here knows QAPI's syntax.
"""

from __future__ import annotations

import marshal
import os
import re
from collections.abc import Callable, Iterable
from typing import Any

from qapilint.files import regexes
from qapilint.files.cachedir import cache_folder, write_atomically
from qapilint.files.records import TupleRecord
from qapilint.syntax.build import Builder
from qapilint.syntax.grammar import grammar_text
from qapilint.syntax.model import new_tuple

FORMAT = 3  # the layout of the tables below; a change makes old caches stale
TABLES_NAME = f"fastparse-tables-{FORMAT}.marshal"
# Terminals only a cut-short doc block produces (read line by line, which
# needs the contextual lexer): their text sends the fast path back.
_FULL_PARSER_ONLY = frozenset({"DOC_DELIM", "DOC_LINE"})
_END = "$END"

# A rule's reduction as data: (values it pops, nonterminal it makes, builder
# method, positions of the values the method receives, whether a single
# received value is passed on as it is, lark's "?rule")
RuleData = tuple[int, str, str, tuple[int, ...], bool]
# (format, grammar text, master pattern, pattern of what is skipped, ignored
# terminals, terminals that need no token, terminals no rule receives, start
# state, end state, state -> symbol -> shift target or rule data)
Tables = tuple[
    int,
    str,
    str,
    str,
    list[str],
    list[str],
    list[str],
    int,
    int,
    dict[int, dict[str, int | RuleData]],
]
# (values it pops off the state stack, values it pops off the value stack,
# nonterminal it makes, what makes the nonterminal's value of those values)
_Reduce = tuple[int, int, str, Callable[[list[Any]], Any]]
# The master pattern's last alternative: any one character no terminal
# matches (lark's terminal names are upper case, so it names none of them).
# The table has no action for it, so the parse hands over right there.
UNMATCHED = "unmatched"


class Fallback(Exception):
    """The text needs the full parser (it has an error or a cut-short doc)."""


class FastToken(TupleRecord):
    """A token as the builder reads it (the attributes of lark's ``Token``
    that :class:`~qapilint.syntax.build.Token` names). A named tuple, made
    with :func:`~qapilint.syntax.model.new_tuple`: no Python call per token."""

    __slots__ = ()

    type: str
    value: str
    line: int
    column: int
    end_line: int
    end_column: int

    def __new__(  # noqa: PLR0917 - one argument a field
        cls, type: str, value: str, line: int, column: int, end_line: int, end_column: int
    ) -> FastToken:
        return tuple.__new__(cls, (type, value, line, column, end_line, end_column))


# --------------------------------------------------------------------------
# The tables: from lark, kept in the user's cache


def tables_from_lark(grammar: str) -> Tables:
    """The fast path's tables, from lark's analysis of ``grammar`` (which
    must be the text :func:`qapilint.syntax.recover.lark_parser` reads)."""
    from lark.parsers.lalr_analysis import Shift  # noqa: PLC0415 - lark only on a cache miss

    from qapilint.syntax.recover import lark_parser  # noqa: PLC0415 - it imports lark

    parser = lark_parser()
    ignored = sorted(str(name) for name in parser.lexer_conf.ignore)
    callbacks = parser.lexer_conf.callbacks
    terminals = [t for t in parser.terminals if t.name not in _FULL_PARSER_ONLY]
    # lark's own order of preference among terminals that match at one place
    terminals.sort(key=lambda t: (-t.priority, -t.pattern.max_width, -len(t.pattern.value), t.name))
    # ignored terminals nobody needs to see (whitespace) are skipped within
    # the match of the token they precede: group 1, matched atomically
    skipped = [t for t in terminals if t.name in ignored and t.name not in callbacks]
    skip = "(?:" + "|".join(t.pattern.to_regexp() for t in skipped) + ")*+" if skipped else ""
    alternatives = "|".join(
        f"(?P<{t.name}>{t.pattern.to_regexp()})" for t in terminals if t not in skipped
    )
    pattern = f"({skip})(?:{alternatives}|(?P<{UNMATCHED}>[\\s\\S]))"
    # lark leaves terminals named "_..." out of what rules receive; ignored
    # ones reach no rule: without a token callback, neither needs a token
    tokenless = sorted(
        str(t.name)
        for t in terminals
        if t.name not in callbacks and (t.name.startswith("_") or t.name in ignored)
    )
    table = parser.parser.parser.parser.parse_table  # frontend -> LALR_Parser -> _Parser
    actions: dict[int, dict[str, int | RuleData]] = {
        state: {
            str(symbol): int(target) if what is Shift else _rule_data(target)
            for symbol, (what, target) in row.items()
        }
        for state, row in table.states.items()
    }
    start, end = int(table.start_states["start"]), int(table.end_states["start"])
    dropped = _dropped_terminals(
        {
            target
            for row in table.states.values()
            for what, target in row.values()
            if what is not Shift
        }
    )
    return (FORMAT, grammar, pattern, skip, ignored, tokenless, dropped, start, end, actions)


def _dropped_terminals(rules: Iterable[Any]) -> list[str]:
    """The terminals no rule passes on to its method (lark filters them
    out of every rule they appear in): the fast path keeps no value for
    them, so a rule's values are the top of its value stack, as they are."""
    kept: set[str] = set()
    dropped: set[str] = set()
    for rule in rules:
        received = _rule_data(rule)[3]
        for index, symbol in enumerate(rule.expansion):
            (kept if index in received else dropped).add(str(symbol.name))
    if kept & dropped:
        raise ValueError(f"terminals {sorted(kept & dropped)} are kept by some rules only")
    return sorted(dropped)


def _rule_data(rule: Any) -> RuleData:
    """What lark's tree builder does on reducing ``rule``, as data: which
    values reach the method named after the rule (or its alias), and
    whether a single one is passed on instead (a "?rule")."""
    options = rule.options
    if options.template_source is not None or any(
        not symbol.is_term and symbol.name.startswith("_") for symbol in rule.expansion
    ):
        raise ValueError(f"rule {rule} uses a lark feature the fast path does not mirror")
    kept = tuple(
        index
        for index, symbol in enumerate(rule.expansion)
        if options.keep_all_tokens or not (symbol.is_term and symbol.filter_out)
    )
    passes_single = bool(options.expand1) and not rule.alias
    name = str(rule.alias or rule.origin.name)  # lark's names may be str subclasses
    return (len(rule.expansion), str(rule.origin.name), name, kept, passes_single)


def fast_parser(builder: Builder) -> FastParser | None:
    """A fast parser calling ``builder``; cached tables that pass the checks
    of :func:`load_tables` but cannot make one are made anew. None when
    lark's analysis cannot be read as this module expects (a lark release
    that moved its internals): every file then takes the full parser, which
    is slower but right (tests/test_fastparse.py fails on it, so it does not
    go unnoticed)."""
    damage = (KeyError, IndexError, TypeError, ValueError, AttributeError, re.error)
    try:
        return FastParser(load_tables(), builder)
    except damage:
        pass
    try:
        return FastParser(load_tables(cached=False), builder)
    except damage:
        return None


def load_tables(*, cached: bool = True) -> Tables:
    """The tables from the cache when they were made from this grammar,
    else (or when not ``cached``) from lark, written to the cache for the
    next run."""
    grammar = grammar_text()
    folder = cache_folder()
    path = os.path.join(folder, TABLES_NAME) if folder is not None else None
    if path is not None and cached:
        try:
            with open(path, "rb") as file:
                # as tables_from_lark made them: the format and grammar below vouch for it
                # (read whole first: marshal.load asks the file for each object's bytes)
                stored: Tables = marshal.loads(file.read())
            if stored[0] == FORMAT and stored[1] == grammar:
                return stored
        except (OSError, EOFError, ValueError, TypeError, IndexError, KeyError):
            pass  # missing, unreadable or corrupt: made anew
    tables = tables_from_lark(grammar)
    if path is not None:
        write_atomically(path, marshal.dumps(tables))
    return tables


# --------------------------------------------------------------------------
# The driver


class FastParser:
    """The tables bound to a builder: ready to read text into its state."""

    def __init__(self, tables: Tables, builder: Builder) -> None:
        _, _, pattern, skip, ignored, tokenless, dropped, start, end, actions = tables
        self.master = regexes.pattern(pattern)
        self.tail = regexes.pattern(skip)  # what may follow the last token
        self.ignored = frozenset(ignored)
        # the unmatched character needs no token either: it is never shifted
        self.tokenless = frozenset([*tokenless, UNMATCHED])
        self.dropped = frozenset(dropped)
        self.builder = builder
        self.token_callbacks = builder.token_callbacks()
        self.start_state = start
        self.end_state = end
        # state -> symbol -> action: an int is a shift to that state, a
        # tuple (see _Reduce) a reduction
        self.actions: dict[int, dict[str, int | _Reduce]] = {
            state: {
                symbol: action if isinstance(action, int) else _reduction(builder, action)
                for symbol, action in row.items()
            }
            for state, row in actions.items()
        }

    def parse(self, text: str) -> None:
        """Feed ``text`` through the table; the callbacks build the model.
        Raises :class:`Fallback` where the full parser is needed."""
        actions = self.actions
        ignored = self.ignored
        tokenless = self.tokenless
        dropped = self.dropped
        token_callbacks = self.token_callbacks
        state = self.start_state  # the top of the state stack
        state_stack = [state]
        value_stack: list[Any] = []  # the values of the symbols rules receive only
        # the state's (its module's lines are the lines of ``text``)
        numbers = self.builder.state.line_numbers
        line = 1
        line_start = 0  # offset of the current line's first character
        counted = 0  # the offset up to which line and line_start are right
        match = None
        # the master pattern matches from each match's end (an unmatched
        # character is a match too), so the matches tile the text up to
        # trailing whitespace
        for match in self.master.finditer(text):
            # every alternative of the master pattern is a named group, so never None
            kind: str = match.lastgroup  # type: ignore[assignment]
            token: Any = None
            if kind not in tokenless:  # positions only for the tokens that carry them
                end = match.end()
                start = match.end(1)  # after the skipped whitespace
                # (most tokens follow the last on its line, and most hold
                # no line end: a look with "in" spares most of them a count)
                if start != counted and "\n" in text[counted:start]:
                    line = numbers[line + text.count("\n", counted, start)]
                    line_start = text.rindex("\n", counted, start) + 1
                value = text[start:end]
                if "\n" in value:
                    end_line = numbers[line + value.count("\n")]
                    end_line_start = start + value.rindex("\n") + 1
                else:
                    end_line, end_line_start = line, line_start
                token = new_tuple(
                    FastToken,
                    (kind, value, line, start - line_start + 1, end_line, end - end_line_start + 1),
                )
                if kind in token_callbacks:  # (no method call for most tokens)
                    token = token_callbacks[kind](token)
                line, line_start, counted = end_line, end_line_start, end
                if kind in ignored:
                    continue
            while True:  # reduce as the table says, then shift
                try:  # (free unless raised; a .get() is a call per action)
                    action = actions[state][kind]
                except KeyError:
                    raise Fallback from None
                if action.__class__ is int:
                    state = action
                    state_stack.append(state)
                    if kind not in dropped:
                        value_stack.append(token)
                    break
                # not an int, so a reduction (mypy narrows no negative "__class__ is")
                size, count, origin, reduce = action  # type: ignore[misc]
                if count:
                    values = value_stack[-count:]
                    del value_stack[-count:]
                else:
                    values = []
                if size:
                    del state_stack[-size:]
                value_stack.append(reduce(values))
                # a nonterminal's entry is always a goto: a state number
                state = actions[state_stack[-1]][origin]  # type: ignore[assignment]
                state_stack.append(state)
        end = 0 if match is None else match.end()  # where the last match ended
        if end != len(text) and self.tail.fullmatch(text, end) is None:
            raise Fallback
        self._finish(state_stack, value_stack)

    def _finish(self, state_stack: list[int], value_stack: list[Any]) -> None:
        """The end of the input: reduce until the start rule is made (the
        reduction :meth:`parse` inlines in its loop, which is hot)."""
        actions = self.actions
        while state_stack[-1] != self.end_state:
            action = actions[state_stack[-1]].get(_END)
            if action is None or action.__class__ is int:
                raise Fallback
            # not an int, so a reduction (mypy narrows no negative "__class__ is")
            size, count, origin, reduce = action  # type: ignore[misc]
            values = value_stack[-count:] if count else []
            if count:
                del value_stack[-count:]
            if size:
                del state_stack[-size:]
            value_stack.append(reduce(values))
            # a nonterminal's entry is always a goto: a state number
            state_stack.append(actions[state_stack[-1]][origin])  # type: ignore[arg-type]


def _reduction(builder: Builder, rule: RuleData) -> _Reduce:
    """A rule's data made a callable over the values it receives (the
    value stack holds no others: see :func:`_dropped_terminals`)."""
    size, origin, name, kept, passes_single = rule
    if passes_single and len(kept) == 1:
        return size, 1, origin, _single
    return size, len(kept), origin, getattr(builder, name)


def _single(values: list[Any]) -> Any:
    """A "?rule" with one value passes it on as it is."""
    return values[0]
