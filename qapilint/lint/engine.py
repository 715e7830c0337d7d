"""Loads rules and runs them over a schema.

Knows nothing of any particular rule: rules come from the ``qapilint.rules``
package and from the ``qapilint.rules`` entry-point group.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Sequence
from types import ModuleType

from qapilint.lint.rule import (
    ChangeContext,
    DefinitionContext,
    DocContext,
    Finding,
    ModuleContext,
    Rule,
    RuleContext,
    RuleFunction,
    SchemaContext,
    SeesSchema,
    Severity,
    TreeInfo,
)
from qapilint.lint.ruleindex import Deferred, builtin_rules, rules_in
from qapilint.schema.releases import release_reached
from qapilint.schema.root import Schema
from qapilint.syntax.blockviews import forget_block_views
from qapilint.syntax.lazylines import make_block_lines
from qapilint.syntax.model import Module

ENTRY_POINT_GROUP = "qapilint.rules"


class BaseRoot:
    """What a root was at base (``--diff-base``, ``--staged``): its schema
    and tree, or None when the root did not exist there (everything in it
    is new). ``parsed`` is False for a base that does not parse: the change
    rules do not run on it. ``unchanged``: no file of the root differs from
    its base, so nothing in it can be new and it is not checked at all."""

    __slots__ = ("parsed", "schema", "tree", "unchanged")

    def __init__(
        self,
        schema: Schema | None,
        tree: TreeInfo | None,
        parsed: bool = True,
        unchanged: bool = False,
    ) -> None:
        self.schema = schema
        self.tree = tree
        self.parsed = parsed
        self.unchanged = unchanged

    def names(self) -> frozenset[str]:
        if self.schema is None:
            return frozenset()
        return frozenset(self.schema.definitions)


class RuleLoadError(Exception):
    """A rule module could not be loaded, or two rules share a code or name."""


def _may_declare(group: str) -> bool:
    """Whether any installed distribution on ``sys.path`` may declare entry
    points in ``group``. A look at the ``entry_points.txt`` files, much
    cheaper than importing :mod:`importlib.metadata`, which most runs (no
    plugin installed) then never need; anything it cannot look into (a zip
    on ``sys.path``) counts as a maybe."""
    header = f"[{group}]"
    for entry in sys.path:
        try:
            with os.scandir(entry or ".") as found:
                names = [e.name for e in found if e.name.endswith((".dist-info", ".egg-info"))]
        except NotADirectoryError:
            return True  # a zip archive
        except OSError:
            continue
        for name in names:
            try:
                with open(os.path.join(entry or ".", name, "entry_points.txt"), "rb") as file:
                    if header.encode() in file.read():
                        return True
            except OSError:
                continue
    return False


def plugin_rule_modules() -> list[ModuleType]:
    if not _may_declare(ENTRY_POINT_GROUP):
        return []
    from importlib.metadata import entry_points  # noqa: PLC0415 - see _may_declare

    modules = []
    for entry in entry_points(group=ENTRY_POINT_GROUP):
        try:
            loaded = entry.load()
        except Exception as error:  # a broken plugin must not look like a bug of ours
            raise RuleLoadError(f"cannot load rule plugin {entry.name!r}: {error}") from error
        if isinstance(loaded, ModuleType):
            modules.append(loaded)
    return modules


def load_rules(extra_modules: Iterable[ModuleType] = ()) -> list[Rule]:
    """All rules, sorted by code; duplicate codes or names are an error."""
    by_code: dict[str, Rule] = {}
    by_name: dict[str, Rule] = {}
    builtin = builtin_rules()
    builtin_modules = {f.module for f in (r.function for r in builtin) if isinstance(f, Deferred)}
    others = [
        found
        for module in [*plugin_rule_modules(), *extra_modules]
        if module.__name__ not in builtin_modules  # a built-in module given again
        for found in rules_in(module)
    ]
    for found in [*builtin, *others]:
        for index, key in ((by_code, found.code), (by_name, found.name)):
            other = index.get(key)
            if other is not None and other.function is not found.function:
                raise RuleLoadError(f"two rules are called {key!r}")
            index[key] = found
    return sorted(by_code.values(), key=lambda found: found.code)


def effective_severity(rule: Rule, tree: TreeInfo) -> Severity:
    """A check QEMU started enforcing in some release is an error only on
    trees that have reached it; older trees' builds do not fail on it."""
    if rule.qemu_release and not release_reached(tree.version, rule.qemu_release):
        return "warning"
    return rule.severity


def applies_to(rule: Rule, tree: TreeInfo) -> bool:
    """Whether ``rule`` runs on ``tree``: a rule enforcing the conventions
    of some release is silent on trees older than that release, which
    follow the conventions of their own."""
    return not rule.convention_release or release_reached(tree.version, rule.convention_release)


_Prepared = tuple[Rule, RuleFunction, Severity]  # a rule, its function, its severity


def prepare(rules: Iterable[Rule], tree: TreeInfo) -> list[_Prepared]:
    """Each rule that applies to ``tree`` (see :func:`applies_to`) with its
    function (imported once here, not looked up per call) and its severity
    on ``tree``."""
    prepared = []
    for found in rules:
        if not applies_to(found, tree):
            continue
        function = found.function
        if isinstance(function, Deferred):
            function = function.load()
        prepared.append((found, function, effective_severity(found, tree)))
    return prepared


