"""``python -m qapilint`` sets the run's collector thresholds before its
imports, the same as the console script's ``run()``."""

from __future__ import annotations

import ast
from pathlib import Path

import qapilint
from qapilint.cli import GC_THRESHOLDS


def test_main_sets_the_thresholds_run_sets() -> None:
    source = (Path(qapilint.__file__).parent / "__main__.py").read_text(encoding="utf-8")
    calls = [
        node
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Call) and ast.unparse(node.func) == "gc.set_threshold"
    ]
    assert len(calls) == 1
    assert tuple(ast.literal_eval(argument) for argument in calls[0].args) == GC_THRESHOLDS
