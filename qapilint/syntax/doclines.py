"""The vocabulary of QAPI doc comments, line by line: the one place that
knows what a doc line means.

Section tags, ``@name:`` descriptions, ``Features:``, the ``##``
delimiters, QEMU 10.2's literal mode and line measures, and the rST
structure that a reflow must not break (list items, admonitions, QMP
transcripts, tables, headings). The doc block reader
(:mod:`qapilint.syntax.docparse`) classifies every line with it; reflow,
the fixer and the rules ask it instead of matching doc syntax themselves.
"""

from __future__ import annotations

import functools
import operator
import re
import weakref
from collections.abc import Iterable, Iterator

from qapilint.files import regexes
from qapilint.files.records import TupleRecord
from qapilint.syntax.blockviews import BlockViews, forget_with_block_views
from qapilint.syntax.model import Doc, DocLine, SectionKind

# --------------------------------------------------------------------------
# Sections

FEATURES_LINE = "Features:"
# Words that open a tagged section when followed by one colon (not two);
# None: a section QEMU rejects with advice (since 9.2 / 10.0).
SECTION_TAGS: dict[str, SectionKind | None] = {
    "Returns": "returns",
    "Errors": "errors",
    "Since": "since",
    "TODO": "todo",
    "Notes": None,
    "Note": None,
    "Examples": None,
    "Example": None,
}
UNIQUE_SECTIONS: tuple[SectionKind, ...] = ("returns", "errors", "since")
TAG_SHOWN: dict[SectionKind, str] = {
    "returns": "Returns",
    "errors": "Errors",
    "since": "Since",
    "todo": "TODO",
}
EXAMPLE_TAGS = ("Examples", "Example")
# tags QEMU knows only since 9.0 (older parsers read them as text)
TAGS_SINCE_9_0 = ("Errors",)

_TAG_WORDS = "|".join(sorted(SECTION_TAGS, key=len, reverse=True))
# Section starts, as QEMU reads them at column 0
_MEMBER_TAG = regexes.pattern(r"@([^:]*): *")
_SECTION_TAG = regexes.pattern(rf"({_TAG_WORDS})(?!::): *")
_EXAMPLE_TAG = regexes.pattern(rf"({'|'.join(EXAMPLE_TAGS)})(?!::):")
# "@name text" or "@name : text": a description that lacks its colon
_COLONLESS = regexes.pattern(r"^@(?P<name>[\w-]+)(?P<sep>[ \t]+:[ \t]*|[ \t]+)(?=\S)")


# The patterns below that search a whole block at once are left to ``re`` to
# compile on first use (and keep in its cache): compiling costs more than
# matching, and a run that asks for none of them (a parse, most rules)
# should not pay for it.


def _after_line_end(pattern: re.Pattern[str]) -> str:
    """``pattern`` after a "\\n", to search a whole block at once (with
    ``re.MULTILINE``): in the block's lines joined by "\\n", with a "\\n"
    put before the first, it finds a match exactly where ``pattern.match``
    matches a line (the patterns used never cross a line end; ``$`` stops at
    one). Faster than ``^``: the search skips to each "\\n"."""
    return f"\n(?:{pattern.pattern})"


def indent_of(text: str) -> int:
    """Leading whitespace of ``text``, tabs counting one (as QEMU counts)."""
    return len(text) - len(text.lstrip())


def hash_col(raw: str) -> int:
    """File column of the ``#`` that starts a doc line (QEMU's error column)."""
    return indent_of(raw) + 1


def member_tag(text: str) -> tuple[str, int] | None:
    """``@NAME:`` at the very start of ``text``: (NAME, offset of the text
    after the colon and the spaces following it)."""
    if text[:1] != "@":  # (no method call: most lines are no tag)
        return None
    colon = text.find(":")
    if colon < 0:
        return None
    # the offset of the first character after the colon that is not a space
    return text[1:colon], len(text) - len(text[colon + 1 :].lstrip(" "))


def section_tag(text: str) -> tuple[str, int] | None:
    """A tag word such as ``Since`` followed by exactly one colon at the
    start of ``text``: (word, offset of the text after the colon and its
    spaces). ``Since::`` is rST, not a tag."""
    colon = text.find(":")
    if colon < 4 or text[:colon] not in SECTION_TAGS or text.startswith("::", colon):
        return None
    return text[:colon], len(text) - len(text[colon + 1 :].lstrip(" "))


