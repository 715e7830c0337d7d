"""Roots that include the same module (``check .`` on a QEMU tree: the
storage daemon's schema includes a third of ``qapi/``): the module is
parsed once, and a rule that did not read the schema on it is not run on
it again for the next root; one that did read it is."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from qapilint.lint.check import CheckOptions, run_check
from qapilint.lint.engine import load_rules
from qapilint.lint.rule import DocContext, Finding, ModuleContext, Rule
from qapilint.syntax.model import Span

SHARED = """\
##
# @Shared:
#
# A shared struct.
##
{ 'struct': 'Shared', 'data': { 'a': 'int' } }
"""

runs: dict[str, list[str]] = {"X801": [], "X802": [], "X803": []}


def local_rule(ctx: DocContext) -> Iterator[Finding]:
    """Reads the doc block only."""
    runs["X801"].append(ctx.doc.symbol or "")
    yield Finding(Span(ctx.doc.span.line, 1, ctx.doc.span.line, 3), f"saw {ctx.doc.symbol}")


def schema_rule(ctx: DocContext) -> Iterator[Finding]:
    """Reads the schema: how many definitions the root has."""
    runs["X802"].append(ctx.doc.symbol or "")
    assert ctx.schema is not None
    count = len(ctx.schema.definitions)
    yield Finding(Span(ctx.doc.span.line, 1, ctx.doc.span.line, 3), f"{count} definitions")


def problems_rule(ctx: ModuleContext) -> Iterator[Finding]:
    """Asks for the module's problems, which include the root's loading problems."""
    runs["X803"].append(str(ctx.module.path))
    yield from ctx.problems("include-read")


def made_rules() -> list[Rule]:
    made = []
    for code, function, context in (
        ("X801", local_rule, "doc"),
        ("X802", schema_rule, "doc"),
        ("X803", problems_rule, "module"),
    ):
        made.append(
            Rule(code, f"test-{code.lower()}", "warning", context, function)  # type: ignore[arg-type]
        )
    return made


@pytest.fixture
def tree(tmp_path: Path) -> Path:
    (tmp_path / "VERSION").write_text("10.2.0\n")
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    (tmp_path / "shared.json").write_text(SHARED)
    (tmp_path / "a" / "schema.json").write_text("{ 'include': '../shared.json' }\n")
    (tmp_path / "b" / "schema.json").write_text(
        "{ 'include': '../shared.json' }\n{ 'include': 'missing.json' }\n"
        "##\n# @Own:\n#\n# Its own.\n##\n{ 'struct': 'Own', 'data': {} }\n"
    )
    for found in runs.values():
        found.clear()
    return tmp_path


def test_a_rule_not_reading_the_schema_runs_once_per_shared_doc(tree: Path) -> None:
    rules = [*load_rules(), *made_rules()]
    result = run_check(CheckOptions([tree], select=["X8"]), rules)
    assert sorted(runs["X801"]) == ["Own", "Shared"]  # Shared once, though both roots have it
    assert sorted(runs["X802"]) == ["Own", "Shared", "Shared"]  # the schema read: run per root
    messages = sorted(f.message for f in result.findings if f.code == "X802")
    # the two roots' findings on the shared doc differ, and both are kept
    assert messages == ["1 definitions", "2 definitions", "2 definitions"]
    shared = [f for f in result.findings if f.code == "X801"]
    assert sorted(f.message for f in shared) == ["saw Own", "saw Shared"]
    assert all(f.path is not None and f.path.is_absolute() for f in shared)


def test_module_problems_count_as_reading_the_schema(tree: Path) -> None:
    rules = [*load_rules(), *made_rules()]
    run_check(CheckOptions([tree], select=["X803"]), rules)
    names = sorted(Path(path).name for path in runs["X803"])
    # ctx.problems() reads the root's loading problems: every root asks again
    assert names == ["schema.json", "schema.json", "shared.json", "shared.json"]
