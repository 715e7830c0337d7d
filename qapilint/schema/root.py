"""A root schema: its modules joined by includes, pragmas and symbol table.

:func:`qapilint.schema.loader.load_schema` builds one from a root file; member
resolution (bases, branches, boxed arguments) is added by the schema stage.
"""

from __future__ import annotations

from pathlib import Path

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

    def all_definitions(self) -> list[Definition]:
        return [d for module in self.modules for d in module.definitions]
