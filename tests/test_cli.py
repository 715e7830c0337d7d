"""The command line end to end: main(argv) with the real parser and loader,
test rules T001 (warning, safe fix), T002 (info, preview) and T003 (error)
from tests/controls_rules.py, and a few runs of the console script."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from qapilint.cli import _command_named, build_parser, main
from qapilint.lint.engine import load_rules
from tests.controls_rules import install

PROJECT = Path(__file__).resolve().parent.parent
SAMPLES = PROJECT / "sample_schemas"


@pytest.fixture(autouse=True)
def test_rules(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    install(monkeypatch)
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NO_COLOR", raising=False)


def doc(name: str, text: str, kind: str = "command") -> str:
    """A documented definition whose body line is ``text``."""
    return f"##\n# @{name}:\n#\n# {text}\n#\n# Since: 10.0\n##\n{{ '{kind}': '{name}' }}\n"


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(argv)
    out, err = capsys.readouterr()
    return status, out, err


def findings(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, list[dict]]:
    status, out, err = run(["check", "--format", "json", *argv], capsys)
    assert err == "", err
    return status, json.loads(out)


def t_codes(found: list[dict]) -> list[tuple[str, int, str]]:
    return [(Path(f["path"]).name, f["line"], f["code"]) for f in found if f["code"][0] in "TL"]


# ---------------------------------------------------------------- config


def test_config_found_from_a_subfolder(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path / "pyproject.toml", '[tool.qapilint]\nselect = ["T003"]\n')
    schema = write(tmp_path / "qapi" / "sub" / "x.json", doc("a", "bad and broken"))
    status, found = findings([str(schema)], capsys)
    assert status == 1
    assert [(f["code"], f["line"]) for f in found] == [("T003", 4)]


def test_precedence_command_line_config_defaults(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    schema = write(tmp_path / "x.json", doc("a", "bad and broken, iffy"))
    _status, default = findings(["--isolated", str(schema)], capsys)
    assert {"T001", "T003"} <= {f["code"] for f in default}
    assert "T002" not in {f["code"] for f in default}
    write(tmp_path / ".qapilint.toml", 'select = ["T001"]\nfail-on = "error"\n')
    status, configured = findings([str(schema)], capsys)
    assert [f["code"] for f in configured] == ["T001"]
    assert status == 0  # fail-on = "error" from config, only a warning found
    status, cli = findings(["--select", "T002,T003", "--fail-on", "warning", str(schema)], capsys)
    assert [f["code"] for f in cli] == ["T003", "T002"]  # by column
    assert status == 1


def test_per_file_ignores_with_globs(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(
        tmp_path / ".qapilint.toml",
        'select = ["T"]\n[per-file-ignores]\n"qapi/**/skip-*.json" = ["T001"]\n'
        '"other.json" = ["test-broken-word"]\n',
    )
    write(tmp_path / "qapi" / "a" / "skip-me.json", doc("a", "bad broken"))
    write(tmp_path / "qapi" / "keep.json", doc("b", "bad broken"))
    write(tmp_path / "qapi" / "other.json", doc("c", "bad broken"))
    _status, found = findings([str(tmp_path / "qapi")], capsys)
    assert t_codes(found) == [  # sorted by path: qapi/a/... first
        ("skip-me.json", 4, "T003"),
        ("keep.json", 4, "T001"),
        ("keep.json", 4, "T003"),
        ("other.json", 4, "T001"),
    ]


def test_exclude_skips_folders_in_a_walk(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path / ".qapilint.toml", 'select = ["T"]\nexclude = ["vendor"]\n')
    write(tmp_path / "a.json", doc("a", "bad"))
    write(tmp_path / "vendor" / "b.json", doc("b", "bad"))
    _status, found = findings([str(tmp_path)], capsys)
    assert t_codes(found) == [("a.json", 4, "T001")]


def test_rule_options_reach_the_rule(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(
        tmp_path / ".qapilint.toml",
        'select = ["T001"]\n[rule.test-bad-word]\nword = "awful"\n',
    )
    schema = write(tmp_path / "x.json", doc("a", "bad but awful"))
    _status, found = findings([str(schema)], capsys)
    assert [(f["code"], f["message"]) for f in found] == [("T001", "the word 'awful'")]


def test_severity_override(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path / ".qapilint.toml", 'select = ["T"]\n[severity]\nT001 = "error"\nT = "info"\n')
    schema = write(tmp_path / "x.json", doc("a", "bad broken"))
    status, found = findings(["--fail-on", "error", str(schema)], capsys)
    assert [(f["code"], f["severity"]) for f in found] == [("T001", "error"), ("T003", "info")]
    assert status == 1


def test_q_rule_severity_is_never_lowered(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path / ".qapilint.toml", '[severity]\nALL = "info"\n')
    schema = write(tmp_path / "x.json", "{ 'command': 'a' \n")
    status, found = findings(["--select", "Q1", str(schema)], capsys)
    assert found and all(f["severity"] == "error" for f in found)
    assert status == 1


# ---------------------------------------------------------------- preview


def test_preview_rules_off_by_default_on_with_preview(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    schema = write(tmp_path / "x.json", doc("a", "iffy"))
    _status, found = findings(["--isolated", "--select", "T", str(schema)], capsys)
    assert found == []
    status, found = findings(["--isolated", "--select", "T", "--preview", str(schema)], capsys)
    assert [f["code"] for f in found] == ["T002"]
    assert status == 0  # info is below the default fail-on
    _status, found = findings(["--isolated", "--select", "test-iffy-word", str(schema)], capsys)
    assert [f["code"] for f in found] == ["T002"]
    write(tmp_path / ".qapilint.toml", 'select = ["T"]\npreview = true\n')
    _status, found = findings([str(schema)], capsys)
    assert [f["code"] for f in found] == ["T002"]


# ---------------------------------------------------------------- suppressions

SUPPRESSED = (
    "# qapilint: disable=T001 -- quoting a bad example on purpose\n"
    + doc("a", "bad")
    + "\n"
    + doc("b", "bad")
)


def test_disable_comment_silences_exactly_its_block(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    schema = write(tmp_path / "x.json", SUPPRESSED)
    _status, found = findings(["--isolated", "--select", "T,L", str(schema)], capsys)
    assert t_codes(found) == [("x.json", 14, "T001")]


def test_disable_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = doc("a", "bad broken") + "# qapilint: disable-file=T001\n" + doc("b", "bad broken")
    schema = write(tmp_path / "x.json", text)
    _status, found = findings(["--isolated", "--select", "T,L", str(schema)], capsys)
    assert t_codes(found) == [("x.json", 4, "T003"), ("x.json", 13, "T003")]


def test_unused_suppression_reported_with_fix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = "# qapilint: disable=T001,T003\n" + doc("a", "bad")
    schema = write(tmp_path / "x.json", text)
    status, found = findings(["--isolated", "--select", "T,L", str(schema)], capsys)
    assert t_codes(found) == [("x.json", 1, "L001")]
    assert "T003" in found[0]["message"]
    assert found[0]["fix"]["applicability"] == "safe"
    assert found[0]["fix"]["edits"] == [
        {"line": 1, "column": 21, "end_line": 1, "end_column": 30, "text": "T001"}
    ]
    assert status == 1


def test_suppression_of_a_rule_that_did_not_run_is_not_unused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    schema = write(tmp_path / "x.json", "# qapilint: disable=T003\n" + doc("a", "fine"))
    _status, found = findings(["--isolated", "--select", "T001,L", str(schema)], capsys)
    assert found == []


def test_suppression_of_a_rule_not_for_this_release_is_not_unused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """F007 enforces the 8.1 conventions: on a 7.2 tree it does not run, so
    a suppression of it there silences nothing and is no L001; on an 8.1
    tree it silences a real F007 finding."""
    text = (
        "# qapilint: disable=F007\n##\n# @Foo:\n#\n# @a: x\n# @b: y\n#\n# Since: 1.0\n##\n"
        "{ 'struct': 'Foo', 'data': { 'a': 'int', 'b': 'int' } }\n"
    )
    for version in ("7.2.0", "8.1.0"):
        folder = tmp_path / version
        schema = write(folder / "x.json", text)
        (folder / "VERSION").write_text(version + "\n")
        _status, found = findings(["--isolated", "--select", "F007,L", str(schema)], capsys)
        assert found == [], version
    unsuppressed = write(tmp_path / "bare" / "x.json", text.split("\n", 1)[1])
    (tmp_path / "bare" / "VERSION").write_text("8.1.0\n")
    _status, found = findings(["--isolated", "--select", "F007,L", str(unsuppressed)], capsys)
    assert [f["code"] for f in found] == ["F007"]


def test_unknown_code_in_suppression(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    schema = write(tmp_path / "x.json", "# qapilint: disable=T001,X123\n" + doc("a", "bad"))
    _status, found = findings(["--isolated", "--select", "T,L", str(schema)], capsys)
    assert [(f["code"], f["column"]) for f in found] == [("L002", 26)]


def test_l_rules_can_be_ignored(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    schema = write(tmp_path / "x.json", "# qapilint: disable=T003\n" + doc("a", "fine"))
    _status, found = findings(["--isolated", "--select", "T", str(schema)], capsys)
    assert found == []


# ---------------------------------------------------------------- exit status


def test_fail_on_error_turns_warnings_only_into_exit_0(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    schema = write(tmp_path / "x.json", doc("a", "bad"))
    base = ["check", "--isolated", "--select", "T", "--quiet", str(schema)]
    assert run(base, capsys)[0] == 1
    assert run([*base, "--fail-on", "error"], capsys)[0] == 0
    assert run([*base, "--fail-on", "info"], capsys)[0] == 1
    assert run([*base, "--exit-zero"], capsys)[0] == 0
    broken = write(tmp_path / "y.json", doc("a", "broken"))
    assert run([*base[:-1], "--fail-on", "error", str(broken)], capsys)[0] == 1
    assert run([*base[:-1], "--exit-zero", str(broken)], capsys)[0] == 0


def test_info_only_exits_0_by_default(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    schema = write(tmp_path / "x.json", doc("a", "iffy"))
    assert run(["check", "--isolated", "--select", "T002", str(schema)], capsys)[0] == 0
    argv = ["check", "--isolated", "--select", "T002", "--fail-on", "info", str(schema)]
    assert run(argv, capsys)[0] == 1


def test_clean_run_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    schema = write(tmp_path / "x.json", doc("a", "fine"))
    status, out, err = run(["check", "--isolated", "--select", "T", str(schema)], capsys)
    assert (status, out, err) == (0, "All checks passed.\n", "")


# ---------------------------------------------------------------- output


def test_text_output_relative_path_source_caret_fix(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path / "q" / "x.json", doc("a", "a bad idea"))
    status, out, _err = run(["check", "--isolated", "--select", "T", "q/x.json"], capsys)
    assert status == 1
    assert out.splitlines()[:6] == [
        "q/x.json:4:5: T001 [test-bad-word] the word 'bad'",
        "4 | # a bad idea",
        "  |     ^^^",
        "  = fix",
        "4 - # a bad idea",
        "4 + # a good idea",
    ]
    assert out.endswith("Found 1 problem (1 warning). 1 with a safe fix.\n")


def test_statistics_total_equals_number_of_findings(capsys: pytest.CaptureFixture[str]) -> None:
    _status, found = findings(["--isolated", str(SAMPLES)], capsys)
    status, out, _err = run(["check", "--isolated", "--statistics", str(SAMPLES)], capsys)
    assert status == 1
    rows = out.splitlines()
    assert rows[-1].split() == [str(len(found)), "total"]
    assert sum(int(row.split()[0]) for row in rows[:-1]) == len(found)
    status, out, _err = run(
        ["check", "--isolated", "--statistics", "--format", "json", str(SAMPLES)], capsys
    )
    counted = json.loads(out)
    assert sum(row["count"] for row in counted) == len(found)
    assert {row["code"] for row in counted} == {f["code"] for f in found}


FINDING_KEYS = {
    "path": str,
    "line": int,
    "column": int,
    "end_line": int,
    "end_column": int,
    "code": str,
    "name": str,
    "severity": str,
    "message": str,
}
EDIT_KEYS = {"line": int, "column": int, "end_line": int, "end_column": int, "text": str}


def test_json_output_schema(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(PROJECT)
    _status, found = findings(["--isolated", "--preview", str(SAMPLES)], capsys)
    assert found
    for item in found:
        assert set(item) == {*FINDING_KEYS, "fix"}
        for key, kind in FINDING_KEYS.items():
            assert isinstance(item[key], kind), (key, item)
        assert item["severity"] in ("error", "warning", "info")
        assert item["line"] >= 1 and item["column"] >= 1
        assert (item["end_line"], item["end_column"]) >= (item["line"], item["column"])
        assert not Path(item["path"]).is_absolute()
        fix = item["fix"]
        if fix is not None:
            assert set(fix) == {"applicability", "message", "edits"}
            assert fix["applicability"] in ("safe", "unsafe", "suggestion")
            for edit in fix["edits"]:
                assert set(edit) == set(EDIT_KEYS)
                assert all(isinstance(edit[key], kind) for key, kind in EDIT_KEYS.items())
    keys = [(f["path"], f["line"], f["column"], f["code"]) for f in found]
    assert keys == sorted(keys)


def test_output_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    schema = write(tmp_path / "x.json", doc("a", "bad"))
    target = tmp_path / "report.json"
    argv = ["check", "--isolated", "--select", "T", "--format", "json", "-o", str(target)]
    status, out, _err = run([*argv, str(schema)], capsys)
    assert (status, out) == (1, "")
    assert json.loads(target.read_text())[0]["code"] == "T001"


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_colour_on_a_terminal_unless_no_color(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    schema = write(tmp_path / "x.json", doc("a", "bad"))
    argv = ["check", "--isolated", "--select", "T", str(schema)]
    for env, expected in ((None, True), ("1", False)):
        if env is not None:
            monkeypatch.setenv("NO_COLOR", env)
        terminal = Terminal()
        monkeypatch.setattr(sys, "stdout", terminal)
        main(argv)
        assert ("\x1b[" in terminal.getvalue()) is expected
    monkeypatch.delenv("NO_COLOR")
    terminal = Terminal()
    monkeypatch.setattr(sys, "stdout", terminal)
    main([*argv, "--no-color"])
    assert "\x1b[" not in terminal.getvalue()


# ---------------------------------------------------------------- roots


def test_shared_module_reported_once(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path / "shared" / "common.json", doc("c", "bad"))
    write(tmp_path / "one" / "schema.json", "{ 'include': '../shared/common.json' }\n")
    write(tmp_path / "two" / "schema.json", "{ 'include': '../shared/common.json' }\n")
    (tmp_path / "VERSION").write_text("10.2.0\n")
    _status, found = findings(["--isolated", "--select", "T", str(tmp_path)], capsys)
    assert t_codes(found) == [("common.json", 4, "T001")]


def test_configured_roots(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(tmp_path / "qapi" / "schema.json", "{ 'include': 'mod.json' }\n")
    write(tmp_path / "qapi" / "mod.json", doc("m", "bad"))
    write(tmp_path / "qapi" / "stray.json", doc("s", "bad"))
    write(tmp_path / ".qapilint.toml", 'select = ["T"]\nroots = ["qapi/schema.json"]\n')
    _status, found = findings([str(tmp_path / "qapi" / "mod.json")], capsys)
    assert t_codes(found) == [("mod.json", 4, "T001")]
    _status, found = findings([str(tmp_path / "qapi" / "stray.json")], capsys)
    assert t_codes(found) == [("stray.json", 4, "T001")]


# ---------------------------------------------------------------- errors


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["check"],
        ["check", "--format", "xml", "x.json"],
        ["check", "--fail-on", "fatal", "x.json"],
        ["check", "--bogus", "x.json"],
        ["frobnicate"],
        ["explain"],
        ["explain", "Z999"],
        ["check", "--select", "NOPE", "x.json"],
    ],
)
def test_usage_errors_are_one_line_exit_2(
    argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path / "x.json", "")
    status, out, err = run(argv, capsys)
    assert status == 2
    assert out == ""
    assert err.startswith("qapilint: error: ") and err.count("\n") == 1


def test_io_errors_are_one_line_exit_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    schema = write(tmp_path / "x.json", doc("a", "fine"))
    cases = [
        ["check", str(tmp_path / "missing.json")],
        ["check", "--isolated", "-o", str(tmp_path), str(schema)],
        ["check", "--isolated", "-o", str(tmp_path / "no" / "dir" / "f"), str(schema)],
        ["check", "--tree-root", str(schema), str(schema)],
        ["check", "--config", str(tmp_path), str(schema)],
    ]
    if os.geteuid() != 0:
        unreadable = write(tmp_path / "locked.json", "")
        unreadable.chmod(0)
        cases.append(["check", "--isolated", str(unreadable)])
    for argv in cases:
        status, _out, err = run(argv, capsys)
        assert status == 2, argv
        assert err.startswith("qapilint: error: ") and err.count("\n") == 1, (argv, err)
        assert "Traceback" not in err


def test_help_and_version(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _err = run(["--version"], capsys)
    assert (status, out.strip()) == (0, "qapilint 0.1.0")
    status, out, _err = run(["check", "--help"], capsys)
    assert status == 0 and "--fail-on" in out


def test_the_command_named_is_the_first_plain_word() -> None:
    assert _command_named(["check", "--no-cache", "x.json"]) == "check"
    assert _command_named(["--", "explain", "W010"]) == "explain"
    assert _command_named(["--version"]) is None
    assert _command_named(["nope", "check"]) is None  # argparse settles an unknown word
    assert _command_named([]) is None


@pytest.mark.parametrize(
    "argv",
    [
        ["check", "--select", "T001,T3", "--ignore", "T002", "--format", "json", "a", "b"],
        ["patch", "--base", "HEAD~2", "-q", "-"],
        ["baseline", "out.txt", "a", "--isolated"],
        ["show", "Name", "--tree-root", "top"],
        ["rules", "--format", "json"],
        ["explain", "T001"],
    ],
)
def test_a_parser_of_one_command_parses_it_as_the_whole_parser_does(argv: list[str]) -> None:
    assert build_parser(argv[0]).parse_args(argv) == build_parser().parse_args(argv)


def test_a_parser_of_one_command_lists_every_command(capsys: pytest.CaptureFixture[str]) -> None:
    whole = build_parser().format_help()
    assert build_parser("check").format_help() == whole
    assert all(name in whole for name in ("check", "patch", "baseline", "show", "explain"))


def test_help_takes_the_terminal_width_when_formatted(monkeypatch: pytest.MonkeyPatch) -> None:
    parser = build_parser("check")  # made before the width changes: asked only now
    wrapped = {}
    for columns in (40, 120):
        monkeypatch.setenv("COLUMNS", str(columns))
        wrapped[columns] = parser.format_help().splitlines()
        assert max(map(len, wrapped[columns])) <= columns - 2
    assert len(wrapped[40]) > len(wrapped[120])


def test_parsing_a_command_line_asks_no_terminal_width() -> None:
    """Asking imports shutil; only formatting help needs the width."""
    code = (
        "import sys, qapilint.cli as cli; "
        "cli.build_parser('check').parse_args(['check', '--no-cache', 'x.json']); "
        "print('shutil' in sys.modules)"
    )
    found = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=PROJECT
    )
    assert found.stdout.strip() == "False"


# ---------------------------------------------------------------- rules, explain


def test_rules_lists_every_rule_and_marks_preview(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _err = run(["rules"], capsys)
    assert status == 0
    lines = {line.split()[0]: line for line in out.splitlines()[1:] if line.strip()}
    for found in load_rules():
        assert found.code in lines
        assert found.name in lines[found.code]
        assert found.status in lines[found.code].split()
    assert "preview" in lines["T002"].split()
    status, out, _err = run(["rules", "--format", "json"], capsys)
    data = json.loads(out)
    assert {row["code"] for row in data} >= {found.code for found in load_rules()}


@pytest.mark.parametrize("found", load_rules(), ids=lambda found: found.code)
def test_explain_every_rule(found, capsys: pytest.CaptureFixture[str]) -> None:  # type: ignore[no-untyped-def]
    for key in (found.code, found.name, found.code.lower()):
        status, out, _err = run(["explain", key], capsys)
        assert status == 0
        assert out.startswith(f"{found.code} {found.name}\n")
        assert found.doc in out
        assert f"--ignore {found.code}" in out
        assert f"disable={found.code}" in out


def test_explain_unknown_suggests(capsys: pytest.CaptureFixture[str]) -> None:
    status, _out, err = run(["explain", "unused-supression"], capsys)
    assert status == 2 and "did you mean 'unused-suppression'" in err


# ---------------------------------------------------------------- console script


def _console_script() -> str:
    found = Path(sys.executable).parent / "qapilint"
    return str(found) if found.exists() else shutil.which("qapilint") or "qapilint"


def test_console_script(tmp_path: Path) -> None:
    script = _console_script()
    env = {**os.environ, "NO_COLOR": "1"}
    done = subprocess.run([script, "--version"], capture_output=True, text=True, check=False)
    assert done.returncode == 0 and done.stdout.startswith("qapilint ")
    bad = write(tmp_path / "x.json", "{ 'command': 'a' \n")
    done = subprocess.run(
        [script, "check", "--isolated", "--select", "Q1", "--format", "json", str(bad)],
        capture_output=True,
        text=True,
        check=False,
        env=env,
    )
    assert done.returncode == 1
    assert json.loads(done.stdout)[0]["code"].startswith("Q1")
    done = subprocess.run(
        [script, "check", str(tmp_path / "missing.json")],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith("qapilint: error: ") and done.stderr.count("\n") == 1
    done = subprocess.run([script, "explain", "L001"], capture_output=True, text=True, check=False)
    assert done.returncode == 0 and "Use instead::" in done.stdout


def test_console_script_delivers_long_output_before_leaving(tmp_path: Path) -> None:
    """The script leaves with os._exit: every byte must be out first."""
    bad = "".join(f"{{ 'a': 'b', 'a': 'c', 'x{n}': 1 }}\n" for n in range(150))
    for name in ("a", "b", "c", "d"):
        write(tmp_path / f"{name}.json", bad)
    done = subprocess.run(
        [_console_script(), "check", "--isolated", "--format", "json", str(tmp_path)],
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "NO_COLOR": "1"},
    )
    assert done.returncode == 1, done.stderr
    assert len(done.stdout) > 65536  # more than a pipe holds
    findings = json.loads(done.stdout)
    assert len({finding["path"] for finding in findings}) == 4


# ---------------------------------------------------------------- from a wheel

_NOT_SOURCE = shutil.ignore_patterns(
    ".git", ".venv", "build", "dist", "*.egg-info", "__pycache__", ".*_cache", ".hypothesis"
)

_WHEEL_SCRIPT = """
import contextlib, io, json, sys
sys.path.insert(0, sys.argv[1])
import qapilint
from qapilint.cli import _command_named, build_parser, main
from qapilint.lint.engine import load_rules
out = io.StringIO()
with contextlib.redirect_stdout(out):
    status = main(["rules", "--format", "json"])
