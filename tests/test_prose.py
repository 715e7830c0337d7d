"""The prose view of a section: what is masked, and offsets back to the file."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from qapilint.syntax import prose
from qapilint.syntax.model import Doc, ProseView, Section, TextLine
from qapilint.syntax.prose import prose_of, prose_view
from tests.test_docparse import read


def block(*lines: str, first_line: int = 1) -> Doc:
    """A definition doc block for ``foo`` with ``lines`` (without "# ")."""
    body = [f"# {line}" if line else "#" for line in lines]
    doc, _ = read("\n".join(["##", "# @foo:", "#", *body, "##"]), first_line)
    return doc


def shown(view: ProseView) -> list[str]:
    """The view's text, masked characters shown as "~"."""
    return view.text.replace(ProseView.MASK, "~").split("\n")


def body_view(*lines: str) -> ProseView:
    doc = block(*lines)
    assert doc.body is not None
    return prose_view(doc.body)


def kinds(view: ProseView) -> list[tuple[str, str]]:
    """Each non-prose segment's kind and source text."""
    return [(s.kind, view.source[s.start : s.end]) for s in view.segments if s.kind != "prose"]


class TestInline:
    def test_at_reference(self) -> None:
        view = body_view("Set @speed-limit to 0.")
        assert shown(view) == ["Set ~~~~~~~~~~~~ to 0."]
        assert kinds(view) == [("ref", "@speed-limit")]

    def test_inline_literal_across_lines(self) -> None:
        view = body_view("Use ``foo", "bar`` here.")
        assert shown(view) == ["Use ~~~~~", "~~~~~ here."]
        assert kinds(view) == [("literal", "``foo\nbar``")]

    def test_cross_references(self) -> None:
        view = body_view("See `BlockdevOptions`, :qapi:type:`Foo` and `QEMU <https://qemu.org>`_.")
        assert kinds(view) == [
            ("xref", "`BlockdevOptions`"),
            ("xref", ":qapi:type:`Foo`"),
            ("xref", "`QEMU <https://qemu.org>`_"),
        ]
        assert shown(view)[0].startswith("See ~~~~~~~~~~~~~~~~~, ~")
        assert shown(view)[0].endswith("~.")

    def test_url(self) -> None:
        view = body_view("Read https://www.qemu.org/docs/. Then go.")
        assert kinds(view) == [("xref", "https://www.qemu.org/docs/")]

    def test_literal_hides_at_sign(self) -> None:
        view = body_view("Write ``@foo`` literally.")
        assert kinds(view) == [("literal", "``@foo``")]

    def test_emphasis_stars(self) -> None:
        view = body_view("This is *very* **important**, 2 * 3.")
        assert shown(view) == ["This is ~very~ ~~important~~, 2 * 3."]

    def test_list_bullets_and_numbers(self) -> None:
        view = body_view("- first", "- second", "", "1. one", "2) two")
        assert shown(view) == ["~ first", "~ second", "", "~~ one", "~~ two"]

    def test_heading_adornment(self) -> None:
        doc, _ = read("##\n# Title\n# =====\n#\n# Text.\n##")
        assert doc.body is not None
        assert shown(prose_view(doc.body)) == ["Title", "~~~~~", "", "Text."]

    def test_plain_prose_untouched(self) -> None:
        view = body_view("Nothing special here.")
        assert view.text == view.source
        assert [s.kind for s in view.segments] == ["prose"]


