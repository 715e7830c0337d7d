"""The prose view of a doc section: which characters are prose.

:func:`prose_view` reads a section's text as light rST and masks, with
:data:`ProseView.MASK`, everything a prose rule must not read:

* ``@name`` references (``ref``), ````literals```` (``literal``),
  ```Name``` references, roles such as ``:qapi:type:`X``` and URLs
  (``xref``);
* literal blocks after a paragraph ending in ``::`` or a bare ``::`` line,
  and the bodies of ``code-block`` and similar directives
  (``literal_block``);
* ``.. qmp-example::`` bodies and bare QMP transcripts (``-> {`` ...)
  (``example``); an ``:annotated:`` example's body is read as rST, since
  it holds prose around its literal blocks;
* rST markup: directive lines, comments, option and field markers, list
  bullets, emphasis stars, heading underlines, table borders and the
  ``::`` ending a paragraph (``markup``).

Admonition bodies (``.. note::`` and friends) stay prose. Newlines are
never masked, so ``view.text`` has the same lines as the section.
Indentation is compared by file column, so a member description's tag
line and its continuation lines line up as they do in the file.
"""

from __future__ import annotations

import re
from itertools import accumulate

from qapilint.files import regexes
from qapilint.syntax.blockviews import BlockViews
from qapilint.syntax.model import (
    ProseView,
    Section,
    Segment,
    SegmentKind,
    TextLine,
    new_tuple,
)

ADMONITIONS = frozenset(
    {
        "admonition",
        "attention",
        "caution",
        "danger",
        "deprecated",
        "error",
        "hint",
        "important",
        "note",
        "seealso",
        "tip",
        "versionadded",
        "versionchanged",
        "warning",
    }
)
CODE_DIRECTIVES = frozenset({"code", "code-block", "sourcecode", "parsed-literal", "highlight"})
QMP_EXAMPLE = "qmp-example"
ANNOTATED = ":annotated:"

_KINDS: tuple[SegmentKind, ...] = (
    "prose",
    "ref",
    "literal",
    "xref",
    "literal_block",
    "example",
    "markup",
)
_CODE = {kind: index for index, kind in enumerate(_KINDS)}
_KIND_NAMED: dict[str, SegmentKind] = {kind: kind for kind in _KINDS}  # _INLINE's group names
# the runs of one kind in _Painter.codes ("(.)\1*" is many times slower)
_RUNS = regexes.pattern(b"|".join(re.escape(bytes((code,))) + b"+" for code in _CODE.values()))

_DIRECTIVE = regexes.pattern(r"\.\.[ ]+([A-Za-z0-9][\w:+.-]*?)[ ]*::")
_INLINE = regexes.pattern(
    r"(?P<literal>``.+?``)"
    r"|(?P<xref>(?::[\w:.+-]+:)?`[^`]+`(?::[\w:.+-]+:)?_{0,2}"
    r"|\b(?:https?|ftp)://[^\s<>`]*[^\s<>`.,;:)'\"])"
    r"|(?P<ref>@[\w-]+)"
    r"|(?P<markup>\*\*(?=\S)|(?<=\S)\*\*|(?<![\w*])\*(?=[^\s*])|(?<=[^\s*])\*(?![\w*]))",
    re.DOTALL,
)
# where an _INLINE match can begin: its alternatives' first characters
_INLINE_START = regexes.pattern(r"[`:@*]|\b(?:https?|ftp)://")
_LINE_MARKUP = regexes.pattern(
    r"[ \t]*(?:[-*+\u2022]|\d+[.)]|\(\d+\)|#\.|[a-z][.)])(?=[ \t]+\S)"  # list bullet
    r"|[ \t]*:[^:\s][^:]*:(?=[ \t]|$)"  # field or option marker
)
_TRANSCRIPT = regexes.pattern(r"[ \t]*(?:(?:->|<-)(?:[ \t]|$)|\{[ \t]*\")")
_ADORNMENT = regexes.pattern(r"[ \t]*([=\-~^\"'`#*+<>_:.])\1{2,}[ \t]*$")
_TABLE_BORDER = regexes.pattern(r"[ \t]*(?:\+[-=+]+\+|=+(?:[ \t]+=+)+)[ \t]*$")
# Where the painter can mask anything, something here matches (most doc
# sections hold none, and their view is their text): what _INLINE_START,
# _DIRECTIVE and an explicit markup line (".."), a paragraph ending "::",
# _TRANSCRIPT, _ADORNMENT, _TABLE_BORDER and _LINE_MARKUP cannot match
# without. Keep it in step with them (tests/test_prose_shortcuts.py checks).
_MAY_MASK = regexes.pattern(
    r"[`:@*{\u2022]|->|<-|\.\.|\+[-=+]|=[ \t]"
    r"|([-=~^\"'#+<>_.])\1\1"
    r"|^[ \t]*(?:[-+]|\d+[.)]|\(\d+\)|#\.|[a-z][.)])(?=[ \t]+\S)",
    re.MULTILINE,
)
# what a line needs to start with (after blanks and tabs) for _TRANSCRIPT,
# _ADORNMENT, _TABLE_BORDER or _LINE_MARKUP to match it: most lines start
# with a word, and one look spares the four
_MARKED_LINE = regexes.pattern(r"[ \t]*(?:[^\w\s]|[\d_]|[a-z][.)])")


