"""Q210, Q213-Q216: unknown types, types of the wrong kind, base cycles,
redefinitions, conditional arguments (rules/q_types.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.lint import lint_text
from tests.rules.semantic_support import Case, check_hit, check_near_miss

CASES = {
    "unknown-base": Case(
        "Q210",
        "{ 'struct': 'Derived', 'base': 'Nope', 'data': {} }\n",
        "'base' uses unknown type 'Nope'",
        1,
        "{ 'struct': 'Nope', 'data': {} }\n{ 'struct': 'Derived', 'base': 'Nope', 'data': {} }\n",
    ),
    "unknown-array-member": Case(
        "Q210",
        "{ 'command': 'go',\n  'data': { 'a': ['Nope'] } }\n",
        "command uses unknown type 'Nope'",
        1,
        "{ 'command': 'go',\n  'data': { 'a': ['str'] } }\n",
    ),
    "command-is-no-type": Case(
        "Q210",
        "{ 'command': 'go' }\n{ 'struct': 'Sub', 'data': { 'a': 'go' } }\n",
        "member 'a' uses unknown type 'go'",
        2,
        "{ 'command': 'go' }\n{ 'struct': 'Sub', 'data': { 'a': 'str' } }\n",
    ),
    "args-any": Case(
        "Q213",
        "{ 'command': 'go', 'data': 'any' }\n",
        "command's 'data' cannot take built-in type 'any'",
        1,
        "{ 'command': 'go', 'data': { 'a': 'any' } }\n",
    ),
    "alternate-any": Case(
        "Q213",
        "{ 'alternate': 'Alt', 'data': { 'one': 'any', 'two': 'int' } }\n",
        "branch 'one' cannot use built-in type 'any'",
        1,
        "{ 'alternate': 'Alt', 'data': { 'one': 'str', 'two': 'null' } }\n",
    ),
    "base-union": Case(
        "Q213",
        "{ 'enum': 'Kind', 'data': [ 'a' ] }\n{ 'struct': 'Apple', 'data': {} }\n"
        "{ 'union': 'Fruit', 'base': { 'k': 'Kind' },\n"
        "  'discriminator': 'k', 'data': { 'a': 'Apple' } }\n"
        "{ 'struct': 'Sub',\n  'base': 'Fruit', 'data': {} }\n",
        "'base' requires a struct type, union type 'Fruit' isn't",
        5,
        "{ 'struct': 'Apple', 'data': {} }\n{ 'struct': 'Sub',\n  'base': 'Apple', 'data': {} }\n",
    ),
    "returns-str": Case(
        "Q213",
        "{ 'command': 'go', 'returns': 'str' }\n",
        "command's 'returns' cannot take built-in type 'str' "
        "(unless listed in pragma 'command-returns-exceptions')",
        1,
        "{ 'pragma': { 'command-returns-exceptions': [ 'go' ] } }\n"
        "{ 'command': 'go', 'returns': 'str' }\n",
    ),
    "union-data-unboxed": Case(
        "Q213",
        "{ 'enum': 'Kind', 'data': [ 'a' ] }\n{ 'struct': 'Apple', 'data': {} }\n"
        "{ 'union': 'Fruit', 'base': { 'k': 'Kind' },\n"
        "  'discriminator': 'k', 'data': { 'a': 'Apple' } }\n"
        "{ 'command': 'go', 'data': 'Fruit' }\n",
        "command's 'data' can take union type 'Fruit' only with 'boxed': true",
        5,
        "{ 'enum': 'Kind', 'data': [ 'a' ] }\n{ 'struct': 'Apple', 'data': {} }\n"
        "{ 'union': 'Fruit', 'base': { 'k': 'Kind' },\n"
        "  'discriminator': 'k', 'data': { 'a': 'Apple' } }\n"
        "{ 'command': 'go', 'data': 'Fruit', 'boxed': true }\n",
    ),
    "base-cycle": Case(
        "Q214",
        "{ 'struct': 'Base1', 'base': 'Base2', 'data': {} }\n"
        "{ 'struct': 'Base2', 'base': 'Base1', 'data': {} }\n",
        "object Base1 contains itself",
        1,
        "{ 'struct': 'Base1', 'data': { 'b': 'Base2' } }\n"
        "{ 'struct': 'Base2', 'data': { 'b': 'Base1' } }\n",
    ),
    "redefined": Case(
        "Q215",
        "{ 'struct': 'Foo', 'data': {} }\n{ 'enum': 'Foo', 'data': [ 'a' ] }\n",
        "'Foo' is already defined; previous definition at schema.json:1",
        2,
        "{ 'struct': 'Foo', 'data': {} }\n{ 'enum': 'Fooo', 'data': [ 'a' ] }\n",
    ),
    "builtin": Case(
        "Q215",
        "{ 'command': 'int' }\n",
        "built-in type 'int' is already defined",
        1,
        "{ 'command': 'integer' }\n",
    ),
    "conditional-argument": Case(
        "Q216",
        "{ 'command': 'go',\n  'data': { 'a': { 'type': 'int', 'if': 'CONFIG_A' } } }\n",
        "conditional command arguments require 'boxed': true",
        1,
        "{ 'struct': 'GoArgs', 'data': { 'a': { 'type': 'int', 'if': 'CONFIG_A' } } }\n"
        "{ 'command': 'go', 'data': 'GoArgs', 'boxed': true }\n",
    ),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_hit(tmp_path: Path, case: Case) -> None:
    check_hit(tmp_path, case)


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_near_miss(tmp_path: Path, case: Case) -> None:
    check_near_miss(tmp_path, case)


def test_unknown_type_reported_once(tmp_path: Path) -> None:
    """The root cause once: a union whose base type is unknown draws no
    discriminator or branch finding."""
    text = (
        "{ 'struct': 'Apple', 'data': {} }\n"
        "{ 'union': 'Fruit', 'base': 'Nope', 'discriminator': 'k', 'data': { 'a': 'Apple' } }\n"
        "{ 'struct': 'Sub', 'base': 'Fruit', 'data': {} }\n"
    )
    findings = lint_text(tmp_path, text, select=("Q2",))
    assert [(f.code, f.message) for f in findings] == [
        ("Q210", "'base' uses unknown type 'Nope'"),
        ("Q213", "'base' requires a struct type, union type 'Fruit' isn't"),
    ]


def test_points_at_the_type_name(tmp_path: Path) -> None:
    text = "{ 'struct': 'Sub',\n  'data': { 'a': 'Nope' } }\n"
    (finding,) = lint_text(tmp_path, text, select=("Q210",))
    assert (finding.span.line, finding.span.col, finding.anchor_line) == (2, 18, 1)
