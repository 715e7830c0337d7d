"""Safe rewrapping of doc comment paragraphs, and QEMU's sentence spacing.

Everything here is a pure function over the texts of one doc block's lines
(what follows ``# `` on each line, ``""`` for a bare ``#``), indexed from 0.
Nothing reads files or the model, so rules and :mod:`qapilint.fix.fixer` can both
use it and tests can drive it with plain lists of strings.

A reflow only moves line breaks and the spaces around them; the words of
the paragraph, their order and the paragraph's section never change. It
refuses (and says why) wherever a line break could change what the text
means to QEMU's parser or to rST: literal blocks, ``qmp-example`` bodies,
QMP transcripts, tables, headings, directives other than admonitions, and
old ``Example:`` sections are never touched, and no rewrapped line may
start with something that would open a section, a list or markup.
"""

from __future__ import annotations

import re

from qapilint.files.records import FrozenRecord
from qapilint.fix.edits import Edit, Fix
from qapilint.syntax.doclines import (
    FEATURES_LINE,
    QEMU_LINE_LIMIT,
    admonition,
    doc_texts,
    indent_of,
    is_section_start,
    is_url_line,
    line_length,
    list_item,
    literal_flags,
    may_start_rewrapped_line,
    member_match,
    opens_literal,
    opens_paragraph,
    protected_lines,
    section_prefix,
    single_spaces,
    start_prefix,
)
from qapilint.syntax.model import DocLine, Span

QEMU_WIDTH = QEMU_LINE_LIMIT


def fits(text: str, width: int = QEMU_WIDTH) -> bool:
    """Whether a doc line's text is within ``width`` columns as QEMU counts
    them, or is a bare URL (which QEMU exempts)."""
    text = text.rstrip()
    return line_length(text) <= width or is_url_line(text)


# --------------------------------------------------------------------------
# Sentence spacing


# left to ``re`` to compile on first use: most runs rewrap nothing, and
# compiling costs more than the matching
_GLUE_BEFORE = r"\(?[Ss]ince:?$"
_VERSION_WORD = r"\d+(\.\d+)+\)?[.,;:)]*$"


def single_space_columns(text: str) -> list[int]:
    """Offsets into ``text`` of each single space QEMU 10.2 wants doubled
    (a sentence end followed by one space and an uppercase letter, digit
    or "("; "e.g." and a leading list number excepted)."""
    return list(single_spaces(text))


def fix_sentence_spacing(text: str) -> str:
    """``text`` with two spaces wherever QEMU's sentence check wants them."""
    for _ in range(len(text)):
        columns = single_space_columns(text)
        if not columns:
            break
        for offset in reversed(columns):
            text = text[:offset] + " " + text[offset:]
    return text


# --------------------------------------------------------------------------
# What may be touched


def qemu_literal(texts: list[str]) -> list[bool]:
    """Per line: is it exempt from QEMU's line checks (its literal mode)?"""
    return literal_flags(texts)


# --------------------------------------------------------------------------
# Paragraphs


class Paragraph(FrozenRecord):
    """Lines ``start``..``end`` (exclusive) of a doc block forming one
    paragraph: the first begins with ``prefix`` (indent plus a tag or list
    marker), the others with ``indent`` spaces."""

    __slots__ = ("end", "indent", "prefix", "start")
    start: int
    end: int
    prefix: str
    indent: int

    def __init__(self, start: int, end: int, prefix: str, indent: int) -> None:
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "end", end)
        object.__setattr__(self, "prefix", prefix)
        object.__setattr__(self, "indent", indent)


