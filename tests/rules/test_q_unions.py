"""Q225-Q227: union discriminators and branches, alternates whose branches
cannot be told apart (rules/q_unions.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.rules.semantic_support import Case, check_hit, check_near_miss

TYPES = (
    "{ 'enum': 'Kind', 'data': [ 'dog', 'cat' ] }\n"
    "{ 'struct': 'Dog', 'data': { 'bark': 'bool' } }\n"
    "{ 'struct': 'Cat', 'data': { 'purr': 'bool' } }\n"
)


def union(base: str, data: str = "'dog': 'Dog', 'cat': 'Cat'", tag: str = "kind") -> str:
    return (
        TYPES + f"{{ 'union': 'Pet', 'base': {base},\n"
        f"  'discriminator': '{tag}', 'data': {{ {data} }} }}\n"
    )


CASES = {
    "not-a-member": Case(
        "Q225",
        union("{ 'kind': 'Kind' }", tag="type"),
        "discriminator 'type' is not a member of 'base'",
        4,
        union("{ 'kind': 'Kind' }"),
    ),
    "optional": Case(
        "Q225",
        union("{ '*kind': 'Kind' }"),
        "discriminator member 'kind' of 'base' must not be optional",
        4,
        union("{ 'kind': 'Kind', '*name': 'str' }"),
    ),
    "not-enum": Case(
        "Q225",
        union("{ 'kind': 'str' }"),
        "discriminator member 'kind' of 'base' must be of enum type",
        4,
        union("{ 'kind': 'Kind' }"),
    ),
    "conditional": Case(
        "Q225",
        union("{ 'kind': { 'type': 'Kind', 'if': 'CONFIG_PETS' } }"),
        "discriminator member 'kind' of 'base' must not be conditional",
        4,
        union("{ 'kind': 'Kind', 'name': { 'type': 'str', 'if': 'CONFIG_PETS' } }"),
    ),
    "branch-not-value": Case(
        "Q226",
        union("{ 'kind': 'Kind' }", data="'dog': 'Dog', 'kat': 'Cat'"),
        "branch 'kat' is not a value of enum type 'Kind'",
        4,
        union("{ 'kind': 'Kind' }", data="'dog': 'Dog'"),
    ),
    "no-branches": Case(
        "Q226",
        "{ 'enum': 'Nothing', 'data': [] }\n"
        "{ 'union': 'Void', 'base': { 'kind': 'Nothing' },\n"
        "  'discriminator': 'kind', 'data': {} }\n",
        "union has no branches",
        2,
        "{ 'enum': 'Nothing', 'data': [ 'none' ] }\n"
        "{ 'union': 'Void', 'base': { 'kind': 'Nothing' },\n"
        "  'discriminator': 'kind', 'data': {} }\n",
    ),
    "two-objects": Case(
        "Q227",
        TYPES + "{ 'alternate': 'Pet', 'data': { 'dog': 'Dog', 'cat': 'Cat' } }\n",
        "branch 'cat' can't be distinguished from 'dog'",
        4,
        TYPES + "{ 'alternate': 'Pet', 'data': { 'dog': 'Dog', 'kind': 'Kind' } }\n",
    ),
    "string-and-number": Case(
        "Q227",
        "{ 'alternate': 'Size', 'data': { 'bytes': 'int', 'named': 'str' } }\n",
        "branch 'named' can't be distinguished from 'bytes'",
        1,
        "{ 'alternate': 'Size', 'data': { 'bytes': 'int', 'list': ['str'] } }\n",
    ),
    "enum-with-on": Case(
        "Q227",
        "{ 'enum': 'Switch', 'data': [ 'on', 'off' ] }\n"
        "{ 'alternate': 'Toggle', 'data': { 'flag': 'bool', 'word': 'Switch' } }\n",
        "branch 'word' can't be distinguished from 'flag'",
        2,
        "{ 'enum': 'Switch', 'data': [ 'up', 'down' ] }\n"
        "{ 'alternate': 'Toggle', 'data': { 'flag': 'bool', 'word': 'Switch' } }\n",
    ),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_hit(tmp_path: Path, case: Case) -> None:
    check_hit(tmp_path, case)


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_near_miss(tmp_path: Path, case: Case) -> None:
    check_near_miss(tmp_path, case)
