"""W020 unknown-state-name."""

from __future__ import annotations

import pytest
from qapilint.rules.w_states import _json_in_any_view, _quotes_of, distance, unknown_state_name
from wording_support import context, run, said, section, suggestion

from qapilint.lint.rule import apply_edits

ENUMS = [
    ("enum", "MigrationStatus", {"data": ["active", "postcopy-paused", "postcopy-recover"]}),
    ("enum", "RunState", {"data": ["paused", "running", "suspended", "inmigrate"]}),
    ("enum", "OnOffAuto", {"data": ["on", "off", "auto"]}),
]


def states(text: str) -> list[tuple[str, str]]:
    ctx = context([section("member", text, name="resume")], others=ENUMS)
    return [(said(ctx, found), suggestion(found)) for found in run(unknown_state_name, ctx)]


def test_near_miss_of_a_state_is_flagged_with_did_you_mean() -> None:
    assert states('fails unless migration is in "postcopy-pause" state') == [
        ("postcopy-pause", "postcopy-paused")
    ]


def test_did_you_mean_is_in_the_message() -> None:
    ctx = context([section("plain", 'in the "suspnded" state')], others=ENUMS)
    (found,) = run(unknown_state_name, ctx)
    assert 'did you mean "suspended"' in found.message


@pytest.mark.parametrize(
    "text",
    [
        'fails unless migration is in "postcopy-paused" state',  # a value: fine
        'the "inmigrate" state',
        'defaults to "on"',
        'accelerator property "dirty-ring-size"',  # far from any value
        'Policy for handling "funny" input.',
        '"halt", "powerdown" or "reboot"',  # short names stay quiet
        "in ``postcopy-pause`` state",  # a literal, not prose
        '{ "node-name": "runnin", "suspnded": 1 }',  # JSON left unmasked
    ],
)
def test_state_name_near_misses_are_quiet(text: str) -> None:
    assert states(text) == []


def test_state_name_fix_applies_and_relints_clean() -> None:
    text = 'fails unless migration is in "postcopy-pause" state'
    ctx = context([section("member", text, name="resume", line=1, col=1)], others=ENUMS)
    (found,) = run(unknown_state_name, ctx)
    assert found.fix is not None
    fixed = apply_edits(text, found.fix.edits)
    assert fixed == 'fails unless migration is in "postcopy-paused" state'
    assert states(fixed) == []


def test_distance_counts_swaps_as_one() -> None:
    assert distance("paused", "puased", 2) == 1
    assert distance("postcopy-pause", "postcopy-paused", 2) == 1
    assert distance("abc", "xyzzy", 1) == 2


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ('-> { "node-name": "drive0" }', True),  # a key and a value
        ('{\n  "suspnded": 1,\n  "list": ["runnin"] }', True),
        ('the "suspnded" state', False),  # prose
        (':state: "suspnded"', False),
        (':"state": "suspnded"', False),  # a field marker hides the colon
        ('in state "suspnded"::\n\n  code', False),  # a paragraph's "::" is masked
        ('"suspnded": see :ref:`x`', False),  # a role may start at the colon
        ('.. note:: "suspnded"', False),  # the directive's "::" is masked
    ],
)
def test_json_in_any_view(text: str, want: bool) -> None:
    """Only names whose JSON neighbours the view keeps spare the view."""
    names = {"suspnded", "runnin", "node-name", "drive0", "list", "state"}
    assert _json_in_any_view(text, _quotes_of(text, names)) is want
    # the same text as a section of a longer one
    whole = f'"list" ``x``\n{text}\n"state" `y`'
    start = whole.index("\n") + 1
    quotes = [quote for quote in _quotes_of(whole, names) if start <= quote[0] < start + len(text)]
    assert _json_in_any_view(whole, quotes, start, start + len(text)) is want


@pytest.mark.parametrize(
    "text",
    [
        ':state: "suspnded"',
        ':"state": "suspnded"',
        'the "suspnded" state:: see below',
        'the state is "suspnded"::\n\n    { "a": 1 }',
    ],
)
def test_json_looking_names_the_view_keeps_as_prose_are_flagged(text: str) -> None:
    assert states(text) == [("suspnded", "suspended")]
