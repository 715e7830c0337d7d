"""The Sphinx docs build cleanly with warnings as errors, and the generated
rule reference has a section for every registered rule."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from qapilint.lint.engine import load_rules

DOCS = Path(__file__).resolve().parent.parent / "docs"

sys.path.insert(0, str(DOCS / "_ext"))
from qapilint_rules import Block, read_docstring  # noqa: E402


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    if importlib.util.find_spec("sphinx") is None:
        pytest.skip("sphinx is not installed (pip install -e '.[docs]')")
    out = tmp_path_factory.mktemp("html")
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "-q", "-b", "html", str(DOCS), str(out)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return out


def test_docs_build_without_warnings(built: Path) -> None:
    assert (built / "index.html").is_file()


def test_rule_reference_has_every_rule(built: Path) -> None:
    page = (built / "rules.html").read_text(encoding="utf-8")
    missing = [rule.code for rule in load_rules() if f'id="rule-{rule.code.lower()}"' not in page]
    assert missing == []


def test_docstring_reader_splits_prose_and_literal_blocks() -> None:
    doc = (
        "Flags a thing.\n\nWhy: it hurts.\n\nExample::\n\n"
        "    # @a: one\n      indented\n\nUse instead ::\n\n    # @a: the\n"
    )
    assert read_docstring(doc) == [
        Block("Flags a thing."),
        Block("Why: it hurts."),
        Block("Example:"),
        Block("# @a: one\n  indented", literal=True),
        Block("Use instead"),
        Block("# @a: the", literal=True),
    ]
