"""``qapilint check`` as a pipeline, without any printing.

paths -> root plans -> load each root's schema -> run the selected rules ->
filter (modules to report, de-duplication across roots, per-file-ignores,
inline suppressions and the L findings about them, severity overrides) ->
findings. The CLI wires this to a reporter; tests call it directly.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from qapilint.files.globs import PathGlobs, PathView
from qapilint.files.paths import resolved
from qapilint.files.records import Record
from qapilint.files.text import TextLines
from qapilint.lint import suppress
from qapilint.lint.config import Config, ConfigError, find_config, load_config
from qapilint.lint.engine import BaseRoot, RuleMemo, load_rules, run_rules, sort_key
from qapilint.lint.rule import Finding, Rule, Severity, TreeInfo, severity_named, severity_rank
from qapilint.lint.selection import (
    Layer,
    UnknownSelector,
    check_selectors,
    most_specific,
    select_rules,
)
from qapilint.schema.loader import Recorder, SchemaReadError, load_schema
from qapilint.schema.root import Schema
from qapilint.schema.roots import RootPlan, plan_roots, skipped_test_cases
from qapilint.schema.tree import find_tree_root, read_tree
from qapilint.syntax.model import Module

if TYPE_CHECKING:
    # the findings cache is imported by the runs that use it: not with --no-cache
    from qapilint.lint.resultcache import Digest, FindingsCache


class CheckError(Exception):
    """A usage, configuration or I/O problem: one line for the user, exit 2."""


class CheckOptions(Record):
    """What the command line asked for; None means "not given"."""

    __slots__ = (
        "base",
        "cache",
        "config",
        "extend_select",
        "fail_on",
        "ignore",
        "isolated",
        "loaded",
        "only",
        "overlay",
        "parsed",
        "paths",
        "preview",
        "select",
        "tree_root",
    )

    def __init__(  # noqa: PLR0917 - the fields, in order
        self,
        paths: list[Path],
        select: list[str] | None = None,
        extend_select: list[str] | None = None,  # None: []
        ignore: list[str] | None = None,  # None: []
        preview: bool | None = None,
        fail_on: str | None = None,
        config: Path | None = None,
        isolated: bool = False,
        tree_root: Path | None = None,
        overlay: Mapping[Path, str] | None = None,  # resolved path -> text to read
        # with a base (qapilint.change): each root's base, for the change rules
        base: BaseLookup | None = None,
        # run only the enabled rules with these codes (a base whose findings
        # matter only where the head has findings of the same rule); None: all
        only: frozenset[str] | None = None,
        # root schemas already loaded (resolved root -> schema), read instead of the files
        loaded: Mapping[Path, Schema] | None = None,
        # resolved path -> a module parsed from the same bytes elsewhere, reused
        parsed: Mapping[Path, Module] | None = None,
        # read and write the findings cache (qapilint.lint.resultcache): a
        # plain check from the command line
        cache: bool = False,
    ) -> None:
        self.paths = paths
        self.select = select
        self.extend_select: list[str] = [] if extend_select is None else extend_select
        self.ignore: list[str] = [] if ignore is None else ignore
        self.preview = preview
        self.fail_on = fail_on
        self.config = config
        self.isolated = isolated
        self.tree_root = tree_root
        self.overlay: Mapping[Path, str] = {} if overlay is None else overlay
        self.base = base
        self.only = only
        self.loaded: Mapping[Path, Schema] = {} if loaded is None else loaded
        self.parsed: Mapping[Path, Module] = {} if parsed is None else parsed
        self.cache = cache


BaseLookup = Callable[[Path, Schema], BaseRoot]  # a head root (resolved) -> its base


class Settings(Record):
    """Command line over config over defaults, resolved."""

    __slots__ = (
        "_views",
        "by_code",
        "config",
        "enabled",
        "fail_on",
        "preview",
        "rules",
        "warnings",
    )

    def __init__(  # noqa: PLR0917 - the fields, in order
        self,
        config: Config,
        rules: list[Rule],  # every registered rule
        enabled: list[Rule],  # the rules that run
        preview: bool,
        fail_on: Severity,
        warnings: list[str] | None = None,  # for stderr, one line each
    ) -> None:
        self.config = config
        self.rules = rules
        self.enabled = enabled
        self.preview = preview
        self.fail_on = fail_on
        self.warnings: list[str] = [] if warnings is None else warnings
        self.by_code = {found.code: found for found in rules}
        self._views: dict[Path, PathView] = {}

    def rule(self, code: str) -> Rule | None:
        return self.by_code.get(code)

    def ignored_for(self, path: Path, found: Rule) -> bool:
        """Whether per-file-ignores switch ``found`` off for ``path``."""
        for glob, selectors in self.config.per_file_ignores:
            if most_specific(selectors, found) and glob.matches(self._view(path)):
                return True
        return False

    def _view(self, path: Path) -> PathView:
        view = self._views.get(path)
        if view is None:
            view = self._views[path] = PathView.of(path, self.config.base)
        return view

    def active(self, path: Path, found: Rule) -> bool:
        """Whether ``found`` ran on ``path``."""
        return found in self.enabled and not self.ignored_for(path, found)

    def tree_info(self, root: Path, version: tuple[int, int, int] | None) -> TreeInfo:
        """What the rules get to know of the tree at ``root``: its version,
        the project's rule options and its tree-wide settings."""
        config = self.config
        settings = {"next-version": config.next_version, "line-length": config.line_length}
        return TreeInfo(root, version, config.rule_options, settings)


