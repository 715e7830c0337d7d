"""Reading a ``##`` doc block the way QEMU 10.2's parser reads it.

:mod:`qapilint.syntax.parse` cuts a file into doc blocks and checks their
delimiters; :func:`read_doc` then reads one block's lines: the ``@NAME:``
line of a definition doc, the body, ``@member:`` descriptions with their
indented continuation lines, ``Features:`` with feature descriptions, and
the tagged sections ``Returns:``, ``Errors:``, ``Since:`` and ``TODO:``.

QEMU stops at the first error; here every error is recorded as a
:class:`~qapilint.syntax.model.Problem` and reading carries on with the most
likely meaning, so that later rules still see the whole block.

Reading also classifies every line of the block (see
:class:`~qapilint.syntax.model.DocLine`): its kind, the section it belongs
to, its indent and whether QEMU's literal mode exempts it from the line
checks. What the lines mean comes from :mod:`qapilint.syntax.doclines`.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable

from qapilint.syntax.blockviews import BlockViews
from qapilint.syntax.build import SHARED_STRINGS
from qapilint.syntax.doclines import (
    FEATURES_LINE,
    SECTION_TAGS,
    TAG_SHOWN,
    TAGS_SINCE_9_0,
    UNIQUE_SECTIONS,
    doc_texts,
    hash_col,
    indent_of,
    line_facts,
    member_tag,
    section_tag,
)
from qapilint.syntax.lazylines import Unmade, doc_line_of, unmake
from qapilint.syntax.model import (
    Doc,
    DocLine,
    LineClass,
    LineKind,
    Problem,
    Section,
    SectionKind,
    Span,
    line_numbers,
    new_object,
    new_tuple,
)

# Problem kinds this module records (rules/q_doc.py reports them).
SYMBOL_COLON = "doc-symbol-colon"
SYMBOL_EMPTY = "doc-symbol-empty"
BAD_INDENT = "doc-bad-indent"
FEATURES_DUPLICATED = "doc-features-duplicated"
FEATURES_EMPTY = "doc-features-empty"
SECTION_DUPLICATED = "doc-section-duplicated"
SECTION_EMPTY = "doc-section-empty"
DESCRIPTION_LATE = "doc-description-late"
DESCRIPTION_DUPLICATED = "doc-description-duplicated"
DESCRIPTION_NO_NAME = "doc-description-no-name"
FREE_FORM_DESCRIPTION = "doc-free-form-description"
NOTE_SECTION = "doc-note-section"
EXAMPLE_SECTION = "doc-example-section"

# --------------------------------------------------------------------------
# Reading a block


class _Reader:
    __slots__ = (
        "doc",
        "extendable",
        "features",
        "line_at",
        "members",
        "problems",
        "tagged",
        "texts",
    )

    def __init__(
        self,
        doc: Doc,
        problems: list[Problem],
        texts: list[str],
        line_at: Callable[[int], DocLine],
    ) -> None:
        self.doc = doc
        self.problems = problems
        self.texts = texts  # each line's text, trailing whitespace removed (QEMU's view)
        # the doc line at an index (made on demand where the block's lines
        # are not: only the lines a span is needed of)
        self.line_at = line_at
        self.members: set[str] = set()
        self.features: set[str] = set()
        self.tagged: set[SectionKind] = set()
        self.extendable = True  # may a plain paragraph join the last section?

    # ---- positions and problems

    def line_span(self, index: int) -> Span:
        """From the ``#`` of line ``index`` to its end; past the last line,
        the closing ``##``."""
        if index >= len(self.texts):
            span = self.doc.span
            return Span(span.end_line, max(1, span.end_col - 2), span.end_line, span.end_col)
        doc_line = self.line_at(index)
        start = hash_col(doc_line.raw)
        end = max(doc_line.col + len(self.texts[index]), start + 1)
        return new_tuple(Span, (doc_line.line, start, doc_line.line, end))

    def text_span(self, index: int, start: int, end: int) -> Span:
        line, _, _, col = self.line_at(index)
        return new_tuple(Span, (line, col + start, line, col + end))

    def problem(self, kind: str, span: Span, message: str) -> None:
        self.problems.append(Problem(kind, span, message))

    # ---- building sections (each a range of the block's lines: its text
    # lines are made from the range when read, see qapilint.syntax.lazylines)

    def new_section(
        self, kind: SectionKind, start: int, name: str | None = None, tag: Span | None = None
    ) -> Section:
        """A section, so far without lines, whose first line would be
        line ``start`` of the block."""
        # the fields set here, not by Section's __init__ (which a class call
        # runs in an interpreter loop of its own): a block has several
        section = new_object(Section)
        section.kind = kind
        section.name = name
        section.tag_span = tag
        section.doc = self.doc
        section.start = section.end = start
        section.first_cut = -1
        section.cut = 0
        self.doc.sections.append(section)
        self.extendable = kind == "plain" and tag is None
        return section

    def tagged_section(
        self, kind: SectionKind, index: int, after_tag: int, name: str | None, tag: Span
    ) -> Section:
        """A section whose tag is on line ``index``: its text starts
        there when the line has any after the tag (at offset
        ``after_tag``), else on the next line."""
        if after_tag < len(self.texts[index]):
            section = self.new_section(kind, index, name, tag)
            section.first_cut = after_tag
            section.end = index + 1
            return section
        return self.new_section(kind, index + 1, name, tag)

    def skip_blank(self, index: int) -> int:
        while index < len(self.texts) and not self.texts[index]:
            index += 1
        return index

    # ---- the block

    def read(self) -> None:
        texts = self.texts
        body = self.new_section("plain", 0)
        if texts and texts[0].startswith("@"):
            self.read_symbol()
            self.read_definition_doc(1)
        else:
            self.read_free_form(body)
        self.finish()

    def read_symbol(self) -> None:
        text = self.texts[0]
        first = self.line_at(0)
        if text.endswith(":"):
            name = text[1:-1]
        else:
            self.problem(SYMBOL_COLON, self.line_span(0), "line should end with ':'")
            rest = text[1:]
            name = rest.split(":", 1)[0].strip() if ":" in rest else (rest.split() or [""])[0]
        if not name:
            if text.endswith(":"):  # else the missing colon is reported already
                self.problem(SYMBOL_EMPTY, self.line_span(0), "name required after '@'")
            self.doc.symbol_span = Span.at(first.line, first.col, 2)
            return
        self.doc.name_symbol(name)
        self.doc.symbol_span = Span.at(first.line, first.col + 1, len(name))

    def read_free_form(self, body: Section) -> None:
        for index, text in enumerate(self.texts):
            found = member_tag(text)
            if found is not None:
                self.problem(
                    FREE_FORM_DESCRIPTION,
                    self.line_span(index),
                    f"'@{found[0]}:' not allowed in free-form documentation",
                )
        body.end = len(self.texts)

    def read_definition_doc(self, index: int) -> None:
        texts = self.texts
        count = len(texts)
        args_done = False
        while True:
            blank_from = index
            index = self.skip_blank(index)
            if index >= count:
                return
            text = texts[index]
            if text == FEATURES_LINE:
                index = self.read_features(index)
                args_done = True
            elif (found := member_tag(text)) is not None:
                if args_done:
                    self.problem(
                        DESCRIPTION_LATE,
                        self.line_span(index),
                        f"description of '@{found[0]}:' follows a section",
                    )
                while found is not None:
                    index = self.read_description(index, found, "member", self.members)
                    found = member_tag(texts[index]) if index < count else None
                args_done = True
            elif (tag := section_tag(text)) is not None:
                index = self.read_tagged(index, *tag)
                args_done = True
            else:
                index = self.read_paragraph(blank_from, index)

    def read_paragraph(self, blank_from: int, index: int) -> int:
        """A plain paragraph: joins the last section when it is plain (with
        the blank lines between), else opens a new plain section."""
        section = self.doc.sections[-1]
        if self.extendable and section.kind == "plain":
            if section.end == section.start:  # no lines yet: no blank ones either
                section.start = index
            # (else it takes the blank lines from blank_from on too)
        else:
            section = self.new_section("plain", index)
        texts = self.texts
        count = len(texts)
        while index < count and texts[index]:
            index += 1
        section.end = index
        return index

    def read_features(self, index: int) -> int:
        if self.features:
            self.problem(FEATURES_DUPLICATED, self.line_span(index), "duplicated 'Features:' line")
        if self.doc.features_span is None:
            self.doc.features_span = self.text_span(index, 0, len(FEATURES_LINE))
        index = self.skip_blank(index + 1)
        described = False
        count = len(self.texts)
        found = member_tag(self.texts[index]) if index < count else None
        while found is not None:
            index = self.read_description(index, found, "feature", self.features)
            found = member_tag(self.texts[index]) if index < count else None
            described = True
        if not described:
            self.problem(FEATURES_EMPTY, self.line_span(index), "feature descriptions expected")
        return index

    def read_description(
        self, index: int, found: tuple[str, int], kind: SectionKind, seen: set[str]
    ) -> int:
        name, start = found
        name = SHARED_STRINGS.setdefault(name, name)  # the name the schema has
        tag = self.text_span(index, 0, len(name) + 2)
        if not name:
            self.problem(DESCRIPTION_NO_NAME, tag, "invalid parameter name")
        elif name in seen:
            what = "parameter" if kind == "member" else "feature"
            self.problem(DESCRIPTION_DUPLICATED, tag, f"'{name}' {what} name duplicated")
        seen.add(name)
        section = self.tagged_section(kind, index, start, name, tag)
        return self.read_indented(index + 1, section)

    def read_tagged(self, index: int, word: str, start: int) -> int:
        tag = self.text_span(index, 0, len(word) + 1)
        kind = SECTION_TAGS[word]
        if kind is None:
            self.reject_old_section(index, word)
            section = self.tagged_section("plain", index, start, None, tag)
        else:
            if kind in UNIQUE_SECTIONS and kind in self.tagged:
                self.problem(SECTION_DUPLICATED, tag, f"duplicated '{word}' section")
            self.tagged.add(kind)
            section = self.tagged_section(kind, index, start, None, tag)
        return self.read_indented(index + 1, section)

    def reject_old_section(self, index: int, word: str) -> None:
        if word.startswith("Note"):
            self.problem(
                NOTE_SECTION,
                self.line_span(index),
                f"'{word}:' sections are no longer supported: use an rST "
                "'.. note::' or '.. admonition:: Notes' directive (or another "
                "admonition) instead",
            )
        else:
            self.problem(
                EXAMPLE_SECTION,
                self.line_span(index),
                f"'{word}:' sections are no longer supported: use a "
                "'.. qmp-example::' directive (or other suitable markup) instead",
            )

    def read_indented(self, index: int, section: Section) -> int:
        """The lines continuing a tagged section or description: blank lines,
        then a block indented at least as far as its first line. Each line
        loses that indentation; a line indented less ends the block, except
        right after the block's first line, where QEMU rejects it (and the
        line loses what indentation it has)."""
        texts = self.texts
        count = len(texts)
        while index < count and not texts[index]:
            index += 1
            section.end = index
        if index >= count:
            return index
        indent = indent_of(texts[index])
        if not indent:
            return index
        section.cut = indent
        index += 1
        second = True  # QEMU rejects a de-indent only on the block's second line
        while index < count:
            text = texts[index]
            if text:
                if text[0] == "@" and member_tag(text) is not None:
                    break
                if len(text) - len(text.lstrip()) < indent:  # indent_of, without a call
                    if not second:
                        break
                    self.problem(
                        BAD_INDENT,
                        self.line_span(index),
                        f"unexpected de-indent (expected at least {indent} spaces)",
                    )
            second = False
            index += 1
        section.end = index
        return index

    def finish(self) -> None:
        """Drop blank lines around each section's text (as QEMU does) and
        report tagged sections and descriptions left without text."""
        texts = self.texts
        for section in self.doc.sections:
            # (the first line of a tagged section is never blank: it is
            # there for its text after the tag)
            start, end = section.start, section.end
            while start < end and not texts[start]:
                start += 1
            while end > start and not texts[end - 1]:
                end -= 1
            section.start, section.end = start, end
            unmake(section)
            if end > start or section.kind == "plain" or section.tag_span is None:
                continue
            if section.name == "":
                continue  # already reported as a description without a name
            if section.kind in ("member", "feature"):
                shown = f"@{section.name}:"
            else:
                shown = TAG_SHOWN[section.kind] + ":"
            self.problem(SECTION_EMPTY, section.tag_span, f"text required after '{shown}'")


