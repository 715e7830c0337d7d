"""W030 bool-default."""

from __future__ import annotations

import pytest
from qapilint.rules.w_defaults import bool_default
from wording_support import context, run, said, section, suggestion

from qapilint.lint.rule import apply_edits

ARGS = {"data": {"*resume": "bool", "*prealloc": "PreallocMode", "*mode": "str"}}
ENUMS = [("enum", "PreallocMode", {"data": ["off", "full"]})]


def defaults(text: str, name: str = "resume") -> list[tuple[str, str]]:
    ctx = context([section("member", text, name=name)], expr=ARGS, others=ENUMS)
    return [(said(ctx, found), suggestion(found)) for found in run(bool_default, ctx)]


@pytest.mark.parametrize(
    ("text", "hit", "rewrite"),
    [
        ('resume a migration.  Default "off".  (since 3.0)', 'Default "off"', "false"),
        ("resume a migration (default: off)", "default: off", "false"),
        ("resume a migration (default on, since 4.2)", "default on", "true"),
        ('resume a migration.  Defaults to "on".', 'Defaults to "on"', "true"),
        ("it will default to 'off' there", "default to 'off'", "false"),
        ("bypass the cache (see below; default: off)", "default: off", "false"),
        ("resume, default is enabled.", "default is enabled", "true"),
        ("resume (default: no)", "default: no", "false"),
    ],
)
def test_bool_default_words_are_flagged(text: str, hit: str, rewrite: str) -> None:
    assert defaults(text) == [(hit, rewrite)]


def test_bool_default_message_names_the_value() -> None:
    ctx = context([section("member", "x (default: off)", name="resume")], expr=ARGS)
    (found,) = run(bool_default, ctx)
    assert found.message == (
        "bool member 'resume' of 'migrate' gives its default as \"off\": "
        "a bool is false or true; write false"
    )


def test_bool_default_fix_changes_the_value_only_and_relints_clean() -> None:
    text = 'resume a migration.  Default "off".  (since 3.0)'
    ctx = context([section("member", text, name="resume", line=1, col=1)], expr=ARGS)
    (found,) = run(bool_default, ctx)
    assert found.fix is not None and found.fix.applicability == "suggestion"
    fixed = apply_edits(text, found.fix.edits)
    assert fixed == "resume a migration.  Default false.  (since 3.0)"
    assert defaults(fixed) == []


@pytest.mark.parametrize(
    ("text", "name"),
    [
        # the value said plainly, in any form: QEMU has no one house form
        ("resume a migration (default: false, since 3.0)", "resume"),
        ("resume a migration (default true)", "resume"),
        ("resume a migration.  Default: true.", "resume"),
        ("resume a migration.  Default false.", "resume"),
        ("resume a migration.  Defaults to false.", "resume"),
        ("flush after every write.  (since: 5.2;\ndefault: false)", "resume"),
        ("resume a migration.  Default is true for new machines.", "resume"),
        ("resume a migration; the default is no limit", "resume"),  # "no" of a phrase
        ("preallocation mode (default: off)", "prealloc"),  # an enum whose value is off
        ('the filter status (default: "on")', "mode"),  # a str
    ],
)
def test_bool_default_near_misses_are_quiet(text: str, name: str) -> None:
    assert defaults(text, name) == []
