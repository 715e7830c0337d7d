"""L rules (qapilint's own findings about suppression comments), through
the check pipeline that makes them: a hit, a near miss, the fix applied and
re-linted clean."""

from __future__ import annotations

from pathlib import Path

from qapilint.cli import main
from qapilint.lint.check import CheckOptions, run_check
from qapilint.lint.rule import Finding, apply_edits
from tests.controls_rules import rules_with_tests


def doc(name: str, text: str) -> str:
    return f"##\n# @{name}:\n#\n# {text}\n#\n# Since: 10.0\n##\n{{ 'command': '{name}' }}\n"


def lint(path: Path, text: str, select: str = "L,T001") -> list[Finding]:
    path.write_text(text, encoding="utf-8")
    options = CheckOptions([path], select=select.split(","), isolated=True)
    return run_check(options, rules_with_tests()).findings


def codes(found: list[Finding]) -> list[tuple[int, str]]:
    return [(finding.span.line, finding.code) for finding in found]


def test_l001_unused_suppression_and_its_fix(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    text = "# qapilint: disable=T001 -- nothing bad here any more\n" + doc("a", "fine")
    found = lint(path, text)
    assert codes(found) == [(1, "L001")]
    assert found[0].name == "unused-suppression"
    assert found[0].fix is not None and found[0].fix.applicability == "safe"
    fixed = apply_edits(text, found[0].fix.edits)
    assert fixed == doc("a", "fine")
    assert lint(path, fixed) == []


def test_l001_partly_unused_keeps_the_used_code(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    text = "# qapilint: disable=unused-suppression,T001,L002\n" + doc("a", "bad")
    assert lint(path, text) == []  # suppressions of L codes are never reported unused
    text = "# qapilint: disable=T001,T003\n" + doc("a", "bad")
    found = lint(path, text, "L,T")
    assert codes(found) == [(1, "L001")]
    assert found[0].fix is not None
    fixed = apply_edits(text, found[0].fix.edits)
    assert fixed.startswith("# qapilint: disable=T001\n")
    assert lint(path, fixed, "L,T") == []


def test_l001_near_miss_used_suppression(tmp_path: Path) -> None:
    text = "# qapilint: disable=T001 -- quoting\n" + doc("a", "bad")
    assert lint(tmp_path / "x.json", text) == []


def test_l002_unknown_code(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    found = lint(path, "# qapilint: disable=T001,Q9999\n" + doc("a", "bad"))
    assert codes(found) == [(1, "L002")]
    assert (found[0].span.col, found[0].span.end_col) == (26, 31)
    assert "'Q9999'" in found[0].message


def test_l002_near_miss_name_is_known(tmp_path: Path) -> None:
    assert lint(tmp_path / "x.json", "# qapilint: disable=test-bad-word\n" + doc("a", "bad")) == []


def test_l003_malformed_and_misplaced(tmp_path: Path) -> None:
    text = (
        "# qapilint: ignore=T001\n"
        "# qapilint: disable=T001\n"
        "\n" + doc("a", "fine") + "# qapilint disable=T001 is prose, not a directive\n"
    )
    found = lint(tmp_path / "x.json", text)
    assert codes(found) == [(1, "L003"), (2, "L003")]
    assert "malformed" in found[0].message
    assert "directly above" in found[1].message


def test_l003_near_miss_directive_above_block(tmp_path: Path) -> None:
    text = "# qapilint: disable=T001\n# context for reviewers\n" + doc("a", "bad")
    assert lint(tmp_path / "x.json", text) == []


def test_suppressions_inside_doc_blocks_are_not_read(tmp_path: Path) -> None:
    text = (
        "##\n# @a:\n#\n# qapilint: disable=T001\n# bad\n#\n# Since: 1.0\n##\n{ 'command': 'a' }\n"
    )
    found = lint(tmp_path / "x.json", text)
    assert codes(found) == [(5, "T001")]


def test_l001_fix_applied_by_check_fix(tmp_path: Path) -> None:
    path = tmp_path / "x.json"
    text = "# qapilint: disable=S001\n" + doc("a", "fine")
    path.write_text(text, encoding="utf-8")
    assert main(["check", "--isolated", "--select", "L,S001", "--fix", str(path)]) == 0
    assert path.read_text(encoding="utf-8") == doc("a", "fine")
