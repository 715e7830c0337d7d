"""read_doc: QEMU 10.2's reading of a doc block, on hand-built blocks."""

from __future__ import annotations

import re
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from qapilint.syntax import doclines, docparse
from qapilint.syntax.docparse import read_doc
from qapilint.syntax.model import Doc, DocLine, Problem, Section, Span


def make_doc(text: str, first_line: int = 1) -> Doc:
    """A Doc as the parser builds it from ``text`` ("##" ... "##"), whose
    first line is file line ``first_line``."""
    raw_lines = text.split("\n")
    lines = []
    for offset, raw in enumerate(raw_lines[1:-1], start=1):
        hash_col = len(raw) - len(raw.lstrip()) + 1
        body = raw.lstrip()[1:]
        if body.startswith(" "):
            lines.append(DocLine(first_line + offset, raw, body[1:], hash_col + 2))
        else:
            lines.append(DocLine(first_line + offset, raw, body, hash_col + 1))
    last = first_line + len(raw_lines) - 1
    return Doc(Span(first_line, 1, last, len(raw_lines[-1]) + 1), lines)


def read(text: str, first_line: int = 1) -> tuple[Doc, list[Problem]]:
    doc = make_doc(text, first_line)
    problems: list[Problem] = []
    read_doc(doc, problems)
    return doc, problems


def where(problems: list[Problem]) -> list[tuple[str, int, int]]:
    return [(p.kind, p.span.line, p.span.col) for p in problems]


def texts(section: Section) -> list[str]:
    return [line.text for line in section.lines]


def shape(doc: Doc) -> list[tuple[str, str | None]]:
    return [(section.kind, section.name) for section in doc.sections]


FULL = """##
# @frobnicate:
#
# Frobnicate the widget.  Use with care.
#
# Second body paragraph.
#
# @speed: the speed, in bytes per second,
#     or 0 for no limit
#
#     Second paragraph of @speed.
# @mode:
#     the mode
#
# More text after the members.
#
# Features:
#
# @deprecated: Use @other instead.
# @unstable:   Experimental.
#
# Returns: the widget
#
# Errors:
#     - If @speed is negative, GenericError
#
# Since: 9.2
#
# TODO: do better
##"""


