"""``qapilint show SYMBOL [PATH]``: a definition's documentation as the
manual shows it, as text."""

from __future__ import annotations

from pathlib import Path

import pytest

from qapilint.cli import main

PROJECT = Path(__file__).resolve().parent.parent
GOOD = PROJECT / "sample_schemas" / "good"

ZONE_START = """\
Command zone-start
==================

Open the valve of a zone and water it for a while.

Arguments:
  id: str
      The zone to water.
  minutes: uint16 (optional)
      How long to water, in minutes.  (default: 10)
  duration: uint32 (optional)
      How long to water, in seconds.  (since 10.0)

Features:
  deprecated
      Member duration is deprecated.  Use minutes instead.

Errors:
  - If id does not name a zone, GenericError
  - If the zone is already watering, GenericError

Since: 9.2
"""

QUERY_ZONES = """\
Command query-zones
===================

List the zones of the controller.

Returns: [ZoneInfo]
  one entry for each zone, in the order they were configured.

Example:
    -> { "execute": "query-zones" }
    <- { "return": [ { "id": "lawn", "state": "idle" },
                     { "id": "beds", "state": "watering",
                       "moisture": 31 } ] }

Since: 9.2
"""


def _show(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(["show", *argv, "--isolated"])
    out, err = capsys.readouterr()
    return status, out, err


def test_show_command_with_arguments_features_errors(capsys: pytest.CaptureFixture[str]) -> None:
    assert _show(capsys, "zone-start", str(GOOD)) == (0, ZONE_START, "")


def test_show_returns_and_example(capsys: pytest.CaptureFixture[str]) -> None:
    assert _show(capsys, "query-zones", str(GOOD / "zones.json")) == (0, QUERY_ZONES, "")


def test_show_struct_members_with_types_and_optional(
    capsys: pytest.CaptureFixture[str],
) -> None:
    status, out, _ = _show(capsys, "ZoneInfo", str(GOOD))
    assert status == 0
    assert out.splitlines()[:2] == ["Object ZoneInfo", "==============="]
    assert "Members:\n  id: str\n      The zone's identifier" in out
    assert "  moisture: uint8 (optional)\n" in out


def test_show_enum_values_without_at_signs(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = _show(capsys, "ZoneState", str(GOOD))
    assert status == 0
    assert "Values:\n  idle\n      The valve is closed.\n" in out
    assert "zone is resumed with zone-resume." in out
    assert "@" not in out and "`" not in out


def test_show_defaults_to_the_current_folder(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(GOOD)
    assert _show(capsys, "zone-start") == (0, ZONE_START, "")


def test_show_unknown_symbol_suggests_close_names(capsys: pytest.CaptureFixture[str]) -> None:
    status, out, err = _show(capsys, "zone-strat", str(GOOD))
    assert status == 2
    assert out == ""
    assert err.count("\n") == 1
    assert "no definition named 'zone-strat'" in err
    assert "'zone-start'" in err


def test_show_wrong_case_is_suggested(capsys: pytest.CaptureFixture[str]) -> None:
    status, _, err = _show(capsys, "zoneinfo", str(GOOD))
    assert status == 2
    assert "did you mean 'ZoneInfo'" in err


def test_show_qemu_10_2_2_definition(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    tree = corpus / "qemu-10.2.2"
    status, out, err = _show(capsys, "blockdev-add", str(tree / "qapi"))
    assert (status, err) == (0, "")
    assert out.startswith(
        "Command blockdev-add\n====================\n\nCreates a new block device.\n\n"
        "Arguments:\n  The members of BlockdevOptions.\n\nExample:\n"
        '    -> { "execute": "blockdev-add",\n'
    )
    assert out.endswith("\n\nSince: 2.9\n")


def test_show_qemu_10_2_2_struct(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    status, out, _ = _show(capsys, "BlockdevOptionsFile", str(corpus / "qemu-10.2.2" / "qapi"))
    assert status == 0
    assert "Members:\n  filename: str\n      path to the image file\n" in out
    assert "  aio: BlockdevAioOptions (optional)\n" in out
    assert "Features:\n  dynamic-auto-read-only\n" in out
