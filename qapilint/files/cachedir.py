"""qapilint's folder in the user's cache (``$XDG_CACHE_HOME/qapilint``).

It holds lark's analysis of the grammar, the fast path's tables, the rule
index, the compiled regular expressions and more (each module that keeps
something there says what); all are rebuilt when missing, stale or
corrupt, so the folder can be deleted at any time.
"""

from __future__ import annotations

import contextlib
import os
import zlib

from qapilint.files.write import replace_file


def cache_folder() -> str | None:
    """The folder, made if need be; None when there is none (the caches
    are then skipped). A folder that exists but cannot be written (on a
    read-only file system, shared by a CI image) is still read: current
    caches in it are used, and one made anew is simply not written."""
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = os.path.join(base, "qapilint")
    with contextlib.suppress(OSError):
        os.makedirs(folder, exist_ok=True)
    return folder if os.path.isdir(folder) else None


def write_atomically(path: str, data: bytes) -> None:
    """Replace ``path`` in one step (never a half-written cache); a cache
    that cannot be written is simply not written."""
    with contextlib.suppress(OSError):
        replace_file(path, data)


def installation_tag(*folders: str) -> str:
    """A short name for where an installation's files are (``folders``),
    for the caches made from those files: installations sharing a cache
    folder (a checkout installed for editing and pre-commit's own
    environment, say) then keep one copy each, where with one between
    them each would find the other's stale on every run and make it anew."""
    where = os.pathsep.join(folders).encode("utf-8", "surrogateescape")
    return f"{zlib.crc32(where):08x}"
