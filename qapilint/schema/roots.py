"""Which root schemas to analyse for the paths a user names.

A QAPI module means little on its own: pragmas are global to its root and
its types may be defined in sibling modules. So every file is analysed inside
the root schema(s) that include it, and only its own findings are reported.

The rules, applied within the file's *tree* (:func:`qapilint.schema.tree.find_tree_root`):

- A **QAPI file** is a ``.json`` file whose first token is a ``#`` comment or
  an object whose first key is single-quoted (``{'``). Ordinary JSON
  (``MANIFEST.json``, firmware descriptors, ``compile_commands.json``) starts
  with ``{"`` or ``[`` and is never read further.
- A **root** is a QAPI file that no other QAPI file of the tree includes.
- A **test case** is a ``.json`` file next to a ``.err`` file of the same stem:
  the layout of QEMU's own suite (``tests/qapi-schema/``), whose cases carry
  their expected verdicts. A folder walk never plans a test case as a root,
  nor a module only test cases include; name a case to check it. Nor is a
  test case ever the root of a named file outside the test suite (a file in
  a folder without test cases), so naming such a file does not read the
  suite.
- A **folder** contributes every QAPI file below it (hidden folders,
  caches and ``exclude`` patterns skipped, though a folder named explicitly
  is walked even when it is hidden or excluded itself): a root is planned
  whole (``report=None``); any other module is planned inside each root
  that includes it, reporting that module only.
- A **file** named explicitly is always analysed: inside each root that
  includes it, or as its own root when nothing (or only an include loop)
  includes it.

Plans for the same root are merged. Discovery reads the first bytes of each
``.json`` file and scans QAPI files for include directives with a regular
expression; it never parses: the loader does that once per planned root.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator
from pathlib import Path

from qapilint.files.globs import PathGlobs
from qapilint.files.records import Record
from qapilint.schema.tree import find_tree_root
from qapilint.syntax.scan import include_targets, looks_like_qapi

SNIFF_BYTES = 4096
SKIPPED_FOLDERS = frozenset({"__pycache__", "node_modules"})


class RootPlan(Record):
    __slots__ = ("report", "root")

    def __init__(self, root: Path, report: set[Path] | None = None) -> None:
        self.root = root  # the root schema to load
        self.report = report  # modules to report on; None: all


# --------------------------------------------------------------------------
# Reading files cheaply


def _read_qapi(path: str) -> str | None:
    """The text of ``path`` (a regular file: :func:`walk_json` yields no
    other) if it looks like QAPI, else None."""
    try:
        with open(path, "rb") as stream:
            head = stream.read(SNIFF_BYTES)
            if not looks_like_qapi(head.decode("utf-8", errors="replace")):
                return None
            return (head + stream.read()).decode("utf-8", errors="replace")
    except OSError:
        return None


def is_test_case(path: Path) -> bool:
    """A QEMU test-suite case: ``X.json`` next to its expected ``X.err``."""
    return path.with_suffix(".err").is_file()


def walk_json(
    folder: Path, exclude: PathGlobs | None = None, *, test_cases: bool = True
) -> Iterable[Path]:
    """``.json`` files below ``folder`` (a resolved path), in sorted order,
    skipping hidden folders, caches, symbolic links to folders, what
    ``exclude`` matches (each file and folder below ``folder``; the walk
    does not go into a folder it matched), and test cases (see
    :func:`is_test_case`) unless ``test_cases``."""
    return map(Path, _walk_json(str(folder), exclude, test_cases))


def _walk_json(folder: str, exclude: PathGlobs | None, test_cases: bool) -> Iterator[str]:
    """:func:`walk_json`, each file's path as a string (a graph of a tree
    walks every ``.json`` file in it: strings spare it a path object each)."""
    stack = [folder]
    while stack:
        current = stack.pop()
        try:
            with os.scandir(current) as scan:
                entries = sorted(scan, key=lambda entry: entry.name)
        except OSError:
            continue
        folders: list[str] = []
        if not test_cases:  # the stems of X.err files: X.json is a case
            cases = {entry.name[:-4] for entry in entries if entry.name.endswith(".err")}
        for entry in entries:
            name = entry.name
            try:
                is_folder = entry.is_dir(follow_symlinks=False)
            except OSError:
                continue
            if exclude and exclude.matches_entry(entry.path, name, is_folder):
                continue
            if is_folder:
                if not name.startswith(".") and name not in SKIPPED_FOLDERS:
                    folders.append(entry.path)
            elif (
                name.endswith(".json")
                and (test_cases or name[:-5] not in cases)
                and _regular_file(entry)
            ):
                yield entry.path
        stack.extend(reversed(folders))


def _regular_file(entry: os.DirEntry[str]) -> bool:
    """A regular file (or a link to one): opening a FIFO would block, and
    a device is no schema."""
    try:
        return entry.is_file()
    except OSError:
        return False


def _holds_test_results(folder: Path) -> bool:
    """Whether ``folder`` holds a ``.err`` file (a name with that suffix:
    ``X.err``, not a hidden file named ``.err``), as QEMU's test suite does."""
    try:
        with os.scandir(folder) as scan:
            return any(
                entry.name.endswith(".err") and len(entry.name) > len(".err") for entry in scan
            )
    except OSError:
        return False


