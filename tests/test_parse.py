"""parse_module: values and positions, top-level items, doc blocks, comments,
encodings, and every problem the parser reports, with QEMU's wording."""

from __future__ import annotations

import marshal
import os
import subprocess
import sys
from pathlib import Path

import pytest

from qapilint.syntax.fastparse import TABLES_NAME
from qapilint.syntax.grammar import grammar_text
from qapilint.syntax.model import JBool, JList, JObject, JString, Module, Span
from qapilint.syntax.parse import MAX_DEPTH, MAX_PROBLEMS, parse_module


def parse(text: str | bytes) -> Module:
    return parse_module(Path("schema.json"), text)


def problems(text: str | bytes) -> list[tuple[int, int, str]]:
    return [(p.span.line, p.span.col, p.message) for p in parse(text).problems]


def kinds(text: str | bytes) -> list[str]:
    return [p.kind for p in parse(text).problems]


# --------------------------------------------------------------------------
# Values and positions


def test_values_and_spans() -> None:
    module = parse("{ 'struct': 'Foo',\n  'data': { 'a': [ 'int' ], 'b': true, 'c': false } }\n")
    assert module.problems == []
    [expr] = module.expressions
    assert expr.span == Span(1, 1, 2, 54)
    data = expr.get("data")
    assert isinstance(data, JObject)
    assert data.span == Span(2, 11, 2, 52)
    assert data.keys() == ["a", "b", "c"]
    a = data.get("a")
    assert isinstance(a, JList)
    assert a.span == Span(2, 18, 2, 27)
    [item] = a.items
    assert isinstance(item, JString)
    assert (item.value, item.span) == ("int", Span(2, 20, 2, 25))
    b, c = data.get("b"), data.get("c")
    assert isinstance(b, JBool) and b.value is True
    assert isinstance(c, JBool) and c.value is False
    key = data.key("b")
    assert key is not None and key.span == Span(2, 29, 2, 32)
    assert expr.to_py() == {"struct": "Foo", "data": {"a": ["int"], "b": True, "c": False}}


def test_the_only_escape_is_a_backslash() -> None:
    module = parse("{ 'enum': 'E', 'data': [ 'a\\\\b' ] }")
    assert module.problems == []
    data = module.expressions[0].get("data")
    assert isinstance(data, JList)
    assert data.to_py() == ["a\\b"]


def test_columns_count_code_points() -> None:
    module = parse("# é\n{ 'enum': 'E', 'data': [] } # é\n")
    assert module.problems == []
    assert module.definitions[0].name_span == Span(2, 11, 2, 14)
    assert [(c.line, c.col, c.text) for c in module.comments] == [(1, 1, " é"), (2, 29, " é")]


def test_any_whitespace_separates_tokens() -> None:
    assert problems("{\t'enum':\f'E',\v'data':\xa0[] }\n") == []


# --------------------------------------------------------------------------
# Top-level items


def test_definitions_take_the_first_metatype_key() -> None:
    text = (
        "{ 'enum': 'E', 'data': [] }\n"
        "{ 'data': {}, 'struct': 'S' }\n"
        "{ 'union': 'U', 'base': {}, 'discriminator': 'x', 'data': {} }\n"
        "{ 'alternate': 'A', 'data': {} }\n"
        "{ 'command': 'c', 'event': 'e' }\n"
        "{ 'event': 'EV' }\n"
        "{ 'no-metatype': 'x' }\n"
    )
    module = parse(text)
    assert module.problems == []
    assert [(d.kind, d.name, d.name_span.line) for d in module.definitions] == [
        ("enum", "E", 1),
        ("struct", "S", 2),
        ("union", "U", 3),
        ("alternate", "A", 4),
        ("command", "c", 5),
        ("event", "EV", 6),
    ]
    assert module.definitions[1].name_span == Span(2, 25, 2, 28)
    assert len(module.expressions) == 7
    assert all(d.module is module for d in module.definitions)