def tag_match(text: str) -> re.Match[str] | None:
    """The ``@name: `` or ``Tag: `` prefix of a line (group 1: the name or
    tag word), spaces after the colon included."""
    return _MEMBER_TAG.match(text) or _SECTION_TAG.match(text)


def member_match(text: str) -> re.Match[str] | None:
    """The ``@name: `` prefix of a line (group 1: the name)."""
    return _MEMBER_TAG.match(text)


def is_section_start(text: str) -> bool:
    """A line QEMU may read as the start of a new section (at column 0)."""
    return bool(tag_match(text) or text.rstrip() == FEATURES_LINE)


def section_prefix(text: str) -> str | None:
    """The tag (``@name: `` or ``Tag: ``) a line starts with, if any."""
    match = tag_match(text)
    return match.group(0) if match else None


def is_example_tag(text: str) -> bool:
    return bool(_EXAMPLE_TAG.match(text))


def colonless_description(text: str) -> re.Match[str] | None:
    """``@name text`` or ``@name : text``: a description without its colon
    right after the name (groups ``name`` and ``sep``)."""
    return _COLONLESS.match(text)


# "@name" and a space or tab before more text, after a line end: what every
# line colonless_description matches starts with
_COLONLESS_START = r"\n@[\w-]+[ \t]+\S"


def may_have_colonless_descriptions(text: str) -> bool:
    """False when no line of ``text`` (a block's line texts joined by
    "\\n", trailing whitespace removed) is a :func:`colonless_description`:
    one search that spares most blocks the line by line look."""
    return re.search(_COLONLESS_START, "\n" + text) is not None


# --------------------------------------------------------------------------
# What QEMU's doc generator rewrites, and QMP examples

# QEMU's generator renders every "@name" of a section's text (literal
# blocks included) as the inline literal ``name``
_AT_REFERENCE = regexes.pattern(r"@([\w-]+)")
QMP_ARROWS = ("->", "<-")  # client to server, server to client
QMP_EXAMPLE_DIRECTIVE = "qmp-example"


def at_references(text: str) -> Iterator[tuple[int, int, str]]:
    """Each ``@name`` QEMU's generator turns into ````name````: (start,
    end, name)."""
    for found in _AT_REFERENCE.finditer(text):
        yield found.start(), found.end(), found.group(1)


def qmp_message_start(text: str) -> tuple[str, int] | None:
    """A line of a QMP example that starts a message: ``->`` or ``<-``
    after any indent, then a space or the end of the line: (arrow, offset
    of the text after the arrow)."""
    bare = text.lstrip(" ")
    arrow = bare[:2]
    if arrow not in QMP_ARROWS or (len(bare) > 2 and bare[2] != " "):
        return None
    return arrow, len(text) - len(bare) + 2


def directive_name(text: str) -> str | None:
    """The name of the rST directive a line opens (``.. NAME::`` after any
    indent), else None."""
    bare = text.lstrip(" ")
    if not bare.startswith(".. "):
        return None
    head, sep, _rest = bare[3:].partition("::")
    name = head.strip(" ")
    return name if sep and name and " " not in name else None


# --------------------------------------------------------------------------
# Doc blocks in plain text (for those that hold text, not a model)


class TextDocBlock(TupleRecord):  # (a dataclass costs a millisecond to import)
    """A ``##`` doc block found in a file's lines (0-based indexes)."""

    __slots__ = ()

    start: int  # the opening "##"
    end: int  # after the closing "##", or after the last doc line if unclosed
    closed: bool
    symbol: str | None  # NAME of a first line "# @NAME:", None for free-form
    doc_lines: tuple[int, ...]  # the "#" lines between the delimiters

    def __new__(
        cls, start: int, end: int, closed: bool, symbol: str | None, doc_lines: tuple[int, ...]
    ) -> TextDocBlock:
        return tuple.__new__(cls, (start, end, closed, symbol, doc_lines))


def is_doc_delimiter(line: str) -> bool:
    """A line that opens or closes a doc block: ``##`` after any indent."""
    return line.lstrip().startswith("##")


def _symbol_line(line: str) -> str | None:
    text = line.strip()
    if not text.startswith("# @") or not text.endswith(":"):
        return None
    name = text[3:-1]
    return name if ":" not in name and not any(c.isspace() for c in name) else None