class TestDefinitionDoc:
    def test_sections_in_order(self) -> None:
        doc, problems = read(FULL, first_line=10)
        assert problems == []
        assert doc.symbol == "frobnicate"
        assert doc.symbol_span == Span(11, 4, 11, 14)
        assert shape(doc) == [
            ("plain", None),
            ("member", "speed"),
            ("member", "mode"),
            ("plain", None),
            ("feature", "deprecated"),
            ("feature", "unstable"),
            ("returns", None),
            ("errors", None),
            ("since", None),
            ("todo", None),
        ]
        assert doc.features_span == Span(26, 3, 26, 12)

    def test_body_keeps_blank_line_between_paragraphs(self) -> None:
        doc, _ = read(FULL, first_line=10)
        assert doc.body is not None
        assert texts(doc.body) == [
            "Frobnicate the widget.  Use with care.",
            "",
            "Second body paragraph.",
        ]
        assert [line.line for line in doc.body.lines] == [13, 14, 15]

    def test_description_continuation_loses_its_indent(self) -> None:
        doc, _ = read(FULL, first_line=10)
        speed = doc.member("speed")
        assert speed is not None
        assert texts(speed) == [
            "the speed, in bytes per second,",
            "or 0 for no limit",
            "",
            "Second paragraph of @speed.",
        ]
        assert [(line.line, line.col) for line in speed.lines] == [
            (17, 11),
            (18, 7),
            (19, 2),
            (20, 7),
        ]
        assert speed.tag_span == Span(17, 3, 17, 10)
        mode = doc.member("mode")
        assert mode is not None and texts(mode) == ["the mode"]
        assert (mode.lines[0].line, mode.lines[0].col) == (22, 7)

    def test_tagged_sections_strip_tag_and_spaces(self) -> None:
        doc, _ = read(FULL, first_line=10)
        (since,) = doc.of_kind("since")
        assert texts(since) == ["9.2"]
        assert (since.lines[0].line, since.lines[0].col) == (36, 10)
        assert since.tag_span == Span(36, 3, 36, 9)
        (errors,) = doc.of_kind("errors")
        assert texts(errors) == ["- If @speed is negative, GenericError"]
        assert errors.lines[0].col == 7
        unstable = doc.feature("unstable")
        assert unstable is not None and unstable.lines[0].col == 16

    def test_text_maps_back_to_the_file(self) -> None:
        doc, _ = read(FULL, first_line=10)
        for section in doc.sections:
            for text_line in section.lines:
                raw = doc.lines[text_line.line - 11].raw
                start = text_line.col - 1
                assert raw[start : start + len(text_line.text)] == text_line.text

    def test_empty_body_is_still_first(self) -> None:
        doc, problems = read("##\n# @foo:\n# @a: x\n##")
        assert problems == []
        assert shape(doc) == [("plain", None), ("member", "a")]
        assert doc.body is not None and doc.body.lines == []

    def test_blank_lines_between_descriptions(self) -> None:
        doc, problems = read("##\n# @foo:\n#\n# @a: x\n#\n# @b: y\n##")
        assert problems == []
        assert shape(doc) == [("plain", None), ("member", "a"), ("member", "b")]

    def test_tag_only_recognised_at_paragraph_start(self) -> None:
        doc, problems = read("##\n# @foo:\n#\n# Some text\n# Since: 1.0\n##")
        assert problems == []
        assert shape(doc) == [("plain", None)]

    def test_double_colon_is_rst_not_a_tag(self) -> None:
        doc, problems = read("##\n# @foo:\n#\n# Returns::\n#\n#   literal\n##")
        assert problems == []
        assert shape(doc) == [("plain", None)]

    def test_features_line_must_be_exact(self) -> None:
        doc, problems = read("##\n# @foo:\n#\n# Features: all of them\n##")
        assert problems == []
        assert doc.features_span is None
        assert shape(doc) == [("plain", None)]

    def test_unindented_line_after_tag_starts_a_plain_section(self) -> None:
        doc, problems = read("##\n# @foo:\n#\n# @a: x\n# y\n##")
        assert problems == []
        assert shape(doc) == [("plain", None), ("member", "a"), ("plain", None)]

    def test_indented_at_name_is_text(self) -> None:
        doc, problems = read("##\n# @foo:\n#\n# @a: x\n#   @b: y\n##")
        assert problems == []
        member = doc.member("a")
        assert member is not None and texts(member) == ["x", "@b: y"]

    def test_description_ends_at_next_description(self) -> None:
        doc, problems = read("##\n# @foo:\n#\n# @a: x\n#   more\n# @b: y\n##")
        assert problems == []
        assert shape(doc) == [("plain", None), ("member", "a"), ("member", "b")]

    def test_de_indent_after_third_line_ends_the_section(self) -> None:
        # QEMU 10.2.2 rejects a de-indent only right after the first
        # continuation line; later it silently ends the description.
        doc, problems = read("##\n# @foo:\n#\n# @a: one\n#   two\n#   three\n# four\n##")
        assert problems == []
        assert shape(doc) == [("plain", None), ("member", "a"), ("plain", None)]

    def test_de_indent_after_blank_ends_the_section(self) -> None:
        doc, problems = read("##\n# @foo:\n#\n# @a: one\n#   two\n#\n# four\n##")
        assert problems == []
        assert shape(doc) == [("plain", None), ("member", "a"), ("plain", None)]

    def test_tab_indentation(self) -> None:
        doc, problems = read("##\n# @foo:\n#\n# @a: one\n# \ttwo\n##")
        assert problems == []
        member = doc.member("a")
        assert member is not None and texts(member) == ["one", "two"]
        assert member.lines[1].col == 4

    def test_repeated_todo_is_fine(self) -> None:
        _, problems = read("##\n# @foo:\n#\n# TODO: a\n#\n# TODO: b\n##")
        assert problems == []

    def test_trailing_whitespace_ignored(self) -> None:
        doc, problems = read("##\n# @foo:  \n#\n# Since: 1.0   \n##")
        assert problems == []
        assert doc.symbol == "foo"
        (since,) = doc.of_kind("since")
        assert texts(since) == ["1.0"]