class CheckResult(Record):
    __slots__ = ("findings", "modules", "schemas", "settings", "sources")

    def __init__(
        self,
        findings: list[Finding],  # sorted, paths absolute
        sources: Mapping[Path, Sequence[str]],  # resolved path -> lines, for showing source
        settings: Settings,
        # every reported module, by resolved path, and each loaded root's schema
        modules: dict[Path, Module] | None = None,
        schemas: dict[Path, tuple[Schema, TreeInfo]] | None = None,
    ) -> None:
        self.findings = findings
        self.sources = sources
        self.settings = settings
        self.modules: dict[Path, Module] = {} if modules is None else modules
        self.schemas: dict[Path, tuple[Schema, TreeInfo]] = {} if schemas is None else schemas

    def failed(self) -> bool:
        """Whether any finding is at or above the fail-on severity."""
        threshold = severity_rank(self.settings.fail_on)
        return any(severity_rank(finding.severity) >= threshold for finding in self.findings)


# --------------------------------------------------------------------------
# Settings


def resolve_settings(options: CheckOptions, rules: Sequence[Rule] | None = None) -> Settings:
    """Read the configuration (unless isolated) and merge the command line."""
    all_rules = list(rules) if rules is not None else load_rules()
    config = _config(options, all_rules)
    for flag, given in (
        ("--select", options.select or []),
        ("--extend-select", options.extend_select),
        ("--ignore", options.ignore),
    ):
        try:
            check_selectors(given, all_rules)
        except UnknownSelector as error:
            raise CheckError(f"{flag}: {error}") from error
    fail_on = severity_named(options.fail_on)
    if options.fail_on is not None and fail_on is None:
        raise CheckError(f"--fail-on: expected error, warning or info, got {options.fail_on!r}")
    layers = [
        Layer(config.select, config.extend_select, config.ignore),
        Layer(options.select, options.extend_select, options.ignore),
    ]
    preview = bool(options.preview if options.preview is not None else config.preview)
    enabled = select_rules(all_rules, layers, preview)
    if options.only is not None:
        enabled = [found for found in enabled if found.code in options.only]
    fail_on = fail_on or config.fail_on or "warning"
    return Settings(config, all_rules, enabled, preview, fail_on, _other_configs(options, config))


def _config(options: CheckOptions, rules: list[Rule]) -> Config:
    if options.isolated:
        return Config()
    path = options.config
    if path is None and options.paths:
        path = find_config(options.paths[0])
    if path is None:
        return Config()
    if not path.exists():
        raise CheckError(f"{path}: no such configuration file")
    try:
        return load_config(path, rules)
    except ConfigError as error:
        raise CheckError(str(error)) from error


