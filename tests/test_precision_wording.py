"""Every stable W rule has a judged precision table of at least 90%.

Same tables and reader as the S and D rules (``tests/precision.py``): each
``docs/precision/W*.toml`` is judged by hand, this test recomputes the
precision and, where the corpus is present, checks that the table still
describes what the rule finds today.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from qapilint.lint.engine import load_rules
from qapilint.lint.rule import Rule
from tests.precision import SAMPLE_SIZE, THRESHOLD, PrecisionTable, corpus_findings, load_tables


def _rules(status: str) -> list[Rule]:
    return [r for r in load_rules() if r.code.startswith("W") and r.status == status]


def _table(code: str) -> PrecisionTable:
    table = load_tables().get(code)
    assert table is not None, f"stable rule {code} has no table in docs/precision/"
    return table


@pytest.mark.parametrize("found", _rules("stable"), ids=lambda found: found.code)
def test_stable_w_rule_has_precise_table(found: Rule) -> None:
    table = _table(found.code)
    assert table.name == found.name
    assert len(table.sample) == min(SAMPLE_SIZE, table.total)
    unjudged = [row.location for row in table.sample if row.verdict == "?"]
    assert not unjudged, f"{found.code}: findings not judged yet: {unjudged}"
    if table.total:
        assert table.precision is not None
        assert table.precision >= THRESHOLD, (
            f"{found.code} precision {table.precision:.0%} < {THRESHOLD:.0%}: ship it as preview"
        )


@pytest.fixture(scope="module")
def current(corpus: Path) -> dict[str, Counter[tuple[str, ...]]]:
    """Fingerprints each W rule produces on the corpus today."""
    by_code: dict[str, Counter[tuple[str, ...]]] = {}
    codes = [found.code for found in load_rules() if found.code.startswith("W")]
    for finding in corpus_findings(codes, corpus):
        by_code.setdefault(finding.code, Counter())[finding.fingerprint()] += 1  # type: ignore[attr-defined]
    return by_code


@pytest.mark.parametrize("found", _rules("stable"), ids=lambda found: found.code)
def test_w_table_matches_corpus(found: Rule, current: dict[str, Counter[tuple[str, ...]]]) -> None:
    table = _table(found.code)
    produced = current.get(found.code, Counter())
    assert table.total == sum(produced.values()), f"{found.code}: re-sample, the rule changed"
    stale = [row.location for row in table.sample if tuple(row.fingerprint) not in produced]
    assert not stale, f"{found.code}: sampled findings no longer produced: {stale}"
