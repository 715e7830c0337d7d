"""The source tree a root schema lives in: its top folder and QEMU version."""

from __future__ import annotations

import contextlib
from pathlib import Path

from qapilint.lint.rule import TreeInfo
from qapilint.schema.releases import parse_version

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
