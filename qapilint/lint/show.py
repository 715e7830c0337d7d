"""``qapilint show SYMBOL``: one definition found in the roots ``check``
would find, and its documentation as the manual shows it, as text."""

from __future__ import annotations

import difflib

from qapilint.lint.check import CheckError, CheckOptions, planned_schemas, resolve_settings
from qapilint.markup.text import show_text
from qapilint.schema.resolve import resolution


class SymbolNotFound(CheckError):
    """No definition has the name asked for (the message suggests close ones)."""


def show(options: CheckOptions, symbol: str) -> str:
    """The text of ``symbol``'s documentation; :class:`SymbolNotFound`
    when no root under ``options.paths`` defines it."""
    settings = resolve_settings(options)
    names: set[str] = set()
    for schema in planned_schemas(options, settings):
        for definition in schema.all_definitions():
            if definition.name == symbol:
                return show_text(definition, resolution(schema).of(definition))
            names.add(definition.name)
    raise SymbolNotFound(_not_found(symbol, names))


def _not_found(symbol: str, names: set[str]) -> str:
    close = difflib.get_close_matches(symbol, sorted(names), n=3, cutoff=0.6)
    folded = [name for name in sorted(names) if name.lower() == symbol.lower()]
    hints = list(dict.fromkeys([*folded, *close]))
    hint = f" (did you mean {', '.join(repr(name) for name in hints)}?)" if hints else ""
    return f"no definition named {symbol!r}{hint}"
