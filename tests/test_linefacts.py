"""A doc block's line facts (doclines.line_facts) and the whole-block
searches that spare the rules their line by line looks: each answers as
the per-line definition it stands for, on hand-picked and generated lines."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from qapilint.syntax import doclines
from qapilint.syntax.doclines import (
    indent_of,
    line_facts,
    literal_flags,
    protected_lines,
    simple_list_item,
    single_spaces,
    tag_match,
)
from qapilint.syntax.model import Doc, DocLine, Span

# Pieces of doc lines that the searches care about: tags, indents (tabs and
# other whitespace too), list markers, literal blocks, transcripts, tables.
PIECES = [
    "@foo:",
    "@foo: ",
    "@foo bar",
    "@foo : x",
    "@:",
    "Since:",
    "Since::",
    "Returns:",
    "Errors:",
    "Notes:",
    "Example:",
    "Features:",
    "text",
    "Text.  More",
    "e.g. This",
    "1. one",
    "12. twelve",
    "\u0663. three",
    "#. auto",
    "- item",
    "* item",
    "+ item",
    "<- {",
    "-> {",
    ">>> x",
    "::",
    "foo::",
    ".. note:: x",
    ".. code-block:: c",
    "| a |",
    "+--+",
    "== ==",
    "=====",
    "x",
    " ",
    "    ",
    "\t",
    "\xa0",
    ":",
    "-",
]

line_texts = st.lists(st.lists(st.sampled_from(PIECES), max_size=4).map("".join), max_size=12)


def make_doc(texts: list[str]) -> Doc:
    lines = [DocLine(number, f"# {text}", text, 3) for number, text in enumerate(texts, 2)]
    return Doc(Span(1, 1, len(texts) + 2, 3), lines)


def stripped(texts: list[str]) -> list[str]:
    return [text.rstrip() for text in texts]


@settings(max_examples=300)
@given(line_texts)
def test_facts_hold_what_each_line_says(texts: list[str]) -> None:
    doc = make_doc(texts)
    facts = line_facts(doc)
    lines = stripped(texts)
    assert facts.texts == lines
    assert facts.text == "\n".join(lines)
    assert [m and m.group(0) for m in facts.tags] == [
        (m := tag_match(text)) and m.group(0) for text in lines
    ]
    assert facts.literal == literal_flags(lines)
    assert facts.protected == protected_lines(texts)
    assert facts.raw_text == "\n".join(f"# {text}" for text in texts)


@settings(max_examples=300)
@given(line_texts, st.sampled_from([0, 2, 4, 8]))
def test_searches_find_the_lines_a_per_line_look_finds(texts: list[str], indent: int) -> None:
    facts = line_facts(make_doc(texts))
    lines = stripped(texts)
    indents = [indent_of(text) for text in lines]
    count = len(lines)
    assert facts.indented_unless(indent) == [
        index for index in range(count) if lines[index] and indents[index] not in (0, indent)
    ]
    assert facts.colon_lines_before_indented() == [
        index
        for index in range(count - 1)
        if lines[index].endswith(":") and lines[index + 1] and indents[index + 1]
    ]
    assert facts.members_after_text() == [
        index for index in range(1, count) if lines[index].startswith("@") and lines[index - 1]
    ]


@settings(max_examples=300)
@given(line_texts)
def test_quick_tests_never_miss_a_line(texts: list[str]) -> None:
    """Each "may have" test answers False only where no line has it."""
    facts = line_facts(make_doc(texts))
    lines = stripped(texts)
    items = [
        simple_list_item(text[match.end() :] if (match := tag_match(text)) else text)
        for text in lines
    ]
    if any(items):
        assert facts.may_have_simple_list_items()
    if any(doclines.colonless_description(text) for text in lines):
        assert doclines.may_have_colonless_descriptions(facts.text)
    if any(list(single_spaces(text)) for text in lines):
        assert doclines.may_have_single_spaces(lines)


def test_facts_are_made_once_per_block() -> None:
    first, second = make_doc(["@a: x"]), make_doc(["b"])
    facts = line_facts(first)
    assert line_facts(first) is facts
    assert line_facts(second) is not facts
    assert line_facts(first) is facts  # held beside the model, not only the last asked


def test_most_blocks_need_no_line_by_line_look() -> None:
    facts = line_facts(make_doc(["@Foo:", "", "Text, no list.  Done.", "", "Since: 9.0"]))
    assert not facts.may_have_simple_list_items()
    assert facts.members_after_text() == []
    # a QMP reply's "<- " starts no list item
    assert not line_facts(make_doc(["<- { 'return': {} }"])).may_have_simple_list_items()
    assert line_facts(make_doc(["", "  12. twelve"])).may_have_simple_list_items()


def test_literal_mode_ends_and_starts_again() -> None:
    texts = ["Text", "::", "", "    lit", "back", "::", "  lit", "", "  lit", "out", "more"]
    shown = "".join("L" if literal else "." for literal in literal_flags(texts))
    assert shown == ".LLL.LLLL.."


def test_protected_lines_by_kind() -> None:
    texts = [
        "@Foo:",
        "",
        "Text",
        "  -> { 'execute': 'x' }",
        "\t>>> python",
        "",
        "| a | b |",
        "next",
        "",
        "Title",
        "=====",
        "",
        "Example:",
        "  body",
        "Since: 1.0",
    ]
    assert [index for index, flag in enumerate(protected_lines(texts)) if flag] == [
        3,
        4,
        6,
        7,
        9,
        10,
        12,
        13,
    ]