# --------------------------------------------------------------------------
# The include graph of a tree


class IncludeGraph:
    """The QAPI files of one tree and who includes whom, by path (a
    resolved path, normalised, as a string: the graph of a tree holds
    every QAPI file in it)."""

    def __init__(
        self, top: Path, exclude: PathGlobs | None = None, *, test_cases: bool = True
    ) -> None:
        self.top = top
        self.includes: dict[str, list[str]] = {}
        self.includers: dict[str, set[str]] = {}
        for path in _walk_json(str(top), exclude, test_cases):
            self.add(path)

    def add(self, path: str) -> None:
        """Read ``path`` into the graph, if it is QAPI."""
        if path in self.includes:
            return
        text = _read_qapi(path)
        if text is None:
            return
        folder = os.path.dirname(path)
        targets = [
            os.path.normpath(os.path.join(folder, target)) for target in include_targets(text)
        ]
        self.includes[path] = targets
        for target in targets:
            if target != path:
                self.includers.setdefault(target, set()).add(path)

    def is_root(self, path: str) -> bool:
        return not self.includers.get(path)

    def roots_including(self, path: str) -> list[Path]:
        """The roots from which ``path`` is reachable by includes (not
        ``path`` itself), walking includers backwards; loops are harmless."""
        seen = {path}
        stack = [path]
        roots: list[str] = []
        while stack:
            current = stack.pop()
            for includer in self.includers.get(current, ()):
                if includer in seen:
                    continue
                seen.add(includer)
                if self.is_root(includer):
                    roots.append(includer)
                stack.append(includer)
        return sorted(map(Path, roots))


class _Planner:
    def __init__(self, exclude: PathGlobs | None) -> None:
        self.exclude = exclude
        self.graphs: dict[tuple[Path, bool], IncludeGraph] = {}
        self.plans: dict[Path, set[Path] | None] = {}

    def graph(self, start: Path, *, test_cases: bool = True) -> IncludeGraph:
        """The include graph of the tree holding ``start`` (a folder),
        without the tree's test cases unless ``test_cases``."""
        top = find_tree_root(start / "_")
        graph = self.graphs.get((top, test_cases))
        if graph is None:
            graph = IncludeGraph(top, self.exclude, test_cases=test_cases)
            self.graphs[top, test_cases] = graph
        return graph

    def plan(self, root: Path, module: Path | None) -> None:
        """Analyse ``root``, reporting ``module`` (None: everything)."""
        if root in self.plans:
            report = self.plans[root]
            if report is not None:
                if module is None:
                    self.plans[root] = None
                else:
                    report.add(module)
        else:
            self.plans[root] = None if module is None else {module}

    def add_file(self, path: Path) -> None:
        graph = self.graph(path.parent, test_cases=_holds_test_results(path.parent))
        key = str(path)
        roots = [] if graph.is_root(key) else graph.roots_including(key)
        if not roots:
            self.plan(path, None)
        for root in roots:
            self.plan(root, path)

    def qapi_files(self, graph: IncludeGraph, folder: Path) -> list[str]:
        """The QAPI files below ``folder``: from the tree's walk when it
        covered the folder, else from a walk of the folder itself."""
        relative = folder.relative_to(graph.top).as_posix()
        parts = [] if relative == "." else relative.split("/")
        skipped = any(part.startswith(".") or part in SKIPPED_FOLDERS for part in parts)
        if skipped or (self.exclude and parts and self.exclude.matches(folder, is_folder=True)):
            for path in _walk_json(str(folder), self.exclude, True):
                graph.add(path)
            walked = _walk_json(str(folder), self.exclude, True)
            return [path for path in walked if path in graph.includes]
        prefix = os.path.join(str(folder), "")
        return [path for path in graph.includes if path.startswith(prefix)]

    def add_folder(self, folder: Path) -> None:
        graph = self.graph(folder)
        for key in self.qapi_files(graph, folder):
            path = Path(key)
            if is_test_case(path):
                continue
            if graph.is_root(key):
                self.plan(path, None)
                continue
            for root in graph.roots_including(key):
                if not is_test_case(root):
                    self.plan(root, path)


def skipped_test_cases(folder: Path, exclude: PathGlobs | None = None) -> list[Path]:
    """The test cases (see :func:`is_test_case`) a walk of ``folder``
    leaves out, as paths below ``folder`` as given."""
    resolved = folder.resolve()
    return [
        folder / path.relative_to(resolved)
        for path in walk_json(resolved, exclude)
        if is_test_case(path)
    ]


def plan_roots(paths: list[Path], exclude: PathGlobs | None = None) -> list[RootPlan]:
    """The roots to load for ``paths`` (files or folders) and, for each, the
    modules whose findings to report, skipping in folder walks what
    ``exclude`` matches; see the module documentation."""
    planner = _Planner(exclude)
    for path in paths:
        resolved = path.resolve()
        if resolved.is_dir():
            planner.add_folder(resolved)
        else:
            planner.add_file(resolved)
    return [RootPlan(root, report) for root, report in planner.plans.items()]
