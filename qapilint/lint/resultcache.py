"""The findings cache: a check's findings kept for its next identical run.

The second run of a pre-commit hook, an editor asking again, CI re-running
a job: most checks see exactly what the last one saw. Like ruff's cache,
this one remembers the result and the inputs it came from, and a run whose
inputs are all unchanged reads the findings instead of parsing and running
rules.

An entry is found by a **key** over everything known before loading a
schema: qapilint's version and the identity (size, modification time) of
every file of its code and of its built-in rules, the plugin rule modules
and the installed docutils, Sphinx and lark; the command line's selection
(paths, ``--select``, ``--ignore``, ``--preview``, ``--fail-on``, tree
root); the configuration file's content; and the plan (which roots, which
modules reported, each root's tree), which a new or removed schema file
changes. The entry then lists every other file the result was read from —
each module and include, missing ones too, and each tree's ``VERSION`` —
with a digest of its content as it was read; it is used only when every
one of them still has that content.

Entries live in ``$XDG_CACHE_HOME/qapilint/findings/``, one file per key,
written atomically; an entry that cannot be read, is of another format or
is stale is ignored and replaced by the run that follows. Only a plain
``check`` uses the cache (not ``--fix``, ``--diff-base``, ``--staged`` or
``--baseline``); ``--no-cache`` skips it.
"""

from __future__ import annotations

import contextlib
import importlib
import marshal
import os
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from qapilint import __version__
from qapilint.files.cachedir import cache_folder, write_atomically
from qapilint.files.records import Record
from qapilint.files.text import decode
from qapilint.fix.edits import Edit, Fix
from qapilint.lint.rule import Finding, Rule
from qapilint.lint.ruleindex import PACKAGE as RULES_PACKAGE
from qapilint.lint.ruleindex import Deferred
from qapilint.syntax.model import Span

try:  # CPython's own module: hashlib's import would cost a check 5 ms
    from _blake2 import blake2b
except ImportError:  # pragma: no cover - another interpreter
    from hashlib import blake2b

FORMAT = 1
FOLDER = "findings"
MOST_ENTRIES = 256  # beyond this, writing an entry removes the oldest ones
# installed packages whose version may change findings
DISTRIBUTIONS = ("docutils", "sphinx", "lark")

Digest = bytes | None  # a file content's digest; None: the file could not be read


def digest(data: bytes) -> bytes:
    return blake2b(data, digest_size=16).digest()


def file_digest(path: Path | str) -> Digest:
    try:
        with open(path, "rb") as handle:
            return digest(handle.read())
    except OSError:
        return None


class Hit(Record):
    """A current entry: its findings, the warnings its run added, and the
    lines of each file with findings (for showing the source)."""

    __slots__ = ("findings", "sources", "warnings")

    def __init__(
        self, findings: list[Finding], warnings: list[str], sources: dict[Path, list[str]]
    ) -> None:
        self.findings = findings
        self.warnings = warnings
        self.sources = sources


class FindingsCache:
    """The entry of one run's key; :meth:`lookup` before, :meth:`store` after."""

    def __init__(self, key: bytes, folder: str) -> None:
        self.path = os.path.join(folder, key.hex())
        self.key = key

    @classmethod
    def open(cls, parts: Iterable[object]) -> FindingsCache | None:
        """The cache for a run described by ``parts`` (see the module's
        documentation); None when there is no cache folder."""
        base = cache_folder()
        if base is None:
            return None
        folder = os.path.join(base, FOLDER)
        with contextlib.suppress(OSError):
            os.makedirs(folder, exist_ok=True)
        if not os.path.isdir(folder):
            return None
        key = digest(repr((FORMAT, __version__, code_identity(), *parts)).encode())
        return cls(key, folder)

    def lookup(self) -> Hit | None:
        try:
            with open(self.path, "rb") as handle:
                loaded = marshal.loads(handle.read())
            form, key, inputs, findings, warnings = loaded
            if form != FORMAT or key != self.key:
                return None
            read: dict[str, bytes] = {}
            for path, expected in inputs:
                data = _read(path)
                if (digest(data) if data is not None else None) != expected:
                    return None
                if data is not None:
                    read[path] = data
            made = [_finding(record) for record in findings]
            return Hit(made, list(warnings), _sources(made, read))
        except (OSError, EOFError, ValueError, TypeError, IndexError):
            return None  # missing, corrupt or of another shape: run and rewrite

    def store(
        self, inputs: Mapping[Path, Digest], findings: Sequence[Finding], warnings: Sequence[str]
    ) -> None:
        entry = (
            FORMAT,
            self.key,
            sorted((str(path), found) for path, found in inputs.items()),
            [_record(finding) for finding in findings],
            list(warnings),
        )
        write_atomically(self.path, marshal.dumps(entry))
        _prune(os.path.dirname(self.path))


