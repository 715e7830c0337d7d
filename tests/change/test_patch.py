"""``qapilint patch`` (issue 15): a series checked against its base in a
temporary index, findings attributed to their patch; the checkpatch and
gitlab formats; b4's per-patch check."""

from __future__ import annotations

import io
import json
import os
import re
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from qapilint.cli import main
from tests.change.gitrepo import GIT_ENV, commit, git, init, qemu_repo, status, write

PROJECT = Path(__file__).resolve().parent.parent.parent

BASE = """\
##
# @Feeder:
#
# A bird feeder.
#
# @capacity: How much seed it holds, in grams.
#
# Since: 9.0
##
{ 'struct': 'Feeder', 'data': { 'capacity': 'int' } }
"""
LONG = "# @capacity: How much seed it holds, in grams, which is a line too long for QEMU\n"
SHORT = "# @capacity: How much seed it holds, in grams.\n"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["patch", "--no-color", *args])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def series(repo: Path, *changes: tuple[str, str, str], keep: bool = False) -> list[Path]:
    """Commit each (file, text, subject), format-patch them into
    ``repo/series`` and (unless ``keep``) take them back out of HEAD."""
    for name, text, subject in changes:
        write(repo, {name: text})
        commit(repo, subject)
    out = repo.parent / "series"
    git(repo, "format-patch", "-q", f"-{len(changes)}", "-o", str(out))
    if not keep:
        git(repo, "reset", "-q", "--hard", f"HEAD~{len(changes)}")
    return sorted(out.glob("*.patch"))


