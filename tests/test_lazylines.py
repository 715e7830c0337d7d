"""A doc block's lines and its sections' lines are made when read and
dropped when the engine moves on (qapilint.syntax.lazylines): made again,
they are the same; while dropped, the schema holds no doc line or text
line at all (one copy of each doc text: the file's lines)."""

from __future__ import annotations

import gc
import weakref
from collections.abc import Iterator
from pathlib import Path

from qapilint.lint.engine import load_rules, run_rules
from qapilint.lint.rule import DocContext, Finding, ModuleContext, Rule
from qapilint.schema.loader import load_schema
from qapilint.schema.tree import read_tree
from qapilint.syntax.blockviews import forget_block_views
from qapilint.syntax.lazylines import Unmade, doc_lines_between, make_block_lines
from qapilint.syntax.model import Doc, DocLine, Section, Span, TextLine
from qapilint.syntax.parse import parse_module

SCHEMA = """\
##
# @First:
#
# The body,
# on two lines.
#
# @a: a member, its text
#     going on indented
#
# @b:
#     text under the tag
#
# Since: 9.1
##
{ 'struct': 'First', 'data': { 'a': 'int', 'b': 'str' } }

##
#  @Second:
#
#x irregular: a "#" and no space
   # indented, and a blank line follows

# @c: member
##
{ 'struct': 'Second', 'data': { 'c': 'int' } }
"""


def docs(tmp_path: Path) -> list[Doc]:
    return parse_module(tmp_path / "schema.json", SCHEMA).docs


def as_data(doc: Doc) -> object:
    return (
        [tuple(line) for line in doc.lines],
        [(s.kind, s.name, [tuple(t) for t in s.lines]) for s in doc.sections],
    )


def test_lines_stand_unmade_after_reading(tmp_path: Path) -> None:
    for doc in docs(tmp_path):
        assert type(doc.lines) is Unmade
        assert all(type(section.lines) is Unmade for section in doc.sections)


def test_lines_are_those_of_the_file(tmp_path: Path) -> None:
    first, second = docs(tmp_path)
    assert first.lines[1] == DocLine(3, "#", "", 2)
    assert first.lines[3] == DocLine(5, "# on two lines.", "on two lines.", 3)
    assert [section.kind for section in first.sections] == ["plain", "member", "member", "since"]
    assert first.sections[1].lines == [
        TextLine(7, 7, "a member, its text"),
        TextLine(8, 7, "going on indented"),
    ]
    assert first.sections[2].lines == [TextLine(11, 7, "text under the tag")]
    assert first.sections[3].lines == [TextLine(13, 10, "9.1")]
    # the irregular block: its odd lines as QEMU reads them, the blank line skipped
    assert [line.line for line in second.lines] == [18, 19, 20, 21, 23]
    irregular = '#x irregular: a "#" and no space'
    assert second.lines[2] == DocLine(20, irregular, irregular[1:], 2)
    assert second.lines[3].col == 6


def test_a_stand_in_reads_like_the_list_and_is_replaced_by_it(tmp_path: Path) -> None:
    first = docs(tmp_path)[0]
    stand_in = first.lines
    assert isinstance(stand_in, Unmade)
    made = list(stand_in)
    assert type(first.lines) is list and first.lines == made  # in its place now
    assert len(stand_in) == len(made) and bool(stand_in)
    assert stand_in[0] == made[0] and stand_in[1:3] == made[1:3]
    assert stand_in.index(made[2]) == 2 and made[2] in stand_in
    assert list(reversed(stand_in)) == made[::-1]
    assert stand_in == made and stand_in.count(made[0]) == 1


def test_forgotten_lines_come_back_the_same(tmp_path: Path) -> None:
    first, second = docs(tmp_path)
    before = [as_data(first), as_data(second)]
    make_block_lines(first)
    kept = first.sections[1].lines
    forget_block_views()
    assert type(first.lines) is Unmade
    assert all(type(section.lines) is Unmade for section in first.sections)
    assert [as_data(first), as_data(second)] == before
    assert first.sections[1].lines is not kept  # made anew, equal


