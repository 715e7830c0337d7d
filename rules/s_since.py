"""Since tags (S): the version a definition or member first appeared in.

QEMU's parser accepts any text in a ``Since:`` section and any since tag in
a description; reviewers do not. These rules check that every definition
has a ``Since:`` section, that member tags use the house forms, and that the
versions named are QEMU feature releases no later than the one the tree
works towards (``VERSION``, or ``next-version`` in configuration).

House forms, never flagged: a ``Since: X.Y`` section; ``(since X.Y)`` and
``(Since X.Y)``; a description that is only ``since X.Y``; combined forms
such as ``(default: false, since 3.0)``. Member tags older than their
definition's ``Since:`` are legitimate history and are not checked.
"""

from __future__ import annotations

import functools
import re
from bisect import bisect_left
from collections.abc import Iterator

from qapilint.files import regexes
from qapilint.files.records import TupleRecord
from qapilint.lint.rule import DocContext, Edit, Finding, Fix, rule
from qapilint.schema.releases import first_release_after, is_release, parse_version
from qapilint.syntax.doclines import line_facts, section_tag
from qapilint.syntax.model import Doc, Section, Span

from ._doctext import (
    SectionText,
    doc_line,
    fix_keeping_lines_short,
    is_blank,
    release_text,
    section_texts,
    tree_target,
)

VERSION = r"\d+\.\d+(?:\.\d+)?(?![.\d]*\d)"

# "since 2.9", "Since: 10.1", "since QEMU 2.7": a version a tag names.
TAG_VERSION_RE = regexes.pattern(
    rf"\bsince[ \t]*:?\s+(?:QEMU\s+)?(?P<ver>{VERSION})", re.IGNORECASE
)
# The version that opens a Since: section.
SECTION_VERSION_RE = regexes.pattern(rf"^\s*(?P<ver>{VERSION})")

# "(since: 2.12" or ", since: 4.0" / "; since: 4.1" inside parentheses.
COLON_TAG_RE = regexes.pattern(
    rf"(?P<lead>\(|[,;][ \t\n]*)(?P<word>since)[ \t]*:[ \t\n]*(?P<ver>{VERSION})",
    re.IGNORECASE,
)
# "(since 2.12)" / "(Since 2.12)": accepted; since-style may pick one case.
PAREN_TAG_RE = regexes.pattern(rf"\((?P<word>since) (?P<ver>{VERSION})\)", re.IGNORECASE)
# A sentence of its own ending a description: "...space.  Since: 10.1".
BARE_TAG_RE = regexes.pattern(
    rf"(?:(?<=[.!?])[ \t]+|\n[ \t]*)"
    rf"(?P<tag>(?P<word>since)[ \t]*:?[ \t]+(?P<ver>{VERSION})\.?)\s*\Z",
    re.IGNORECASE,
)
# A paragraph that looks like a Since: tag but is not one to QEMU.
SINCE_LIKE_RE = regexes.pattern(rf"^since[ \t]*:?[ \t]*(?P<ver>{VERSION})\.?$", re.IGNORECASE)

DEVELOPMENT_MICRO = 50  # VERSION X.Y.Z with Z >= 50: a tree working towards the next release

SINCE_STYLES = {"any": None, "lower": "since", "upper": "Since"}
STYLE_OPTION = "since-style"


# --------------------------------------------------------------------------
# Shared analysis


class SinceLike(TupleRecord):
    """A line in a plain section that was meant as a ``Since:`` tag."""

    __slots__ = ()

    span: Span  # the text of the line
    version: str
    starts_paragraph: bool  # False: last line of a paragraph

    def __new__(cls, span: Span, version: str, starts_paragraph: bool) -> SinceLike:
        return tuple.__new__(cls, (span, version, starts_paragraph))


def _is_since_tag(text: str) -> bool:
    """A since-like line that is a well-formed ``Since:`` tag (QEMU reads it
    as one where a section may start)."""
    tag = section_tag(text)
    return tag is not None and tag[0] == "Since" and not text.endswith(".")