def _read(path: str) -> bytes | None:
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except OSError:
        return None


def _sources(findings: list[Finding], read: Mapping[str, bytes]) -> dict[Path, list[str]]:
    """Each flagged file's lines, as the parser splits them."""
    sources: dict[Path, list[str]] = {}
    for finding in findings:
        path = finding.path
        if path is None or path in sources or str(path) not in read:
            continue
        sources[path] = decode(read[str(path)]).text.split("\n")
    return sources


def _prune(folder: str) -> None:
    """At most :data:`MOST_ENTRIES` entries: the least recently written go."""
    with contextlib.suppress(OSError):
        entries = list(os.scandir(folder))
        if len(entries) <= MOST_ENTRIES:
            return
        entries.sort(key=lambda entry: entry.stat().st_mtime_ns)
        for entry in entries[: len(entries) - MOST_ENTRIES]:
            with contextlib.suppress(OSError):
                os.unlink(entry.path)


# --------------------------------------------------------------------------
# What the key knows of the program


def code_identity() -> list[tuple[str, int, int]]:
    """Size and modification time of every file of qapilint's code, its
    built-in rules and its data: an edited checkout (an editable install)
    must not read results an older version of its code made."""
    import qapilint  # noqa: PLC0415 - the package's own folder

    found: list[tuple[str, int, int]] = []
    for package in (qapilint, importlib.import_module(RULES_PACKAGE)):
        for folder in package.__path__:
            _walk_code(folder, found)
    return found


def _walk_code(folder: str, found: list[tuple[str, int, int]]) -> None:
    with contextlib.suppress(OSError), os.scandir(folder) as entries:
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                if entry.name != "__pycache__":
                    _walk_code(entry.path, found)
            elif not entry.name.endswith(".pyc"):
                status = entry.stat()
                found.append((entry.path, status.st_size, status.st_mtime_ns))


def rules_identity(rules: Iterable[Rule]) -> list[tuple[str, str, int, int]]:
    """Each plugin rule's code and its module file's identity (built-in
    rules are covered by :func:`code_identity`)."""
    found = []
    for each in rules:
        if isinstance(each.function, Deferred):
            continue  # built in
        name = getattr(each.function, "__module__", "") or ""
        module = sys.modules.get(name)
        path = getattr(module, "__file__", None)
        if path is None or name.startswith("qapilint."):
            continue
        with contextlib.suppress(OSError):
            status = os.stat(path)
            found.append((each.code, path, status.st_size, status.st_mtime_ns))
    return found


def distributions() -> list[str]:
    """The installed versions (``.dist-info`` folder names) of the
    packages in :data:`DISTRIBUTIONS`, read without importing them."""
    prefixes = tuple(f"{name}-" for name in DISTRIBUTIONS)
    found = []
    for entry in sys.path:
        with contextlib.suppress(OSError), os.scandir(entry or ".") as entries:
            found += [
                e.name
                for e in entries
                if e.name.lower().startswith(prefixes) and e.name.endswith(".dist-info")
            ]
    return sorted(found)


# --------------------------------------------------------------------------
# Findings as plain data (marshal reads it back fast and runs no code)


def _record(finding: Finding) -> tuple[Any, ...]:
    fix = finding.fix
    fix_record = (
        None
        if fix is None
        else (
            fix.applicability,
            [(tuple(edit.span), edit.text) for edit in fix.edits],
            fix.message,
            fix.late,
        )
    )
    return (
        tuple(finding.span),
        finding.message,
        fix_record,
        finding.symbol,
        finding.member,
        finding.anchor_line,
        None if finding.path is None else str(finding.path),
        finding.code,
        finding.name,
        finding.severity,
    )


def _finding(record: tuple[Any, ...]) -> Finding:
    span, message, fix_record, symbol, member, anchor, path, code, name, severity = record
    fix = None
    if fix_record is not None:
        applicability, edits, fix_message, late = fix_record
        fix = Fix(
            applicability,
            tuple(Edit(Span(*where), text) for where, text in edits),
            fix_message,
            late,
        )
    return Finding(
        Span(*span),
        message,
        fix,
        symbol,
        member,
        anchor,
        None if path is None else Path(path),
        code,
        name,
        severity,
    )
