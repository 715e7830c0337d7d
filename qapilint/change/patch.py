"""``qapilint patch``: a patch series checked against its base, each finding
attributed to the patch that introduced it.

The base is, in this order, the parent of the first patch's commit (its
``From <sha>`` line) when this repository has it, the series'
``base-commit:`` trailer, HEAD with the series taken back out when the
series is already applied (it applies in reverse), and ``--base REF``; the
first to which the series applies is used. The patches are applied one by
one in a temporary index (``GIT_INDEX_FILE``): the repository's index, work
tree, stash and refs are never touched. After each patch the QAPI files the
series touches are checked through :func:`qapilint.change.diff.compare_folders`
against the base, so a finding is new when it is new against the base, is
attributed to the first patch after which it exists, and is not reported
when a later patch removes it.

With no usable base, only the doc lines the series adds are checked: each
file's hunks, as they read after the patch, on their own, keeping the
findings on added lines of the rules that read single lines.
"""

from __future__ import annotations

import tempfile
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from qapilint.change import git
from qapilint.change.compare import Fingerprint, fingerprints
from qapilint.change.diff import compare_folders, moved_finding, moved_result, write_tree
from qapilint.change.series import Patch, Series
from qapilint.lint.check import CheckError, CheckOptions, CheckResult, run_check
from qapilint.lint.engine import sort_key
from qapilint.lint.rule import Finding
from qapilint.syntax.scan import looks_like_qapi

# without a base, the rules whose findings a hunk read on its own supports:
# line length and sentence spacing, formatting, wording, since tag forms
ADDED_LINES_RULES = ("Q181", "Q182", "F", "W", "S002", "S003")


@dataclass(frozen=True, slots=True)
class Origin:
    """The patch that introduced a finding, and the finding as it was
    right after that patch (its lines are that patch's lines)."""

    patch: Patch
    then: Finding


@dataclass(slots=True)
class PatchResult:
    result: CheckResult  # findings as after the whole series, paths in the repository
    base: str  # which base was used, for the user
    origins: dict[int, Origin] = field(default_factory=dict)  # id(finding) -> its patch
    notes: list[str] = field(default_factory=list)  # for standard error


def _qapi_paths(series: Series) -> list[str]:
    return list(
        dict.fromkeys(path for patch in series.patches for path in patch.paths if _is_json(path))
    )


def _is_json(path: str) -> bool:
    return path.endswith(".json")


def _label(patch: Patch) -> str:
    return f"patch {patch.number}/{patch.total} ({patch.subject!r})"


class _Failed(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)


def run_patch(options: CheckOptions, series: Series, base_ref: str | None = None) -> PatchResult:
    """The series' findings (see the module's doc)."""
    cwd = options.paths[0] if options.paths else Path.cwd()
    try:
        top = git.toplevel(cwd)
    except git.GitError:
        top = None
    if top is None:
        return _added_lines(options, series, "not in a git repository")
    with tempfile.TemporaryDirectory(prefix="qapilint-patch-") as scratch:
        work = Path(scratch)
        index = work / "index"
        failures: list[str] = []
        try:
            trees = _find_base(top, index, series, base_ref, failures)
        except git.GitError as error:
            raise CheckError(str(error)) from error
        if trees is None:
            if failures:
                raise CheckError(failures[0])
            return _added_lines(options, series, "no base found")
        label, states = trees
        return _check_states(options, series, top=top, work=work, label=label, states=states)


def _find_base(
    top: Path, index: Path, series: Series, base_ref: str | None, failures: list[str]
) -> tuple[str, list[str]] | None:
    """The base's label and the trees of the base and after each patch."""
    patches = series.patches
    candidates: list[tuple[str, str | None]] = []  # (label, commit; None: the empty tree)
    first = patches[0].commit
    if first is not None and git.exists(top, first) is not None:
        candidates.append(
            (
                f"the parent of {first[:12]}, the first patch's commit",
                git.parent(top, first),
            )
        )
    if series.base_commit is not None:
        found = git.exists(top, series.base_commit)
        if found is not None:
            candidates.append((f"{series.base_commit[:12]}, the series' base-commit", found))
    for label, commit in candidates:
        states = _forward(top, index, base=commit, patches=patches, label=label, failures=failures)
        if states is not None:
            return label, states
    if git.has_head(top):
        git.read_tree(top, index, "HEAD")
        if all(git.apply(top, index, patch.diff, reverse=True) is None for patch in patches[::-1]):
            base_tree = git.write_tree(top, index)
            label = "HEAD without the series, which is already applied"
            states = _forward(
                top, index, base=base_tree, patches=patches, label=label, failures=failures
            )
            if states is not None:
                return label, states
    if base_ref is not None:
        commit = git.commit_of(top, base_ref)
        label = f"{base_ref} (--base)"
        states = _forward(top, index, base=commit, patches=patches, label=label, failures=failures)
        if states is not None:
            return label, states
    return None


def _forward(
    top: Path,
    index: Path,
    *,
    base: str | None,
    patches: Sequence[Patch],
    label: str,
    failures: list[str],
) -> list[str] | None:
    git.read_tree(top, index, base)
    states = [git.write_tree(top, index)]
    for patch in patches:
        problem = git.apply(top, index, patch.diff)
        if problem is not None:
            failures.append(f"{_label(patch)} does not apply to {label}: {problem}")
            return None
        states.append(git.write_tree(top, index))
    return states