def since_like_lines(doc: Doc) -> list[SinceLike]:
    """Lines of ``doc``'s plain sections that read like a since tag QEMU
    does not recognise (``Since 10.1``, ``since: 7.1``, ``Since : 7.1``),
    when the block has no ``Since:`` section."""
    if doc.free_form or doc.of_kind("since"):
        return []
    found: list[SinceLike] = []
    for text in section_texts(doc):
        if text.section.kind != "plain":
            continue
        offset = 0
        for text_line in text.section.lines:
            start, offset = offset, offset + len(text_line.text) + 1
            stripped = text_line.text.strip()
            match = SINCE_LIKE_RE.match(stripped)
            if not match or not text.is_text(start, start + len(text_line.text)):
                continue
            before = doc_line(doc, text_line.line - 1)
            after = doc_line(doc, text_line.line + 1)
            opens = is_blank(before) or (before is not None and before.text.startswith("@"))
            closes = is_blank(after) and before is not None
            if not opens:
                # Only a line that ends a sentence-closed paragraph counts:
                # "...was deprecated\nsince 2.0" is wrapped prose.
                previous = before.text.rstrip() if before is not None else ""
                if not (closes and stripped[0] == "S" and previous.endswith((".", "!", "?"))):
                    continue
            elif _is_since_tag(stripped):
                continue
            col = text_line.col + text_line.text.index(stripped)
            found.append(
                SinceLike(Span.at(text_line.line, col, len(stripped)), match["ver"], opens)
            )
    return found


class Tag(TupleRecord):
    """A version named by a since tag, and where."""

    __slots__ = ()

    version: str
    span: Span
    section: Section

    def __new__(cls, version: str, span: Span, section: Section) -> Tag:
        return tuple.__new__(cls, (version, span, section))


_last_tags: list[tuple[Doc, list[Tag]]] = []  # one entry: the engine runs a doc's rules in a row


def version_tags(doc: Doc) -> list[Tag]:
    """Every version a since tag of ``doc`` names, in any section."""
    if _last_tags and _last_tags[0][0] is doc:
        return _last_tags[0][1]
    tags: list[Tag] = []
    elsewhere = _lines_naming_since(doc)
    for section in doc.sections:
        if not section.lines:
            continue
        in_since = section.kind == "since"
        if not in_since and not (elsewhere and _holds_any(section, elsewhere)):
            continue  # no since tag in it: spare it the joining and the search
        text = SectionText.of(section)
        matches = _tag_versions(text.source)
        if in_since:
            first = SECTION_VERSION_RE.match(text.source)
            if first:
                matches.insert(0, first)
        for match in matches:
            start, end = match.span("ver")
            if in_since or _version_is_text(text, start, end):
                tags.append(Tag(match["ver"], text.span(start, end), text.section))
    _last_tags[:] = [(doc, tags)]
    return tags


def _lines_naming_since(doc: Doc) -> list[int]:
    """The file lines of ``doc`` outside the tag lines of its ``Since:``
    sections where a since tag may start, found in one look at the whole
    block. A section's text is the block's lines with the tag and the
    indentation (whitespace) cut off, so every match of ``TAG_VERSION_RE``
    in it starts with "since" (in any case) on one of them, and matches the
    block's lines joined there too (before "since" stands the same
    character, or whitespace, or the tag's colon, where the section's text
    has a line start)."""
    joined = line_facts(doc).text
    tag_lines = {
        section.tag_span.line
        for section in doc.sections
        if section.kind == "since" and section.tag_span is not None
    }
    if joined.isascii() and joined.lower().count("since") == len(tag_lines):
        return []  # most blocks: "since" only in the tag of each Since: section
    lines: list[int] = []
    index = 0
    scanned = 0
    for start in _since_starts(joined):
        index += joined.count("\n", scanned, start)
        scanned = start
        line = doc.lines[index].line
        if line not in tag_lines:
            lines.append(line)
    return lines


