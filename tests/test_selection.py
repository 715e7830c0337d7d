"""Rule selection: codes, prefixes, names, ALL, layers and preview."""

from __future__ import annotations

import pytest

from qapilint.lint.selection import (
    ALL,
    Layer,
    UnknownSelector,
    check_selectors,
    find_rule,
    select_rules,
    specificity,
)
from tests.ruledefs import RULES


def chosen(*layers: Layer, preview: bool = False) -> list[str]:
    return [found.code for found in select_rules(RULES, list(layers), preview)]


def test_default_is_every_stable_rule() -> None:
    assert chosen() == ["Q101", "Q102", "S001", "W301", "W302", "L001"]


def test_preview_mode_adds_preview_rules() -> None:
    assert "W310" in chosen(preview=True)


@pytest.mark.parametrize(
    ("selector", "expected"),
    [
        ("Q", ["Q101", "Q102"]),
        ("W3", ["W301", "W302"]),
        ("W30", ["W301", "W302"]),
        ("W301", ["W301"]),
        ("w301", ["W301"]),
        ("vague-one", ["W301"]),
        ("ALL", ["Q101", "Q102", "S001", "W301", "W302", "L001"]),
        ("all", ["Q101", "Q102", "S001", "W301", "W302", "L001"]),
    ],
)
def test_select_by_code_prefix_name_all(selector: str, expected: list[str]) -> None:
    assert chosen(Layer(select=[selector])) == expected


def test_preview_rule_runs_when_selected_exactly() -> None:
    assert chosen(Layer(select=["W310"])) == ["W310"]
    assert chosen(Layer(select=["slash-ambiguity"])) == ["W310"]
    assert chosen(Layer(extend_select=["W310"])) == [
        "Q101", "Q102", "S001", "W301", "W302", "W310", "L001"
    ]  # fmt: skip


def test_preview_rule_not_run_by_prefix_without_preview() -> None:
    assert chosen(Layer(select=["W3"])) == ["W301", "W302"]
    assert chosen(Layer(select=["W3"]), preview=True) == ["W301", "W302", "W310"]


def test_more_specific_selector_wins_within_a_layer() -> None:
    assert chosen(Layer(select=["W"], ignore=["W3"], extend_select=["W301"])) == ["W301"]
    assert chosen(Layer(select=["W301"], ignore=["W"])) == ["W301"]


def test_ignore_wins_a_tie() -> None:
    assert chosen(Layer(select=["W301"], ignore=["vague-one"])) == []


def test_later_layer_select_starts_over() -> None:
    config = Layer(select=["Q"], ignore=["Q101"])
    assert chosen(config) == ["Q102"]
    assert chosen(config, Layer(select=["Q101", "S"])) == ["Q101", "S001"]


def test_later_layer_ignore_and_extend_keep_earlier_result() -> None:
    config = Layer(select=["Q"], ignore=["Q101"])
    assert chosen(config, Layer(extend_select=["S001"])) == ["Q102", "S001"]
    assert chosen(config, Layer(ignore=["Q102"])) == []
    assert chosen(config, Layer(extend_select=["Q101"])) == ["Q101", "Q102"]


def test_unknown_selectors_are_rejected_with_a_hint() -> None:
    with pytest.raises(UnknownSelector, match="did you mean 'vague-one'"):
        check_selectors(["vague-on"], RULES)
    with pytest.raises(UnknownSelector, match="'X'"):
        check_selectors(["X"], RULES)
    with pytest.raises(UnknownSelector):
        check_selectors([""], RULES)
    check_selectors(["Q", "W3", "vague-one", ALL], RULES)


def test_specificity_and_find_rule() -> None:
    w301 = RULES[3]
    assert specificity("W301", w301) > specificity("W30", w301) > specificity("W", w301)  # type: ignore[operator]
    assert specificity("ALL", w301) == 0
    assert specificity("Q", w301) is None
    assert find_rule("vague-one", RULES) is w301
    assert find_rule("W3", RULES) is None
