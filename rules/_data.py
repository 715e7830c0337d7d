"""The rules' data files: TOML next to the rule modules, read on first use.

What a file holds is kept in the user's cache folder as marshal data,
checked against the file's size and modification time, so a run reads
it without importing :mod:`tomllib` or parsing TOML (together a tenth of
a warm check's start-up); a missing, stale or damaged copy is made anew.

Not a rule module (the leading underscore keeps the engine from loading it).
"""

from __future__ import annotations

import contextlib
import marshal
import os
from typing import Any

from qapilint.files.cachedir import cache_folder, installation_tag, write_atomically

FORMAT = 1
_HERE = os.path.dirname(os.path.abspath(__file__))


def load_toml(name: str) -> dict[str, Any]:
    """The contents of data file ``name`` of this package."""
    path = os.path.join(_HERE, name)
    status = os.stat(path)
    stamp = (FORMAT, path, status.st_size, status.st_mtime_ns)
    folder = cache_folder()
    # (a copy per installation: two sharing one would remake it in turn)
    copy_name = f"data-{name}-{installation_tag(_HERE)}.marshal"
    copy = os.path.join(folder, copy_name) if folder is not None else None
    if copy is not None:
        with contextlib.suppress(OSError, EOFError, ValueError, TypeError), open(copy, "rb") as f:
            stored = marshal.load(f)
            if isinstance(stored, tuple) and len(stored) == 2 and stored[0] == stamp:
                return dict(stored[1])
    import tomllib  # noqa: PLC0415 - see the module docstring

    with open(path, "rb") as stream:
        data = tomllib.load(stream)
    if copy is not None:
        with contextlib.suppress(ValueError):  # a value marshal cannot hold: no copy
            write_atomically(copy, marshal.dumps((stamp, data)))
    return data
