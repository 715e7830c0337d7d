"""The code's structure: imports go one way, doc syntax has one owner, and
the facts QAPI defines (section tags, the line limit, pragma names) are
written down once.

These read the source with :mod:`ast`; a failure names the file and line
that broke the rule. docs/architecture.md explains the layering.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

from qapilint.schema.root import Pragmas
from qapilint.syntax.build import PRAGMA_TYPES
from qapilint.syntax.doclines import SECTION_TAGS

PROJECT = Path(__file__).resolve().parent.parent

# Packages in pipeline order: each may import only those before it. The
# built-in rules sit on top of the engine, beside the report and the CLI.
LAYERS = [
    "qapilint.files",
    "qapilint.syntax",
    "qapilint.schema",
    "qapilint.markup",
    "qapilint.fix",
    "qapilint.lint",
    "qapilint.change",
    "qapilint.rules",
    "qapilint.report",
    "qapilint.sphinx",
    "qapilint.cli",
    "qapilint.__main__",
]
TOP = "qapilint"  # the package itself holds only __version__


def _sources() -> Iterator[tuple[str, Path]]:
    for path in sorted((PROJECT / "qapilint").rglob("*.py")):
        parts = list(path.relative_to(PROJECT).with_suffix("").parts)
        yield ".".join(parts[:-1] if parts[-1] == "__init__" else parts), path
    for path in sorted((PROJECT / "rules").rglob("*.py")):
        parts = ["qapilint", "rules", *path.relative_to(PROJECT / "rules").with_suffix("").parts]
        yield ".".join(parts[:-1] if parts[-1] == "__init__" else parts), path


SOURCES = dict(_sources())


def _imports(name: str, path: Path) -> Iterator[tuple[str, int]]:
    """(module imported, line) for every qapilint import in a file,
    function-level ones included."""
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")[: len(package.split(".")) - node.level + 1]
                module = ".".join([*base, node.module] if node.module else base)
            else:
                module = node.module or ""
            for alias in node.names:
                full = f"{module}.{alias.name}"
                yield (full if full in SOURCES else module), node.lineno
        elif isinstance(node, ast.Import):
            for alias in node.names:
                yield alias.name, node.lineno


def _layer(module: str) -> int | None:
    for index, layer in enumerate(LAYERS):
        if module == layer or module.startswith(layer + "."):
            return index
    return None


def test_every_module_belongs_to_a_layer() -> None:
    assert [name for name in SOURCES if name != TOP and _layer(name) is None] == []


def test_imports_go_one_way() -> None:
    wrong = []
    for name, path in SOURCES.items():
        own = _layer(name)
        for module, line in _imports(name, path):
            if not module.startswith(TOP + ".") or own is None:
                continue
            other = _layer(module)
            if other is not None and other > own:
                wrong.append(f"{path.relative_to(PROJECT)}:{line}: {name} imports {module}")
    assert wrong == []


def test_no_import_cycles() -> None:
    graph = {
        name: {module for module, _ in _imports(name, path) if module in SOURCES and module != name}
        for name, path in SOURCES.items()
    }
    done: set[str] = set()

    def visit(name: str, trail: list[str]) -> list[str] | None:
        if name in trail:
            return [*trail[trail.index(name) :], name]
        if name in done:
            return None
        for module in sorted(graph[name]):
            cycle = visit(module, [*trail, name])
            if cycle:
                return cycle
        done.add(name)
        return None

    cycles = [cycle for name in sorted(graph) if (cycle := visit(name, []))]
    assert cycles == []


# --------------------------------------------------------------------------
# Doc syntax: one owner

# Pieces of a regular expression that can only be there to match doc syntax
DOC_SYNTAX = (
    "Returns",
    "Errors",
    "Since:",
    "Example",
    "TODO",
    "Features",
    "##",
    "@[^",
    "@(",
    "@[\\w",
    "\\d+[.)]",
    "[-*+",
    "->",
    "qmp-example",
    "::",
)
_RE_FUNCTIONS = {"compile", "match", "search", "fullmatch", "finditer", "findall", "sub", "split"}


def _regex_literals(path: Path) -> Iterator[tuple[int, str]]:
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if not (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in _RE_FUNCTIONS
            and isinstance(node.func.value, ast.Name)
            and node.func.value.id == "re"
            and node.args
        ):
            continue
        for part in ast.walk(node.args[0]):
            if isinstance(part, ast.Constant) and isinstance(part.value, str):
                yield node.lineno, part.value


def _outside_syntax() -> list[Path]:
    return [p for n, p in SOURCES.items() if not n.startswith("qapilint.syntax")]


def test_no_doc_syntax_regex_outside_the_syntax_package() -> None:
    found = [
        f"{path.relative_to(PROJECT)}:{line}: {pattern!r}"
        for path in _outside_syntax()
        for line, pattern in _regex_literals(path)
        if any(sign in pattern for sign in DOC_SYNTAX)
    ]
    assert found == []


def test_the_check_would_catch_a_copied_tag_pattern(tmp_path: Path) -> None:
    copied = tmp_path / "copy.py"
    copied.write_text('import re\n_TAG = re.compile(r"(Returns|Errors|Since)(?!::): *")\n')
    assert [line for line, text in _regex_literals(copied) if "Returns" in text] == [2]


def _constants(path: Path) -> Iterator[tuple[int, object]]:
    """Constants in code, docstrings left out."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    docstrings = {
        id(node.body[0].value)
        for node in ast.walk(tree)
        if isinstance(node, ast.Module | ast.ClassDef | ast.FunctionDef)
        and node.body
        and isinstance(node.body[0], ast.Expr)
        and isinstance(node.body[0].value, ast.Constant)
    }
    for node in ast.walk(tree):
        if isinstance(node, ast.Constant) and id(node) not in docstrings:
            yield node.lineno, node.value


def _defining(predicate: object) -> list[str]:
    assert callable(predicate)
    return sorted(
        {
            str(path.relative_to(PROJECT))
            for path in SOURCES.values()
            for _, value in _constants(path)
            if predicate(value)
        }
    )


def test_section_tags_are_listed_once() -> None:
    assert set(SECTION_TAGS) >= {"Returns", "Errors", "Since", "TODO"}
    assert _defining(lambda v: v == "Errors") == ["qapilint/syntax/doclines.py"]


def test_the_line_limit_is_defined_once() -> None:
    assert _defining(lambda v: v == 70 and not isinstance(v, bool)) == [
        "qapilint/syntax/doclines.py"
    ]


def test_pragma_names_are_defined_once() -> None:
    names = set(PRAGMA_TYPES)
    assert len(names) == 5
    assert _defining(lambda v: v in names) == ["qapilint/syntax/build.py"]
    # the loader fills one Pragmas field per pragma, named after it
    fields = set(Pragmas.__slots__)
    assert fields == {name.replace("-", "_") for name in names}


def test_architecture_page_names_every_module() -> None:
    page = (PROJECT / "docs" / "architecture.md").read_text(encoding="utf-8")
    missing = [
        str(path.relative_to(PROJECT / "qapilint"))
        for name, path in SOURCES.items()
        if name.startswith("qapilint.")
        and not name.startswith("qapilint.rules")
        and path.name not in {"__init__.py", "cli.py"}
        and str(path.relative_to(PROJECT / "qapilint")) not in page
        and f"{path.parent.name}/*.py" not in page
    ]
    assert missing == []
