"""A root schema: its modules joined by includes, pragmas and symbol table.

:func:`qapilint.schema.loader.load_schema` builds one from a root file; member
resolution (bases, branches, boxed arguments) is added by the schema stage.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from qapilint.syntax.model import Definition, Module, Problem


@dataclass(slots=True)
class Pragmas:
    """The five pragmas, global to a root wherever they appear."""

    doc_required: bool = False
    command_name_exceptions: set[str] = field(default_factory=set)
    command_returns_exceptions: set[str] = field(default_factory=set)
    documentation_exceptions: set[str] = field(default_factory=set)
    member_name_exceptions: set[str] = field(default_factory=set)


@dataclass(slots=True, eq=False, weakref_slot=True)
class Schema:
    root: Path  # the root schema file
    tree_root: Path  # includes may not leave this folder
    modules: list[Module] = field(default_factory=list)  # in first-read order
    pragmas: Pragmas = field(default_factory=Pragmas)
    definitions: dict[str, Definition] = field(default_factory=dict)  # first of each name
    # what loading found wrong with a module's includes (unreadable, outside
    # the tree, a loop), by module path: the parsed modules stay as parsed
    load_problems: dict[Path, list[Problem]] = field(default_factory=dict)

    def all_definitions(self) -> list[Definition]:
        return [d for module in self.modules for d in module.definitions]