class TestFreeForm:
    def test_body_only(self) -> None:
        doc, problems = read("##\n# = Title\n#\n# Some text.\n##")
        assert problems == []
        assert doc.free_form and doc.symbol is None
        assert shape(doc) == [("plain", None)]
        assert doc.body is not None and texts(doc.body) == ["= Title", "", "Some text."]

    def test_blank_first_line_is_free_form(self) -> None:
        doc, problems = read("##\n#\n# Since: 1.0\n##")
        assert doc.free_form
        assert problems == []
        assert shape(doc) == [("plain", None)]

    def test_description_rejected_but_kept(self) -> None:
        doc, problems = read("##\n# freeform\n# @note: foo\n##", first_line=3)
        assert where(problems) == [(docparse.FREE_FORM_DESCRIPTION, 5, 1)]
        assert problems[0].message == "'@note:' not allowed in free-form documentation"
        assert doc.body is not None and texts(doc.body) == ["freeform", "@note: foo"]

    def test_empty_block(self) -> None:
        doc, problems = read("##\n##")
        assert problems == []
        assert shape(doc) == [("plain", None)]


class TestProblems:
    """Each problem QEMU 10.2's parser raises inside a block, at QEMU's
    line (and column, where QEMU gives one), with the model still built."""

    def test_symbol_without_colon(self) -> None:
        doc, problems = read("##\n# @missing-colon\n##", first_line=3)
        assert where(problems) == [(docparse.SYMBOL_COLON, 4, 1)]
        assert problems[0].message == "line should end with ':'"
        assert doc.symbol == "missing-colon"

    def test_symbol_with_text_after_colon(self) -> None:
        doc, problems = read("##\n# @foo: bar\n##")
        assert where(problems) == [(docparse.SYMBOL_COLON, 2, 1)]
        assert doc.symbol == "foo"

    def test_symbol_without_name_or_colon_reported_once(self) -> None:
        doc, problems = read("##\n# @: x\n##")
        assert where(problems) == [(docparse.SYMBOL_COLON, 2, 1)]
        assert doc.symbol is None

    def test_symbol_without_name(self) -> None:
        doc, problems = read("##\n# @:\n##", first_line=3)
        assert where(problems) == [(docparse.SYMBOL_EMPTY, 4, 1)]
        assert problems[0].message == "name required after '@'"
        assert doc.symbol is None and doc.symbol_span == Span(4, 3, 4, 5)
        assert doc.body is not None and doc.body.lines == []

    def test_bad_indent(self) -> None:
        doc, problems = read(
            "##\n# @foo:\n# @a: line one\n#   line two\n# line three is wrongly indented\n##",
            first_line=3,
        )
        assert where(problems) == [(docparse.BAD_INDENT, 7, 1)]
        assert problems[0].message == "unexpected de-indent (expected at least 2 spaces)"
        member = doc.member("a")
        assert member is not None
        assert texts(member) == ["line one", "line two", "line three is wrongly indented"]

    def test_duplicated_features_line(self) -> None:
        doc, problems = read(
            "##\n# @foo:\n#\n# Features:\n# @feat: mumble\n#\n# Features:\n# @other: x\n##",
            first_line=3,
        )
        assert where(problems) == [(docparse.FEATURES_DUPLICATED, 9, 1)]
        assert problems[0].message == "duplicated 'Features:' line"
        assert [s.name for s in doc.of_kind("feature")] == ["feat", "other"]
        assert doc.features_span is not None and doc.features_span.line == 6

    def test_features_without_descriptions(self) -> None:
        doc, problems = read("##\n# @foo:\n#\n# Features:\n#\n# not a description\n##", 3)
        assert where(problems) == [(docparse.FEATURES_EMPTY, 8, 1)]
        assert problems[0].message == "feature descriptions expected"
        assert shape(doc) == [("plain", None)]
        assert doc.body is not None and texts(doc.body) == ["not a description"]

    def test_features_at_end_of_block_reported_at_closing_delimiter(self) -> None:
        _, problems = read("##\n# @foo:\n#\n# Features:\n#\n   ##")
        assert where(problems) == [(docparse.FEATURES_EMPTY, 6, 4)]

    def test_duplicated_section(self) -> None:
        doc, problems = read("##\n# @foo:\n#\n# Returns: 0\n#\n# Returns: 1\n##", first_line=3)
        assert where(problems) == [(docparse.SECTION_DUPLICATED, 8, 3)]
        assert problems[0].message == "duplicated 'Returns' section"
        assert len(doc.of_kind("returns")) == 2

    def test_duplicated_since(self) -> None:
        _, problems = read("##\n# @foo:\n#\n# Since: 0\n#\n# Since: 1\n##", first_line=3)
        assert where(problems) == [(docparse.SECTION_DUPLICATED, 8, 3)]
        assert problems[0].message == "duplicated 'Since' section"

    def test_empty_tagged_section(self) -> None:
        doc, problems = read("##\n# @foo:\n#\n# Errors:\n##", first_line=3)
        assert where(problems) == [(docparse.SECTION_EMPTY, 6, 3)]
        assert problems[0].message == "text required after 'Errors:'"
        assert shape(doc) == [("plain", None), ("errors", None)]

    def test_empty_description(self) -> None:
        _, problems = read("##\n# @foo:\n#\n# @a:\n#\n# Since: 1\n##")
        assert where(problems) == [(docparse.SECTION_EMPTY, 4, 3)]
        assert problems[0].message == "text required after '@a:'"

    def test_description_on_next_line_is_not_empty(self) -> None:
        doc, problems = read("##\n# @foo:\n#\n# @a:\n#\n#     text\n##")
        assert problems == []
        member = doc.member("a")
        assert member is not None and texts(member) == ["text"]

    def test_description_after_section(self) -> None:
        doc, problems = read(
            "##\n# @TestStruct:\n#\n# body\n#\n# @integer: foo\n#           blah\n#\n"
            "#           bao\n#\n# TODO: a section.\n#\n# @foobar: catch this\n#\n"
            "# Since: 2.3\n#\n##",
            first_line=3,
        )
        assert where(problems) == [(docparse.DESCRIPTION_LATE, 15, 1)]
        assert problems[0].message == "description of '@foobar:' follows a section"
        assert [s.name for s in doc.of_kind("member")] == ["integer", "foobar"]
        integer = doc.member("integer")
        assert integer is not None and texts(integer) == ["foo", "blah", "", "bao"]

    def test_description_after_plain_paragraph_after_members(self) -> None:
        _, problems = read("##\n# @foo:\n#\n# @a: x\n#\n# text\n#\n# @b: y\n##")
        assert where(problems) == [(docparse.DESCRIPTION_LATE, 8, 1)]

    def test_duplicated_description(self) -> None:
        doc, problems = read("##\n# @foo:\n# @a: x\n# @a: y\n##", first_line=3)
        assert where(problems) == [(docparse.DESCRIPTION_DUPLICATED, 6, 3)]
        assert problems[0].message == "'a' parameter name duplicated"
        assert [s.name for s in doc.of_kind("member")] == ["a", "a"]

    def test_duplicated_feature(self) -> None:
        _, problems = read("##\n# @foo:\n#\n# Features:\n# @f: x\n# @f: y\n##")
        assert where(problems) == [(docparse.DESCRIPTION_DUPLICATED, 6, 3)]
        assert problems[0].message == "'f' feature name duplicated"

    def test_member_and_feature_may_share_a_name(self) -> None:
        _, problems = read("##\n# @foo:\n#\n# @f: x\n#\n# Features:\n# @f: y\n##")
        assert problems == []

    def test_description_without_name(self) -> None:
        doc, problems = read("##\n# @foo:\n# @:\n##", first_line=3)
        assert where(problems) == [(docparse.DESCRIPTION_NO_NAME, 5, 3)]
        assert problems[0].message == "invalid parameter name"
        assert shape(doc) == [("plain", None), ("member", "")]

    def test_note_section(self) -> None:
        doc, problems = read("##\n# @foo:\n#\n# Note: Be careful.\n#     Really.\n##", 3)
        assert where(problems) == [(docparse.NOTE_SECTION, 6, 1)]
        assert "'.. note::'" in problems[0].message
        assert "'Note:'" in problems[0].message
        note = doc.sections[-1]
        assert note.kind == "plain" and note.tag_span == Span(6, 3, 6, 8)
        assert texts(note) == ["Be careful.", "Really."]

    def test_notes_section(self) -> None:
        _, problems = read("##\n# @foo:\n#\n# Notes: blah\n##")
        assert where(problems) == [(docparse.NOTE_SECTION, 4, 1)]
        assert "'Notes:'" in problems[0].message

    def test_example_sections(self) -> None:
        for word in ("Example", "Examples"):
            doc, problems = read(f"##\n# @foo:\n#\n# {word}:\n#\n# -> {{ }}\n# <- {{ }}\n##")
            assert where(problems) == [(docparse.EXAMPLE_SECTION, 4, 1)]
            assert f"'{word}:'" in problems[0].message
            assert "'.. qmp-example::'" in problems[0].message
            # the transcript is not glued to the body
            assert doc.body is not None and doc.body.lines == []

    def test_paragraph_after_recovered_note_is_its_own_section(self) -> None:
        doc, _ = read("##\n# @foo:\n#\n# Note: a\n#\n# b\n##")
        assert [texts(s) for s in doc.sections] == [[], ["a"], ["b"]]

    def test_reading_resets_previous_result(self) -> None:
        doc = make_doc("##\n# @foo:\n#\n# Since: 1\n##")
        read_doc(doc, [])
        read_doc(doc, [])
        assert shape(doc) == [("plain", None), ("since", None)]