def doc_blocks_of_text(lines: list[str]) -> list[TextDocBlock]:
    """Every doc block of a file given as lines, as the grammar cuts them: a
    ``##`` line opens one; ``#`` lines and blank lines continue it; the
    next ``##`` line closes it; any other line ends it unclosed."""
    blocks: list[TextDocBlock] = []
    start: int | None = None
    inside: list[int] = []
    for index, line in enumerate(lines):
        bare = line.lstrip()
        if start is None:
            if bare.startswith("##"):
                start, inside = index, []
            continue
        if bare.startswith("##"):
            blocks.append(_block(lines, start, index + 1, True, inside))
            start = None
        elif bare.startswith("#"):
            inside.append(index)
        elif bare:
            blocks.append(
                _block(lines, start, (inside[-1] if inside else start) + 1, False, inside)
            )
            start = None
    if start is not None:
        blocks.append(_block(lines, start, (inside[-1] if inside else start) + 1, False, inside))
    return blocks


def _block(lines: list[str], start: int, end: int, closed: bool, inside: list[int]) -> TextDocBlock:
    first = lines[start + 1] if closed and start + 1 < end - 1 else ""
    return TextDocBlock(start, end, closed, _symbol_line(first), tuple(inside))


# --------------------------------------------------------------------------
# QEMU 10.2's line checks: what they measure, and literal mode

QEMU_LINE_LIMIT = 70  # the longest doc line QEMU 10.2 accepts, "# " included
COMMENT_WIDTH = 2  # the "# " that QEMU counts in a doc line's length
_URL_SCHEMES = ("http://", "https://", "ftp://")
# a space after a sentence's end, before what may start a sentence (ASCII
# uppercase letters and digits only, as QEMU's check)
_SINGLE_SPACE = regexes.pattern(r"(?<=[.!?]) (?=[A-Z0-9(])")


def opens_literal(text: str) -> bool:
    """Whether a doc line (trailing whitespace removed) switches QEMU into
    literal mode: exactly ``::`` or ``.. qmp-example::``, spaces allowed
    before the ``::``, ``::`` also after leading spaces."""
    if not text.endswith("::"):
        return False
    head = text[:-2]
    if not head.strip(" "):
        return True
    if not head.startswith(".. "):
        return False
    return head[2:].strip(" ") == "qmp-example"


def literal_flags(texts: Iterable[str]) -> list[bool]:
    """Per doc line text: whether QEMU 10.2's line checks skip it (literal
    mode).

    Literal mode starts at a line :func:`opens_literal`; the first non-blank
    line after it sets the literal indent, and the first later non-blank
    line indented less ends it (and is checked). While that indent is 0,
    every non-blank line sets it anew (QEMU 10.2.2's behaviour). A blank
    line keeps the state of the line before it.
    """
    texts = list(texts)
    # only a line holding "::" opens literal mode: before the first, and
    # once literal mode has ended after the last, no line is literal
    openers = [index for index, text in enumerate(texts) if "::" in text]
    flags = [False] * len(texts)
    if not openers:  # most docs: no literal block
        return flags
    last_opener = openers[-1]
    literal = False
    literal_indent = 0
    for index in range(openers[0], len(texts)):
        if not literal and index > last_opener:
            break
        text = texts[index].rstrip()
        if text.endswith("::") and opens_literal(text):
            literal, literal_indent = True, 0
        elif literal and text:
            indent = len(text) - len(text.lstrip())  # indent_of, inlined: the loop is hot
            if literal_indent == 0:
                literal_indent = indent
            elif indent < literal_indent:
                literal = False
        flags[index] = literal
    return flags


def doc_texts(lines: Iterable[DocLine]) -> list[str]:
    """Each doc line's text as QEMU reads it: trailing whitespace removed."""
    return [doc_line.text.rstrip() for doc_line in lines]


def checked_lines(doc: Doc) -> list[tuple[DocLine, str]]:
    """The lines of ``doc`` QEMU 10.2's line checks read, each with its text
    as QEMU sees it (trailing whitespace removed): the non-blank lines
    outside literal mode. Part of the block's :class:`LineFacts` (both line
    checks read it)."""
    return line_facts(doc).checked


def line_length(text: str) -> int:
    """A doc line's length as QEMU counts it: its text plus the ``# ``."""
    return len(text) + COMMENT_WIDTH


def is_url_line(text: str) -> bool:
    """Whether ``text`` is nothing but an http, https or ftp URL (maybe
    indented): QEMU lets such lines be long."""
    bare = text.lstrip(" ")
    return bare.startswith(_URL_SCHEMES) and " " not in bare