class _Painter:
    """Classifies a section's characters, then builds the view."""

    def __init__(
        self, lines: list[TextLine], texts: list[str] | None = None, source: str | None = None
    ) -> None:
        """``texts``: the lines' texts and ``source``, those joined by "\\n",
        when the caller has them."""
        self.lines = lines
        self.texts = texts = [line.text for line in lines] if texts is None else texts
        self.source = "\n".join(texts) if source is None else source
        self.codes = bytearray(len(self.source))  # 0: prose
        # each line's offset in source, and its indent (a blank line's is its length)
        self.starts = list(accumulate([len(text) + 1 for text in texts[:-1]], initial=0))
        self.indents = [len(text) - len(text.lstrip()) for text in texts]
        # whether _TRANSCRIPT, _ADORNMENT, _TABLE_BORDER or _LINE_MARKUP may
        # match a line, found when first asked: lines of blocks never are
        self.marked: list[bool | None] = [None] * len(texts)

    # ---- helpers

    def column(self, index: int) -> int:
        """File column of line ``index``'s first non-blank character."""
        return self.lines[index].col + self.indents[index]

    def is_marked(self, index: int) -> bool:
        marked = self.marked[index]
        if marked is None:
            marked = self.marked[index] = _MARKED_LINE.match(self.texts[index]) is not None
        return marked

    def blank(self, index: int) -> bool:
        return self.indents[index] == len(self.texts[index])

    def paint(self, start: int, end: int, kind: SegmentKind) -> None:
        if end > start:
            self.codes[start:end] = bytes((_CODE[kind],)) * (end - start)

    def paint_lines(self, first: int, last: int, kind: SegmentKind) -> None:
        """Lines ``first`` up to (not including) ``last``, leading blank
        lines left out."""
        while first < last and self.blank(first):
            first += 1
        if last > first:
            end = self.starts[last - 1] + len(self.texts[last - 1])
            self.paint(self.starts[first], end, kind)

    def block_end(self, index: int, column: int) -> int:
        """First line from ``index`` that is not blank and not indented past
        file column ``column`` (trailing blank lines excluded)."""
        lines, texts, indents = self.lines, self.texts, self.indents
        end = index
        last_text = index
        while end < len(texts):
            indent = indents[end]
            if indent != len(texts[end]):  # not blank
                if lines[end].col + indent <= column:
                    break
                last_text = end + 1
            end += 1
        return max(last_text, index)

    # ---- blocks

    def run(self) -> ProseView:
        count = len(self.texts)
        index = 0
        literal_after: int | None = None  # column of a paragraph that ended "::"
        while index < count:
            if self.blank(index):
                index += 1
                continue
            column = self.column(index)
            if literal_after is not None:
                intro, literal_after = literal_after, None
                if column > intro:
                    end = self.block_end(index, intro)
                    self.paint_lines(index, end, "literal_block")
                    index = end
                    continue
            stripped = self.texts[index].lstrip()
            if stripped.startswith(".. ") or stripped == "..":
                index = self.explicit_markup(index, column)
            else:
                end = self.paragraph_end(index)
                transcript = self.transcript_start(index, end)
                if transcript > index:
                    literal_after = self.paragraph(index, transcript)
                self.paint_lines(transcript, end, "example")
                index = end
        return self.view()

    def paragraph_end(self, index: int) -> int:
        while index < len(self.texts) and not self.blank(index):
            index += 1
        return index

    def transcript_start(self, first: int, last: int) -> int:
        """The first line of a bare QMP transcript (``-> {``, ``<- {``, ``{ "``) in
        the paragraph ``first``..``last``; ``last`` if it has none. Old
        trees put these in ``Example:`` sections, without literal markup."""
        for index in range(first, last):
            if self.is_marked(index) and _TRANSCRIPT.match(self.texts[index]):
                return index
        return last

    def explicit_markup(self, index: int, column: int) -> int:
        """A directive, comment or target starting at line ``index``; returns
        the line to continue from."""
        text = self.texts[index]
        start = self.starts[index]
        lead = self.indents[index]
        found = _DIRECTIVE.match(text, lead)
        end = self.block_end(index + 1, column)
        if found is None:  # comment, hyperlink target, substitution
            self.paint_lines(index, end, "markup")
            return end
        name = found.group(1).lower()
        self.paint(start + lead, start + found.end(), "markup")
        argument = (start + found.end(), start + len(text))
        if name in ADMONITIONS:
            self.inline(*argument)
            return index + 1
        if name == QMP_EXAMPLE:
            body, annotated = self.options(index + 1, end)
            if not annotated:
                self.paint_lines(body, end, "example")
                return end
            return body
        self.paint(*argument, "markup")
        self.paint_lines(index + 1, end, "literal_block" if name in CODE_DIRECTIVES else "markup")
        return end

    def options(self, index: int, end: int) -> tuple[int, bool]:
        """Option lines (``:name: value``) right after a directive line: the
        names are masked, values stay prose. Returns the first body line and
        whether ``:annotated:`` was among them."""
        annotated = False
        while index < end and self.texts[index].lstrip().startswith(":"):
            text = self.texts[index]
            marker = _LINE_MARKUP.match(text)
            if marker is None:
                break
            start = self.starts[index]
            self.paint(start + self.indents[index], start + marker.end(), "markup")
            self.inline(start + marker.end(), start + len(text))
            annotated = annotated or text.strip() == ANNOTATED
            index += 1
        return index, annotated

    def paragraph(self, first: int, last: int) -> int | None:
        """A prose paragraph; returns the column literal blocks after it must
        pass when it ends with ``::``."""
        for index in range(first, last):
            if not self.is_marked(index):
                continue
            text = self.texts[index]
            start = self.starts[index]
            if _ADORNMENT.match(text) or _TABLE_BORDER.match(text):
                self.paint(start, start + len(text), "markup")
                continue
            marker = _LINE_MARKUP.match(text)
            if marker is not None:
                self.paint(start + self.indents[index], start + marker.end(), "markup")
        self.inline(self.starts[first], self.starts[last - 1] + len(self.texts[last - 1]))
        tail = self.texts[last - 1].rstrip()
        if not tail.endswith("::"):
            return None
        end = self.starts[last - 1] + len(tail)
        if self.codes[end - 1] == _CODE["prose"]:
            self.paint(end - 2, end, "markup")
        return self.column(last - 1)

    # ---- inline markup

    def inline(self, start: int, end: int) -> None:
        """Paint the inline markup between ``start`` and ``end``: what
        ``_INLINE.finditer`` finds, tried only where a match can begin (the
        one-pass search tries the whole pattern at every position)."""
        codes = self.codes
        prose = _CODE["prose"]
        source = self.source
        resume = start  # where the last match ended: matches never overlap
        for candidate in _INLINE_START.finditer(source, start, end):
            at = candidate.start()
            if at < resume:
                continue
            found = _INLINE.match(source, at, end)
            if found is None:
                continue
            resume = found.end()
            kind = found.lastgroup
            assert kind is not None
            if codes[at] == prose:
                self.paint(at, resume, _KIND_NAMED[kind])

    # ---- result

    def view(self) -> ProseView:
        source = self.source
        codes = self.codes
        if codes.count(0) == len(codes):  # nothing masked
            return _all_prose(source, self.lines)
        segments: list[Segment] = []
        pieces: list[str] = []
        for run in _RUNS.finditer(codes):
            start, end = run.span()
            kind = _KINDS[codes[start]]
            segments.append(new_tuple(Segment, (kind, start, end)))
            part = source[start:end]
            pieces.append(part if kind == "prose" else _masked(part))
        return ProseView(source, "".join(pieces), segments, self.lines)


