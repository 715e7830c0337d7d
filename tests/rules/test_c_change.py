"""The change rules (C001-C004): a base folder and a head folder, compared."""

from __future__ import annotations

from pathlib import Path

import pytest

from qapilint.change.diff import run_change
from qapilint.lint.check import CheckOptions
from qapilint.lint.rule import Finding
from qapilint.schema.loader import load_schema
from qapilint.schema.resolve import resolution

BASE = """\
##
# @Gauge:
#
# A rain gauge.
#
# @depth: the depth of water in it
#
# Since: 9.1
##
{ 'struct': 'Gauge', 'data': { 'depth': 'int' } }

##
# @read-gauge:
#
# Read a gauge.
#
# @name: which gauge
#
# Since: 9.1
##
{ 'command': 'read-gauge', 'data': { 'name': 'str' } }
"""


def changed(
    tmp_path: Path,
    head: str,
    base: str = BASE,
    version: str = "10.2.50",
    select: tuple[str, ...] = ("C001", "C002", "C003", "S001"),
) -> list[Finding]:
    for side, text in (("base", base), ("head", head)):
        (tmp_path / side).mkdir(exist_ok=True)
        (tmp_path / side / "VERSION").write_text(version + "\n")
        (tmp_path / side / "schema.json").write_text(text)
    options = CheckOptions(
        paths=[tmp_path / "head" / "schema.json"], select=list(select), isolated=True, preview=True
    )
    return run_change(options, str(tmp_path / "base")).result.findings


def codes(found: list[Finding]) -> list[tuple[str, str | None]]:
    return [(finding.code, finding.member or finding.symbol) for finding in found]


NEW_COMMAND = """
##
# @empty-gauge:
#
# Empty a gauge.
#
# Since: {since}
##
{{ 'command': 'empty-gauge' }}
"""


@pytest.mark.parametrize(("since", "expected"), [("10.2", [("C001", "empty-gauge")]), ("11.0", [])])
def test_c001_new_definition_release(tmp_path: Path, since: str, expected: list[object]) -> None:
    found = changed(tmp_path, BASE + NEW_COMMAND.format(since=since))
    assert codes(found) == expected
    if expected:
        assert "write 'Since: 11.0'" in found[0].message


def test_c001_a_renamed_definition_is_not_new(tmp_path: Path) -> None:
    head = BASE.replace("Gauge", "RainGauge")
    assert codes(changed(tmp_path, head)) == []


def test_s001_names_the_release_with_a_base(tmp_path: Path) -> None:
    head = BASE + NEW_COMMAND.format(since="11.0").replace("#\n# Since: 11.0\n", "")
    found = changed(tmp_path, head)
    assert codes(found) == [("S001", "empty-gauge")]
    assert "new in this change, so add 'Since: 11.0'" in found[0].message


MEMBER = BASE.replace(
    "# @depth: the depth of water in it\n",
    "# @depth: the depth of water in it\n#\n# @colour: its colour{tag}\n",
).replace("{ 'depth': 'int' }", "{ 'depth': 'int', '*colour': 'str' }")


@pytest.mark.parametrize(
    ("tag", "expected"),
    [("", [("C002", "colour")]), (" (since 9.2)", [("C002", "colour")]), (" (since 11.0)", [])],
)
def test_c002_new_member_release(tmp_path: Path, tag: str, expected: list[object]) -> None:
    found = changed(tmp_path, MEMBER.replace("{tag}", tag))
    assert codes(found) == expected
    if expected:
        assert "11.0" in found[0].message


def test_c002_a_member_moved_into_a_base_type_is_not_new(tmp_path: Path) -> None:
    head = BASE.replace(
        "{ 'struct': 'Gauge', 'data': { 'depth': 'int' } }",
        "{ 'struct': 'GaugeBase', 'data': { 'depth': 'int' } }\n\n"
        "{ 'struct': 'Gauge', 'base': 'GaugeBase', 'data': {} }",
    ).replace(
        "# @depth: the depth of water in it\n#\n# Since: 9.1\n##\n",
        "# Since: 9.1\n##\n",
        1,
    )
    head = head.replace(
        "##\n# @Gauge:",
        "##\n# @GaugeBase:\n#\n# What gauges share.\n#\n# @depth: the depth of water in it\n"
        "#\n# Since: 9.1\n##\n\n##\n# @Gauge:",
        1,
    )
    assert "'base': 'GaugeBase'" in head and "# @GaugeBase:" in head
    # used by nothing, GaugeBase would be a new struct with an old Since: (C001)
    assert codes(changed(tmp_path, head.replace("'base': 'GaugeBase', ", ""))) != []
    assert [code for code, _ in codes(changed(tmp_path, head))] == []


