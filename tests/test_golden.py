"""Golden test: qapilint behaves on the QEMU corpus exactly as recorded.

The data in ``tests/golden/`` was recorded before the restructuring (modules
moved into subpackages, doc syntax centralised), whose acceptance rule is
"behaviour unchanged": every finding (code, position, severity, message and
fix, the last two as hashes) of every root schema and conformance case, each
run's exit status and standard error, ``--diff`` on an old tree, and the rule
list. ``tests/golden/record.py`` says what is recorded and how; it runs
qapilint only through its command line (``qapilint.cli``), so this test
survives modules moving.

When this test fails, the message lists what differs, ``-`` for a recorded
line, ``+`` for what stands in its place now (the two lines of a finding
whose message, fix or severity changed are next to each other); a finding
reads ``CODE PATH:LINE:COLUMN-END_LINE:END_COLUMN SEVERITY msg=HASH
fix=HASH`` and, in brackets, the target that was checked.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import zip_longest
from pathlib import Path

import pytest

from tests.golden import record
from tests.golden.record import Results

# Every intended behaviour change must be listed here, with its reason: a
# (line, reason) pair, where the line is a recorded line that may now be
# missing, or a new line that may now appear, exactly as the failure message
# shows it (without the leading "- " or "+ "), from any of the data files.
# The restructuring's rule is "behaviour unchanged", so anything else that
# differs is a regression. An entry that no longer differs fails the test too
# (remove it, or re-record the data with `python -m tests.golden.record` and
# say why in the commit).
INTENDED_DIFFERENCES: list[tuple[str, str]] = []

SHOWN = 60  # differing lines shown per data file
DATA = (record.FINDINGS, record.RUNS, record.DIFF, record.RULES)


@pytest.fixture(scope="module")
def results(corpus: Path) -> Results:
    return record.compute(corpus)


def readable(line: str, data: Path) -> str:
    """A findings.txt line as ``CODE PATH:LINE:COLUMN-END ... [TARGET]``."""
    if data != record.FINDINGS:
        return line
    target, rest = line.split(" ", 1)
    return f"{rest} [{target}]"


def key(line: str, data: Path) -> tuple[object, ...]:
    """What identifies a recorded item: a finding's target, code and span, a
    run's target, a diff's file, a rule's code; the rest is what it says."""
    if data == record.FINDINGS:
        return record.sort_key(line)[:-1]
    if data == record.DIFF and line.startswith("# "):
        return ("#", line.split("=", 1)[0])
    return (line.split(" ", 1)[0],)


@dataclass
class Change:
    """A recorded line and what stands in its place now (None: nothing)."""

    old: str | None
    new: str | None

    def lines(self) -> list[str]:
        return [line for line in (self.old, self.new) if line is not None]


def changes(data: Path, recorded: list[str], now: list[str]) -> list[Change]:
    """The lines that differ (as multisets), a recorded line paired with the
    new line of the same item, sorted by item."""
    gone = sorted((Counter(recorded) - Counter(now)).elements())
    new = sorted((Counter(now) - Counter(recorded)).elements())
    by_key: dict[tuple[object, ...], tuple[list[str], list[str]]] = defaultdict(lambda: ([], []))
    for line in gone:
        by_key[key(line, data)][0].append(line)
    for line in new:
        by_key[key(line, data)][1].append(line)
    found = []
    for item in sorted(by_key):
        olds, news = by_key[item]
        found += [Change(o, n) for o, n in zip_longest(olds, news)]
    return found


def intended(change: Change, data: Path) -> bool:
    listed = {line for line, _ in INTENDED_DIFFERENCES}
    return any(line in listed or readable(line, data) in listed for line in change.lines())


def stderr_now(data: Path, found: list[Change], results: Results) -> list[str]:
    """The standard error of the runs whose record changed (the data keeps
    only its hash): most often what explains the change."""
    if data == record.RUNS:
        runs = [change.new.split(" ", 1)[0] for change in found if change.new is not None]
    elif data == record.DIFF:
        runs = [record.DIFF_RUN]
    else:
        return []
    shown = []
    for run in runs[:10]:
        lines = results.stderr.get(run, "").splitlines()
        if lines:
            shown += [f"standard error of {run} now:", *(f"  {line}" for line in lines[:10])]
    return shown


def describe(data: Path, found: list[Change], results: Results) -> str:
    changed = sum(1 for c in found if c.old is not None and c.new is not None)
    gone = sum(1 for c in found if c.new is None)
    new = sum(1 for c in found if c.old is None)
    by_code = ""
    if data == record.FINDINGS:
        codes = Counter(line.split(" ", 2)[1] for c in found for line in c.lines()[:1])
        by_code = " By code: " + ", ".join(f"{code} {n}" for code, n in sorted(codes.items())) + "."
    shown: list[str] = []
    for change in found[:SHOWN]:
        shown += [f"- {readable(change.old, data)}"] if change.old is not None else []
        shown += [f"+ {readable(change.new, data)}"] if change.new is not None else []
    return (
        f"{data.name}: behaviour changed: {changed} item(s) changed (- recorded, + now), "
        f"{gone} gone (-), {new} new (+).{by_code}"
        + (f" The first {SHOWN} shown." if len(found) > SHOWN else "")
        + " Intended? List the changed line (either one of a -/+ pair) in "
        "tests/test_golden.py's INTENDED_DIFFERENCES with its reason.\n"
        + "\n".join(shown + stderr_now(data, found, results))
    )


@pytest.mark.parametrize("data", DATA, ids=lambda p: p.name)
def test_behaviour_unchanged(data: Path, results: Results) -> None:
    found = changes(data, record.read(data), results.files[data])
    unintended = [change for change in found if not intended(change, data)]
    if unintended:
        pytest.fail(describe(data, unintended, results), pytrace=False)


def test_intended_differences_are_explained_and_current(results: Results) -> None:
    differing = set()
    for data in DATA:
        for change in changes(data, record.read(data), results.files[data]):
            for line in change.lines():
                differing |= {line, readable(line, data)}
    unexplained = [line for line, reason in INTENDED_DIFFERENCES if not reason.strip()]
    assert not unexplained, f"INTENDED_DIFFERENCES without a reason: {unexplained}"
    stale = [line for line, _ in INTENDED_DIFFERENCES if line not in differing]
    assert not stale, f"INTENDED_DIFFERENCES that no longer differ (remove them): {stale}"


def test_results_consistent(results: Results) -> None:
    """Folder checks find the recorded roots and report their findings once;
    findings carry their rule's name; ``--diff`` writes nothing."""
    if results.problems:
        pytest.fail("\n".join(results.problems), pytrace=False)
