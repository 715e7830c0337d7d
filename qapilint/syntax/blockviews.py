"""Views derived from one doc block, kept only while its rules run.

Several rules read the same derived views of a doc block (its line
facts, each line's class, each section's prose view), so each view is
made once and held in a :class:`BlockViews` map keyed by the block or
section. Held for the whole run, these views would double the memory a
doc block takes; the engine runs a block's rules in a row, so it calls
:func:`forget_block_views` when it moves on to the next block. A view
asked for again later (by a definition or schema rule) is simply made
again.
"""

from __future__ import annotations

import weakref
from collections.abc import Callable
from typing import TypeVar

Key = TypeVar("Key")
View = TypeVar("View")

# what forget_block_views empties: each map's dict, and each one-entry
# cache's list
_FORGET: list[Callable[[], None]] = []


class BlockViews(weakref.WeakKeyDictionary[Key, View]):
    """A weak map from a doc block (or a section of one) to a view made of
    it, emptied by :func:`forget_block_views`. Weak, so that a view never
    keeps a schema alive outside a check."""

    def __init__(self) -> None:
        super().__init__()
        # the plain dict under the weak map (its attribute "data", which
        # typeshed does not declare): emptying it is one call, where the
        # clear the weak map inherits pops item by item
        _FORGET.append(vars(self)["data"].clear)


def forget_with_block_views(clear: Callable[[], None]) -> None:
    """Have :func:`forget_block_views` also call ``clear`` (which empties
    a cache of the block asked about last)."""
    _FORGET.append(clear)


def forget_block_views() -> None:
    """Drop every view held of every doc block: the engine is done with
    the block whose rules just ran."""
    for forget in _FORGET:
        forget()
