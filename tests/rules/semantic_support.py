"""Shared by the tests of QEMU's semantic checks (Q210, Q213-Q236): a case is
a schema QEMU rejects with its one expected finding, and a near miss QEMU
accepts, which must draw no Q2xx finding at all."""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from tests.lint import lint_text


class Case(NamedTuple):
    code: str
    hit: str  # QEMU rejects it
    message: str  # the one finding's message
    line: int  # the line QEMU reports
    near_miss: str  # QEMU accepts it


def check_hit(tmp_path: Path, case: Case) -> None:
    findings = [f for f in lint_text(tmp_path, case.hit, select=("Q2",)) if f.severity == "error"]
    assert [(f.code, f.message) for f in findings] == [(case.code, case.message)]
    finding = findings[0]
    assert (finding.anchor_line or finding.span.line) == case.line
    assert finding.path is not None and finding.path.name == "schema.json"


def check_near_miss(tmp_path: Path, case: Case) -> None:
    findings = lint_text(tmp_path, case.near_miss, select=("Q2",))
    assert [(f.code, f.message) for f in findings if f.severity == "error"] == []
