"""qapilint.fix.reflow: rewrapping keeps structure, words and sections; QEMU's
sentence spacing; the ``Paragraph::`` split."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from qapilint.fix.reflow import (
    Replacement,
    find_paragraph,
    fits,
    fix_sentence_spacing,
    protected_lines,
    qemu_literal,
    reflow_at,
    single_space_columns,
    split_literal_intro,
)

LONG = "word " * 20


def _apply(texts: list[str], replacement: Replacement | str) -> list[str]:
    assert isinstance(replacement, Replacement), replacement
    return [*texts[: replacement.start], *replacement.texts, *texts[replacement.end :]]


def _words(texts: list[str]) -> list[str]:
    return " ".join(texts).split()


def test_fits_counts_comment_prefix_and_exempts_urls() -> None:
    assert fits("x" * 68) and not fits("x" * 69)
    assert fits("    https://example.org/" + "x" * 80)
    assert not fits("See: https://example.org/" + "x" * 80)


def test_sentence_spacing_follows_qemu() -> None:
    assert single_space_columns("One. Two") == [4]
    assert single_space_columns("e.g. Foo") == []
    assert single_space_columns("1. Foo") == []
    assert single_space_columns("i.e. Foo") == [4]
    assert single_space_columns("Done.  Next") == []
    assert fix_sentence_spacing("A. B? C! (d) x. y") == "A.  B?  C!  (d) x. y"


def test_member_description_keeps_its_continuation_indent() -> None:
    texts = [
        "@Foo:",
        "",
        "@bar: the first line of this description is much too long for QEMU now",
        "      and it goes on here.",
        "",
        "Since: 1.0",
    ]
    new = _apply(texts, reflow_at(texts, 2))
    assert all(fits(text) for text in new)
    assert new[2].startswith("@bar: the first")
    assert new[3].startswith("      ") and not new[3].startswith("       ")
    assert new[-2:] == ["", "Since: 1.0"]
    assert _words(new) == _words(texts)


def test_minimal_change_stops_when_a_line_fits() -> None:
    texts = [
        "Body text that is a good deal longer than what QEMU allows in a line now",
        "short.",
        "Third line stays exactly as it was, however it is wrapped.",
    ]
    replacement = reflow_at(texts, 0)
    assert isinstance(replacement, Replacement)
    assert (replacement.start, replacement.end) == (0, 2)
    assert _apply(texts, replacement)[-1] == texts[-1]


def test_single_tagged_line_wraps_with_four_spaces() -> None:
    texts = ["@x: " + LONG.strip()]
    new = _apply(texts, reflow_at(texts, 0))
    assert new[0].startswith("@x: word") and all(t.startswith("    word") for t in new[1:])


def test_sentence_join_gets_two_spaces() -> None:
    texts = [
        "This is the first sentence of a paragraph that runs on and on ok.",
        "Second sentence follows here.",
    ]
    texts[0] = texts[0].replace("ok.", "ok and on.")
    new = _apply(texts, reflow_at(texts, 0))
    assert "on.  Second" in " ".join(new) or new[1].startswith("on.")
    assert all(not single_space_columns(text) for text in new)


@pytest.mark.parametrize(
    "bad",
    ["@member:", "Since:", "Returns:", "-", "*", "1.", "..", "::", "->", "Features:"],
)
def test_never_starts_a_line_with_structure(bad: str) -> None:
    head = "Some text that has to be wrapped somewhere near the end of this"
    texts = [f"{head} {bad} tail words"]
    result = reflow_at(texts, 0)
    if isinstance(result, Replacement):
        for text in result.texts[1:]:
            assert not text.lstrip().startswith(bad)
        assert _words(result.texts) == _words(texts)


def test_literal_blocks_and_examples_are_never_touched() -> None:
    texts = [
        "@some-command:",
        "",
        "Example::",
        "",
        "    -> { 'execute': 'some-command', 'arguments': { 'very-long-argument': 1 } }",
        "",
        ".. qmp-example::",
        "",
        "    <- { 'return': { 'a-very-long-key-name': 'a very long value here too' } }",
        "",
        "Example:",
        "",
        "set new histograms for all io types with intervals and a long line text",
    ]
    assert protected_lines(texts)[4] and protected_lines(texts)[8] and protected_lines(texts)[12]
    for index in (4, 8, 12):
        assert isinstance(reflow_at(texts, index), str)


def test_free_form_blocks_have_no_example_sections() -> None:
    texts = [
        "Intro",
        "",
        "Example:",
        "",
        "this paragraph is prose and long enough to need a wrap, yes, ok, fine",
    ]
    assert isinstance(reflow_at(texts, 4), Replacement)


def test_tables_and_definition_lists_are_refused() -> None:
    table = ["=====  =====", "a long table cell " * 4 + "x", "=====  ====="]
    assert isinstance(reflow_at(table, 1), str)
    deflist = ["a term that is much too long to fit on one line of QEMU doc text ok", "    def"]
    assert isinstance(reflow_at(deflist, 0), str)


def test_list_item_wraps_within_its_hanging_indent() -> None:
    texts = [
        "Values:",
        "",
        "- first item whose text is long enough that it must be wrapped now ok",
        "- second item",
    ]
    new = _apply(texts, reflow_at(texts, 2))
    assert new[2].startswith("- first") and new[3].startswith("  ") and new[-1] == "- second item"


def test_paragraph_does_not_cross_sections() -> None:
    texts = [
        "@a: short",
        "@b: this one is long enough to need wrapping, and the text goes on and on",
        "Since: 2.0",
    ]
    replacement = reflow_at(texts, 1)
    assert isinstance(replacement, Replacement)
    assert replacement.start == 1 and replacement.end == 2
    assert _apply(texts, replacement)[-1] == "Since: 2.0"


def test_continuation_at_column_zero_is_another_section() -> None:
    texts = ["@a: this is a long first line that needs a wrap because it is long", "next"]
    paragraph = find_paragraph(texts, 0)
    assert not isinstance(paragraph, str) and paragraph.end == 1


def test_ref_may_start_a_plain_line_unless_it_reads_as_a_description() -> None:
    texts = ["The ordering from highest/coarsest to lowest/finest is: @drawers,", "@books."]
    new = _apply(texts, reflow_at(texts, 0, 58))
    assert new[1].startswith("@drawers,")
    texts = ["Some text that needs wrapping before its end here for @ref: yes ok"]
    result = reflow_at(texts, 0, 56)
    if isinstance(result, Replacement):
        assert not any(text.startswith("@") for text in result.texts[1:])


def test_since_and_version_stay_together() -> None:
    texts = ["@amend: image options amend job type, see 'x-blockdev-amend' (since 5.1)"]
    new = _apply(texts, reflow_at(texts, 0))
    assert any("(since 5.1)" in text for text in new)


def test_url_goes_on_its_own_line() -> None:
    url = "https://gitlab.com/qemu-project/qemu/-/blob/master/docs/some/long/path.rst"
    texts = [f"@doc: see {url} for details"]
    new = _apply(texts, reflow_at(texts, 0))
    assert new[1].strip() == url and all(fits(text) for text in new)


def test_qemu_literal_mode() -> None:
    texts = ["::", "", "  lit", "    deeper", " out", "x" * 80]
    assert qemu_literal(texts) == [True, True, True, True, False, False]


def test_paragraph_colon_colon_split() -> None:
    texts = [
        "@some-command:",
        "",
        "For instance::",
        "",
        "    -> { 'execute': 'some-command', 'arguments': { 'very-long-argument': 1 } }",
        "    <- { 'return': {} }",
    ]
    new = _apply(texts, split_literal_intro(texts, 4))
    assert new[2:5] == ["For instance:", "", "::"]
    assert all(qemu_literal(new)[4:])


def test_paragraph_colon_colon_split_in_member_section() -> None:
    texts = [
        "@arg: some text::",
        "",
        "        a literal line that is long enough to be reported by QEMU ok ok",
        "",
        "    More text.",
    ]
    new = _apply(texts, split_literal_intro(texts, 2))
    assert new[:3] == ["@arg: some text:", "", "    ::"]


def test_split_never_makes_a_section_tag() -> None:
    texts = ["@foo:", "", "Example::", "", "    -> { 'execute': 'foo', " + "'x' " * 20 + "}"]
    assert "section" in str(split_literal_intro(texts, 4))


def test_split_refused_outside_literal_blocks() -> None:
    assert isinstance(split_literal_intro(["plain", "x" * 80], 1), str)


_word = st.text(alphabet="abcdefgh.,ABC()@:-", min_size=1, max_size=12)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.lists(_word, min_size=1, max_size=16), min_size=1, max_size=5))
def test_reflow_only_moves_whitespace(lines: list[list[str]]) -> None:
    texts = [" ".join(words) for words in lines]
    for index, text in enumerate(texts):
        if fits(text):
            continue
        result = reflow_at(texts, index)
        if isinstance(result, Replacement):
            new = _apply(texts, result)
            assert _words(new) == _words(texts)
            assert all(fits(t) for t in result.texts)
            assert len(new) >= len(texts)
