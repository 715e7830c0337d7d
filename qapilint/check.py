"""``qapilint check`` as a pipeline, without any printing.

paths -> root plans -> load each root's schema -> run the selected rules ->
filter (modules to report, de-duplication across roots, per-file-ignores,
inline suppressions and the L findings about them, severity overrides) ->
findings. The CLI wires this to a reporter; tests call it directly.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from qapilint import suppress
from qapilint.config import Config, ConfigError, find_config, load_config, path_matches
from qapilint.engine import applies_to, effective_severity, load_rules, run_rules, sort_key
from qapilint.loader import SchemaReadError, load_schema
from qapilint.model import Module
from qapilint.roots import RootPlan, plan_roots
from qapilint.rule import SEVERITIES, TREE_SETTINGS, Finding, Rule, TreeInfo, severity_rank
from qapilint.schema import Schema
from qapilint.selection import Layer, UnknownSelector, check_selectors, most_specific, select_rules
from qapilint.tree import find_tree_root, read_tree


class CheckError(Exception):
    """A usage, configuration or I/O problem: one line for the user, exit 2."""


@dataclass(slots=True)
class CheckOptions:
    """What the command line asked for; None means "not given"."""

    paths: list[Path]
    select: list[str] | None = None
    extend_select: list[str] = field(default_factory=list)
    ignore: list[str] = field(default_factory=list)
    preview: bool | None = None
    fail_on: str | None = None
    config: Path | None = None
    isolated: bool = False
    tree_root: Path | None = None
    overlay: Mapping[Path, str] = field(default_factory=dict)  # resolved path -> text to read


@dataclass(slots=True)
class Settings:
    """Command line over config over defaults, resolved."""

    config: Config
    rules: list[Rule]  # every registered rule
    enabled: list[Rule]  # the rules that run
    preview: bool
    fail_on: str
    warnings: list[str] = field(default_factory=list)  # for stderr, one line each
    by_code: dict[str, Rule] = field(init=False)

    def __post_init__(self) -> None:
        self.by_code = {found.code: found for found in self.rules}

    def rule(self, code: str) -> Rule | None:
        return self.by_code.get(code)

    def ignored_for(self, path: Path, found: Rule) -> bool:
        """Whether per-file-ignores switch ``found`` off for ``path``."""
        config = self.config
        for pattern, selectors in config.per_file_ignores:
            if most_specific(selectors, found) and path_matches(pattern, path, config.base):
                return True
        return False

    def active(self, path: Path, found: Rule) -> bool:
        """Whether ``found`` ran on ``path``."""
        return found in self.enabled and not self.ignored_for(path, found)

    def tree_options(self) -> dict[str, Any]:
        options: dict[str, Any] = {
            found.name: {**found.options, **self.config.rule_options.get(found.name, {})}
            for found in self.rules
        }
        options[TREE_SETTINGS] = {
            "next-version": self.config.next_version,
            "line-length": self.config.line_length,
        }
        return options


@dataclass(slots=True)
class CheckResult:
    findings: list[Finding]  # sorted, paths absolute
    sources: dict[Path, list[str]]  # resolved path -> lines, for showing source
    settings: Settings

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
    if options.fail_on is not None and options.fail_on not in SEVERITIES:
        raise CheckError(f"--fail-on: expected error, warning or info, got {options.fail_on!r}")
    layers = [
        Layer(config.select, config.extend_select, config.ignore),
        Layer(options.select, options.extend_select, options.ignore),
    ]
    preview = bool(options.preview if options.preview is not None else config.preview)
    enabled = select_rules(all_rules, layers, preview)
    fail_on = options.fail_on or config.fail_on or "warning"
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
    settings = resolve_settings(options, rules)
    for path in options.paths:
        if not path.exists():
            raise CheckError(f"{path}: no such file or directory")
    if options.tree_root is not None and not options.tree_root.is_dir():
        raise CheckError(f"--tree-root: {options.tree_root}: not a directory")
    modules: dict[Path, Module] = {}
    trees: dict[Path, TreeInfo] = {}
    findings = _collect(options, settings, modules, trees)
    findings = [f for f in findings if not _ignored(f, settings)]
    files = {path: suppress.collect(module, settings.rules) for path, module in modules.items()}
    findings = suppress.apply(findings, files)
    meta = [problem for target in files.values() for problem in target.problems]

    def ran(path: Path, found: Rule) -> bool:
        tree = trees.get(path.resolve())
        return settings.active(path, found) and (tree is None or applies_to(found, tree))

    meta += suppress.unused(files, ran)
    meta = [_stamp(finding, settings) for finding in meta]
    meta = [f for f in meta if _enabled(f, settings) and not _ignored(f, settings)]
    findings += suppress.apply(meta, files)
    findings = [_override(finding, settings) for finding in findings]
    sources = {path: module.lines for path, module in modules.items()}
    return CheckResult(sorted(findings, key=sort_key), sources, settings)


def _plans(paths: list[Path], settings: Settings) -> list[RootPlan]:
    try:
        return plan_roots(paths, settings.config.exclude)
    except OSError as error:
        raise CheckError(_os_error(error)) from error


def _collect(
    options: CheckOptions,
    settings: Settings,
    modules: dict[Path, Module],
    trees: dict[Path, TreeInfo],
) -> list[Finding]:
    """Every finding of every root, only for the modules each plan reports,
    each finding once however many roots share its module."""
    seen: set[tuple[object, ...]] = set()
    found: list[Finding] = []
    tree_options = settings.tree_options()
    loaded: dict[Path, Schema] = {}
    for plan in _configured_or_planned(options, settings, loaded):
        tree_root = options.tree_root or find_tree_root(plan.root)
        tree = read_tree(tree_root)
        tree = TreeInfo(tree.root, tree.version, tree_options)
        schema = loaded.pop(plan.root, None) or _load(plan.root, tree_root, options.overlay)
        report = {path.resolve() for path in plan.report} if plan.report is not None else None
        reported: list[Module] = []
        for module in schema.modules:
            key = module.path.resolve()
            if report is None or key in report:
                modules.setdefault(key, module)
                trees.setdefault(key, tree)
                reported.append(module)
        # the other modules' findings would be dropped: their rules need not run
        for finding in run_rules(settings.enabled, schema, tree, reported):
            path = (finding.path or plan.root).resolve()
            if report is not None and path not in report:
                continue
            identity = (path, finding.span, finding.code, finding.message)
            if identity not in seen:
                seen.add(identity)
                found.append(replace(finding, path=path))
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
    requested = [path.resolve() for path in options.paths]
    plans: list[RootPlan] = []
    covered: set[Path] = set()
    for root in roots:
        schema = _load(root, options.tree_root or find_tree_root(root), options.overlay)
        loaded[root] = schema
        paths = {module.path.resolve() for module in schema.modules}
        wanted = {path for path in paths if any(_within(path, asked) for asked in requested)}
        if wanted:
            plans.append(RootPlan(root, wanted))
            covered |= wanted
    rest = [
        path for path in options.paths if not any(_within(done, path.resolve()) for done in covered)
    ]
    if rest:
        plans += _plans(rest, settings)
    return plans


def _within(path: Path, asked: Path) -> bool:
    return path == asked or path.is_relative_to(asked)


def _load(root: Path, tree_root: Path, overlay: Mapping[Path, str]) -> Schema:
    try:
        return load_schema(root, tree_root, overlay)
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


def _enabled(finding: Finding, settings: Settings) -> bool:
    return any(found.code == finding.code for found in settings.enabled)


def _stamp(finding: Finding, settings: Settings) -> Finding:
    """Fill in name and severity of a finding made outside the engine."""
    found = settings.rule(finding.code)
    if found is None:
        return finding
    tree = TreeInfo(Path(), None)
    return replace(finding, name=found.name, severity=effective_severity(found, tree))


def _override(finding: Finding, settings: Settings) -> Finding:
    """Apply ``severity`` overrides; a Q rule's severity can only go up."""
    overrides = settings.config.severity
    found = settings.rule(finding.code)
    if not overrides or found is None:
        return finding
    selector = most_specific(overrides, found)
    if selector is None:
        return finding
    severity = overrides[selector]
    if found.code.startswith("Q") and severity_rank(severity) < severity_rank(finding.severity):
        return finding
    return replace(finding, severity=severity)  # type: ignore[arg-type]