def _is_word_char(char: str) -> bool:
    return char.isalnum() or char == "_"


def single_spaces(text: str) -> Iterator[int]:
    """Offsets into ``text`` of each single space after ``.``, ``!`` or
    ``?`` that comes before an uppercase letter, a digit or ``(``: QEMU
    10.2 wants two. The space after ``e.g.`` and after a leading list
    number (``1. Foo``) is fine."""
    for found in _SINGLE_SPACE.finditer(text):
        space = found.start()
        if not _excused(text, space):
            yield space


def may_have_single_spaces(texts: Iterable[str]) -> bool:
    """False when no text of ``texts`` has a single space
    :func:`single_spaces` could report: one search for a whole doc block,
    which spares most of them the line by line look."""
    # one pattern per mark, each starting with fixed text: the regex engine
    # then jumps from one ". " to the next instead of trying every position
    # (a class such as "[.!?] " it tries character by character)
    text = "\n".join(texts)
    return (
        _PERIOD_SPACE.search(text) is not None
        or ("! " in text and _BANG_SPACE.search(text) is not None)
        or ("? " in text and _QUESTION_SPACE.search(text) is not None)
    )


_PERIOD_SPACE = regexes.pattern(r"\. [A-Z0-9(]")
_BANG_SPACE = regexes.pattern(r"! [A-Z0-9(]")
_QUESTION_SPACE = regexes.pattern(r"\? [A-Z0-9(]")


def _excused(text: str, space: int) -> bool:
    if text[space - 1] != ".":
        return False
    start = space - 4
    if start >= 0 and text[start:space] == "e.g.":
        return start == 0 or not _is_word_char(text[start - 1])
    digit = space - 2
    return digit >= 0 and text[digit].isdecimal() and not text[:digit].strip(" ")


# --------------------------------------------------------------------------
# rST structure inside doc text

# list item markers: bullets, then enumerators ("1." "1)" "#." "(1)" "a)" "(iv)" "a.")
_BULLETS = "[-*+\u2022]"
_SIMPLE_MARKERS = r"[-*+]|\d+\.|#\."
_LIST_ITEM = regexes.pattern(
    rf"( *)({_BULLETS}|\d+[.)]|#\.|\(?[A-Za-z0-9]{{1,3}}\)|[A-Za-z][.)])( +)(?=\S)"
)
_SIMPLE_LIST_ITEM = regexes.pattern(rf" *({_SIMPLE_MARKERS}) +\S")
_LIST_START = regexes.pattern(
    rf"^(?:{_BULLETS}|\d+[.)]|#\.|\(\d+\)|[A-Za-z][.)]|\([A-Za-z]\))[ \t]"
)
_ADMONITION = regexes.pattern(
    r"( *)\.\. +(note|warning|important|tip|hint|caution|danger|attention|error|seealso"
    r"|admonition)::( +)(?=\S)"
)
_QMP_ARROW = regexes.pattern(r" *(->|<-)( |$)")
_TABLE_LINE = regexes.pattern(r" *(\||\+[-=+]+\+ *$|=+( +=+)+ *$)")
_PUNCTUATION_RUN = regexes.pattern(r" *([=\-~^\"'`#*+<>_:.])\1{2,} *$")

# Words a rewrapped line must not start with
_BAD_START = regexes.pattern(
    r"(@[^:\s]*:"
    rf"|({_TAG_WORDS}|Features)(?!::):"
    r"|[-*+\u2022]$|\d+[.)]$|#\.$|\(?[A-Za-z0-9]{1,3}\)$|[A-Za-z][.)]$"
    r"|\.\.|::|->|<-|>>>|\||:"
    r"|([=\-~^\"'`#*+<>_:.])\3+$)"
)


# QEMU's legacy heading ("= Title", "== Subtitle"), a free-form block's
# first line before the doc generator read rST titles
_LEGACY_HEADING = regexes.pattern(r"(=+)( +)(?=\S)(?![= ]*$)")
# an rST section title's over- or underline: one punctuation character
# repeated (at least twice), nothing else
_ADORNMENT = regexes.pattern(r"([!-/:-@\[-`{-~])\1+ *$")
# the adornments of QEMU's heading levels 2 to 6 (qapi-code-gen.rst,
# "Headings and subheadings"); level 2 is over- and underlined
HEADING_ADORNMENTS = ("*", "=", "_", "^", '"')