def test_a_name_that_is_no_string_gives_an_empty_name() -> None:
    module = parse("{ 'struct': [ 'S' ] }")
    assert module.problems == []
    [definition] = module.definitions
    assert definition.name == ""
    assert definition.name_span == Span(1, 13, 1, 20)


def test_includes_and_pragmas() -> None:
    module = parse(
        "{ 'include': 'sub/common.json' }\n"
        "{ 'pragma': { 'doc-required': true,\n"
        "              'member-name-exceptions': [ 'A', 'B' ] } }\n"
    )
    assert module.problems == []
    [include] = module.includes
    assert include.target == "sub/common.json"
    assert include.span == Span(1, 1, 1, 33)
    assert include.target_span == Span(1, 14, 1, 31)
    [pragma] = module.pragmas
    assert pragma.span.line == 2
    assert pragma.value.to_py() == {"doc-required": True, "member-name-exceptions": ["A", "B"]}
    assert module.expressions == []
    assert module.definitions == []


def test_empty_and_comment_only_files() -> None:
    for text in ("", "\n", "# nothing here\n#\n", "   \n\t\n", "# no newline at the end"):
        module = parse(text)
        assert module.problems == []
        assert module.definitions == module.docs == []


def test_comments_are_plain_lines_outside_doc_blocks() -> None:
    module = parse(
        "# first\n##\n# @E:\n##\n{ 'enum': 'E', # inside\n  'data': [] }\n    # indented\n"
    )
    assert module.problems == []
    assert [(c.line, c.col, c.text) for c in module.comments] == [
        (1, 1, " first"),
        (5, 16, " inside"),
        (7, 5, " indented"),
    ]


# --------------------------------------------------------------------------
# Doc blocks


DOC = "##\n# @frob:\n#\n# Frobnicate.  \n#   indented\n##\n{ 'command': 'frob' }\n"


def test_doc_block_lines_and_attachment() -> None:
    module = parse(DOC)
    assert module.problems == []
    [doc] = module.docs
    assert doc.span == Span(1, 1, 6, 3)
    assert [(d.line, d.text, d.col) for d in doc.lines] == [
        (2, "@frob:", 3),
        (3, "", 2),
        (4, "Frobnicate.  ", 3),
        (5, "  indented", 3),
    ]
    assert doc.lines[2].raw == "# Frobnicate.  "
    assert doc.symbol == "frob"
    [definition] = module.definitions
    assert doc.definition is definition
    assert definition.doc is doc


def test_a_comment_between_doc_and_definition_is_harmless() -> None:
    module = parse("##\n# @frob:\n##\n# a remark\n\n{ 'command': 'frob' }\n")
    assert module.problems == []
    assert module.definitions[0].doc is module.docs[0]


def test_indented_doc_lines() -> None:
    module = parse("##\n  # @frob:\n    ##\n{ 'command': 'frob' }\n")
    assert module.problems == []
    [doc] = module.docs
    assert [(d.line, d.col, d.text) for d in doc.lines] == [(2, 5, "@frob:")]


def test_free_form_doc_before_include_is_fine() -> None:
    module = parse("##\n# = Section\n##\n{ 'include': 'x.json' }\n")
    assert module.problems == []
    assert module.docs[0].definition is None


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("## x\n# @a:\n##\n{ 'command': 'a' }\n", (1, 1, "junk after '##' at start")),
        ("###\n# @a:\n##\n{ 'command': 'a' }\n", (1, 1, "junk after '##' at start")),
        ("## \n# @a:\n##\n{ 'command': 'a' }\n", (1, 1, "junk after '##' at start")),
        ("##\n# @a:\n## x\n{ 'command': 'a' }\n", (3, 1, "junk after '##' at end")),
        ("##\n# @a:\n#x\n##\n{ 'command': 'a' }\n", (3, 1, "missing space after #")),
        ("##\n# @a:\n#\tx\n##\n{ 'command': 'a' }\n", (3, 1, "missing space after #")),
        ("##\n# @a:\n#\n", (3, 2, "documentation comment must end with '##'")),
        ("##\n# @a:\n#", (3, 2, "documentation comment must end with '##'")),
        ("##\n# @a:\n\n\n", (4, 1, "documentation comment must end with '##'")),
        ("##\n# @a:\n{ 'command': 'a' }\n", (3, 1, "documentation comment must end with '##'")),
    ],
)
def test_doc_delimiter_errors(text: str, expected: tuple[int, int, str]) -> None:
    found = problems(text)
    assert any(
        (line, col) == expected[:2] and message.startswith(expected[2])
        for line, col, message in found
    ), found


