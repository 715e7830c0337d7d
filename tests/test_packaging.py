"""Packaging: the wheel ships the engine, the grammar, the data files and
every built-in rule (the top-level ``rules/`` folder as ``qapilint.rules``),
and the README's test command is the one CI runs.

Building the wheel takes a few seconds (pip fetches the build backend into an
isolated environment), so it is built once per module, from a copy of the
work tree: setuptools' ``build/`` folder would otherwise leak stale files.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from qapilint.lint.engine import load_rules

PROJECT = Path(__file__).resolve().parent.parent

_NOT_SOURCE = shutil.ignore_patterns(
    ".git",
    ".venv",
    "venv",
    "build",
    "dist",
    "*.egg-info",
    "__pycache__",
    ".pytest_cache",
    ".ruff_cache",
    ".mypy_cache",
    ".hypothesis",
    "_build",
)


@pytest.fixture(scope="module")
def wheel(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("wheel")
    source = work / "src"
    shutil.copytree(PROJECT, source, ignore=_NOT_SOURCE)
    out = work / "dist"
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(out), str(source)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, f"pip wheel failed:\n{result.stdout}\n{result.stderr}"
    (built,) = out.glob("qapilint-*.whl")
    return built


@pytest.fixture(scope="module")
def wheel_files(wheel: Path) -> set[str]:
    with zipfile.ZipFile(wheel) as archive:
        return set(archive.namelist())


def _source_files(folder: str, *patterns: str) -> list[Path]:
    root = PROJECT / folder
    found = [path for pattern in patterns for path in root.rglob(pattern)]
    return sorted(path for path in found if "__pycache__" not in path.parts)


def test_every_builtin_rule_module_is_in_the_wheel_as_qapilint_rules(
    wheel_files: set[str],
) -> None:
    sources = _source_files("rules", "*.py", "*.toml")
    assert sources, "rules/ is empty"
    missing = [
        f"qapilint/rules/{path.relative_to(PROJECT / 'rules').as_posix()}"
        for path in sources
        if f"qapilint/rules/{path.relative_to(PROJECT / 'rules').as_posix()}" not in wheel_files
    ]
    assert missing == []


def test_no_top_level_rules_package(wheel_files: set[str]) -> None:
    assert not [name for name in wheel_files if name.startswith("rules/")]


def test_every_engine_file_is_in_the_wheel(wheel_files: set[str]) -> None:
    sources = _source_files("qapilint", "*.py", "*.lark", "*.toml", "*.json")
    assert sources, "no qapilint sources found"
    missing = [
        path.relative_to(PROJECT).as_posix()
        for path in sources
        if path.relative_to(PROJECT).as_posix() not in wheel_files
    ]
    assert missing == [], "add the subpackage or data pattern to [tool.setuptools] in pyproject"


def test_grammar_is_in_the_wheel(wheel_files: set[str]) -> None:
    if not (PROJECT / "qapilint" / "grammar.lark").is_file():
        pytest.skip("qapilint/syntax/grammar.lark has not landed yet")
    assert "qapilint/syntax/grammar.lark" in wheel_files


def test_console_script_is_declared(wheel: Path) -> None:
    with zipfile.ZipFile(wheel) as archive:
        (name,) = [n for n in archive.namelist() if n.endswith(".dist-info/entry_points.txt")]
        entry_points = archive.read(name).decode()
    assert re.search(r"^qapilint\s*=\s*qapilint\.cli:run$", entry_points, re.MULTILINE)


def test_installed_wheel_loads_the_same_rules_as_the_source(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "site"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target", str(target), wheel],
        check=True,
        capture_output=True,
    )
    script = (
        "import sys; sys.path.insert(0, sys.argv[1]); import qapilint\n"
        "from qapilint.lint.engine import load_rules\n"
        "print(qapilint.__file__)\n"
        "print(' '.join(rule.code for rule in load_rules()))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script, str(target)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    location, installed_codes = result.stdout.splitlines()
    assert Path(location).is_relative_to(target)
    assert installed_codes.split() == [rule.code for rule in load_rules()]


# --------------------------------------------------------------------------
# README and CI agree


def _quick_start_commands() -> list[str]:
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    match = re.search(r"^## Quick start\n(.*?)^## ", readme, re.MULTILINE | re.DOTALL)
    assert match, "README.md has no '## Quick start' section"
    blocks = re.findall(r"```(?:sh|shell|bash|console)\n(.*?)```", match.group(1), re.DOTALL)
    return [
        line.removeprefix("$ ")
        for block in blocks
        for line in block.splitlines()
        if line.startswith("$ ")
    ]


def test_quick_start_has_exactly_two_commands() -> None:
    commands = _quick_start_commands()
    assert len(commands) == 2, commands
    assert "qapilint check sample_schemas/" in commands[0]
    assert "pytest" in commands[1]


def test_ci_runs_the_readme_test_command_verbatim() -> None:
    ci = (PROJECT / ".ci" / "run").read_text(encoding="utf-8")
    match = re.search(r'^TEST_COMMAND="(.*)"$', ci, re.MULTILINE)
    assert match, ".ci/run defines no TEST_COMMAND"
    assert match.group(1) == _quick_start_commands()[1]


def test_ci_script_is_valid_bash_that_stops_on_errors() -> None:
    ci = PROJECT / ".ci" / "run"
    assert "set -euo pipefail" in ci.read_text(encoding="utf-8")
    result = subprocess.run(["bash", "-n", str(ci)], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
