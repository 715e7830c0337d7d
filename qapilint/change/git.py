"""Git access for a base: a fixed handful of ``git`` processes whatever the
number of files, and every blob read through one ``git cat-file --batch``.

Nothing here writes to the repository: no checkout, no index, no stash.
"""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path


class GitError(Exception):
    """Git cannot give what was asked: one line for the user, exit 2."""


@dataclass(frozen=True, slots=True)
class Entry:
    """A file of a tree (a commit's or the index's): its path relative to
    the repository's top and its blob."""

    path: str
    blob: str


def _environment() -> dict[str, str]:
    env = dict(os.environ)
    # never prompt, never page, never localise the messages we show
    env.update({"GIT_TERMINAL_PROMPT": "0", "GIT_PAGER": "cat", "LC_ALL": "C"})
    return env


def _git(
    cwd: Path,
    *args: str,
    check: bool = True,
    index: Path | None = None,
    stdin: bytes | None = None,
) -> subprocess.CompletedProcess[bytes]:
    env = _environment()
    if index is not None:  # a temporary index: the repository's own is never touched
        env["GIT_INDEX_FILE"] = str(index)
    try:
        done = subprocess.run(
            ["git", *args], cwd=cwd, capture_output=True, env=env, input=stdin, check=False
        )
    except FileNotFoundError as error:
        raise GitError("git is not installed (or not on PATH)") from error
    except OSError as error:
        raise GitError(f"cannot run git: {error.strerror or error}") from error
    if check and done.returncode != 0:
        raise GitError(_first_line(done.stderr) or f"git {args[0]} failed")
    return done


def _first_line(data: bytes) -> str:
    for line in data.decode("utf-8", "replace").splitlines():
        text = line.strip()
        if text:
            return text.removeprefix("fatal: ").removeprefix("error: ")
    return ""


def toplevel(folder: Path) -> Path:
    """The top of the git work tree holding ``folder``."""
    done = _git(folder, "rev-parse", "--show-toplevel", check=False)
    if done.returncode != 0:
        raise GitError(
            f"{folder} is not in a git work tree: --diff-base and --staged need git "
            "(or give --diff-base a folder holding the base tree)"
        )
    return Path(os.fsdecode(done.stdout.rstrip(b"\n"))).resolve()


def commit_of(top: Path, ref: str) -> str:
    """The commit ``ref`` names."""
    if ref.startswith("-"):
        raise GitError(f"unknown revision {ref!r}: name a branch, tag or commit")
    done = _git(
        top, "rev-parse", "--verify", "--quiet", "--end-of-options", ref + "^{commit}", check=False
    )
    if done.returncode != 0:
        raise GitError(
            f"unknown revision {ref!r}: name a branch, tag or commit of this repository "
            "(git fetch it first if it is remote)"
        )
    return done.stdout.decode().strip()


def has_head(top: Path) -> bool:
    return _git(top, "rev-parse", "--verify", "--quiet", "HEAD", check=False).returncode == 0


def merge_base(top: Path, ref: str) -> str:
    """The merge-base of ``ref`` and HEAD, as ``git diff REF...`` uses."""
    commit = commit_of(top, ref)
    if not has_head(top):
        raise GitError("HEAD names no commit yet: make a first commit, or give a folder as base")
    done = _git(top, "merge-base", commit, "HEAD", check=False)
    if done.returncode == 0:
        return done.stdout.decode().strip()
    shallow = _git(top, "rev-parse", "--is-shallow-repository", check=False)
    if shallow.stdout.strip() == b"true":
        raise GitError(
            f"no merge-base of {ref!r} and HEAD in this shallow clone: fetch more history "
            "(git fetch --unshallow, or --deepen=N)"
        )
    raise GitError(f"{ref!r} and HEAD have no common history: no merge-base to compare with")


def tree_entries(top: Path, commit: str, pathspecs: Sequence[str]) -> list[Entry]:
    """The files (blobs) of ``commit`` under ``pathspecs`` (all: empty)."""
    done = _git(top, "ls-tree", "-r", "-z", "--full-tree", commit, "--", *pathspecs)
    entries = []
    for record in done.stdout.split(b"\0"):
        if not record:
            continue
        meta, _tab, name = record.partition(b"\t")
        mode, kind, blob = meta.split(b" ")
        if kind == b"blob" and mode != b"120000":  # symbolic links are not followed
            entries.append(Entry(os.fsdecode(name), blob.decode()))
    return entries


def index_entries(top: Path, pathspecs: Sequence[str], index: Path | None = None) -> list[Entry]:
    """The files of the index (stage 0; ``index``: that index file) under ``pathspecs``."""
    done = _git(top, "ls-files", "-s", "-z", "--", *pathspecs, index=index)
    entries = []
    for record in done.stdout.split(b"\0"):
        if not record:
            continue
        meta, _tab, name = record.partition(b"\t")
        mode, blob, stage = meta.split(b" ")
        if stage == b"0" and mode != b"120000" and not mode.startswith(b"160"):
            entries.append(Entry(os.fsdecode(name), blob.decode()))
    return entries