# --------------------------------------------------------------------------
# Any input: no exception, and every text line is where it says it is

_LINE_TEXTS = st.sampled_from(
    [
        "",
        "@foo:",
        "@a: text",
        "@: x",
        "@b:",
        "Features:",
        "Since: 1.0",
        "Returns:",
        "Errors:",
        "TODO: x",
        "Note: y",
        "Example:",
        "plain text",
        "    indented",
        "  less",
        "\tTab",
        "::",
        ".. qmp-example::",
        "Para::",
    ]
)


@given(st.lists(_LINE_TEXTS, max_size=14), st.integers(min_value=1, max_value=50))
def test_any_block_reads_and_maps_back(line_texts: list[str], first_line: int) -> None:
    text = "\n".join(["##", *(f"# {t}" if t else "#" for t in line_texts), "##"])
    doc, problems = read(text, first_line)
    assert doc.sections and doc.sections[0].kind == "plain"
    by_line = {doc_line.line: doc_line.raw for doc_line in doc.lines}
    for section in doc.sections:
        for text_line in section.lines:
            raw = by_line[text_line.line]
            start = text_line.col - 1
            assert raw[start : start + len(text_line.text)] == text_line.text
    for problem in problems:
        assert first_line <= problem.span.line <= first_line + len(line_texts) + 1


