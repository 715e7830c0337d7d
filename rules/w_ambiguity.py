"""Ambiguous slashes and relative words (preview: off until measured)."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from qapilint.files import regexes
from qapilint.lint.rule import DocContext, Finding, rule
from qapilint.syntax.prose import prose_of

from . import _wording as w

# a/b between two words; paths, URLs, units and numbers are not words
_SLASH = regexes.pattern(r"(?<![\w/.:-])([A-Za-z][\w-]*)/([A-Za-z][\w-]*)(?![\w/.:-]|\.\w)")
_SLASH_SCREEN = w.Screen.any_of(["/"], ignore_case=False)


@rule(
    "W050",
    "ambiguous-slash",
    context="doc",
    severity="info",
    status="preview",
    options={"fine": []},
)
def ambiguous_slash(ctx: DocContext) -> Iterator[Finding]:
    """Flags "a/b" where the slash could mean "and" or "or" ("URI/channels").

    Why: the reader has to guess whether both apply, either one, or whether
    the two words name the same thing. Settled pairs such as read/write, I/O
    and on/off are left alone (the list is data, and a project can extend
    it with the ``fine`` option). No rewrite is suggested: only the author
    knows which was meant, and "cylinders/head" (a ratio) or
    "offset/length" (both) mean neither "and" nor "or".

    Example::

        # @resume: use the URI/channels specified

    Use instead::

        # @resume: use the URI or the channels specified
    """
    fine = _fine_pairs(ctx)
    for section in w.screened_sections(ctx.doc, _SLASH_SCREEN):
        view = prose_of(section)
        for match in _SLASH.finditer(view.text):
            pair = match.group().lower()
            if pair in fine or (match.group(1).isupper() and match.group(2).isupper()):
                continue  # SEV/SEV-ES, TCP/IP: names of things
            left, right = match.group(1), match.group(2)
            yield w.finding(
                ctx,
                section,
                view,
                (match.start(), match.end()),
                f"{w.quoted(match.group())} in {w.where(ctx, section)}: "
                f'"{left} and {right}", or "{left} or {right}"?',
            )


def _fine_pairs(ctx: DocContext) -> frozenset[str]:
    """The settled pairs, built in and the project's ``fine`` (lower case)."""
    extra = ctx.option("fine")
    return w.made_from(
        ("ambiguous-slash", "fine"),
        (extra,),
        lambda: frozenset(
            str(pair).lower() for pair in (*w.table("ambiguous-slash")["fine"], *extra)
        ),
    )


@functools.cache
def _relative(words: tuple[str, ...]) -> re.Pattern[str]:
    """ "the new X" (the word and the one after; "the old/broken" too)."""
    alternatives = "|".join(re.escape(word) for word in words)
    return regexes.pattern(rf"\bthe\s+(?:{alternatives})\b(?:[\s/]+[\w-]+)?", re.IGNORECASE)


@rule(
    "W051",
    "relative-word",
    context="doc",
    severity="info",
    status="preview",
    options={"quiet": []},
)
def relative_word(ctx: DocContext) -> Iterator[Finding]:
    """Flags a sentence that sets "the new ..." against "the old ..." (or "previous").

    Why: reference text outlives the patch that introduced it: "the new
    channels ... the old channels" was a contrast in the author's head, not
    in the reader's, who needs to know which channels: the ones passed with
    this command, or the ones in use before? One relative word on its own
    ("the new image" of a create command) is usually settled by the
    command, so only a contrast within one sentence is flagged.

    Example::

        # @resume: use the new channels to replace the old ones

    Use instead::

        # @resume: use the channels given with this command in place of
        #     the broken ones
    """
    data = w.table("relative-word")
    near = w.quiet(ctx, "relative-word")
    newer = _relative(tuple(data["newer"]))
    older = _relative(tuple(data["older"]))
    # a contrast needs a word of each list ("the" is in nearly every text)
    screens = w.Screen.any_of(data["newer"]), w.Screen.any_of(data["older"])
    for section in w.screened_sections(ctx.doc, *screens):
        view = prose_of(section)
        newer_hits = list(newer.finditer(view.text))
        older_hits = list(older.finditer(view.text))
        if not newer_hits or not older_hits:
            continue  # no contrast: the near misses need not be looked for
        ranges = w.quiet_ranges(view.text, near)
        old_hits = [hit for hit in older_hits if not w.covered(*hit.span(), ranges)]
        for hit in newer_hits:
            if w.covered(*hit.span(), ranges):
                continue
            sentence = w.sentence_at(view.text, hit.start())
            against = [other for other in old_hits if sentence[0] <= other.start() < sentence[1]]
            if not against:
                continue
            said, other = hit.group(), against[0].group()
            yield w.finding(
                ctx,
                section,
                view,
                hit.span(),
                f"{w.quoted(said)} against {w.quoted(other)} in {w.where(ctx, section)}: "
                "new and old compared with what? name the things instead",
            )
