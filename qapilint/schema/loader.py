"""A root schema file and everything it includes -> :class:`~qapilint.schema.root.Schema`.

Reads like QEMU: an include path is relative to the including file; each
file is read once however often it is included; an include that leads back
to a file still being read is a loop. Pragmas and the symbol table follow
QEMU's reading order (an included file's content takes the place of its
include directive). An include that resolves outside the tree is reported
and never opened.
"""

from __future__ import annotations

import errno
import gc
import os
import stat
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from operator import attrgetter
from pathlib import Path

from qapilint.files.paths import resolved
from qapilint.schema.root import Pragmas, Schema
from qapilint.syntax.model import Definition, Include, Module, Pragma, Problem
from qapilint.syntax.parse import parse_module, pragma_values, sharing_strings

MAX_FILE_SIZE = 64 * 1024 * 1024  # QEMU's whole schema is under 1 MB


class SchemaReadError(Exception):
    """The root schema file cannot be read; ``str()`` is one line for stderr."""

    def __init__(self, path: Path, reason: str) -> None:
        super().__init__(f"can't read schema file '{path}': {reason}")
        self.path = path
        self.reason = reason


def _reason(error: OSError) -> str:
    return error.strerror or type(error).__name__


def read_schema_file(path: Path) -> bytes:
    """One file's bytes; :class:`OSError` when it cannot be read, is not a
    regular file (a FIFO would block) or is larger than any schema."""
    status = path.stat()
    if stat.S_ISDIR(status.st_mode):
        raise IsADirectoryError(errno.EISDIR, os.strerror(errno.EISDIR), str(path))
    if not stat.S_ISREG(status.st_mode):
        raise OSError(errno.EINVAL, "not a regular file", str(path))
    if status.st_size > MAX_FILE_SIZE:
        raise OSError(errno.EFBIG, f"file too large ({status.st_size} bytes)", str(path))
    return path.read_bytes()


def read_module(path: Path) -> Module:
    """Parse one file; :class:`OSError` as :func:`read_schema_file` raises it."""
    return parse_module(path, read_schema_file(path))


Recorder = Callable[[Path, "bytes | None"], None]  # a file read (its bytes, None: unreadable)


def _recording_reader(record: Recorder) -> Callable[[Path], Module]:
    def read(path: Path) -> Module:
        try:
            data = read_schema_file(path)
        except OSError:
            record(path, None)
            raise
        record(path, data)
        return parse_module(path, data)

    return read


def load_schema(
    root: Path,
    tree_root: Path,
    overlay: Mapping[Path, str] | None = None,
    parsed: Mapping[Path, Module] | None = None,
    record: Recorder | None = None,
) -> Schema:
    """Read ``root`` and its includes. Raises :class:`SchemaReadError` when
    ``root`` itself cannot be read; every other problem lands in a module.

    ``overlay`` maps resolved paths to texts read instead of those files on
    disk (the rounds of a fix happen in memory). ``parsed`` maps resolved
    paths to modules parsed from the very same bytes elsewhere (another
    tree): those are reused, named by the path read, not parsed again.
    ``record`` is told of every file read from disk (the findings cache
    keeps a digest of each) and of every one that could not be read."""
    if overlay:
        reader = _overlay_reader(overlay)
    else:
        reader = read_module if record is None else _recording_reader(record)
    if parsed:
        reader = _parsed_reader(parsed, reader)
    with sharing_strings():  # the modules share their equal strings
        try:
            with _gc_paused():
                root_module = reader(root)
        except OSError as error:
            raise SchemaReadError(root, _reason(error)) from error
        schema = Schema(root=root, tree_root=tree_root)
        with _gc_paused():
            _Loader(schema, tree_root, reader).run(root_module)
    return schema


def _parsed_reader(
    parsed: Mapping[Path, Module], otherwise: Callable[[Path], Module]
) -> Callable[[Path], Module]:
    def read(path: Path) -> Module:
        found = parsed.get(resolved(path))
        if found is None:
            return otherwise(path)
        return found.renamed(path)

    return read


