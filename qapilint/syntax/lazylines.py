"""A doc block's lines, and its sections' text lines, made when asked for.

Held for the whole run, the lines of every doc block (a :class:`DocLine`
per line with its text, a :class:`TextLine` per line of each section with
its indent cut off) take more memory than the rest of the schema. Rules
read them one block at a time, so a doc block keeps only what it takes to
make them again: its module (``Doc.source``, whose lines are made from its
text in turn, see :class:`~qapilint.syntax.model.Module`), and for each
section the range of the block's lines it covers and the indent each of
them loses (``Section.start``, ``end``, ``first_cut``, ``cut``).

Until asked for, a block's ``lines`` (and each of its sections') is an
:class:`Unmade` stand-in. The first read of the stand-in makes the real
list and puts it in its place, so every further read is a plain attribute
read of a list; :func:`forget_block_views` (the engine calls it when it
moves on from a block) puts the stand-ins back. Code outside the engine
just keeps the lists it made.

Lines given explicitly (``Doc(span, lines)``, ``Section(..., lines)``) are
never dropped: there is nothing to make them again from.
"""

from __future__ import annotations

import weakref
from collections.abc import Iterator
from typing import Any

from qapilint.syntax.blockviews import forget_with_block_views
from qapilint.syntax.model import (
    Doc,
    DocLine,
    Section,
    TextLine,
    line_numbers,
    new_object,
    new_tuple,
)

# the docs and sections whose lines a reader outside the engine's block
# loop made since the engine last moved on (weakly: a schema dropped in
# between must not be kept)
_MADE: list[weakref.ref[Doc | Section]] = []


class Unmade:
    """Stands in a doc's or section's ``lines`` until they are read; reads
    like the list (iteration, length, truth, indexing, ``index``, ``in``,
    equality), making it on the first use."""

    __slots__ = ("owner",)
    owner: Doc | Section  # (set by unmake, which makes every stand-in)

    def made(self) -> list[Any]:
        """The owner's lines, made now unless another stand-in of the same
        owner (held by a caller across a forget) made them already."""
        owner = self.owner
        lines = owner.lines
        if isinstance(lines, Unmade):
            lines = _made_doc_lines(owner) if isinstance(owner, Doc) else _made_section_lines(owner)
            owner.lines = lines
            _MADE.append(weakref.ref(owner))
        return lines

    def __iter__(self) -> Iterator[Any]:
        return iter(self.made())

    def __len__(self) -> int:
        return len(self.made())

    def __bool__(self) -> bool:
        return bool(self.made())

    def __getitem__(self, index: Any) -> Any:
        return self.made()[index]

    def __contains__(self, item: object) -> bool:
        return item in self.made()

    def __reversed__(self) -> Iterator[Any]:
        return iter(self.made()[::-1])

    def __eq__(self, other: object) -> bool:
        return self.made() == (other.made() if isinstance(other, Unmade) else other)

    __hash__ = None  # type: ignore[assignment] # like the list it stands for

    def index(self, item: object, *bounds: int) -> int:
        return self.made().index(item, *bounds)

    def count(self, item: object) -> int:
        return self.made().count(item)

    def __repr__(self) -> str:
        return repr(self.made())


def unmake(owner: Doc | Section) -> None:
    """Drop ``owner``'s lines (which must be makeable again: a doc with a
    ``source``, a section of a doc) for a stand-in."""
    stand_in = new_object(Unmade)  # (no __init__ call: one per section per block)
    stand_in.owner = owner
    owner.lines = stand_in  # type: ignore[assignment] # reads like the list


def unmake_doc(doc: Doc) -> None:
    """Drop the lines of ``doc`` when they can be made again (its
    sections' lines stand unmade from the moment the doc is read)."""
    if doc.source is not None:
        unmake(doc)


# the blocks make_block_lines made lines of, since the engine last moved on
_MADE_BLOCKS: list[Doc] = []


