"""``check --diff-base REF`` and ``check --staged``: lint a head and its base
through the same pipeline and keep the head's findings the change introduced.

The base is a git commit (the merge-base of REF and HEAD, as ``git diff
REF...`` compares), HEAD for ``--staged``, or a folder holding another tree.
A commit's files (and, for ``--staged``, the index's) are written to a
temporary folder from one ``git cat-file --batch``; the repository, its
work tree, index and stash are never touched.
"""

from __future__ import annotations

import tempfile
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from qapilint.change import git
from qapilint.change.compare import Fingerprint, fingerprints, introduced
from qapilint.lint.check import CheckError, CheckOptions, CheckResult, run_check
from qapilint.lint.config import find_config
from qapilint.lint.engine import BaseRoot, sort_key
from qapilint.lint.rule import Finding
from qapilint.schema.root import Schema
from qapilint.schema.tree import find_tree_root
from qapilint.syntax.model import Module

# what a base needs of a tree: QAPI files, the test suite's .err files (a
# folder walk skips those cases), the VERSION and the tree's markers
WANTED_SUFFIXES = (".json", ".err")
WANTED_NAMES = frozenset({"VERSION", ".qapilint.toml", "pyproject.toml"})
# problems after which a module's model is not the file's meaning
UNPARSED = frozenset(
    {
        "lexical",
        "syntax",
        "encoding",
        "include-read",
        "too-deep",
        "top-level-not-object",
        "too-many-problems",
        "doc-unterminated",
    }
)


@dataclass(slots=True)
class ChangeResult:
    """The head's check, its findings cut down to those the change
    introduced, and what the comparison has to say."""

    result: CheckResult
    warnings: list[str] = field(default_factory=list)
    # every finding at head, old ones included (for baselines)
    everything: list[Finding] = field(default_factory=list)


def _wanted(path: str) -> bool:
    name = path.rpartition("/")[2]
    return name.endswith(WANTED_SUFFIXES) or name in WANTED_NAMES


def _start(paths: Sequence[Path]) -> Path:
    first = paths[0].resolve() if paths else Path.cwd()
    return first if first.is_dir() else first.parent


def write_tree(folder: Path, top: Path, entries: Sequence[git.Entry]) -> None:
    """The wanted files of ``entries`` under ``folder``, from one cat-file."""
    wanted = [entry for entry in entries if _wanted(entry.path)]
    blobs = git.read_blobs(top, [entry.blob for entry in wanted])
    (folder / ".git").write_bytes(b"")  # the tree's top, as in the work tree
    made: set[str] = set()
    for entry in wanted:
        parent = entry.path.rpartition("/")[0]
        if parent and parent not in made:  # each folder made once, not stat'ed per file
            (folder / parent).mkdir(parents=True, exist_ok=True)
            made.add(parent)
        with open(folder / entry.path, "xb") as handle:
            handle.write(blobs[entry.blob])


@dataclass(slots=True)
class _Sides:
    head_top: Path  # the tree the user named paths in
    head_folder: Path  # where the head is read: head_top, or the index written out
    base_folder: Path | None  # None: nothing at base (a first commit)
    renames: dict[str, str]  # base path -> head path, relative to the tops
    label: str  # what the base is, for messages
    changed: set[str] | None = None  # paths that differ (relative to the tops); None: unknown


@contextmanager
def _sides(paths: Sequence[Path], diff_base: str | None, staged: bool) -> Iterator[_Sides]:
    if not staged and diff_base is not None and _is_folder(diff_base):
        folder = Path(diff_base).resolve()
        start = _start(paths)
        top = find_tree_root(start / "x")
        yield _Sides(top, top, folder, {}, diff_base)
        return
    top = git.toplevel(_start(paths))
    with tempfile.TemporaryDirectory(prefix="qapilint-") as scratch:
        work = Path(scratch)
        if staged:
            head = work / "head"
            head.mkdir()
            write_tree(head, top, git.index_entries(top, []))
            commit = git.commit_of(top, "HEAD") if git.has_head(top) else None
            label = "HEAD"
        else:
            head = top
            commit = git.merge_base(top, diff_base or "HEAD")
            label = f"the merge-base of {diff_base} and HEAD"
        base = None
        renames: dict[str, str] = {}
        changed = None
        if commit is not None:
            base = work / "base"
            base.mkdir()
            write_tree(base, top, git.tree_entries(top, commit, []))
            renames, changed = git.changes(top, commit, staged=staged)
        yield _Sides(top, head, base, renames, label, changed)