def find_paragraph(texts: list[str], index: int) -> Paragraph | str:
    """The reflowable paragraph holding line ``index``, or why there is none."""
    texts = [text.rstrip() for text in texts]
    protected = protected_lines(texts)
    if not texts[index].strip():
        return "blank line"
    if protected[index]:
        return "inside a literal block, example, table, heading or directive"
    start = index
    while start > 0 and not opens_paragraph(texts[start]):
        above = texts[start - 1]
        if not above.strip() or protected[start - 1]:
            break
        above_prefix = start_prefix(above)
        if above_prefix is not None:
            if above_prefix.strip() and len(above_prefix) < len(above):
                start -= 1
            break
        if above.rstrip() == FEATURES_LINE or indent_of(above) != indent_of(texts[start]):
            break
        start -= 1
    first = texts[start]
    prefix = start_prefix(first)
    if first.rstrip() == FEATURES_LINE:
        return "a Features: line"
    if prefix is None:
        prefix = " " * indent_of(first)
    if len(prefix) >= len(first):
        return "a tag with no text"
    following = texts[start + 1] if start + 1 < len(texts) else ""
    continues = bool(following.strip()) and not protected[start + 1]
    continues = continues and not opens_paragraph(following)
    if section_prefix(first) is not None or admonition(first):
        indent = indent_of(following) if continues else 0
        if indent <= indent_of(first):
            indent = indent_of(first) + (4 if section_prefix(first) else 3)
    elif list_item(first):
        indent = len(prefix)
    else:
        indent = len(prefix)
    end = start + 1
    while end < len(texts):
        text = texts[end]
        if not text.strip() or protected[end] or opens_paragraph(text):
            break
        if indent_of(text) != indent:
            break
        end += 1
    if not start <= index < end:
        return "indentation does not follow one paragraph"
    after = texts[end] if end < len(texts) else ""
    if after.strip() and indent_of(after) > indent and not opens_paragraph(after):
        return "followed by a more indented block (definition list or quote)"
    if prefix == " " * indent and start > 0:
        above = texts[start - 1]
        plain_above = start_prefix(above) is None and above.rstrip() != FEATURES_LINE
        if above.strip() and not protected[start - 1] and indent_of(above) < indent and plain_above:
            return "body of a definition list or quote"
    return Paragraph(start, end, prefix, indent)


# --------------------------------------------------------------------------
# Rewrapping


class _Word(FrozenRecord):
    __slots__ = ("gap", "text")
    text: str
    gap: str | None  # the spaces before it on its line; None: it began a line

    def __init__(self, text: str, gap: str | None) -> None:
        object.__setattr__(self, "text", text)
        object.__setattr__(self, "gap", gap)


def _words(body: str) -> list[_Word]:
    words: list[_Word] = []
    for match in re.finditer(r"( *)(\S+)", body):
        gap = match.group(1) if words else None
        words.append(_Word(match.group(2), gap))
    return words


def _render(prefix: str, words: list[_Word]) -> str:
    parts = [prefix]
    for position, word in enumerate(words):
        if position:
            parts.append(word.gap if word.gap else " ")
        parts.append(word.text)
    return fix_sentence_spacing("".join(parts))


def _may_start_line(word: str, indent: int, strict: bool) -> bool:
    """Whether a rewrapped line may start with ``word``. At column 0 an
    ``@ref`` is allowed only when not ``strict`` and without a colon (QEMU
    reads a line matching ``@...:`` there as a new description)."""
    if not may_start_rewrapped_line(word):
        return False
    if indent == 0 and word.startswith("@"):
        return not strict and ":" not in word
    return True


def _glued(before: str, word: str) -> bool:
    """Words a person would not separate, like "(since" and "9.1)"."""
    return bool(re.match(_GLUE_BEFORE, before) and re.match(_VERSION_WORD, word))


def _split(prefix: str, words: list[_Word], indent: int, width: int, strict: bool) -> int | None:
    """Where to break ``words`` so the first part fits: the largest count of
    words kept, or None if no allowed break fits."""
    for keep in range(len(words) - 1, 0, -1):
        if not _may_start_line(words[keep].text, indent, strict):
            continue
        if _glued(words[keep - 1].text, words[keep].text):
            continue
        if fits(_render(prefix, words[:keep]), width):
            return keep
    return None


TOO_LONG_WORD = "a word too long to fit on a line"


def _fill(
    prefix: str, words: list[_Word], indent: int, width: int, strict: bool
) -> tuple[str, list[_Word]] | None:
    """The first line made of ``words`` and the words left for the next;
    None when no allowed break makes the line fit."""
    rendered = _render(prefix, words)
    if fits(rendered, width):
        return rendered, []
    keep = _split(prefix, words, indent, width, strict)
    if keep is None:
        return None
    return _render(prefix, words[:keep]), words[keep:]