def _masked(text: str) -> str:
    """``text`` masked, its newlines kept."""
    if text.isascii():
        return text.encode("ascii").translate(_MASK_ASCII).decode("ascii")
    return "\n".join([ProseView.MASK * len(line) for line in text.split("\n")])


# every ASCII byte but "\n" to ProseView.MASK (bytes.translate reads a
# table; str.translate looks each character up in a mapping)
_MASK_ASCII = bytes(byte if byte == ord("\n") else ord(ProseView.MASK) for byte in range(256))


def prose_view(section: Section) -> ProseView:
    """The prose view of ``section``: its text with everything that is not
    prose masked, and the runs of each kind as segments."""
    texts = [line.text for line in section.lines]
    source = "\n".join(texts)
    if _MAY_MASK.search(source) is None:
        return _all_prose(source, section.lines)
    return _Painter(section.lines, texts, source).run()


def _all_prose(source: str, lines: list[TextLine]) -> ProseView:
    """The view of a text with nothing to mask: the text itself."""
    segments = [Segment("prose", 0, len(source))] if source else []
    return ProseView(source, source, segments, lines)


_VIEWS: BlockViews[Section, ProseView] = BlockViews()


def prose_of(section: Section) -> ProseView:
    """:func:`prose_view` of ``section``, made once: several rules read it.
    Held until the engine moves on (:mod:`qapilint.syntax.blockviews`)."""
    view = _VIEWS.get(section)
    if view is None:
        view = _VIEWS[section] = prose_view(section)
    return view
