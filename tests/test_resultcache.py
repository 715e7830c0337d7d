"""The findings cache (qapilint.lint.resultcache) through the command line:
a second identical run reads the findings instead of running rules, and
any change to what the result came from makes it run again."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from qapilint.cli import main
from qapilint.fix.edits import Edit, Fix
from qapilint.lint import check, resultcache
from qapilint.lint.rule import Finding
from qapilint.syntax.model import Span

ROOT = """\
{ 'include': 'sub.json' }
"""
SUB = """\
##
# @Thing:
#
# A thing.
#
# Since: 9.0
##
{ 'struct': 'Thing', 'data': { 'size': 'int' } }
"""


@pytest.fixture
def tree(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A QEMU-like tree (VERSION, qapi/) and a cache folder of its own."""
    monkeypatch.delenv("QAPILINT_NO_CACHE", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    top = tmp_path / "tree"
    (top / "qapi").mkdir(parents=True)
    (top / "VERSION").write_text("10.2.0\n")
    (top / "qapi" / "schema.json").write_text(ROOT)
    (top / "qapi" / "sub.json").write_text(SUB)
    monkeypatch.chdir(top)
    return top


class RulesRan(Exception):
    pass


def run(
    capsys: pytest.CaptureFixture[str], *arguments: str, rules_may_run: bool = True
) -> list[dict[str, object]]:
    """The findings of ``check --format json`` (and whether rules ran is checked)."""
    status = main(["check", "--format", "json", *arguments])
    out, err = capsys.readouterr()
    assert status in (0, 1), err
    return list(json.loads(out))


@pytest.fixture
def rules_counted(monkeypatch: pytest.MonkeyPatch) -> list[int]:
    """How many times the rules ran, one entry per root."""
    calls: list[int] = []
    real = check.run_rules

    def counted(*arguments: object, **keywords: object) -> object:
        calls.append(1)
        return real(*arguments, **keywords)  # type: ignore[arg-type]

    monkeypatch.setattr(check, "run_rules", counted)
    return calls


def entries(tree: Path) -> list[Path]:
    folder = tree.parent / "cache" / "qapilint" / resultcache.FOLDER
    return sorted(folder.iterdir()) if folder.is_dir() else []


def test_second_run_reads_the_cache(
    tree: Path, capsys: pytest.CaptureFixture[str], rules_counted: list[int]
) -> None:
    first = run(capsys, "qapi/schema.json")
    assert first, "the member without a description must be reported"
    assert len(rules_counted) == 1
    second = run(capsys, "qapi/schema.json")
    assert second == first
    assert len(rules_counted) == 1, "an unchanged re-run must not run the rules"
    assert len(entries(tree)) == 1
    uncached = run(capsys, "--no-cache", "qapi/schema.json")
    assert uncached == first and len(rules_counted) == 2


def test_text_output_of_a_hit_shows_the_same_source(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["check", "--no-cache", "qapi/schema.json"])
    fresh = capsys.readouterr().out
    main(["check", "qapi/schema.json"])
    main(["check", "qapi/schema.json"])
    capsys.readouterr()
    main(["check", "qapi/schema.json"])
    assert capsys.readouterr().out == fresh


@pytest.mark.parametrize(
    "change",
    [
        "edit the included module",
        "edit the root",
        "change VERSION",
        "add a configuration",
        "other selection",
        "add a schema file beside",
    ],
)
def test_a_change_runs_the_rules_again(
    tree: Path, capsys: pytest.CaptureFixture[str], rules_counted: list[int], change: str
) -> None:
    arguments = ["qapi/"]
    before = run(capsys, *arguments)
    run(capsys, *arguments)
    assert len(rules_counted) == 1
    if change == "edit the included module":
        (tree / "qapi" / "sub.json").write_text(SUB.replace("'size'", "'*size'"))
    elif change == "edit the root":
        (tree / "qapi" / "schema.json").write_text(ROOT + "{ 'pragma': {} }\n")
    elif change == "change VERSION":
        (tree / "VERSION").write_text("7.2.0\n")
    elif change == "add a configuration":
        (tree / ".qapilint.toml").write_text('ignore = ["Q"]\n')
    elif change == "other selection":
        arguments.insert(0, "--preview")
    else:
        (tree / "qapi" / "other.json").write_text("{ 'struct': 'Other', 'data': {\n")
    after = run(capsys, *arguments)
    assert len(rules_counted) >= 2, f"{change}: the cache must not answer"
    uncached = run(capsys, "--no-cache", *arguments)
    assert after == uncached
    if change in ("add a configuration", "add a schema file beside"):
        assert after != before


def test_an_include_that_appears_runs_the_rules_again(
    tree: Path, capsys: pytest.CaptureFixture[str], rules_counted: list[int]
) -> None:
    (tree / "qapi" / "schema.json").write_text(ROOT + "{ 'include': 'later.json' }\n")
    missing = run(capsys, "qapi/schema.json")
    assert any("later.json" in str(finding["message"]) for finding in missing)
    (tree / "qapi" / "later.json").write_text(SUB.replace("Thing", "Later"))
    found = run(capsys, "qapi/schema.json")
    assert len(rules_counted) == 2
    assert not any("later.json" in str(finding["message"]) for finding in found)


@pytest.mark.parametrize("damage", [b"", b"garbage", b"\xe3\x01\x00\x00\x00"])
def test_a_corrupt_entry_is_ignored_and_rewritten(
    tree: Path,
    capsys: pytest.CaptureFixture[str],
    rules_counted: list[int],
    damage: bytes,
) -> None:
    first = run(capsys, "qapi/schema.json")
    (entry,) = entries(tree)
    entry.write_bytes(damage)
    assert run(capsys, "qapi/schema.json") == first
    assert len(rules_counted) == 2
    assert entry.read_bytes() != damage
    assert run(capsys, "qapi/schema.json") == first
    assert len(rules_counted) == 2


@pytest.mark.parametrize("how", ["--no-cache", "QAPILINT_NO_CACHE"])
def test_no_cache_neither_reads_nor_writes(
    tree: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    arguments = ["qapi/schema.json"]
    if how == "--no-cache":
        arguments.insert(0, how)
    else:
        monkeypatch.setenv(how, "1")
    run(capsys, *arguments)
    assert entries(tree) == []


def test_fixing_and_change_runs_do_not_use_the_cache(
    tree: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["check", "--diff", "qapi/schema.json"])
    main(["check", "--baseline", str(tree / "missing-baseline.json"), "qapi/schema.json"])
    capsys.readouterr()
    assert entries(tree) == []


def test_an_unwritable_cache_folder_changes_nothing(
    tree: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    blocked = tree.parent / "not-a-folder"
    blocked.write_text("")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    assert run(capsys, "qapi/schema.json") == run(capsys, "--no-cache", "qapi/schema.json")


def test_findings_survive_the_round_trip() -> None:
    fix = Fix("unsafe", (Edit(Span(1, 2, 1, 5), "new"), Edit(Span(3, 1, 3, 1), "")), "do", True)
    finding = Finding(
        Span(1, 2, 1, 5),
        "message",
        fix,
        symbol="Thing",
        member="size",
        anchor_line=4,
        path=Path("/x/y.json"),
        code="W010",
        name="some-rule",
        severity="info",
    )
    plain = Finding(Span(2, 1, 2, 3), "other")
    for each in (finding, plain):
        assert resultcache._finding(resultcache._record(each)) == each


def test_entries_are_pruned(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(resultcache, "MOST_ENTRIES", 3)
    folder = tmp_path / "findings"
    folder.mkdir()
    for number in range(5):
        path = folder / f"{number:032x}"
        path.write_bytes(b"x")
        os.utime(path, ns=(number * 10**9, number * 10**9))
    resultcache._prune(str(folder))
    assert sorted(path.name[-1] for path in folder.iterdir()) == ["2", "3", "4"]