def test_lines_given_are_never_dropped() -> None:
    lines = [DocLine(2, "# @x:", "@x:", 3)]
    section = Section("plain", None, None, [TextLine(3, 3, "text")])
    doc = Doc(Span(1, 1, 3, 3), lines, sections=[section])
    make_block_lines(doc)
    forget_block_views()
    assert doc.lines is lines
    assert section.lines == [TextLine(3, 3, "text")]


def test_regular_blocks_are_made_as_the_general_reading_makes_them(corpus: Path) -> None:
    for path in sorted((corpus / "qemu-10.2.2" / "qapi").glob("*.json")):
        module = parse_module(path, path.read_text(encoding="utf-8"))
        for doc in module.docs:
            assert doc.source is not None
            expected = doc_lines_between(doc.source.lines, doc.span.line + 1, doc.span.end_line - 1)
            assert list(doc.lines) == expected, (path, doc.span)
            forget_block_views()


def test_after_the_rules_no_doc_line_is_held(tmp_path: Path) -> None:
    """The whole point: between blocks (and after the run) the schema keeps
    its doc texts once, in the file's lines."""
    (tmp_path / "schema.json").write_text(SCHEMA, encoding="utf-8")
    schema = load_schema(tmp_path / "schema.json", tmp_path)
    rules = [r for r in load_rules() if r.context == "doc"]
    run_rules(rules, schema, read_tree(tmp_path))
    gc.collect()
    held = [o for o in gc.get_objects() if type(o) in (DocLine, TextLine)]
    assert held == []
    assert all(type(doc.lines) is Unmade for module in schema.modules for doc in module.docs)
    # nor the file's lines: each module holds its text, and its lines while
    # its own rules run
    assert [module._lines for module in schema.modules] == [None]


def test_a_module_rule_sees_its_lines_and_they_are_dropped_after(tmp_path: Path) -> None:
    (tmp_path / "schema.json").write_text(SCHEMA, encoding="utf-8")
    schema = load_schema(tmp_path / "schema.json", tmp_path)
    (module,) = schema.modules
    assert module._lines is None  # not after loading either
    seen: list[str] = []

    def reader(ctx: ModuleContext) -> Iterator[Finding]:
        seen.extend(ctx.module.lines[:2])
        yield from ()

    rule = Rule("X813", "test-module-lines", "warning", "module", reader)  # type: ignore[arg-type]
    run_rules([rule], schema, read_tree(tmp_path))
    assert seen == ["##", "# @First:"]
    assert module._lines is None


def test_a_rule_reads_made_lines(tmp_path: Path) -> None:
    (tmp_path / "schema.json").write_text(SCHEMA, encoding="utf-8")
    schema = load_schema(tmp_path / "schema.json", tmp_path)
    seen: list[object] = []

    def reader(ctx: DocContext) -> Iterator[Finding]:
        seen.append((type(ctx.doc.lines), {type(s.lines) for s in ctx.doc.sections}))
        yield from ()

    rule = Rule("X812", "test-made-lines", "warning", "doc", reader)  # type: ignore[arg-type]
    run_rules([rule], schema, read_tree(tmp_path))
    assert seen == [(list, {list}), (list, {list})]  # no stand-in reaches a doc rule


def test_a_schema_read_outside_the_engine_is_not_kept(tmp_path: Path) -> None:
    (tmp_path / "schema.json").write_text(SCHEMA, encoding="utf-8")
    schema = load_schema(tmp_path / "schema.json", tmp_path)
    docs = [doc for module in schema.modules for doc in module.docs]
    for doc in docs:
        assert len(doc.sections[0].lines) >= 0  # made by its stand-in
    dead = [weakref.ref(doc) for doc in docs]
    del schema, docs, doc
    gc.collect()
    assert [ref() for ref in dead] == [None, None]
    forget_block_views()  # (what it would have dropped is gone already)
