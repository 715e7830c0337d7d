"""TextLines: a text's lines cut out when read, read like the list of them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qapilint.files.text import TextLines

# a few characters, line ends among them, and texts long enough that whole
# blocks of lines are skipped on the way to a line
texts = st.text(alphabet="ab \n", max_size=6000)


@given(texts, st.lists(st.integers(min_value=-7000, max_value=7000), max_size=40))
def test_reads_like_the_list_of_its_lines_in_any_order(text: str, indexes: list[int]) -> None:
    lines = text.split("\n")
    view = TextLines(text)
    assert len(view) == len(lines)
    for index in indexes:  # back and forth, out of range too
        if -len(lines) <= index < len(lines):
            assert view[index] == lines[index]
        else:
            with pytest.raises(IndexError):
                view[index]


@given(texts)
def test_every_line_in_order_slices_and_equality(text: str) -> None:
    lines = text.split("\n")
    view = TextLines(text)
    assert [view[index] for index in range(len(lines))] == lines
    assert list(view) == lines
    assert view[1:] == lines[1:]
    assert view[::-3] == lines[::-3]
    assert view == lines
    assert view == TextLines(text)
    assert view != [*lines, "x"]


def test_a_line_far_into_a_long_text() -> None:
    text = "\n".join(f"line {number}" for number in range(1, 20001))
    view = TextLines(text)
    assert view[15000] == "line 15001"
    assert view[3] == "line 4"  # behind the last one read
    assert view[-1] == "line 20000"
    assert len(view) == 20000


def test_the_empty_text_has_one_empty_line() -> None:
    assert list(TextLines("")) == [""]
    assert TextLines("a\n")[1] == ""
