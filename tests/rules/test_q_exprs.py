"""Q230-Q236: each expression on its own: its kind, keys, values, flags,
``if`` conditions and features (rules/q_exprs.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.lint import lint_text
from tests.rules.semantic_support import Case, check_hit, check_near_miss

CASES = {
    "two-kinds": Case(
        "Q230",
        "{ 'struct': 'Foo', 'command': 'foo', 'data': {} }\n",
        "expression must have exactly one key "
        "'enum', 'struct', 'union', 'alternate', 'command', 'event'",
        1,
        "{ 'struct': 'Foo', 'data': {} }\n",
    ),
    "name-not-string": Case(
        "Q230",
        "{ 'struct': true, 'data': {} }\n",
        "'struct' requires a string name",
        1,
        "{ 'struct': 'True', 'data': {} }\n",
    ),
    "unknown-key": Case(
        "Q231",
        "{ 'struct': 'Foo', 'data': {}, 'bogus': 'x' }\n",
        "struct has unknown key 'bogus'; valid keys are 'base', 'data', 'features', 'if', 'struct'",
        1,
        "{ 'struct': 'Foo', 'data': {}, 'base': 'Bar' }\n{ 'struct': 'Bar', 'data': {} }\n",
    ),
    "missing-key": Case(
        "Q231",
        "{ 'enum': 'Foo' }\n",
        "enum misses key 'data'",
        1,
        "{ 'enum': 'Foo', 'data': [] }\n",
    ),
    "nested-type": Case(
        "Q232",
        "{ 'struct': 'Foo',\n  'data': { 'a': { 'type': { 'b': 'int' } } } }\n",
        "'data' member 'a' should be a type name or array",
        1,
        "{ 'struct': 'Foo',\n  'data': { 'a': { 'type': ['int'] } } }\n",
    ),
    "enum-data": Case(
        "Q232",
        "{ 'enum': 'Foo', 'data': { 'a': 'int' } }\n",
        "'data' must be an array",
        1,
        "{ 'enum': 'Foo', 'data': [ 'a', { 'name': 'b' } ] }\n",
    ),
    "flag-value": Case(
        "Q233",
        "{ 'command': 'go', 'allow-oob': false }\n",
        "flag 'allow-oob' may only use true value",
        1,
        "{ 'command': 'go', 'allow-oob': true, 'gen': false }\n",
    ),
    "oob-coroutine": Case(
        "Q233",
        "{ 'command': 'go', 'allow-oob': true, 'coroutine': true }\n",
        "flags 'allow-oob' and 'coroutine' are incompatible",
        1,
        "{ 'command': 'go', 'coroutine': true }\n",
    ),
    "if-lower-case": Case(
        "Q234",
        "{ 'struct': 'Foo', 'data': {}, 'if': 'config_foo' }\n",
        "'if' condition 'config_foo' of struct is not a valid identifier",
        1,
        "{ 'struct': 'Foo', 'data': {}, 'if': { 'not': 'CONFIG_FOO' } }\n",
    ),
    "if-empty-all": Case(
        "Q234",
        "{ 'struct': 'Foo', 'data': {},\n  'if': { 'all': [] } }\n",
        "'if' condition [] of struct is useless",
        1,
        "{ 'struct': 'Foo', 'data': {},\n"
        "  'if': { 'any': [ 'CONFIG_A', { 'not': 'CONFIG_B' } ] } }\n",
    ),
    "if-two-keys": Case(
        "Q234",
        "{ 'struct': 'Foo', 'data': { 'a': { 'type': 'int',\n"
        "  'if': { 'all': [ 'A' ], 'any': [ 'B' ] } } } }\n",
        "'if' condition of 'data' member 'a' has conflicting keys",
        1,
        "{ 'struct': 'Foo', 'data': { 'a': { 'type': 'int',\n"
        "  'if': { 'all': [ 'A', 'B' ] } } } }\n",
    ),
    "features-not-list": Case(
        "Q235",
        "{ 'command': 'go', 'features': 'fast' }\n",
        "'features' must be an array",
        1,
        "{ 'command': 'go', 'features': [ 'fast' ] }\n",
    ),
    "deprecated-type": Case(
        "Q235",
        "{ 'struct': 'Foo', 'data': {}, 'features': [ 'deprecated' ] }\n",
        "feature 'deprecated' is not supported for types",
        1,
        "{ 'struct': 'Foo',\n"
        "  'data': { 'a': { 'type': 'int', 'features': [ 'deprecated' ] } } }\n",
    ),
}


def _many_features(count: int) -> str:
    names = ", ".join(f"'f{n:02x}'" for n in range(count))
    return f"{{ 'command': 'go', 'features': [ {names} ] }}\n"


CASES["too-many"] = Case(
    "Q236",
    _many_features(63),
    "Maximum of 64 schema features is permitted ('f3e' is the 65th)",
    1,
    _many_features(62),
)


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_hit(tmp_path: Path, case: Case) -> None:
    check_hit(tmp_path, case)


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_near_miss(tmp_path: Path, case: Case) -> None:
    check_near_miss(tmp_path, case)


def test_every_expression_reported(tmp_path: Path) -> None:
    """QEMU stops at the first; each malformed expression is reported, and
    what uses a malformed definition draws nothing more."""
    text = (
        "{ 'enum': 'Kind', 'data': 'one' }\n"
        "{ 'struct': 'Foo', 'data': { 'k': 'Kind' }, 'bogus': true }\n"
        "{ 'struct': 'Bar', 'base': 'Foo', 'data': { 'k': 'str' } }\n"
    )
    findings = lint_text(tmp_path, text, select=("Q2",))
    assert [(f.code, f.span.line) for f in findings] == [("Q232", 1), ("Q231", 2)]