def _is_folder(base: str) -> bool:
    return Path(base).is_dir()


def _relative(path: Path, top: Path) -> str | None:
    try:
        return path.resolve().relative_to(top).as_posix()
    except ValueError:
        return None


def run_change(
    options: CheckOptions, diff_base: str | None = None, staged: bool = False
) -> ChangeResult:
    """The head's findings the change introduced (see the module's doc)."""
    try:
        with _sides(options.paths, diff_base, staged) as sides:
            return _compare(options, sides)
    except git.GitError as error:
        raise CheckError(str(error)) from error


def _compare(options: CheckOptions, sides: _Sides) -> ChangeResult:
    head_top = sides.head_top.resolve()
    head_folder = sides.head_folder.resolve()
    relative_paths = []
    for path in options.paths:
        if not path.exists():
            raise CheckError(f"{path}: no such file or directory")
        rel = _relative(path, head_top)
        if rel is None:
            raise CheckError(f"{path}: outside the tree being compared ({head_top})")
        relative_paths.append(rel)
    config = options.config
    if config is None and not options.isolated and options.paths:
        config = find_config(options.paths[0])
    settings_options = options.replace(config=config, isolated=options.isolated or config is None)
    warnings: list[str] = []

    # the base of each root that changed, with the head's settings
    back = {new: old for old, new in sides.renames.items()}
    base_folder = sides.base_folder.resolve() if sides.base_folder is not None else None
    changed = sides.changed
    if changed is not None and any(
        _wanted(path) and not path.endswith(".json") and not path.endswith(".err")
        for path in changed
    ):
        changed = None  # VERSION or configuration changed: every root may differ
    bases: dict[str, BaseRoot] = {}
    base_results: list[CheckResult] = []
    unparsed: list[str] = []

    def lookup(root: Path, schema: Schema) -> BaseRoot:
        rel = _relative(root, head_folder)
        if rel is None:
            return BaseRoot(None, None)
        if changed is not None:
            paths = {_relative(module.path, head_folder) for module in schema.modules}
            if not paths & changed:
                return BaseRoot(None, None, unchanged=True)
        base_rel = back.get(rel, rel)
        if base_folder is not None and not (base_folder / base_rel).is_file():
            # a root the base lacks: its modules may have been in another root
            for module in schema.modules:
                module_rel = _relative(module.path, head_folder)
                if module_rel is not None:
                    module_rel = back.get(module_rel, module_rel)
                    if (base_folder / module_rel).is_file():
                        base_rel = module_rel
                        break
        if base_rel not in bases:
            bases[base_rel] = _base_root(base_rel, _unchanged_modules(schema))
        return bases[base_rel]

    # each base root checked: loaded while the head is checked (the change
    # rules need it), its rules run once the head's findings are known
    pending: list[tuple[Path, Mapping[Path, Schema]]] = []

    def _unchanged_modules(schema: Schema) -> dict[Path, Module]:
        """The head's modules whose file is byte for byte the same at base,
        by their base path: the base reuses their parse."""
        if base_folder is None:
            return {}
        reused = {}
        for module in schema.modules:
            rel = _relative(module.path, head_folder)
            if rel is None or (changed is not None and rel in changed):
                continue
            at_base = base_folder / rel
            try:
                if at_base.read_bytes() == module.path.read_bytes():
                    reused[at_base.resolve()] = module
            except OSError:
                continue
        return reused

    def _base_root(base_rel: str, parsed: Mapping[Path, Module]) -> BaseRoot:
        if base_folder is None or not (base_folder / base_rel).is_file():
            return BaseRoot(None, None)  # a new root: everything in it is new
        base_root = base_folder / base_rel
        try:
            found = run_check(
                settings_options.replace(
                    paths=[base_root],
                    tree_root=None,
                    base=None,
                    only=frozenset(),
                    parsed=parsed,
                )
            )
        except CheckError as error:
            unparsed.append(f"{base_rel} ({error})")
            return BaseRoot(None, None, parsed=False)
        # the root itself, or the largest root holding the module named
        holding = [
            (schema, tree)
            for schema, tree in found.schemas.values()
            if any(module.path.resolve() == base_root.resolve() for module in schema.modules)
        ]
        if not holding:
            return BaseRoot(None, None)
        schema, tree = max(holding, key=lambda pair: len(pair[0].definitions))
        if _does_not_parse(schema.modules):
            unparsed.append(sides.renames.get(base_rel, base_rel))
            return BaseRoot(None, None, parsed=False)
        loaded = {root: schema for root, (schema, _tree) in found.schemas.items()}
        pending.append((base_root, loaded))
        return BaseRoot(schema, tree)

    head_paths = [head_folder / rel for rel in relative_paths]
    head_options = options.replace(paths=head_paths, base=lookup)
    if options.tree_root is not None and head_folder != head_top:
        tree_rel = _relative(options.tree_root, head_top)
        head_options.tree_root = head_folder / tree_rel if tree_rel is not None else None
    result = run_check(head_options)
    # a base finding matters only if a head finding of its rule may match
    # it; the suppression stage's rules judge every other rule's findings
    codes = frozenset(finding.code for finding in result.findings)
    rules = [result.settings.rule(code) for code in codes]
    judged = any(found is None or found.context == "suppressions" for found in rules)
    only = None if judged else codes
    for base_root, loaded in pending if codes else []:
        base_results.append(
            run_check(
                settings_options.replace(
                    paths=[base_root],
                    tree_root=None,
                    base=None,
                    only=only,
                    loaded=loaded,
                )
            )
        )

    head_rel = {path: _relative(path, head_folder) or str(path) for path in result.modules}
    head_prints = fingerprints(result.findings, result.modules, head_rel)
    base_prints: list[Fingerprint] = []
    seen: set[tuple[object, ...]] = set()  # a module in several bases counts once
    for base_result in base_results:
        assert base_folder is not None
        base_rel = {}
        for path in base_result.modules:
            rel = _relative(path, base_folder) or str(path)
            base_rel[path] = sides.renames.get(rel, rel)
        fresh = []
        for finding in base_result.findings:
            identity = (finding.path, finding.span, finding.code, finding.message)
            if identity not in seen:
                seen.add(identity)
                fresh.append(finding)
        base_prints += fingerprints(fresh, base_result.modules, base_rel)
    for rel in sorted(unparsed):
        warnings.append(
            f"the base ({sides.label}) of {rel} does not parse: every finding there counts as new"
        )
    new = introduced(result.findings, head_prints, base_prints)
    everything = result.findings
    if head_folder != head_top:
        result = moved_result(result, head_folder, head_top)
        new = [moved_finding(finding, head_folder, head_top) for finding in new]
        everything = [moved_finding(finding, head_folder, head_top) for finding in everything]
    result.findings = sorted(new, key=sort_key)
    result.settings.warnings += warnings
    return ChangeResult(result, warnings, everything)


def compare_folders(
    options: CheckOptions,
    folder: Path,
    *,
    base_folder: Path,
    renames: dict[str, str],
    changed: set[str] | None,
    label: str,
) -> ChangeResult:
    """``options.paths`` (in ``folder``, a tree written out) checked against
    ``base_folder`` (another): the findings introduced, paths in ``folder``."""
    return _compare(options, _Sides(folder, folder, base_folder, renames, label, changed))


def _does_not_parse(modules: Sequence[Module]) -> bool:
    return any(problem.kind in UNPARSED for module in modules for problem in module.problems)


def _moved_path(path: Path, old: Path, new: Path) -> Path:
    try:
        return new / path.relative_to(old)
    except ValueError:
        return path


def moved_finding(finding: Finding, old: Path, new: Path) -> Finding:
    if finding.path is None:
        return finding
    return finding.replace(path=_moved_path(finding.path, old, new))


def moved_result(result: CheckResult, old: Path, new: Path) -> CheckResult:
    """The result of a check of the index written out, with the work
    tree's paths."""
    sources = {_moved_path(path, old, new): lines for path, lines in result.sources.items()}
    modules = {_moved_path(path, old, new): module for path, module in result.modules.items()}
    return result.replace(sources=sources, modules=modules)
