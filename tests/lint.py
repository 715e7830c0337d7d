"""Test helper: lint QAPI text written to a temporary tree."""

from __future__ import annotations

from pathlib import Path

from qapilint.lint.engine import load_rules, run_rules, sort_key
from qapilint.lint.rule import Finding
from qapilint.schema.loader import load_schema
from qapilint.schema.tree import read_tree


def lint_files(
    tmp_path: Path,
    files: dict[str, str],
    select: tuple[str, ...] = ("",),
    version: str | None = None,
    root: str | None = None,
) -> list[Finding]:
    """Write ``files`` (name -> text) under ``tmp_path`` and lint the first
    (or ``root``) as the root schema with the rules whose code or name starts
    with one of ``select``. ``version`` writes a VERSION file."""
    for name, text in files.items():
        target = tmp_path / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    if version is not None:
        (tmp_path / "VERSION").write_text(version + "\n", encoding="utf-8")
    root_path = tmp_path / (root or next(iter(files)))
    tree = read_tree(tmp_path)
    schema = load_schema(root_path, tmp_path)
    rules = [r for r in load_rules() if r.code.startswith(select) or r.name in select]
    return sorted(run_rules(rules, schema, tree), key=sort_key)


def lint_text(
    tmp_path: Path, text: str, select: tuple[str, ...] = ("",), version: str | None = None
) -> list[Finding]:
    return lint_files(tmp_path, {"schema.json": text}, select, version)


def codes(findings: list[Finding]) -> list[tuple[int, str]]:
    return [(finding.span.line, finding.code) for finding in findings]
