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

from qapilint.engine import load_rules
from qapilint.rule import Rule
from tests.precision import (
    SAMPLE_SIZE,
    THRESHOLD,
    PrecisionTable,
    corpus_findings,
    load_tables,
)

FAMILIES = ("S", "D")


def _stable(families: tuple[str, ...] = FAMILIES) -> list[Rule]:
    return [r for r in load_rules() if r.code.startswith(families) and r.status == "stable"]


def _table(code: str) -> PrecisionTable:
    table = load_tables().get(code)
    assert table is not None, f"stable rule {code} has no table in docs/precision/"
    return table


@pytest.mark.parametrize("found", _stable(), ids=lambda found: found.code)
def test_stable_rule_has_precise_table(found: Rule) -> None:
    table = _table(found.code)
    assert table.name == found.name
    assert len(table.sample) == min(SAMPLE_SIZE, table.total)
    unjudged = [row.location for row in table.sample if row.verdict == "?"]
    assert not unjudged, f"{found.code}: findings not judged yet: {unjudged}"
    precision = table.precision
    if table.total:
        assert precision is not None
        assert precision >= THRESHOLD, (
            f"{found.code} precision {precision:.0%} < {THRESHOLD:.0%}: ship it as preview"
        )


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


@pytest.fixture(scope="module")
def current(corpus: Path) -> dict[str, Counter[tuple[str, ...]]]:
    """Fingerprints each S/D rule produces on the corpus today."""
    by_code: dict[str, Counter[tuple[str, ...]]] = {}
    codes = [found.code for found in load_rules() if found.code.startswith(FAMILIES)]
    for finding in corpus_findings(codes, corpus):
        by_code.setdefault(finding.code, Counter())[finding.fingerprint()] += 1  # type: ignore[attr-defined]
    return by_code


@pytest.mark.parametrize("found", _stable(), ids=lambda found: found.code)
def test_table_matches_corpus(found: Rule, current: dict[str, Counter[tuple[str, ...]]]) -> None:
    table = _table(found.code)
    produced = current.get(found.code, Counter())
    assert table.total == sum(produced.values()), f"{found.code}: re-sample, the rule changed"
    stale = [row.location for row in table.sample if tuple(row.fingerprint) not in produced]
    assert not stale, f"{found.code}: sampled findings no longer produced: {stale}"