def _since_starts(text: str) -> list[int]:
    """Where a match of ``TAG_VERSION_RE`` may start in ``text``: where
    "since" stands, in any case. For ASCII text (nearly all), a plain
    search of the text in lower case (as long as the text) is much cheaper
    than the pattern's; in other text, "since" in any case may take other
    forms, and the pattern tells."""
    if not text.isascii():
        return [found.start() for found in TAG_VERSION_RE.finditer(text)]
    lowered = text.lower()
    starts = []
    found = lowered.find("since")
    while found >= 0:
        starts.append(found)
        found = lowered.find("since", found + 1)
    return starts


def _tag_versions(source: str) -> list[re.Match[str]]:
    """``list(TAG_VERSION_RE.finditer(source))``, the pattern tried only
    where it may match (a match holds no "since" but at its start)."""
    matches = []
    resume = 0
    for start in _since_starts(source):
        if start < resume:
            continue
        match = TAG_VERSION_RE.match(source, start)
        if match is not None:
            matches.append(match)
            resume = match.end()
    return matches


# What can mask a version in a section's prose view (qapilint.syntax.prose):
# literal blocks after "::", directives and comments (".."), QMP transcripts
# ("->", "<-", '{ "'), field markers (a line that starts with ":"), inline
# literals and references (between backquotes, so with one before and one
# after the version). Nothing else a view masks can cover a version: "@name"
# references, URLs, roles' names, list bullets, emphasis stars, adornment and
# table border lines (a version is digits and dots after whitespace, a
# digit right after its first dot).
_FIELD_MARKER_LINE = regexes.pattern(r"\n[ \t]*:")  # searched after a "\n" put first


def _version_is_text(text: SectionText, start: int, end: int) -> bool:
    """``text.is_text(start, end)`` for the version of a since tag, without
    the section's prose view where nothing in the section could mask it."""
    source = text.source
    if (
        "::" in source
        or ".." in source
        or "->" in source
        or "<-" in source
        or "{" in source
        or ("`" in source[:start] and "`" in source[end:])
        or (":" in source and _FIELD_MARKER_LINE.search("\n" + source) is not None)
    ):
        return text.is_text(start, end)
    return True


def _holds_any(section: Section, lines: list[int]) -> bool:
    """Whether one of the file ``lines`` (ascending) lies within
    ``section``'s lines."""
    at = bisect_left(lines, section.lines[0].line)
    return at < len(lines) and lines[at] <= section.lines[-1].line


def member_of(section: Section) -> str | None:
    return section.name if section.kind in ("member", "feature") else None


def _version_finding(ctx: DocContext, tag: Tag, message: str, replacement: str) -> Finding:
    """A finding on a tag's version, suggesting ``replacement``."""
    return Finding(
        tag.span,
        message,
        fix=Fix.suggestion([Edit(tag.span, replacement)], f"write '{replacement}'"),
        symbol=ctx.doc.symbol,
        member=member_of(tag.section),
    )


# --------------------------------------------------------------------------
# Rules


@rule("S001", "missing-since", context="doc", severity="warning", status="preview")
def missing_since(ctx: DocContext) -> Iterator[Finding]:
    """Flags a definition's doc block that has no ``Since:`` section.

    Why: the ``Since:`` tag is how users of QMP learn which QEMU release
    first offers a command, event or type; QEMU's parser does not require
    it, so it is easy to forget and reviewers have to ask for it. Free-form
    doc blocks are not checked, and a block with a since-like paragraph
    (``Since 10.1``) gets the ``since-like-paragraph`` finding instead.
    The message names no release: from one tree alone there is no telling
    whether the definition is new or decades old (most definitions without
    a tag in QEMU 10.2 are old), and a wrong release misdates it. With a
    base (``check --diff-base``, ``--staged``), a definition the base does
    not have is new, and the message names the release being developed.

    Example::

        ##
        # @query-widgets:
        #
        # Return the list of widgets.
        ##

    Use instead::

        ##
        # @query-widgets:
        #
        # Return the list of widgets.
        #
        # Since: 11.0
        ##
    """
    doc = ctx.doc
    if doc.free_form or doc.of_kind("since") or since_like_lines(doc):
        return
    span = doc.symbol_span or Span.at(doc.span.line, doc.span.col, 2)
    target = tree_target(ctx.tree)
    if ctx.base_names is not None and doc.symbol not in ctx.base_names and target is not None:
        # with a base, a definition absent from it is new in this change
        release = release_text(target)
        message = (
            f"documentation of '{doc.symbol}' has no 'Since:' section: '{doc.symbol}' is "
            f"new in this change, so add 'Since: {release}'"
        )
    else:
        message = (
            f"documentation of '{doc.symbol}' has no 'Since:' section: add one naming "
            "the release that introduced it"
        )
    yield Finding(span, message, symbol=doc.symbol)


