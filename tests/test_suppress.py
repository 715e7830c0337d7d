"""Inline suppressions, on hand-built modules (the parser's contract:
plain comment lines outside doc blocks are in ``Module.comments``), with
the suppression stage's rules (L) that report on them."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from qapilint.rules import l_suppression

from qapilint.lint import suppress
from qapilint.lint.engine import sort_key
from qapilint.lint.rule import Finding, Rule, TreeInfo, apply_edits, rule_of
from qapilint.syntax.model import Comment, Definition, Doc, JObject, Module, Span
from tests.ruledefs import RULES

STAGE = [
    rule_of(function)
    for function in (
        l_suppression.unused_suppression,
        l_suppression.unknown_rule_code,
        l_suppression.invalid_suppression,
    )
]
ALL = [*(found for found in RULES if found.code != "L001"), *STAGE]


def build(text: str, path: Path = Path("/t/x.json")) -> Module:
    """A module with doc blocks, one-line definitions and comments."""
    lines = text.split("\n")
    module = Module(path=path, lines=lines)
    start = None
    for number, line in enumerate(lines, 1):
        if line.startswith("##"):
            if start is None:
                start = number
            else:
                module.docs.append(Doc(Span(start, 1, number, 3), []))
                start = None
        elif start is None and line.startswith("#"):
            module.comments.append(Comment(number, 1, line[1:]))
        elif match := re.match(r"\{ '(\w+)': '([\w-]+)'", line):
            definition = Definition(
                match[1],  # type: ignore[arg-type]
                match[2],
                Span.at(number, 1),
                JObject([], Span(number, 1, number, len(line) + 1)),
                module,
            )
            module.definitions.append(definition)
            if module.docs and module.docs[-1].span.end_line == number - 1:
                module.docs[-1].definition = definition
    return module


def hit(module: Module, line: int, code: str, symbol: str | None = None) -> Finding:
    found = Finding(Span.at(line, 3), f"{code} here", symbol=symbol, path=module.path)
    found.code = code
    return found


TEXT = """\
# qapilint: disable=W301,S001 -- wording kept on purpose
##
# @one:
##
{ 'command': 'one' }

