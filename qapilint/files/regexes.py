"""Regular expressions compiled once per installation, not once per run.

Python compiles a pattern in Python code (:mod:`re`'s parser and code
generator), and qapilint's patterns (the fast path's master pattern, the
doc line vocabulary, the phrase lists of the wording rules) took a
twentieth of a whole check doing it at every start. What the compiler
makes of a pattern is a list of integers for the regular expression
engine; :func:`pattern` keeps that list in the user's cache folder and,
on the next run, hands it to the engine directly.

The stored form belongs to one build of Python (the file is named after
its version and the engine's format number), and the engine checks any
code it is given, so a stale or damaged file can only cost a compile. On
a Python whose :mod:`re` internals differ from those this module knows,
:func:`pattern` is :func:`re.compile` and nothing is stored.
"""

from __future__ import annotations

import contextlib
import importlib
import marshal
import os
import re
import sys
from array import array
from typing import Any, AnyStr

from qapilint.files.cachedir import cache_folder, write_atomically

try:  # the engine and the compiler's two halves: CPython's, not a public API
    _sre: Any = importlib.import_module("_sre")
    _compiler: Any = importlib.import_module("re._compiler")
    _parser: Any = importlib.import_module("re._parser")
    _FILE_NAME: str | None = (
        f"regexes-{sys.implementation.cache_tag}-{sys.hexversion:x}-{_sre.MAGIC}.marshal"
        if array("I").itemsize == _sre.CODESIZE  # the words kept as bytes
        else None
    )
except ImportError:  # pragma: no cover - another Python
    _FILE_NAME = None

# what the compiler made of a pattern: its flags, its code (as bytes of
# 32-bit words), its group count, and its group names both ways
_Compiled = tuple[int, bytes, int, dict[str, int], tuple[str | None, ...]]
_Key = tuple[str | bytes, int]

# the stored compilations not asked for yet in this run (each is dropped
# once used: held, the table would double what the patterns take); None
# until first read
_stored: dict[_Key, _Compiled] | None = None
# compilations made in this run, for save()
_fresh: dict[_Key, _Compiled] = {}
# the patterns made in this run, by source and flags
_made: dict[_Key, Any] = {}
_MOST_MADE = 512  # (re.compile's own bound)
# at most this many stored patterns (options name their own phrases: each
# set a user tries would add some)
_MOST = 1000


def pattern(source: AnyStr, flags: int = 0) -> re.Pattern[AnyStr]:
    """``re.compile(source, flags)``, from the stored compilation where
    there is one; like it, the same object for the same pattern again."""
    key = (source, int(flags))
    made: re.Pattern[AnyStr] | None = _made.get(key)
    if made is None:
        made = _made[key] = _new_pattern(source, key)
        if len(_made) > _MOST_MADE:  # (as re does: forget the oldest)
            del _made[next(iter(_made))]
    return made


def _new_pattern(source: AnyStr, key: _Key) -> re.Pattern[AnyStr]:
    if _FILE_NAME is None:  # pragma: no cover - another Python
        return re.compile(source, key[1])
    compiled = _stored_table().pop(key, None)
    if compiled is not None:
        with contextlib.suppress(Exception):  # damaged: the engine refuses it
            return _engine_pattern(source, compiled)
    try:
        compiled = _compile(source, key[1])
    except Exception:  # internals that moved (or a bad pattern): as re.compile does
        return re.compile(source, key[1])
    _fresh[key] = compiled
    return _engine_pattern(source, compiled)


def save() -> None:
    """Store this run's new compilations beside those stored before
    (nothing is written when there are none)."""
    if not _fresh or _FILE_NAME is None:
        return
    folder = cache_folder()
    if folder is None:
        return
    path = os.path.join(folder, _FILE_NAME)
    table = _read(path)
    if len(table) + len(_fresh) > _MOST:
        table = {}
    table.update(_fresh)
    with contextlib.suppress(ValueError):
        write_atomically(path, marshal.dumps(table))
    _fresh.clear()


def _stored_table() -> dict[_Key, _Compiled]:
    global _stored  # noqa: PLW0603 - the table is read once, on first use
    if _stored is None:
        folder = cache_folder()
        assert _FILE_NAME is not None
        _stored = _read(os.path.join(folder, _FILE_NAME)) if folder is not None else {}
    return _stored


def _read(path: str) -> dict[_Key, _Compiled]:
    with contextlib.suppress(OSError, EOFError, ValueError, TypeError), open(path, "rb") as file:
        table = marshal.loads(file.read())
        if isinstance(table, dict):
            return table
    return {}


def _compile(source: str | bytes, flags: int) -> _Compiled:
    """What :func:`re.compile` hands the engine for ``source``."""
    parsed = _parser.parse(source, flags)
    code = _compiler._code(parsed, flags)
    state = parsed.state
    indexgroup: list[str | None] = [None] * state.groups
    for name, index in state.groupdict.items():
        indexgroup[index] = name
    words = array("I", code).tobytes()
    return flags | state.flags, words, state.groups - 1, dict(state.groupdict), tuple(indexgroup)


def _engine_pattern(source: AnyStr, compiled: _Compiled) -> re.Pattern[AnyStr]:
    flags, words, groups, groupindex, indexgroup = compiled
    code: Any = array("I", words).tolist()
    made: re.Pattern[AnyStr] = _sre.compile(source, flags, code, groups, groupindex, indexgroup)
    return made