def read_doc(doc: Doc, problems: list[Problem]) -> None:
    """Fill ``doc.symbol``, ``symbol_span``, ``sections`` and
    ``features_span`` from ``doc.lines``, appending what QEMU would reject
    to ``problems``. The first section is always the (maybe empty) body."""
    doc.name_symbol(None)
    doc.symbol_span = None
    doc.features_span = None
    doc.sections = []
    # not the block's line facts: those are made when its rules run, and
    # dropped after; held from here, every block's would be at once
    source = doc.source
    if source is not None and type(doc.lines) is Unmade:  # type: ignore[comparison-overlap]
        # a block of "# text" and "#" lines only, not made yet: read from
        # the file lines, its doc lines made only where a span needs one
        first = doc.span.line + 1
        pieces = source.lines[first - 1 : doc.span.end_line - 1]
        numbers = line_numbers(doc.span.end_line)
        texts = [piece[2:].rstrip() for piece in pieces]

        def line_at(index: int) -> DocLine:
            piece = pieces[index]  # from column 1: the whole line is the comment
            return doc_line_of(numbers[first + index], piece, piece, 1)

        _Reader(doc, problems, texts, line_at).read()
    else:
        _Reader(doc, problems, doc_texts(doc.lines), doc.lines.__getitem__).read()


