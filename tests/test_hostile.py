"""Hostile input: no traceback, bounded output, never another file's content.

Each case goes through the whole pipeline the CLI uses (load, every rule),
so a crash in any stage would show here.
"""

from __future__ import annotations

import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from qapilint.lint.engine import load_rules, run_rules
from qapilint.lint.rule import Finding
from qapilint.schema.loader import SchemaReadError, load_schema
from qapilint.schema.tree import read_tree
from qapilint.syntax.parse import MAX_PROBLEMS

SECRET = "qapilint-secret-content-7f3a"


def lint_bytes(tmp_path: Path, data: bytes, name: str = "schema.json") -> list[Finding]:
    tree = tmp_path / "tree"
    tree.mkdir(exist_ok=True)
    (tree / name).write_bytes(data)
    return lint_root(tree / name, tree)


def lint_root(root: Path, tree: Path) -> list[Finding]:
    schema = load_schema(root, tree)
    return run_rules(load_rules(), schema, read_tree(tree))


def parser_findings(findings: list[Finding]) -> list[Finding]:
    return [f for f in findings if f.code.startswith("Q1")]


def assert_bounded(findings: list[Finding]) -> None:
    """At most the cap plus the "N more" finding per file, short messages."""
    per_file: dict[Path | None, int] = {}
    for finding in parser_findings(findings):
        per_file[finding.path] = per_file.get(finding.path, 0) + 1
        assert len(finding.message) < 300
    assert all(count <= MAX_PROBLEMS + 1 for count in per_file.values())


@pytest.fixture
def secret_outside(tmp_path: Path) -> Path:
    """A file outside the tree whose content must never show up."""
    secret = tmp_path / "secret.json"
    secret.write_text(f"{{ 'enum': '{SECRET}', 'data': [] }}\n# {SECRET}\n")
    return secret


@pytest.mark.parametrize("target", ["/etc/passwd", "../../../x", "../secret.json", "SECRET"])
def test_include_outside_the_tree(tmp_path: Path, secret_outside: Path, target: str) -> None:
    target = str(secret_outside) if target == "SECRET" else target
    findings = lint_bytes(tmp_path, f"{{ 'include': '{target}' }}\n".encode())
    assert [f.code for f in parser_findings(findings)] == ["Q109"]
    for finding in findings:
        assert SECRET not in finding.message
        assert "root:" not in finding.message  # /etc/passwd's first line


def test_include_through_a_symlink_out_of_the_tree(tmp_path: Path, secret_outside: Path) -> None:
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "innocent.json").symlink_to(secret_outside)
    findings = lint_bytes(tmp_path, b"{ 'include': 'innocent.json' }\n")
    assert [f.code for f in parser_findings(findings)] == ["Q109"]
    assert all(SECRET not in f.message for f in findings)


def test_a_bad_included_file_shows_no_content_beyond_its_own_tokens(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "a.json").write_text("{ 'a': 'b' } " + "x" * 10_000 + "\n")
    findings = lint_bytes(tmp_path, b"{ 'include': 'a.json' }\n")
    [finding] = parser_findings(findings)
    assert finding.message.startswith("stray 'xxx")
    assert len(finding.message) < 60


def test_include_loop(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "a.json").write_text("{ 'include': 'schema.json' }\n")
    findings = lint_bytes(tmp_path, b"{ 'include': 'a.json' }\n")
    assert [(f.path.name if f.path else "", f.code) for f in parser_findings(findings)] == [
        ("a.json", "Q108")
    ]


def test_binary_data(tmp_path: Path) -> None:
    data = random.Random(1).randbytes(200_000)
    findings = lint_bytes(tmp_path, data)
    assert_bounded(findings)
    assert parser_findings(findings)


def test_an_elf_header(tmp_path: Path) -> None:
    findings = lint_bytes(tmp_path, b"\x7fELF\x02\x01\x01\x00" + bytes(range(256)) * 10)
    assert_bounded(findings)
    assert parser_findings(findings)


def test_invalid_utf8(tmp_path: Path) -> None:
    findings = lint_bytes(tmp_path, b"# caf\xe9\n{ 'enum': 'Color', 'data': [] }\n\xff\xfe\n")
    codes = [f.code for f in parser_findings(findings)]
    assert "Q117" in codes


def test_utf8_bom(tmp_path: Path) -> None:
    findings = lint_bytes(tmp_path, b"\xef\xbb\xbf{ 'include': 'x.json' }\n")
    # QEMU stops at the mark; qapilint says so and reads on
    assert [f.code for f in parser_findings(findings)] == ["Q107", "Q118"]


def test_crlf_line_ends(tmp_path: Path) -> None:
    lines = ["##", "# @E:", "#", "# An enum.", "#", "# Since: 1.0", "##", "{ 'enum': 'E' }"]
    findings = lint_bytes(tmp_path, "".join(line + "\r\n" for line in lines).encode())
    assert parser_findings(findings) == []


def test_a_directory_given_as_the_schema(tmp_path: Path) -> None:
    with pytest.raises(SchemaReadError, match="Is a directory"):
        lint_root(tmp_path, tmp_path)


