"""Every rule's status follows its blind-judged precision table.

The tables (``docs/precision/*.toml``; protocol in that folder's README,
format and tool in ``tests/precision.py``) hold a fixed-seed sample of each
rule's findings on QEMU 10.2.2 and 7.2.0, judged by someone who did not
write the rule. This test recomputes, for every rule of every family, what
its verdicts earn, and fails when a stable rule's do not earn ``stable``;
where the corpus is present it also checks that each table still describes
what its rule finds today on each tree.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from qapilint.lint.engine import load_rules
from qapilint.lint.rule import Rule
from tests.precision import (
    PAIR,
    PROTOCOL,
    PrecisionTable,
    TableError,
    check_table,
    check_table_current,
    earns_stable,
    import_verdicts,
    load_tables,
    produced_fingerprints,
    render_table,
)

RULES = load_rules()


def _stable() -> list[Rule]:
    return [found for found in RULES if found.status == "stable"]


@pytest.mark.parametrize("found", _stable(), ids=lambda found: found.code)
def test_stable_rule_earns_stable_by_blind_verdicts(found: Rule) -> None:
    check_table(found.code, found.name)


@pytest.mark.parametrize("found", RULES, ids=lambda found: found.code)
def test_every_rule_has_a_blind_table(found: Rule) -> None:
    table = load_tables().get(found.code)
    assert table is not None, f"{found.code} has no table: python tests/precision.py sample"
    assert table.protocol == PROTOCOL and table.name == found.name


def _table(tmp_path: Path, verdicts: list[str], total: int | None = None) -> PrecisionTable:
    rows = "".join(
        f'[[sample]]\nid = {n}\ntree = "t"\nfingerprint = ["X001", "s{n}"]\n'
        f'verdict = "{verdict}"\nreason = "r"\n'
        for n, verdict in enumerate(verdicts, start=1)
    )
    count = len(verdicts) if total is None else total
    (tmp_path / "X001-x.toml").write_text(
        f'code = "X001"\nname = "x"\nprotocol = "{PROTOCOL}"\ntotal = {count}\n'
        f"[totals]\nt = {count}\n" + rows,
        encoding="utf-8",
    )
    return load_tables(tmp_path)["X001"]


def test_status_recomputed_from_verdicts(tmp_path: Path) -> None:
    assert earns_stable(_table(tmp_path, ["TP"] * 18 + ["FP"] * 2, total=40))[0]
    assert not earns_stable(_table(tmp_path, ["TP"] * 17 + ["FP"] * 3, total=40))[0]
    assert not earns_stable(_table(tmp_path, ["TP"] * 19 + ["?"], total=40))[0]
    # fewer than 10 findings on both trees: all of them, all true
    assert earns_stable(_table(tmp_path, ["TP"] * 4))[0]
    assert not earns_stable(_table(tmp_path, ["TP"] * 3 + ["FP"]))[0]
    assert earns_stable(_table(tmp_path, [], total=0))[0]
    table = _table(tmp_path, ["TP"] * 17 + ["FP"] * 3, total=40)
    assert table.precision == pytest.approx(0.85)
    with pytest.raises(AssertionError, match=r"precision 85% < 90%"):
        check_table("X001", "x", tmp_path)


def test_tables_of_an_older_protocol_earn_nothing(tmp_path: Path) -> None:
    (tmp_path / "X001-x.toml").write_text(
        'code = "X001"\nname = "x"\ntotal = 1\n'
        '[[sample]]\nfingerprint = ["X001", "a"]\nverdict = "TP"\n',
        encoding="utf-8",
    )
    ok, why = earns_stable(load_tables(tmp_path)["X001"])
    assert not ok and "blind" in why


def test_import_copies_verdicts_by_id_and_fingerprint(tmp_path: Path) -> None:
    table = _table(tmp_path, ["?", "?"])
    assert table.path is not None
    verdicts = tmp_path / "X001.verdicts.toml"
    item = '[[item]]\nid = {n}\nfingerprint = ["X001", "s{n}"]\nverdict = "{v}"\nreason = "{r}"\n'
    verdicts.write_text(
        'code = "X001"\njudge = "a reviewer"\n'
        + item.format(n=1, v="tp", r="a real  problem")
        + item.format(n=2, v="FP", r="fine as it is"),
        encoding="utf-8",
    )
    imported = import_verdicts(verdicts, tmp_path)
    assert [(row.verdict, row.reason) for row in imported.sample] == [
        ("TP", "a real problem"),
        ("FP", "fine as it is"),
    ]
    again = load_tables(tmp_path)["X001"]
    assert again.judge == "a reviewer" and again.precision == 0.5
    assert render_table(again) == table.path.read_text(encoding="utf-8")
    # a packet made for another draw, or a verdict without a reason, is refused
    verdicts.write_text(
        'code = "X001"\njudge = "j"\n'
        + item.format(n=1, v="TP", r="x").replace("s1", "zz")
        + item.format(n=2, v="TP", r="y"),
        encoding="utf-8",
    )
    with pytest.raises(TableError, match="does not match"):
        import_verdicts(verdicts, tmp_path)
    verdicts.write_text(
        'code = "X001"\njudge = "j"\n'
        + item.format(n=1, v="TP", r="")
        + item.format(n=2, v="TP", r="y"),
        encoding="utf-8",
    )
    with pytest.raises(TableError, match="reason"):
        import_verdicts(verdicts, tmp_path)


@pytest.fixture(scope="module")
def current(corpus: Path) -> dict[str, dict[str, Counter[tuple[str, ...]]]]:
    return produced_fingerprints(("",), corpus)


@pytest.mark.parametrize("found", RULES, ids=lambda found: found.code)
def test_table_matches_corpus(
    found: Rule, current: dict[str, dict[str, Counter[tuple[str, ...]]]]
) -> None:
    check_table_current(found.code, current.get(found.code, {}))


def test_a_change_rule_table_is_measured_on_the_pair(tmp_path: Path) -> None:
    """A C rule's table names the pair, not a tree, and imports like any."""
    (tmp_path / "C009-x.toml").write_text(
        f'code = "C009"\nname = "x"\nprotocol = "{PROTOCOL}"\ntotal = 1\n'
        f'[totals]\n"{PAIR}" = 1\n'
        f'[[sample]]\nid = 1\ntree = "{PAIR}"\nfingerprint = ["C009", "Def"]\n'
        'verdict = "?"\nreason = ""\n',
        encoding="utf-8",
    )
    table = load_tables(tmp_path)["C009"]
    assert f"measured on the pair {PAIR}" in render_table(table)
    verdicts = tmp_path / "C009.verdicts.toml"
    verdicts.write_text(
        'code = "C009"\njudge = "j"\n[[item]]\nid = 1\nfingerprint = ["C009", "Def"]\n'
        'verdict = "TP"\nreason = "new and misdated"\n',
        encoding="utf-8",
    )
    assert earns_stable(import_verdicts(verdicts, tmp_path))[0]
