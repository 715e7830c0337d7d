"""Sphinx extension: the rule reference, generated from the rules themselves.

``.. qapilint-rules::`` renders every rule that ``qapilint.lint.engine.load_rules``
finds (built-in and plugins installed in the environment), grouped by
family: a summary table, then one section per rule with its metadata and its
docstring. Docstrings are rendered by a small reader of their agreed shape
(paragraphs, ``Name::`` followed by an indented literal block, ````code````),
never parsed as free rST, so a rule's docstring cannot break the docs build.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from docutils import nodes
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from qapilint.lint.engine import load_rules
from qapilint.lint.rule import Rule

FAMILIES: dict[str, str] = {
    "Q1": "Q1xx: what QEMU's parser rejects",
    "Q2": "Q2xx: what QEMU's schema checks reject",
    "D": "D: doc structure QEMU accepts but reviewers do not",
    "S": "S: since tags",
    "W": "W: wording and preconditions",
    "F": "F: formatting",
    "M": "M: markup, examples and references",
    "L": "L: qapilint's own suppression comments",
}

CHECKS: dict[str, str] = {
    "suppressions": "one file's suppression comments, after the other rules' findings",
}

_LITERAL = re.compile(r"``(.+?)``")


def family_of(code: str) -> str:
    for prefix in sorted(FAMILIES, key=len, reverse=True):
        if code.startswith(prefix):
            return prefix
    return code[:1]


@dataclass(frozen=True)
class Block:
    """A paragraph of prose, or a literal block."""

    text: str
    literal: bool = False


def read_docstring(doc: str) -> list[Block]:
    """Split a rule docstring into paragraphs and literal blocks.

    A paragraph ending in ``::`` introduces the indented lines that follow
    as a literal block; the ``::`` renders as ``:`` (or nothing after a
    space), as in rST.
    """
    blocks: list[Block] = []
    lines = doc.splitlines()
    index = 0
    while index < len(lines):
        if not lines[index].strip():
            index += 1
            continue
        paragraph: list[str] = []
        while index < len(lines) and lines[index].strip():
            paragraph.append(lines[index].strip())
            index += 1
        text = " ".join(paragraph)
        introduces_literal = text.endswith("::")
        if introduces_literal:
            text = text[:-2].rstrip() if text.endswith(" ::") else text[:-1]
        if text:
            blocks.append(Block(text))
        if introduces_literal:
            literal, index = _literal_block(lines, index)
            if literal:
                blocks.append(Block(literal, literal=True))
    return blocks


def _literal_block(lines: list[str], index: int) -> tuple[str, int]:
    body: list[str] = []
    while index < len(lines) and (not lines[index].strip() or lines[index][:1].isspace()):
        body.append(lines[index])
        index += 1
    while body and not body[-1].strip():
        body.pop()
    while body and not body[0].strip():
        body.pop(0)
    indent = min((len(line) - len(line.lstrip()) for line in body if line.strip()), default=0)
    return "\n".join(line[indent:] for line in body), index


def prose(text: str) -> nodes.paragraph:
    paragraph = nodes.paragraph()
    position = 0
    for match in _LITERAL.finditer(text):
        paragraph += nodes.Text(text[position : match.start()])
        paragraph += nodes.literal(text=match.group(1))
        position = match.end()
    paragraph += nodes.Text(text[position:])
    return paragraph


def rule_id(rule: Rule) -> str:
    return f"rule-{rule.code.lower()}"


def metadata(rule: Rule) -> nodes.field_list:
    fields = [
        ("Name", rule.name),
        ("Severity", rule.severity),
        ("Status", rule.status if rule.status == "stable" else f"{rule.status} (off by default)"),
        ("Fix", rule.fix),
        ("Checks", CHECKS.get(rule.context, f"one {rule.context} at a time")),
    ]
    if rule.qemu_rejects:
        fields.append(("QEMU", "its build rejects this: a severity override can only raise it"))
    if rule.qemu_release:
        fields.append(
            (
                "QEMU release",
                f"{rule.qemu_release}: an error on trees that reached it, else a warning",
            )
        )
    if rule.convention_release:
        fields.append(
            (
                "Conventions of",
                f"QEMU {rule.convention_release}: silent on trees older than that",
            )
        )
    if rule.options:
        defaults = ", ".join(f"{name} = {value!r}" for name, value in rule.options.items())
        fields.append((f"Options ([tool.qapilint.rule.{rule.name}])", defaults))
    field_list = nodes.field_list()
    for name, value in fields:
        field = nodes.field()
        field += nodes.field_name(text=name)
        body = nodes.field_body()
        body += nodes.paragraph(text=value)
        field += body
        field_list += field
    return field_list


def rule_section(rule: Rule) -> nodes.section:
    section = nodes.section(ids=[rule_id(rule)], names=[rule.code.lower()])
    section += nodes.title(text=f"{rule.code} {rule.name}")
    section += metadata(rule)
    for block in read_docstring(rule.doc):
        if block.literal:
            section += nodes.literal_block(block.text, block.text)
        else:
            section += prose(block.text)
    section += prose(
        f"To turn it off: ``--ignore {rule.code}`` on the command line, "
        f'``ignore = ["{rule.code}"]`` in ``[tool.qapilint]``, or a '
        f"``# qapilint: disable={rule.code} -- reason`` comment line directly "
        "above a doc block's ``##`` (that block and its definition)."
    )
    return section


def summary_table(rules: list[Rule]) -> nodes.table:
    header = ("Code", "Name", "Severity", "Status", "Fix", "Summary")
    table = nodes.table()
    group = nodes.tgroup(cols=len(header))
    table += group
    for width in (8, 20, 8, 8, 8, 48):
        group += nodes.colspec(colwidth=width)
    head = nodes.thead()
    head += _row([nodes.paragraph(text=cell) for cell in header])
    group += head
    body = nodes.tbody()
    for rule in rules:
        link = nodes.reference("", rule.code, refid=rule_id(rule))
        cells = [nodes.paragraph("", "", link)]
        cells += [nodes.paragraph(text=value) for value in (rule.name, rule.severity)]
        cells += [nodes.paragraph(text=value) for value in (rule.status, rule.fix)]
        cells.append(prose(rule.summary))
        body += _row(cells)
    group += body
    return table


def _row(cells: list[nodes.paragraph]) -> nodes.row:
    row = nodes.row()
    for cell in cells:
        entry = nodes.entry()
        entry += cell
        row += entry
    return row


class RulesDirective(SphinxDirective):
    has_content = False

    def run(self) -> list[nodes.Node]:
        rules = load_rules()
        if not rules:
            return [nodes.paragraph(text="No rules are registered yet.")]
        result: list[nodes.Node] = [summary_table(rules)]
        by_family: dict[str, list[Rule]] = {}
        for rule in rules:
            by_family.setdefault(family_of(rule.code), []).append(rule)
        for family, members in by_family.items():
            section = nodes.section(ids=[f"family-{family.lower()}"], names=[family.lower()])
            section += nodes.title(text=FAMILIES.get(family, f"{family}: other rules"))
            for rule in members:
                section += rule_section(rule)
            result.append(section)
        return result


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_directive("qapilint-rules", RulesDirective)
    return {"version": "1", "parallel_read_safe": True, "parallel_write_safe": True}
