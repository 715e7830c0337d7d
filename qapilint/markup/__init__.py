"""Markup as QEMU renders it: a doc block turned into the rST of QEMU's
doc generator (:mod:`.render`), parsed with docutils (:mod:`.rst`), its
messages and cross-references placed back in the ``.json`` file; and the
QMP messages of its examples (:mod:`.examples`).

Importing this package does not import docutils: only asking for
:func:`rst_messages` or :func:`xrefs` of a block that is in no cache
does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any, TypeVar, cast

from qapilint.files.records import FrozenRecord
from qapilint.syntax.model import Doc, Span

if TYPE_CHECKING:
    from qapilint.markup.render import Rendered
    from qapilint.markup.rst import RstFacts

T = TypeVar("T")


# records, neither dataclasses nor named tuples: both write and compile
# source for each class, which every run's import would pay (a run whose
# markup rules read only examples makes none of these)


class PlacedMessage(FrozenRecord):
    """A docutils system message at its place in the file."""

    __slots__ = ("after_literal_marker", "level", "span", "text")
    span: Span
    level: int
    text: str
    after_literal_marker: bool  # the rST line before it ends with "::"

    def __init__(self, span: Span, level: int, text: str, after_literal_marker: bool) -> None:
        object.__setattr__(self, "span", span)
        object.__setattr__(self, "level", level)
        object.__setattr__(self, "text", text)
        object.__setattr__(self, "after_literal_marker", after_literal_marker)


class PlacedXref(FrozenRecord):
    """A cross-reference at its place in the file."""

    __slots__ = ("raw", "role", "span", "target")
    span: Span
    role: str  # "" for the default role
    target: str
    raw: str

    def __init__(self, span: Span, role: str, target: str, raw: str) -> None:
        object.__setattr__(self, "span", span)
        object.__setattr__(self, "role", role)
        object.__setattr__(self, "target", target)
        object.__setattr__(self, "raw", raw)


def _span(rendered: Rendered, line: int, col: int, length: int) -> Span | None:
    if col < 0:
        index = min(line, len(rendered.lines)) - 1
        while index > 0 and not rendered.lines[index]:
            index -= 1
        text = rendered.lines[index] if index >= 0 else ""
        indent = len(text) - len(text.lstrip(" "))
        start = rendered.position(index + 1, indent)
        end = rendered.position(index + 1, max(len(text), indent + 1))
    else:
        start = rendered.position(line, col)
        end = rendered.position(line, col + max(length, 1))
    if start is None or end is None:
        return None
    if end[0] != start[0] or end[1] <= start[1]:
        end = (start[0], start[1] + max(length, 1))
    return Span(start[0], start[1], end[0], end[1])


# The engine runs every doc rule on one block before the next: the last
# block's rendering and placed facts serve all the M rules that ask
_LAST: dict[str, tuple[Doc, Any]] = {}


def _last(kind: str, doc: Doc, make: Callable[[Doc], T]) -> T:
    found = _LAST.get(kind)
    if found is not None and found[0] is doc:
        return cast(T, found[1])
    value = make(doc)
    _LAST[kind] = (doc, value)
    return value


def rendering(doc: Doc) -> Rendered:
    """``doc`` as rST (the last block's is remembered)."""
    # imported on first use, as is .rst below: a run whose only markup
    # rule reads examples (M120, on by default) needs neither
    from qapilint.markup.render import render  # noqa: PLC0415

    return _last("rendered", doc, render)


def _facts(rendered: Rendered) -> RstFacts:
    from qapilint.markup.rst import facts  # noqa: PLC0415 - see rendering()

    return facts(rendered.text, rendered.lines)


def rst_messages(doc: Doc) -> list[PlacedMessage]:
    """docutils' system messages about ``doc``'s rST, in the file."""
    return _last("messages", doc, _rst_messages)


def _rst_messages(doc: Doc) -> list[PlacedMessage]:
    rendered = rendering(doc)
    found = _facts(rendered)
    placed: list[PlacedMessage] = []
    for message in found.messages:
        span = _span(rendered, message.line, message.col, 1 if message.col >= 0 else 0)
        if span is None:
            continue
        before = rendered.lines[message.line - 2] if 1 < message.line <= len(rendered.lines) else ""
        placed.append(
            PlacedMessage(span, message.level, message.text, before.rstrip().endswith("::"))
        )
    return placed


class PlacedStructure(FrozenRecord):
    """A definition list item or a block quote that docutils made of a
    block, at its first indented line in the file (from its indent to the
    line's end)."""

    __slots__ = ("after_blank", "after_literal_marker", "in_list", "kind", "span", "term")
    span: Span
    kind: str  # "definition_list" or "block_quote"
    term: str  # a definition list item's term line (rST), "" for a quote
    in_list: bool  # inside a list item
    after_blank: bool  # the rST line before it is blank
    after_literal_marker: bool  # the last text line before it ends with "::"

    def __init__(  # noqa: PLR0917 - the fields, in order
        self,
        span: Span,
        kind: str,
        term: str,
        in_list: bool,
        after_blank: bool,
        after_literal_marker: bool,
    ) -> None:
        object.__setattr__(self, "span", span)
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "term", term)
        object.__setattr__(self, "in_list", in_list)
        object.__setattr__(self, "after_blank", after_blank)
        object.__setattr__(self, "after_literal_marker", after_literal_marker)


