"""Acceptance of the W rules on whole schemas: the migrate-like sample draws
every defect of the reviewed patch, and QEMU 10.2.2's own ``@resume`` text
of ``migrate`` draws no stable W finding."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qapilint.lint.engine import load_rules, run_rules
from qapilint.lint.rule import Finding
from qapilint.schema.root import Schema

SAMPLE = Path(__file__).resolve().parents[2] / "sample_schemas" / "bad" / "migrate-resume.json"


def _lint(
    root: Path, tree_root: Path, codes: tuple[str, ...], preview: bool = False
) -> tuple[Schema, list[Finding]]:
    loader = pytest.importorskip("qapilint.schema.loader", reason="the parser has not landed yet")
    pytest.importorskip("qapilint.syntax.prose", reason="the prose view has not landed yet")
    from qapilint.schema.tree import read_tree  # noqa: PLC0415

    rules = [found for found in load_rules() if found.code.startswith(codes)]
    if not preview:
        rules = [found for found in rules if found.status == "stable" or found.code == "Q181"]
    schema = loader.load_schema(root, tree_root)
    return schema, run_rules(rules, schema, read_tree(tree_root))


@pytest.fixture(scope="module")
def sample() -> list[Finding]:
    """The sample's findings, preview rules included (W001 and W011 are
    preview: they show what they catch when asked for)."""
    return _lint(SAMPLE, SAMPLE.parent, ("W", "Q181"), preview=True)[1]


def _at(findings: list[Finding], code: str) -> list[Finding]:
    return [found for found in findings if found.code == code]


def test_sample_draws_the_vague_one_with_its_rewrite(sample: list[Finding]) -> None:
    (found,) = _at(sample, "W001")
    assert found.span.line == 30 and found.member == "reattach"
    assert found.fix is not None and [edit.text for edit in found.fix.edits] == ["the"]


def test_sample_draws_the_weak_obligation(sample: list[Finding]) -> None:
    (found,) = _at(sample, "W010")
    assert found.span.line == 31
    assert found.fix is not None and found.fix.edits[0].text == "must make sure"


def test_sample_draws_the_precondition_without_consequence(sample: list[Finding]) -> None:
    (found,) = _at(sample, "W011")
    assert found.span.line == 31
    assert found.fix is not None
    sentence = 'The command fails unless session is in state "stalled".'
    assert found.fix.edits[0].text == "\n#     " + sentence  # a line of its own: 70 columns


def test_sample_draws_the_bool_default(sample: list[Finding]) -> None:
    (found,) = _at(sample, "W030")
    assert found.span.line == 33
    assert found.fix is not None and found.fix.edits[0].text == "false"


def test_sample_draws_the_long_lines(sample: list[Finding]) -> None:
    if not any(found.code == "Q181" for found in load_rules()):
        pytest.skip("Q181 (line length) has not landed yet")
    assert {found.span.line for found in _at(sample, "Q181")} >= {30, 31}


def test_sample_suggestions_never_apply_by_themselves(sample: list[Finding]) -> None:
    fixes = [found.fix for found in sample if found.code.startswith("W") and found.fix]
    assert fixes and all(fix.applicability == "suggestion" for fix in fixes)


def test_qemu_resume_text_draws_no_stable_w_finding(corpus: Path) -> None:
    tree_root = corpus / "qemu-10.2.2"
    schema, findings = _lint(tree_root / "qapi" / "qapi-schema.json", tree_root, ("W",))
    docs = [doc for module in schema.modules for doc in module.docs if doc.symbol == "migrate"]
    resume = docs[0].member("resume") if docs else None
    assert resume is not None and '"postcopy-paused"' in resume.text  # the text under test
    on_resume = [f for f in findings if f.symbol == "migrate" and f.member == "resume"]
    assert on_resume == []


CONFIGURED = """\
##
# @frob:
#
# Frob the widget; utilise the knob as per spec.
#
# Since: 9.1
##
{ 'command': 'frob' }
"""


def test_project_adds_phrases_and_rewrites_in_config(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("qapilint.syntax.prose", reason="the prose view has not landed yet")
    from qapilint.cli import main  # noqa: PLC0415

    (tmp_path / "schema.json").write_text(CONFIGURED, encoding="utf-8")
    (tmp_path / ".qapilint.toml").write_text(
        '[rule.filler-word]\nextra-phrases = { "utilise" = "use", "as per" = "as in" }\n',
        encoding="utf-8",
    )
    monkeypatch.chdir(tmp_path)
    main(["check", "--format", "json", "--select", "W040", "schema.json"])
    found = json.loads(capsys.readouterr().out)
    assert [(item["message"].split('"')[1], item["fix"]["edits"][0]["text"]) for item in found] == [
        ("utilise", "use"),
        ("as per", "as in"),
    ]
    assert {item["fix"]["applicability"] for item in found} == {"suggestion"}
