"""qapilint.fix.fixer: rounds, overlap, rollback, atomic writes that keep a file's
line ends, BOM and permissions, and refusal of files changed meanwhile.

These tests drive :func:`qapilint.fix.fixer.fix_findings` with small fake linters
so they do not depend on any particular rule."""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from pathlib import Path

import pytest

from qapilint.fix.fixer import (
    FixError,
    SourceFile,
    apply_round,
    fix_findings,
    writable_lines,
    write_atomically,
    write_fixes,
)
from qapilint.fix.reflow import single_space_columns
from qapilint.lint.rule import Edit, Finding, Fix
from qapilint.syntax.model import Span

SCHEMA = """\
##
# @Foo:
#
# @bar: one.Two
##
{ 'struct': 'Foo', 'data': { 'bar': 'int' } }
"""


def _current(path: Path, overlay: Mapping[Path, str]) -> str:
    return overlay.get(path.resolve(), SourceFile.read(path).text)


def _space_linter(path: Path):
    """Flags every '.' followed by a letter with a safe fix inserting '. '
    (well, one space)."""

    def lint(overlay: Mapping[Path, str]) -> list[Finding]:
        findings = []
        for number, line in enumerate(_current(path, overlay).split("\n"), start=1):
            for col, char in enumerate(line, start=1):
                if char == "." and col < len(line) and line[col].isalpha():
                    span = Span.at(number, col + 1, 0)
                    fix = Fix.safe([Edit(span, " ")])
                    findings.append(Finding(span, "no space after '.'", fix=fix, path=path))
        return findings

    return lint