def structures(doc: Doc) -> list[PlacedStructure]:
    """The definition lists and block quotes of ``doc``'s rST, in the file."""
    return _last("structures", doc, _structures)


def _structures(doc: Doc) -> list[PlacedStructure]:
    rendered = rendering(doc)
    found = _facts(rendered)
    placed: list[PlacedStructure] = []
    for item in found.structures:
        if not 1 <= item.line <= len(rendered.lines):
            continue
        text = rendered.lines[item.line - 1]
        indent = len(text) - len(text.lstrip(" "))
        span = _span(rendered, item.line, indent, max(len(text) - indent, 1))
        if span is None or rendered.origins[item.line - 1] is None:
            continue
        before = rendered.lines[: item.line - 1]
        last_text = next((line for line in reversed(before) if line.strip()), "")
        term = rendered.lines[item.term - 1] if 1 <= item.term <= len(rendered.lines) else ""
        placed.append(
            PlacedStructure(
                span,
                item.kind,
                term,
                item.in_list,
                not before or not before[-1].strip(),
                last_text.rstrip().endswith("::"),
            )
        )
    return placed


def xrefs(doc: Doc) -> list[PlacedXref]:
    """The cross-references of ``doc``'s rST, in the file."""
    return _last("xrefs", doc, _xrefs)


def _xrefs(doc: Doc) -> list[PlacedXref]:
    rendered = rendering(doc)
    found = _facts(rendered)
    placed: list[PlacedXref] = []
    for xref in found.xrefs:
        span = _span(rendered, xref.line, xref.col, len(xref.raw.split("\n", 1)[0]))
        if span is not None:
            placed.append(PlacedXref(span, xref.role, xref.target, xref.raw))
    return placed


# What kind of problem a docutils message is about, by its text
MESSAGE_KINDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    ("inline", ("Inline ",)),
    ("unknown", ("Unknown interpreted text role", "Unknown directive type")),
    ("table", ("Malformed table", "Error parsing content block for the")),
    ("literal", ("Blank line missing before literal block", "Literal block expected")),
    (
        "title",
        (
            "Title underline too short",
            "Title overline too short",
            "Title overline & underline mismatch",
            "Missing matching underline for section title overline",
            "Incomplete section title",
        ),
    ),
    (
        "indentation",
        ("Unexpected indentation", "ends without a blank line", "Unexpected section title"),
    ),
)


def message_kind(message: PlacedMessage) -> str:
    """``inline`` (unclosed inline markup), ``unknown`` (role or
    directive), ``table``, ``literal`` (a literal block without its blank
    line), ``title`` (a malformed section title), ``indentation``, or
    ``other``."""
    if message.after_literal_marker and message.text.startswith("Unexpected indentation"):
        return "literal"
    for kind, starts in MESSAGE_KINDS:
        if any(start in message.text for start in starts):
            return kind
    return "other"