##
# @two:
##
{ 'command': 'two' }
"""


def run(
    module: Module,
    findings: list[Finding],
    ran: Callable[[Path, Rule], bool] = lambda path, rule: True,
) -> tuple[list[Finding], list[Finding]]:
    """The findings no suppression silenced, and the L findings."""
    files = {module.path: suppress.collect(module, ALL)}
    kept = suppress.apply(findings, files)
    trees = {module.path: TreeInfo(module.path.parent, None)}
    meta = suppress.check(files, ALL, trees, ran)
    return kept, sorted(meta, key=sort_key)


def test_disable_silences_exactly_its_block_and_definition() -> None:
    module = build(TEXT)
    findings = [
        hit(module, 3, "W301"),  # in the block
        hit(module, 5, "S001"),  # the definition after it
        hit(module, 3, "W302"),  # another code: kept
        hit(module, 8, "W301"),  # the next block: kept
        hit(module, 1, "W301"),  # the comment line itself is outside the block
    ]
    kept, meta = run(module, findings)
    assert [(f.span.line, f.code) for f in kept] == [(3, "W302"), (8, "W301"), (1, "W301")]
    assert meta == []


def test_symbol_of_the_definition_counts_as_inside() -> None:
    module = build(TEXT)
    kept, _meta = run(module, [hit(module, 99, "W301", symbol="one"), hit(module, 5, "S001")])
    assert kept == []


def test_names_work_like_codes() -> None:
    module = build(TEXT.replace("W301,S001", "vague-one, missing-since"))
    kept, meta = run(module, [hit(module, 3, "W301"), hit(module, 5, "S001")])
    assert kept == [] and meta == []


def test_unused_code_is_reported_with_a_fix_removing_it() -> None:
    module = build(TEXT)
    kept, meta = run(module, [hit(module, 3, "W301")])
    assert kept == []
    assert [(f.code, f.span.line) for f in meta] == [("L001", 1)]
    unused = meta[0]
    assert "S001" in unused.message
    assert unused.fix is not None and unused.fix.applicability == "safe"
    fixed = apply_edits(module.text, unused.fix.edits)
    assert fixed.splitlines()[0] == "# qapilint: disable=W301 -- wording kept on purpose"


def test_wholly_unused_suppression_fix_deletes_the_line() -> None:
    module = build(TEXT)
    _kept, meta = run(module, [])
    assert [f.code for f in meta] == ["L001"]
    assert meta[0].fix is not None
    fixed = apply_edits(module.text, meta[0].fix.edits)
    assert fixed == TEXT.split("\n", 1)[1]


def test_unused_only_for_rules_that_ran() -> None:
    module = build(TEXT)
    _kept, meta = run(module, [], lambda path, rule: rule.code != "S001")
    assert meta[0].message.startswith("unused suppression of W301:")
    assert run(module, [], lambda path, rule: False)[1] == []


def test_suppression_stage_findings_are_stamped_like_any_rule() -> None:
    module = build(TEXT.replace("W301,S001", "W301,Z999"))
    _kept, meta = run(module, [])
    assert [(f.code, f.name, f.severity, f.path) for f in meta] == [
        ("L001", "unused-suppression", "warning", module.path),
        ("L002", "unknown-rule-code", "warning", module.path),
    ]


def test_only_the_suppression_stage_rules_run_and_only_where_there_are_comments() -> None:
    module = build(TEXT.replace("W301,S001", "Z999"))
    files = {module.path: suppress.collect(module, ALL)}
    trees = {module.path: TreeInfo(module.path.parent, None)}
    assert suppress.check(files, RULES, trees, lambda path, rule: True) == []  # no stage rule
    quiet = build("##\n# @a:\n##\n{ 'command': 'a' }\n")
    files = {quiet.path: suppress.collect(quiet, ALL)}
    assert suppress.check(files, ALL, {}, lambda path, rule: True) == []  # no tree needed


def test_disable_file_covers_the_whole_file() -> None:
    module = build("{ 'command': 'a' }\n# qapilint: disable-file=W302\n##\n# @b:\n##\n")
    kept, meta = run(module, [hit(module, 1, "W302"), hit(module, 4, "W302"), hit(module, 4, "W1")])
    assert [f.code for f in kept] == ["W1"]
    assert meta == []


def test_unknown_code_is_reported_at_the_code() -> None:
    module = build(TEXT.replace("W301,S001", "W301,Z999"))
    _kept, meta = run(module, [hit(module, 3, "W301")])
    assert [(f.code, f.span.line, f.span.col) for f in meta] == [("L002", 1, 26)]
    assert "'Z999'" in meta[0].message


def test_malformed_and_misplaced_directives() -> None:
    text = (
        "# qapilint: disabel=W301\n"
        "# qapilint: disable=\n"
        "# qapilint: disable=W301\n"
        "\n"
        "##\n# @a:\n##\n{ 'command': 'a' }\n"
        "# qapilint: disable=W301\n"
        "{ 'command': 'b' }\n"
        "# just a comment mentioning qapilint: disable=W301 is not a directive\n"
    )
    module = build(text)
    _kept, meta = run(module, [])
    assert [(f.code, f.span.line) for f in meta] == [
        ("L003", 1),
        ("L003", 2),
        ("L003", 3),
        ("L003", 9),
    ]
    assert "directly above" in meta[2].message


def test_stacked_comments_above_a_block() -> None:
    text = "# qapilint: disable=W301\n# some note\n# qapilint: disable=S001\n##\n# @a:\n##\n"
    module = build(text)
    kept, meta = run(module, [hit(module, 5, "W301"), hit(module, 5, "S001")])
    assert kept == [] and meta == []


def test_delete_line_at_end_of_file() -> None:
    module = build("{ 'command': 'a' }\n# qapilint: disable-file=W301")
    _kept, meta = run(module, [])
    assert meta[0].fix is not None
    assert apply_edits(module.text, meta[0].fix.edits) == "{ 'command': 'a' }"


def test_trailing_comment_is_not_a_suppression() -> None:
    module = build("##\n# @a:\n##\n{ 'command': 'a' }\n")
    module.comments.append(Comment(4, 20, " qapilint: disable-file=W301"))
    module.lines[3] += " # qapilint: disable-file=W301"
    kept, meta = run(module, [hit(module, 2, "W301")])
    assert len(kept) == 1
    assert [(f.code, f.message) for f in meta] == [("L003", suppress.NOT_OWN_LINE)]