def _overlay_reader(overlay: Mapping[Path, str]) -> Callable[[Path], Module]:
    def read(path: Path) -> Module:
        text = overlay.get(resolved(path))
        if text is None:
            return read_module(path)
        return parse_module(path, text.encode("utf-8"))

    return read


@contextmanager
def _gc_paused() -> Iterator[None]:
    """Parsing allocates many small objects and frees none: the cyclic
    garbage collector's passes over them are pure cost (about 10%)."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class _Loader:
    def __init__(self, schema: Schema, tree_root: Path, reader: Callable[[Path], Module]) -> None:
        self.schema = schema
        self.tree_root = tree_root
        self.reader = reader
        try:
            self.tree_real = resolved(tree_root)
        except OSError:
            self.tree_real = tree_root.absolute()
        self.read: set[Path] = set()

    def run(self, root_module: Module) -> None:
        """Depth first, in source order, without recursion."""
        self.read.add(_identity(root_module.path))
        self.schema.modules.append(root_module)
        stack: list[tuple[Module, Iterator[Include | Pragma | Definition]]] = [
            (root_module, _events(root_module))
        ]
        chain: list[Path] = [_identity(root_module.path)]
        while stack:
            module, events = stack[-1]
            event = next(events, None)
            if event is None:
                stack.pop()
                chain.pop()
            elif isinstance(event, Definition):
                if event.name:
                    self.schema.definitions.setdefault(event.name, event)
            elif isinstance(event, Pragma):
                _apply_pragma(self.schema.pragmas, event)
            else:
                included = self.include(module, event, chain)
                if included is not None:
                    self.schema.modules.append(included)
                    stack.append((included, _events(included)))
                    chain.append(_identity(included.path))

    def include(self, module: Module, include: Include, chain: list[Path]) -> Module | None:
        # lexically normalised, as QEMU's os.path.abspath() does
        target = Path(os.path.normpath(module.path.parent / include.target))
        try:
            real = identity = resolved(target)
        except (OSError, RuntimeError):  # symlink loop
            real = target.absolute()
            identity = Path(os.path.normpath(real))
        if not real.is_relative_to(self.tree_real):
            self.problem(
                module,
                "include-outside",
                include,
                f"include file '{_short(include.target)}' is outside the source tree; not read",
            )
            return None
        if identity in chain:
            self.problem(
                module, "include-loop", include, f"inclusion loop for {_short(include.target)}"
            )
            return None
        if identity in self.read:
            return None
        try:
            included = self.reader(target)
        except OSError as error:
            self.problem(
                module,
                "include-read",
                include,
                f"can't read include file '{_short(self.shown(target))}': {_reason(error)}",
            )
            return None
        self.read.add(identity)
        return included

    def problem(self, module: Module, kind: str, include: Include, message: str) -> None:
        """A problem found while loading, kept in the schema (the parsed
        module is not changed)."""
        problem = Problem(kind, include.span, message, include.span.line)
        self.schema.load_problems.setdefault(module.path, []).append(problem)

    def shown(self, target: Path) -> str:
        """The path in messages: relative to the tree root where possible."""
        path = Path(os.path.normpath(target.absolute()))
        try:
            return str(path.relative_to(self.tree_real))
        except ValueError:
            try:
                return str(path.relative_to(Path(os.path.normpath(self.tree_root.absolute()))))
            except ValueError:
                return str(target)


def _short(text: str, limit: int = 120) -> str:
    """A path fit for a one-line message."""
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _identity(path: Path) -> Path:
    try:
        return resolved(path)
    except (OSError, RuntimeError):
        return Path(os.path.normpath(path.absolute()))


def _events(module: Module) -> Iterator[Include | Pragma | Definition]:
    events: list[Include | Pragma | Definition] = [
        *module.includes,
        *module.pragmas,
        *module.definitions,
    ]
    # by where each starts (no two start at one place), no Python call each
    events.sort(key=attrgetter("span"))
    return iter(events)


def _apply_pragma(pragmas: Pragmas, pragma: Pragma) -> None:
    for name, value in pragma_values(pragma).items():
        attribute = name.replace("-", "_")  # Pragmas has one field per PRAGMA_TYPES key
        setattr(pragmas, attribute, set(value) if isinstance(value, list) else value)
