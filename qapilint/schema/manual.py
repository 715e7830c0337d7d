"""QEMU's manuals: which root schemas one Sphinx build documents together.

QEMU builds the QMP, guest agent and storage daemon references in one
Sphinx project, so a cross-reference in one schema's docs may name a
definition of another (the QMP docs mention the guest agent's
``guest-set-time``). Resolving references therefore needs the names of
every schema of the manual, read on first use and kept per tree.
"""

from __future__ import annotations

import functools
from pathlib import Path

from qapilint.schema.loader import SchemaReadError, load_schema
from qapilint.schema.root import Schema

# The root schemas of QEMU's manual, relative to the source tree
MANUAL_ROOTS = (
    "qapi/qapi-schema.json",
    "qga/qapi-schema.json",
    "storage-daemon/qapi/qapi-schema.json",
)
# Labels the manual defines outside the schemas (its generated indexes)
MANUAL_LABELS = frozenset({"qapi-qmp-index", "qapi-qga-index", "qapi-qsd-index"})


def manual_names(tree_root: Path, schema: Schema | None = None) -> frozenset[str]:
    """The definition names of every root schema of the manual found under
    ``tree_root``; roots that are missing or unreadable are skipped.
    ``schema``, when given, is one of them already read: its names are
    used and its root is not read again."""
    names = set(schema.definitions) if schema is not None else set()
    skip = schema.root.resolve() if schema is not None else None
    return frozenset(names | _other_names(tree_root, skip))


@functools.cache
def _other_names(tree_root: Path, skip: Path | None) -> frozenset[str]:
    names: set[str] = set()
    for relative in MANUAL_ROOTS:
        root = tree_root / relative
        if not root.is_file() or root.resolve() == skip:
            continue
        try:
            schema = load_schema(root, tree_root)
        except (SchemaReadError, OSError):
            continue
        names.update(schema.definitions)
    return frozenset(names)


@functools.cache
def rendered_by_manual(root: Path, tree_root: Path) -> bool:
    """Whether QEMU's manual renders the schema ``root``: in a tree that
    holds any of :data:`MANUAL_ROOTS` (a QEMU tree), only those are
    rendered (``docs/interop/firmware.json`` is read as text); in any
    other tree, every schema counts as rendered."""
    present = [tree_root / relative for relative in MANUAL_ROOTS]
    present = [path.resolve() for path in present if path.is_file()]
    return not present or root.resolve() in present
