"""The QAPI grammar's text (``grammar.lark``), read by both parsers: the
fast path's tables are made from it and checked against it."""

from __future__ import annotations

import os

GRAMMAR_NAME = "grammar.lark"


def grammar_text() -> str:
    with open(os.path.join(os.path.dirname(__file__), GRAMMAR_NAME), encoding="utf-8") as file:
        return file.read()
