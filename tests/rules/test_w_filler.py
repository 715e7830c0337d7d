"""W040 filler-word, W041 placeholder, W042 repeated-name."""

from __future__ import annotations

from pathlib import Path

import pytest
from qapilint.rules.w_filler import filler_word, placeholder, repeated_name
from wording_support import context, run, said, section, suggestion

from qapilint.lint.rule import Finding, apply_edits
from tests.lint import lint_text


def filler(text: str) -> list[tuple[str, str]]:
    ctx = context([section("plain", text)])
    return [(said(ctx, found), suggestion(found)) for found in run(filler_word, ctx)]


@pytest.mark.parametrize(
    ("text", "hit", "rewrite"),
    [
        ("Call it in order to reset the device.", "in order to", "to"),
        ("Simply call the command.", "Simply", "C"),
        ("The result is obviously empty.", "obviously", ""),
        ("Please note that the result is empty.", "Please note that", "Note that"),
    ],
)
def test_filler_is_flagged_with_its_rewrite(text: str, hit: str, rewrite: str) -> None:
    assert filler(text) == [(hit, rewrite)]


def test_filler_drop_removes_the_space_too() -> None:
    text = "Simply call the command in order to reset it."
    ctx = context([section("plain", text, line=1, col=1)])
    found = run(filler_word, ctx)
    edits = [edit for item in found for edit in item.fix.edits]  # type: ignore[union-attr]
    fixed = apply_edits(text, edits)
    assert fixed == "Call the command to reset it."
    assert filler(fixed) == []


@pytest.mark.parametrize(
    ("text", "want"),
    [
        # QEMU's machine.json: the drop left "existed;, such" before
        (
            "the time had not existed; needless to say, such a jump confuses it",
            "the time had not existed; such a jump confuses it",
        ),
        ("It is, of course, empty.", "It is empty."),
        ("Needless to say, the result is empty.", "The result is empty."),
    ],
)
def test_filler_drop_takes_its_comma_along(text: str, want: str) -> None:
    ctx = context([section("plain", text, line=1, col=1)])
    (found,) = run(filler_word, ctx)
    assert found.fix is not None
    assert apply_edits(text, found.fix.edits) == want


@pytest.mark.parametrize(
    "text",
    [
        "the clusters are not simply preallocated",
        "copied just like in background mode",
        "completes just as it is being cancelled",
        "A new touch sequence has just started.",
        "the chardev backend just created",
        "the number of channels is just 1",
        "all devices instead of just one device",
        "see @simply and ``just``",
        # "just" means "only" in QEMU's docs: not filler
        "This command just issues a request.",
        "copying just allocated contents",
    ],
)
def test_filler_near_misses_are_quiet(text: str) -> None:
    assert filler(text) == []


def markers(text: str, kind: str = "plain") -> list[str]:
    ctx = context([section(kind, text)])
    return [said(ctx, found) for found in run(placeholder, ctx)]


def test_placeholder_markers_are_flagged() -> None:
    assert markers("image size (FIXME: rounding?)") == ["FIXME"]
    assert markers("TODO add more") == ["TODO"]
    assert markers("XXX: check this") == ["XXX"]


@pytest.mark.parametrize(
    "text",
    [
        "the name has the form 'valeXXX:YYY', where XXX and YYY are numbers",
        "the todo list",
        "see ``TODO``",
    ],
)
def test_placeholder_near_misses_are_quiet(text: str) -> None:
    assert markers(text) == []


def test_todo_section_is_where_markers_belong() -> None:
    assert markers("TODO this is a hack", kind="todo") == []


def repeats(name: str, text: str, kind: str = "struct") -> list[str]:
    ctx = context([section("member", text, name=name)], symbol="Thing", kind=kind)
    return [found.message for found in run(repeated_name, ctx)]


@pytest.mark.parametrize(
    ("name", "text"),
    [
        ("id", "id"),
        ("vlan-id", "VLAN ID"),
        ("node-name", "node name (Since: 2.4)"),
        ("port", "the port."),
    ],
)
def test_description_repeating_the_name_is_flagged(name: str, text: str) -> None:
    (message,) = repeats(name, text)
    assert f"member '{name}' of 'Thing' only repeats its name" in message