def _other_configs(options: CheckOptions, config: Config) -> list[str]:
    """One configuration serves every path: say so when another path has
    its own."""
    if options.isolated or options.config is not None or config.path is None:
        return []
    found = []
    for path in options.paths[1:]:
        other = find_config(path)
        if other is not None and other != config.path:
            found.append(f"{path} has its own configuration {other}; using {config.path}")
    return found


# --------------------------------------------------------------------------
# The pipeline


def run_check(options: CheckOptions, rules: Sequence[Rule] | None = None) -> CheckResult:
    resolved.cache_clear()  # a run's answers, not an earlier run's (a long-lived caller)
    settings = resolve_settings(options, rules)
    for path in options.paths:
        if not path.exists():
            raise CheckError(f"{path}: no such file or directory")
    if options.tree_root is not None and not options.tree_root.is_dir():
        raise CheckError(f"--tree-root: {options.tree_root}: not a directory")
    plans = None if settings.config.roots else _plans(options.paths, settings)
    cache = _findings_cache(options, settings, plans) if options.cache else None
    hit = cache.lookup() if cache is not None else None
    if hit is not None:
        settings.warnings += hit.warnings
        return CheckResult(hit.findings, hit.sources, settings)
    inputs: dict[Path, Digest] = {}
    modules: dict[Path, Module] = {}
    trees: dict[Path, TreeInfo] = {}
    schemas: dict[Path, tuple[Schema, TreeInfo]] = {}
    record = _recorder(inputs) if cache is not None else None
    findings = _collect(options, settings, modules, trees, schemas, plans=plans, record=record)
    if not modules and not schemas:  # a wrong path must not pass a CI job
        raise CheckError(nothing_found(options.paths, _exclude(settings)))
    loaded = {resolved(module.path) for schema, _ in schemas.values() for module in schema.modules}
    warned = len(settings.warnings)
    settings.warnings += _empty_paths(options.paths, loaded | set(modules))
    findings = [f for f in findings if not _ignored(f, settings)]
    files = {path: suppress.collect(module, settings.rules) for path, module in modules.items()}
    findings = suppress.apply(findings, files)
    # the suppression stage's rules (L) see what the suppressions silenced
    meta = suppress.check(files, settings.enabled, trees, settings.active)
    meta = [finding for finding in meta if not _ignored(finding, settings)]
    findings += suppress.apply(meta, files)
    findings = [_override(finding, settings) for finding in findings]
    # the lines shown beside findings, cut out of their modules' texts as shown
    shown = {finding.path for finding in findings}
    sources: dict[Path, Sequence[str]] = {
        path: TextLines(module.text) for path, module in modules.items() if path in shown
    }
    findings.sort(key=sort_key)
    if cache is not None:
        from qapilint.lint.resultcache import file_digest  # noqa: PLC0415 - see the imports

        for _, tree in schemas.values():
            version = resolved(tree.root) / "VERSION"
            inputs.setdefault(version, file_digest(version))
        cache.store(inputs, findings, settings.warnings[warned:])
    return CheckResult(findings, sources, settings, modules, schemas)


def _recorder(inputs: dict[Path, Digest]) -> Recorder:
    from qapilint.lint.resultcache import digest  # noqa: PLC0415 - see the imports

    def record(path: Path, data: bytes | None) -> None:
        inputs[resolved(path)] = None if data is None else digest(data)

    return record


def _findings_cache(
    options: CheckOptions, settings: Settings, plans: list[RootPlan] | None
) -> FindingsCache | None:
    """The findings cache of this run, when it may use one: a run of the
    files on disk as they are (no overlay, base or models given)."""
    if options.overlay or options.base is not None or options.loaded or options.parsed:
        return None
    if options.only is not None:
        return None
    from qapilint.lint import resultcache  # noqa: PLC0415 - see the imports

    config = settings.config.path
    if plans is None:  # configured roots: the plan of the paths as given stands in
        plans = _plans(options.paths, settings)
    planned = [
        (
            str(resolved(plan.root)),
            sorted(map(str, plan.report)) if plan.report is not None else None,
            str(options.tree_root or find_tree_root(plan.root)),
        )
        for plan in plans
    ]
    return resultcache.FindingsCache.open(
        (
            [str(resolved(path)) for path in options.paths],
            [found.code for found in settings.enabled],
            settings.fail_on,
            str(config) if config is not None else None,
            resultcache.file_digest(config) if config is not None else None,
            str(options.tree_root),
            resultcache.rules_identity(settings.rules),
            resultcache.distributions(),
            planned,
        )
    )