@rule(
    "S002",
    "since-tag-form",
    context="doc",
    severity="info",
    status="preview",
    fix="safe",
    options={STYLE_OPTION: "any"},
)
def since_tag_form(ctx: DocContext) -> Iterator[Finding]:
    """Flags a member's since tag written in a form QEMU's docs do not use.

    Why: the house forms are ``(since X.Y)`` and ``(Since X.Y)``, a
    description that is only ``since X.Y``, or a tag combined with a default
    as in ``(default: false, since 3.0)``. A colon after "since", or a bare
    ``Since: X.Y`` sentence ending a description, reads like a stray
    ``Since:`` section and makes tags harder to find. The fix writes the
    house form and never changes the version. The option ``since-style``
    (``any``, ``lower`` or ``upper``) can require one case of
    ``(since X.Y)``.

    Severity ``info``: cosmetic, and QEMU's maintainers merge these forms
    (67 in QEMU 7.2.0, 69 in 10.2.2; 56 survived the 8.1 conversion of
    every doc comment, and 13 new ones arrived in reviewed patches), so a
    finding should not fail a run; ``--fix`` writes the house form.

    Example::

        # @hostname: the TLS host name (since: 2.7)
        #
        # @dir: the directory to use.  Since: 10.1

    Use instead::

        # @hostname: the TLS host name (since 2.7)
        #
        # @dir: the directory to use.  (Since 10.1)
    """
    style = ctx.option(STYLE_OPTION)
    wanted = SINCE_STYLES.get(str(style))
    for text in section_texts(ctx.doc, "since"):
        yield from _form_findings(ctx, text, wanted)


def _form_findings(ctx: DocContext, text: SectionText, wanted: str | None) -> Iterator[Finding]:
    doc, module, tree = ctx.doc, ctx.module, ctx.tree
    source = text.source
    member = member_of(text.section)
    for match in COLON_TAG_RE.finditer(source):
        if match["lead"] != "(" and not _inside_parentheses(source, match.start()):
            continue
        start, end = match.start("word"), match.start("ver")
        if not text.is_text(start, end):
            continue
        word = wanted if wanted and match["lead"] == "(" else match["word"]
        written = source[match.start("word") : match.end("ver")]
        house = f"{word} {match['ver']}"
        yield Finding(
            text.span(start, match.end("ver")),
            f"since tag '{_one_line(written)}' has a colon; write '{house}'",
            fix=Fix.safe([_drop_colon(text, match, word)], f"write '{house}'"),
            symbol=doc.symbol,
            member=member,
        )
    if wanted:
        for match in PAREN_TAG_RE.finditer(source):
            if match["word"] == wanted or not text.is_text(*match.span()):
                continue
            start, end = match.span("word")
            yield Finding(
                text.span(*match.span()),
                f"since tag '{match[0]}' does not follow since-style; "
                f"write '({wanted} {match['ver']})'",
                fix=Fix.safe([Edit(text.span(start, end), wanted)], f"write '{wanted}'"),
                symbol=doc.symbol,
                member=member,
            )
    if member is None:
        return
    bare = BARE_TAG_RE.search(source)
    if bare and source[: bare.start()].strip() and text.is_text(*bare.span("tag")):
        word = wanted or bare["word"]
        house = f"({word} {bare['ver']})"
        span = text.span(*bare.span("tag"))
        yield Finding(
            span,
            f"since tag '{bare['tag']}' is not in parentheses; write '{house}'",
            fix=fix_keeping_lines_short(module, tree, [Edit(span, house)], f"write '{house}'"),
            symbol=doc.symbol,
            member=member,
        )


