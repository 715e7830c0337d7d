"""W040 filler-word, W041 placeholder, W042 repeated-name."""

from __future__ import annotations

import pytest
from qapilint.rules.filler import filler_word, placeholder, repeated_name
from wording_support import context, run, said, section, suggestion

from qapilint.rule import apply_edits


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