@pytest.fixture
def feeders(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    repo = init(tmp_path / "repo")
    write(repo, {"qapi/feeders.json": BASE})
    commit(repo, "base")
    monkeypatch.chdir(repo)
    return repo


def test_a_later_patch_fixes_what_an_earlier_broke(
    feeders: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    patches = series(
        feeders,
        ("qapi/feeders.json", BASE.replace(SHORT, LONG), "feeders: say more"),
        ("qapi/feeders.json", BASE, "feeders: say less"),
    )
    before = status(feeders)
    code, out, err = run(capsys, *map(str, patches))
    assert (code, out.strip()) == (0, "All checks passed.")
    assert "base: the parent of" in err
    assert status(feeders) == before


def test_attributed_to_the_patch_that_introduced_it(
    feeders: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    patches = series(
        feeders,
        ("qapi/other.json", "{ 'include': 'feeders.json' }\n", "other: a root"),
        ("qapi/feeders.json", BASE.replace(SHORT, LONG), "feeders: say more"),
    )
    code, out, _err = run(capsys, "--format", "json", *map(str, patches))
    found = json.loads(out)
    assert code == 1
    assert [(f["code"], f["path"], f["patch"]["number"]) for f in found] == [
        ("Q181", "qapi/feeders.json", 2)
    ]
    assert found[0]["patch"]["subject"] == "feeders: say more"


def test_base_commit_trailer_and_already_applied(
    feeders: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = git(feeders, "rev-parse", "HEAD").strip()
    (patch,) = series(feeders, ("qapi/feeders.json", BASE.replace(SHORT, LONG), "say more"))
    text = patch.read_text()
    unknown = re.sub(r"^From [0-9a-f]{40}", "From " + "1" * 40, text)
    # the From line's commit unknown here: the base-commit trailer
    patch.write_text(unknown.replace("\n-- \n", f"\nbase-commit: {base}\n-- \n"))
    code, _out, err = run(capsys, "--quiet", str(patch))
    assert code == 1
    assert err == ""
    code, out, err = run(capsys, str(patch))
    assert "the series' base-commit" in err
    # neither: applied in reverse to HEAD, once the series is applied
    patch.write_text(unknown)
    git(feeders, "am", "-q", str(patch))
    code, out, err = run(capsys, "--format", "checkpatch", "-q", str(patch))
    assert code == 1
    assert out == (
        "qapi/feeders.json:6: ERROR: Q181 documentation line longer than 70 characters (80) "
        "(rewrap the paragraph)\n"
    )
    code, out, err = run(capsys, str(patch))
    assert "already applied" in err


def test_no_base_checks_the_added_lines(feeders: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (patch,) = series(feeders, ("qapi/feeders.json", BASE.replace(SHORT, LONG), "say more"))
    patch.write_text(re.sub(r"^From [0-9a-f]{40}", "From " + "1" * 40, patch.read_text()))
    write(feeders, {"qapi/feeders.json": BASE.replace("A bird", "A garden bird")})
    commit(feeders, "unrelated, in the way")
    code, out, err = run(capsys, "--format", "json", str(patch))
    assert "only the doc lines the series adds were checked" in err
    assert [(f["code"], f["line"]) for f in json.loads(out)] == [("Q181", 6)]
    assert code == 1


def test_a_patch_that_does_not_apply(feeders: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (patch,) = series(feeders, ("qapi/feeders.json", BASE.replace(SHORT, LONG), "say more"))
    patch.write_text(re.sub(r"^From [0-9a-f]{40}", "From " + "1" * 40, patch.read_text()))
    write(feeders, {"qapi/feeders.json": BASE.replace(SHORT, "# @capacity: grams\n")})
    commit(feeders, "in the way")
    code, out, err = run(capsys, "--base", "HEAD", str(patch))
    assert code == 2 and out == ""
    assert err.count("\n") == 1
    assert err.startswith("qapilint: error: patch 1/1 ('say more') does not apply to HEAD")


def test_a_patch_touching_no_qapi_file(feeders: Path, capsys: pytest.CaptureFixture[str]) -> None:
    patches = series(feeders, ("README", "hello\n", "a readme"))
    code, out, _err = run(capsys, "--format", "json", *map(str, patches))
    assert (code, json.loads(out)) == (0, [])


def test_check_points_a_patch_at_patch(feeders: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (patch,) = series(feeders, ("qapi/feeders.json", BASE.replace(SHORT, LONG), "say more"))
    code = main(["check", str(patch)])
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1
    assert f"use qapilint patch {patch}" in err


def test_repository_relative_paths(
    feeders: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    write(feeders, {"qapi/feeders.json": BASE.replace(SHORT, LONG)})
    monkeypatch.chdir(feeders / "qapi")
    main(["check", "--format", "github", "feeders.json"])
    assert "file=qapi/feeders.json," in capsys.readouterr().out
    main(["check", "--format", "gitlab", "feeders.json"])
    (issue,) = json.loads(capsys.readouterr().out)
    assert issue["location"] == {"path": "qapi/feeders.json", "lines": {"begin": 6, "end": 6}}
    assert issue["severity"] == "major" and issue["check_name"] == "Q181 doc-line-too-long"
    assert len(issue["fingerprint"]) == 32 and issue["description"].startswith("Q181 ")
    main(["check", "--format", "sarif", "feeders.json"])
    sarif = json.loads(capsys.readouterr().out)
    (result,) = sarif["runs"][0]["results"]
    location = result["locations"][0]["physicalLocation"]["artifactLocation"]
    assert location["uri"] == "qapi/feeders.json"


def test_readme_series(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
    """The README's "On a patch series" command, on sample_schemas/series."""
    if not (PROJECT / ".git").exists():
        pytest.skip("not a git checkout of qapilint: the sample series' base is its HEAD")
    readme = (PROJECT / "README.md").read_text()
    section = readme[readme.index("### On a patch series") :]
    shown = re.search(r"```console\n\$ (qapilint patch [^\n]*)\n(.*?)```", section, re.DOTALL)
    assert shown is not None
    monkeypatch.chdir(PROJECT)
    args = shlex.split(shown.group(1))[1:]
    paths = sorted(str(p.relative_to(PROJECT)) for p in PROJECT.glob(args[-1]))
    before = git(PROJECT, "status", "--porcelain")
    code = main([*args[:-1], "--no-color", *paths])
    captured = capsys.readouterr()
    assert code == 1, captured.err
    assert captured.err + captured.out == shown.group(2)
    assert git(PROJECT, "status", "--porcelain") == before


# --------------------------------------------------------------------------
# Issue 15's acceptance: QEMU 10.2.2's qapi/, developing 11.0; one patch
# adds members to migrate

MIGRATE = "           '*resume': 'bool' } }\n"
MIGRATE_DOC = "#     (default: false, since 3.0)\n"
ADDED_DOC = (
    MIGRATE_DOC + "#\n# @throttle: the bandwidth to use, in bytes per second\n"
    "#\n# @limit: how many pages to send (since 9.2)\n"
    "#\n# @reuse: reuse one paused connection (since 11.0)\n"
)
ADDED = (
    "           '*resume': 'bool',\n"
    "           '*throttle': 'int', '*limit': 'int', '*reuse': 'bool' } }\n"
)


@pytest.fixture
def qemu(corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    repo = qemu_repo(corpus, tmp_path / "qemu")
    monkeypatch.chdir(repo)
    return repo


def test_acceptance(
    qemu: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    original = (qemu / "qapi" / "migration.json").read_text()
    assert original.count(MIGRATE) == 1 and original.count(MIGRATE_DOC) == 1
    changed = original.replace(MIGRATE, ADDED).replace(MIGRATE_DOC, ADDED_DOC)
    out = qemu.parent / "series"
    write(qemu, {"qapi/migration.json": changed})
    commit(qemu, "migration: add throttle, limit and reuse to migrate")
    git(qemu, "format-patch", "-q", "-1", "--cover-letter", "-o", str(out))
    git(qemu, "reset", "-q", "--hard", "HEAD~1")
    cover, patch = sorted(out.glob("*.patch"))
    before = status(qemu)

    code, stdout, _err = run(capsys, "--preview", "--format", "json", str(patch))
    assert code == 1
    found = json.loads(stdout)
    codes = sorted(f["code"] for f in found)
    # C004: none of the three new optional arguments says its default
    assert codes == ["C002", "C002", "C004", "C004", "C004", "W001"]
    c004 = {f["message"].split("'")[1] for f in found if f["code"] == "C004"}
    assert c004 == {"throttle", "limit", "reuse"}
    c002 = {f["message"].split("'")[1] for f in found if f["code"] == "C002"}
    assert c002 == {"throttle", "limit"}
    assert all("11.0" in f["message"] for f in found if f["code"] == "C002")
    (vague,) = [f for f in found if f["code"] == "W001"]
    assert "@reuse" in changed.splitlines()[vague["line"] - 1]
    assert all(f["path"] == "qapi/migration.json" for f in found)
    assert all(f["patch"]["number"] == 1 for f in found)
    assert status(qemu) == before

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(patch.read_bytes())))
    code, from_stdin, _err = run(capsys, "--preview", "--format", "json", "-")
    assert (code, json.loads(from_stdin)) == (1, found)

    mbox = out / "series.mbox"
    reply = "From nobody Mon Sep 17 00:00:00 2001\nSubject: Re: [PATCH 1/1] x\n\n> diff\n"
    mbox.write_bytes(cover.read_bytes() + b"\n" + patch.read_bytes() + b"\n" + reply.encode())
    code, from_mbox, _err = run(capsys, "--preview", "--format", "json", str(mbox))
    assert (code, json.loads(from_mbox)) == (1, found)
    assert status(qemu) == before


# --------------------------------------------------------------------------
# b4's per-patch check: b4 hands each patch over on standard input (the
# message's headers and body, no "From <sha>" line), from the repository's
# top; each stdout line is a result ("ERROR:" in it: a failure, else a
# warning), any stderr line a failure, no output and exit 0 a pass


def test_b4_prep_check(tmp_path: Path) -> None:
    b4 = shutil.which("b4", path=str(Path(sys.executable).parent)) or shutil.which("b4")
    qapilint = shutil.which("qapilint", path=str(Path(sys.executable).parent))
    if b4 is None or qapilint is None:
        pytest.skip("b4 is not installed (pip install -e '.[test]')")
    env = {
        **os.environ,
        **GIT_ENV,
        "HOME": str(tmp_path),
        "XDG_CACHE_HOME": str(tmp_path / "cache"),
        "XDG_DATA_HOME": str(tmp_path / "data"),
        "XDG_CONFIG_HOME": str(tmp_path / "config"),
        "PATH": f"{Path(qapilint).parent}{os.pathsep}{os.environ.get('PATH', '')}",
    }
    repo = init(tmp_path / "repo")
    write(repo, {"qapi/feeders.json": BASE})
    commit(repo, "base")

    def b4_run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [b4, *args], cwd=repo, env=env, capture_output=True, text=True, timeout=120, check=False
        )

    prepared = b4_run("prep", "-n", "feeders")
    assert prepared.returncode == 0, prepared.stderr
    write(repo, {"qapi/feeders.json": BASE.replace(SHORT, LONG)})
    commit(repo, "feeders: say more")
    before = status(repo)
    command = "b4.prep-perpatch-check-cmd=qapilint patch --format checkpatch -"
    checked = b4_run("-c", command, "prep", "--check", "--no-cache")
    report = checked.stdout + checked.stderr
    assert "qapilint: qapi/feeders.json:6: ERROR: Q181" in report, report
    assert "Error: 1" in report, report
    assert status(repo) == before
    write(repo, {"qapi/feeders.json": BASE})
    commit(repo, "feeders: say less again")
    checked = b4_run("-c", command, "prep", "--check", "--no-cache")
    report = checked.stdout + checked.stderr
    # each patch on its own, as checkpatch.pl: the first still fails
    assert "Success: 1, Warning: 0, Error: 1" in report, report