def nothing_found(paths: Sequence[Path], exclude: PathGlobs | None = None) -> str:
    """The error when ``paths`` hold no QAPI schema at all; when they hold
    QEMU's own test cases, which a folder walk skips, it says so and how
    to check one."""
    message = f"no QAPI schema file found in {_listed(paths)}"
    cases = [case for path in paths if path.is_dir() for case in skipped_test_cases(path, exclude)]
    if cases:
        message += (
            f": the {len(cases)} .json file(s) there with a .err file beside them are "
            "QEMU's own test cases, skipped on purpose; name one to check it: "
            f"qapilint check {cases[0]}"
        )
    return message


def _listed(paths: Sequence[Path], most: int = 3) -> str:
    shown = ", ".join(str(path) for path in paths[:most])
    return shown + (f" and {len(paths) - most} more" if len(paths) > most else "")


def _empty_paths(paths: Sequence[Path], modules: Collection[Path]) -> list[str]:
    """A warning for each folder given that contributed nothing while
    others did: a mistyped path among good ones."""
    empty = []
    for path in paths:
        folder = resolved(path)
        if folder.is_dir() and not any(_within(found, folder) for found in modules):
            empty.append(f"{path}: no QAPI schema file found there")
    return empty


def _exclude(settings: Settings) -> PathGlobs:
    return PathGlobs(settings.config.exclude, settings.config.base)


def _plans(paths: list[Path], settings: Settings) -> list[RootPlan]:
    try:
        return plan_roots(paths, _exclude(settings))
    except OSError as error:
        raise CheckError(_os_error(error)) from error


def _collect(
    options: CheckOptions,
    settings: Settings,
    modules: dict[Path, Module],
    trees: dict[Path, TreeInfo],
    schemas: dict[Path, tuple[Schema, TreeInfo]],
    *,
    plans: list[RootPlan] | None = None,
    record: Recorder | None = None,
) -> list[Finding]:
    """Every finding of every root (``plans``, when already made), only
    for the modules each plan reports, each finding once however many
    roots share its module; ``modules`` and ``trees`` get each reported
    module and its tree, by resolved path. ``record`` is told of each file
    read."""
    seen: set[tuple[object, ...]] = set()
    found: list[Finding] = []
    loaded: dict[Path, Schema] = {}
    # a module several roots include (QEMU's storage daemon includes a
    # third of qapi/) is parsed once, and the facts derived from its docs
    # are made once
    parsed: dict[Path, Module] = dict(options.parsed)
    # and what a rule found in such a module without reading the schema
    # stands for every root of the same tree
    memos: dict[tuple[Path, object], RuleMemo] = {}
    planned = plans if plans is not None else _configured_or_planned(options, settings, loaded)
    for plan in planned:
        tree_root = options.tree_root or find_tree_root(plan.root)
        tree = read_tree(tree_root)
        tree = settings.tree_info(tree.root, tree.version)
        schema = (
            loaded.pop(plan.root, None)
            or options.loaded.get(resolved(plan.root))
            or _load(plan.root, tree_root, options.overlay, parsed, record)
        )
        for module in schema.modules:
            parsed.setdefault(resolved(module.path), module)
        schemas[resolved(plan.root)] = (schema, tree)
        base = options.base(resolved(plan.root), schema) if options.base is not None else None
        if base is not None and base.unchanged:
            continue  # as it was at base: nothing in it is new
        report = {resolved(path) for path in plan.report} if plan.report is not None else None
        reported: list[Module] = []
        for module in schema.modules:
            key = resolved(module.path)
            if report is None or key in report:
                modules.setdefault(key, module)
                trees.setdefault(key, tree)
                reported.append(module)
        # the other modules' findings would be dropped: their rules need not run
        # (with one root nothing could use it: no memo, no memory spent on one)
        memo = memos.setdefault((tree.root, tree.version), {}) if len(planned) > 1 else None
        for finding in run_rules(settings.enabled, schema, tree, reported, base, memo=memo):
            path = resolved(finding.path or plan.root)
            if report is not None and path not in report:
                continue
            identity = (path, finding.span, finding.code, finding.message)
            if identity not in seen:
                seen.add(identity)
                found.append(finding.replace(path=path))
    return found