def test_a_missing_schema(tmp_path: Path) -> None:
    with pytest.raises(SchemaReadError, match="No such file or directory"):
        lint_root(tmp_path / "nope.json", tmp_path)


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads files whatever their mode")
def test_an_unreadable_schema(tmp_path: Path) -> None:
    schema = tmp_path / "schema.json"
    schema.write_text("{}\n")
    schema.chmod(0)
    try:
        with pytest.raises(SchemaReadError, match="Permission denied"):
            lint_root(schema, tmp_path)
    finally:
        schema.chmod(0o644)


def test_a_fifo_is_not_read(tmp_path: Path) -> None:
    tree = tmp_path / "tree"
    tree.mkdir()
    os.mkfifo(tree / "fifo.json")
    findings = lint_bytes(tmp_path, b"{ 'include': 'fifo.json' }\n")
    assert [f.code for f in parser_findings(findings)] == ["Q107"]


def test_a_fifo_in_the_tree_is_not_opened_when_looking_for_roots(tmp_path: Path) -> None:
    """Naming a module makes qapilint look through its tree for the roots
    that include it; a FIFO there must not be opened (it would block)."""
    tree = tmp_path / "tree"
    tree.mkdir()
    (tree / "VERSION").write_text("10.2.0\n")
    os.mkfifo(tree / "stuck.json")
    module = tree / "module.json"
    module.write_text("{ 'enum': 'Color', 'data': [] }\n")
    for target in (tree, module):  # a folder walk, and a module named alone
        done = subprocess.run(
            [sys.executable, "-m", "qapilint.cli", "check", "--isolated", str(target)],
            capture_output=True,
            text=True,
            check=False,
            timeout=60,
        )
        assert done.returncode == 0, done.stderr


@pytest.mark.parametrize(
    "data",
    [
        b"x" * 2_000_000,
        b"{ 'a': '" + b"x" * 2_000_000 + b"' }\n",
        b"{ 'a': '" + b"x" * 2_000_000,
        b"# " + b"x" * 2_000_000,
        b"##\n# " + b"x" * 2_000_000 + b"\n##\n",
        b"{ 'a': [ " + b"'x', " * 400_000 + b"] }",
    ],
    ids=["garbage", "string", "unterminated-string", "comment", "doc-line", "list"],
)
def test_a_2mb_line(tmp_path: Path, data: bytes) -> None:
    assert_bounded(lint_bytes(tmp_path, data))


@pytest.mark.parametrize(
    "data",
    [
        b"{ 'struct': 'S', 'data': " + b"[" * 10_000 + b"]" * 10_000 + b" }\n",
        b"{ 'struct': 'S', 'data': " + b"{ 'a': " * 10_000 + b"'int'" + b" }" * 10_000 + b" }\n",
        b"[" * 10_000,
    ],
    ids=["lists", "objects", "unclosed"],
)
def test_nesting_10000_deep(tmp_path: Path, data: bytes) -> None:
    findings = lint_bytes(tmp_path, data)
    assert_bounded(findings)
    assert len(parser_findings(findings)) == 1


def test_deep_nesting_is_reported_at_the_cap(tmp_path: Path) -> None:
    data = b"{ 'struct': 'S', 'data': " + b"[" * 10_000 + b"]" * 10_000 + b" }\n"
    [finding] = parser_findings(lint_bytes(tmp_path, data))
    assert finding.code == "Q112"


def test_many_errors_are_capped(tmp_path: Path) -> None:
    findings = lint_bytes(tmp_path, b"{\n" * 200_000)
    assert_bounded(findings)
    assert parser_findings(findings)[-1].code == "Q113"


@pytest.mark.parametrize(
    ("data", "code"),
    [
        (b"{ 'struct': 'S', 'data': {\n", "Q102"),
        (b"{ 'struct': 'S', 'data': { 'a': 'int'", "Q102"),
        (b"##\n# @S:\n#\n# Doc.\n", "Q115"),
        (b"##\n# @S:\n{ 'struct': 'S', 'data': {} }\n", "Q115"),
    ],
)
def test_unterminated_expression_or_doc_block(tmp_path: Path, data: bytes, code: str) -> None:
    assert code in [f.code for f in parser_findings(lint_bytes(tmp_path, data))]


@pytest.mark.parametrize(
    "data",
    [b"", b"\n", b"# just a comment\n", b"#\n# two comments\n", b"   \n\t\n"],
)
def test_empty_and_comment_only_files_are_accepted(tmp_path: Path, data: bytes) -> None:
    findings = lint_bytes(tmp_path, data)
    assert [f for f in findings if f.severity == "error"] == []


def test_many_deep_expressions_stop_the_parse(tmp_path: Path) -> None:
    data = (b"{ 'a': " + b"[" * 70 + b"]" * 70 + b" }\n") * 5_000
    findings = parser_findings(lint_bytes(tmp_path, data))
    assert len(findings) == MAX_PROBLEMS + 1
    assert "stopped reading" in findings[-1].message