def test_unterminated_doc_still_documents_the_definition_after_it() -> None:
    module = parse("##\n# @a:\n{ 'command': 'a' }\n")
    assert kinds("##\n# @a:\n{ 'command': 'a' }\n") == ["doc-unterminated"]
    assert module.definitions[0].doc is module.docs[0]


def test_unterminated_doc_before_an_indented_expression() -> None:
    module = parse("##\n# @a:\n  { 'command': 'a' }\n")
    assert [p.kind for p in module.problems] == ["doc-unterminated"]
    assert [d.name for d in module.definitions] == ["a"]


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("##\n# @a:\n##\n{ 'include': 'x.json' }\n", 1, "documentation for 'a' is not"),
        ("##\n# @a:\n##\n{ 'pragma': { 'doc-required': true } }\n", 1, "documentation for 'a'"),
        ("##\n# @a:\n##\n##\n# @b:\n##\n{ 'command': 'b' }\n", 1, "documentation for 'a'"),
        ("\n##\n# @a:\n##\n", 2, "documentation for 'a' is not followed by the definition"),
        ("##\n# Free text.\n##\n{ 'command': 'a' }\n", 1, "definition documentation required"),
    ],
)
def test_doc_placement_errors(text: str, line: int, message: str) -> None:
    module = parse(text)
    assert [(p.kind, p.anchor_line) for p in module.problems] == [("doc-placement", line)]
    assert module.problems[0].message.startswith(message)
    assert module.problems[0].span.line == line


def test_placement_of_a_doc_with_a_broken_first_line_is_left_to_docparse() -> None:
    # "@:" has no name: docparse reports it; no second finding from us
    assert "doc-placement" not in kinds("##\n# @:\n##\n")


def test_free_form_doc_is_not_attached_to_a_definition() -> None:
    module = parse("##\n# Free text.\n##\n{ 'command': 'a' }\n")
    assert module.definitions[0].doc is None


# --------------------------------------------------------------------------
# Lexical and syntax errors (QEMU's wording and position)


