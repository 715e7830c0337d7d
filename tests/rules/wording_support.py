"""Builds doc sections, prose views and contexts by hand, so the W rules can
be tested without the parser: a section's text is given as it appears after
the tag, and ``@refs``, ``literals`` and `Name` refs are masked the way the
prose view masks them."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from qapilint.lint.rule import DocContext, Finding, TreeInfo, rule_of
from qapilint.schema.root import Schema
from qapilint.syntax.model import (
    Definition,
    Doc,
    DocLine,
    JList,
    JObject,
    JString,
    JValue,
    Module,
    Section,
    SectionKind,
    Span,
    TextLine,
)

_SPAN = Span(1, 1, 1, 2)


def section(
    kind: SectionKind, text: str, name: str | None = None, line: int = 10, col: int = 3
) -> Section:
    lines = [
        TextLine(line + index, col if index == 0 else col + 4, part.lstrip() if index else part)
        for index, part in enumerate(text.split("\n"))
    ]
    return Section(kind, name, None, lines)


def to_json(value: Any) -> JValue:
    if isinstance(value, dict):
        return JObject([(JString(key, _SPAN), to_json(item)) for key, item in value.items()], _SPAN)
    if isinstance(value, list):
        return JList([to_json(item) for item in value], _SPAN)
    return JString(str(value), _SPAN)


def definition(kind: str, name: str, expr: dict[str, Any], module: Module) -> Definition:
    body = {kind: name, **expr}
    return Definition(kind, name, _SPAN, to_json(body), module)  # type: ignore[arg-type]


def _doc_lines(sections: list[Section]) -> list[DocLine]:
    """The block's lines, each holding its section line's text as a parsed
    block's do (the rules look for words in the lines before the sections)."""
    lines = []
    for held in sections:
        for text_line in held.lines:
            text = " " * max(0, text_line.col - 3) + text_line.text  # "# " takes columns 1-2
            lines.append(DocLine(text_line.line, "# " + text, text, 3))
    return lines


def context(
    sections: list[Section],
    *,
    symbol: str | None = "migrate",
    kind: str = "command",
    expr: dict[str, Any] | None = None,
    others: list[tuple[str, str, dict[str, Any]]] = (),  # type: ignore[assignment]
    options: dict[str, Any] | None = None,
) -> DocContext:
    """A doc context for ``sections``; ``others`` are further definitions
    (kind, name, expr) of the schema, e.g. enums."""
    module = Module(Path("schema.json"), [])
    schema = Schema(Path("schema.json"), Path("."), [module])
    documented = None
    if symbol is not None:
        documented = definition(kind, symbol, expr or {}, module)
        module.definitions.append(documented)
    for other_kind, other_name, other_expr in others:
        module.definitions.append(definition(other_kind, other_name, other_expr, module))
    for item in module.definitions:
        schema.definitions.setdefault(item.name, item)
    doc = Doc(_SPAN, _doc_lines(sections), symbol, _SPAN if symbol else None, sections)
    doc.definition = documented
    tree = TreeInfo(Path("."), None, dict(options or {}))
    return DocContext(doc, module, tree, documented, schema)


def run(function: Any, ctx: DocContext) -> list[Finding]:
    """The findings of rule ``function`` on ``ctx``, run as the engine
    runs it (the context knows the rule, for its options)."""
    ctx.rule = rule_of(function)
    found: Iterator[Finding] = function(ctx)
    return list(found)


def said(ctx: DocContext, finding: Finding) -> str:
    """The text a finding's span covers, read back from the sections (a
    span over several lines gives their text joined by single spaces)."""
    span = finding.span
    lines = {item.line: item for part in ctx.doc.sections for item in part.lines}
    pieces = []
    for number in range(span.line, span.end_line + 1):
        text_line = lines.get(number)
        if text_line is None:
            raise AssertionError(f"no section line at {span}")
        start = span.col - text_line.col if number == span.line else 0
        end = span.end_col - text_line.col if number == span.end_line else len(text_line.text)
        pieces.append(text_line.text[start:end])
    return " ".join(" ".join(pieces).split())


def suggestion(finding: Finding) -> str:
    assert finding.fix is not None and finding.fix.applicability == "suggestion"
    return "|".join(edit.text for edit in finding.fix.edits)
