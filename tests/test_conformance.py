"""Conformance with QEMU 10.2.2's front end: every case of QEMU's own schema
test suite (208, from the corpus's ``MANIFEST.json``), the parser's 67 on
their own and then all of them, the semantic checks' included.

A rejected case needs an error-severity ``Q`` finding at QEMU's file
(basename), line and, where QEMU gives one, column (or at the place
``BETTER_PLACE`` gives, with its reason); an accepted case must have no
error-severity finding; ``missing-schema`` must fail to load.
``KNOWN_UNSUPPORTED`` lists the cases qapilint does not yet agree on, each
with why; it may only shrink (a listed case that agrees fails the test).
"""

from __future__ import annotations

import json
import shutil
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from qapilint.lint.engine import load_rules, run_rules
from qapilint.lint.rule import Finding
from qapilint.schema.loader import SchemaReadError, load_schema
from qapilint.schema.tree import read_tree
from qapilint.syntax.model import DEFINITION_KINDS
from tests.precision import ROOTS  # the five QEMU 10.2.2 roots

QEMU = "qemu-10.2.2"
SUITE = f"{QEMU}/tests/qapi-schema"


def qemu_column(line_text: str, col: int) -> int:
    """QEMU's column for our 1-based code-point column: tabs advance to
    the next multiple of 8, as MANIFEST.json's notes say. (QEMU 10.2.2's own
    arithmetic, ``(col + 7) % 8 + 1``, leaves columns 1-8 unchanged; no case
    of the suite has a tab before its error, so the two never disagree.)"""
    qemu = 1
    for char in line_text[: col - 1]:
        qemu = qemu + 8 - (qemu - 1) % 8 if char == "\t" else qemu + 1
    return qemu


def parser_cases(corpus: Path) -> list[dict[str, Any]]:
    manifest = json.loads((corpus / SUITE / "MANIFEST.json").read_text(encoding="utf-8"))
    return [case for case in manifest["cases"] if case["qemu_stage"] in ("parse", "accept")]


def lint_case(suite: Path, name: str) -> list[Finding]:
    schema = load_schema(suite / f"{name}.json", suite)
    return run_rules(load_rules(), schema, read_tree(suite))


def matches(finding: Finding, case: dict[str, Any], suite: Path) -> bool:
    if finding.severity != "error" or not finding.code.startswith("Q"):
        return False
    if finding.path is None or finding.path.name != case["file"]:
        return False
    line = finding.anchor_line or finding.span.line
    if line != case["line"]:
        return False
    if case["col"] is None:
        return True
    if finding.anchor_line is not None and finding.anchor_line != finding.span.line:
        return False
    text = (suite / case["file"]).read_text(encoding="utf-8").split("\n")[line - 1]
    return qemu_column(text, finding.span.col) == case["col"]


# Where qapilint reports a case's error at another line than MANIFEST.json
# gives, and why: case -> (line, reason).
BETTER_PLACE: dict[str, tuple[int, str]] = {
    name: (
        3,
        "QEMU's error is at the second definition (line 3, \"'X' is already "
        'defined") and names the first at line 2 in a second message, the '
        "line MANIFEST.json keeps; Q215 reports the second definition and "
        "names the first in its message",
    )
    for name in ("redefined-command", "redefined-event", "redefined-type")
}

# Cases qapilint does not agree on yet, with why: case -> reason. Empty now;
# it may only shrink.
KNOWN_UNSUPPORTED: dict[str, str] = {}


def check_case(case: dict[str, Any], suite: Path) -> str | None:
    """None when qapilint agrees with QEMU, else what went wrong."""
    name = case["case"]
    if name in BETTER_PLACE:
        case = {**case, "line": BETTER_PLACE[name][0]}
    if not (suite / f"{name}.json").exists():
        try:
            load_schema(suite / f"{name}.json", suite)
        except SchemaReadError:
            return None
        return f"{name}: a missing schema loaded without error"
    findings = lint_case(suite, name)
    errors = [f for f in findings if f.severity == "error"]
    if case["expect"] == "accept":
        if errors:
            first = errors[0]
            return f"{name}: accepted by QEMU, but {first.code} {first.message!r}"
        return None
    if any(matches(finding, case, suite) for finding in findings):
        return None
    got = "; ".join(
        f"{f.path.name if f.path else '?'}:{f.span.line}:{f.span.col} {f.code} {f.message}"
        for f in errors[:3]
    )
    where = f"{case['file']}:{case['line']}:{case['col']}"
    return f"{name}: QEMU {where} {case['error'].splitlines()[0]!r}; got [{got}]"


