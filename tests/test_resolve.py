"""Member resolution: what each definition's doc must describe."""

from __future__ import annotations

import gc
import weakref
from pathlib import Path

import pytest

from qapilint.schema.loader import load_schema
from qapilint.schema.resolve import BUILTIN_TYPES, Resolution, Resolved, resolution, resolve
from qapilint.schema.root import Schema
from qapilint.schema.semantic import semantics

QEMU_ROOTS = (
    "qapi/qapi-schema.json",
    "qga/qapi-schema.json",
    "storage-daemon/qapi/qapi-schema.json",
    "docs/interop/firmware.json",
    "docs/interop/vhost-user.json",
)


def load(tmp_path: Path, text: str) -> Schema:
    root = tmp_path / "schema.json"
    root.write_text(text, encoding="utf-8")
    return load_schema(root, tmp_path)


def of(schema: Schema, name: str) -> Resolved:
    return resolution(schema).of(schema.definitions[name])


def names(resolved: Resolved) -> list[str]:
    return [member.name for member in resolved.documented]


def features(resolved: Resolved) -> list[str]:
    return [feature.name for feature in resolved.features]


def test_builtins() -> None:
    assert {"str", "int", "uint64", "size", "bool", "any", "null", "number"} <= BUILTIN_TYPES


def test_struct_members_optional_and_dict_forms(tmp_path: Path) -> None:
    schema = load(
        tmp_path,
        "{ 'struct': 'Thing', 'features': [ 'deprecated', { 'name': 'unstable' } ],\n"
        "  'data': { 'a': 'int', '*b': ['str'],\n"
        "            'c': { 'type': 'QType', 'if': 'X', 'features': [ 'f1' ] } } }\n",
    )
    thing = of(schema, "Thing")
    assert names(thing) == ["a", "b", "c"]
    assert [m.optional for m in thing.documented] == [False, True, False]
    b_type = thing.documented[1].type
    assert b_type is not None and b_type.name == "str" and b_type.array
    assert features(thing) == ["deprecated", "unstable", "f1"]
    assert all(m.owner is schema.definitions["Thing"] for m in thing.documented)
    assert thing.problems == ()


def test_named_base_members_are_described_in_the_base(tmp_path: Path) -> None:
    schema = load(
        tmp_path,
        "{ 'struct': 'Base', 'data': { 'a': 'int' } }\n"
        "{ 'struct': 'Derived', 'base': 'Base', 'data': { 'b': 'int' } }\n"
        "{ 'struct': 'Grand', 'base': 'Derived', 'data': { 'c': 'int' } }\n",
    )
    grand = of(schema, "Grand")
    assert names(grand) == ["c"]
    assert grand.base is schema.definitions["Derived"]
    flat = resolution(schema).object_members(schema.definitions["Grand"])
    assert [m.name for m in flat] == ["a", "b", "c"]
    assert [m.owner.name for m in flat] == ["Base", "Derived", "Grand"]


def test_union_inline_base_branches_and_named_base(tmp_path: Path) -> None:
    schema = load(
        tmp_path,
        "{ 'enum': 'Kind', 'data': [ 'one', 'two' ] }\n"
        "{ 'struct': 'One', 'data': { 'x': 'int' } }\n"
        "{ 'struct': 'Two', 'base': 'One', 'data': { 'y': 'int' } }\n"
        "{ 'union': 'Inline', 'base': { 'type': 'Kind', '*common': 'str' },\n"
        "  'discriminator': 'type', 'data': { 'one': 'One', 'two': { 'type': 'Two' } } }\n"
        "{ 'struct': 'Head', 'data': { 'type': 'Kind' } }\n"
        "{ 'union': 'Named', 'base': 'Head', 'discriminator': 'type',\n"
        "  'data': { 'one': 'One' } }\n",
    )
    inline = of(schema, "Inline")
    assert names(inline) == ["type", "common"]
    assert [b.name for b in inline.branches] == ["one", "two"]
    assert inline.base is None
    named = of(schema, "Named")
    assert names(named) == []
    assert named.base is schema.definitions["Head"]
    found = resolution(schema)
    assert found.discriminator_enum(schema.definitions["Inline"]) == "Kind"
    assert found.discriminator_enum(schema.definitions["Named"]) == "Kind"
    related = [(r.definition.name, r.how) for r in found.related(schema.definitions["Inline"])]
    assert related == [
        ("One", "the type of branch 'one' of 'Inline'"),
        ("Two", "the type of branch 'two' of 'Inline'"),
    ]


