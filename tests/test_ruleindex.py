"""The cached index of built-in rules: the same rules as importing every
module, and a run imports only the modules of the rules it runs."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
from pathlib import Path

import pytest

from qapilint.lint import ruleindex
from qapilint.lint.engine import load_rules
from qapilint.lint.ruleindex import Deferred, builtin_rules, index_name

PROJECT = Path(__file__).resolve().parent.parent
QEMU_DOC = "qapilint.rules.q_doc"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setattr(ruleindex, "cache_folder", lambda: str(tmp_path))
    return tmp_path / index_name()


def described(rules: list) -> list[tuple[object, ...]]:
    return sorted(
        (r.code, r.name, r.severity, r.context, r.status, r.fix, r.qemu_release, r.options, r.doc)
        for r in rules
    )


def test_the_index_gives_the_same_rules_as_the_modules(cache: Path) -> None:
    imported = builtin_rules()  # no index yet: every module imported, index written
    assert cache.is_file()
    assert not any(isinstance(r.function, Deferred) for r in imported)
    indexed = builtin_rules()
    assert all(isinstance(r.function, Deferred) for r in indexed)
    assert described(indexed) == described(imported)


def test_a_deferred_rule_runs_its_real_function(cache: Path) -> None:
    builtin_rules()
    indexed = {r.code: r for r in builtin_rules()}
    real = {
        r.code: r for r in ruleindex.rules_in(__import__("qapilint.rules.q_lines").rules.q_lines)
    }
    deferred = indexed["Q181"].function
    assert isinstance(deferred, Deferred)
    assert deferred.load() is real["Q181"].function
    assert deferred.__doc__ == real["Q181"].function.__doc__


def test_a_changed_module_or_version_rebuilds_the_index(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    builtin_rules()
    names, stamps = ruleindex._module_names()
    changed = [(name, size + 1, mtime) for name, size, mtime in stamps]
    monkeypatch.setattr(ruleindex, "_module_names", lambda: (names, changed))
    rules = builtin_rules()
    assert not any(isinstance(r.function, Deferred) for r in rules)
    assert all(isinstance(r.function, Deferred) for r in builtin_rules())
    monkeypatch.setattr(ruleindex, "__version__", "0.0.0-other")
    assert not any(isinstance(r.function, Deferred) for r in builtin_rules())


def test_each_installation_has_an_index_of_its_own(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    builtin_rules()
    package = importlib.import_module(ruleindex.PACKAGE)
    here = index_name()
    monkeypatch.setattr(package, "__path__", ["/another/installation/qapilint/rules"])
    elsewhere = index_name()
    assert here != elsewhere and here.startswith("rule-index-")
    assert cache.name == here and cache.is_file()  # this installation's, kept
    assert not (cache.parent / elsewhere).exists()


def test_a_corrupt_index_is_ignored(cache: Path) -> None:
    cache.write_bytes(b"\x00garbage")
    rules = builtin_rules()
    assert rules and not any(isinstance(r.function, Deferred) for r in rules)
    assert all(isinstance(r.function, Deferred) for r in builtin_rules())


def test_no_cache_folder_means_no_index(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(ruleindex, "cache_folder", lambda: None)
    assert not any(isinstance(r.function, Deferred) for r in builtin_rules())


def test_load_rules_takes_a_builtin_module_given_again(cache: Path) -> None:
    builtin_rules()
    from qapilint.rules import w_vague  # noqa: PLC0415

    codes = [r.code for r in load_rules([w_vague])]
    assert len(codes) == len(set(codes))


SELECTED_RUN = (
    "import sys\n"
    "from qapilint.cli import main\n"
    "status = main(['check', '--isolated', '--select', 'Q1', sys.argv[1]])\n"
    "print(status, sorted(m for m in sys.modules if m.startswith('qapilint.rules.')))\n"
)


def test_a_run_imports_only_the_rule_modules_it_runs(tmp_path: Path) -> None:
    schema = tmp_path / "x.json"
    schema.write_text("##\n# @x:\n#\n# Do it. Now.\n##\n{ 'command': 'x' }\n")
    env = {**os.environ, "XDG_CACHE_HOME": str(tmp_path / "cache")}

    def run() -> str:
        done = subprocess.run(
            [sys.executable, "-c", SELECTED_RUN, str(schema)],
            env=env,
            capture_output=True,
            text=True,
            check=False,
            cwd=PROJECT,
        )
        assert done.returncode == 0, done.stderr
        return done.stdout.splitlines()[-1]  # status and imported rule modules

    first = run()  # writes the index: every module imported
    assert "qapilint.rules.w_vague" in first
    second = run()
    assert second.startswith("1 ")  # Q182 found the single space
    assert "qapilint.rules.q_doc" in second
    assert "qapilint.rules.w_vague" not in second