def test_qemu_parser_conformance(corpus: Path, tmp_path: Path) -> None:
    suite = tmp_path / "qapi-schema"
    shutil.copytree(corpus / SUITE, suite)  # no .git or VERSION above it
    cases = parser_cases(corpus)
    assert len(cases) == 67
    mismatches = [m for m in (check_case(case, suite) for case in cases) if m]
    tally = Counter("doc" if c["doc_related"] else "other" for c in cases)
    print(f"\nconformance: {len(cases) - len(mismatches)}/{len(cases)} agree ({dict(tally)})")
    for mismatch in mismatches:
        print("  " + mismatch)
    assert not mismatches, "\n".join(mismatches)


def test_qemu_suite_conformance(corpus: Path, tmp_path: Path) -> None:
    """All 208 cases: QEMU's verdict, and its error at its file and line."""
    suite = tmp_path / "qapi-schema"
    shutil.copytree(corpus / SUITE, suite)
    manifest = json.loads((suite / "MANIFEST.json").read_text(encoding="utf-8"))
    cases = manifest["cases"]
    assert len(cases) == 208
    names = {case["case"] for case in cases}
    assert set(BETTER_PLACE) <= names and set(KNOWN_UNSUPPORTED) <= names
    results = {case["case"]: check_case(case, suite) for case in cases}
    agree = sum(result is None for result in results.values())
    stages = Counter(case["qemu_stage"] for case in cases)
    print(f"\nconformance: {agree}/{len(cases)} cases agree with QEMU ({dict(stages)})")
    mismatches = [m for name, m in results.items() if m and name not in KNOWN_UNSUPPORTED]
    for mismatch in mismatches:
        print("  " + mismatch)
    assert not mismatches, "\n".join(mismatches)
    now_agreeing = [name for name in KNOWN_UNSUPPORTED if results[name] is None]
    assert not now_agreeing, f"agreeing now, drop from KNOWN_UNSUPPORTED: {now_agreeing}"


@pytest.fixture(scope="module")
def qemu_copy(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """QEMU 10.2.2 without its test suite, somewhere with no .git above."""
    target = tmp_path_factory.mktemp("qemu") / QEMU
    shutil.copytree(
        corpus / QEMU, target, ignore=lambda folder, names: ["tests"] if "tests" in names else []
    )
    return target


@pytest.mark.parametrize("root", ROOTS)
def test_qemu_roots_have_no_parser_finding(qemu_copy: Path, root: str) -> None:
    schema = load_schema(qemu_copy / root, qemu_copy)
    findings = run_rules(load_rules(), schema, read_tree(qemu_copy))
    parser_findings = [f for f in findings if f.code.startswith("Q1")]
    assert parser_findings == []


def test_qemu_root_model(qemu_copy: Path) -> None:
    schema = load_schema(qemu_copy / ROOTS[0], qemu_copy)
    definitions = schema.all_definitions()
    kinds = Counter(d.kind for d in definitions)
    assert len(definitions) == 1011
    assert kinds == {
        "enum": 182,
        "struct": 479,
        "union": 43,
        "alternate": 6,
        "command": 244,
        "event": 57,
    }
    assert set(kinds) <= set(DEFINITION_KINDS)
    assert sum(len(m.includes) for m in schema.modules) == 69
    assert len({m.path for m in schema.modules}) == 46
    assert sum(len(m.pragmas) for m in schema.modules) == 2
    assert len(schema.definitions) == 1011
    assert schema.pragmas.doc_required
    assert all(d.doc is not None and d.doc.definition is d for d in definitions)
