"""The source tree a root schema lives in: its top folder and QEMU version."""

from __future__ import annotations

import contextlib
import stat
from pathlib import Path
from typing import Any

from qapilint.files.records import Record
from qapilint.schema.releases import parse_version
from qapilint.syntax.doclines import QEMU_LINE_LIMIT


class TreeInfo(Record):
    """What rules may know about the source tree being checked.

    ``options`` maps a rule's name to the options the project set for it
    in ``[tool.qapilint.rule.<name>]`` (validated against the rule's
    declared defaults; it may hold the defaults too). Rules read them with
    :meth:`qapilint.lint.rule.RuleContext.option`, which falls back to the
    declared default. ``settings`` holds the tree-wide settings from
    config, read with :meth:`setting`.
    """

    __slots__ = ("options", "root", "settings", "version")

    def __init__(
        self,
        root: Path,
        version: tuple[int, int, int] | None,  # from VERSION; None: current
        options: dict[str, dict[str, Any]] | None = None,  # rule name -> options
        settings: dict[str, Any] | None = None,  # tree-wide settings
    ) -> None:
        self.root = root
        self.version = version
        self.options: dict[str, dict[str, Any]] = {} if options is None else options
        self.settings: dict[str, Any] = {} if settings is None else settings

    def line_limit(self) -> int:
        """QEMU's doc line limit, or the tree's ``line-length`` setting when
        that is lower."""
        configured = self.setting("line-length")
        if isinstance(configured, int) and 0 < configured < QEMU_LINE_LIMIT:
            return configured
        return QEMU_LINE_LIMIT

    def setting(self, key: str) -> Any:
        """A tree-wide setting: ``"next-version"`` (the release ``(X, Y)``
        the tree works towards, for trees without ``VERSION``) or
        ``"line-length"`` (an int); None when unset."""
        return self.settings.get(key)


TREE_MARKERS = (".git", "VERSION", ".qapilint.toml", "pyproject.toml")


def find_tree_root(root_schema: Path) -> Path:
    """The nearest ancestor of ``root_schema`` holding ``.git``, ``VERSION``
    or a qapilint config file; else the schema's own folder."""
    start = root_schema.resolve().parent
    for folder in (start, *start.parents):
        for marker in TREE_MARKERS:
            candidate = folder / marker
            if marker == "pyproject.toml":
                if candidate.is_file() and _has_qapilint_table(candidate):
                    return folder
            elif candidate.exists():
                return folder
    return start


def _has_qapilint_table(pyproject: Path) -> bool:
    try:
        return "[tool.qapilint" in pyproject.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False


VERSION_BYTES = 256  # QEMU's VERSION is one short line


def read_tree(tree_root: Path) -> TreeInfo:
    """Tree facts; a missing or unreadable ``VERSION``, or one that is not
    a regular file (a FIFO would block, ``/dev/zero`` never ends), means
    "current"."""
    version = None
    path = tree_root / "VERSION"
    with contextlib.suppress(OSError, UnicodeDecodeError, ValueError):
        if path.is_file() and stat.S_ISREG(path.stat().st_mode):
            with path.open("rb") as stream:
                data = stream.read(VERSION_BYTES + 1)
            if len(data) <= VERSION_BYTES:
                version = parse_version(data.decode("utf-8"))
    return TreeInfo(root=tree_root, version=version)
