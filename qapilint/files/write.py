"""Replacing a file in one step: the one atomic writer.

The new content goes to a temporary file in the same folder, is flushed to
disk, gets the permissions asked for and is renamed over the target, so a
reader sees the old file or the new one, never half of one.
"""

from __future__ import annotations

import contextlib
import os


def replace_file(path: str | os.PathLike[str], data: bytes, mode: int | None = None) -> None:
    """Write ``data`` to ``path`` atomically; raises :class:`OSError` (and
    leaves no temporary file behind) when it cannot."""
    import tempfile  # noqa: PLC0415 - only when writing: runs that write nothing skip it

    folder = os.path.dirname(os.fspath(path)) or "."
    name = os.path.basename(os.fspath(path))
    handle, temporary = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
            stream.flush()
            os.fsync(stream.fileno())
        if mode is not None:
            os.chmod(temporary, mode)
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(temporary)
        raise
