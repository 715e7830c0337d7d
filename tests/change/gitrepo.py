"""Temporary git repositories for the change tests."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

GIT_ENV = {
    "GIT_AUTHOR_NAME": "Test",
    "GIT_AUTHOR_EMAIL": "test@example.org",
    "GIT_COMMITTER_NAME": "Test",
    "GIT_COMMITTER_EMAIL": "test@example.org",
    "GIT_CONFIG_GLOBAL": os.devnull,
    "GIT_CONFIG_NOSYSTEM": "1",
}


def git(repo: Path, *args: str) -> str:
    env = {**os.environ, **GIT_ENV}
    done = subprocess.run(
        ["git", *args], cwd=repo, env=env, capture_output=True, text=True, check=True
    )
    return done.stdout


def init(repo: Path) -> Path:
    repo.mkdir(parents=True, exist_ok=True)
    git(repo, "init", "-q", "-b", "main")
    git(repo, "config", "core.autocrlf", "false")
    return repo


def commit(repo: Path, message: str = "change") -> str:
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "--allow-empty", "-m", message)
    return git(repo, "rev-parse", "HEAD").strip()


def write(repo: Path, files: dict[str, str | bytes]) -> None:
    for name, content in files.items():
        path = repo / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content, encoding="utf-8")


def status(repo: Path) -> str:
    """What git says of the work tree, the index and the stash."""
    return git(repo, "status", "--porcelain") + git(repo, "stash", "list")


ROOT = """\
##
# = Feeders
##

{ 'include': 'feeders.json' }
{ 'include': 'gauges.json' }
"""

FEEDERS = """\
##
# @Feeder:
#
# A bird feeder.
#
# @capacity: how much seed it holds, in grams, which is a line too long for QEMU
#
# Since: 9.0
##
{ 'struct': 'Feeder', 'data': { 'capacity': 'int' } }

##
# @fill-feeder:
#
# Fill the feeder.
#
# @grams: how much seed to add
#
# Since: 9.0
##
{ 'command': 'fill-feeder', 'data': { 'grams': 'int' } }
"""

GAUGES = """\
##
# @Gauge:
#
# A rain gauge.
#
# @depth: the depth of water in it, in millimetres
#
# Since: 9.1
##
{ 'struct': 'Gauge', 'data': { 'depth': 'int' } }
"""


def qemu_like(repo: Path) -> Path:
    """A small QEMU-like tree (VERSION 10.2.50) with one old finding (a
    long line in ``feeders.json``), committed."""
    init(repo)
    write(
        repo,
        {
            "VERSION": "10.2.50\n",
            "qapi/qapi-schema.json": ROOT,
            "qapi/feeders.json": FEEDERS,
            "qapi/gauges.json": GAUGES,
        },
    )
    commit(repo, "base")
    return repo


def qemu_repo(corpus: Path, repo: Path) -> Path:
    """QEMU 10.2.2's ``qapi/`` in a new repository, with VERSION 10.2.50
    (developing 11.0), committed."""
    init(repo)
    shutil.copytree(corpus / "qemu-10.2.2" / "qapi", repo / "qapi")
    (repo / "VERSION").write_text("10.2.50\n")
    commit(repo, "QEMU 10.2.2's qapi/, developing 11.0")
    return repo