@pytest.mark.parametrize(
    ("text", "line", "col", "message"),
    [
        ("{ 'a': 'b' } }", 1, 14, "expected '{', '[', string, or boolean"),
        ("{ 'a': trueish }", 1, 12, "stray 'ish'"),
        ("{ 'a': 123 }", 1, 8, "stray '123'"),
        ("{ 'a': null }", 1, 8, "stray 'null'"),
        ('{ "a": 1 }', 1, 3, "stray '\"a\"'"),
        ("{ 'a': 'b'; }", 1, 11, "stray ';'"),
        ("{ 'a': 'x\\'y' }", 1, 8, "unknown escape \\'"),
        ("{ 'a': 'x\\u0041' }", 1, 8, "unknown escape \\u"),
        ("{ 'a': 'x\ty' }", 1, 8, "funny character in string"),
        ("{ 'a': 'xéy' }", 1, 8, "funny character in string"),
        ("{ 'a': 'x\x7f' }", 1, 8, "funny character in string"),
        ("{ 'a': 'lorem\n}", 1, 8, 'missing terminating "\'"'),
        ("{ 'a': 'lorem\\\n}", 1, 8, 'missing terminating "\'"'),
        ("{ 'a' 'b' }", 1, 7, "expected ':'"),
        ("{ , }", 1, 3, "expected string or '}'"),
        ("{ 'a': 'b', }", 1, 13, "expected string"),
        ("{ 'a': 'b' 'c': 'd' }", 1, 12, "expected ',' or '}'"),
        ("{ 'a': [ , ] }", 1, 10, "expected '{', '[', ']', string, or boolean"),
        ("{ 'a': [ 'b', ] }", 1, 15, "expected '{', '[', string, or boolean"),
        ("{ 'a': [ 'b' 'c' ] }", 1, 14, "expected ',' or ']'"),
        ("{ 'a': }", 1, 8, "expected '{', '[', string, or boolean"),
        ("{ 'a': 'b'", 1, 11, "expected ',' or '}'"),
        (":", 1, 1, "expected '{', '[', string, or boolean"),
        ("{ 'a':\n##\n'b' }", 2, 1, "expected '{', '[', string, or boolean"),
        ("{ true: 'a' }", 1, 3, "expected string or '}'"),
        ("{ 'a':\n##\n# @x:\n##\n'b' }", 2, 1, "expected '{', '[', string, or boolean"),
        ("[\n## x\n# @x:\nfoo ]", 2, 1, "expected '{', '[', ']', string, or boolean"),
    ],
)
def test_syntax_errors(text: str, line: int, col: int, message: str) -> None:
    found = problems(text)
    assert found[0] == (line, col, message), found


@pytest.mark.parametrize(
    ("text", "kind", "message"),
    [
        ("'string'\n", "top-level-not-object", "top-level expression must be an object"),
        ("[ ]\n", "top-level-not-object", "top-level expression must be an object"),
        ("true\n", "top-level-not-object", "top-level expression must be an object"),
        ("{ 'a': 1, 'a': 2 }", "lexical", "stray '1'"),
        ("{ 'a': 'x', 'a': 'y' }", "duplicate-key", "duplicate key 'a'"),
        ("{ 'include': 'a', 'b': 'c' }", "bad-include", "invalid 'include' directive"),
        ("{ 'include': [ 'a' ] }", "bad-include", "value of 'include' must be a string"),
        ("{ 'pragma': {}, 'x': 'y' }", "bad-pragma", "invalid 'pragma' directive"),
        ("{ 'pragma': [] }", "bad-pragma", "value of 'pragma' must be an object"),
        ("{ 'pragma': { 'foo': true } }", "unknown-pragma", "unknown pragma 'foo'"),
        (
            "{ 'pragma': { 'doc-required': 'yes' } }",
            "pragma-type",
            "pragma 'doc-required' must be boolean",
        ),
        (
            "{ 'pragma': { 'command-name-exceptions': [ 'a', true ] } }",
            "pragma-type",
            "pragma 'command-name-exceptions' must be a list of strings",
        ),
        (
            "{ 'pragma': { 'documentation-exceptions': 'a' } }",
            "pragma-type",
            "pragma 'documentation-exceptions' must be a list of strings",
        ),
    ],
)
def test_expression_level_errors(text: str, kind: str, message: str) -> None:
    module = parse(text)
    assert [(p.kind, p.message) for p in module.problems] == [(kind, message)]
    assert module.problems[0].span.line == 1


def test_duplicate_key_is_reported_at_the_value_as_qemu_does() -> None:
    assert problems("{ 'key': 'value',\n  'key': 'value' }") == [(2, 10, "duplicate key 'key'")]


def test_include_and_pragma_checks_report_the_directive_line() -> None:
    module = parse("\n{ 'pragma': {\n    'doc-required': 'no' } }\n")
    [problem] = module.problems
    assert problem.anchor_line == 2
    assert problem.span.line == 3


# --------------------------------------------------------------------------
# Recovery and bounds


