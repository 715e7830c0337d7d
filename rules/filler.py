"""Filler words, placeholders left in, and descriptions that only repeat a name."""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator

from qapilint.rule import DocContext, Finding, rule

from . import _wording as w

_SINCE_TAG = re.compile(r"\(\s*since:?\s+[\d.]+\s*\)|^\s*since:?\s+[\d.]+\s*$", re.IGNORECASE)


@rule(
    "W040",
    "filler-word",
    context="doc",
    severity="info",
    status="preview",
    fix="suggestion",
    options=dict(w.PHRASE_OPTIONS),
)
def filler_word(ctx: DocContext) -> Iterator[Finding]:
    """Flags filler: "simply", "obviously", "needless to say", "please note", "in order to".

    Why: reference text is read, not listened to; every word the reader has
    to skip slows them down, and "simply" or "obviously" tell a puzzled
    reader that the fault is theirs. "just" is not on the list: in QEMU's
    docs it nearly always means "only" ("copying just allocated contents"),
    and dropping it changes the meaning. Preview: a blind read of QEMU
    10.2 found its findings cosmetic at best; useful on new text when
    asked for. Deleting a phrase takes its comma along ("; needless to
    say, such" becomes "; such").

    Example::

        # Simply call the command in order to reset the device.

    Use instead::

        # Call the command to reset the device.
    """
    table = w.phrases(ctx, "filler-word")
    near = w.quiet(ctx, "filler-word")
    for section in w.prose_sections(ctx.doc):
        view = section.prose
        text = view.text
        for hit in w.find_phrases(text, table, near):
            said = text[hit.start : hit.end]
            rewrite = table.get(hit.phrase, "")
            if rewrite:
                yield w.finding(
                    ctx,
                    section,
                    view,
                    (hit.start, hit.end),
                    f'{w.quoted(said)} in {w.where(ctx, section)} is wordy: write "{rewrite}"',
                    rewrite=_same_case(said, rewrite),
                )
                continue
            start, end, rest = _drop(text, hit.start, hit.end, said[:1].isupper())
            found = w.finding(
                ctx,
                section,
                view,
                (start, end),
                f"{w.quoted(said)} in {w.where(ctx, section)} adds nothing: drop it",
                rewrite=rest,
                fix_message=f"drop {w.quoted(said)}",
            )
            found.span = view.span(hit.start, hit.end)
            yield found


def _drop(text: str, start: int, end: int, capital: bool) -> tuple[int, int, str]:
    """The edit dropping ``text[start:end]``: (start, end, replacement). The
    space after it goes too (before it at a sentence end), and the commas
    that set it off ("X is, of course, Y" -> "X is Y"; "; needless to
    say, such" -> "; such"); a capital moves on to the next word ("Simply
    call" -> "Call")."""
    if end < len(text) and text[end] == ",":
        if text[max(0, start - 2) : start] == ", ":
            return start - 2, end + 1, ""
        end += 1
        while end < len(text) and text[end] in " \n":
            end += 1
        if capital and end < len(text) and text[end].isalpha():
            return start, end + 1, text[end].upper()
        return start, end, ""
    if end < len(text) and text[end] == " ":
        end += 1
        if capital and end < len(text) and text[end].isalpha():
            return start, end + 1, text[end].upper()
    elif start > 0 and text[start - 1] == " ":
        start -= 1
    return start, end, ""


def _same_case(said: str, rewrite: str) -> str:
    return rewrite[:1].upper() + rewrite[1:] if said[:1].isupper() else rewrite


@rule("W041", "placeholder", context="doc", severity="warning")
def placeholder(ctx: DocContext) -> Iterator[Finding]:
    """Flags TODO, FIXME and XXX markers outside a ``TODO:`` section.

    Why: doc text is published as the QMP reference; a marker in the middle
    of it reaches users. Notes to developers belong in the ``TODO:`` section,
    which QEMU keeps out of the manual, or in a plain comment.

    Example::

        # @size: image size in bytes (FIXME: rounding?)

    Use instead::

        # @size: image size in bytes, rounded up to a whole sector
        #
        # TODO: say how the size is rounded
    """
    markers: dict[str, str] = w.table("placeholder")["markers"]
    patterns = _marker_patterns(tuple(markers.items()))
    for section in w.prose_sections(ctx.doc):
        view = section.prose
        for marker, pattern in patterns:
            if marker not in view.text:  # the usual case, found without a regex
                continue
            for match in pattern.finditer(view.text):
                yield w.finding(
                    ctx,
                    section,
                    view,
                    (match.start(), match.end()),
                    f"{marker} marker in {w.where(ctx, section)}: the text is published; "
                    "move the note to a TODO: section or finish the text",
                )


@functools.cache
def _marker_patterns(markers: tuple[tuple[str, str], ...]) -> list[tuple[str, re.Pattern[str]]]:
    """Per marker, its pattern: a whole word, or (``colon``) one before a colon."""
    patterns = []
    for marker, where in markers:
        after = r"(?=:)" if where == "colon" else r"(?![\w-])"
        patterns.append((marker, re.compile(rf"(?<![\w-]){re.escape(marker)}{after}")))
    return patterns


def _words(text: str) -> list[str]:
    return [word for word in re.split(r"[\s_-]+", text.lower()) if word]


@rule("W042", "repeated-name", context="doc", severity="info", status="preview")
def repeated_name(ctx: DocContext) -> Iterator[Finding]:
    """Flags a member description that only repeats its name (``@id: id``).

    ``@vlan-id: VLAN ID`` and ``@node-name: node name (since 2.4)`` count.

    Why: the reader already has the name; the description is where they learn
    what the value means, its unit, its range, or what it refers to. (Enum
    values are exempt: "@kvm: KVM" names a thing and is enough.) Preview:
    in QEMU's schema most such descriptions are terms of art whose meaning
    the member's type pins down ("tunnel ID", "IP address", "@port:
    port"), and a blind read judged nearly all of them fine; useful on new
    text when asked for.

    Example::

        # @port: port

    Use instead::

        # @port: port number on the host the socket listens on
    """
    if ctx.definition is not None and ctx.definition.kind == "enum":
        return
    empty = set(w.table("repeated-name")["empty-words"])
    for section in w.prose_sections(ctx.doc, ("member", "feature")):
        if section.name is None:
            continue
        said = _SINCE_TAG.sub(" ", section.text).strip().rstrip(".")
        words = [word for word in _words(said) if word not in empty]
        name = _words(section.name)
        if not words or (words != name and words != [*name[:-1], name[-1] + "s"]):
            continue
        view = section.prose
        yield w.finding(
            ctx,
            section,
            view,
            (len(view.text) - len(view.text.lstrip()), len(view.text.rstrip())),
            f"{w.where(ctx, section)} only repeats its name: say what it means "
            "(its purpose, unit or range)",
        )
