"""A root schema: its modules joined by includes, pragmas and symbol table.

:func:`qapilint.schema.loader.load_schema` builds one from a root file; member
resolution (bases, branches, boxed arguments) is added by the schema stage.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from qapilint.files.records import Record
from qapilint.syntax.model import Definition, Module, Problem


class Pragmas(Record):
    """The five pragmas, global to a root wherever they appear."""

    __slots__ = (
        "command_name_exceptions",
        "command_returns_exceptions",
        "doc_required",
        "documentation_exceptions",
        "member_name_exceptions",
    )

    def __init__(self) -> None:
        self.doc_required = False
        self.command_name_exceptions: set[str] = set()
        self.command_returns_exceptions: set[str] = set()
        self.documentation_exceptions: set[str] = set()
        self.member_name_exceptions: set[str] = set()


class Schema:
    __slots__ = (
        "__weakref__",
        "definitions",
        "derived",
        "load_problems",
        "modules",
        "pragmas",
        "root",
        "tree_root",
    )

    def __init__(self, root: Path, tree_root: Path, modules: list[Module] | None = None) -> None:
        self.root = root  # the root schema file
        self.tree_root = tree_root  # includes may not leave this folder
        self.modules: list[Module] = [] if modules is None else modules  # in first-read order
        self.pragmas = Pragmas()
        self.definitions: dict[str, Definition] = {}  # first of each name
        # what loading found wrong with a module's includes (unreadable, outside
        # the tree, a loop), by module path: the parsed modules stay as parsed
        self.load_problems: dict[Path, list[Problem]] = {}
        # what later stages work out from the whole schema on first use
        # (member resolution, semantic problems), by what it is: held here,
        # it dies with the schema (a map keyed by the schema would keep the
        # schema alive, as each of these holds it)
        self.derived: dict[str, Any] = {}

    def all_definitions(self) -> list[Definition]:
        return [d for module in self.modules for d in module.definitions]
