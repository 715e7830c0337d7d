"""Reporters: text (compiler style, colour) and JSON (format 1)."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest

from qapilint.cli import use_color
from qapilint.lint.rule import Edit, Finding, Fix
from qapilint.report import ReportInput, display_path, render_statistics, statistics
from qapilint.report import github as github_report
from qapilint.report import json as json_report
from qapilint.report import sarif as sarif_report
from qapilint.report import text as text_report
from qapilint.syntax.model import Span
from tests.ruledefs import RULES

LINES = [
    "##",
    "# @resume: resume one paused migration",
    "##",
    "\t{ 'command': 'x' }",
]


def finding(
    path: Path,
    line: int,
    col: int,
    end_col: int,
    code: str = "W001",
    *,
    fix: Fix | None = None,
    severity: str = "warning",
) -> Finding:
    return Finding(
        Span(line, col, line, end_col),
        f"message for {code}",
        fix=fix,
        path=path,
        code=code,
        name=f"name-{code.lower()}",
        severity=severity,  # type: ignore[arg-type]
    )


def test_text_line_source_and_caret(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    found = finding(path, 2, 19, 22)
    out = text_report.render(ReportInput([found], {path: LINES}, cwd=tmp_path))
    lines = out.splitlines()
    assert lines[0] == "a.json:2:19: W001 [name-w001] message for W001"
    assert lines[1] == "2 | # @resume: resume one paused migration"
    assert lines[2] == "  |                   ^^^"
    assert lines[2].index("^") == lines[1].index("one")
    assert lines[-1] == "Found 1 problem (1 warning)."


def test_caret_keeps_tabs_for_alignment() -> None:
    assert text_report.caret("\t{ 'command'", Span(1, 3, 1, 12)) == "\t ^^^^^^^^^"
    assert text_report.caret("ab", Span(1, 3, 1, 3)) == "  ^"
    assert text_report.caret("abc", Span(1, 2, 3, 1)) == " ^^"


def test_suggestion_shows_rewritten_line(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    fix = Fix.suggestion([Edit(Span(2, 19, 2, 22), "the")], "write 'the'")
    out = text_report.render(
        ReportInput([finding(path, 2, 19, 22, fix=fix)], {path: LINES}, cwd=tmp_path)
    )
    assert "  = suggestion: write 'the'" in out
    assert "2 - # @resume: resume one paused migration" in out
    assert "2 + # @resume: resume the paused migration" in out


def test_line_deletion_shows_only_removed_line(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    fix = Fix.safe([Edit(Span(1, 1, 2, 1), "")], "remove it")
    out = text_report.render(
        ReportInput([finding(path, 1, 1, 3, fix=fix)], {path: LINES}, cwd=tmp_path)
    )
    assert "1 - ##" in out
    assert "+" not in out.split("= fix: remove it")[1].split("Found")[0]
    assert "with a safe fix" in out


def test_big_fix_is_listed_as_edits(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    lines = [f"line {n}" for n in range(1, 21)]
    fix = Fix.unsafe([Edit(Span(1, 1, 15, 1), "x"), Edit(Span(20, 1, 20, 1), "y")])
    out = text_report.render(
        ReportInput([finding(path, 1, 1, 2, fix=fix)], {path: lines}, cwd=tmp_path)
    )
    assert "= unsafe fix" in out
    assert "1:1-15:1: replace with 'x'" in out
    assert "20:1-20:1: insert 'y'" in out


def test_no_findings_summary_and_quiet(tmp_path: Path) -> None:
    assert text_report.render(ReportInput([])) == "All checks passed.\n"
    assert text_report.render(ReportInput([], quiet=True)) == ""


def test_colour_only_when_asked(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    found = finding(path, 2, 19, 22)
    plain = text_report.render(ReportInput([found], {path: LINES}, color=False, cwd=tmp_path))
    coloured = text_report.render(ReportInput([found], {path: LINES}, color=True, cwd=tmp_path))
    assert "\x1b[" not in plain
    assert "\x1b[1;33mW001\x1b[0m" in coloured


class FakeTerminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_use_color_rules() -> None:
    assert use_color(FakeTerminal(), environ={})
    assert not use_color(io.StringIO(), environ={})
    assert not use_color(FakeTerminal(), environ={"NO_COLOR": "1"})
    assert use_color(FakeTerminal(), environ={"NO_COLOR": ""})  # no-color.org: empty is unset
    assert not use_color(FakeTerminal(), no_color=True, environ={})


def test_display_path(tmp_path: Path) -> None:
    assert display_path(tmp_path / "q" / "a.json", tmp_path) == "q/a.json"
    assert display_path(Path("/elsewhere/a.json"), tmp_path) == "/elsewhere/a.json"


def test_json_objects_sorted_with_all_keys(tmp_path: Path) -> None:
    a, b = tmp_path / "a.json", tmp_path / "b.json"
    fix = Fix.safe([Edit(Span(2, 19, 2, 22), "the")], "write 'the'")
    findings = [
        finding(b, 1, 1, 2),
        finding(a, 2, 19, 22, code="W002", fix=fix, severity="info"),
        finding(a, 2, 19, 22, code="W001"),
        finding(a, 1, 5, 6, code="Q101", severity="error"),
    ]
    data = json.loads(json_report.render(ReportInput(findings, cwd=tmp_path)))
    assert [(o["path"], o["line"], o["column"], o["code"]) for o in data] == [
        ("a.json", 1, 5, "Q101"),
        ("a.json", 2, 19, "W001"),
        ("a.json", 2, 19, "W002"),
        ("b.json", 1, 1, "W001"),
    ]
    assert data[2] == {
        "path": "a.json",
        "line": 2,
        "column": 19,
        "end_line": 2,
        "end_column": 22,
        "code": "W002",
        "name": "name-w002",
        "severity": "info",
        "message": "message for W002",
        "fix": {
            "applicability": "safe",
            "message": "write 'the'",
            "edits": [{"line": 2, "column": 19, "end_line": 2, "end_column": 22, "text": "the"}],
        },
    }
    assert data[0]["fix"] is None


def test_statistics_total_equals_findings(tmp_path: Path) -> None:
    path = tmp_path / "a.json"
    findings = [finding(path, n, 1, 2, code=code) for n, code in enumerate("ABBCCC", 1)]
    for item in findings:
        item.code = f"W00{ord(item.code[0]) - 64}" if len(item.code) == 1 else item.code
    rows = statistics(findings)
    assert [row["count"] for row in rows] == [3, 2, 1]
    assert sum(row["count"] for row in rows) == len(findings)
    text = render_statistics(findings)
    assert text.splitlines()[-1].split() == ["6", "total"]


# ---------------------------------------------------------------- sarif, github

SARIF_SCHEMA = Path(__file__).resolve().parent.parent.parent / "shared" / "schemas"


def _sample(tmp_path: Path) -> list[Finding]:
    fix = Fix.suggestion([Edit(Span(2, 19, 2, 22), "the")], "write 'the'")
    return [
        finding(tmp_path / "q" / "a.json", 2, 19, 22, code="W001", fix=fix),
        finding(tmp_path / "q" / "a.json", 1, 1, 1, code="Q101", severity="error"),
        finding(Path("/elsewhere/b.json"), 3, 2, 4, code="W002", severity="info"),
    ]


def test_sarif_document(tmp_path: Path) -> None:
    data = json.loads(
        sarif_report.render(
            ReportInput(_sample(tmp_path), enabled=RULES[:2], known=RULES, cwd=tmp_path)
        )
    )
    (run,) = data["runs"]
    assert data["version"] == "2.1.0"
    assert run["columnKind"] == "unicodeCodePoints"
    ids = [rule["id"] for rule in run["tool"]["driver"]["rules"]]
    assert ids == ["Q101", "Q102"]  # the enabled rules plus any named (W001, W002 are unknown)
    third, first, second = run["results"]  # sorted by displayed path: "/elsewhere" first
    assert (first["ruleId"], first["level"], first["ruleIndex"]) == ("Q101", "error", 0)
    assert "ruleIndex" not in second
    location = second["locations"][0]["physicalLocation"]
    assert location["artifactLocation"] == {"uri": "q/a.json", "uriBaseId": "%SRCROOT%"}
    assert location["region"] == {"startLine": 2, "startColumn": 19, "endLine": 2, "endColumn": 22}
    replacement = second["fixes"][0]["artifactChanges"][0]["replacements"][0]
    assert replacement["insertedContent"] == {"text": "the"}
    assert third["level"] == "note"
    assert third["locations"][0]["physicalLocation"]["artifactLocation"] == {
        "uri": "file:///elsewhere/b.json"
    }


def test_sarif_validates_against_the_schema(tmp_path: Path) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    schema_file = SARIF_SCHEMA / "sarif-schema-2.1.0.json"
    if not schema_file.is_file():
        pytest.skip(f"SARIF schema not found at {schema_file} (only in the team's workspace)")
    schema = json.loads(schema_file.read_text(encoding="utf-8"))
    document = json.loads(
        sarif_report.render(
            ReportInput(_sample(tmp_path), enabled=RULES, known=RULES, cwd=tmp_path)
        )
    )
    jsonschema.validate(document, schema)


def test_github_annotations(tmp_path: Path) -> None:
    found = finding(tmp_path / "a,b.json", 2, 19, 22, code="W001")
    found.message = "100% one: two\nthree"
    out = github_report.render(ReportInput([found], cwd=tmp_path))
    assert out == (
        "::warning file=a%2Cb.json,line=2,col=19,endLine=2,endColumn=22,"
        "title=W001 name-w001::W001 100%25 one: two%0Athree\n"
    )


def test_caret_measures_what_is_shown_of_each_character() -> None:
    # plain ASCII, a tab, a wide character, a combining mark, an escape
    assert text_report.caret("ab(c", Span(1, 4, 1, 5)) == "   ^"
    assert text_report.caret("\tx", Span(1, 2, 1, 3)) == "\t^"
    assert text_report.caret("漢x", Span(1, 2, 1, 3)) == "  ^"
    assert text_report.caret("e\u0301x", Span(1, 3, 1, 4)) == " ^"
    assert text_report.caret("\x1bx", Span(1, 1, 1, 3)) == "^^^^^"