def test_three_errors_in_three_expressions_give_three_problems() -> None:
    module = parse(
        "{ 'struct': 'A', 'data' {} }\n"
        "{ 'struct': 'B', 'data': { 'x': 'int', } }\n"
        "{ 'struct': 'C', 'data': [ 'int' }\n"
        "{ 'struct': 'D', 'data': {} }\n"
    )
    assert [(p.span.line, p.message) for p in module.problems] == [
        (1, "expected ':'"),
        (2, "expected string"),
        (3, "expected ',' or ']'"),
    ]
    assert [d.name for d in module.definitions] == ["D"]


def test_recovery_keeps_docs_and_definitions_after_an_error() -> None:
    module = parse(
        "{ 'struct': 'A', 'data': {\n"
        "##\n"
        "# @B:\n"
        "##\n"
        "{ 'struct': 'B', 'data': {} }\n"
        "{ 'struct': 'C' 'data': {} }\n"
        "\n"
        "##\n"
        "# @D:\n"
        "##\n"
        "{ 'struct': 'D', 'data': {} }\n"
    )
    assert [(p.span.line, p.message) for p in module.problems] == [
        (2, "expected string or '}'"),
        (6, "expected ',' or '}'"),
    ]
    assert [(d.name, d.doc is not None) for d in module.definitions] == [
        ("B", True),
        ("D", True),
    ]


def test_an_object_before_a_stray_token_is_kept() -> None:
    module = parse("{ 'struct': 'A' } }\n")
    assert [d.name for d in module.definitions] == ["A"]
    assert kinds("{ 'struct': 'A' } }\n") == ["syntax"]


def test_non_object_followed_by_junk() -> None:
    found = problems("'a', { 'struct': 'B' }\n")
    assert (1, 1, "top-level expression must be an object") in found


def test_one_lexical_problem_per_line() -> None:
    assert len(parse("{ 'a': 1 } foo bar 'x\\u' \x01\n").problems) == 1


def test_problems_are_capped_per_file() -> None:
    text = "".join(f"{{ 'a': {i} }}\n" for i in range(MAX_PROBLEMS + 50))
    module = parse(text)
    assert len(module.problems) == MAX_PROBLEMS + 1
    last = module.problems[-1]
    assert last.kind == "too-many-problems"
    assert last.message == "50 more problems not shown"


def test_a_flood_of_errors_stops_the_parse() -> None:
    module = parse("{\n" * 50_000)
    assert len(module.problems) == MAX_PROBLEMS + 1
    assert "stopped reading" in module.problems[-1].message


def test_nesting_is_capped() -> None:
    deep = "{ 'struct': 'S', 'data': " + "[" * (MAX_DEPTH + 1) + "]" * (MAX_DEPTH + 1) + " }"
    module = parse(deep + "\n{ 'struct': 'T' }\n")
    # the object is level 1, so the first "[" over the cap is the 64th
    assert [(p.kind, p.span.col) for p in module.problems] == [("too-deep", 25 + MAX_DEPTH)]
    assert [d.name for d in module.definitions] == ["T"]
    ok = "{ 'struct': 'S', 'data': " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + " }"
    assert parse(ok).problems == []


# --------------------------------------------------------------------------
# Encodings and line ends


def test_bom_is_removed() -> None:
    module = parse(b"\xef\xbb\xbf{ 'enum': 'E', 'data': [] }\n")
    assert module.bom is True
    assert [(p.kind, p.span.line, p.span.col) for p in module.problems] == [("bom", 1, 1)]
    assert module.definitions[0].name_span == Span(1, 11, 1, 14)
    assert parse("\ufeff{ 'enum': 'E' }").bom is True


def test_crlf_is_normalised() -> None:
    module = parse(b"##\r\n# @E:\r\n##\r\n{ 'enum': 'E',\r\n  'data': [] }\r\n")
    assert module.newline == "\r\n"
    assert "\r" not in module.text
    assert module.problems == []
    assert module.docs[0].lines[0].raw == "# @E:"
    assert module.definitions[0].doc is module.docs[0]
    assert parse(b"{ 'enum': 'E' }\n").newline == "\n"