def _drop_colon(text: SectionText, match: re.Match[str], word: str) -> Edit:
    """Rewrite "since: " as "since "; a line break after the colon stays."""
    start, end = match.start("word"), match.start("ver")
    between = text.source[match.end("word") : end]
    if "\n" in between:
        end = match.end("word") + between.index(":") + 1
        return Edit(text.span(start, end), word)
    return Edit(text.span(start, end), f"{word} ")


def _inside_parentheses(source: str, offset: int) -> bool:
    depth = 0
    for char in source[:offset]:
        if char == "(":
            depth += 1
        elif char == ")":
            depth = max(0, depth - 1)
    return depth > 0


def _one_line(text: str) -> str:
    return " ".join(text.split())


@rule("S003", "since-like-paragraph", context="doc", severity="warning", fix="safe")
def since_like_paragraph(ctx: DocContext) -> Iterator[Finding]:
    """Flags a paragraph that reads like a since tag but is not one to QEMU.

    Why: QEMU recognises ``Since:`` only with the colon right after the
    word, at the start of a paragraph. ``Since 10.1``, ``since: 7.1`` or
    ``Since : 7.1`` silently render as an ordinary paragraph, so the
    definition ends up with no since information in the generated manual.
    The fix writes ``Since: X.Y`` (and starts a new paragraph when the line
    ended the one before).

    Example::

        # @properties: a list of properties.
        #
        # Since 10.1
        ##

    Use instead::

        # @properties: a list of properties.
        #
        # Since: 10.1
        ##
    """
    for found in since_like_lines(ctx.doc):
        tag = f"Since: {found.version}"
        edit = Edit(found.span, tag)
        if not found.starts_paragraph:
            whole_line = Span(found.span.line, 1, found.span.end_line, found.span.end_col)
            edit = Edit(whole_line, f"#\n# {tag}")
        yield Finding(
            found.span,
            f"this paragraph renders as text, not as a since tag; write '{tag}'",
            fix=Fix.safe([edit], f"write '{tag}'"),
            symbol=ctx.doc.symbol,
        )


# Where a since tag's version may stand in a block's text: after "since",
# blanks, an optional colon and whitespace (a section's text is its lines
# with tag and indentation cut off, so the block's text holds the same
# characters around the version, or more whitespace); "Since:" may be
# followed by the version with no blank between. Searched in the text
# lowered, where "since" and "QEMU" in any case have one form, and a pattern
# that opens with plain text is looked for only where that text stands.
_VERSION_AFTER_SINCE_RE = regexes.pattern(r"since[ \t]*:?\s*(?:qemu\s+)?(\d+\.\d+)")


def _versions_after_since(text: str) -> set[str] | None:
    """Each "X.Y" right after a "since" (in any case) in ``text``: the major
    and minor of every since tag the text holds. None for text that is
    not ASCII, where "since" in any case may take other forms."""
    if not text.isascii():
        return None
    return set(_VERSION_AFTER_SINCE_RE.findall(text.lower()))


@functools.lru_cache(maxsize=256)  # the few versions a tree names, met again and again
def _unreleased(version: str, target: tuple[int, int] | None) -> tuple[int, int] | None:
    """The release ``version`` names when QEMU never released it and it is
    not later than ``target`` (``future-version``'s case); else None."""
    parsed = parse_version(version)
    if parsed is None:
        return None
    release = parsed[:2]
    if is_release(release) or (target is not None and release > target):
        return None
    return release


def _may_name_unreleased(text: str, target: tuple[int, int] | None) -> bool:
    """Whether a since tag in a block of ``text`` may name a version
    :func:`_unreleased` returns: False when no "X.Y" right after a "since"
    in the text is one (most blocks name only releases). Every tag's major
    and minor stand so, as whole digit runs."""
    versions = _versions_after_since(text)
    if versions is None:
        return True  # ask the tags
    return any(_unreleased(version, target) is not None for version in versions)


