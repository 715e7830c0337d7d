"""Issue 13's acceptance scenario: QEMU 10.2.2's qapi/ in a temporary git
repository developing 11.0; a change to migration.json adds members."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from qapilint.cli import main
from tests.change.gitrepo import git, qemu_repo, status

COMMAND = "{ 'command': 'migrate-continue', 'data': {'state': 'MigrationStatus'} }"
DOC = "# @state: The state the migration is currently expected to be in\n"
ADDED_DOC = (
    DOC + "#\n# @resume: resume one paused migration\n"
    "#\n# @speed: the bandwidth to use (since 9.2)\n"
    "#\n# @limit: how many pages to send\n"
)
ADDED = (
    "{ 'command': 'migrate-continue', 'data': {'state': 'MigrationStatus',\n"
    "  '*resume': 'bool', '*speed': 'int', '*limit': 'int'} }"
)


@pytest.fixture
def qemu(corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    repo = qemu_repo(corpus, tmp_path / "qemu")
    monkeypatch.chdir(repo)
    return repo


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str]:
    code = main(["check", "--no-color", "--preview", "--format", "json", *args])
    return code, capsys.readouterr().out


def test_acceptance(qemu: Path, capsys: pytest.CaptureFixture[str]) -> None:
    migration = qemu / "qapi" / "migration.json"
    original = migration.read_text()
    assert COMMAND in original and original.count(DOC) == 1
    migration.write_text(original.replace(COMMAND, ADDED).replace(DOC, ADDED_DOC))
    before = status(qemu)

    code, out = run(capsys, "--diff-base", "HEAD", "qapi/")
    assert code == 1
    found = json.loads(out)
    members = {(f["code"], f["message"].split("'")[1]) for f in found if f["code"] == "C002"}
    assert members == {("C002", "resume"), ("C002", "speed"), ("C002", "limit")}
    assert all("11.0" in f["message"] for f in found if f["code"] == "C002")
    # "one paused": the seed's wording; C004: none of the three optional
    # arguments says its default
    assert {f["code"] for f in found} == {"C002", "C004", "W001"}
    optional = {f["message"].split("'")[1] for f in found if f["code"] == "C004"}
    assert optional == {"resume", "speed", "limit"}
    assert all(f["path"].endswith("migration.json") for f in found)
    assert status(qemu) == before

    git(qemu, "add", "qapi/migration.json")
    code, staged = run(capsys, "--staged", "qapi/")
    assert (code, json.loads(staged)) == (1, found)

    migration.write_text(original)
    git(qemu, "add", "qapi/migration.json")
    for args in (["--diff-base", "HEAD"], ["--staged"]):
        code, out = run(capsys, *args, "qapi/")
        assert (code, json.loads(out)) == (0, [])
