"""Conformance with QEMU 10.2.2's schema stage: the 12 doc-related cases of
QEMU's own test suite rejected after the schema is resolved, from the
corpus's ``MANIFEST.json``.

Each needs an error-severity ``Q2xx`` finding in QEMU's file at QEMU's line
(the finding's ``anchor_line`` where it points elsewhere). QEMU stops at the
first problem; qapilint reports them all, so every *other* error finding of
a case must be listed, as ``[line, code]``, in ``conformance/extra.toml``,
and that list is compared exactly.
"""

from __future__ import annotations

import json
import tomllib
from pathlib import Path
from typing import Any

import pytest

from qapilint.lint.engine import load_rules, run_rules
from qapilint.lint.rule import Finding
from qapilint.schema.loader import load_schema
from qapilint.schema.tree import read_tree

SUITE = "qemu-10.2.2/tests/qapi-schema"
EXTRA = Path(__file__).parent / "conformance" / "extra.toml"


def manifest(corpus: Path) -> list[dict[str, Any]]:
    text = (corpus / SUITE / "MANIFEST.json").read_text(encoding="utf-8")
    return json.loads(text)["cases"]


def schema_cases(corpus: Path) -> list[dict[str, Any]]:
    return [c for c in manifest(corpus) if c["qemu_stage"] == "schema" and c["doc_related"]]


def lint_case(suite: Path, name: str, prefix: str = "Q") -> list[Finding]:
    schema = load_schema(suite / f"{name}.json", suite)
    rules = [rule for rule in load_rules() if rule.code.startswith(prefix)]
    return run_rules(rules, schema, read_tree(suite))


def qemu_line(finding: Finding) -> int:
    return finding.anchor_line or finding.span.line


def check_case(case: dict[str, Any], suite: Path, extra: dict[str, list[list[Any]]]) -> str | None:
    """None when qapilint agrees with QEMU and the extras file, else why not."""
    name = case["case"]
    errors = [f for f in lint_case(suite, name) if f.severity == "error"]
    hits = [
        f
        for f in errors
        if f.code.startswith("Q2")
        and f.path is not None
        and f.path.name == case["file"]
        and qemu_line(f) == case["line"]
    ]
    if not hits:
        found = [(qemu_line(f), f.code, f.message) for f in errors]
        return f"{name}: no Q2xx error at line {case['line']} ({case['error']}); found {found}"
    rest = sorted((f.span.line, f.code) for f in errors if f is not hits[0])
    expected = sorted((line, code) for line, code in extra.get(name, []))
    if rest != expected:
        return f"{name}: findings beyond QEMU's {rest}, extra.toml says {expected}"
    return None


def test_schema_stage_doc_cases(corpus: Path) -> None:
    suite = corpus / SUITE
    extra = tomllib.loads(EXTRA.read_text(encoding="utf-8"))
    cases = schema_cases(corpus)
    assert len(cases) == 12
    failures = [problem for case in cases if (problem := check_case(case, suite, extra))]
    print(f"schema-stage doc cases: {len(cases) - len(failures)}/{len(cases)} agree with QEMU")
    assert failures == []
    unknown = set(extra) - {case["case"] for case in cases}
    assert not unknown, f"extra.toml names cases that are not schema-stage doc cases: {unknown}"


def test_accepted_cases_have_no_schema_errors(corpus: Path) -> None:
    suite = corpus / SUITE
    for case in manifest(corpus):
        if case["expect"] == "accept":
            errors = [f for f in lint_case(suite, case["case"], "Q2") if f.severity == "error"]
            assert errors == [], (case["case"], [(f.span.line, f.message) for f in errors])


def test_every_case_resolves_without_crashing(corpus: Path) -> None:
    suite = corpus / SUITE
    for case in manifest(corpus):
        if (suite / f"{case['case']}.json").exists():
            lint_case(suite, case["case"], "Q2")


@pytest.mark.parametrize(
    "root",
    [
        "qapi/qapi-schema.json",
        "qga/qapi-schema.json",
        "storage-daemon/qapi/qapi-schema.json",
        "docs/interop/firmware.json",
        "docs/interop/vhost-user.json",
    ],
)
def test_qemu_roots_have_no_schema_errors(corpus: Path, tmp_path: Path, root: str) -> None:
    """QEMU builds them; read from a copy without ``.git`` as a user would."""
    import shutil  # noqa: PLC0415

    copy = tmp_path / "qemu"
    source = corpus / "qemu-10.2.2"
    shutil.copytree(source, copy, ignore=shutil.ignore_patterns(".git", "tests"))
    schema = load_schema(copy / root, copy)
    rules = [rule for rule in load_rules() if rule.code.startswith("Q2")]
    errors = [f for f in run_rules(rules, schema, read_tree(copy)) if f.severity == "error"]
    assert errors == [], [(f.path, f.span.line, f.message) for f in errors[:10]]


@pytest.mark.parametrize("root", ["qapi/qapi-schema.json", "qga/qapi-schema.json"])
def test_qemu_7_2_roots_have_no_q_errors(corpus: Path, tmp_path: Path, root: str) -> None:
    """QEMU 7.2.0 builds them: no Q rule may report an error there, judged
    by the rules of its own release (its VERSION)."""
    import shutil  # noqa: PLC0415

    copy = tmp_path / "qemu"
    shutil.copytree(corpus / "qemu-7.2.0", copy, ignore=shutil.ignore_patterns(".git"))
    schema = load_schema(copy / root, copy)
    rules = [rule for rule in load_rules() if rule.code.startswith("Q")]
    errors = [f for f in run_rules(rules, schema, read_tree(copy)) if f.severity == "error"]
    assert errors == [], [(f.code, f.path, f.span.line, f.message) for f in errors[:10]]


@pytest.mark.parametrize(
    "root",
    [
        "qapi/qapi-schema.json",
        "qga/qapi-schema.json",
        "storage-daemon/qapi/qapi-schema.json",
        "docs/interop/firmware.json",
        "docs/interop/vhost-user.json",
    ],
)
def test_qemu_roots_have_no_q_errors(corpus: Path, tmp_path: Path, root: str) -> None:
    """``--select Q`` answers "will this build?": QEMU 10.2.2 builds its
    five roots, so no Q rule (parser, doc or semantic) reports an error."""
    import shutil  # noqa: PLC0415

    copy = tmp_path / "qemu"
    source = corpus / "qemu-10.2.2"
    shutil.copytree(source, copy, ignore=shutil.ignore_patterns(".git", "tests"))
    schema = load_schema(copy / root, copy)
    rules = [rule for rule in load_rules() if rule.code.startswith("Q")]
    errors = [f for f in run_rules(rules, schema, read_tree(copy)) if f.severity == "error"]
    assert errors == [], [(f.code, f.path, f.span.line, f.message) for f in errors[:10]]