class TestBlocks:
    def test_literal_block_after_paragraph(self) -> None:
        view = body_view("Like this::", "", "    raw @text here", "      more", "", "Prose again.")
        assert shown(view) == [
            "Like this~~",
            "",
            "~~~~~~~~~~~~~~~~~~",
            "~~~~~~~~~~",
            "",
            "Prose again.",
        ]
        assert kinds(view) == [
            ("markup", "::"),
            ("literal_block", "    raw @text here\n      more"),
        ]

    def test_bare_double_colon(self) -> None:
        view = body_view("::", "", "  literal", "", "Prose.")
        assert shown(view) == ["~~", "", "~~~~~~~~~", "", "Prose."]

    def test_double_colon_without_indented_block(self) -> None:
        view = body_view("Odd::", "", "Not literal.")
        assert shown(view) == ["Odd~~", "", "Not literal."]

    def test_qmp_example(self) -> None:
        view = body_view(
            ".. qmp-example::",
            "",
            '    -> { "execute": "stop" }',
            '    <- { "return": {} }',
            "",
            "Prose.",
        )
        masked = shown(view)
        assert masked[0] == "~" * len(".. qmp-example::")
        assert set(masked[2]) == {"~"} and set(masked[3]) == {"~"}
        assert masked[5] == "Prose."
        assert [kind for kind, _ in kinds(view)] == ["markup", "example"]

    def test_qmp_example_title_is_prose(self) -> None:
        view = body_view(".. qmp-example::", "   :title: Stop the VM", "", "   -> { }")
        assert shown(view) == ["~" * 16, "   ~~~~~~~ Stop the VM", "", "~~~~~~~~~"]

    def test_annotated_qmp_example_keeps_its_prose(self) -> None:
        view = body_view(
            ".. qmp-example::",
            "   :annotated:",
            "",
            "   For a pc machine::",
            "",
            "     -> { }",
            "",
            "   Then it stops.",
        )
        assert shown(view) == [
            "~" * 16,
            "   ~~~~~~~~~~~",
            "",
            "   For a pc machine~~",
            "",
            "~" * 11,
            "",
            "   Then it stops.",
        ]

    def test_code_block(self) -> None:
        view = body_view(".. code-block:: json", "", '   { "a": 1 }', "", "Prose.")
        assert shown(view) == ["~" * 20, "", "~" * 13, "", "Prose."]
        assert ("literal_block", '   { "a": 1 }') in kinds(view)

    def test_other_directive_body_masked(self) -> None:
        view = body_view(".. table:: Combinations", "   :widths: auto", "", "   a  b", "", "After.")
        assert shown(view)[3] == "~~~~~~~"
        assert shown(view)[5] == "After."

    def test_admonition_body_is_prose(self) -> None:
        view = body_view(".. note:: Stop the @vm first.", "   It may take a while.")
        assert shown(view) == ["~~~~~~~~~ Stop the ~~~ first.", "   It may take a while."]

    def test_admonition_with_title(self) -> None:
        view = body_view(".. admonition:: Notes", "", "   1. It is slow.")
        assert shown(view) == ["~~~~~~~~~~~~~~~ Notes", "", "   ~~ It is slow."]

    def test_comment(self) -> None:
        view = body_view(".. a comment", "   continued", "", "Prose.")
        assert shown(view) == ["~" * 12, "~" * 12, "", "Prose."]

    def test_bare_qmp_transcript(self) -> None:
        view = body_view('-> { "execute": "stop" }', "<- { }", "", "Prose.")
        assert shown(view)[2:] == ["", "Prose."]
        assert set(shown(view)[0]) == {"~"} and set(shown(view)[1]) == {"~"}

    def test_transcript_inside_a_paragraph(self) -> None:
        # 7.2-era "Example:" sections: a label line, then the transcript
        view = body_view("1. Add a node", '-> { "execute": "x" }', "   more", "<- { }")
        assert shown(view)[0] == "~~ Add a node"
        assert all(set(line) == {"~"} for line in shown(view)[1:])

    def test_json_event_line(self) -> None:
        view = body_view("Emitted like:", '{ "event": "STOP" }')
        assert shown(view)[0] == "Emitted like:"
        assert set(shown(view)[1]) == {"~"}

    def test_arrow_inside_prose_is_prose(self) -> None:
        view = body_view("From r/o -> r/w.")
        assert view.text == view.source


