"""Filler words, placeholders left in, descriptions that only repeat a name,
and notes to developers in the manual."""

from __future__ import annotations

import functools
import re
import textwrap
from collections.abc import Iterator

from qapilint.files import regexes
from qapilint.lint.rule import DocContext, Edit, Finding, Fix, rule
from qapilint.syntax.doclines import QEMU_LINE_LIMIT
from qapilint.syntax.model import ProseView, Span
from qapilint.syntax.prose import prose_of

from . import _wording as w

_SENTENCE_GAP = regexes.pattern(r"(?<=[.!?]) (?=[A-Z0-9(])")
_SINCE_TAG = regexes.pattern(r"\(\s*since:?\s+[\d.]+\s*\)|^\s*since:?\s+[\d.]+\s*$", re.IGNORECASE)


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
    search = w.phrase_search(ctx, "filler-word")
    table, near = search.table, search.near
    for section in w.screened_sections(ctx.doc, search.screen):
        view = prose_of(section)
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
    patterns, screen = _placeholder_search()
    for section in w.screened_sections(ctx.doc, screen):
        view = prose_of(section)
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
def _placeholder_search() -> tuple[list[tuple[str, re.Pattern[str]]], w.Screen]:
    """The markers' patterns, and the screen of them all (the markers are
    data: no option changes them)."""
    markers: dict[str, str] = w.table("placeholder")["markers"]
    return _marker_patterns(tuple(markers.items())), w.Screen.any_of(markers, ignore_case=False)


@functools.cache
def _marker_patterns(markers: tuple[tuple[str, str], ...]) -> list[tuple[str, re.Pattern[str]]]:
    """Per marker, its pattern: a whole word, or (``colon``) one before a colon."""
    patterns = []
    for marker, where in markers:
        after = r"(?=:)" if where == "colon" else r"(?![\w-])"
        patterns.append((marker, regexes.pattern(rf"(?<![\w-]){re.escape(marker)}{after}")))
    return patterns


def _words(text: str) -> list[str]:
    """The words of ``text``, lower case, split at blanks, "_" and "-"."""
    return text.lower().replace("_", " ").replace("-", " ").split()


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
        name = _words(section.name)
        text = section.text
        if text.isascii() and "since" not in text.lower():
            said = text.strip().rstrip(".")  # no since tag to take out
        else:
            said = _SINCE_TAG.sub(" ", text).strip().rstrip(".")
        words = [word for word in _words(said) if word not in empty]
        if not words or (words != name and words != [*name[:-1], name[-1] + "s"]):
            continue
        view = prose_of(section)
        yield w.finding(
            ctx,
            section,
            view,
            (len(view.text) - len(view.text.lstrip()), len(view.text.rstrip())),
            f"{w.where(ctx, section)} only repeats its name: say what it means "
            "(its purpose, unit or range)",
        )


