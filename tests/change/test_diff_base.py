"""``check --diff-base`` and ``--staged`` on temporary git repositories."""

from __future__ import annotations

from pathlib import Path

import pytest

from qapilint.cli import main
from tests.change.gitrepo import FEEDERS, GAUGES, commit, git, init, qemu_like, status, write

LONG = "# @depth: the depth of water in it, in millimetres, measured at noon each day\n"


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["check", "--no-color", *args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    found = qemu_like(tmp_path / "repo")
    monkeypatch.chdir(found)
    return found


def test_old_findings_are_not_reported(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "qapi/")
    assert code == 1 and "Q181" in out  # the old long line
    code, out, err = run(capsys, "--diff-base", "HEAD", "qapi/")
    assert (code, err) == (0, "")
    assert "Q181" not in out


def test_a_new_problem_is_reported_alone(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(
        repo,
        {
            "qapi/gauges.json": GAUGES.replace(
                "# @depth: the depth of water in it, in millimetres\n", LONG
            )
        },
    )
    before = status(repo)
    code, out, _ = run(capsys, "--diff-base", "HEAD", "qapi/")
    assert code == 1
    assert "gauges.json:6:1: Q181" in out and "feeders.json" not in out
    assert status(repo) == before  # nothing touched: work tree, index, stash


def test_a_second_copy_of_an_old_problem_is_new(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    long = "# The feeder hangs from a branch and swings in the wind, scattering seed.\n"
    write(repo, {"qapi/feeders.json": FEEDERS.replace("# A bird feeder.\n", long)})
    commit(repo, "one long paragraph")
    doubled = FEEDERS.replace("# A bird feeder.\n", long + "#\n" + long)
    write(repo, {"qapi/feeders.json": doubled})
    code, out, _ = run(capsys, "--diff-base", "HEAD", "qapi/")
    assert code == 1 and out.count("Q181 [") == 1  # one of the two copies is new


def test_a_rewritten_line_owns_its_finding(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(repo, {"qapi/feeders.json": FEEDERS.replace("in grams, which", "in grams (dry), which")})
    code, out, _ = run(capsys, "--diff-base", "HEAD", "qapi/")
    assert code == 1 and "Q181" in out


def test_rewrapping_unchanged_text_is_no_change(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(
        repo,
        {
            "qapi/feeders.json": FEEDERS.replace(
                "# Fill the feeder.\n", "# Fill one feeder with seed from the\n# store.\n"
            )
        },
    )
    commit(repo, "one feeder")
    code, out, _ = run(capsys, "--select", "W001", "qapi/")
    assert code == 1 and "W001" in out  # an old finding
    write(
        repo,
        {
            "qapi/feeders.json": FEEDERS.replace(
                "# Fill the feeder.\n", "# Fill one feeder\n# with seed from the store.\n"
            )
        },
    )
    code, out, _ = run(capsys, "--select", "W001", "--diff-base", "HEAD", "qapi/")
    assert (code, "W001" in out) == (0, False)
    # rewriting a word of the paragraph makes its finding the change's
    write(
        repo,
        {
            "qapi/feeders.json": FEEDERS.replace(
                "# Fill the feeder.\n", "# Fill one feeder\n# with seed from the shed.\n"
            )
        },
    )
    code, out, _ = run(capsys, "--select", "W001", "--diff-base", "HEAD", "qapi/")
    assert code == 1 and "W001" in out


def test_moving_a_definition_to_another_module_is_no_change(
    repo: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    struct, _, command = FEEDERS.partition("\n\n##\n# @fill-feeder:")
    write(
        repo,
        {
            "qapi/feeders.json": "##\n# @fill-feeder:" + command,
            "qapi/gauges.json": GAUGES + "\n" + struct,
        },
    )
    code, out, err = run(capsys, "--diff-base", "HEAD", "qapi/")
    assert (code, out.count("Q181")) == (0, 0), out + err


def test_a_renamed_module_is_followed(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    git(repo, "mv", "qapi/feeders.json", "qapi/birds.json")
    root = (repo / "qapi/qapi-schema.json").read_text().replace("feeders.json", "birds.json")
    write(repo, {"qapi/qapi-schema.json": root})
    code, out, err = run(capsys, "--diff-base", "HEAD", "qapi/")
    assert (code, err) == (0, ""), out
    code, out, _ = run(capsys, "--diff-base", "HEAD", "qapi/birds.json")
    assert code == 0, out


def test_added_and_deleted_files(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    (repo / "qapi/gauges.json").unlink()
    root = (repo / "qapi/qapi-schema.json").read_text().replace("gauges.json", "rain.json")
    write(
        repo,
        {
            "qapi/qapi-schema.json": root,
            "qapi/rain.json": GAUGES.replace(
                "# @depth: the depth of water in it, in millimetres\n", LONG
            ),
        },
    )
    code, out, _ = run(capsys, "--diff-base", "HEAD", "qapi/")
    assert code == 1 and "rain.json:6:1: Q181" in out and "feeders" not in out
    # a file that is new altogether, as its own root: all its findings are new
    write(repo, {"qapi/extra.json": FEEDERS.replace("Feeder", "Tray").replace("fill", "empty")})
    code, out, _ = run(capsys, "--diff-base", "HEAD", "qapi/extra.json")
    assert code == 1 and "extra.json" in out


def test_crlf_on_one_side_only(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(repo, {"qapi/feeders.json": FEEDERS.replace("\n", "\r\n").encode()})
    code, out, _ = run(capsys, "--diff-base", "HEAD", "qapi/")
    assert code == 0, out


def test_binary_junk_at_base(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = qemu_like(tmp_path / "repo")
    write(repo, {"qapi/feeders.json": b"\x00\xff\xfe junk \x80\x81{"})
    commit(repo, "junk")
    write(repo, {"qapi/feeders.json": FEEDERS})
    monkeypatch.chdir(repo)
    code, out, err = run(capsys, "--diff-base", "HEAD", "qapi/")
    assert code == 1 and "Q181" in out  # everything at head is new ...
    assert err.count("does not parse") == 1  # ... said once
    assert "Traceback" not in err


def test_unknown_ref(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--diff-base", "no-such-branch", "qapi/")
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and "unknown revision 'no-such-branch'" in err


def test_not_a_git_tree(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path / "plain", {"VERSION": "10.2.50\n", "qapi/feeders.json": FEEDERS})
    monkeypatch.chdir(tmp_path / "plain")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    for args in (["--diff-base", "HEAD"], ["--staged"]):
        code, out, err = run(capsys, *args, "qapi/")
        assert (code, out) == (2, "")
        assert err.count("\n") == 1 and "not in a git work tree" in err


def test_shallow_clone_without_merge_base(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    origin = qemu_like(tmp_path / "origin")
    git(origin, "switch", "-q", "-c", "feature")
    write(origin, {"qapi/gauges.json": GAUGES.replace("rain", "snow")})
    commit(origin, "feature")
    git(origin, "switch", "-q", "main")
    write(origin, {"qapi/gauges.json": GAUGES.replace("rain", "hail")})
    commit(origin, "main moves on")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", "--no-single-branch", origin.as_uri(), str(clone))
    monkeypatch.chdir(clone)
    code, out, err = run(capsys, "--diff-base", "origin/feature", "qapi/")
    assert (code, out) == (2, "")
    assert err.count("\n") == 1 and "shallow" in err and "--unshallow" in err


def test_merge_base_of_a_branch(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    git(repo, "switch", "-q", "-c", "topic")
    write(
        repo,
        {
            "qapi/gauges.json": GAUGES.replace(
                "# @depth: the depth of water in it, in millimetres\n", LONG
            )
        },
    )
    commit(repo, "topic")
    git(repo, "switch", "-q", "main")
    write(
        repo,
        {"qapi/feeders.json": FEEDERS.replace("# A bird feeder.", "# A bird feeder.  " + "x" * 60)},
    )
    commit(repo, "main moves on")
    git(repo, "switch", "-q", "topic")
    code, out, _ = run(capsys, "--diff-base", "main", "qapi/")
    assert code == 1 and "gauges.json" in out and "feeders.json" not in out


def test_staged_reads_the_index(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    write(
        repo,
        {
            "qapi/gauges.json": GAUGES.replace(
                "# @depth: the depth of water in it, in millimetres\n", LONG
            )
        },
    )
    code, out, _ = run(capsys, "--staged", "qapi/")
    assert code == 0, out  # not staged yet
    git(repo, "add", "qapi/gauges.json")
    write(repo, {"qapi/gauges.json": GAUGES})  # the work tree differs from the index
    before = status(repo)
    code, out, _ = run(capsys, "--staged", "qapi/")
    assert code == 1 and f"{repo / 'qapi/gauges.json'}" not in out and "gauges.json:6:1" in out
    assert status(repo) == before


def test_base_as_a_folder_needs_no_git(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    tree = {"VERSION": "10.2.50\n", "qapi/qapi-schema.json": "{ 'include': 'feeders.json' }\n"}
    write(tmp_path / "old", {**tree, "qapi/feeders.json": FEEDERS})
    write(
        tmp_path / "new",
        {
            **tree,
            "qapi/feeders.json": FEEDERS.replace(
                "# A bird feeder.", "# A bird feeder.  " + "x" * 60
            ),
        },
    )
    monkeypatch.chdir(tmp_path / "new")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    code, out, _ = run(capsys, "--diff-base", str(tmp_path / "old"), "qapi/")
    assert code == 1 and out.count("Q181") == 1 and ":4:1: Q181" in out


def test_first_commit_with_staged(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    repo = init(tmp_path / "fresh")
    write(repo, {"VERSION": "10.2.50\n", "qapi/feeders.json": FEEDERS})
    git(repo, "add", "-A")
    monkeypatch.chdir(repo)
    code, out, _ = run(capsys, "--staged", "qapi/")
    assert code == 1 and "Q181" in out  # no HEAD: everything is new


def test_refused_combinations(repo: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for args in (["--staged", "--diff-base", "HEAD"], ["--staged", "--fix"]):
        code, _, err = run(capsys, *args, "qapi/")
        assert code == 2 and err.count("\n") == 1