listed = [row["code"] for row in json.loads(out.getvalue())]
explained = {}
for rule in load_rules():
    page = io.StringIO()
    with contextlib.redirect_stdout(page):
        explained[rule.code] = (main(["explain", rule.code]), page.getvalue())
print(json.dumps({"file": qapilint.__file__, "status": status, "listed": listed,
                  "explained": explained}))
"""


def test_rules_and_explain_from_an_installed_wheel(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    work = tmp_path_factory.mktemp("wheel")
    shutil.copytree(PROJECT, work / "src", ignore=_NOT_SOURCE)
    built = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(work / "dist"),
         str(work / "src")],
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert built.returncode == 0, built.stderr
    (wheel,) = (work / "dist").glob("qapilint-*.whl")
    site = work / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(site), wheel],
        check=True, capture_output=True,
    )  # fmt: skip
    done = subprocess.run(
        [sys.executable, "-c", _WHEEL_SCRIPT, str(site)],
        capture_output=True, text=True, check=False, cwd=work,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    data = json.loads(done.stdout)
    assert Path(data["file"]).is_relative_to(site)
    assert data["status"] == 0
    assert data["listed"] == [found.code for found in load_rules()]
    for code, (status, page) in data["explained"].items():
        assert status == 0 and page.startswith(code) and "Use instead::" in page, code


def test_sarif_and_github_formats(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    schema = write(tmp_path / "x.json", doc("a", "bad"))
    argv = ["check", "--isolated", "--select", "T", str(schema)]
    status, out, _err = run([*argv, "--format", "sarif"], capsys)
    data = json.loads(out)
    assert status == 1
    assert [r["id"] for r in data["runs"][0]["tool"]["driver"]["rules"]] == ["T001", "T003"]
    assert [r["ruleId"] for r in data["runs"][0]["results"]] == ["T001"]
    status, out, _err = run([*argv, "--format", "github"], capsys)
    assert status == 1
    assert out.startswith("::warning file=x.json,line=4,col=3,endLine=4,endColumn=6,")


def test_folder_without_schemas_is_an_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path / "empty" / "data.json", '{"not": "qapi"}\n')
    status, out, err = run(["check", "--isolated", str(tmp_path / "empty")], capsys)
    assert (status, out) == (2, "")
    assert err == f"qapilint: error: no QAPI schema file found in {tmp_path / 'empty'}\n"


def test_second_configuration_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    first = write(tmp_path / "a" / ".qapilint.toml", 'select = ["T001"]\n')
    second = write(tmp_path / "b" / ".qapilint.toml", 'select = ["T003"]\n')
    write(tmp_path / "a" / "x.json", doc("a", "bad broken"))
    write(tmp_path / "b" / "y.json", doc("b", "bad broken"))
    status, out, err = run(["check", "--format", "json", "a", "b"], capsys)
    assert status == 1
    assert [f["code"] for f in json.loads(out)] == ["T001", "T001"]
    assert err == f"qapilint: warning: b has its own configuration {second}; using {first}\n"
