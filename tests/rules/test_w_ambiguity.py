"""W050 ambiguous-slash, W051 relative-word (preview)."""

from __future__ import annotations

import pytest
from qapilint.rules.w_ambiguity import ambiguous_slash, relative_word
from wording_support import context, run, said, section


def slashes(text: str, options: dict[str, object] | None = None) -> list[str]:
    ctx = context([section("plain", text)], options=options)
    found = run(ambiguous_slash, ctx)
    assert all(item.fix is None for item in found)  # only the author knows what was meant
    return [said(ctx, item) for item in found]


def test_ambiguous_slash_is_flagged_and_asks() -> None:
    ctx = context([section("plain", "use the URI/channels to replace the old/broken ones")])
    found = run(ambiguous_slash, ctx)
    assert [said(ctx, item) for item in found] == ["URI/channels", "old/broken"]
    assert '"URI and channels", or "URI or channels"?' in found[0].message
    assert all(item.fix is None for item in found)


@pytest.mark.parametrize(
    "text",
    [
        "read/write access",
        "I/O errors",
        "on/off switch",
        "the file /etc/qemu/firmware",
        "see https://example.org/a/b",
        "rate in MiB/s",
        "SEV/SEV-ES guests",
        "see ``a/b``",
    ],
)
def test_ambiguous_slash_near_misses_are_quiet(text: str) -> None:
    assert slashes(text) == []


def test_ambiguous_slash_takes_project_pairs_from_config() -> None:
    assert slashes("URI/channels", {"ambiguous-slash": {"fine": ["uri/channels"]}}) == []


def relative(text: str) -> list[str]:
    ctx = context([section("plain", text)])
    return [said(ctx, found) for found in run(relative_word, ctx)]


def test_relative_words_set_against_each_other_are_flagged() -> None:
    assert relative("use the new channels to replace the old channels") == ["the new channels"]
    assert relative("using the new URI/channels to replace the old/broken channels") == [
        "the new URI"
    ]
    ctx = context([section("plain", "use the new URI instead of the previous one")])
    (found,) = run(relative_word, ctx)
    assert '"the new URI" against "the previous one"' in found.message


def test_relative_word_near_misses_are_quiet() -> None:
    assert relative("Filename for the new image file.") == []  # one word, settled by the command
    assert relative("use the new channels.  The old channels are closed.") == []
    assert relative("set the new value, replacing the old value") == []
    assert relative("a new channel replaces an old one") == []
