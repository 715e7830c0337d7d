"""W001 vague-one, W002 vague-quantifier, W003 vague-condition."""

from __future__ import annotations

import pytest
from qapilint.rules.w_vague import vague_condition, vague_one, vague_quantifier
from wording_support import context, run, said, section, suggestion

from qapilint.lint.rule import apply_edits


def one(text: str, kind: str = "member") -> list[tuple[str, str]]:
    ctx = context([section(kind, text, name="resume" if kind == "member" else None)])
    return [(said(ctx, found), suggestion(found)) for found in run(vague_one, ctx)]


def test_one_as_article_is_flagged_with_the() -> None:
    assert one("resume one paused postcopy migration") == [("one", "the")]


def test_one_message_names_the_member_and_the_rewrite() -> None:
    ctx = context([section("member", "resume one paused migration", name="resume")])
    (found,) = run(vague_one, ctx)
    assert "member 'resume' of 'migrate'" in found.message
    assert '"the paused"' in found.message
    assert found.symbol == "migrate" and found.member == "resume"
    assert found.fix is not None and found.fix.applicability == "suggestion"


def test_one_fix_applies_and_relints_clean() -> None:
    text = "when set, resume one paused migration"
    ctx = context([section("member", text, name="resume", line=1, col=1)])
    (found,) = run(vague_one, ctx)
    assert found.fix is not None
    fixed = apply_edits(text, found.fix.edits)
    assert fixed == "when set, resume the paused migration"
    assert one(fixed) == []


def test_one_after_create_suggests_a() -> None:
    assert one("create one snapshot of the disk") == [("one", "a")]


def test_one_suggests_an_before_a_vowel() -> None:
    assert one("create one image of the disk") == [("one", "an")]


def test_there_is_one_is_a_count() -> None:
    """QEMU's dump.json: "there is one dump running in background" (only
    one can run): a count, not an article."""
    assert one("there is one dump running in the background") == []


@pytest.mark.parametrize(
    "text",
    [
        "one of the paused migrations",
        "one or more paused migrations",
        "at least one file is required",
        "at most one breakpoint",
        "only one entry is required",
        "exactly one of the two should be present",
        "use more than one fd for migration",
        "the event is one-shot",
        "a one-time event",
        "the mapping must be one-to-one",
        "devices are reset one by one",
        "the buffer holds one 4 KiB page",
        "the device's ID if it has one",
        "the one specified by the caller",
        "use one already loaded",
        "One fd per queue.",
        "a histogram with one bucket for each power of two",
        "instructing one job to finalize forces all jobs to finalize",
        "one cannot rely on it",
        "set the limits in one transaction",
        "keyboard and mouse instead of just one device",
        "The event is one shot.",
        "the old histogram is removed, and empty one created with new intervals",
        "a path different than the default one used by QEMU",
        "instead of opening a fresh one",
    ],
)
def test_one_near_misses_are_quiet(text: str) -> None:
    assert one(text) == []


def test_one_inside_a_reference_or_literal_is_not_read() -> None:
    assert one("see @one paused and ``one paused``") == []


def test_one_spanning_lines_maps_to_the_file() -> None:
    ctx = context([section("member", "when set, resume\none paused migration", name="r", line=7)])
    (found,) = run(vague_one, ctx)
    assert (found.span.line, found.span.col, found.span.end_col) == (8, 7, 10)


def quantifier(text: str) -> list[str]:
    ctx = context([section("plain", text)])
    return [said(ctx, found) for found in run(vague_quantifier, ctx)]


def test_vague_quantifiers_are_flagged() -> None:
    assert quantifier("Get some information from various places.") == ["some", "various"]
    assert quantifier("certain flags") == ["certain"]
    assert quantifier("models (e1000, virtio, etc.)") == ["etc."]
    assert quantifier("reads, writes and so on") == ["and so on"]


@pytest.mark.parametrize(
    "text",
    [
        "some of the flags",
        "in some cases the flag is ignored",
        "file names, e.g. 50-ovmf.json, 60-seabios.json, etc.",
        "the file /etc/qemu/firmware",
    ],
)
def test_vague_quantifier_near_misses_are_quiet(text: str) -> None:
    assert quantifier(text) == []


def test_vague_quantifier_takes_project_phrases_from_config() -> None:
    chosen = {"extra-phrases": {"a number of": ""}, "ignore-phrases": ["some"]}
    options = {"vague-quantifier": chosen}
    ctx = context([section("plain", "some flags and a number of bits")], options=options)
    assert [said(ctx, found) for found in run(vague_quantifier, ctx)] == ["a number of"]


def condition(text: str) -> list[str]:
    ctx = context([section("member", text, name="flush")])
    return [said(ctx, found) for found in run(vague_condition, ctx)]


def test_vague_conditions_are_flagged() -> None:
    assert condition("flush the cache if necessary") == ["if necessary"]
    assert condition("must be used as appropriate") == ["as appropriate"]
    assert condition("set it appropriately") == ["appropriately"]
    assert condition("grow the buffer as needed") == ["as needed"]


def test_vague_condition_near_misses_are_quiet() -> None:
    assert condition("throttle vCPUs as needed to keep the rate under the limit") == []
    assert condition("the appropriate node") == []


def test_vague_condition_message_gives_the_advice() -> None:
    ctx = context([section("member", "flush the cache if necessary", name="flush")])
    (found,) = run(vague_condition, ctx)
    assert '"if necessary"' in found.message and "say when" in found.message


def test_one_takes_project_near_misses_from_config() -> None:
    options = {"vague-one": {"quiet": ["one * migration"]}}
    ctx = context([section("member", "resume one paused migration", name="r")], options=options)
    assert run(vague_one, ctx) == []