@pytest.mark.parametrize(
    ("name", "text", "kind"),
    [
        ("port", "port number the server listens on", "struct"),
        ("kvm", "KVM", "enum"),  # enum values may name the thing
        ("id", "the @id of the node", "struct"),
    ],
)
def test_repeated_name_near_misses_are_quiet(name: str, text: str, kind: str) -> None:
    assert repeats(name, text, kind) == []


# --------------------------------------------------------------------------
# W043 developer-note: whole schemas, since its fix writes outside the doc


NOTE_DOC = """\
##
# @Opts:
#
# Keep this type consistent with the `OptsLegacy` type.  The only
# intended difference is the address type.
#
# @addr: Address on which to listen.
#
# Since: 1.0
##
"""


def _notes(tmp_path: Path, text: str) -> list[Finding]:
    return lint_text(tmp_path, text, ("W043",))


def test_developer_note_is_moved_into_the_definition(tmp_path: Path) -> None:
    text = NOTE_DOC + "{ 'struct': 'Opts',\n  'data': { 'addr': 'str' } }\n"
    (found,) = _notes(tmp_path / "hit", text)
    assert found.code == "W043" and found.span.line == 4 and found.symbol == "Opts"
    assert "Keep this type consistent" in found.message
    assert found.fix is not None and found.fix.applicability == "suggestion"
    fixed = apply_edits(text, found.fix.edits)
    assert fixed == (
        "##\n# @Opts:\n#\n# @addr: Address on which to listen.\n#\n# Since: 1.0\n##\n"
        "{ 'struct': 'Opts',\n"
        "  # Keep this type consistent with the `OptsLegacy` type.  The only\n"
        "  # intended difference is the address type.\n"
        "  'data': { 'addr': 'str' } }\n"
    )
    again = lint_text(tmp_path / "fixed", fixed, ("Q", "W043", "F"))
    assert again == []


def test_developer_note_of_a_one_line_definition_goes_above_the_block(tmp_path: Path) -> None:
    text = NOTE_DOC + "{ 'struct': 'Opts', 'data': { 'addr': 'str' } }\n"
    (found,) = _notes(tmp_path / "hit", text)
    assert found.fix is not None
    fixed = apply_edits(text, found.fix.edits)
    assert fixed.startswith("# Keep this type consistent with the `OptsLegacy` type.")
    assert lint_text(tmp_path / "fixed", fixed, ("Q", "W043", "F")) == []


def test_developer_note_at_the_end_of_a_paragraph(tmp_path: Path) -> None:
    text = (
        "##\n# @Opts:\n#\n# Options of the server.  Remember to update the legacy\n"
        "# type too.\n#\n# @addr: the address\n#\n# Since: 1.0\n##\n"
        "{ 'struct': 'Opts', 'data': { 'addr': 'str' } }\n"
    )
    (found,) = _notes(tmp_path / "hit", text)
    assert found.fix is not None
    fixed = apply_edits(text, found.fix.edits)
    assert "# Options of the server.\n#\n# @addr" in fixed
    assert fixed.startswith("# Remember to update the legacy type too.\n##\n")
    assert lint_text(tmp_path / "fixed", fixed, ("Q", "W043", "F")) == []


@pytest.mark.parametrize(
    "sentence",
    [
        "QEMU will try to keep the set of values consistent with the spec.",
        "Clients should keep this value consistent with the guest.",
        "The guest must remember to reset the device.",
    ],
)
def test_developer_note_near_misses_are_quiet(tmp_path: Path, sentence: str) -> None:
    text = NOTE_DOC.replace(
        "Keep this type consistent with the `OptsLegacy` type.  The only\n"
        "# intended difference is the address type.",
        sentence,
    )
    assert _notes(tmp_path, text + "{ 'struct': 'Opts', 'data': { 'addr': 'str' } }\n") == []
