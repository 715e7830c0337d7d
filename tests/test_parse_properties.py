"""Properties of parse_module on generated input: what it prints it reads
back, spans point at the source, and no input makes it raise."""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qapilint.syntax.model import JBool, JList, JString, JValue, Module, Span
from qapilint.syntax.parse import MAX_PROBLEMS, parse_module

# printable ASCII but the quote; QAPI's only escape is a doubled backslash
TEXT = st.text(
    alphabet=st.characters(min_codepoint=32, max_codepoint=126, exclude_characters="'"),
    max_size=12,
)
SPACE = st.sampled_from([" ", "", "\n", "  ", "\t", " # note\n", "\n  "])

Value = str | bool | list[object] | dict[str, object]
VALUES: st.SearchStrategy[Value] = st.recursive(
    st.one_of(TEXT, st.booleans()),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(TEXT, inner, max_size=4)),
    max_leaves=12,
)


def quote(text: str) -> str:
    return "'" + text.replace("\\", "\\\\") + "'"


def write(value: Value, space: st.DrawFn) -> str:
    gap = space(SPACE)
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return quote(value)
    if isinstance(value, list):
        return "[" + gap + ("," + gap).join(write(v, space) for v in value) + gap + "]"
    pairs = (quote(k) + gap + ":" + gap + write(v, space) for k, v in value.items())
    return "{" + gap + ("," + gap).join(pairs) + gap + "}"


def source(module: Module, span: Span) -> str:
    if span.line == span.end_line:
        return module.lines[span.line - 1][span.col - 1 : span.end_col - 1]
    first = module.lines[span.line - 1][span.col - 1 :]
    middle = module.lines[span.line : span.end_line - 1]
    last = module.lines[span.end_line - 1][: span.end_col - 1]
    return "\n".join([first, *middle, last])


def check_spans(module: Module, value: JValue) -> None:
    text = source(module, value.span)
    if isinstance(value, JString):
        assert text == quote(value.value)
    elif isinstance(value, JBool):
        assert text == ("true" if value.value else "false")
    elif isinstance(value, JList):
        assert text.startswith("[") and text.endswith("]")
        for item in value.items:
            check_spans(module, item)
    else:
        assert text.startswith("{") and text.endswith("}")
        for key, item in value.pairs:
            assert source(module, key.span) == quote(key.value)
            check_spans(module, item)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(TEXT, VALUES, min_size=1, max_size=4), st.data())
def test_what_is_written_is_read_back(members: dict[str, Value], data: st.DataObject) -> None:
    if "include" in members or "pragma" in members:
        return
    text = "# head\n" + write(members, data.draw) + "\n"
    module = parse_module(Path("x.json"), text)
    assert module.problems == []
    [expr] = module.expressions
    assert expr.to_py() == members
    check_spans(module, expr)


FRAGMENTS = st.sampled_from(
    [
        "{",
        "}",
        "[",
        "]",
        ":",
        ",",
        "'a'",
        "'b\\\\'",
        "true",
        "false",
        "\n",
        " ",
        "\t",
        "# c\n",
        "##\n",
        "## x\n",
        "#x\n",
        "# @a:\n",
        "'",
        "\\",
        "1",
        "é",
        "\x00",
        "\r",
        "\ufeff",
        "{ 'struct': 'S', 'data': {} }\n",
        "{ 'include': 'x.json' }\n",
    ]
)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(FRAGMENTS, max_size=60))
def test_any_input_parses_without_raising(pieces: list[str]) -> None:
    text = "".join(pieces)
    module = parse_module(Path("x.json"), text)
    assert len(module.problems) <= MAX_PROBLEMS + 1
    for problem in module.problems:
        assert 1 <= problem.span.line <= len(module.lines)
        assert problem.span.col >= 1
        assert problem.span.col <= len(module.lines[problem.span.line - 1]) + 2
    for doc in module.docs:
        for line in doc.lines:
            assert module.lines[line.line - 1] == line.raw


@settings(max_examples=200)
@given(st.binary(max_size=400))
def test_any_bytes_parse_without_raising(data: bytes) -> None:
    module = parse_module(Path("x.json"), data)
    assert len(module.problems) <= MAX_PROBLEMS + 1
