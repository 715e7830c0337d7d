"""version_tags' shortcuts: it looks only at the sections that can hold a
since tag, tries the pattern only where "since" stands, and asks the prose
view only where something could mask a version; each gives the answer of
the plain look at every section, on generated doc blocks."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from qapilint.rules import s_since
from qapilint.rules._doctext import SectionText

from qapilint.syntax.model import Doc
from qapilint.syntax.parse import parse_module

# Since tags, and whatever a prose view masks them with (literals, roles,
# literal blocks, directives, transcripts, field markers) or not (@refs,
# URLs, emphasis, list bullets), in several cases and scripts.
PIECES = [
    "since 1.0",
    "(since 2.12)",
    "(Since 10.1)",
    "SINCE 3.1",
    "since: 4.2",
    "since QEMU 2.7",
    "\u017fince 5.0",
    "\u0130 since 6.0",
    "since",
    "1.2",
    "``since 1.0``",
    "``x``",
    "`since 2.0`",
    ":qapi:type:`since 3.0`",
    "@since",
    "http://x/since",
    "*since 1.0*",
    "- since 1.0",
    "1. since 2.0",
    ":field since 1.0: x",
    "::",
    "text::",
    ".. note:: since 1.0",
    ".. code-block::",
    "-> { 'since 1.0' }",
    "<- {",
    '{ "a": 1 }',
    "text.",
    "",
    "    ",
]
BLOCK_LINES = st.lists(
    st.tuples(
        st.sampled_from(["", "@bar: ", "@baz: ", "Returns: ", "Since: ", "    ", "  "]),
        st.lists(st.sampled_from(PIECES), min_size=1, max_size=3).map(" ".join),
    ).map("".join),
    max_size=10,
)


def parsed_doc(lines: list[str]) -> Doc:
    body = "\n".join(f"# {line}" if line else "#" for line in lines)
    text = f"##\n# @Foo:\n#\n{body}\n##\n{{ 'struct': 'Foo', 'data': {{ 'bar': 'int' }} }}\n"
    return parse_module(Path("test.json"), text).docs[0]


def tags_looking_everywhere(doc: Doc) -> list[tuple[str, object, int]]:
    """version_tags without its shortcuts: every section, every match, the
    prose view asked for each version outside a Since: section."""
    found = []
    for number, section in enumerate(doc.sections):
        if not section.lines:
            continue
        text = SectionText.of(section)
        matches = list(s_since.TAG_VERSION_RE.finditer(text.source))
        if section.kind == "since" and (first := s_since.SECTION_VERSION_RE.match(text.source)):
            matches.insert(0, first)
        for match in matches:
            start, end = match.span("ver")
            if section.kind == "since" or text.is_text(start, end):
                found.append((match["ver"], text.span(start, end), number))
    return found


@settings(max_examples=400, deadline=None)
@given(BLOCK_LINES)
def test_version_tags_as_if_every_section_were_looked_at(lines: list[str]) -> None:
    doc = parsed_doc(lines)
    tags = [
        (tag.version, tag.span, doc.sections.index(tag.section))
        for tag in s_since.version_tags(doc)
    ]
    assert tags == tags_looking_everywhere(doc)


@settings(max_examples=400)
@given(st.lists(st.sampled_from(PIECES), max_size=6).map(" ".join))
def test_pattern_tried_where_since_stands_finds_every_match(source: str) -> None:
    assert [m.span() for m in s_since._tag_versions(source)] == [
        m.span() for m in s_since.TAG_VERSION_RE.finditer(source)
    ]


def test_a_version_between_backquotes_is_no_tag() -> None:
    doc = parsed_doc(["@bar: see ``(since 1.0)``, (since 2.0) and `x`"])
    assert [tag.version for tag in s_since.version_tags(doc)] == ["2.0"]
