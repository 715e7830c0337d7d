"""Ambiguous slashes and relative words (preview: off until measured)."""

from __future__ import annotations

import re
from collections.abc import Iterator

from qapilint.rule import DocContext, Finding, rule

from . import _wording as w

# a/b between two words; paths, URLs, units and numbers are not words
_SLASH = re.compile(r"(?<![\w/.:-])([A-Za-z][\w-]*)/([A-Za-z][\w-]*)(?![\w/.:-]|\.\w)")


@rule(
    "W050",
    "ambiguous-slash",
    context="doc",
    severity="info",
    status="preview",
    fix="suggestion",
    options={"fine": []},
)
def ambiguous_slash(ctx: DocContext) -> Iterator[Finding]:
    """Flags "a/b" where the slash could mean "and" or "or" ("URI/channels").

    Why: the reader has to guess whether both apply, either one, or whether
    the two words name the same thing. Settled pairs such as read/write, I/O
    and on/off are left alone (the list is data, and a project can extend
    it with the ``fine`` option).

    Example::

        # @resume: use the URI/channels specified

    Use instead::

        # @resume: use the URI or the channels specified
    """
    extra = w.options(ctx, "ambiguous-slash").get("fine", [])
    fine = {str(pair).lower() for pair in (*w.table("ambiguous-slash")["fine"], *extra)}
    for section in w.prose_sections(ctx.doc):
        view = section.prose
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
                rewrite=f"{left} or {right}",
            )


@rule(
    "W051",
    "relative-word",
    context="doc",
    severity="info",
    status="preview",
    options={"quiet": []},
)
def relative_word(ctx: DocContext) -> Iterator[Finding]:
    """Flags "the new ..." and "the old ...": new or old compared with what?

    Why: reference text outlives the patch that introduced it: "the new
    channels" was new to the author, not to the reader, who needs to know
    which channels: the ones passed with this command, or the ones in use
    before?

    Example::

        # @resume: use the new channels to replace the old ones

    Use instead::

        # @resume: use the channels given with this command in place of
        #     the broken ones
    """
    words = w.table("relative-word")["words"]
    phrases = [f"the {word} *" for word in words]
    for section in w.prose_sections(ctx.doc):
        view = section.prose
        for hit in w.find_phrases(view.text, phrases, w.quiet(ctx, "relative-word")):
            said = view.text[hit.start : hit.end]
            yield w.finding(
                ctx,
                section,
                view,
                (hit.start, hit.end),
                f"{w.quoted(said)} in {w.where(ctx, section)}: new or old "
                "compared with what? name the thing instead",
            )
