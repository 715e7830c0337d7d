"""The source tree a root schema lives in: its top folder and QEMU version."""

from __future__ import annotations

import contextlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qapilint.schema.releases import parse_version

TREE_SETTINGS = "*"  # key of TreeInfo.options holding tree-wide settings (not a rule name)


@dataclass(slots=True)
class TreeInfo:
    """What rules may know about the source tree being checked.

    ``options`` maps each rule's name to its options: the defaults declared
    in ``@rule(..., options={...})`` overlaid with the project's
    ``[tool.qapilint.rule.<name>]`` table (validated against those
    defaults). Under the key :data:`TREE_SETTINGS` it holds the tree-wide
    settings from config: ``"next-version"`` (the release ``(X, Y)`` the
    tree works towards, for trees without ``VERSION``; None when unset) and
    ``"line-length"`` (an int, None when unset). Read them with
    :meth:`rule_options` and :meth:`setting`.
    """

    root: Path
    version: tuple[int, int, int] | None  # from VERSION; None: current
    options: dict[str, Any] = field(default_factory=dict)  # per-rule options by rule name

    def rule_options(self, name: str) -> dict[str, Any]:
        """The options of the rule called ``name`` (defaults merged with config)."""
        return self.options.get(name, {})

    def setting(self, key: str) -> Any:
        """A tree-wide setting: ``"next-version"`` or ``"line-length"``."""
        return self.options.get(TREE_SETTINGS, {}).get(key)


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


def read_tree(tree_root: Path) -> TreeInfo:
    """Tree facts; a missing or unreadable ``VERSION`` means "current"."""
    version = None
    with contextlib.suppress(OSError, UnicodeDecodeError):
        version = parse_version((tree_root / "VERSION").read_text(encoding="utf-8"))
    return TreeInfo(root=tree_root, version=version)
