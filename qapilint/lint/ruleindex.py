"""The built-in rules' metadata, kept in the user's cache, so that a run
imports only the rule modules whose rules it runs.

Selecting rules, checking suppression comments and configuration need
every rule's code, name and defaults, but not its function. On a run whose
cache is current, the built-in rules are made from the cached metadata
with a :class:`Deferred` function that imports the rule's module the first
time it is called (or its documentation read). The cache names each rule
module with its size and modification time and qapilint's version; any
difference, or a missing or corrupt cache, and every module is imported
and the cache written anew.
"""

from __future__ import annotations

import importlib
import marshal
import os
from collections.abc import Iterator
from types import ModuleType
from typing import Any

from qapilint import __version__
from qapilint.files.cachedir import cache_folder, installation_tag, write_atomically
from qapilint.lint.rule import (
    ContextKind,
    Finding,
    FixAvailability,
    Rule,
    RuleFunction,
    Severity,
    Status,
)

FORMAT = 3  # 2: qemu_rejects; 3: convention_release
PACKAGE = "qapilint.rules"

# (module, code, name, severity, context, status, fix, qemu_release, options,
#  qemu_rejects, convention_release)
RuleRecord = tuple[
    str,
    str,
    str,
    Severity,
    ContextKind,
    Status,
    FixAvailability,
    str | None,
    dict[str, Any],
    bool,
    str | None,
]


class Deferred:
    """A built-in rule's function, imported on first use."""

    __slots__ = ("_function", "code", "module")

    def __init__(self, module: str, code: str) -> None:
        self.module = module
        self.code = code
        self._function: RuleFunction | None = None

    def load(self) -> RuleFunction:
        if self._function is None:
            loaded = importlib.import_module(self.module)
            found = next((r for r in rules_in(loaded) if r.code == self.code), None)
            if found is None:  # the cache lied: the module changed under it
                raise LookupError(f"rule {self.code} is no longer in {self.module}")
            self._function = found.function
        return self._function

    def __call__(self, context: Any) -> Iterator[Finding]:
        return self.load()(context)

    # the rule's documentation is its function's docstring, read when asked
    # for: a property where object has a plain attribute
    @property
    def __doc__(self) -> str | None:  # type: ignore[override]  # see above
        return self.load().__doc__


def rules_in(module: ModuleType) -> Iterator[Rule]:
    """The rules a module declares (with :func:`qapilint.lint.rule.rule`)."""
    for value in vars(module).values():
        found = getattr(value, "qapilint_rule", None)
        if isinstance(found, Rule):
            yield found


def _module_names() -> tuple[list[str], list[tuple[str, int, int]]]:
    """The rule modules of the package (its ``.py`` files not starting
    with ``_``; a folder read directly, as :mod:`pkgutil` would cost the
    import of :mod:`importlib.util`), and each one's file's identity."""
    package = importlib.import_module(PACKAGE)
    found: dict[str, tuple[str, int, int]] = {}
    for folder in package.__path__:
        try:
            entries = sorted(os.scandir(folder), key=lambda entry: entry.name)
        except OSError:
            continue
        for entry in entries:
            name, suffix = os.path.splitext(entry.name)
            if suffix != ".py" or name.startswith("_") or name in found:
                continue
            status = entry.stat()
            found[name] = (name, status.st_size, status.st_mtime_ns)
    names = sorted(found)
    return [f"{PACKAGE}.{name}" for name in names], [found[name] for name in names]


def index_name() -> str:
    """The index's file name, one per installation (the folders of the
    rule package): with one shared, each installation would import every
    rule module and write the index anew on every run."""
    tag = installation_tag(*importlib.import_module(PACKAGE).__path__)
    return f"rule-index-{FORMAT}-{tag}.marshal"


def builtin_rules() -> list[Rule]:
    """Every built-in rule: from the cache when it is current (functions
    :class:`Deferred`), else from the imported modules (cache rewritten)."""
    names, stamps = _module_names()
    key = (__version__, stamps)
    folder = cache_folder()
    path = os.path.join(folder, index_name()) if folder is not None else None
    if path is not None:
        records = _read(path, key)
        if records is not None:
            return [_from_record(record) for record in records]
    rules: list[Rule] = []
    records_made: list[RuleRecord] = []
    for name in names:
        for found in rules_in(importlib.import_module(name)):
            rules.append(found)
            records_made.append(_record(name, found))
    if path is not None and all(_plain(record[8]) for record in records_made):
        write_atomically(path, marshal.dumps((FORMAT, key, records_made)))
    return rules


def _read(path: str, key: object) -> list[RuleRecord] | None:
    records: list[RuleRecord]  # as _record made them: the format and key below vouch for it
    try:
        # read whole: marshal.load on a file asks it for every object's bytes
        # in turn, dozens of times the cost of decoding them
        with open(path, "rb") as file:
            form, cached_key, records = marshal.loads(file.read())
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if form != FORMAT or cached_key != _marshal_shape(key):
        return None
    return records


def _marshal_shape(value: object) -> object:
    """``value`` as it comes back from marshal (tuples inside stay tuples)."""
    # any value: marshal raises ValueError on what it cannot write (_plain relies on it)
    return marshal.loads(marshal.dumps(value))  # type: ignore[arg-type]


def _record(module: str, found: Rule) -> RuleRecord:
    return (
        module,
        found.code,
        found.name,
        found.severity,
        found.context,
        found.status,
        found.fix,
        found.qemu_release,
        found.options,
        found.qemu_rejects,
        found.convention_release,
    )


def _from_record(record: RuleRecord) -> Rule:
    (
        module,
        code,
        name,
        severity,
        context,
        status,
        fix,
        qemu_release,
        options,
        rejects,
        convention,
    ) = record
    return Rule(
        code=code,
        name=name,
        severity=severity,
        context=context,
        function=Deferred(module, code),
        status=status,
        fix=fix,
        qemu_release=qemu_release,
        options=dict(options),
        qemu_rejects=rejects,
        convention_release=convention,
    )


def _plain(value: object) -> bool:
    """Whether ``value`` survives marshal unchanged (rule option defaults
    are plain data; anything else keeps the cache from being written)."""
    try:
        return _marshal_shape(value) == value
    except ValueError:
        return False
