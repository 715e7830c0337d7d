"""Edits and fixes: what a finding proposes to change, and applying edits
to a text in memory. Rules make them (through :mod:`qapilint.lint.rule`,
which re-exports them); the fixer applies them."""

from __future__ import annotations

from typing import Literal

from qapilint.files.records import FrozenRecord
from qapilint.files.text import line_starts, offset
from qapilint.syntax.model import Span

Applicability = Literal["safe", "unsafe", "suggestion"]


class Edit(FrozenRecord):
    """Replace the text of ``span`` by ``text`` (an empty span inserts)."""

    __slots__ = ("span", "text")
    span: Span
    text: str

    def __init__(self, span: Span, text: str) -> None:
        object.__setattr__(self, "span", span)
        object.__setattr__(self, "text", text)


class Fix(FrozenRecord):
    __slots__ = ("applicability", "edits", "late", "message")
    applicability: Applicability
    edits: tuple[Edit, ...]
    message: str  # what the fix does, e.g. "write 'the paused migration'"
    # True for a fix computed from the text around it (a paragraph rewrap):
    # --fix applies it after any fix it overlaps, recomputed in a later round
    late: bool

    def __init__(
        self,
        applicability: Applicability,
        edits: tuple[Edit, ...],
        message: str = "",
        late: bool = False,
    ) -> None:
        object.__setattr__(self, "applicability", applicability)
        object.__setattr__(self, "edits", edits)
        object.__setattr__(self, "message", message)
        object.__setattr__(self, "late", late)

    @classmethod
    def safe(cls, edits: list[Edit], message: str = "") -> Fix:
        return cls("safe", tuple(edits), message)

    @classmethod
    def unsafe(cls, edits: list[Edit], message: str = "") -> Fix:
        return cls("unsafe", tuple(edits), message)

    @classmethod
    def suggestion(cls, edits: list[Edit], message: str = "") -> Fix:
        return cls("suggestion", tuple(edits), message)


class OverlappingEdits(ValueError):
    """Two edits touch the same text."""


def apply_edits(text: str, edits: list[Edit] | tuple[Edit, ...]) -> str:
    """Apply edits to ``text`` (lines joined by "\\n"), in memory.

    Raises :class:`OverlappingEdits` when two edits overlap; two insertions
    at the same place are overlapping too, since their order is ambiguous.
    """
    starts = line_starts(text)
    ranges = sorted(
        (
            offset(starts, edit.span.line, edit.span.col),
            offset(starts, edit.span.end_line, edit.span.end_col),
            edit.text,
        )
        for edit in edits
    )
    pieces: list[str] = []
    cursor = 0
    previous_end = -1
    for start, end, replacement in ranges:
        if start < previous_end or (start == previous_end and start == end and pieces):
            raise OverlappingEdits(f"edits overlap at offset {start}")
        if start < cursor:
            raise OverlappingEdits(f"edits overlap at offset {start}")
        pieces.append(text[cursor:start])
        pieces.append(replacement)
        cursor = end
        previous_end = end
    pieces.append(text[cursor:])
    return "".join(pieces)