def rewrap(
    texts: list[str], paragraph: Paragraph, width: int = QEMU_WIDTH, strict: bool = False
) -> list[str] | str:
    """New texts for the paragraph's lines, every one within ``width``.

    Lines are kept as they are until the first that is too long; from there
    on, words that do not fit move to the start of the next line, as a
    person would edit it, so the change stays small. Returns why not when
    some word cannot be placed.
    """
    continuation = " " * paragraph.indent
    bodies = []
    for offset, index in enumerate(range(paragraph.start, paragraph.end)):
        text = texts[index].rstrip()
        prefix = paragraph.prefix if offset == 0 else continuation
        bodies.append((prefix, _words(text[len(prefix) :])))
    result: list[str] = []
    carry: list[_Word] = []
    for offset, (prefix, line_words) in enumerate(bodies):
        words = line_words
        original = texts[paragraph.start + offset].rstrip()
        if not carry and fits(original, width):
            result.append(original)
            continue
        if carry:
            words = [*carry, _Word(words[0].text, None), *words[1:]]
        placed = _fill(prefix, words, paragraph.indent, width, strict)
        if placed is None:
            return TOO_LONG_WORD
        line, carry = placed
        result.append(line)
    while carry:
        placed = _fill(continuation, carry, paragraph.indent, width, strict)
        if placed is None:
            return TOO_LONG_WORD
        line, carry = placed
        result.append(line)
    old = set(texts[paragraph.start : paragraph.end])
    if not strict and any(member_match(line) and line not in old for line in result[1:]):
        return rewrap(texts, paragraph, width, strict=True)
    return result


class Replacement(FrozenRecord):
    """Replace doc lines ``start``..``end`` (exclusive) by ``texts``."""

    __slots__ = ("end", "start", "texts")
    start: int
    end: int
    texts: tuple[str, ...]

    def __init__(self, start: int, end: int, texts: tuple[str, ...]) -> None:
        object.__setattr__(self, "start", start)
        object.__setattr__(self, "end", end)
        object.__setattr__(self, "texts", texts)


def _trimmed(old: list[str], new: list[str], start: int) -> Replacement | None:
    """The smallest replacement turning ``old`` (starting at ``start``) into ``new``."""
    head = 0
    while head < min(len(old), len(new)) and old[head].rstrip() == new[head]:
        head += 1
    tail = 0
    while (
        tail < min(len(old), len(new)) - head
        and old[len(old) - 1 - tail].rstrip() == new[len(new) - 1 - tail]
    ):
        tail += 1
    if head == len(old) == len(new):
        return None
    return Replacement(start + head, start + len(old) - tail, tuple(new[head : len(new) - tail]))


def reflow_at(texts: list[str], index: int, width: int = QEMU_WIDTH) -> Replacement | str:
    """The replacement that brings line ``index`` (and the rest of its
    paragraph) within ``width`` columns, or why it cannot be done safely."""
    paragraph = find_paragraph(texts, index)
    if isinstance(paragraph, str):
        return paragraph
    new = rewrap(texts, paragraph, width)
    if isinstance(new, str):
        return new
    old = [text.rstrip() for text in texts[paragraph.start : paragraph.end]]
    if " ".join(" ".join(old).split()) != " ".join(" ".join(new).split()):
        return "rewrapping would change the text"  # a bug guard: never expected
    replacement = _trimmed(old, new, paragraph.start)
    return replacement if replacement is not None else "already within the limit"


# --------------------------------------------------------------------------
# "Paragraph::" literal blocks QEMU does not exempt