def _configured_or_planned(
    options: CheckOptions, settings: Settings, loaded: dict[Path, Schema]
) -> list[RootPlan]:
    """Config ``roots`` replace root discovery: each configured root that
    holds a requested path is loaded (kept in ``loaded``), reporting only
    the requested modules."""
    roots = settings.config.roots
    if not roots:
        return _plans(options.paths, settings)
    requested = [resolved(path) for path in options.paths]
    plans: list[RootPlan] = []
    covered: set[Path] = set()
    for root in roots:
        tree_root = options.tree_root or find_tree_root(root)
        schema = _load(root, tree_root, options.overlay, options.parsed)
        loaded[root] = schema
        paths = {resolved(module.path) for module in schema.modules}
        wanted = {path for path in paths if any(_within(path, asked) for asked in requested)}
        if wanted:
            plans.append(RootPlan(root, wanted))
            covered |= wanted
    rest = [
        path for path in options.paths if not any(_within(done, resolved(path)) for done in covered)
    ]
    if rest:
        plans += _plans(rest, settings)
    return plans


def _within(path: Path, asked: Path) -> bool:
    return path == asked or path.is_relative_to(asked)


def _load(
    root: Path,
    tree_root: Path,
    overlay: Mapping[Path, str],
    parsed: Mapping[Path, Module] | None = None,
    record: Recorder | None = None,
) -> Schema:
    try:
        return load_schema(root, tree_root, overlay, parsed, record)
    except SchemaReadError as error:
        raise CheckError(str(error)) from error
    except OSError as error:
        raise CheckError(_os_error(error, root)) from error


def _os_error(error: OSError, path: Path | None = None) -> str:
    where = error.filename or path
    reason = error.strerror or str(error)
    return f"{where}: {reason}" if where else reason


# --------------------------------------------------------------------------
# Filters


def _ignored(finding: Finding, settings: Settings) -> bool:
    found = settings.rule(finding.code)
    return (
        found is not None and finding.path is not None and settings.ignored_for(finding.path, found)
    )


def _override(finding: Finding, settings: Settings) -> Finding:
    """Apply ``severity`` overrides; the severity of a rule reporting what
    QEMU rejects (``qemu_rejects``) can only go up."""
    overrides = settings.config.severity
    found = settings.rule(finding.code)
    if not overrides or found is None:
        return finding
    selector = most_specific(overrides, found)
    if selector is None:
        return finding
    severity = overrides[selector]
    if found.qemu_rejects and severity_rank(severity) < severity_rank(finding.severity):
        return finding
    return finding.replace(severity=severity)


def planned_schemas(options: CheckOptions, settings: Settings) -> list[Schema]:
    """The schemas of the roots ``check`` would find for ``options.paths``
    (configured ``roots`` first), each loaded once, no rule run."""
    for path in options.paths:
        if not path.exists():
            raise CheckError(f"{path}: no such file or directory")
    loaded: dict[Path, Schema] = {}
    schemas: list[Schema] = []
    for plan in _configured_or_planned(options, settings, loaded):
        tree_root = options.tree_root or find_tree_root(plan.root)
        schema = loaded.pop(plan.root, None) or _load(plan.root, tree_root, options.overlay)
        schemas.append(schema)
    if not schemas:
        raise CheckError(nothing_found(options.paths, _exclude(settings)))
    return schemas
