"""Vague words: "one" as an article, vague quantifiers, unstated conditions."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from qapilint.files import regexes
from qapilint.lint.rule import DocContext, Finding, rule
from qapilint.syntax.prose import prose_of

from . import _wording as w

_ONE = regexes.pattern(r"(?<![\w/-])one(?![\w/-])", re.IGNORECASE)
_ONE_SCREEN = w.Screen.any_of(["one"])


def _pronoun(text: str, start: int, end: int, noun: str, not_a_noun: set[str]) -> bool:
    """ "a fresh one", "the default one", "one created with ...": "one"
    stands for a noun named earlier."""
    if w.word_before(text, start, 2).split(" ")[0] in ("a", "an", "the"):
        return True
    if noun.endswith("ed"):
        following = w.word_after(text, text.index(noun, end) + len(noun))
        return following.lower() in not_a_noun
    return False


def _article(before: str, noun: str) -> str:
    if any(before.endswith(lead) for lead in w.table("vague-one")["indefinite-after"]):
        return "an" if noun[:1].lower() in "aeiou" else "a"
    return "the"


@rule(
    "W001",
    "vague-one",
    context="doc",
    severity="warning",
    status="preview",
    fix="suggestion",
    options={"quiet": []},
)
def vague_one(ctx: DocContext) -> Iterator[Finding]:
    """Flags "one" used as an article, as in "resume one paused migration".

    Why: "one" before a noun reads as a count, so the reader wonders how many
    there can be and which one is meant. Unless the number matters, "the"
    (or "a") says what the author meant. Counts ("at least one", "only one",
    "one of", "one 4 KiB page", "there is one dump running") and pronouns
    ("if it has one") are left alone. Preview: QEMU's schema has one or
    two such phrases, and where only one thing can exist the count is the
    point; whether "one" is a count needs a reader.

    Example::

        # @resume: resume one paused migration

    Use instead::

        # @resume: resume the paused migration
    """
    near = w.quiet(ctx, "vague-one")
    not_a_noun, counting = _vague_one_words()
    for section in w.screened_sections(ctx.doc, _ONE_SCREEN):
        view = prose_of(section)
        text = view.text
        matches = list(_ONE.finditer(text))
        ranges = w.quiet_ranges(text, near) if matches else []
        for match in matches:
            start, end = match.span()
            if match.group()[0] == "O" or w.covered(start, end, ranges):
                continue  # "One ..." opens a sentence as a pronoun or a count
            noun = w.word_after(text, end)
            if not noun[:1].isalpha() or noun.lower() in not_a_noun:
                continue
            if _pronoun(text, start, end, noun, not_a_noun):
                continue
            first, last = w.sentence_at(text, start)
            sentence = text[first:start] + " " + text[end:last]
            if counting is not None and counting.search(sentence):
                continue  # "one job ... ALL jobs": the count is the point
            article = _article(w.word_before(text, start, 3), noun)
            yield w.finding(
                ctx,
                section,
                view,
                (start, end),
                f'"one {noun}" in {w.where(ctx, section)} reads as a count: '
                f'write "{article} {noun}" unless more than one can exist',
                rewrite=article,
                fix_message=f'write "{article}" instead of "one"',
            )


@functools.cache
def _vague_one_words() -> tuple[set[str], re.Pattern[str] | None]:
    """The words after "one" that make it no article, and the pattern of
    the words that make it a count (data: no option changes them)."""
    data = w.table("vague-one")
    return set(data["not-a-noun"]), w.compile_phrases(tuple(data["counting"]))


def _phrase_findings(ctx: DocContext, name: str, what: str) -> Iterator[Finding]:
    advice = w.table(name)["advice"]
    search = w.phrase_search(ctx, name)
    table, near = search.table, search.near
    for section in w.screened_sections(ctx.doc, search.screen):
        view = prose_of(section)
        for hit in w.find_phrases(view.text, table, near):
            said = view.text[hit.start : hit.end]
            rewrite = table.get(hit.phrase) or None
            yield w.finding(
                ctx,
                section,
                view,
                (hit.start, hit.end),
                f"{w.quoted(said)} in {w.where(ctx, section)} is {what}: {advice}",
                rewrite=rewrite,
            )


@rule(
    "W002",
    "vague-quantifier",
    context="doc",
    severity="info",
    status="preview",
    options=dict(w.PHRASE_OPTIONS),
)
def vague_quantifier(ctx: DocContext) -> Iterator[Finding]:
    """Flags vague quantifiers and open-ended lists ("some", "various", "etc.").

    Covered: "some", "certain", "various", "etc.", "and so on", "and so
    forth", "and the like".

    Why: the reader cannot tell which things or how many are meant, nor
    where a list ends; a client needs the exact set to rely on it. Often the
    honest fix is to name them, or to say that the list is an example.

    Example::

        # @model: device model (e1000, rtl8139, etc.)

    Use instead::

        # @model: device model, for example e1000 or rtl8139
    """
    yield from _phrase_findings(ctx, "vague-quantifier", "vague")


@rule(
    "W003",
    "vague-condition",
    context="doc",
    severity="info",
    status="preview",
    options=dict(w.PHRASE_OPTIONS),
)
def vague_condition(ctx: DocContext) -> Iterator[Finding]:
    """Flags conditions left unstated ("as needed", "if necessary", "as appropriate").

    Covered: "as/if/when needed", "as/if/when/where necessary", "as/if/
    where/when appropriate", "appropriately", "as/if/where required".

    Why: the phrase hides exactly the condition a client has to know: when is
    it needed, and who decides? Say when, or who decides.

    Example::

        # @flush: flush the cache if necessary

    Use instead::

        # @flush: flush the cache before the device is detached
    """
    yield from _phrase_findings(ctx, "vague-condition", "a condition left unstated")
