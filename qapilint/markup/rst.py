"""What docutils says about a rendered doc block, cached.

The rST of one block is parsed with docutils' own parser: nothing is
written to stderr, no file is read (``include`` and ``raw`` are off), and
every system message is collected instead of printed. Sphinx's roles and
directives, QEMU's ``qapi`` domain roles and its ``qmp-example`` directive
are known for the parse (and only for it: docutils' registries are
restored afterwards, so a Sphinx build in the same process is left
alone).

What a parse yields is plain data in rST coordinates (:class:`RstFacts`):
the system messages, with the rST line and column of the markup they are
about, and the cross-references (the default role, ```Name```, and the
roles ``:any:``, ``:qapi:*:``, ``:doc:`` and ``:ref:``). It depends only
on the rST text, so it is cached by a hash of that text: in memory, and
as one small JSON file per block in the user's cache folder.

docutils is imported only when a block is parsed, so a run that selects
no ``M`` rule never imports it.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
from dataclasses import asdict
from functools import cache

from qapilint.files.cachedir import cache_folder, write_atomically
from qapilint.markup.data import RstFacts, RstMessage, RstStructure, RstXref

CACHE_FORMAT = 2  # bump when what is cached changes


# --------------------------------------------------------------------------
# The cache

_MEMORY: dict[str, RstFacts] = {}


@cache
def _docutils_version() -> str:
    """docutils' version, read without importing it (a warm run never does)."""
    from importlib import metadata  # noqa: PLC0415 - a fifth of start-up, needed only here

    try:
        return metadata.version("docutils")
    except metadata.PackageNotFoundError:
        return "?"


@cache
def _code_version() -> str:
    """A hash of the code whose results are cached (the parse and its data),
    so that a changed qapilint never reads an older one's results."""
    digest = hashlib.sha256(str(CACHE_FORMAT).encode())
    for name in ("parser.py", "data.py"):
        with contextlib.suppress(OSError), open(os.path.join(_HERE, name), "rb") as handle:
            digest.update(handle.read())
    return digest.hexdigest()[:16]


_HERE = os.path.dirname(os.path.abspath(__file__))


def _key(text: str) -> str:
    seed = f"{_code_version()}\0{_docutils_version()}\0{text}"
    return hashlib.sha256(seed.encode("utf-8")).hexdigest()


def _disk_path(key: str) -> str | None:
    folder = cache_folder()
    return os.path.join(folder, "markup", key[:2], key[2:] + ".json") if folder else None


def _load(key: str) -> RstFacts | None:
    path = _disk_path(key)
    if path is None:
        return None
    try:
        with open(path, encoding="utf-8") as handle:
            data = json.load(handle)
        return RstFacts(
            [RstMessage(**item) for item in data["messages"]],
            [RstXref(**item) for item in data["xrefs"]],
            [RstStructure(**item) for item in data["structures"]],
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _save(key: str, facts: RstFacts) -> None:
    path = _disk_path(key)
    if path is None:
        return
    with contextlib.suppress(OSError):
        os.makedirs(os.path.dirname(path), exist_ok=True)
    data = {
        "messages": [asdict(item) for item in facts.messages],
        "xrefs": [asdict(item) for item in facts.xrefs],
        "structures": [asdict(item) for item in facts.structures],
    }
    write_atomically(path, json.dumps(data).encode("utf-8"))


def facts(text: str, lines: list[str]) -> RstFacts:
    """What docutils says about the rST ``text`` (whose lines are
    ``lines``): from memory, else from the cache folder, else parsed."""
    key = _key(text)
    found = _MEMORY.get(key)
    if found is None:
        found = _load(key)
        if found is None:
            from qapilint.markup.parser import parse  # noqa: PLC0415 - imports docutils

            found = parse(text, lines)
            _save(key, found)
        _MEMORY[key] = found
    return found
