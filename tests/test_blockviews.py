"""The views derived from a doc block (line facts, checked lines, line
classes, prose views) are held only while the block's rules run: the
engine forgets them when it moves on, and a view asked for again is made
again, the same."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from qapilint.lint.engine import run_rules
from qapilint.lint.rule import DocContext, Finding, Rule
from qapilint.schema.loader import load_schema
from qapilint.schema.tree import read_tree
from qapilint.syntax import doclines, docparse, prose
from qapilint.syntax.blockviews import BlockViews, forget_block_views
from qapilint.syntax.model import Doc, Span
from qapilint.syntax.parse import parse_module

TWO_BLOCKS = """\
##
# @First:
#
# The first struct, with a literal block::
#
#   kept as it is
#
# @a: a member
##
{ 'struct': 'First', 'data': { 'a': 'int' } }

##
# @Second:
#
# The second struct.
##
{ 'struct': 'Second', 'data': {} }
"""


def _docs(tmp_path: Path) -> list[Doc]:
    return parse_module(tmp_path / "schema.json", TWO_BLOCKS).docs


def test_forget_empties_every_map_and_views_come_back_the_same(tmp_path: Path) -> None:
    first = _docs(tmp_path)[0]
    facts = doclines.line_facts(first)
    checked = doclines.checked_lines(first)
    classes = docparse.classified(first)
    view = prose.prose_of(first.sections[0])
    assert doclines.line_facts(first) is facts  # held while not forgotten
    assert len(doclines._FACTS) == len(docparse._CLASSES) == 1
    assert len(prose._VIEWS) == 1

    forget_block_views()

    assert len(doclines._FACTS) == len(docparse._CLASSES) == 0
    assert len(prose._VIEWS) == 0
    again = doclines.line_facts(first)
    assert again is not facts  # not the one-entry cache in front of the map either
    assert (again.texts, again.literal) == (facts.texts, facts.literal)
    assert doclines.checked_lines(first) == checked
    assert docparse.classified(first) == classes
    assert prose.prose_of(first.sections[0]).text == view.text


def test_a_map_of_its_own_is_forgotten_too(tmp_path: Path) -> None:
    views: BlockViews[Doc, str] = BlockViews()
    first, second = _docs(tmp_path)
    views[first] = "one"
    views[second] = "two"
    assert views.get(first) == "one"
    forget_block_views()
    assert views.get(first) is None
    assert len(views) == 0


seen: list[tuple[str, int]] = []


def held_views(ctx: DocContext) -> Iterator[Finding]:
    """Notes how many blocks' line facts are held when it starts on a
    block, then asks for this block's."""
    seen.append((ctx.doc.symbol or "", len(doclines._FACTS)))
    doclines.line_facts(ctx.doc)
    yield from ()


def test_the_engine_forgets_a_block_s_views_before_the_next_block(tmp_path: Path) -> None:
    (tmp_path / "schema.json").write_text(TWO_BLOCKS, encoding="utf-8")
    schema = load_schema(tmp_path / "schema.json", tmp_path)
    rule = Rule("X811", "test-held-views", "warning", "doc", held_views)  # type: ignore[arg-type]
    seen.clear()
    run_rules([rule], schema, read_tree(tmp_path))
    # without the engine's forgetting, the second block would find the first's facts held
    assert seen == [("First", 0), ("Second", 0)]
    assert len(doclines._FACTS) == 0


def test_a_span_view_of_a_forgotten_block_still_maps_to_the_file(tmp_path: Path) -> None:
    first = _docs(tmp_path)[0]
    view = prose.prose_of(first.sections[0])
    forget_block_views()
    # a finding made from a view keeps working after the view is dropped
    assert view.span(0, 3) == Span(4, 3, 4, 6)
