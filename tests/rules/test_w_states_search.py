"""W020's shortcuts: the values near a name are those a comparison with
every value finds, and every name the rule can read in a prose view is
among the unknown names of the raw text."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from qapilint.rules import w_states
from wording_support import context

from qapilint.syntax.model import ProseView

ENUMS = [
    ("enum", "MigrationStatus", {"data": ["active", "postcopy-paused", "postcopy-recover"]}),
    ("enum", "RunState", {"data": ["paused", "running", "suspended", "inmigrate", "prelaunch"]}),
    ("enum", "JobStatus", {"data": ["pending", "standby", "concluded", "aborting"]}),
    ("enum", "OnOffAuto", {"data": ["on", "off", "auto"]}),
    ("enum", "Mode", {"data": ["existing", "absolute-paths", "node-name"]}),
]
NAME = st.text(alphabet="abcdeilmnoprstuy-", min_size=1, max_size=16)


def _values() -> w_states._EnumValues:
    schema = context([], others=ENUMS).schema
    assert schema is not None
    return w_states._enum_values_of(schema)


def _every_near(values: w_states._EnumValues, name: str) -> list[tuple[int, bool, str]]:
    limit = w_states._limit(name)
    if limit == 0:
        return []
    found = []
    for value, owners in values.owners.items():
        gap = w_states.distance(name, value, limit)
        if gap <= limit:
            stateful = any("State" in owner or "Status" in owner for owner in owners)
            found.append((gap, stateful, value))
    return sorted(found)


@given(NAME)
def test_the_values_near_a_name_are_those_every_comparison_finds(name: str) -> None:
    values = _values()
    assert sorted(values.near(name)) == _every_near(values, name)


@given(st.sampled_from(["pausde", "runnign", "postcopy-pause", "node-nmae", "standyb"]))
def test_typos_of_values_have_near_values(name: str) -> None:
    assert _values().near(name)


QUOTED_TEXT = st.lists(
    st.sampled_from(['"', "paused", "runnign", "node-nmae", "x", " ", ":", "-", "\n", "`"]),
    max_size=20,
).map("".join)


@given(QUOTED_TEXT, st.lists(st.tuples(st.integers(0, 60), st.integers(1, 5)), max_size=3))
def test_every_name_a_view_quotes_is_among_the_raw_text_s_unknown_names(
    text: str, stretches: list[tuple[int, int]]
) -> None:
    hidden = {index for start, length in stretches for index in range(start, start + length)}
    view = "".join(
        ProseView.MASK if index in hidden and char != "\n" else char
        for index, char in enumerate(text)
    )
    values = _values()
    unknown, quotes = w_states._unknown_quotes(values, text)
    for match in w_states._QUOTED.finditer(view):
        name = match.group(1)
        if name not in values.owners and w_states._limit(name) > 0:
            assert name in unknown
            assert text.find(f'"{name}"', match.start(), match.end()) == match.start()
            assert (match.start(), match.end()) in quotes


@given(QUOTED_TEXT, QUOTED_TEXT, QUOTED_TEXT)
def test_the_sections_quoting_unknown_names_are_those_whose_text_holds_a_quote_of_one(
    first: str, second: str, third: str
) -> None:
    texts = [first.replace("\n", " "), "", second.replace("\n", " "), third]
    bounds, start = [], 0
    for text in texts:
        bounds.append((start, start + len(text)))
        start += len(text) + 1
    whole = "\n".join(texts)
    unknown, quotes = w_states._unknown_quotes(_values(), whole)
    quoting = list(w_states._sections_quoting(bounds, quotes))
    assert [quote for _index, held in quoting for quote in held] == quotes
    assert [index for index, _held in quoting] == [
        index for index, text in enumerate(texts) if any(f'"{name}"' in text for name in unknown)
    ]
