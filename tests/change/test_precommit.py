"""The README's pre-commit configuration, run by the real pre-commit on a
temporary git repository holding a QEMU-like tree with an old finding."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.change.gitrepo import FEEDERS, GAUGES, GIT_ENV, git, qemu_like, write

PROJECT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def readme_hook_config() -> str:
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### As a pre-commit hook", 1)[1]
    found = re.search(r"```yaml\n(.*?)```", section, re.DOTALL)
    assert found, "the README's pre-commit section shows no configuration"
    return found[1]


def commit(repo: Path, home: Path, message: str) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        **GIT_ENV,
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "PRE_COMMIT_HOME": str(home),
        "NO_COLOR": "1",
    }
    return subprocess.run(
        ["git", "commit", "-q", "-m", message],
        cwd=repo,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    if shutil.which("pre-commit", path=str(BIN)) is None:
        pytest.skip("pre-commit is not installed (it is in the test extra)")
    found = qemu_like(tmp_path / "repo")
    write(found, {".pre-commit-config.yaml": readme_hook_config()})
    git(found, "add", "-A")
    git(found, "commit", "-q", "-m", "pre-commit configuration")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "home")}
    subprocess.run(
        [str(BIN / "pre-commit"), "install"], cwd=found, env=env, check=True, capture_output=True
    )
    return found


def test_a_commit_adding_a_problem_fails_with_that_problem_only(repo: Path, tmp_path: Path) -> None:
    long = "# @depth: the depth of water in it, in millimetres, measured at noon each day\n"
    write(
        repo,
        {
            "qapi/gauges.json": GAUGES.replace(
                "# @depth: the depth of water in it, in millimetres\n", long
            )
        },
    )
    # the old finding's file is touched too, correctly
    write(
        repo, {"qapi/feeders.json": FEEDERS.replace("# Fill the feeder.", "# Fill the feeder up.")}
    )
    git(repo, "add", "-A")
    done = commit(repo, tmp_path / "home", "a long line")
    assert done.returncode != 0
    output = done.stdout + done.stderr
    assert "qapi/gauges.json:6:1: Q181" in output
    assert "feeders.json" not in output.replace("qapi/feeders.json\n", "")
    assert output.count("Q181 [") == 1


def test_a_correct_commit_to_a_file_with_old_findings_passes(repo: Path, tmp_path: Path) -> None:
    write(
        repo, {"qapi/feeders.json": FEEDERS.replace("# Fill the feeder.", "# Fill the feeder up.")}
    )
    git(repo, "add", "-A")
    done = commit(repo, tmp_path / "home", "wording")
    assert done.returncode == 0, done.stdout + done.stderr
    assert git(repo, "status", "--porcelain") == ""


def test_the_hook_definition_matches_the_readme() -> None:
    hooks = (PROJECT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8")
    config = readme_hook_config()
    for key in ("entry", "files"):
        ours = re.search(rf"^\s*{key}: (.*)$", hooks, re.MULTILINE)
        theirs = re.search(rf"^\s*{key}: (.*)$", config, re.MULTILINE)
        assert ours and theirs and ours[1] == theirs[1], key
    assert "--diff-base HEAD" in hooks