@rule(
    "W043",
    "developer-note",
    context="doc",
    severity="warning",
    fix="suggestion",
    options=dict(w.PHRASE_OPTIONS),
)
def developer_note(ctx: DocContext) -> Iterator[Finding]:
    """Flags a note to developers in the rendered doc text ("Keep this type
    consistent with ...").

    Covered: a sentence that opens with "Keep this/these/the ... consistent
    with", "... in sync with", "Remember to", "Don't forget to", "Note to
    developers" and the like (the phrases are data in ``wording.toml``);
    the note runs to the end of its paragraph.

    Why: the doc comment is the QMP reference manual; a reminder to the
    people who edit the schema means nothing to its readers. QEMU keeps such
    notes in plain ``#`` comments, which the manual never shows (``error.json``:
    "Keep this in sync with ErrorClass in error.h", inside the enum). The
    suggestion moves the note into a plain comment: inside the definition
    after its first line when the definition spans several lines (as QEMU
    does), else above the doc block.

    Example::

        ##
        # @NbdServerOptions:
        #
        # Keep this type consistent with the `NbdServerOptionsLegacy`
        # type.
        #
        # @addr: Address on which to listen.
        ##
        { 'struct': 'NbdServerOptions',
          'data': { 'addr': 'SocketAddress' } }

    Use instead::

        ##
        # @NbdServerOptions:
        #
        # @addr: Address on which to listen.
        ##
        { 'struct': 'NbdServerOptions',
          # Keep this type consistent with the `NbdServerOptionsLegacy`
          # type.
          'data': { 'addr': 'SocketAddress' } }
    """
    search = w.phrase_search(ctx, "developer-note")
    table, near = search.table, search.near
    for section in w.screened_sections(ctx.doc, search.screen):
        view = prose_of(section)
        text = view.text
        for hit in w.find_phrases(text, table, near):
            start, _end = w.sentence_at(text, hit.start)
            if start != hit.start:
                continue  # not an imperative opening a sentence
            end = _paragraph_end(view.source, start)
            note = _SENTENCE_GAP.sub("  ", " ".join(view.source[start:end].split()))
            shown = textwrap.shorten(note, 60, placeholder=" ...")
            found = w.finding(
                ctx,
                section,
                view,
                (hit.start, hit.end),
                f'note to developers in {w.where(ctx, section)} ("{shown}"): the manual '
                "shows it to QMP users; keep it in a plain # comment",
            )
            edits = _move_to_comment(ctx, view, start, end, note)
            if edits is not None:
                found.fix = Fix.suggestion(edits, "move the note into a plain # comment")
            yield found
            break  # one note per section: the rest of the paragraph is in it


def _paragraph_end(source: str, start: int) -> int:
    """The end of the paragraph holding ``start`` (trailing space dropped)."""
    blank = source.find("\n\n", start)
    end = len(source) if blank < 0 else blank
    return len(source[:end].rstrip())


def _move_to_comment(
    ctx: DocContext, view: ProseView, start: int, end: int, note: str
) -> list[Edit] | None:
    """Edits deleting ``view.source[start:end]`` from the doc and writing
    ``note`` as a plain comment; None when the deletion cannot be made
    cleanly."""
    module_lines = ctx.module.lines
    first = view.span(start, start)
    last = view.span(end, end)
    line_start = module_lines[first.line - 1][: first.col - 1].strip() in ("#", "")
    paragraph_start = start == 0 or view.source[:start].endswith("\n\n")
    rest = view.source[end:]
    if line_start and paragraph_start and (not rest.strip() or rest.startswith("\n\n")):
        # the note is a whole paragraph of its own: delete its lines and
        # one blank line next to it
        low, high = first.line, last.line + 1
        if high <= len(module_lines) and module_lines[high - 1].strip() == "#":
            high += 1
        elif low > 1 and module_lines[low - 2].strip() == "#":
            low -= 1
        if ctx.doc.span.line >= low or high > ctx.doc.span.end_line:
            return None
        delete = Edit(Span(low, 1, high, 1), "")
    else:
        # the end of a paragraph: delete from the space before the note
        gap = len(view.source[:start]) - len(view.source[:start].rstrip(" "))
        if gap == 0 or "\n" in view.source[start - gap : start]:
            return None
        delete = Edit(view.span(start - gap, end), "")
    return [delete, _comment_edit(ctx, note)]


def _comment_edit(ctx: DocContext, note: str) -> Edit:
    """Insert ``note`` as plain comment lines: inside the definition after
    its first line when it spans several, else above the doc block."""
    definition = ctx.definition
    lines = ctx.module.lines
    if definition is not None and definition.span.end_line > definition.span.line:
        below = definition.span.line + 1
        following = lines[below - 1]
        indent = following[: len(following) - len(following.lstrip())] or "  "
        at = Span(below, 1, below, 1)
    else:
        indent = ""
        at = Span(ctx.doc.span.line, 1, ctx.doc.span.line, 1)
    width = max(40, DEVELOPER_NOTE_WIDTH - len(indent) - 2)
    wrapped = textwrap.wrap(note, width, break_long_words=False, break_on_hyphens=False)
    return Edit(at, "".join(f"{indent}# {line}\n" for line in wrapped))


DEVELOPER_NOTE_WIDTH = QEMU_LINE_LIMIT  # the comment's lines, as long as doc lines may be
