"""markup.examples: the QMP messages of a doc block's examples, their
elisions and where a message stops being JSON."""

from __future__ import annotations

from pathlib import Path

from qapilint.markup.examples import EXAMPLE_MARKERS, SEARCHED_MARKERS, example_bodies, messages
from qapilint.syntax.model import Doc
from qapilint.syntax.parse import parse_module
from tests.test_docparse import read


def block(*lines: str) -> Doc:
    doc, _problems = read("\n".join(["##", "# @foo:", "#", *lines, "##"]))
    return doc


def example(*message_lines: str) -> Doc:
    return block("# .. qmp-example::", "#", *message_lines)


def test_messages_and_their_places() -> None:
    doc = example(
        '#     -> { "execute": "foo",',
        '#          "arguments": { "x": 1 } }',
        '#     <- { "return": {} }',
    )
    sent, received = messages(doc)
    assert (sent.arrow, sent.arrow_span.line, sent.arrow_span.col) == ("->", 6, 7)
    assert sent.source == ' { "execute": "foo",\n         "arguments": { "x": 1 } }'
    assert sent.value == {"execute": "foo", "arguments": {"x": 1}}
    assert received.value == {"return": {}}
    # each character's file place, the line break at the end of its line
    assert sent.position(1) == (6, 10)
    assert sent.position(len(' { "execute": "foo",')) == (7, 37)
    assert sent.position(len(' { "execute": "foo",\n')) == (7, 3)


def test_elisions_are_taken_out() -> None:
    doc = example(
        '#     -> { "a": ..., "b": [ 1, ... ], ..., "c": { ...more... },',
        '#          "d": "... in a string ...", "e": [ ... , 2 ] }',
    )
    (message,) = messages(doc)
    assert message.value == {"a": None, "b": [1], "c": {}, "d": "... in a string ...", "e": [2]}


def test_where_json_breaks_after_elisions() -> None:
    # a null stands for the first elision, the comma before the second goes
    doc = example('#     -> { "a": ..., "b": 1, ... ] }')
    (message,) = messages(doc)
    assert message.error == "expecting ',' delimiter"
    assert message.error_at == (6, 34)  # the "]"
    (message,) = messages(example('#     -> { "a": ... x, ... }'))
    assert message.error_at == (6, 21)  # the "x", not the comma after it


def test_an_elision_that_ends_the_message() -> None:
    (message,) = messages(example('#     -> { "a": ...'))
    assert message.error == "expecting ',' delimiter"
    assert message.error_at == (6, 20)  # just after the elision


def test_prose_after_an_arrow_is_not_read() -> None:
    (message,) = messages(example("#     -> ... text sent by the client"))
    assert message.valid and message.value is None


def test_an_example_inside_an_example_is_its_text() -> None:
    doc = block(
        "# .. qmp-example::",
        "#",
        '#     -> { "execute": "foo" }',
        "#     .. qmp-example::",
        "#",
        "# Text.",
        "#",
        "# .. qmp-example::",
        "#",
        '#     <- { "return": {} }',
    )
    assert [len(body) for body in example_bodies(doc)] == [4, 2]
    assert [message.arrow for message in messages(doc)] == ["->", "<-"]


def test_old_example_sections() -> None:
    doc = block(
        "# Example: or an example line",
        "#",
        '# -> { "execute": "foo" }',
        "# <- { }",
        "#",
        "# Since: 1.0",
    )
    assert [len(body) for body in example_bodies(doc)] == [4]
    assert [message.value for message in messages(doc)] == [{"execute": "foo"}, {}]
    assert example_bodies(block("# An Example: is not a tag here")) == []


def test_the_module_settles_blocks_without_examples() -> None:
    text = "\n".join(
        [
            "##",
            "# @foo:",
            "#",
            "# Example: or not.",
            "##",
            "{ 'command': 'foo' }",
            "",
            "##",
            "# @bar:",
            "#",
            "# .. qmp-example::",
            "#",
            '#     -> { "execute": "bar" }',
            "##",
            "{ 'command': 'bar' }",
            "",
            "# a comment naming qmp-example outside any block",
        ]
    )
    module = parse_module(Path("x.json"), text)
    foo, bar = module.docs
    assert messages(foo, module) == messages(foo) == []
    (message,) = messages(bar, module)
    assert message.value == {"execute": "bar"}


def test_every_example_marker_is_found_by_a_searched_one() -> None:
    assert "Examples" not in SEARCHED_MARKERS  # "Example" finds it
    for marker in EXAMPLE_MARKERS:
        assert any(searched in marker for searched in SEARCHED_MARKERS)
