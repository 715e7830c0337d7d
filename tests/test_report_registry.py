"""The output-format registry: ``--format``'s choices come from it, a format
is imported only when chosen, no format module imports another, and a
rule's summary is computed in one place."""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from qapilint import report
from qapilint.cli import build_parser, main
from qapilint.lint.engine import load_rules
from qapilint.report import FORMATS, ReportInput, register
from tests.controls_rules import install

BUILT_IN = ("text", "json", "sarif", "github", "gitlab", "checkpatch", "review")
SCHEMA = "##\n# @a:\n#\n# bad\n#\n# Since: 10.0\n##\n{ 'command': 'a' }\n"


def format_choices(parser: argparse.ArgumentParser) -> tuple[str, ...]:
    (commands,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    check = commands.choices["check"]
    (action,) = [a for a in check._actions if "--format" in a.option_strings]
    return tuple(action.choices or ())


def test_format_choices_are_the_registry() -> None:
    assert report.names() == BUILT_IN
    assert format_choices(build_parser()) == BUILT_IN


def test_register_refuses_a_taken_name(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(report, "FORMATS", dict(FORMATS))
    with pytest.raises(ValueError, match="'json' is already registered"):
        register("json", "elsewhere")


def _fake_render(given: ReportInput) -> str:
    codes = ",".join(finding.code for finding in given.findings)
    return f"fake: {codes} statistics={given.statistics} quiet={given.quiet}\n"


def test_a_registered_format_is_a_choice_and_renders(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    install(monkeypatch)
    monkeypatch.chdir(tmp_path)
    (tmp_path / "x.json").write_text(SCHEMA, encoding="utf-8")
    argv = ["check", "--isolated", "--select", "T001", "--format", "fake", "x.json"]
    assert main(argv) == 2  # not a format yet
    assert "invalid choice: 'fake'" in capsys.readouterr().err

    module = ModuleType("qapilint_test_fake_format")
    module.render = _fake_render  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, module.__name__, module)
    monkeypatch.setattr(report, "FORMATS", dict(FORMATS))
    register("fake", module.__name__)

    assert format_choices(build_parser()) == (*BUILT_IN, "fake")
    assert main(argv) == 1
    assert capsys.readouterr().out == "fake: T001 statistics=False quiet=False\n"
    assert main([*argv, "--statistics", "--quiet"]) == 1
    assert capsys.readouterr().out == "fake: T001 statistics=True quiet=True\n"


def _report_modules(code: str, cwd: Path) -> list[str]:
    """The format modules loaded after running ``code`` in a new interpreter."""
    script = (
        f"import json, sys\n{code}\n"
        "from qapilint.report import FORMATS\n"
        "modules = {f.module for f in FORMATS.values()}\n"
        "print(json.dumps(sorted(m for m in sys.modules if m in modules)))\n"
    )
    env = {**os.environ, "XDG_CACHE_HOME": str(cwd / "cache")}
    done = subprocess.run(
        [sys.executable, "-c", script],
        capture_output=True,
        text=True,
        check=False,
        cwd=cwd,
        env=env,
    )
    assert done.returncode == 0, done.stderr
    modules: list[str] = json.loads(done.stdout.splitlines()[-1])
    return modules


@pytest.mark.parametrize("name", BUILT_IN)
def test_no_format_module_imports_another(name: str, tmp_path: Path) -> None:
    module = FORMATS[name].module
    assert _report_modules(f"import {module}", tmp_path) == [module]


def test_start_up_imports_no_format_and_a_run_only_its_own(tmp_path: Path) -> None:
    assert _report_modules("import qapilint.cli\nqapilint.cli.build_parser()", tmp_path) == []
    (tmp_path / "x.json").write_text(SCHEMA, encoding="utf-8")
    run = (
        "import contextlib, io\nfrom qapilint.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    main(['check', '--isolated', '--format', 'sarif', 'x.json'])"
    )
    assert _report_modules(run, tmp_path) == ["qapilint.report.sarif"]


# ---------------------------------------------------------------- rule summary


def test_summary_is_the_first_paragraph_on_one_line() -> None:
    rules = load_rules()
    assert any("\n" in found.doc.split("\n\n", 1)[0] for found in rules)  # the case that matters
    for found in rules:
        first = found.doc.split("\n\n", 1)[0]
        assert found.summary == " ".join(first.split()), found.code


def test_rules_and_sarif_show_that_summary(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    rules = load_rules()
    assert main(["rules", "--format", "json"]) == 0
    listed = {row["code"]: row["summary"] for row in json.loads(capsys.readouterr().out)}
    assert listed == {found.code: found.summary for found in rules}

    monkeypatch.chdir(tmp_path)
    sarif = report.render("sarif", ReportInput([], enabled=rules))
    driver = json.loads(sarif)["runs"][0]["tool"]["driver"]
    shown = {rule["id"]: rule["shortDescription"]["text"] for rule in driver["rules"]}
    assert shown == {found.code: found.summary or found.name for found in rules}