_TAG_LINE_KINDS: dict[SectionKind, LineKind] = {"member": "member", "feature": "feature"}


_CLASSES: BlockViews[Doc, tuple[LineClass, ...]] = BlockViews()


def classified(doc: Doc) -> tuple[LineClass, ...]:
    """What each line of ``doc`` is (one :class:`LineClass` per line of
    ``doc.lines``): its kind, its section, its indent and whether QEMU's
    literal mode exempts it. Made on first use (a run that asks for no
    line's class pays nothing) and held until the engine moves on
    (:mod:`qapilint.syntax.blockviews`)."""
    found = _CLASSES.get(doc)
    if found is None:
        found = _CLASSES[doc] = _classify(doc)
    return found


def _classify(doc: Doc) -> tuple[LineClass, ...]:
    lines = doc.lines
    count = len(lines)
    if not count:
        return ()
    facts = line_facts(doc)  # the texts and literal mode, shared with the rules
    texts = facts.texts
    first = lines[0].line
    contiguous = lines[-1].line - first == count - 1  # the usual case
    index_of = {} if contiguous else {line.line: index for index, line in enumerate(lines)}
    kinds: list[LineKind] = ["text"] * count
    sections = [-1] * count
    for number, section in enumerate(doc.sections):
        tag = section.tag_span
        covered: Iterable[int]
        if section.doc is doc:  # the reader's: its lines are a range of the block's
            covered = range(section.start, section.end)
        else:
            covered = [
                text_line.line - first if contiguous else index_of[text_line.line]
                for text_line in section.lines
            ]
        for at in covered:
            sections[at] = number
            if tag is not None:
                kinds[at] = "continuation"
        if tag is not None:
            at = tag.line - first if contiguous else index_of[tag.line]
            sections[at] = number
            kinds[at] = _TAG_LINE_KINDS.get(section.kind, "tag")
    if doc.features_span is not None:
        line = doc.features_span.line
        kinds[line - first if contiguous else index_of[line]] = "features"
    if doc.symbol_span is not None:
        kinds[0] = "symbol"
    # (a list made into a tuple, not a generator; the classes made without
    # their Python __new__, and the indent without a call: one per line)
    return tuple(
        [
            new_tuple(
                LineClass, (kinds[index], sections[index], len(text) - len(text.lstrip()), literal)
            )
            if text
            else _BLANK[literal]
            for index, (text, literal) in enumerate(zip(texts, facts.literal, strict=True))
        ]
    )


