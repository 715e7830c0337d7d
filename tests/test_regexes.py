"""Patterns compiled once per installation (qapilint.files.regexes)."""

from __future__ import annotations

import marshal
import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from qapilint.files import regexes

SAMPLES: list[tuple[str | bytes, int]] = [
    (r"(?P<word>\w+)-(\d+)", 0),
    (r"^\s*since\s*:?\s*(?P<ver>\d+\.\d+)", re.IGNORECASE | re.MULTILINE),
    (r"(?<![\w-])@(?P<name>[\w-]+)(?=:)", 0),
    (rb"[\x1a\x1b]+", 0),
]
TEXT = "Since: 9.1\nfoo-12 and @bar-baz: since 10.2\n  SINCE 7.0"


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty cache folder of this test's own, and a module that has read
    nothing yet (as at the start of a run)."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    new_run(monkeypatch)
    yield tmp_path / "qapilint"


def new_run(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(regexes, "_stored", None)
    monkeypatch.setattr(regexes, "_fresh", {})
    monkeypatch.setattr(regexes, "_made", {})


def stored_file(cache: Path) -> Path:
    found = list(cache.glob("regexes-*.marshal"))
    assert len(found) == 1
    return found[0]


def assert_same(made: re.Pattern[str] | re.Pattern[bytes], source: str | bytes, flags: int) -> None:
    expected = re.compile(source, flags)
    assert made.pattern == expected.pattern
    assert made.flags == expected.flags
    assert made.groups == expected.groups
    assert made.groupindex == expected.groupindex
    subject: str | bytes = TEXT if isinstance(source, str) else b"a\x1a\x1bb\x1a"
    assert [m.span() for m in made.finditer(subject)] == [  # type: ignore[arg-type]
        m.span()
        for m in expected.finditer(subject)  # type: ignore[arg-type]
    ]


@pytest.mark.parametrize(("source", "flags"), SAMPLES)
def test_a_pattern_is_the_one_re_compiles_first_and_stored(
    cache: Path, monkeypatch: pytest.MonkeyPatch, source: str | bytes, flags: int
) -> None:
    assert_same(regexes.pattern(source, flags), source, flags)
    regexes.save()
    new_run(monkeypatch)
    compiles: list[object] = []
    monkeypatch.setattr(regexes, "_compile", lambda *args: compiles.append(args))
    assert_same(regexes.pattern(source, flags), source, flags)
    assert compiles == []  # the stored compilation, not a new one


def test_save_writes_nothing_without_new_patterns(cache: Path) -> None:
    regexes.save()
    assert not list(cache.glob("regexes-*"))


def test_save_keeps_what_earlier_runs_stored(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    regexes.pattern("first")
    regexes.save()
    new_run(monkeypatch)
    regexes.pattern("second")
    regexes.save()
    table = marshal.loads(stored_file(cache).read_bytes())
    assert {key[0] for key in table} == {"first", "second"}


@pytest.mark.parametrize(
    "damage",
    [
        b"not marshal data",
        marshal.dumps(["a list, not a table"]),
        # a table whose code for the pattern is garbage: the engine refuses it
        marshal.dumps({("a+b", 0): (32, b"\xff\xff\xff\xff" * 3, 0, {}, (None,))}),
        marshal.dumps({("a+b", 0): ("not", "a", "compilation")}),
    ],
)
def test_a_damaged_store_costs_a_compile(
    cache: Path, monkeypatch: pytest.MonkeyPatch, damage: bytes
) -> None:
    regexes.pattern("unrelated")
    regexes.save()
    stored_file(cache).write_bytes(damage)
    new_run(monkeypatch)
    assert_same(regexes.pattern("a+b"), "a+b", 0)
    regexes.save()
    new_run(monkeypatch)
    compiles: list[object] = []
    monkeypatch.setattr(regexes, "_compile", lambda *args: compiles.append(args))
    assert_same(regexes.pattern("a+b"), "a+b", 0)  # stored right this time
    assert compiles == []


def test_a_bad_pattern_raises_as_re_compile_does(cache: Path) -> None:
    with pytest.raises(re.error, match="missing"):
        regexes.pattern("(unclosed")


def test_the_store_stays_bounded(cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(regexes, "_MOST", 3)
    for run in range(3):
        new_run(monkeypatch)
        regexes.pattern(f"a{run}")
        regexes.pattern(f"b{run}")
        regexes.save()
    table = marshal.loads(stored_file(cache).read_bytes())
    assert len(table) <= 3
    assert {key[0] for key in table} >= {"a2", "b2"}  # the last run's kept


def test_the_same_pattern_is_made_once_per_run(
    cache: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = regexes.pattern(r"\w+", re.ASCII)
    assert regexes.pattern(r"\w+", re.ASCII) is first
    assert regexes.pattern(r"\w+") is not first  # other flags, another pattern
    monkeypatch.setattr(regexes, "_MOST_MADE", 2)
    regexes.pattern("x")
    assert regexes.pattern(r"\w+", re.ASCII) is not first  # the oldest forgotten