# what a rule found in one part of a schema (a module's lines, a doc
# block, a definition: keyed by the rule's code and the part's identity)
# without reading the schema, for the next root that includes the part
RuleMemo = dict[tuple[str, int], Sequence[Finding]]
_NOTHING: tuple[Finding, ...] = ()  # the one empty result every memo entry of none shares


def run_prepared(  # noqa: PLR0917 - the engine's own hot call
    prepared: list[_Prepared],
    context: RuleContext,
    module: Module | None,
    out: list[Finding],
    schema: Schema | None = None,
    memo: RuleMemo | None = None,
    part: object = None,
) -> None:
    """Run each prepared rule on ``context`` (its ``rule`` set to the rule
    being run); the findings, with code, name, severity and path filled
    in, go to ``out``. With ``schema``, each fix is re-linted first
    (:func:`qapilint.lint.vet.vet`). With ``memo`` and ``part`` (the
    object the context is about; a context that notes reads of its
    schema), a rule's findings on ``part`` are taken from ``memo`` when
    it ran on ``part`` before without reading the schema, and put there
    when it runs now without reading it."""
    watched = context if isinstance(context, SeesSchema) else None
    if memo is None or watched is None:
        for found, function, severity in prepared:
            context.rule = found
            for made in function(context):
                out.append(_completed(made, found, severity, module, context.tree, schema))
        return
    for found, function, severity in prepared:
        key = (found.code, id(part))
        known = memo.get(key)
        if known is not None:
            out += known
            continue
        watched.schema_read = False
        start = len(out)
        context.rule = found
        for made in function(context):
            out.append(_completed(made, found, severity, module, context.tree, schema))
        if not watched.schema_read:
            memo[key] = out[start:] or _NOTHING


def _completed(  # noqa: PLR0917 - run_prepared's helper
    made: Finding,
    found: Rule,
    severity: Severity,
    module: Module | None,
    tree: TreeInfo,
    schema: Schema | None,
) -> Finding:
    """A copy of what ``found`` yielded with its code, name, severity and
    path filled in (a rule may yield a finding it keeps), and its fix
    vetted when there is a ``schema``."""
    path = made.path or (module.path if module is not None else None)
    finding = made.replace(code=found.code, name=found.name, severity=severity, path=path)
    if finding.fix is not None and schema is not None:
        finding = _vetted(finding, module, tree, schema)
    return finding


def _vetted(finding: Finding, module: Module | None, tree: TreeInfo, schema: Schema) -> Finding:
    from qapilint.lint.vet import vet  # noqa: PLC0415 - most runs have few fixes

    if module is None or (finding.path is not None and finding.path != module.path):
        module = next((m for m in schema.modules if m.path == finding.path), None)
        if module is None:
            return finding
    return vet(finding, module, tree)


def run_rules(
    rules: Iterable[Rule],
    schema: Schema,
    tree: TreeInfo,
    modules: Sequence[Module] | None = None,
    base: BaseRoot | None = None,
    *,
    memo: RuleMemo | None = None,
) -> list[Finding]:
    """Every finding of ``rules`` on ``schema``, unfiltered; with
    ``modules``, the module, doc and definition rules look at those modules
    only (the schema rules still see the whole schema). Rules of the
    suppression stage (context ``suppressions``) are not run here; the
    change rules (context ``change``) run only with a parsed ``base``.
    ``memo`` (one per tree, kept across the roots of a run) spares a rule
    a second run on a module, doc block or definition another root
    shares, when the first did not read the schema (see
    :func:`run_prepared`)."""
    by_context: dict[str, list[_Prepared]] = {}
    for entry in prepare([found for found in rules if found.context != "suppressions"], tree):
        by_context.setdefault(entry[0].context, []).append(entry)
    module_rules = by_context.get("module", [])
    doc_rules = by_context.get("doc", [])
    definition_rules = by_context.get("definition", [])
    findings: list[Finding] = []
    base_names = base.names() if base is not None and base.parsed else None
    if base_names is not None:
        memo = None  # what is new depends on the root's base
    if "schema" in by_context:
        run_prepared(by_context["schema"], SchemaContext(schema, tree), None, findings, schema)
    for module in schema.modules if modules is None else modules:
        if module_rules:
            module_context = ModuleContext(module, tree, schema)
            # its list of docs stands for the parse: a root reading the same
            # file shares the parse (the path may differ), and every parse
            # has a list of its own (texts may be one shared string, "")
            run_prepared(module_rules, module_context, module, findings, schema, memo, module.docs)
        if doc_rules:
            for doc in module.docs:
                make_block_lines(doc)  # the rules read them all
                doc_context = DocContext(
                    doc, module, tree, doc.definition, schema, base_names=base_names
                )
                run_prepared(doc_rules, doc_context, module, findings, schema, memo, doc)
                forget_block_views()  # a block's views serve its own rules only
        if definition_rules:
            for definition in module.definitions:
                definition_context = DefinitionContext(definition, tree, schema)
                run_prepared(
                    definition_rules, definition_context, module, findings, schema, memo, definition
                )
        module.forget_lines()  # one module's lines at a time, not every module's
    if "change" in by_context and base is not None and base.parsed:
        pair = ChangeContext(schema, tree, base.schema, base.tree)
        run_prepared(by_context["change"], pair, None, findings, schema)
    forget_block_views()  # what the definition and schema rules made, too
    for module in schema.modules:
        module.forget_lines()  # (what the schema and change rules read)
    return findings


def sort_key(finding: Finding) -> tuple[str, int, int, str]:
    return (str(finding.path), finding.span.line, finding.span.col, finding.code)