@rule("S004", "unreleased-version", context="doc", severity="warning", fix="suggestion")
def unreleased_version(ctx: DocContext) -> Iterator[Finding]:
    """Flags a since tag naming a version QEMU never released.

    Why: after 2.12 came 3.0, after 3.1 came 4.0, and from 4.0 on each
    major has only X.0, X.1 and X.2; a tag such as ``(since 2.13)`` tells
    users to look for a release that does not exist. The suggestion names
    the first release after the tag, which is usually what was meant. A
    version later than the release the tree works towards is
    ``future-version``'s finding instead.

    Example::

        # @win-dmp: Windows full crashdump format (since 2.13)

    Use instead::

        # @win-dmp: Windows full crashdump format (since 3.0)
    """
    target = tree_target(ctx.tree)
    if not _may_name_unreleased(line_facts(ctx.doc).text, target):
        return  # nearly every block: spare it finding its tags
    for tag in version_tags(ctx.doc):
        release = _unreleased(tag.version, target)
        if release is None:
            continue
        meant = release_text(first_release_after(release))
        message = f"QEMU never released {release_text(release)}; the next release after it was"
        yield _version_finding(ctx, tag, f"{message} {meant}", meant)


@rule("S005", "stable-release-version", context="doc", severity="info", status="preview")
def stable_release_version(ctx: DocContext) -> Iterator[Finding]:
    """Flags a since tag naming a stable (bug-fix) release such as 2.12.1.

    Why: new interfaces usually appear in feature releases (X.Y), and users
    compare since tags against them; a tag naming a stable release X.Y.Z is
    right only for an interface that was backported to it (QEMU 10.2's
    ``(since 2.12.1)`` on ``BlockJobInfo.error`` is such a backport). The
    finding asks to make sure; it never suggests another version, which
    would misdate a real backport. ``X.Y.0`` means X.Y and is not flagged.
    Preview: for projects that never backport interfaces. The example is a
    member that first appeared in 2.12 itself.

    Example::

        # @status: current job status (since 2.12.1)

    Use instead::

        # @status: current job status (since 2.12)
    """
    for tag in version_tags(ctx.doc):
        parsed = parse_version(tag.version)
        if parsed is None or tag.version.count(".") < 2 or parsed[2] == 0:
            continue
        yield Finding(
            tag.span,
            f"since tag names {tag.version}, a stable (bug-fix) release: right only if "
            "the interface was backported to it",
            symbol=ctx.doc.symbol,
            member=member_of(tag.section),
        )


@rule("S006", "future-version", context="doc", severity="warning", fix="suggestion")
def future_version(ctx: DocContext) -> Iterator[Finding]:
    """Flags a since tag later than the release the tree works towards.

    Why: a development tree's ``VERSION`` (X.Y.Z with Z >= 50: the next
    feature release), or ``next-version`` in configuration for a tree
    without ``VERSION``, says which release this code will ship in; a
    later tag is a typo or a copy from another branch. Release and stable
    trees (Z < 50) are not checked: new code is not written there, and a
    backport rightly keeps the since tag of the upstream release it came
    from. Trees whose release is unknown are not checked either.

    Example::

        # VERSION is 10.2.50, so new code ships in 11.0
        # Since: 11.1

    Use instead::

        # Since: 11.0
    """
    version = ctx.tree.version
    if version is not None and version[2] < DEVELOPMENT_MICRO:
        return  # a release or stable tree: backports keep upstream's tags
    target = tree_target(ctx.tree)
    if target is None:
        return
    wanted = release_text(target)
    for tag in version_tags(ctx.doc):
        parsed = parse_version(tag.version)
        if parsed is None or parsed[:2] <= target:
            continue
        message = f"{tag.version} is later than {wanted}, the release this tree works towards"
        yield _version_finding(ctx, tag, message, wanted)