def legacy_heading(text: str) -> tuple[int, str] | None:
    """``= Title`` at column 0: (its level, the number of ``=``; the
    title), else None."""
    match = _LEGACY_HEADING.match(text)
    if match is None:
        return None
    return len(match.group(1)), text[match.end() :].rstrip()


def adornment(text: str) -> str | None:
    """The character of a section title's over- or underline (``=====``),
    else None."""
    match = _ADORNMENT.match(text)
    return match.group(1) if match else None


def list_item(text: str) -> re.Match[str] | None:
    """An rST list item's start (any bullet or enumerator) with the spaces
    after its marker: groups indent, marker, gap."""
    return _LIST_ITEM.match(text)


def simple_list_item(text: str) -> re.Match[str] | None:
    """The start of one of the common list items of QEMU's docs (``-``,
    ``*``, ``+``, ``1.`` or ``#.``, spaces, the first character of text)."""
    return _SIMPLE_LIST_ITEM.match(text)


# the ". " after the number or "#" of a simple list item (the lookbehind
# after a plain ". ", which the search skips to)
_NUMBER_DOT_SPACE = r"\. (?<=[\d#]\. )"


def starts_list(text: str) -> bool:
    """Stripped text that begins with a list marker and a space or tab."""
    return bool(_LIST_START.match(text))


def admonition(text: str) -> re.Match[str] | None:
    """``.. note:: text`` and the other admonitions, with text after them."""
    return _ADMONITION.match(text)


def may_start_rewrapped_line(word: str) -> bool:
    """Whether a word may begin a line that a reflow makes (it must not
    open a section, a list item, a directive, a transcript or a table)."""
    return not _BAD_START.match(word)


def start_prefix(text: str) -> str | None:
    """The prefix of a line that starts a paragraph of its own kind (a
    section tag, a list item, an admonition with text), else None."""
    tag = section_prefix(text)
    if tag is not None:
        return tag
    match = list_item(text) or admonition(text)
    return match.group(0) if match else None


def opens_paragraph(text: str) -> bool:
    return start_prefix(text) is not None or text.rstrip() == FEATURES_LINE


def _blocks(texts: list[str]) -> list[tuple[int, int]]:
    """Runs of non-blank lines, as (start, end) index pairs."""
    blocks = []
    start = None
    for index, text in enumerate([*texts, ""]):
        if text.strip() and start is None:
            start = index
        elif not text.strip() and start is not None:
            blocks.append((start, index))
            start = None
    return blocks


def protected_lines(texts: list[str]) -> list[bool]:
    """Per line: may a reflow never touch it?

    Protected are QEMU's literal mode, rST literal blocks and the bodies of
    directives other than admonitions, QMP transcripts (``->``/``<-``),
    tables, headings, comments and targets (``..``), and whole old
    ``Example:`` sections. Several rules ask about each doc block: the
    answer is remembered for the last few.
    """
    return list(_protected(tuple(texts)))


# Most blocks have no table, heading or old example section: one search of
# the whole block spares them the line by line look.
_TABLE_LINE_IN_BLOCK = _after_line_end(_TABLE_LINE)
_PUNCTUATION_RUN_IN_BLOCK = _after_line_end(_PUNCTUATION_RUN)
_EXAMPLE_TAG_IN_BLOCK = _after_line_end(_EXAMPLE_TAG)
# a line of a QMP transcript ("->", "<-") or of a Python session (">>>",
# after any whitespace)
_TRANSCRIPT_LINE_IN_BLOCK = rf"\n(?:{_QMP_ARROW.pattern}|[^\S\n]*>>>)"


def _line_indexes(text: str, offsets: Iterable[int]) -> list[int]:
    """The index of the line of ``text`` that holds each of ``offsets``
    (ascending; a match's start after a "\\n" put before ``text`` is the
    offset in ``text`` of its line's start)."""
    found = []
    index = 0
    scanned = 0
    for offset in offsets:
        index += text.count("\n", scanned, offset)
        scanned = offset
        found.append(index)
    return found


@functools.lru_cache(maxsize=32)
def _protected(lines: tuple[str, ...]) -> tuple[bool, ...]:
    texts = [text.rstrip() for text in lines]
    joined = "\n".join(texts)
    literal = literal_flags(texts) if "::" in joined else [False] * len(texts)
    return tuple(_protected_of(texts, joined, literal))