def test_c002_a_range_of_releases(tmp_path: Path) -> None:
    # a base at release 9.2, a head developing 11.0: 10.0 to 11.0 are fine
    found = changed(tmp_path, MEMBER.replace("{tag}", " (since 10.1)"), version="10.2.50")
    assert codes(found) == [("C002", "colour")]
    for side in ("base",):
        (tmp_path / side / "VERSION").write_text("9.2.0\n")
    options = CheckOptions(
        paths=[tmp_path / "head" / "schema.json"],
        select=["C001", "C002", "C003"],
        isolated=True,
        preview=True,
    )
    assert run_change(options, str(tmp_path / "base")).result.findings == []


def test_c003_since_changed(tmp_path: Path) -> None:
    head = BASE.replace("# Since: 9.1\n##\n{ 'struct'", "# Since: 11.0\n##\n{ 'struct'")
    found = changed(tmp_path, head)
    assert codes(found) == [("C003", "Gauge")]
    assert "was 9.1" in found[0].message
    # the fix: the tag as it was
    assert changed(tmp_path, BASE) == []


OPTIONAL = BASE.replace(
    "# @name: which gauge\n",
    "# @name: which gauge\n#\n# @unit: the unit of the reading{text} (since 11.0)\n",
).replace("{ 'name': 'str' }", "{ 'name': 'str', '*unit': 'str' }")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", [("C004", "unit")]),
        (", default millimetres", []),
        (" (default: mm)", []),
        (", millimetres when omitted", []),
        # a presence is no answer for an argument the client sends
        (", present only when known", [("C004", "unit")]),
    ],
)
def test_c004_new_optional_argument(tmp_path: Path, text: str, expected: list[object]) -> None:
    found = changed(tmp_path, OPTIONAL.replace("{text}", text), select=("C",))
    assert codes(found) == expected
    if expected:
        assert "does not say its default" in found[0].message


EVENT = """
##
# @GAUGE_FULL:
#
# Emitted when a gauge overflows.
#
# @name: which gauge
#
# Since: 9.1
##
{ 'event': 'GAUGE_FULL', 'data': { 'name': 'str' } }
"""


@pytest.mark.parametrize(
    ("text", "expected"),
    [("", [("C004", "level")]), (", present only if the gauge has a scale", [])],
)
def test_c004_new_optional_output_member(tmp_path: Path, text: str, expected: list[object]) -> None:
    head = (BASE + EVENT).replace(
        "# @name: which gauge\n#\n# Since: 9.1\n##\n{ 'event'",
        f"# @name: which gauge\n#\n# @level: the level reached{text} (since 11.0)\n"
        "#\n# Since: 9.1\n##\n{ 'event'",
    )
    head = head.replace(
        "'GAUGE_FULL', 'data': { 'name': 'str' }",
        "'GAUGE_FULL', 'data': { 'name': 'str', '*level': 'int' }",
    )
    found = changed(tmp_path, head, base=BASE + EVENT, select=("C",))
    assert codes(found) == expected
    if expected:
        assert "when it is present" in found[0].message


def test_c004_old_optional_members_are_not_judged(tmp_path: Path) -> None:
    old = OPTIONAL.replace("{text}", "")
    assert changed(tmp_path, old, base=old, select=("C004",)) == []


def test_c004_direction_through_types(tmp_path: Path) -> None:
    """A struct returned by a command is output; one taken as arguments is
    input; one used by nothing accepts either answer."""
    (tmp_path / "VERSION").write_text("10.2.50\n")
    (tmp_path / "s.json").write_text(
        "{ 'struct': 'In', 'data': { 'a': 'int' } }\n"
        "{ 'struct': 'Out', 'data': { 'b': 'int' } }\n"
        "{ 'struct': 'Both', 'data': { 'c': 'int' } }\n"
        "{ 'struct': 'Alone', 'data': { 'd': 'int' } }\n"
        "{ 'struct': 'Args', 'data': { 'in': 'In', 'both': ['Both'] } }\n"
        "{ 'command': 'go', 'data': 'Args', 'returns': ['Out'] }\n"
        "{ 'event': 'WENT', 'data': { 'both': 'Both' } }\n"
    )
    schema = load_schema(tmp_path / "s.json", tmp_path)
    res = resolution(schema)
    ways = {name: set(res.directions(schema.definitions[name])) for name in schema.definitions}
    assert ways["In"] == {"input"} and ways["Args"] == {"input"}
    assert ways["Out"] == {"output"} and ways["Both"] == {"input", "output"}
    assert ways["Alone"] == set()
