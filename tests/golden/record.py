"""Golden results: what qapilint does on the QEMU corpus, recorded compactly.

Recorded from the code as it was before the restructuring (modules moved into
subpackages, doc syntax centralised), whose acceptance rule is "behaviour
unchanged"; ``tests/test_golden.py`` recomputes everything and compares.
Regenerate from the project root with ``python -m tests.golden.record`` (or
``python tests/golden/record.py``) -- only when a difference is intended, and
say in the commit why.

Only the command line is used: :func:`qapilint.cli.main` in-process with an
argv list, and ``python -m qapilint.cli`` (its console script, ``run``) for
the long runs, which go in parallel; never an internal module, so the harness
survives modules moving. No corpus text is stored: messages and fixes are kept
as hashes, paths relative to the corpus folder.

The data files (sorted, one item a line):

- ``findings.txt``: ``check --isolated --preview --select ALL --format json``
  once per target -- each root schema of QEMU 10.2.2 and 7.2.0, and each
  ``.json`` file of QEMU's conformance suite (``tests/qapi-schema/``) named
  alone -- one line per finding::

      TARGET CODE PATH:LINE:COLUMN-END_LINE:END_COLUMN SEVERITY msg=HASH fix=HASH

  ``msg`` hashes the message, ``fix`` the fix (applicability, message, and
  the edits with their spans and text; ``-``: no fix). A finding's rule name
  is the one ``rules.txt`` gives its code (checked).
- ``runs.txt``: per target, the exit status, the number of findings and a
  hash of standard error; the same for a check of each whole corpus folder,
  which must find exactly the roots above and report their findings, each
  once (checked).
- ``diff.txt``: ``check --diff .`` (the README's invocation, default rule
  selection) in a copy of the 7.2.0 tree whose ``VERSION`` says 10.2.50: exit
  status, sha256 and line count of the whole output and of standard error
  (the copy's absolute path replaced by ``<tree>``), and per file the sha256
  of its diff and its counts of added and removed lines.
- ``rules.txt``: ``rules --format json``, a line per rule: code, name,
  severity, status, fix kind, QEMU release, hashes of its summary and of its
  ``explain`` page.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from qapilint.cli import main

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent.parent
CORPUS = PROJECT.parent / "shared" / "corpus"  # where tests/conftest.py looks

FINDINGS = HERE / "findings.txt"
RUNS = HERE / "runs.txt"
DIFF = HERE / "diff.txt"
RULES = HERE / "rules.txt"

# The root schemas `qapilint check FOLDER` finds in each corpus folder
# (every run checks that it still finds these: see Results.problems).
ROOTS = {
    "qemu-10.2.2": (
        "qemu-10.2.2/docs/interop/firmware.json",
        "qemu-10.2.2/docs/interop/vhost-user.json",
        "qemu-10.2.2/qapi/qapi-schema.json",
        "qemu-10.2.2/qga/qapi-schema.json",
        "qemu-10.2.2/storage-daemon/qapi/qapi-schema.json",
    ),
    "qemu-7.2.0": (
        "qemu-7.2.0/qapi/qapi-schema.json",
        "qemu-7.2.0/qga/qapi-schema.json",
    ),
}
SUITE = "qemu-10.2.2/tests/qapi-schema"
CHECK = ("check", "--isolated", "--preview", "--select", "ALL", "--format", "json")

DIFF_TREE = "qemu-7.2.0"
DIFF_VERSION = "10.2.50"
DIFF_ARGV = ("check", "--diff", ".")
TREE = "<tree>"  # stands for the temporary copy's absolute path
DIFF_RUN = "--diff"  # the --diff run, among Results.stderr's runs


# --------------------------------------------------------------------------
# Running the command line


def cli(argv: Sequence[str], cwd: Path) -> tuple[int, str, str]:
    """``qapilint ARGV`` in-process, in ``cwd``: exit status, stdout, stderr."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.chdir(cwd), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        status = main(list(argv))
    return status, out.getvalue(), err.getvalue()


@dataclass
class Spawned:
    """``python -m qapilint.cli ARGV`` running in the background."""

    process: subprocess.Popen[bytes]

    @classmethod
    def start(cls, argv: Sequence[str], cwd: Path) -> Spawned:
        env = {**os.environ, "PYTHONIOENCODING": "utf-8"}
        command = [sys.executable, "-m", "qapilint.cli", *argv]
        pipe = subprocess.PIPE
        return cls(subprocess.Popen(command, cwd=cwd, env=env, stdout=pipe, stderr=pipe))

    def result(self) -> tuple[int, str, str]:
        out, err = self.process.communicate()
        return self.process.returncode, out.decode("utf-8"), err.decode("utf-8")

    def stop(self) -> None:
        """End the process if it still runs (after an error elsewhere)."""
        if self.process.poll() is None:
            self.process.kill()
            self.process.communicate()


@contextlib.contextmanager
def rare_gc() -> Iterator[None]:
    """The console script's garbage-collector setting (``qapilint.cli.run``),
    for the in-process runs: speed only."""
    saved = gc.get_threshold()
    gc.set_threshold(200_000, 50, 100)
    try:
        yield
    finally:
        gc.set_threshold(*saved)


