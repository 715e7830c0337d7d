"""Q101-Q117: each parser rule flags its snippet and stays quiet on the near
miss."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.lint import codes, lint_files, lint_text

GOOD_DOC = "##\n# @Foo:\n#\n# A foo.\n#\n# Since: 1.0\n##\n"


@pytest.mark.parametrize(
    ("code", "bad", "near_miss"),
    [
        ("Q101", "{ 'enum': 'E', 'data': [ 1 ] }\n", "{ 'enum': 'E', 'data': [ '1' ] }\n"),
        ("Q101", "{ 'enum': 'E\\u' }\n", "{ 'enum': 'E\\\\u', 'data': [] }\n"),
        ("Q101", "{ 'enum': 'E, 'data': [] }\n", "{ 'enum': 'E', 'data': [] } # 'E\n"),
        ("Q102", "{ 'enum': 'E', 'data': [ 'a', ] }\n", "{ 'enum': 'E', 'data': [ 'a' ] }\n"),
        ("Q102", "{ 'enum': 'E' 'data': [] }\n", "{ 'enum': 'E', 'data': [] }\n"),
        ("Q103", "{ 'enum': 'E', 'enum': 'F' }\n", "{ 'enum': 'E', 'data': { 'enum': 'F' } }\n"),
        ("Q104", "'E'\n", "{ 'enum': 'E', 'data': [ 'E' ] }\n"),
        ("Q105", "{ 'include': 'x.json', 'if': 'Y' }\n", "{ 'enum': 'E', 'if': 'Y' }\n"),
        ("Q106", "{ 'pragma': 'doc-required' }\n", "{ 'pragma': { 'doc-required': true } }\n"),
        ("Q107", "{ 'include': 'missing.json' }\n", "# { 'include': 'missing.json' }\n"),
        ("Q109", "{ 'include': '../x.json' }\n", "{ 'include': './schema.json/../x.json' }\n"),
        ("Q110", "{ 'pragma': { 'docs-required': true } }\n", "{ 'pragma': {} }\n"),
        (
            "Q111",
            "{ 'pragma': { 'member-name-exceptions': 'A' } }\n",
            "{ 'pragma': { 'member-name-exceptions': [ 'A' ] } }\n",
        ),
        (
            "Q112",
            "{ 'enum': 'E', 'data': " + "[" * 70 + "]" * 70 + " }\n",
            "{ 'enum': 'E', 'data': " + "[" * 60 + "]" * 60 + " }\n",
        ),
        ("Q113", "{ 'a': 1 }\n" * 101, "{ 'a': 1 }\n" * 100),
        ("Q114", "## Foo\n# @Foo:\n##\n{ 'enum': 'Foo' }\n", GOOD_DOC + "{ 'enum': 'Foo' }\n"),
        ("Q114", "##\n#@Foo:\n##\n{ 'enum': 'Foo' }\n", GOOD_DOC + "{ 'enum': 'Foo' }\n"),
        ("Q115", "##\n# @Foo:\n{ 'enum': 'Foo' }\n", GOOD_DOC + "{ 'enum': 'Foo' }\n"),
        ("Q116", GOOD_DOC, GOOD_DOC + "{ 'enum': 'Foo' }\n"),
        (
            "Q116",
            "##\n# A foo.\n##\n{ 'enum': 'Foo' }\n",
            "##\n# A foo.\n##\n{ 'include': 'schema.json' }\n",
        ),
    ],
)
def test_flags_and_near_miss(tmp_path: Path, code: str, bad: str, near_miss: str) -> None:
    assert code in [c for _line, c in codes(lint_text(tmp_path / "bad", bad, select=("Q1",)))]
    quiet = lint_text(tmp_path / "quiet", near_miss, select=("Q1",))
    assert code not in [c for _line, c in codes(quiet)]


def test_include_loop(tmp_path: Path) -> None:
    findings = lint_files(
        tmp_path,
        {"schema.json": "{ 'include': 'a.json' }\n", "a.json": "{ 'include': 'schema.json' }\n"},
        select=("Q1",),
    )
    assert [(f.path.name if f.path else "", f.code) for f in findings] == [("a.json", "Q108")]
    diamond = lint_files(
        tmp_path / "diamond",
        {
            "schema.json": "{ 'include': 'a.json' }\n{ 'include': 'b.json' }\n",
            "a.json": "{ 'include': 'b.json' }\n",
            "b.json": "{ 'enum': 'B', 'data': [] }\n",
        },
        select=("Q1",),
    )
    assert diamond == []


def test_invalid_utf8(tmp_path: Path) -> None:
    (tmp_path / "bad").mkdir()
    (tmp_path / "bad" / "a.json").write_bytes(b"# \xe9\n")
    findings = lint_files(tmp_path / "bad", {"schema.json": "{ 'include': 'a.json' }\n"})
    assert [(f.code, f.span.line) for f in findings if f.code.startswith("Q1")] == [("Q117", 1)]
    quiet = lint_text(tmp_path / "quiet", "# é\n", select=("Q1",))
    assert quiet == []


def test_byte_order_mark(tmp_path: Path) -> None:
    (tmp_path / "bom").mkdir()
    (tmp_path / "bom" / "schema.json").write_bytes(b"\xef\xbb\xbf# hi\n")
    findings = lint_files(tmp_path / "bom", {}, root="schema.json", select=("Q1",))
    assert [(f.code, f.span.line, f.span.col) for f in findings] == [("Q118", 1, 1)]
    assert lint_text(tmp_path / "quiet", "# \ufeff inside a comment\n", select=("Q1",)) == []


def test_findings_are_errors_with_qemu_positions(tmp_path: Path) -> None:
    [finding] = lint_text(tmp_path, "{ 'key': 'value',\n  'key': 'value' }\n", select=("Q1",))
    assert (finding.code, finding.name, finding.severity) == ("Q103", "duplicate-key", "error")
    assert (finding.span.line, finding.span.col) == (2, 10)
    assert finding.message == "duplicate key 'key'"
