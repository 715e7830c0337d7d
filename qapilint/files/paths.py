"""Resolved paths, each worked out once per run.

A check resolves the same few dozen paths hundreds of times (each module
as it is included, planned, reported and de-duplicated across roots);
``Path.resolve`` asks the file system about every component each time.
Nothing in a run makes or moves symbolic links, so one answer per path
stands for the run; :func:`qapilint.lint.check.run_check` forgets them
when it starts.
"""

from __future__ import annotations

import functools
from pathlib import Path


@functools.lru_cache(maxsize=8192)
def resolved(path: Path) -> Path:
    """``path.resolve()``, remembered; raises as it does (not remembered)."""
    return path.resolve()