@given(st.lists(st.text(alphabet="aB1(. !?eg", max_size=20), max_size=5))
def test_the_whole_block_precheck_never_hides_a_single_space(texts: list[str]) -> None:
    found = any(list(doclines.single_spaces(text)) for text in texts)
    if found:
        assert doclines.may_have_single_spaces(texts)
    if not doclines.may_have_single_spaces(texts):
        assert not found


def test_the_whole_block_precheck() -> None:
    assert doclines.may_have_single_spaces(["Stop.", "It is. Done"])
    assert doclines.may_have_single_spaces(["Stop! It is"])
    assert doclines.may_have_single_spaces(["Why? (It is)"])
    assert not doclines.may_have_single_spaces(["Stop.  It is.", "Done.", "e.g.x"])
    assert not doclines.may_have_single_spaces(["Stop! it is? no. x"])


@given(st.lists(st.text(alphabet="aB1(. !?\n", max_size=20), max_size=5))
def test_the_whole_block_precheck_is_one_search_for_any_mark(texts: list[str]) -> None:
    """Its three searches answer as one search for all three marks would."""
    expected = re.search(r"[.!?] [A-Z0-9(]", "\n".join(texts)) is not None
    assert doclines.may_have_single_spaces(texts) == expected


# --------------------------------------------------------------------------
# Indentation before 8.1 (aligned continuation lines)


