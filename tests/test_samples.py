"""sample_schemas/: good/ is clean, and each bad/ file draws the findings its
theme promises (and, at warning or above, nothing outside its theme).

Expectations name a code prefix (``Q1``: QEMU's parser checks) or a code,
and the lines where a finding must be. A theme whose rules have not landed
yet is skipped with the reason, never passed empty-handed.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from qapilint.cli import main
from qapilint.lint.engine import load_rules

SAMPLES = Path(__file__).resolve().parent.parent / "sample_schemas"
GOOD_ROOT = SAMPLES / "good" / "qapi-schema.json"
BAD = SAMPLES / "bad"


@dataclass(frozen=True)
class Expect:
    code: str  # a code or a code prefix
    lines: tuple[int, ...]  # a finding on any of these lines will do


# One theme per file. Lines are where the defect is; where QEMU reports a
# different line (the expression's first line), either is accepted.
EXPECTED: dict[str, list[Expect]] = {
    "long-lines.json": [Expect("Q181", (7,)), Expect("Q181", (9,))],
    "sentence-spacing.json": [Expect("Q182", (7,))],
    "syntax-error.json": [Expect("Q102", (11,)), Expect("Q101", (24,))],
    "undocumented-member.json": [Expect("Q203", (13, 14))],
    "missing-since.json": [Expect("S001", tuple(range(4, 13)))],
    "doc-placement.json": [Expect("Q205", (22,))],
    "note-section.json": [Expect("Q151", (9,))],
}
# Themes of rules that are off by default (preview until judged precise
# blind): their files are checked with --preview.
PREVIEW_THEMES = {"missing-since.json"}


def options_for(name: str) -> tuple[str, ...]:
    return ("--preview",) if name in PREVIEW_THEMES else ()


def check(path: Path, capsys: pytest.CaptureFixture[str], *options: str) -> tuple[int, list[dict]]:
    """Run ``qapilint check --format json`` in-process, ignoring any config."""
    status = main(["check", "--isolated", "--format", "json", *options, str(path)])
    out, err = capsys.readouterr()
    assert "Traceback" not in err
    return status, json.loads(out) if out.strip() else []


def at_or_above_warning(findings: list[dict]) -> list[dict]:
    return [finding for finding in findings if finding["severity"] in ("warning", "error")]


def registered(prefix: str) -> bool:
    return any(rule.code.startswith(prefix) for rule in load_rules())


def test_every_bad_theme_has_a_file() -> None:
    assert sorted(EXPECTED) == sorted(name for name in EXPECTED if (BAD / name).is_file()), (
        "a file named in EXPECTED is missing from sample_schemas/bad/"
    )


def parser_landed() -> None:
    if not registered("Q1"):
        pytest.skip("the parser's rules (Q1xx) have not landed yet: a clean run would mean nothing")


def test_good_has_no_finding_at_warning_or_above(capsys: pytest.CaptureFixture[str]) -> None:
    parser_landed()
    status, findings = check(GOOD_ROOT, capsys)
    assert at_or_above_warning(findings) == []
    assert status == 0


def test_good_folder_is_clean_too(capsys: pytest.CaptureFixture[str]) -> None:
    parser_landed()
    status, findings = check(GOOD_ROOT.parent, capsys)
    assert at_or_above_warning(findings) == []
    assert status == 0


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_file_draws_its_theme(name: str, capsys: pytest.CaptureFixture[str]) -> None:
    parser_landed()
    expected = EXPECTED[name]
    missing_rules = sorted({e.code for e in expected if not registered(e.code)})
    if missing_rules:
        pytest.skip(f"no rule {', '.join(missing_rules)}* has landed yet")
    status, findings = check(BAD / name, capsys, *options_for(name))
    for expect in expected:
        hits = [
            f
            for f in findings
            if f["code"].startswith(expect.code)
            and f["line"] in expect.lines
            and f["severity"] in ("warning", "error")
        ]
        assert hits, f"{name}: no {expect.code} finding on line(s) {expect.lines}: {findings}"
    off_theme = [
        f
        for f in at_or_above_warning(findings)
        if not any(f["code"].startswith(e.code) for e in expected)
    ]
    assert off_theme == [], f"{name} should draw only its theme"
    assert status == 1


@pytest.mark.parametrize("path", sorted(BAD.glob("*.json")), ids=lambda path: path.name)
def test_every_bad_file_fails_the_check(path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    parser_landed()
    status, findings = check(path, capsys, *options_for(path.name))
    assert at_or_above_warning(findings), f"{path.name} draws no finding at warning or above"
    assert status == 1


def test_the_samples_folder_exits_1_because_of_bad(capsys: pytest.CaptureFixture[str]) -> None:
    """What the README's Quick start shows: findings only in bad/."""
    parser_landed()
    status, findings = check(SAMPLES, capsys)
    assert status == 1
    paths = {Path(finding["path"]).resolve() for finding in at_or_above_warning(findings)}
    assert paths, "no finding at all"
    assert all(path.is_relative_to(BAD) for path in paths), paths


def test_readme_quick_start_output_is_true(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Every finding header the README shows is in the real output."""
    parser_landed()
    readme = (SAMPLES.parent / "README.md").read_text(encoding="utf-8")
    # the patch series' output is checked by tests/change/test_patch.py
    series = readme.index("### On a patch series")
    readme = readme[:series] + readme[readme.index("\n### ", series + 1) :]
    shown = re.findall(r"^(sample_schemas/\S+:\d+:\d+: \w+ \[[\w-]+\])", readme, re.MULTILINE)
    assert shown, "the README shows no finding"
    monkeypatch.chdir(SAMPLES.parent)
    status = main(["check", "sample_schemas/"])
    out = capsys.readouterr().out
    assert status == 1
    missing = [header for header in shown if header not in out]
    assert missing == [], "README.md shows findings that qapilint no longer prints"
    summary = re.search(r"^Found \d+ problems? .*$", readme, re.MULTILINE)
    assert summary is not None, "the README shows no summary line"
    assert out.rstrip("\n").endswith(summary.group()), "README.md's summary line is stale"


# --------------------------------------------------------------------------
# QEMU's own front end agrees (only where QEMU_SRC names a QEMU source tree)

# What QEMU itself rejects: the Q themes. The others QEMU accepts.
QEMU_REJECTS = {name for name, expects in EXPECTED.items() if expects[0].code.startswith("Q")}


def qemu(path: Path) -> subprocess.CompletedProcess[str]:
    source = os.environ.get("QEMU_SRC")
    if not source or not (Path(source) / "scripts" / "qapi" / "schema.py").is_file():
        pytest.skip("set QEMU_SRC to a QEMU 10.2 source tree to compare with QEMU")
    script = (
        "import sys; sys.path.insert(0, sys.argv[1]); "
        "from qapi.error import QAPIError; from qapi.schema import QAPISchema\n"
        "try: QAPISchema(sys.argv[2])\n"
        "except QAPIError as error: sys.exit(str(error))\n"
    )
    scripts = str(Path(source) / "scripts")
    return subprocess.run(
        [sys.executable, "-c", script, scripts, str(path)],
        capture_output=True,
        text=True,
        check=False,
    )


def test_qemu_accepts_good() -> None:
    result = qemu(GOOD_ROOT)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_qemu_verdict_on_bad(name: str) -> None:
    result = qemu(BAD / name)
    assert (result.returncode != 0) == (name in QEMU_REJECTS), result.stderr
