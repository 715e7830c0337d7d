"""The helpers that make the model cheap to build: named tuples made
without their Python ``__new__``, a module renamed without a second parse,
and the fast path's value stack that holds only what rules receive."""

from __future__ import annotations

from pathlib import Path
from types import SimpleNamespace

import pytest

from qapilint.syntax import fastparse
from qapilint.syntax.build import line_numbers
from qapilint.syntax.model import DocLine, JList, Module, Span, TextLine, new_tuple
from qapilint.syntax.parse import parse_module

SCHEMA = "##\n# @x:\n#\n# Text.\n##\n{ 'command': 'x', 'data': { 'a': 'int' } }\n# c\n"


def test_new_tuple_makes_the_same_value_as_the_class() -> None:
    made = new_tuple(Span, (3, 4, 5, 6))
    assert type(made) is Span and made == Span(3, 4, 5, 6)
    assert (made.line, made.col, made.end_line, made.end_col) == (3, 4, 5, 6)
    line = new_tuple(DocLine, (2, "# a", "a", 3))
    assert line == DocLine(2, "# a", "a", 3) and line.text == "a" and line.col == 3
    assert new_tuple(TextLine, (1, 3, "t")).text == "t"


def test_span_constructors_make_spans() -> None:
    assert type(Span.at(2, 5, 3)) is Span and Span.at(2, 5, 3) == Span(2, 5, 2, 8)
    assert Span.whole_line(4, "abc") == Span(4, 1, 4, 4)
    covered = Span(3, 2, 3, 9).cover(Span(1, 7, 2, 1))
    assert type(covered) is Span and covered == Span(1, 7, 3, 9)


def test_a_renamed_module_shares_the_parse_under_another_path() -> None:
    module = parse_module(Path("a.json"), SCHEMA)
    renamed = module.renamed(Path("b/a.json"))
    assert renamed is not module and renamed.path == Path("b/a.json")
    assert module.path == Path("a.json")
    for name in Module.__slots__:
        if name != "path":
            assert getattr(renamed, name) is getattr(module, name), name
    assert [d.name for d in renamed.definitions] == ["x"] and renamed.docs[0].definition


def test_a_module_holds_its_text_once_and_makes_lines_when_read() -> None:
    module = parse_module(Path("a.json"), b"{ 'enum': 'E' }\r\n# c\r\n")
    assert module.text == "{ 'enum': 'E' }\n# c\n"
    assert module._lines is None  # a parse keeps no lines beside its text
    assert module.lines == ["{ 'enum': 'E' }", "# c", ""]
    assert module.lines is module.lines  # made once, then kept
    module.forget_lines()
    assert module._lines is None
    assert module.lines == ["{ 'enum': 'E' }", "# c", ""]
    assert parse_module(Path("a.json"), SCHEMA).text == SCHEMA


def test_a_module_made_from_lines_has_their_text() -> None:
    module = Module(Path("a.json"), ["a", "", "b"])
    assert module.text == "a\n\nb"
    module.forget_lines()
    assert module.lines == ["a", "", "b"]
    assert Module(Path("e.json")).lines == [""]


def test_line_numbers_past_256_are_one_int_object_each() -> None:
    # a doc block and a definition on lines 301 to 305 (past the ints
    # Python itself shares), read by the fast path and by the full parser
    text = "\n" * 300 + "##\n# @x:\n##\n{ 'command': 'x',\n  'data': { 'a': 'int' } }\n"
    for fast in (True, False):
        module = parse_module(Path("a.json"), text, fast=fast)
        (doc,) = module.docs
        (definition,) = module.definitions
        first = doc.lines[0].line
        assert first == 302 and first is line_numbers(0)[302]
        assert definition.name_span.line is definition.expr.span.line
        if fast:  # lark makes the ints of its tokens itself
            assert definition.name_span.line is line_numbers(0)[304]
            (_, member), *_ = definition.expr.pairs[1:]
            assert member.span.line is line_numbers(0)[305]


def test_line_numbers_grow_to_the_longest_file() -> None:
    numbers = line_numbers(5000)
    assert len(numbers) > 5000 and numbers[4999] == 4999
    assert line_numbers(10) is numbers


def _slots_set(made: object) -> list[str]:
    """The slots of ``made``'s class that hold a value."""
    slots = [name for name in type(made).__slots__ if name != "__weakref__"]
    return [name for name in slots if hasattr(made, name)]


def test_values_and_sections_made_without_init_have_every_field() -> None:
    # the parser sets their fields itself (new_object): none may be missed
    text = "##\n# @x:\n#\n# @a: an a\n#\n# Since: 1.0\n##\n{ 'command': 'x', 'data': ['a', {}] }\n"
    for fast in (True, False):
        module = parse_module(Path("a.json"), text, fast=fast)
        expr = module.definitions[0].expr
        data = expr.get("data")
        assert isinstance(data, JList)
        string, empty = data.items
        made: list[object] = [expr, data, string, empty, expr.pairs[0][0]]
        made += module.docs[0].sections
        assert [type(m).__name__ for m in made] == [
            "JObject", "JList", "JString", "JObject", "JString",
            "Section", "Section", "Section",
        ]  # fmt: skip
        for value in made:
            assert _slots_set(value) == [n for n in type(value).__slots__ if n != "__weakref__"]


def _symbol(name: str, *, is_term: bool = True) -> SimpleNamespace:
    return SimpleNamespace(name=name, is_term=is_term, filter_out=name.startswith("_"))


def _rule(origin: str, *symbols: SimpleNamespace) -> SimpleNamespace:
    options = SimpleNamespace(template_source=None, keep_all_tokens=False, expand1=False)
    return SimpleNamespace(
        expansion=list(symbols), options=options, alias=None, origin=SimpleNamespace(name=origin)
    )


def test_dropped_terminals_are_those_no_rule_receives() -> None:
    pairs = _rule("pairs", _symbol("STRING"), _symbol("_COLON"), _symbol("value", is_term=False))
    values = _rule("values", _symbol("values", is_term=False), _symbol("_COMMA"))
    assert fastparse._dropped_terminals([pairs, values]) == ["_COLON", "_COMMA"]


def test_a_terminal_kept_by_one_rule_and_dropped_by_another_is_refused() -> None:
    dropping = _rule("a", _symbol("_X"))
    keeping = _rule("b", _symbol("_X"))
    keeping.options.keep_all_tokens = True
    with pytest.raises(ValueError, match="_X"):
        fastparse._dropped_terminals([dropping, keeping])


def test_the_grammar_drops_only_underscore_terminals() -> None:
    """lark filters "_NAME" terminals out of what rules receive: exactly
    those leave no value on the fast path's stack."""
    tables = fastparse.load_tables()
    dropped = tables[6]
    assert dropped and all(name.startswith("_") for name in dropped)
    assert fastparse._single(["first", "second"]) == "first"