def _protected_of(texts: list[str], joined: str, literal: list[bool]) -> list[bool]:
    """:func:`protected_lines` of ``texts`` (trailing whitespace removed),
    ``joined`` being them joined by "\\n", ``literal`` their
    :func:`literal_flags`."""
    protected = list(literal)
    lines = "\n" + joined  # for the searches after a line end
    if "::" in joined or ".." in joined:  # a literal block or directive may open
        _protect_literal_blocks(texts, protected)
    if "->" in joined or "<-" in joined or ">>>" in joined:
        found = re.finditer(_TRANSCRIPT_LINE_IN_BLOCK, lines, re.MULTILINE)
        for index in _line_indexes(joined, (match.start() for match in found)):
            protected[index] = True
    if re.search(_TABLE_LINE_IN_BLOCK, lines, re.MULTILINE) or re.search(
        _PUNCTUATION_RUN_IN_BLOCK, lines, re.MULTILINE
    ):
        _protect_tables_and_headings(texts, protected)
    if "Example" in joined and re.search(_EXAMPLE_TAG_IN_BLOCK, lines, re.MULTILINE):
        _protect_old_examples(texts, protected)
    return protected


def _protect_literal_blocks(texts: list[str], protected: list[bool]) -> None:
    """Literal blocks and non-admonition directive bodies."""
    count = len(texts)
    resume = 0  # the first line after the last block protected
    # only a line holding "::" or ".." opens one
    for index, text in enumerate(texts):
        if index < resume or ("::" not in text and ".." not in text):
            continue
        stripped = text.strip()
        opens = stripped.endswith("::") and not admonition(text + " x")
        if stripped.startswith("..") and not admonition(text + " x"):
            opens = True
        if opens:
            protected[index] = protected[index] or stripped.startswith("..")
            base = 0 if is_section_start(text) else indent_of(text)
            follow = index + 1
            while follow < count and (not texts[follow] or indent_of(texts[follow]) > base):
                protected[follow] = True
                follow += 1
            resume = follow


def _protect_tables_and_headings(texts: list[str], protected: list[bool]) -> None:
    """Paragraphs holding a table line or a heading's adornment."""
    for start, end in _blocks(texts):
        if any(
            _TABLE_LINE.match(texts[i]) or (_PUNCTUATION_RUN.match(texts[i]) and i > start)
            for i in range(start, end)
        ) or _PUNCTUATION_RUN.match(texts[start]):
            for i in range(start, end):
                protected[i] = True


def _protect_old_examples(texts: list[str], protected: list[bool]) -> None:
    """Old ``Example:`` sections: everything up to the next section start
    (a free-form block, whose first line is no ``@NAME:``, has none)."""
    first = next((text for text in texts if text), "")
    in_example = False
    for index, text in enumerate(texts if first.startswith("@") else []):
        if is_section_start(text):
            in_example = is_example_tag(text)
        if in_example:
            protected[index] = True


# --------------------------------------------------------------------------
# A doc block's line facts, worked out once

# DocLine.raw, got in C (NamedTuple fields are in order)
_RAW_OF = operator.itemgetter(DocLine._fields.index("raw"))
# the first character of a line tag_match may match: "@" or a tag word's
_TAG_INITIALS = frozenset(["@", *(word[0] for word in SECTION_TAGS)])
# A line whose text ends with a colon (as a tag alone on its line does)
# followed by an indented line
_COLON_BEFORE_INDENTED = r":\n[^\S\n]"


@functools.lru_cache(maxsize=8)
def _indented_unless(indent: int) -> re.Pattern[str]:
    """A line (after its "\\n") indented by anything but ``indent``."""
    return regexes.pattern(rf"\n(?![^\S\n]{{{indent}}}\S)[^\S\n]")


