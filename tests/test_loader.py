"""load_schema: includes as QEMU reads them, pragmas, the symbol table, and
read errors."""

from __future__ import annotations

from pathlib import Path

import pytest

from qapilint.schema.loader import SchemaReadError, load_schema
from qapilint.schema.root import Schema
from qapilint.syntax.build import SHARED_STRINGS
from qapilint.syntax.model import JObject, JString
from qapilint.syntax.parse import parse_module, sharing_strings


def write(root: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        target = root / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


def load(tmp_path: Path, files: dict[str, str], root: str = "schema.json") -> Schema:
    write(tmp_path, files)
    return load_schema(tmp_path / root, tmp_path)


def problems(schema: Schema) -> list[tuple[str, int, str, str]]:
    """What parsing and loading found, by module; loading leaves the parsed
    modules as they were."""
    return [
        (m.path.name, p.span.line, p.kind, p.message)
        for m in schema.modules
        for p in (*m.problems, *schema.load_problems.get(m.path, []))
    ]


def test_loading_changes_no_parsed_module(tmp_path: Path) -> None:
    schema = load(tmp_path, {"schema.json": "{ 'include': 'missing.json' }\n"})
    assert schema.modules[0].problems == []
    assert [p.kind for p in schema.load_problems[schema.modules[0].path]] == ["include-read"]


def test_equal_strings_of_the_modules_are_one_object(tmp_path: Path) -> None:
    schema = load(
        tmp_path,
        {
            "schema.json": "{ 'include': 'a.json' }\n{ 'enum': 'E', 'data': ['node-name'] }\n",
            "a.json": "##\n# @S:\n#\n# @node-name: a name\n##\n"
            "{ 'struct': 'S', 'data': { 'node-name': 'str' } }\n",
        },
    )
    root, included = schema.modules
    enum, struct = root.definitions[0].expr, included.definitions[0].expr
    assert isinstance(enum, JObject) and isinstance(struct, JObject)
    data = struct.get("data")
    assert isinstance(data, JObject)
    (key, _), *_ = data.pairs
    value = enum.get("data")
    assert value is not None and isinstance(value.to_py(), list)
    (item,) = value.items  # type: ignore[union-attr]
    assert isinstance(item, JString) and item.value == key.value == "node-name"
    assert item.value is key.value
    assert enum.pairs[1][0].value is struct.pairs[1][0].value  # the key 'data'
    member = included.docs[0].sections[1]
    assert member.name is key.value
    assert SHARED_STRINGS == {}  # the table goes with the load


def test_a_module_parsed_alone_leaves_no_shared_string_behind(tmp_path: Path) -> None:
    module = parse_module(tmp_path / "a.json", "{ 'enum': 'E', 'data': [ 'node-name' ] }\n")
    assert module.definitions and SHARED_STRINGS == {}
    with sharing_strings():  # modules read together share theirs until the end
        first = parse_module(tmp_path / "a.json", "{ 'enum': 'E', 'data': [ 'node-name' ] }\n")
        second = parse_module(tmp_path / "b.json", "{ 'enum': 'F', 'data': [ 'node-name' ] }\n")
        assert SHARED_STRINGS
    assert SHARED_STRINGS == {}
    (a1,) = first.expressions[0].get("data").items  # type: ignore[union-attr]
    (a2,) = second.expressions[0].get("data").items  # type: ignore[union-attr]
    assert a1.value == "node-name" and a1.value is a2.value
    third = parse_module(tmp_path / "c.json", "{ 'enum': 'G', 'data': [ 'node-name' ] }\n")
    (a3,) = third.expressions[0].get("data").items  # type: ignore[union-attr]
    assert a3.value is not a1.value  # read alone, after the others: not shared


def test_includes_are_relative_to_the_including_file(tmp_path: Path) -> None:
    schema = load(
        tmp_path,
        {
            "schema.json": "{ 'include': 'sub/a.json' }\n{ 'enum': 'Root', 'data': [] }\n",
            "sub/a.json": "{ 'include': 'b.json' }\n{ 'enum': 'A', 'data': [] }\n",
            "sub/b.json": "{ 'include': '../c.json' }\n{ 'enum': 'B', 'data': [] }\n",
            "c.json": "{ 'enum': 'C', 'data': [] }\n",
        },
    )
    assert problems(schema) == []
    assert [m.path.relative_to(tmp_path).as_posix() for m in schema.modules] == [
        "schema.json",
        "sub/a.json",
        "sub/b.json",
        "c.json",
    ]
    # QEMU's expression order: an included file takes its directive's place
    assert list(schema.definitions) == ["C", "B", "A", "Root"]
    assert [d.name for d in schema.all_definitions()] == ["Root", "A", "B", "C"]


def test_each_file_is_read_once(tmp_path: Path) -> None:
    schema = load(
        tmp_path,
        {
            "schema.json": (
                "{ 'include': 'a.json' }\n{ 'include': 'b.json' }\n{ 'include': './a.json' }\n"
            ),
            "a.json": "{ 'include': 'common.json' }\n",
            "b.json": "{ 'include': 'common.json' }\n",
            "common.json": "{ 'enum': 'Common', 'data': [] }\n",
        },
    )
    assert problems(schema) == []
    assert [m.path.name for m in schema.modules] == [
        "schema.json",
        "a.json",
        "common.json",
        "b.json",
    ]
    assert [d.name for d in schema.all_definitions()] == ["Common"]


def test_first_definition_of_a_name_wins(tmp_path: Path) -> None:
    schema = load(
        tmp_path,
        {
            "schema.json": "{ 'struct': 'S', 'data': {} }\n{ 'include': 'a.json' }\n",
            "a.json": "{ 'struct': 'S', 'data': { 'x': 'int' } }\n",
        },
    )
    assert schema.definitions["S"].module.path.name == "schema.json"
    assert len(schema.all_definitions()) == 2


def test_self_inclusion_is_a_loop(tmp_path: Path) -> None:
    schema = load(tmp_path, {"schema.json": "{ 'include': 'schema.json' }\n"})
    assert problems(schema) == [
        ("schema.json", 1, "include-loop", "inclusion loop for schema.json")
    ]


def test_a_loop_is_reported_where_it_closes(tmp_path: Path) -> None:
    schema = load(
        tmp_path,
        {
            "schema.json": "{ 'include': 'b.json' }\n",
            "b.json": "{ 'include': 'c.json' }\n",
            "c.json": "\n{ 'include': 'schema.json' }\n",
        },
    )
    assert problems(schema) == [("c.json", 2, "include-loop", "inclusion loop for schema.json")]


def test_missing_include(tmp_path: Path) -> None:
    schema = load(tmp_path, {"schema.json": "\n{ 'include': 'sub/nope.json' }\n"})
    assert problems(schema) == [
        (
            "schema.json",
            2,
            "include-read",
            "can't read include file 'sub/nope.json': No such file or directory",
        )
    ]


def test_directory_include(tmp_path: Path) -> None:
    (tmp_path / "dir.json").mkdir()
    schema = load(tmp_path, {"schema.json": "{ 'include': 'dir.json' }\n"})
    assert problems(schema) == [
        ("schema.json", 1, "include-read", "can't read include file 'dir.json': Is a directory")
    ]


def test_unreadable_include(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, {"schema.json": "{ 'include': 'secret.json' }\n", "secret.json": "{}\n"})
    real = Path.read_bytes

    def read_bytes(path: Path) -> bytes:
        if path.name == "secret.json":
            raise PermissionError(13, "Permission denied", str(path))
        return real(path)

    monkeypatch.setattr(Path, "read_bytes", read_bytes)
    schema = load_schema(tmp_path / "schema.json", tmp_path)
    assert problems(schema) == [
        (
            "schema.json",
            1,
            "include-read",
            "can't read include file 'secret.json': Permission denied",
        )
    ]


@pytest.mark.parametrize("target", ["../outside.json", "/etc/passwd", "sub/../../x.json"])
def test_include_outside_the_tree_is_not_read(tmp_path: Path, target: str) -> None:
    tree = tmp_path / "tree"
    (tmp_path / "outside.json").write_text("{ 'enum': 'Outside', 'data': [] }\n")
    schema = load(tree, {"schema.json": f"{{ 'include': '{target}' }}\n"})
    assert [(p[2], p[1]) for p in problems(schema)] == [("include-outside", 1)]
    assert [m.path.name for m in schema.modules] == ["schema.json"]
    assert schema.definitions == {}


def test_symlink_out_of_the_tree_is_not_read(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    tree.mkdir()
    (tmp_path / "outside.json").write_text("{ 'enum': 'Outside', 'data': [] }\n")
    (tree / "link.json").symlink_to(tmp_path / "outside.json")
    schema = load(tree, {"schema.json": "{ 'include': 'link.json' }\n"})
    assert [p[2] for p in problems(schema)] == ["include-outside"]
    assert schema.definitions == {}


def test_includes_across_folders_stay_inside_the_tree(tmp_path: Path) -> None:
    schema = load(
        tmp_path,
        {
            "storage-daemon/qapi/qapi-schema.json": "{ 'include': '../../qapi/common.json' }\n",
            "qapi/common.json": "{ 'enum': 'Common', 'data': [] }\n",
        },
        root="storage-daemon/qapi/qapi-schema.json",
    )
    assert problems(schema) == []
    assert list(schema.definitions) == ["Common"]


def test_pragmas_are_global_and_follow_reading_order(tmp_path: Path) -> None:
    schema = load(
        tmp_path,
        {
            "schema.json": (
                "{ 'pragma': { 'member-name-exceptions': [ 'Early' ] } }\n"
                "{ 'include': 'a.json' }\n"
                "{ 'pragma': { 'command-name-exceptions': [ 'x_y' ] } }\n"
            ),
            "a.json": (
                "{ 'pragma': { 'doc-required': true,\n"
                "              'member-name-exceptions': [ 'Late' ],\n"
                "              'documentation-exceptions': [ 'D' ],\n"
                "              'command-returns-exceptions': [ 'R' ] } }\n"
            ),
        },
    )
    assert problems(schema) == []
    pragmas = schema.pragmas
    assert pragmas.doc_required is True
    assert pragmas.member_name_exceptions == {"Late"}  # a later pragma replaces
    assert pragmas.command_name_exceptions == {"x_y"}
    assert pragmas.documentation_exceptions == {"D"}
    assert pragmas.command_returns_exceptions == {"R"}


def test_bad_pragma_values_are_not_applied(tmp_path: Path) -> None:
    schema = load(
        tmp_path,
        {"schema.json": "{ 'pragma': { 'doc-required': 'yes', 'nope': true } }\n"},
    )
    assert [p[2] for p in problems(schema)] == ["pragma-type", "unknown-pragma"]
    assert schema.pragmas.doc_required is False


def test_missing_root_raises_a_read_error(tmp_path: Path) -> None:
    with pytest.raises(SchemaReadError) as raised:
        load_schema(tmp_path / "missing.json", tmp_path)
    message = str(raised.value)
    assert "\n" not in message
    assert message == (
        f"can't read schema file '{tmp_path / 'missing.json'}': No such file or directory"
    )


def test_directory_root_raises_a_read_error(tmp_path: Path) -> None:
    with pytest.raises(SchemaReadError, match="Is a directory"):
        load_schema(tmp_path, tmp_path)


def test_symlink_loop_and_long_names_are_read_errors(tmp_path: Path) -> None:
    (tmp_path / "loop1.json").symlink_to("loop2.json")
    (tmp_path / "loop2.json").symlink_to("loop1.json")
    long_name = "a" * 5000 + ".json"
    schema = load(
        tmp_path,
        {"schema.json": f"{{ 'include': 'loop1.json' }}\n{{ 'include': '{long_name}' }}\n"},
    )
    found = problems(schema)
    assert [(p[1], p[2]) for p in found] == [(1, "include-read"), (2, "include-read")]
    assert found[0][3].endswith("Too many levels of symbolic links")
    assert all(len(p[3]) < 200 for p in found)
    with pytest.raises(SchemaReadError, match="symbolic links"):
        load_schema(tmp_path / "loop1.json", tmp_path)