def test_a_lone_carriage_return_ends_a_line_as_for_qemu() -> None:
    module = parse(b"{ 'enum': 'E',\r  'data': [] }\r##\r# @x:\r##\r")
    assert module.newline == "\r"
    assert [(p.span.line, p.kind) for p in module.problems] == [(3, "doc-placement")]
    assert parse(b"# a\n# b\rc\n").lines == ["# a", "# b", "c", ""]


def test_invalid_utf8_is_a_problem_not_a_crash() -> None:
    module = parse(b"# caf\xe9\n{ 'enum': 'E', 'data': [] }\n")
    assert [(p.kind, p.span.line, p.span.col) for p in module.problems] == [("encoding", 1, 6)]
    assert [d.name for d in module.definitions] == ["E"]


# --------------------------------------------------------------------------
# The grammar cache


PARSE_ONE = (
    "import sys\n"
    "from pathlib import Path\n"
    "from qapilint.syntax.parse import parse_module\n"
    "module = parse_module(Path('x.json'), \"{ 'enum': 'E', 'data': [] }\")\n"
    "print(module.definitions[0].name, len(module.problems), 'lark' in sys.modules)\n"
)


def run_with_cache_home(cache_home: Path) -> str:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_home)}
    done = subprocess.run(
        [sys.executable, "-c", PARSE_ONE], env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    return done.stdout


def cache_files(cache_home: Path) -> dict[str, tuple[int, int]]:
    """The cache's files, each with its inode and modification time."""
    return {
        path.name: (path.stat().st_ino, path.stat().st_mtime_ns)
        for path in (cache_home / "qapilint").iterdir()
    }


def test_caches_are_written_then_reused_without_lark(tmp_path: Path) -> None:
    assert run_with_cache_home(tmp_path) == "E 0 True\n"  # lark made the tables
    written = cache_files(tmp_path)
    assert TABLES_NAME in written
    assert any(name.startswith("grammar-lark") for name in written)
    # a valid file is read from the cached tables alone: lark is not imported
    assert run_with_cache_home(tmp_path) == "E 0 False\n"
    assert cache_files(tmp_path) == written


def test_a_corrupt_cache_is_ignored_and_replaced(tmp_path: Path) -> None:
    run_with_cache_home(tmp_path)
    for cache in (tmp_path / "qapilint").iterdir():
        cache.write_bytes(b"not a cache\n\x00\x01")
    assert run_with_cache_home(tmp_path) == "E 0 True\n"
    assert run_with_cache_home(tmp_path) == "E 0 False\n"


def test_tables_made_from_another_grammar_are_made_anew(tmp_path: Path) -> None:
    run_with_cache_home(tmp_path)
    tables_path = tmp_path / "qapilint" / TABLES_NAME
    tables = list(marshal.loads(tables_path.read_bytes()))
    tables[1] = tables[1].replace("STRING", "STRANG")  # another grammar text
    tables_path.write_bytes(marshal.dumps(tuple(tables)))
    assert run_with_cache_home(tmp_path) == "E 0 True\n"
    assert marshal.loads(tables_path.read_bytes())[1] == grammar_text()


def test_damaged_tables_that_pass_the_checks_are_made_anew(tmp_path: Path) -> None:
    run_with_cache_home(tmp_path)
    tables_path = tmp_path / "qapilint" / TABLES_NAME
    tables = list(marshal.loads(tables_path.read_bytes()))
    tables[-1] = {0: {"LBRACE": ("not", "a", "rule")}}  # right format and grammar, bad table
    tables_path.write_bytes(marshal.dumps(tuple(tables)))
    assert run_with_cache_home(tmp_path) == "E 0 True\n"
    assert run_with_cache_home(tmp_path) == "E 0 False\n"


def test_an_unwritable_cache_location_is_ignored(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache folder should be")
    assert run_with_cache_home(blocker) == "E 0 True\n"
