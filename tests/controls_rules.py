"""Test helper: deterministic rules (family T, never registered) for testing
the controls end to end with the real parser, whatever the built-in rules
find. Each flags a word in doc lines."""

from __future__ import annotations

import sys
from collections.abc import Callable, Iterator
from types import ModuleType

import pytest

from qapilint import cli
from qapilint.lint import check
from qapilint.lint.engine import load_rules
from qapilint.lint.rule import DocContext, Edit, Finding, Fix, Rule, rule
from qapilint.syntax.model import Span


def _words(ctx: DocContext, word: str) -> Iterator[tuple[int, int]]:
    for line in ctx.doc.lines:
        col = line.raw.find(word)
        if col >= 0:
            yield line.line, col + 1


@rule(
    "T001",
    "test-bad-word",
    context="doc",
    severity="warning",
    fix="safe",
    options={"word": "bad"},
)
def bad_word(ctx: DocContext) -> Iterator[Finding]:
    """Flags the word "bad" (or the configured word).

    Why: a test rule.

    Example::

        # bad

    Use instead::

        # good
    """
    word = ctx.option("word")
    symbol = ctx.definition.name if ctx.definition else None
    for line, col in _words(ctx, word):
        span = Span.at(line, col, len(word))
        yield Finding(span, f"the word {word!r}", fix=Fix.safe([Edit(span, "good")]), symbol=symbol)


def _word_rule(word: str) -> Callable[[DocContext], Iterator[Finding]]:
    def check(ctx: DocContext) -> Iterator[Finding]:
        for line, col in _words(ctx, word):
            yield Finding(Span.at(line, col, len(word)), f"the word {word!r}")

    return check


_DOC = """Flags the word "{word}".

    Why: a test rule.

    Example::

        # {word}

    Use instead::

        # fine
    """

iffy_word = rule("T002", "test-iffy-word", context="doc", severity="info", status="preview")(
    _word_rule("iffy")
)
iffy_word.__doc__ = _DOC.format(word="iffy")
broken_word = rule("T003", "test-broken-word", context="doc", severity="error")(
    _word_rule("broken")
)
broken_word.__doc__ = _DOC.format(word="broken")


def rules_with_tests() -> list[Rule]:
    return load_rules([sys.modules[__name__]])


def install(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the CLI see the built-in rules plus these."""
    monkeypatch.setattr(check, "load_rules", rules_with_tests)
    monkeypatch.setattr(cli, "load_rules", rules_with_tests)


THIS: ModuleType = sys.modules[__name__]
