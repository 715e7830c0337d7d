"""Helpers shared by the S and D rule tests."""

from __future__ import annotations

from qapilint.lint.rule import Finding, apply_edits


def fixed(text: str, findings: list[Finding]) -> str:
    """``text`` with every fix of ``findings`` applied (suggestions too)."""
    edits = [edit for finding in findings if finding.fix for edit in finding.fix.edits]
    return apply_edits(text, edits)


def codes_of(findings: list[Finding]) -> list[str]:
    return [finding.code for finding in findings]