def test_alternate_branches_are_described_here(tmp_path: Path) -> None:
    schema = load(
        tmp_path,
        "{ 'struct': 'Obj', 'data': {} }\n"
        "{ 'alternate': 'Alt', 'data': { 'n': 'int', 'o': { 'type': 'Obj' } } }\n",
    )
    alt = of(schema, "Alt")
    assert names(alt) == ["n", "o"]
    assert {m.role for m in alt.documented} == {"branch"}


def test_command_and_event_arguments(tmp_path: Path) -> None:
    schema = load(
        tmp_path,
        "{ 'struct': 'Args', 'data': { 'a': 'int' } }\n"
        "{ 'command': 'dict', 'data': { 'x': { 'type': 'int', 'features': [ 'f' ] } },\n"
        "  'returns': [ 'Args' ] }\n"
        "{ 'command': 'named', 'data': 'Args' }\n"
        "{ 'command': 'boxed', 'data': 'Args', 'boxed': true, 'returns': 'Args' }\n"
        "{ 'event': 'EVT', 'data': { '*y': 'str' } }\n"
        "{ 'event': 'EVT_NAMED', 'data': 'Args' }\n",
    )
    dict_command = of(schema, "dict")
    assert names(dict_command) == ["x"]
    assert features(dict_command) == ["f"]
    assert dict_command.returns is not None and dict_command.returns.array
    named = of(schema, "named")
    assert names(named) == [] and named.arg_type is schema.definitions["Args"]
    boxed = of(schema, "boxed")
    assert boxed.arg_type is schema.definitions["Args"]
    related = [r.how for r in resolution(schema).related(schema.definitions["boxed"])]
    assert related == ["the argument type of 'boxed'"]  # the return type is the same type
    assert names(of(schema, "EVT")) == ["y"]
    assert of(schema, "EVT_NAMED").arg_type is schema.definitions["Args"]


def test_enum_values_and_their_features(tmp_path: Path) -> None:
    schema = load(
        tmp_path,
        "{ 'enum': 'Color', 'features': [ 'top' ],\n"
        "  'data': [ 'red', { 'name': 'green', 'features': [ 'deprecated' ] },\n"
        "            { 'name': 'blue', 'if': 'X' } ] }\n",
    )
    color = of(schema, "Color")
    assert names(color) == ["red", "green", "blue"]
    assert {m.role for m in color.documented} == {"value"}
    assert features(color) == ["top", "deprecated"]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("{ 'struct': 'Sss', 'base': 'Nope', 'data': {} }", "'base' uses unknown type 'Nope'"),
        ("{ 'struct': 'Sss', 'data': { 'm': ['Nope'] } }", "member 'm' uses unknown type 'Nope'"),
        ("{ 'command': 'ccc', 'data': 'Nope' }", "'data' uses unknown type 'Nope'"),
        ("{ 'command': 'ccc', 'returns': 'Nope' }", "'returns' uses unknown type 'Nope'"),
        (
            "{ 'enum': 'Eee', 'data': [] }\n{ 'struct': 'Sss', 'base': 'Eee', 'data': {} }",
            "'base' must be a struct, not enum 'Eee'",
        ),
        ("{ 'event': 'EEE', 'data': 'int' }", "'data' must be a struct or union"),
        (
            "{ 'union': 'Uuu', 'base': { 'type': 'QType' }, 'discriminator': 'type',\n"
            "  'data': { 'none': 'Nope' } }",
            "branch 'none' uses unknown type 'Nope'",
        ),
        ("{ 'alternate': 'Aaa', 'data': { 'x': 'Nope' } }", "branch 'x' uses unknown type 'Nope'"),
        (
            "{ 'struct': 'Loop1', 'base': 'Loop2', 'data': {} }\n"
            "{ 'struct': 'Loop2', 'base': 'Loop1', 'data': {} }",
            "loop of base types",
        ),
    ],
)
def test_type_problems_never_crash(tmp_path: Path, text: str, message: str) -> None:
    schema = load(tmp_path, text + "\n")
    problems = [p.message for r in resolve(schema) for p in r.problems]
    assert any(message in found for found in problems), problems


