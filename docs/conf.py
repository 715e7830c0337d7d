"""Sphinx configuration for qapilint's documentation.

The rule reference (rules.rst) is generated from the rules themselves by
the extension in _ext/qapilint_rules.py.
"""

from __future__ import annotations

import sys
from importlib import metadata
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent / "_ext"))

project = "qapilint"
author = "the qapilint authors"
copyright = "the qapilint authors"
try:
    release = metadata.version("qapilint")
except metadata.PackageNotFoundError:  # building from a tree that is not installed
    release = "unknown"

extensions = ["qapilint_rules"]
exclude_patterns = ["_build", "_ext", "precision"]
html_theme = "alabaster"
html_static_path: list[str] = []
nitpicky = True
