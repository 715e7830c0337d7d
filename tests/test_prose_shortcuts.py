"""The prose view's shortcuts give what painting every section would: a
section without anything the painter could mask is its own view, and the
painter's line tests skip only lines none of its patterns can match."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from qapilint.syntax import prose
from qapilint.syntax.model import Section, TextLine

# pieces of light rST and QMP, and plain words, to make section lines of
PIECES = (
    *("word", "one", "x", "The", " ", " ", "  ", "\t", "-", "*", "**", "+", "=", "==", "::", ":"),
    *("..", ".. ", ".. note::", ".. qmp-example::", ".. code-block:: c", ":annotated:", "->"),
    *("<-", "{", '{ "', '"', "'", "`", "``", "`Foo`_", ":qapi:type:`X`", "@ref", "http://a.b/c."),
    *("1.", "2)", "(3)", "#.", "a.", "b)", "\u2022", "---", "~~~", "^^^", "___", "...", "+-+"),
    *("= =", "===", "#", "<", ">", "_", "\u00e9", "\u017f", "0", "\u00a0", "\x0b", "\u2028"),
)
LINE = st.lists(st.sampled_from(PIECES), max_size=8).map("".join)
SECTION = st.lists(st.tuples(LINE, st.sampled_from((3, 5, 7))), min_size=1, max_size=8)
# mostly words, now and then a piece of markup
WORDS = ("word", " ", "one", "the", "a", "1", ".", "-", "(", ")")
PLAIN_LINE = st.lists(st.sampled_from(WORDS * 8 + PIECES), max_size=10).map("".join)


def _section(lines: list[tuple[str, int]]) -> Section:
    return Section(
        "plain", None, None, [TextLine(10 + n, col, text) for n, (text, col) in enumerate(lines)]
    )


def _painted(section: Section) -> tuple[str, list[tuple[str, int, int]]]:
    view = prose._Painter(section.lines).run()
    return view.text, [(segment.kind, segment.start, segment.end) for segment in view.segments]


def _shown(section: Section) -> tuple[str, list[tuple[str, int, int]]]:
    view = prose.prose_view(section)
    return view.text, [(segment.kind, segment.start, segment.end) for segment in view.segments]


@given(SECTION)
def test_the_view_is_what_painting_gives(lines: list[tuple[str, int]]) -> None:
    section = _section(lines)
    assert _shown(section) == _painted(section)


@given(st.lists(st.tuples(PLAIN_LINE, st.sampled_from((3, 5))), min_size=1, max_size=6))
def test_a_section_without_a_mark_is_its_own_view(lines: list[tuple[str, int]]) -> None:
    section = _section(lines)
    source = "\n".join(text for text, _col in lines)
    text, segments = _painted(section)
    if prose._MAY_MASK.search(source) is None:
        assert text == source
        assert segments == ([("prose", 0, len(source))] if source else [])
    assert _shown(section) == (text, segments)


@given(LINE)
def test_a_line_the_line_patterns_match_is_marked(text: str) -> None:
    patterns = (prose._TRANSCRIPT, prose._ADORNMENT, prose._TABLE_BORDER, prose._LINE_MARKUP)
    if any(pattern.match(text) for pattern in patterns):
        assert prose._MARKED_LINE.match(text)
