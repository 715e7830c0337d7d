"""``qapilint baseline`` and ``check --baseline``."""

from __future__ import annotations

from pathlib import Path

import pytest

from qapilint.cli import main
from tests.change.gitrepo import FEEDERS, GAUGES, qemu_like, write

LONG = "# @depth: the depth of water in it, in millimetres, measured at noon each day\n"
SHORT = "# @depth: the depth of water in it, in millimetres\n"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    found = qemu_like(tmp_path / "repo")
    monkeypatch.chdir(found)
    return found


def test_baseline_hides_what_it_accepts(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["baseline", "qapilint-baseline.txt", "qapi/"]) == 0
    capsys.readouterr()
    lines = (repo / "qapilint-baseline.txt").read_text().splitlines()
    assert lines[0].startswith("# qapilint baseline")
    assert lines[1:] == sorted(lines[1:]) and len(lines) == 2 and '"Q181"' in lines[1]
    assert main(["check", "--baseline", "qapilint-baseline.txt", "qapi/"]) == 0
    write(repo, {"qapi/gauges.json": GAUGES.replace(SHORT, LONG)})
    assert main(["check", "--baseline", "qapilint-baseline.txt", "qapi/"]) == 1
    out, _ = capsys.readouterr()
    assert "gauges.json" in out and "feeders.json" not in out


def test_stale_entries_are_reported(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    main(["baseline", "base.txt", "qapi/"])
    fixed = FEEDERS.replace(", which is a line too long for QEMU", "")
    write(repo, {"qapi/feeders.json": fixed})
    capsys.readouterr()
    assert main(["check", "--baseline", "base.txt", "qapi/"]) == 0
    _, err = capsys.readouterr()
    assert "1 entry match no finding any more" in err and "Q181" in err


def test_baseline_with_diff_base(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(repo, {"qapi/gauges.json": GAUGES.replace(SHORT, LONG)})
    main(["baseline", "base.txt", "qapi/"])  # accepts the new line too
    capsys.readouterr()
    assert main(["check", "--diff-base", "HEAD", "qapi/"]) == 1
    assert main(["check", "--diff-base", "HEAD", "--baseline", "base.txt", "qapi/"]) == 0


def test_a_bad_baseline_is_one_line(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(repo, {"bad.txt": "# header\nnot json\n"})
    for name in ("bad.txt", "missing.txt"):
        assert main(["check", "--baseline", name, "qapi/"]) == 2
        out, err = capsys.readouterr()
        assert out == "" and err.count("\n") == 1
