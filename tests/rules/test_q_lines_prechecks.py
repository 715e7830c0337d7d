"""Q181 and Q182 settle most doc blocks with one look at all their lines
before sorting out the lines QEMU checks: that look may let a block
through that has nothing to report, never hide one that has."""

from __future__ import annotations

from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st
from qapilint.rules.q_lines import _may_be_too_long

from qapilint.lint.rule import DocContext
from qapilint.schema.tree import TreeInfo
from qapilint.syntax.doclines import checked_lines, line_length, may_have_single_spaces
from qapilint.syntax.parse import parse_module

LIMIT = 70
# doc line texts around the limit and the sentence rule, literal blocks
# (exempt), trailing spaces (not counted)
_TEXTS = st.sampled_from(
    [
        "",
        "x" * 67,
        "x" * 68,
        "x" * 69,
        "x" * 68 + "   ",
        "  " + "y" * 67,
        "One. Two",
        "One.  Two",
        "e.g. This",
        "1. Item",
        "Example::",
        "::",
        "    literal. Text " + "z" * 60,
        "@a: the member",
        "https://example.com/" + "u" * 60,
    ]
)
# how the "#" is written: the usual "# ", a bare "#", indented
_PREFIXES = st.sampled_from(["# ", "#", "  # "])


def contexts(lines: list[tuple[str, str]]) -> list[DocContext]:
    body = [prefix + text if text else "#" for prefix, text in lines]
    text = "\n".join(["##", "# @foo:", "#", *body, "##", "{ 'command': 'foo' }", ""])
    module = parse_module(Path("x.json"), text)
    tree = TreeInfo(Path("."), None)
    return [DocContext(doc=doc, module=module, tree=tree) for doc in module.docs]


@settings(max_examples=300)
@given(st.lists(st.tuples(_PREFIXES, _TEXTS), max_size=8))
def test_a_block_let_through_has_nothing_to_report(lines: list[tuple[str, str]]) -> None:
    for ctx in contexts(lines):
        checked = checked_lines(ctx.doc)
        if not _may_be_too_long(ctx.doc, LIMIT):
            assert all(line_length(text) <= LIMIT for _, text in checked)
        if not may_have_single_spaces(doc_line.text for doc_line in ctx.doc.lines):
            assert not may_have_single_spaces(text for _, text in checked)


def test_a_block_at_the_limit_is_settled_by_the_first_look() -> None:
    (short,) = contexts([("# ", "x" * 68)])
    assert not _may_be_too_long(short.doc, LIMIT)
    (long,) = contexts([("# ", "x" * 69)])
    assert _may_be_too_long(long.doc, LIMIT)