def test_union_data_without_boxed(tmp_path: Path) -> None:
    schema = load(
        tmp_path,
        "{ 'struct': 'Head', 'data': { 'type': 'QType' } }\n"
        "{ 'union': 'Uuu', 'base': 'Head', 'discriminator': 'type', 'data': {} }\n"
        "{ 'command': 'ccc', 'data': 'Uuu' }\n"
        "{ 'command': 'ddd', 'data': 'Uuu', 'boxed': true }\n",
    )
    assert [p.message for p in of(schema, "ccc").problems] == [
        "'data' can be union 'Uuu' only with 'boxed': true"
    ]
    assert of(schema, "ddd").problems == ()


def test_malformed_expressions_resolve_to_nothing(tmp_path: Path) -> None:
    schema = load(
        tmp_path,
        "{ 'struct': 'Sss', 'data': 'oops', 'features': 'nope' }\n"
        "{ 'enum': 'Eee', 'data': { 'a': 'b' } }\n"
        "{ 'union': 'Uuu', 'base': [ 'x', 'y' ], 'data': [] }\n"
        "{ 'command': 'ccc', 'data': [ 'x' ], 'returns': { 'a': 'b' } }\n",
    )
    for resolved in resolve(schema):
        assert resolved.documented == [] and resolved.features == ()


def test_cache_is_per_schema(tmp_path: Path) -> None:
    schema = load(tmp_path, "{ 'enum': 'Eee', 'data': [ 'a' ] }\n")
    found = resolution(schema)
    assert isinstance(found, Resolution) and resolution(schema) is found
    definition = schema.definitions["Eee"]
    assert found.of(definition) is found.of(definition)


def test_a_dropped_schema_dies_with_what_was_derived_from_it(tmp_path: Path) -> None:
    """Its resolution and semantic problems hold the schema: kept in a map
    of their own they would keep every schema of a long process alive."""
    schema = load(tmp_path, "{ 'struct': 'Sss', 'data': { 'a': 'int' } }\n")
    assert resolution(schema).of(schema.definitions["Sss"]).documented
    assert semantics(schema).problems == []
    dead = weakref.ref(schema)
    del schema
    gc.collect()
    assert dead() is None


def test_qemu_root_resolves_without_problems(corpus: Path) -> None:
    top = corpus / "qemu-10.2.2"
    schema = load_schema(top / "qapi" / "qapi-schema.json", top)
    resolved = resolve(schema)
    assert len(resolved) == 1011
    assert [p for r in resolved for p in r.problems] == []
    unions = [r for r in resolved if r.definition.kind == "union"]
    assert len(unions) == 43
    assert sum(1 for r in unions if r.base is None and r.documented) == 38  # inline bases


@pytest.mark.parametrize("root", QEMU_ROOTS)
def test_every_qemu_root_resolves(corpus: Path, root: str) -> None:
    top = corpus / "qemu-10.2.2"
    schema = load_schema(top / root, top)
    assert [p for r in resolve(schema) for p in r.problems] == []


def test_home_of_a_name(tmp_path: Path) -> None:
    schema = load(
        tmp_path,
        "{ 'struct': 'Base', 'data': { 'a': { 'type': 'int', 'features': [ 'fa' ] } } }\n"
        "{ 'struct': 'Derived', 'base': 'Base', 'data': { 'b': 'int' } }\n"
        "{ 'command': 'go', 'data': 'Derived', 'returns': 'Base' }\n",
    )
    found = resolution(schema)
    go = schema.definitions["go"]
    home = found.home(go, "a")
    assert home is not None and home.definition.name == "Base"
    assert home.how == "the return type of 'go'"  # breadth first: met there before Derived's base
    home = found.home(schema.definitions["Derived"], "b")
    assert home is not None and home.how == "itself"
    feature = found.home(go, "fa", "feature")
    assert feature is not None and feature.definition.name == "Base"
    assert found.home(go, "nothing") is None