class LineFacts:
    """What rules ask about the lines of one doc block, worked out once per
    block (see :func:`line_facts`) instead of once per rule: each line's
    text (and all of them joined, for one search of the whole block
    instead of one per line), each line's tag, the lines a reflow must not
    touch. All but the texts (and the raw lines joined) are made when first
    asked for."""

    __slots__ = (
        "_checked",
        "_doc_lines",
        "_literal",
        "_protected",
        "_tags",
        "raw_text",
        "text",
        "texts",
    )

    def __init__(self, doc: Doc) -> None:
        lines = doc.lines
        self._doc_lines = lines  # not the doc: a value must not keep its weak key alive
        self.texts = doc_texts(lines)
        self.text = "\n".join(self.texts)
        # The whole file lines of the block (DocLine.raw), joined by "\n".
        # Made here, not when first asked for: two rules read it of every
        # block, and a property would cost a call each time.
        self.raw_text = "\n".join(map(_RAW_OF, lines))
        self._tags: list[re.Match[str] | None] | None = None
        self._literal: list[bool] | None = None
        self._protected: list[bool] | None = None
        self._checked: list[tuple[DocLine, str]] | None = None

    @property
    def tags(self) -> list[re.Match[str] | None]:
        """Per line: its :func:`tag_match`."""
        if self._tags is None:
            initials = _TAG_INITIALS
            self._tags = [tag_match(text) if text[:1] in initials else None for text in self.texts]
        return self._tags

    @property
    def literal(self) -> list[bool]:
        """:func:`literal_flags` of the texts."""
        if self._literal is None:
            self._literal = (
                literal_flags(self.texts) if "::" in self.text else [False] * len(self.texts)
            )
        return self._literal

    @property
    def protected(self) -> list[bool]:
        """:func:`protected_lines` of the texts."""
        if self._protected is None:
            self._protected = _protected_of(self.texts, self.text, self.literal)
        return self._protected

    @property
    def checked(self) -> list[tuple[DocLine, str]]:
        """:func:`checked_lines`: each non-blank line outside literal mode,
        with its text."""
        if self._checked is None:
            self._checked = [
                (doc_line, text)
                for doc_line, text, literal in zip(
                    self._doc_lines, self.texts, self.literal, strict=True
                )
                if text and not literal
            ]
        return self._checked

    def line_indexes(self, offsets: Iterable[int]) -> list[int]:
        """The index of the line that holds each of ``offsets`` (ascending)
        into :attr:`text`."""
        return _line_indexes(self.text, offsets)

    def indented_unless(self, indent: int) -> list[int]:
        """Indexes of the lines indented by anything but ``indent`` (neither
        blank nor unindented), in order."""
        found = _indented_unless(indent).finditer("\n" + self.text)
        # a match starts at the "\n" before its line: one before it in text
        return self.line_indexes(match.start() for match in found)

    def colon_lines_before_indented(self) -> list[int]:
        """Indexes of the lines that end with a colon (as a tag alone on its
        line does) and are followed by an indented line, in order."""
        found = re.finditer(_COLON_BEFORE_INDENTED, self.text)
        return self.line_indexes(match.start() for match in found)

    def members_after_text(self) -> list[int]:
        """Indexes of the lines that start with "@" right after a non-blank
        line, in order."""
        text = self.text
        if text.count("\n@") == text.count("\n\n@"):
            return []  # most blocks: a blank line before each
        starts = []
        at = text.find("\n@")
        while at >= 0:
            if at and text[at - 1] != "\n":
                starts.append(at + 1)
            at = text.find("\n@", at + 1)
        return self.line_indexes(starts)

    def may_have_simple_list_items(self) -> bool:
        """False when no line can start with a :func:`simple_list_item`
        (at its start or after its tag): most blocks tell with a few plain
        searches. Each item holds its marker and a space ("- ", "* ", "+ ",
        "1. ", "#. "); a "- " after a "<" (a QMP reply, "<- ") starts none."""
        text = self.text
        return (
            text.count("- ") > text.count("<- ")
            or "* " in text
            or "+ " in text
            or re.search(_NUMBER_DOT_SPACE, text) is not None
        )


_FACTS: BlockViews[Doc, LineFacts] = BlockViews()
# the block asked about last, in front of the weak map: the engine runs one
# block's rules in a row, and calling a weak reference is cheaper than a
# lookup (weak, so that it keeps no schema alive)
_last_facts: list[tuple[weakref.ref[Doc], LineFacts]] = []
forget_with_block_views(_last_facts.clear)


def line_facts(doc: Doc) -> LineFacts:
    """The :class:`LineFacts` of ``doc``, made on first use and held until
    the engine moves on (:mod:`qapilint.syntax.blockviews`)."""
    if _last_facts and _last_facts[0][0]() is doc:
        return _last_facts[0][1]
    facts = _FACTS.get(doc)
    if facts is None:
        facts = _FACTS[doc] = LineFacts(doc)
    _last_facts[:] = [(weakref.ref(doc), facts)]
    return facts