# the class of a blank line, out of literal mode and in it
_BLANK = (LineClass("blank", -1, 0, False), LineClass("blank", -1, 0, True))


# --------------------------------------------------------------------------
# Indentation as QEMU's doc parser required it before 8.1


# the section tags of those releases
_OLD_TAGS = tuple(f"{word}:" for word in SECTION_TAGS if word not in TAGS_SINCE_9_0)


def _old_tag_indent(text: str) -> int:
    """The indent a section starting with ``text`` (``@name: x`` or ``Tag: x``)
    demanded of its later lines before 8.1: the column its text started
    at, or 0 when the tag stands alone."""
    match = re.match(r"\S*:\s*", text)
    assert match is not None
    return match.end() if text[match.end() :] else 0


def aligned_indent_errors(texts: Iterable[str]) -> list[tuple[int, int]]:
    """Where QEMU before 8.1 stops with "unexpected de-indent (expected at
    least N spaces)" in a doc block: (index of the line, N) for each line
    of ``texts`` (the texts after ``# ``) indented less than the column at
    which its section's text started on the tag line.

    The rule of those releases: a member, feature or tagged section whose
    text starts on the tag line (``@name: text``, ``Returns: text``) wants
    every later non-blank line indented at least to that text's column; a
    tag alone on its line wants nothing. An unindented line after a blank
    line ends a member or feature description (it starts a plain section);
    in a tagged section it does not. Used to check that a fix on an older
    tree writes nothing its own QEMU rejects; the reading of everything
    else in the block is 10.2's (:func:`read_doc`).
    """
    lines = [text.rstrip() for text in texts]
    errors: list[tuple[int, int]] = []
    if not lines or not lines[0].startswith("@"):
        return errors  # free-form: one plain section
    indent = 0
    described = False  # in a member or feature description
    previous_blank = False
    for index, text in enumerate(lines[1:], start=1):
        word = text.split(" ", 1)[0]
        if word.startswith("@") and word.endswith(":"):
            indent, described = _old_tag_indent(text), True
        elif word in _OLD_TAGS:
            indent, described = _old_tag_indent(text), False
        elif text == FEATURES_LINE or (
            text and described and previous_blank and not text[0].isspace()
        ):
            indent, described = 0, False  # a plain section, or the features
        elif text and indent_of(text) < indent:
            errors.append((index, indent))
        previous_blank = not text
    return errors