def make_block_lines(doc: Doc) -> None:
    """Make the lines of ``doc`` and of each of its sections now, in one
    call rather than one per section: the engine enters a block whose
    rules will read them all."""
    # (the type is list only for the rules' eyes: see unmake)
    doc_lines = doc.lines
    if type(doc_lines) is Unmade:  # type: ignore[comparison-overlap]
        doc_lines = doc.lines = _made_doc_lines(doc)
    for section in doc.sections:
        if type(section.lines) is Unmade:  # type: ignore[comparison-overlap]
            section.lines = _made_section_lines(section)
    _MADE_BLOCKS.append(doc)


def _forget_made() -> None:
    for held in _MADE:
        owner = held()
        if owner is not None:
            unmake(owner)
    _MADE.clear()
    for doc in _MADE_BLOCKS:
        unmake_doc(doc)
        for section in doc.sections:
            if section.doc is not None:  # (not one made with its lines)
                unmake(section)
    _MADE_BLOCKS.clear()


forget_with_block_views(_forget_made)


def doc_lines_between(file_lines: list[str], first: int, last: int) -> list[DocLine]:
    """The doc lines of a block whose content stands on file lines
    ``first`` to ``last`` (1-based, inclusive; ``file_lines`` has no line
    ends): every line but the blank ones, each line's text taken after its
    "#" and the one space that follows."""
    made: list[DocLine] = []
    append = made.append
    numbers = line_numbers(last)[first : last + 1]
    for number, piece in zip(numbers, file_lines[first - 1 : last], strict=True):
        if piece[:2] == "# ":  # most lines: "# text" from column 1
            append(new_tuple(DocLine, (number, piece, piece[2:], 3)))
        elif piece == "#":  # and the blank ones
            append(new_tuple(DocLine, (number, piece, "", 2)))
        elif comment := piece.lstrip():
            append(doc_line_of(number, piece, comment, len(piece) - len(comment) + 1))
    return made


def doc_line_of(number: int, raw: str, comment: str, col: int) -> DocLine:
    """The doc line of file line ``raw``, whose "#" (``comment`` on) is at
    column ``col``."""
    if comment == "#":
        return new_tuple(DocLine, (number, raw, "", col + 1))
    if comment[1] != " ":
        return new_tuple(DocLine, (number, raw, comment[1:], col + 1))
    return new_tuple(DocLine, (number, raw, comment[2:], col + 2))


def _made_doc_lines(doc: Doc) -> list[DocLine]:
    assert doc.source is not None, "only a doc with a source stands unmade"
    source = doc.source.lines
    first, last = doc.span.line + 1, doc.span.end_line - 1
    if not doc.regular:
        return doc_lines_between(source, first, last)
    # doc_line_of(number, piece, piece, 1), inlined: one per line of the block
    return [
        new_tuple(DocLine, (number, piece, piece[2:], 3))
        if piece != "#"
        else new_tuple(DocLine, (number, piece, "", 2))
        for number, piece in zip(
            line_numbers(last)[first : last + 1], source[first - 1 : last], strict=True
        )
    ]


def _made_section_lines(section: Section) -> list[TextLine]:
    """The section's lines of its doc, each with its text as QEMU reads it
    (trailing whitespace removed) less the indent it loses."""
    doc = section.doc
    assert doc is not None, "only a section of a doc stands unmade"
    doc_lines = doc.lines
    index, end, cut = section.start, section.end, section.cut
    made: list[TextLine] = []
    if section.first_cut >= 0:  # the text after the tag on its line
        line, _, text, col = doc_lines[index]
        lost = section.first_cut
        made.append(new_tuple(TextLine, (line, col + lost, text.rstrip()[lost:])))
        index += 1
    # (a tuple's fields by index: no attribute lookup per line)
    if not cut:
        made += [
            new_tuple(TextLine, (doc_line[0], doc_line[3], doc_line[2].rstrip()))
            for doc_line in doc_lines[index:end]
        ]
        return made
    append = made.append
    for doc_line in doc_lines[index:end]:
        text = doc_line[2].rstrip()
        if text[:cut].isspace():  # indented at least ``cut``: loses that
            append(new_tuple(TextLine, (doc_line[0], doc_line[3] + cut, text[cut:])))
        else:  # blank, or the de-indented line QEMU rejects: loses its indent
            lost = len(text) - len(text.lstrip())
            append(new_tuple(TextLine, (doc_line[0], doc_line[3] + lost, text[lost:])))
    return made
