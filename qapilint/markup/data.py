"""What a docutils parse of one rendered block yields, as plain data in rST
coordinates (what the cache keeps)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class RstMessage:
    """A docutils system message: rST line (1-based) and column (0-based,
    -1 when docutils names only the line)."""

    line: int
    col: int
    level: int
    text: str


@dataclass(frozen=True, slots=True)
class RstXref:
    """A cross-reference: the default role (``role`` "") or a named one."""

    line: int
    col: int
    role: str
    target: str
    raw: str


@dataclass(frozen=True, slots=True)
class RstStructure:
    """A definition list item or a block quote: ``line`` is its first
    indented line (the definition, the quote), ``term`` the line of a
    definition list item's term (0 for a block quote); ``in_list``: inside
    a list item."""

    kind: str  # "definition_list" or "block_quote"
    line: int
    term: int
    in_list: bool


@dataclass(slots=True)
class RstFacts:
    messages: list[RstMessage] = field(default_factory=list)
    xrefs: list[RstXref] = field(default_factory=list)
    structures: list[RstStructure] = field(default_factory=list)
