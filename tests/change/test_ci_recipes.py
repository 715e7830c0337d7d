"""The README's CI recipes: each recipe's qapilint command, exactly as
written, run on a temporary git repository with the variables its CI sets."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.change.gitrepo import GAUGES, GIT_ENV, commit, git, qemu_like, write

PROJECT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent
LONG = "# @depth: the depth of water in it, in millimetres, measured at noon each day\n"


def recipe_commands() -> dict[str, str]:
    readme = (PROJECT / "README.md").read_text(encoding="utf-8")
    section = readme.split("### In CI", 1)[1].split("\n## ", 1)[0]
    blocks = re.findall(r"```yaml\n(.*?)```", section, re.DOTALL)
    found = {}
    for name, block in zip(("gitlab", "github"), blocks, strict=True):
        commands = re.findall(r"^\s*-? ?(?:run: )?(qapilint check .*)$", block, re.MULTILINE)
        assert len(commands) == 1, block
        found[name] = commands[0]
    return found


@pytest.fixture
def merge_request(tmp_path: Path) -> tuple[Path, str]:
    repo = qemu_like(tmp_path / "repo")  # main, with an old finding
    base = git(repo, "rev-parse", "HEAD").strip()
    git(repo, "update-ref", "refs/remotes/origin/main", base)
    git(repo, "switch", "-q", "-c", "topic")
    write(
        repo,
        {
            "qapi/gauges.json": GAUGES.replace(
                "# @depth: the depth of water in it, in millimetres\n", LONG
            )
        },
    )
    commit(repo, "a long line")
    return repo, base


@pytest.mark.parametrize("ci", ["gitlab", "github"])
def test_recipe(ci: str, merge_request: tuple[Path, str]) -> None:
    repo, base = merge_request
    env = {
        **os.environ,
        **GIT_ENV,
        "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
        "CI_MERGE_REQUEST_DIFF_BASE_SHA": base,
        "GITHUB_BASE_REF": "main",
        "NO_COLOR": "1",
    }
    command = recipe_commands()[ci]
    done = subprocess.run(
        ["bash", "-c", command], cwd=repo, env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 1, done.stderr
    assert "gauges.json" in done.stdout and "feeders.json" not in done.stdout
    assert done.stdout.count("Q181 ") == 1 or done.stdout.count("title=Q181") == 1
    # once fixed, the job passes although the old finding is still there
    write(repo, {"qapi/gauges.json": GAUGES})
    commit(repo, "fixed")
    done = subprocess.run(
        ["bash", "-c", command], cwd=repo, env=env, capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stdout + done.stderr
