"""Q220-Q223: invalid, wrongly cased and reserved names, and name clashes
(rules/q_names.py), with the pragmas that relax the case rules."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.rules.semantic_support import Case, check_hit, check_near_miss

CASES = {
    "invalid-member": Case(
        "Q220",
        "{ 'enum': 'Family', 'data': [ 'q-unix', 'inet' ] }\n",
        "'data' member 'q-unix' has an invalid name",
        1,
        "{ 'enum': 'Family', 'data': [ 'unix', 'inet' ] }\n",
    ),
    "invalid-type": Case(
        "Q220",
        "{ 'struct': '*Oops', 'data': {} }\n",
        "struct has an invalid name",
        1,
        "{ 'struct': 'Oops', 'data': {} }\n",
    ),
    "camel-case": Case(
        "Q221",
        "{ 'struct': 'not_a_camel', 'data': {} }\n",
        "name of struct must use CamelCase",
        1,
        "{ 'struct': '__org.qemu_x-NotACamel', 'data': {} }\n",
    ),
    "event-case": Case(
        "Q221",
        "{ 'event': 'Shut-down' }\n",
        "name of event must not use lowercase or '-'",
        1,
        "{ 'event': 'SHUT_DOWN' }\n",
    ),
    "member-case": Case(
        "Q221",
        "{ 'struct': 'Foo', 'data': { 'Arg': 'int' } }\n",
        "name of 'data' member 'Arg' must not use uppercase or '_' "
        "(unless listed in pragma 'member-name-exceptions')",
        1,
        "{ 'pragma': { 'member-name-exceptions': [ 'Foo' ] } }\n"
        "{ 'struct': 'Foo', 'data': { 'Arg': 'int' } }\n",
    ),
    "command-case": Case(
        "Q221",
        "{ 'command': 'query_foo' }\n",
        "name of command must not use uppercase or '_' "
        "(unless listed in pragma 'command-name-exceptions')",
        1,
        "{ 'pragma': { 'command-name-exceptions': [ 'query_foo' ] } }\n"
        "{ 'command': 'query_foo' }\n",
    ),
    "reserved-has": Case(
        "Q222",
        "{ 'struct': 'Disk', 'data': { 'has-cache': 'bool' } }\n",
        "'data' member 'has-cache' uses reserved name",
        1,
        "{ 'struct': 'Disk', 'data': { 'hash-cache': 'bool' } }\n",
    ),
    "reserved-list": Case(
        "Q222",
        "{ 'struct': 'FooList', 'data': {} }\n",
        "struct name should not end in 'List'",
        1,
        "{ 'struct': 'FooLists', 'data': {} }\n",
    ),
    "member-clash": Case(
        "Q223",
        "{ 'pragma': { 'member-name-exceptions': [ 'Foo' ] } }\n"
        "{ 'struct': 'Foo',\n  'data': { 'a-b': 'int', 'a_b': 'str' } }\n",
        "member 'a_b' collides with member 'a-b'",
        2,
        "{ 'pragma': { 'member-name-exceptions': [ 'Foo' ] } }\n"
        "{ 'struct': 'Foo',\n  'data': { 'a-b': 'int', 'a_c': 'str' } }\n",
    ),
    "base-clash": Case(
        "Q223",
        "{ 'struct': 'Base', 'data': { 'name': 'str' } }\n"
        "{ 'struct': 'Sub', 'base': 'Base', 'data': { 'name': 'str' } }\n",
        "member 'name' collides with member 'name' of type 'Base'",
        2,
        "{ 'struct': 'Base', 'data': { 'name': 'str' } }\n"
        "{ 'struct': 'Sub', 'base': 'Base', 'data': { 'alias': 'str' } }\n",
    ),
    "branch-clash": Case(
        "Q223",
        "{ 'enum': 'Kind', 'data': [ 'one' ] }\n"
        "{ 'struct': 'One', 'data': { 'name': 'str' } }\n"
        "{ 'union': 'Thing', 'base': { 'kind': 'Kind', 'name': 'str' },\n"
        "  'discriminator': 'kind', 'data': { 'one': 'One' } }\n",
        "member 'name' of type 'One' collides with base member 'name'",
        3,
        "{ 'enum': 'Kind', 'data': [ 'one' ] }\n"
        "{ 'struct': 'One', 'data': { 'name': 'str' } }\n"
        "{ 'union': 'Thing', 'base': { 'kind': 'Kind', 'id': 'str' },\n"
        "  'discriminator': 'kind', 'data': { 'one': 'One' } }\n",
    ),
    "feature-clash": Case(
        "Q223",
        "{ 'command': 'go', 'features': [ 'fast', 'fast' ] }\n",
        "feature 'fast' collides with feature 'fast'",
        1,
        "{ 'command': 'go', 'features': [ 'fast', 'slow' ] }\n",
    ),
}


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_hit(tmp_path: Path, case: Case) -> None:
    check_hit(tmp_path, case)


@pytest.mark.parametrize("case", CASES.values(), ids=CASES.keys())
def test_near_miss(tmp_path: Path, case: Case) -> None:
    check_near_miss(tmp_path, case)