def _check_states(
    options: CheckOptions,
    series: Series,
    *,
    top: Path,
    work: Path,
    label: str,
    states: list[str],
) -> PatchResult:
    wanted = _qapi_paths(series)
    base_folder = work / "state-0"
    base_folder.mkdir()
    write_tree(base_folder, top, git.tree_entries(top, states[0], []))
    per_state: list[tuple[list[Finding], list[Fingerprint], CheckResult | None]] = []
    notes: list[str] = []
    for number, tree in enumerate(states[1:], 1):
        folder = work / f"state-{number}"
        folder.mkdir()
        write_tree(folder, top, git.tree_entries(top, tree, []))
        paths = [folder / path for path in wanted if _is_qapi(folder / path)]
        if not paths:
            per_state.append(([], [], None))
            continue
        renames, changed = git.tree_changes(top, states[0], tree)
        state_options = options.replace(paths=paths)
        if state_options.tree_root is not None:
            rel = _relative(state_options.tree_root, top)
            state_options.tree_root = folder / rel if rel is not None else None
        change = compare_folders(
            state_options,
            folder,
            base_folder=base_folder,
            renames=renames,
            changed=changed,
            label=f"the base ({label})",
        )
        result = change.result
        notes += [note for note in change.warnings if note not in notes]
        relative = {path: _relative(path, folder) or str(path) for path in result.modules}
        prints = fingerprints(result.findings, result.modules, relative)
        moved = [moved_finding(finding, folder, top) for finding in result.findings]
        per_state.append((moved, prints, moved_result(result, folder, top)))
    final_findings, final_prints, final_result = per_state[-1] if per_state else ([], [], None)
    if final_result is None:
        empty = run_check_settings(options)
        return PatchResult(empty, label, {}, notes)
    origins: dict[int, Origin] = {}
    seen: Counter[Fingerprint] = Counter()
    for finding, fingerprint in zip(final_findings, final_prints, strict=True):
        seen[fingerprint] += 1
        occurrence = seen[fingerprint]
        for position, (findings, prints, _result) in enumerate(per_state):
            matching = [
                found for found, other in zip(findings, prints, strict=True) if other == fingerprint
            ]
            if len(matching) >= occurrence:
                origins[id(finding)] = Origin(series.patches[position], matching[occurrence - 1])
                break
    final_result.findings = sorted(final_findings, key=sort_key)
    return PatchResult(final_result, label, origins, notes)


def run_check_settings(options: CheckOptions) -> CheckResult:
    """An empty result with the settings ``options`` resolve to (a series
    that touches no QAPI file)."""
    from qapilint.lint.check import resolve_settings  # noqa: PLC0415

    return CheckResult([], {}, resolve_settings(options.replace(paths=[])))


def _is_qapi(path: Path) -> bool:
    try:
        with path.open(encoding="utf-8", errors="replace") as handle:
            return looks_like_qapi(handle.read(4096))
    except OSError:
        return False


def _relative(path: Path, top: Path) -> str | None:
    try:
        return path.resolve().relative_to(top.resolve()).as_posix()
    except ValueError:
        return None


def _in_doc(text: str) -> bool:
    """Whether a line is inside a doc comment (a ``#`` line, not ``##``)."""
    return text.startswith("#") and text.rstrip() != "##"


def _added_lines(options: CheckOptions, series: Series, why: str) -> PatchResult:
    """No base: each patch's hunks of QAPI files, as they read after the
    patch, checked on their own; the findings on added lines kept."""
    from qapilint.lint.selection import most_specific  # noqa: PLC0415

    findings: list[Finding] = []
    origins: dict[int, Origin] = {}
    settings = None
    top = Path.cwd()
    with tempfile.TemporaryDirectory(prefix="qapilint-hunks-") as scratch:
        work = Path(scratch)
        for patch in series.patches:
            by_path: dict[str, list[tuple[str, int | None, bool]]] = {}
            for hunk in patch.hunks:
                if not _is_json(hunk.path):
                    continue
                lines = by_path.setdefault(hunk.path, [])
                if lines:
                    lines.append(("", None, False))
                after = [
                    (line.text, line.line, line.kind == "+")
                    for line in hunk.lines
                    if line.kind != "-"
                ]
                # a hunk cut out of a doc block: close it so that it reads as one
                if after and _in_doc(after[0][0]):
                    after.insert(0, ("##", None, False))
                if after and _in_doc(after[-1][0]):
                    after.append(("##", None, False))
                lines += after
            for path, lines in by_path.items():
                folder = work / f"patch-{patch.number}"
                target = folder / path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text("".join(text + "\n" for text, _, _ in lines), encoding="utf-8")
                try:
                    result = run_check(options.replace(paths=[target], tree_root=folder))
                except CheckError:
                    continue
                settings = result.settings
                real = top / path
                for finding in result.findings:
                    at = finding.span.line - 1
                    if not 0 <= at < len(lines) or not lines[at][2]:
                        continue
                    found = next((r for r in result.settings.rules if r.code == finding.code), None)
                    if found is None or not most_specific(list(ADDED_LINES_RULES), found):
                        continue
                    line = lines[at][1] or 1
                    span = finding.span
                    moved = finding.replace(
                        path=real,
                        fix=None,
                        span=span._replace(line=line, end_line=line + span.end_line - span.line),
                    )
                    findings.append(moved)
                    origins[id(moved)] = Origin(patch, moved)
    if settings is None:
        result = run_check_settings(options)
    else:
        result = CheckResult(sorted(findings, key=sort_key), {}, settings)
    note = (
        f"{why}: only the doc lines the series adds were checked, each hunk on its own "
        "(give --base REF to check the series against a tree)"
    )
    return PatchResult(result, "none", origins, [note])
