"""``qapilint patch --format review`` (issue 15): a qemu-devel style reply,
compared exactly with golden files in ``tests/change/review/``."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from qapilint.cli import main
from tests.change.gitrepo import commit, git, init, write

PROJECT = Path(__file__).resolve().parent.parent.parent
SAMPLE = PROJECT / "sample_schemas" / "series"
GOLDEN = Path(__file__).resolve().parent / "review"

BASE = """\
##
# @Feeder:
#
# A bird feeder.
#
# @capacity: How much seed it holds, in grams.
#
# @colour: Its colour.
#
# @height: How high it hangs, in centimetres.
#
# @place: Where it hangs, for example in the garden or on the balcony.
#
# Since: 9.0
##
{ 'struct': 'Feeder',
  'data': { 'capacity': 'int', 'colour': 'str', 'height': 'int',
            'place': 'str' } }
"""


def golden(name: str, out: str) -> str:
    """The expected output ``name``; with ``QAPILINT_RECORD_REVIEW=1``,
    ``out`` recorded as it first (only when a change is intended)."""
    path = GOLDEN / name
    if os.environ.get("QAPILINT_RECORD_REVIEW") == "1":
        path.write_text(out, encoding="utf-8")
    return path.read_text(encoding="utf-8")


def review(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["patch", "--format", "review", "--no-color", *args])
    return code, capsys.readouterr().out


@pytest.fixture
def sample(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository holding the sample series' base at the path its
    patches name."""
    repo = init(tmp_path / "repo")
    target = repo / "sample_schemas" / "series"
    target.mkdir(parents=True)
    shutil.copy(SAMPLE / "feeders.json", target / "feeders.json")
    commit(repo, "base")
    monkeypatch.chdir(repo)
    return repo


def test_review_of_the_sample_series(sample: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Patch 1's finding quoted under its line with the rewrite; patch 2
    (which fixes its own long line) gets no section."""
    patches = sorted(str(path) for path in SAMPLE.glob("*.patch"))
    code, out = review(capsys, "--base", "HEAD", *patches)
    assert code == 1
    assert out == golden("sample-series.txt", out)


def test_review_of_a_clean_series_prints_nothing(
    sample: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (patch,) = sorted(str(path) for path in SAMPLE.glob("0002-*.patch"))
    first = sorted(str(path) for path in SAMPLE.glob("0001-*.patch"))
    # patch 2 alone, on a base where patch 1 is applied with its sentence
    # spacing corrected: nothing to say
    git(sample, "apply", first[0])
    fixed = (sample / "sample_schemas/series/feeders.json").read_text(encoding="utf-8")
    write(sample, {"sample_schemas/series/feeders.json": fixed.replace("fits. The", "fits.  The")})
    commit(sample, "patch 1, corrected")
    code, out = review(capsys, "--base", "HEAD", patch)
    assert (code, out) == (0, "")


def test_review_of_two_patches_with_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """One section per patch, in series order, each finding in the patch
    that introduced it, the line it replaces quoted above it."""
    repo = init(tmp_path / "repo")
    write(repo, {"qapi/feeders.json": BASE})
    commit(repo, "base")
    monkeypatch.chdir(repo)
    long = "# @capacity: How much seed it holds, in grams, which is a line too long for QEMU\n"
    first = BASE.replace("# @capacity: How much seed it holds, in grams.\n", long)
    second = first.replace("in the garden or on the balcony.", "in the garden. Or inside.")
    write(repo, {"qapi/feeders.json": first})
    commit(repo, "feeders: say more about capacity")
    write(repo, {"qapi/feeders.json": second})
    commit(repo, "feeders: say less about places")
    out_dir = tmp_path / "series"
    git(repo, "format-patch", "-q", "-2", "-o", str(out_dir))
    git(repo, "reset", "-q", "--hard", "HEAD~2")
    patches = sorted(str(path) for path in out_dir.glob("*.patch"))
    code, out = review(capsys, *patches)
    assert code == 1
    assert out == golden("two-patches.txt", out)