class TestPositions:
    def test_member_description_maps_to_file(self) -> None:
        doc = block(
            "@speed: the speed, in bytes",
            "    per second; see @limit",
            "",
            "    Second ``paragraph``.",
            first_line=20,
        )
        member = doc.member("speed")
        assert member is not None
        view = prose_view(member)
        raw = {line.line: line.raw for line in doc.lines}
        for offset, char in enumerate(view.source):
            if char == "\n":
                continue
            line, col = view.position(offset)
            assert raw[line][col - 1] == char
        ref = next(s for s in view.segments if s.kind == "ref")
        assert view.span(ref.start, ref.end).line == 24
        assert view.source[ref.start : ref.end] == "@limit"
        span = view.span(ref.start, ref.end)
        assert raw[24][span.col - 1 : span.end_col - 1] == "@limit"
        literal = next(s for s in view.segments if s.kind == "literal")
        span = view.span(literal.start, literal.end)
        assert (span.line, span.col, span.end_col) == (26, 14, 27)

    def test_match_in_view_text_maps_to_file(self) -> None:
        doc = block("First line.", "Second line with one thing.", first_line=5)
        assert doc.body is not None
        view = prose_view(doc.body)
        offset = view.text.index("one")
        assert view.position(offset) == (9, 20)

    def test_literal_block_in_member_by_file_column(self) -> None:
        doc = block("@a: looks like::", "", "        raw", "", "    after")
        member = doc.member("a")
        assert member is not None
        view = prose_view(member)
        assert shown(view) == ["looks like~~", "", "~~~"]
        # QEMU ends the description at the less indented line
        assert doc.sections[-1].kind == "plain"
        assert shown(prose_view(doc.sections[-1])) == ["    after"]


_TEXTS = st.sampled_from(
    [
        "",
        "plain words",
        "@ref here",
        "``lit``",
        "``open",
        "close``",
        "`Name`",
        "Para::",
        "::",
        "    indented",
        "  - item",
        ".. qmp-example::",
        "   :annotated:",
        ".. note:: n",
        ".. code-block:: x",
        ".. comment",
        "-> { }",
        "=====",
        "*em*",
        "https://x.org/a.",
    ]
)


@given(st.lists(_TEXTS, max_size=12))
def test_view_invariants(lines: list[str]) -> None:
    doc = block(*lines)
    for section in doc.sections:
        view = prose_view(section)
        assert len(view.text) == len(view.source)
        assert [i for i, c in enumerate(view.text) if c == "\n"] == [
            i for i, c in enumerate(view.source) if c == "\n"
        ]
        cursor = 0
        for segment in view.segments:
            assert segment.start == cursor < segment.end
            cursor = segment.end
            part = view.text[segment.start : segment.end]
            if segment.kind == "prose":
                assert part == view.source[segment.start : segment.end]
            else:
                assert set(part) <= {ProseView.MASK, "\n"}
        assert cursor == len(view.source)


def test_prose_of_makes_the_view_once() -> None:
    doc = block("Use @foo.")
    body: Section | None = doc.body
    assert body is not None
    assert prose_of(body).text == prose_view(body).text
    assert prose_of(body) is prose_of(body)


@given(st.text(alphabet="ab @:*`_-.x/\nhtpsf", max_size=60))
def test_inline_markup_found_where_a_one_pass_search_finds_it(text: str) -> None:
    """The painter tries the inline pattern only where a match can begin;
    the result is that of searching every position."""
    lines = [TextLine(n, 1, part) for n, part in enumerate(text.split("\n"), 1)]
    painter = prose._Painter(lines)
    painter.inline(0, len(painter.source))
    expected = bytearray(len(painter.source))
    for found in prose._INLINE.finditer(painter.source):
        kind = prose._CODE[found.lastgroup]  # type: ignore[index]
        expected[found.start() : found.end()] = bytes((kind,)) * (found.end() - found.start())
    assert painter.codes == expected
