"""Every stable S and D rule has a judged precision table of at least 90%.

The tables (``docs/precision/*.toml``, format in ``tests/precision.py``) are
judged by hand; this test recomputes each rule's precision from its table,
and, where the corpus is present, checks that the table still describes what
the rule finds today (same total, every sampled finding still produced).
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from qapilint.lint.engine import load_rules
from qapilint.lint.rule import Rule
from tests.precision import (
    check_table,
    check_table_current,
    load_tables,
    produced_fingerprints,
)

FAMILIES = ("S", "D")


def _stable(families: tuple[str, ...] = FAMILIES) -> list[Rule]:
    return [r for r in load_rules() if r.code.startswith(families) and r.status == "stable"]


@pytest.mark.parametrize("found", _stable(), ids=lambda found: found.code)
def test_stable_rule_has_precise_table(found: Rule) -> None:
    check_table(found.code, found.name)


def test_table_reader_computes_precision(tmp_path: Path) -> None:
    (tmp_path / "X001-x.toml").write_text(
        'code = "X001"\nname = "x"\ntotal = 3\n'
        + "".join(
            f'[[sample]]\nfingerprint = ["X001", "s{n}"]\nverdict = "{verdict}"\n'
            for n, verdict in enumerate(["TP", "TP", "FP"])
        ),
        encoding="utf-8",
    )
    table = load_tables(tmp_path)["X001"]
    assert table.precision == pytest.approx(2 / 3)
    with pytest.raises(AssertionError, match="67% < 90%"):
        check_table("X001", "x", tmp_path)


@pytest.fixture(scope="module")
def current(corpus: Path) -> dict[str, Counter[tuple[str, ...]]]:
    return produced_fingerprints(FAMILIES, corpus)


@pytest.mark.parametrize("found", _stable(), ids=lambda found: found.code)
def test_table_matches_corpus(found: Rule, current: dict[str, Counter[tuple[str, ...]]]) -> None:
    check_table_current(found.code, current.get(found.code, Counter()))