def changes(top: Path, commit: str, *, staged: bool) -> tuple[dict[str, str], set[str]]:
    """Files renamed since ``commit`` (to the index with ``staged``, else
    to the work tree: old path -> new path), and every path that differs
    (both names of a renamed file; untracked files of the work tree too)."""
    args = ["diff", "--no-ext-diff", "-M", "-z", "--name-status"]
    if staged:
        args.append("--cached")
    found, changed = _name_status(_git(top, *args, commit, "--").stdout)
    if not staged:
        others = _git(top, "ls-files", "-z", "--others", "--exclude-standard")
        changed |= {os.fsdecode(name) for name in others.stdout.split(b"\0") if name}
    return found, changed


def read_blobs(top: Path, blobs: Iterable[str]) -> dict[str, bytes]:
    """The contents of ``blobs``, all through one ``git cat-file --batch``."""
    wanted = list(dict.fromkeys(blobs))
    if not wanted:
        return {}
    request = "".join(blob + "\n" for blob in wanted).encode()
    try:
        done = subprocess.run(
            ["git", "cat-file", "--batch"],
            cwd=top,
            input=request,
            capture_output=True,
            env=_environment(),
            check=False,
        )
    except OSError as error:
        raise GitError(f"cannot run git: {error.strerror or error}") from error
    if done.returncode != 0:
        raise GitError(_first_line(done.stderr) or "git cat-file failed")
    data = done.stdout
    found: dict[str, bytes] = {}
    offset = 0
    for blob in wanted:
        end = data.index(b"\n", offset)
        header = data[offset:end].split(b" ")
        offset = end + 1
        if len(header) < 3 or header[1] == b"missing":
            raise GitError(f"object {blob} is missing from the repository")
        size = int(header[2])
        found[blob] = data[offset : offset + size]
        offset += size + 1  # the object is followed by a newline
    return found


# --------------------------------------------------------------------------
# A patch series applied in a temporary index (``qapilint patch``): the
# repository's index, work tree and refs are never touched; ``git apply
# --cached`` only adds the blobs the patches make to the object store.


def exists(top: Path, ref: str) -> str | None:
    """The commit ``ref`` names, or None when this repository has none."""
    try:
        return commit_of(top, ref)
    except GitError:
        return None


def parent(top: Path, commit: str) -> str | None:
    """The first parent of ``commit``; None for a root commit."""
    done = _git(top, "rev-parse", "--verify", "--quiet", commit + "^1", check=False)
    return done.stdout.decode().strip() if done.returncode == 0 else None


def read_tree(top: Path, index: Path, commit: str | None) -> None:
    """Fill the temporary ``index`` with ``commit``'s tree (None: empty)."""
    if commit is None:
        _git(top, "read-tree", "--empty", index=index)
    else:
        _git(top, "read-tree", commit, index=index)


def apply(top: Path, index: Path, diff: bytes, reverse: bool = False) -> str | None:
    """Apply ``diff`` to the temporary ``index`` (in reverse with
    ``reverse``); None when it applied, else git's first line of complaint.
    A failed patch leaves the index as it was."""
    args = ["apply", "--cached", "--whitespace=nowarn"]
    if reverse:
        args.append("--reverse")
    done = _git(top, *args, "-", index=index, stdin=diff, check=False)
    if done.returncode == 0:
        return None
    return _first_line(done.stderr) or "git apply failed"


def write_tree(top: Path, index: Path) -> str:
    """The tree the temporary ``index`` holds (written to the object store)."""
    return _git(top, "write-tree", index=index).stdout.decode().strip()


def tree_changes(top: Path, old: str, new: str) -> tuple[dict[str, str], set[str]]:
    """Between two trees: renames (old path -> new path) and every path
    that differs (both names of a renamed file)."""
    return _name_status(_git(top, "diff-tree", "-r", "-M", "-z", "--name-status", old, new).stdout)


def _name_status(output: bytes) -> tuple[dict[str, str], set[str]]:
    """Git's ``-z --name-status`` output: renames (old path -> new path) and
    every path that differs (both names of a renamed or copied file)."""
    fields = output.split(b"\0")
    renames: dict[str, str] = {}
    changed: set[str] = set()
    index = 0
    while index < len(fields) and fields[index]:
        status = fields[index]
        if status.startswith((b"R", b"C")):
            before, after = os.fsdecode(fields[index + 1]), os.fsdecode(fields[index + 2])
            if status.startswith(b"R"):
                renames[before] = after
            changed |= {before, after}
            index += 3
        else:
            changed.add(os.fsdecode(fields[index + 1]))
            index += 2
    return renames, changed
