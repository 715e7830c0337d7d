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


@dataclass(slots=True)
class RstFacts:
    messages: list[RstMessage] = field(default_factory=list)
    xrefs: list[RstXref] = field(default_factory=list)