def test_fix_applies_and_second_run_is_clean(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text(SCHEMA)
    report = fix_findings(_space_linter(path))
    assert report.findings == []
    assert write_fixes(report) == []
    assert "# @bar: one. Two" in path.read_text()
    again = fix_findings(_space_linter(path))
    assert again.changed() == [] and again.rounds == 0


def test_fix_that_creates_work_for_another_converges(tmp_path: Path) -> None:
    """Rule A wants each 'x' doubled up to three; each fix makes the next."""
    path = tmp_path / "s.json"
    path.write_text("##\n# @Foo: x\n##\n{ 'struct': 'Foo' }\n")

    def lint(overlay: Mapping[Path, str]) -> list[Finding]:
        lines = _current(path, overlay).split("\n")
        count = lines[1].count("x")
        if count >= 3:
            return []
        span = Span.at(2, len(lines[1]) + 1, 0)
        return [Finding(span, "more x", fix=Fix.safe([Edit(span, "x")]), path=path)]

    report = fix_findings(lint)
    assert report.converged and report.rounds == 2
    assert report.files[path.resolve()].text.split("\n")[1] == "# @Foo: xxx"


def test_fix_that_never_settles_stops_after_max_rounds(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text("##\n# @Foo: x\n##\n{ 'struct': 'Foo' }\n")

    def lint(overlay: Mapping[Path, str]) -> list[Finding]:
        span = Span.at(2, 3, 0)
        return [Finding(span, "grow", fix=Fix.safe([Edit(span, "y")]), path=path)]

    report = fix_findings(lint, max_rounds=3)
    assert not report.converged and report.rounds == 3
    assert report.files[path.resolve()].text.split("\n")[1] == "# yyy@Foo: x"


def test_fix_that_breaks_parsing_is_rolled_back(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text(SCHEMA)
    good = _space_linter(path)

    def lint(overlay: Mapping[Path, str]) -> list[Finding]:
        text = _current(path, overlay)
        if "one. Two" in text:
            return [Finding(Span.at(4, 1), "parse error", code="Q101", path=path)]
        return good(overlay)

    report = fix_findings(lint)
    outcome = report.files[path.resolve()]
    assert outcome.rolled_back and outcome.rolled_back[0].code == "Q101"
    assert report.changed() == []
    assert [f.message for f in report.findings] == ["no space after '.'"]
    assert write_fixes(report) == []
    assert path.read_text() == SCHEMA


TWO = """\
##
# @Foo:
#
# @bar: one.Two
##
{ 'struct': 'Foo', 'data': { 'bar': 'int' } }

##
# @Baz:
#
# @qux: three.Four
##
{ 'struct': 'Baz', 'data': { 'qux': 'int' } }
"""


def test_only_the_definition_whose_fix_made_things_worse_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text(TWO)
    spaces = _space_linter(path)

    def lint(overlay: Mapping[Path, str]) -> list[Finding]:
        found = spaces(overlay)
        for finding in found:
            finding.symbol = "Foo" if finding.span.line < 7 else "Baz"
        if "one. Two" in _current(path, overlay):
            found.append(Finding(Span.at(4, 3), "new", code="W999", symbol="Foo", path=path))
        return found

    report = fix_findings(lint)
    assert [finding.code for finding in report.held] == ["W999"]
    text = report.files[path.resolve()].text
    assert "# @bar: one.Two\n" in text and "# @qux: three. Four\n" in text
    assert [(f.symbol, f.message) for f in report.findings] == [("Foo", "no space after '.'")]


def test_suggestions_and_unsafe_need_asking(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text(SCHEMA)
    span = Span.at(4, 10, 0)

    def lint(overlay: Mapping[Path, str]) -> list[Finding]:
        if _current(path, overlay) != SCHEMA:
            return []
        return [
            Finding(span, "u", fix=Fix.unsafe([Edit(span, "U")]), path=path),
            Finding(span, "s", fix=Fix.suggestion([Edit(span, "S")]), path=path),
        ]

    assert fix_findings(lint).changed() == []
    unsafe = fix_findings(lint, ("safe", "unsafe"))
    assert "# @bar: oUne" in unsafe.files[path.resolve()].text


def test_overlapping_fixes_wait_identical_ones_apply_once() -> None:
    text = "##\n# abcdef\n##\n"
    one = Fix.safe([Edit(Span(2, 3, 2, 6), "X")])
    same = Fix.safe([Edit(Span(2, 3, 2, 6), "X")])
    other = Fix.safe([Edit(Span(2, 4, 2, 7), "Y")])
    findings = [
        Finding(Span.at(2, 3), m, fix=f) for m, f in (("a", one), ("b", same), ("c", other))
    ]
    result = apply_round(text, findings)
    assert result.text == "##\n# Xdef\n##\n"
    assert result.deferred == 1 and len(result.applied) == 2


def test_fixes_touch_only_doc_lines_and_own_comments() -> None:
    text = "# qapilint: noqa W001\n##\n# @Foo:\n##\n{ 'struct': 'Foo' }\n# other\n"
    assert writable_lines(text) == {1, 3}
    bad = Finding(Span.at(5, 1), "x", fix=Fix.safe([Edit(Span.at(5, 1, 1), "[")]))
    good = Finding(Span.at(1, 1), "y", fix=Fix.safe([Edit(Span.at(1, 3, 8), "QAPILINT")]))
    result = apply_round(text, [bad, good])
    assert result.refused == [bad]
    assert result.text.startswith("# QAPILINT: noqa")


def test_crlf_bom_and_permissions_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_bytes(b"\xef\xbb\xbf" + SCHEMA.replace("\n", "\r\n").encode())
    os.chmod(path, 0o640)
    report = fix_findings(_space_linter(path))
    assert write_fixes(report) == []
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert b"one. Two\r\n" in raw and raw.count(b"\r\n") == SCHEMA.count("\n")
    assert b"\n" not in raw.replace(b"\r\n", b"")
    assert stat.S_IMODE(path.stat().st_mode) == 0o640
    assert [p.name for p in tmp_path.iterdir()] == ["s.json"]  # no temporary left


def test_file_changed_between_read_and_write_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text(SCHEMA)
    report = fix_findings(_space_linter(path))
    path.write_text(SCHEMA + "\n# edited meanwhile\n")
    problems = write_fixes(report)
    assert len(problems) == 1 and "changed on disk" in problems[0]
    assert path.read_text().endswith("# edited meanwhile\n")


def test_write_atomically_refuses_directly(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text("a\n")
    source = SourceFile.read(path)
    path.write_text("b\n")
    with pytest.raises(FixError):
        write_atomically(source, "c\n")


def test_diff_shows_changes_and_writes_nothing(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_text(SCHEMA)
    before = path.stat().st_mtime_ns
    report = fix_findings(_space_linter(path))
    diff = report.diff()
    assert "-# @bar: one.Two\n+# @bar: one. Two\n" in diff
    assert diff.startswith(f"--- a/{path.resolve()}")
    assert path.read_text() == SCHEMA and path.stat().st_mtime_ns == before


def test_unreadable_file_is_a_clear_error(tmp_path: Path) -> None:
    path = tmp_path / "s.json"
    path.write_bytes(b"\xff\xfe##\n")
    with pytest.raises(FixError, match="not UTF-8"):
        SourceFile.read(path)


# --------------------------------------------------------------------------
# The command line: check --fix, --diff, --unsafe-fixes

LONG_DOC = """\
##
# @Foo:
#
# A struct whose documentation has a line that runs well past seventy. It
# also has a single space between two sentences.
#
# @bar: the bar
#
# Since: 1.0
##
{ 'struct': 'Foo', 'data': { 'bar': 'int' } }
"""

EXAMPLE_TAIL = """\
##
# @Baz:
#
# Since: 1.0
#
# .. code-block:: json
#
#     { "a-very-long-key-name": "and a very long value that cannot wrap" }
##
{ 'struct': 'Baz', 'data': {} }
"""


def _tree(tmp_path: Path, text: str) -> Path:
    (tmp_path / "VERSION").write_text("10.2.50\n")
    path = tmp_path / "schema.json"
    path.write_text(text)
    return path


def _cli(*args: str) -> int:
    from qapilint.cli import main  # noqa: PLC0415

    return main(["check", "--isolated", "--select", "Q181,Q182,F", *args])


def test_cli_diff_writes_nothing_and_fix_writes_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _tree(tmp_path, LONG_DOC)
    assert _cli("--diff", str(path)) == 0
    diff = capsys.readouterr().out
    assert path.read_text() == LONG_DOC
    assert diff.count("\n+# ") >= 2 and "sentences.  It" not in LONG_DOC
    assert _cli("--fix", str(path)) == 0
    fixed = path.read_text()
    assert all(len(line) <= 70 for line in fixed.split("\n"))
    assert not any(single_space_columns(line) for line in fixed.split("\n"))
    words = [[w for w in text.split() if w != "#"] for text in (fixed, LONG_DOC)]
    assert words[0] == words[1]
    capsys.readouterr()
    assert _cli("--diff", str(path)) == 0
    assert capsys.readouterr().out == ""


def test_cli_diff_exits_1_when_unfixable_findings_remain(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _tree(tmp_path, LONG_DOC + "\n" + EXAMPLE_TAIL)
    assert _cli("--diff", str(path)) == 1
    assert "+# " in capsys.readouterr().out
    assert path.read_text() == LONG_DOC + "\n" + EXAMPLE_TAIL
    assert _cli("--fix", str(path)) == 1
    output = capsys.readouterr().out
    assert "Q181" in output and "Q182" not in output


def test_cli_unsafe_fixes_only_when_asked(tmp_path: Path) -> None:
    text = LONG_DOC.replace("# @bar: the bar\n", "# @bar: the bar\n#\n# used when set\n")
    path = _tree(tmp_path, text)
    _cli("--fix", "--preview", "--select", "F002", str(path))
    assert "\n# used when set\n" in path.read_text()
    _cli("--fix", "--preview", "--unsafe-fixes", "--select", "F002", str(path))
    assert "\n#     used when set\n" in path.read_text()


ALIGNED = """\
##
# @Foo:
#
# @incompatible: If model A is incompatible to model B, model A is not
#                guaranteed to run where model B runs and the other way around.
#
# Since: 1.0
##
{ 'struct': 'Foo', 'data': { 'incompatible': 'int' } }
"""


def test_cli_real_rules_that_make_work_for_each_other_converge(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """F001 re-indents (shorter lines) before Q181 rewraps what is left."""
    path = _tree(tmp_path, ALIGNED)
    assert _cli("--fix", str(path)) == 0
    fixed = path.read_text().split("\n")
    assert fixed[4] == "#     guaranteed to run where model B runs and the other way around."
    capsys.readouterr()
    assert _cli("--diff", str(path)) == 0
    assert capsys.readouterr().out == ""