def split_literal_intro(texts: list[str], index: int, width: int = QEMU_WIDTH) -> Replacement | str:
    """For a long line ``index`` in the literal block that a ``Paragraph::``
    introduces: turn ``Paragraph::`` into ``Paragraph:``, a blank line and
    ``::`` (rST renders both the same), if QEMU then exempts the block."""
    texts = [text.rstrip() for text in texts]
    intro = None
    for above in range(index - 1, -1, -1):
        text = texts[above]
        if not text:
            continue
        if text.endswith("::") and indent_of(text) < indent_of(texts[index]):
            intro = above
            break
        if indent_of(text) <= indent_of(texts[index]) and indent_of(text) == 0:
            break
    if intro is None:
        return "not in a literal block"
    text = texts[intro]
    if opens_literal(text.rstrip()) or text.lstrip().startswith(".."):
        return "the literal block's directive cannot be split"
    # "::" goes at the indent of the paragraph that introduced the block
    literal_indent = next((indent_of(t) for t in texts[intro + 1 :] if t), 0)
    item = list_item(text)
    if item:
        indent = len(item.group(0))
    elif is_section_start(text):
        indent = 0
        for later in texts[intro + 1 :]:
            if later and indent_of(later) < literal_indent:
                indent = indent_of(later)
                break
        if indent == 0:
            indent = 4
    else:
        indent = indent_of(text)
    if indent >= literal_indent:
        return "the literal block is not indented enough to split its introduction"
    shortened = text[:-3] if text.endswith(" ::") else text[:-1]
    if is_section_start(shortened) and not is_section_start(text):
        return f"'{text.strip()}' would become a '{shortened.strip()}' section"
    new = [*texts[:intro], shortened, "", " " * indent + "::", *texts[intro + 1 :]]
    literal = qemu_literal(new)
    moved = index + 2
    block = moved
    while block < len(new) and (not new[block] or indent_of(new[block]) > indent):
        if new[block] and not literal[block] and not fits(new[block], width):
            return "QEMU would still check the block"
        block += 1
    if not literal[moved]:
        return "QEMU would still check the block"
    return Replacement(intro, intro + 1, (shortened, "", " " * indent + "::"))


# --------------------------------------------------------------------------
# As edits of a doc block's file lines


def replacement_edit(lines: list[DocLine], replacement: Replacement) -> Edit:
    """The file edit for ``replacement`` of the doc block made of ``lines``.

    New lines get the comment prefix of the first replaced line ("# ", or
    a bare "#" for an empty line)."""
    first = lines[replacement.start]
    prefix = first.raw[: first.col - 1]
    if not prefix.endswith(" "):
        prefix += " "
    new = "\n".join((prefix + text) if text else prefix.rstrip() for text in replacement.texts)
    if replacement.end > replacement.start:
        last = lines[replacement.end - 1]
        span = Span(first.line, 1, last.line, len(last.raw) + 1)
        return Edit(span, new)
    return Edit(Span(first.line, 1, first.line, 1), new + "\n")


def line_length_fix(lines: list[DocLine], index: int, width: int = QEMU_WIDTH) -> Fix | str:
    """A safe fix for doc line ``index`` (0-based in ``lines``) being too
    long: rewrap its paragraph, or split the ``Paragraph::`` introducing
    its literal block. Returns why not when neither is safe."""
    texts = doc_texts(lines)
    replacement = reflow_at(texts, index, width)
    if isinstance(replacement, Replacement):
        return Fix.safe([replacement_edit(lines, replacement)], "rewrap the paragraph").replace(
            late=True
        )
    split = split_literal_intro(texts, index, width)
    if isinstance(split, Replacement):
        return Fix.safe([replacement_edit(lines, split)], "split 'Paragraph::' into ':' and '::'")
    return replacement


def sentence_spacing_fix(
    lines: list[DocLine], index: int, offset: int, width: int = QEMU_WIDTH
) -> Fix:
    """The safe fix for a single space at ``offset`` (into the text of doc
    line ``index``) where QEMU wants two: insert one, and if that pushes the
    line past ``width``, rewrap its paragraph with every sentence gap
    doubled, so the fix creates no new over-long line."""
    line = lines[index]
    text = line.text.rstrip()
    insert = Fix.safe([Edit(Span.at(line.line, line.col + offset, 0), " ")], "insert a space")
    if fits(text[:offset] + " " + text[offset:], width) or not fits(text, width):
        return insert
    texts = doc_texts(lines)
    texts[index] = fix_sentence_spacing(text)
    replacement = reflow_at(texts, index, width)
    if not isinstance(replacement, Replacement) or not (
        replacement.start <= index < replacement.end
    ):
        return insert
    rewrap = Fix.safe([replacement_edit(lines, replacement)], "insert a space and rewrap")
    return rewrap.replace(late=True)
