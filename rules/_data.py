"""The rules' data files: TOML next to the rule modules, read on first use
(most runs never need :mod:`tomllib`).

Not a rule module (the leading underscore keeps the engine from loading it).
"""

from __future__ import annotations

import os
from typing import Any


def load_toml(name: str) -> dict[str, Any]:
    """The contents of data file ``name`` of this package."""
    import tomllib  # noqa: PLC0415 - see the module docstring

    with open(os.path.join(os.path.dirname(__file__), name), "rb") as stream:
        return tomllib.load(stream)