# --------------------------------------------------------------------------
# Hashes


def canonical(value: Any) -> str:
    return json.dumps(value, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def short(value: Any) -> str:
    """12 hex digits of the sha256 of ``value`` (a string as it is, anything
    else as canonical JSON)."""
    return sha256(value if isinstance(value, str) else canonical(value))[:12]


# --------------------------------------------------------------------------
# Findings


def suite_files(corpus: Path) -> list[str]:
    """Every ``.json`` file of the conformance suite, ``include/`` and
    ``MANIFEST.json`` too, relative to the corpus folder."""
    return sorted(p.relative_to(corpus).as_posix() for p in (corpus / SUITE).rglob("*.json"))


def fix_hash(fix: dict[str, Any] | None) -> str:
    if fix is None:
        return "-"
    edits = sorted(  # the JSON format leaves their order open
        fix["edits"],
        key=lambda e: (e["line"], e["column"], e["end_line"], e["end_column"], e["text"]),
    )
    return short({"applicability": fix["applicability"], "message": fix["message"], "edits": edits})


def finding_line(target: str, f: dict[str, Any]) -> str:
    return (
        f"{target} {f['code']} {f['path']}:{f['line']}:{f['column']}-{f['end_line']}:"
        f"{f['end_column']} {f['severity']} msg={short(f['message'])} fix={fix_hash(f['fix'])}"
    )


def sort_key(line: str) -> tuple[Any, ...]:
    """Target, path, line, column, code, then the rest; numbers as numbers."""
    target, code, where, rest = line.split(" ", 3)
    path, row, column = where.rsplit("-", 1)[0].rsplit(":", 2)
    return (target, path, int(row), int(column), code, where, rest)


def run_line(target: str, status: int, findings: Sequence[Any], err: str) -> str:
    return f"{target} status={status} findings={len(findings)} stderr={short(err) if err else '-'}"


def parse_findings(out: str) -> list[dict[str, Any]]:
    return json.loads(out) if out else []


# --------------------------------------------------------------------------
# --diff

_HUNK = re.compile(r"@@ -\d+(?:,(\d+))? \+\d+(?:,(\d+))? @@")


def split_diff(text: str) -> list[tuple[str, str, int, int]]:
    """A unified diff as (file, its diff, lines added, lines removed), read by
    the hunk headers' counts (a removed line may itself start with ``---``)."""
    lines = text.splitlines(keepends=True)
    files: list[tuple[str, str, int, int]] = []
    i = 0
    while i < len(lines):
        start = i
        old, new = lines[i], lines[i + 1] if i + 1 < len(lines) else ""
        if not (old.startswith("--- ") and new.startswith("+++ ")):
            raise ValueError(f"diff line {i + 1}: expected a file header, not {old!r}")
        name = new.removeprefix("+++ ").removeprefix("b/").rstrip("\n")
        i += 2
        added = removed = 0
        while i < len(lines) and (hunk := _HUNK.match(lines[i])):
            old_left, new_left = int(hunk.group(1) or "1"), int(hunk.group(2) or "1")
            i += 1
            while old_left or new_left:
                kind = lines[i][:1] if i < len(lines) else "<end>"
                if kind not in (" ", "+", "-"):
                    raise ValueError(f"diff line {i + 1} ({name}): unexpected {kind!r}")
                old_left -= kind in " -"
                new_left -= kind in " +"
                added += kind == "+"
                removed += kind == "-"
                if old_left < 0 or new_left < 0:
                    raise ValueError(f"diff line {i + 1} ({name}): longer than its hunk")
                i += 1
        files.append((name, "".join(lines[start:i]), added, removed))
    return files


def diff_lines(status: int, out: str, err: str) -> list[str]:
    head = [
        f"# qapilint {' '.join(DIFF_ARGV)}, in a copy of {DIFF_TREE}/ whose VERSION is "
        f"{DIFF_VERSION}",
        f"# status={status}",
        f"# output sha256={sha256(out)} lines={len(out.splitlines())}",
        f"# stderr sha256={sha256(err)} lines={len(err.splitlines())}",
    ]
    try:
        files = split_diff(out)
    except ValueError as error:
        return [*head, f"# unreadable diff: {error}"]
    return head + sorted(
        f"{name} sha256={sha256(text)} +{added} -{removed}" for name, text, added, removed in files
    )


def snapshot(tree: Path) -> dict[str, str]:
    return {
        p.relative_to(tree).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(tree.rglob("*"))
        if p.is_file()
    }


# --------------------------------------------------------------------------
# Everything


@dataclass
class Results:
    files: dict[Path, list[str]] = field(default_factory=dict)  # data file -> its lines
    problems: list[str] = field(default_factory=list)  # broken invariants
    # each run's standard error (only hashed in the data), to show when it changed
    stderr: dict[str, str] = field(default_factory=dict)  # run (as in runs.txt, or DIFF_RUN)


def compute(corpus: Path) -> Results:
    """Every data file's lines, from the code as it is now, and what is
    inconsistent in them."""
    results = Results()
    with tempfile.TemporaryDirectory(prefix="qapilint-golden-") as temporary:
        tree = Path(temporary).resolve() / DIFF_TREE
        shutil.copytree(corpus / DIFF_TREE, tree)
        (tree / "VERSION").write_text(DIFF_VERSION + "\n", encoding="utf-8")
        before = snapshot(tree)
        # the long runs in the background, the many short ones here meanwhile
        diff_run = Spawned.start(DIFF_ARGV, tree)
        folder_runs = {folder: Spawned.start([*CHECK, folder], corpus) for folder in ROOTS}
        try:
            findings: list[str] = []
            runs: list[str] = []
            found_by: dict[str, list[dict[str, Any]]] = {}
            with rare_gc():
                for target in [*(r for rs in ROOTS.values() for r in rs), *suite_files(corpus)]:
                    status, out, err = cli([*CHECK, target], corpus)
                    found_by[target] = parse_findings(out)
                    findings += (finding_line(target, f) for f in found_by[target])
                    runs.append(run_line(target, status, found_by[target], err))
                    results.stderr[target] = err
                rules = rules_lines(corpus)

            for folder, spawned in folder_runs.items():
                status, out, err = spawned.result()
                found = parse_findings(out)
                runs.append(run_line(f"{folder}/", status, found, err))
                results.stderr[f"{folder}/"] = err
                results.problems += folder_problems(folder, found, found_by)

            diff_status, diff_out, diff_err = diff_run.result()
        finally:
            for spawned in [diff_run, *folder_runs.values()]:
                spawned.stop()
        if snapshot(tree) != before:
            results.problems.append(f"check --diff changed files in the copy of {DIFF_TREE}")
        # the copy's absolute path (standard error names files so) made relative
        diff_out, diff_err = (text.replace(f"{tree}/", f"{TREE}/") for text in (diff_out, diff_err))
        results.stderr[DIFF_RUN] = diff_err

    results.files = {
        FINDINGS: sorted(findings, key=sort_key),
        RUNS: sorted(runs),
        DIFF: diff_lines(diff_status, diff_out, diff_err),
        RULES: rules,
    }
    results.problems += name_problems(found_by, rules)
    return results


def folder_problems(
    folder: str, found: list[dict[str, Any]], found_by: dict[str, list[dict[str, Any]]]
) -> list[str]:
    """``check FOLDER`` must report what its roots report, each finding once."""
    expected = {finding_line("", f) for root in ROOTS[folder] for f in found_by[root]}
    got = [finding_line("", f) for f in found]
    if set(got) == expected and len(got) == len(expected):
        return []
    return [
        f"check {folder}/ does not report exactly the findings of its roots {ROOTS[folder]}:\n"
        + set_difference(expected, got)
    ]


def name_problems(found_by: dict[str, list[dict[str, Any]]], rules: list[str]) -> list[str]:
    names = dict(line.split(" ", 2)[:2] for line in rules)
    wrong = sorted(
        {
            f"{f['code']} is {names.get(f['code'], 'no rule')!r} in `qapilint rules` "
            f"but {f['name']!r} in findings"
            for found in found_by.values()
            for f in found
            if names.get(f["code"]) != f["name"]
        }
    )
    return wrong


def set_difference(expected: Iterable[str], got: Iterable[str], limit: int = 40) -> str:
    missing = sorted(set(expected) - set(got))
    added = sorted(set(got) - set(expected))
    lines = [f"  missing: {line}" for line in missing[:limit]]
    lines += [f"  extra:   {line}" for line in added[:limit]]
    return "\n".join(lines)


def rules_lines(cwd: Path) -> list[str]:
    status, out, err = cli(["rules", "--format", "json"], cwd)
    if status or err:
        return [f"# qapilint rules: status {status}, stderr {short(err)}"]
    lines = []
    for rule in json.loads(out):
        status, page, err = cli(["explain", rule["code"]], cwd)
        explain = short(page) if status == 0 and not err else f"status-{status}-{short(err)}"
        lines.append(
            f"{rule['code']} {rule['name']} {rule['severity']} {rule['status']} "
            f"fix={rule['fix']} qemu={rule['qemu_release'] or '-'} "
            f"summary={short(rule['summary'])} explain={explain}"
        )
    return sorted(lines)


def read(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


def record() -> int:
    if not CORPUS.is_dir():
        print(f"QEMU corpus not found at {CORPUS}", file=sys.stderr)
        return 2
    results = compute(CORPUS.resolve())
    if results.problems:
        print("not recorded, the results are inconsistent:", file=sys.stderr)
        print("\n".join(results.problems), file=sys.stderr)
        return 1
    for path, lines in results.files.items():
        path.write_text("".join(line + "\n" for line in lines), encoding="utf-8")
        print(f"{path.relative_to(PROJECT)}: {len(lines)} lines")
    return 0


if __name__ == "__main__":
    sys.exit(record())