def test_aligned_indent_errors_follow_the_old_rule() -> None:
    from qapilint.syntax.docparse import aligned_indent_errors  # noqa: PLC0415

    aligned = ["@Foo:", "", "@bar: the bar, which", "      goes on", "@baz:", "text at 0"]
    assert aligned_indent_errors(aligned) == []
    four = ["@Foo:", "", "@bar: the bar, which", "    goes on"]
    assert aligned_indent_errors(four) == [(3, 6)]
    tagged = ["@Foo:", "", "Returns: a list", "", "not indented"]
    assert aligned_indent_errors(tagged) == [(4, 9)]  # a tagged section does not end
    ended = ["@Foo:", "", "@bar: the bar", "", "A paragraph of the definition."]
    assert aligned_indent_errors(ended) == []
    assert aligned_indent_errors(["Free form", "  @bar: x", "y"]) == []


def test_aligned_indent_errors_on_the_corpus(corpus: Path) -> None:
    """QEMU 7.2.0 builds, so its doc blocks break the old rule nowhere;
    10.2.2 indents continuation lines four spaces and breaks it often."""
    from qapilint.schema.loader import load_schema  # noqa: PLC0415
    from qapilint.syntax.docparse import aligned_indent_errors  # noqa: PLC0415

    counts = {}
    for release in ("qemu-7.2.0", "qemu-10.2.2"):
        tree = corpus / release
        schema = load_schema(tree / "qapi" / "qapi-schema.json", tree)
        counts[release] = sum(
            len(aligned_indent_errors([line.text for line in doc.lines]))
            for module in schema.modules
            for doc in module.docs
        )
    assert counts["qemu-7.2.0"] == 0
    assert counts["qemu-10.2.2"] > 1000


# --------------------------------------------------------------------------
# The classified block


def test_every_line_is_classified() -> None:
    doc, problems = read(
        "##\n"
        "# @Pump:\n"
        "#\n"
        "# A pump.  Example::\n"
        "#\n"
        "#     { 'x': 1 }\n"
        "#\n"
        "# @speed: how fast,\n"
        "#     in rpm\n"
        "#\n"
        "# Features:\n"
        "#\n"
        "# @deprecated: old\n"
        "#\n"
        "# Since: 9.1\n"
        "##"
    )
    assert problems == []
    classes = docparse.classified(doc)
    assert [c.kind for c in classes] == [
        "symbol",
        "blank",
        "text",
        "blank",
        "text",
        "blank",
        "member",
        "continuation",
        "blank",
        "features",
        "blank",
        "feature",
        "blank",
        "tag",
    ]
    sections = [doc.sections[c.section].kind if c.section >= 0 else None for c in classes]
    assert sections[2] == sections[4] == "plain"
    assert sections[6:8] == ["member", "member"]
    assert sections[11] == "feature" and sections[13] == "since"
    assert sections[9] is None  # the Features: line belongs to no section
    assert [c.indent for c in classes][4:8] == [4, 0, 0, 4]
    # '::' at the end of a paragraph is not QEMU's literal mode; a bare '::' is
    assert not any(c.literal for c in classes)
    assert docparse.classified(doc) is classes  # made once, held beside the model


def test_literal_mode_is_part_of_the_class() -> None:
    doc, _ = read("##\n# Free text\n#\n# ::\n#\n#   literal line\n#\n# back\n##")
    assert [c.literal for c in docparse.classified(doc)] == [
        False,
        False,
        True,
        True,
        True,
        True,
        False,
    ]
