#!/usr/bin/env python3
"""Time ``qapilint check`` on a QAPI root schema, whole process, against
QEMU's own QAPI front end run on the same file in the same run.

Each row is a separate child process; rows are interleaved (qapilint,
reference, qapilint, reference, ...) so that a slow moment of the machine
hits every row alike. For each row the median and minimum wall time and the
peak resident memory of the child (``ru_maxrss`` from ``os.wait4``) are
printed. The reference rows need a QEMU source tree in ``QEMU_SRC`` (see
bench/README.md); without one, only absolute times are printed.

    python3 bench/run.py [--runs 7] [--schema PATH] [--markdown] [--diff-base-row]

``--diff-base-row`` adds rows for ``check --diff-base HEAD``: the schema's
QEMU tree is copied into a temporary git repository (one commit), once
unchanged and once with one edit to ``qapi/migration.json`` in the work
tree (its root changes, so the base is read from git and checked too),
each timed against a plain ``check`` of the same work tree in the same
run (column "vs plain check").
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
DEFAULT_SCHEMA = PROJECT.parent / "shared" / "corpus" / "qemu-10.2.2" / "qapi" / "qapi-schema.json"

# The reference programs: QEMU's parser alone (includes followed), and the
# parser plus the expression and semantic checks (QAPISchema), which is
# everything QEMU's build does before generating code.
PARSER_ONLY = (
    "import sys; sys.path.insert(0, sys.argv[1]); "
    "from qapi.parser import QAPISchemaParser; QAPISchemaParser(sys.argv[2])"
)
PARSER_AND_CHECK = (
    "import sys; sys.path.insert(0, sys.argv[1]); "
    "from qapi.schema import QAPISchema; QAPISchema(sys.argv[2])"
)
# the same for each root given, in one process (as ``qapilint check .``)
PARSER_AND_CHECK_EACH = (
    "import sys; sys.path.insert(0, sys.argv[1]); "
    "from qapi.schema import QAPISchema\n"
    "for root in sys.argv[2:]: QAPISchema(root)"
)


@dataclass
class Row:
    label: str
    argv: list[str]
    reference: bool = False
    cold: bool = False  # each run with an empty qapilint cache (first run after install)
    ok_status: tuple[int, ...] = (0,)
    against: str | None = None  # the label of the row this one's ratio is taken against
    bar: str | None = None  # the reference row this one must not be slower or bigger than
    cwd: Path | None = None
    seconds: list[float] = field(default_factory=list)
    cpu_seconds: list[float] = field(default_factory=list)
    peak_kib: list[int] = field(default_factory=list)
    error: str | None = None


@dataclass(frozen=True)
class Sample:
    seconds: float
    peak_kib: int
    status: int
    stderr: str
    cpu_seconds: float = 0.0  # the child's user and system time


def child_environment() -> dict[str, str]:
    """The children's environment: bytecode caches allowed, so that after
    the warm-up round both qapilint and QEMU's scripts run from ``.pyc``
    files, as an installed program does (``pip install`` compiles them)."""
    environment = dict(os.environ)
    environment.pop("PYTHONDONTWRITEBYTECODE", None)
    return environment


CHILD_ENVIRONMENT = child_environment()


# The cache folders of the warm runs: the benchmark's own, kept for the
# whole run (the warm-up round fills them), so no other program's use of the
# user's cache changes what is measured; one per command, so that each
# installation compared is measured with the caches it alone made.
_WARM_CACHES: dict[str, str] = {}


def warm_cache(command: str) -> str:
    """The cache folder of ``command``'s warm runs."""
    if command not in _WARM_CACHES:
        _WARM_CACHES[command] = tempfile.mkdtemp(prefix="qapilint-bench-cache-")
    return _WARM_CACHES[command]


def run_child(
    argv: Sequence[str], cold: bool = False, cwd: Path | None = None, command: str | None = None
) -> Sample:
    """Run one child to completion; its wall time and its own peak RSS.
    ``cold``: with an empty cache folder of its own; otherwise with the warm
    cache of ``command`` (the program run, ``argv[0]`` unless it runs under
    another, as under valgrind)."""
    warm = warm_cache(command or argv[0])
    with tempfile.TemporaryFile(mode="w+b") as stderr, tempfile.TemporaryDirectory() as cache:
        environment = {**CHILD_ENVIRONMENT, "XDG_CACHE_HOME": cache if cold else warm}
        start = time.perf_counter()
        child = subprocess.Popen(
            argv, stdout=subprocess.DEVNULL, stderr=stderr, env=environment, cwd=cwd
        )
        _, wait_status, usage = os.wait4(child.pid, 0)
        elapsed = time.perf_counter() - start
        child.returncode = os.waitstatus_to_exitcode(wait_status)
        stderr.seek(0)
        message = stderr.read().decode("utf-8", "replace")
    # ru_maxrss is in KiB on Linux (bytes on macOS)
    peak = usage.ru_maxrss // 1024 if sys.platform == "darwin" else usage.ru_maxrss
    return Sample(elapsed, peak, child.returncode, message, usage.ru_utime + usage.ru_stime)


def qapilint_command(given: str | None = None) -> list[str]:
    if given:
        return [given]
    beside = Path(sys.executable).parent / "qapilint"
    if beside.exists():
        return [str(beside)]
    found = shutil.which("qapilint")
    if found:
        return [found]
    sys.exit("bench: no qapilint command found (install the project first)")


def interpreter_of(command: str) -> str:
    """The Python a console script runs with (its "#!" line names it), so
    that the reference starts as the timed command does (an editable
    install's environment imports its import hook, and pathlib with it,
    at every start: 2 MiB more than a plain environment's, measured in
    the reference's peak). This Python where the command names none."""
    with contextlib.suppress(OSError), open(command, "rb") as script:
        first = script.readline(4096).decode("utf-8", "replace")
        words = first[2:].split() if first.startswith("#!") else []
        if words and Path(words[0]).name == "env" and len(words) > 1:
            words = [shutil.which(words[1]) or ""]  # "#!/usr/bin/env python3"
        if words and words[0] and os.access(words[0], os.X_OK):
            return words[0]
    return sys.executable


def qapilint_rows(schema: Path, qapilint: list[str], label: str = "") -> list[Row]:
    """The rows of one qapilint installation. Every row but the "findings
    cache warm" one runs with ``--no-cache``: the work of a first run, not
    a reading of the last one's result."""
    check = [*qapilint, "check", "--no-cache"]
    tree = tree_top(schema)
    rows = [
        Row(f"qapilint{label} check --select Q1", [*check, "--select", "Q1", str(schema)]),
        Row(f"qapilint{label} check --select Q", [*check, "--select", "Q", str(schema)]),
        Row(
            f"qapilint{label} check (default rules)",
            [*check, str(schema)],
            bar="QEMU parser",
        ),
        Row(
            f"qapilint{label} check (default rules), findings cache warm",
            [*qapilint, "check", str(schema)],
        ),
        Row(
            f"qapilint{label} check --select Q1, empty cache",
            [*check, "--select", "Q1", str(schema)],
            cold=True,
        ),
    ]
    migration = schema.parent / "migration.json"
    if migration.is_file():  # the pre-commit case: one module of QEMU's root
        rows.append(
            Row(
                f"qapilint{label} check qapi/migration.json",
                [*check, str(migration)],
                bar="QEMU parser",
            )
        )
    if len(five_roots(tree)) > 1:
        rows.append(
            Row(
                f"qapilint{label} check . (every root of the tree)",
                [*check, "."],
                cwd=tree,
                bar="QEMU parser + check, every root",
            )
        )
    if not label:
        rows += [
            Row(
                "qapilint check --preview --select M",
                [*check, "--preview", "--select", "M", str(schema)],
            ),
            Row(
                "qapilint check --preview --select M, empty cache",
                [*check, "--preview", "--select", "M", str(schema)],
                cold=True,
            ),
        ]
    return rows


def five_roots(tree: Path) -> list[Path]:
    """The root schemas ``qapilint check .`` plans in ``tree`` (QEMU
    10.2's tree has five), for the reference that checks each."""
    from qapilint.schema.roots import plan_roots  # noqa: PLC0415 - the project's own planner

    return [plan.root for plan in plan_roots([tree])]


# the edit of the "edited" repository: one new optional member, as a change would add
EDITED_FILE = "qapi/migration.json"
EDIT = """
##
# @BenchDiffBaseProbe:
#
# A struct the benchmark adds.
#
# @probe: a probe (default: 0) (since 11.0)
#
# Since: 11.0
##
{ 'struct': 'BenchDiffBaseProbe', 'data': { '*probe': 'int' } }
"""


def tree_top(schema: Path) -> Path:
    """The QEMU tree holding ``schema``: the nearest folder with a VERSION."""
    for folder in schema.parents:
        if (folder / "VERSION").is_file():
            return folder
    sys.exit(f"bench: no VERSION above {schema}")


def git_repository(tree: Path, folder: Path, edited: bool) -> Path:
    """A git repository at ``folder`` whose one commit holds ``tree``;
    with ``edited``, :data:`EDIT` appended to :data:`EDITED_FILE` in its
    work tree (not committed)."""
    shutil.copytree(tree, folder, ignore=shutil.ignore_patterns(".git"))
    git = ["git", "-C", str(folder), "-c", "user.name=bench", "-c", "user.email=bench@invalid"]
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-q", "-m", "tree"]):
        subprocess.run([*git, *command], stdout=subprocess.DEVNULL, check=True)
    if edited:
        with (folder / EDITED_FILE).open("a", encoding="utf-8") as handle:
            handle.write(EDIT)
    return folder


def diff_base_rows(schema: Path, qapilint: list[str], scratch: Path) -> list[Row]:
    """Plain ``check`` and ``check --diff-base HEAD`` of the schema's root in
    a git repository holding its tree, unchanged and edited."""
    tree = tree_top(schema)
    relative = schema.relative_to(tree)
    rows: list[Row] = []
    for name, edited in (("unchanged", False), ("one file edited", True)):
        repo = git_repository(tree, scratch / name.replace(" ", "-"), edited)
        plain = f"qapilint check, git repo ({name})"
        rows.append(Row(plain, [*qapilint, "check", str(relative)], cwd=repo))
        rows.append(
            Row(
                f"qapilint check --diff-base HEAD ({name})",
                [*qapilint, "check", "--diff-base", "HEAD", str(relative)],
                against=plain,
                cwd=repo,
            )
        )
    return rows


def build_rows(
    schema: Path,
    qemu_src: Path | None,
    python: str,
    qapilint: list[str],
    compare: list[str] | None = None,
) -> list[Row]:
    # exit status 1 only means "findings": still a complete run
    rows = qapilint_rows(schema, qapilint)
    if compare is not None:  # another installation, measured in the same run
        rows += qapilint_rows(schema, compare, " (compared)")
    for row in rows:
        row.ok_status = (0, 1)
    if qemu_src is not None:
        scripts = str(qemu_src / "scripts")
        rows.append(
            Row("QEMU parser", [python, "-c", PARSER_ONLY, scripts, str(schema)], reference=True)
        )
        rows.append(
            Row(
                "QEMU parser + check",
                [python, "-c", PARSER_AND_CHECK, scripts, str(schema)],
                reference=True,
            )
        )
        roots = five_roots(tree_top(schema))
        if len(roots) > 1:
            rows.append(
                Row(
                    "QEMU parser + check, every root",
                    [python, "-c", PARSER_AND_CHECK_EACH, scripts, *map(str, roots)],
                    reference=True,
                )
            )
    return rows


def measure(rows: list[Row], runs: int, warmup: int) -> None:
    for round_number in range(warmup + runs):
        for row in rows:
            if row.error is not None:
                continue
            sample = run_child(row.argv, row.cold, row.cwd)
            if sample.status not in row.ok_status or "Traceback" in sample.stderr:
                last = sample.stderr.strip().splitlines()[-1:] or ["(no message)"]
                row.error = f"exit status {sample.status}: {last[0]}"
                continue
            if round_number >= warmup:
                row.seconds.append(sample.seconds)
                row.cpu_seconds.append(sample.cpu_seconds)
                row.peak_kib.append(sample.peak_kib)


def count_instructions(rows: list[Row]) -> dict[str, int]:
    """Each row's whole process run once under callgrind (valgrind): the
    instructions it executed, a figure other work on the machine does not
    change. Rows run after :func:`measure`, so caches and bytecode are
    warm; the "empty cache" rows are left out."""
    counts: dict[str, int] = {}
    for row in rows:
        if row.error is not None or row.cold:  # first runs after install: minutes under valgrind
            continue
        argv = ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *row.argv]
        sample = run_child(argv, row.cold, row.cwd, command=row.argv[0])
        found = re.search(r"Collected : (\d+)", sample.stderr)
        if found is not None:
            counts[row.label] = int(found.group(1))
    return counts


def instruction_table(rows: list[Row], counts: dict[str, int], markdown: bool) -> list[str]:
    by_label = {row.label: row for row in rows}
    lines = ["", "instructions (callgrind, one run each):"]
    for row in rows:
        count = counts.get(row.label)
        if count is None:
            continue
        bar = by_label.get(row.bar or "")
        ratio_text = ""
        if bar is not None and bar.label in counts:
            ratio_text = f", {count / counts[bar.label]:.2f}x {bar.label}"
        text = f"{row.label}: {count / 1e6:,.1f} M{ratio_text}"
        lines.append(f"- {text}" if markdown else f"  {text}")
    return lines


def machine() -> str:
    return (
        f"{platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}, {platform.system()} {platform.release()}"
    )


def qemu_version(qemu_src: Path | None) -> str:
    if qemu_src is None:
        return "unavailable"
    version = qemu_src / "VERSION"
    text = version.read_text().strip() if version.is_file() else "unknown version"
    return f"QEMU {text} at {qemu_src}"


def ratio(row: Row, reference: Row | None, cpu: bool = False) -> str:
    """The median time of ``row`` over that of ``reference``: wall time,
    or with ``cpu`` the children's user and system time (what they spent
    computing, not waiting)."""
    if reference is None or not reference.seconds or not row.seconds:
        return "-"
    mine, theirs = (
        (row.cpu_seconds, reference.cpu_seconds) if cpu else (row.seconds, reference.seconds)
    )
    return f"{statistics.median(mine) / statistics.median(theirs):.2f}x"


def scale_rows(
    schema: Path, qapilint: list[str], factors: list[int], scratch: Path, qemu: list[str] | None
) -> list[Row]:
    """A default check and QEMU's parse + check of schemas ``factors``
    times the size of ``schema``'s (made by bench/scale.py)."""
    from scale import make  # noqa: PLC0415 - bench/scale.py, beside this file

    rows: list[Row] = []
    for factor in factors:
        root = make(schema.parent, scratch / f"scale-{factor}" / "qapi", factor)
        rows.append(
            Row(
                f"{factor}x: qapilint check (default rules)",
                [*qapilint, "check", "--no-cache", str(root)],
                ok_status=(0, 1),
                bar=f"{factor}x: QEMU parser + check" if qemu else None,
            )
        )
        if qemu:
            rows.append(Row(f"{factor}x: QEMU parser + check", [*qemu, str(root)], reference=True))
    return rows


def growth(rows: list[Row], factors: list[int]) -> list[str]:
    """Time and memory per added copy of the schema, from the smallest to
    the largest factor (a straight line through the two)."""
    if len(set(factors)) < 2:
        return []
    low, high = min(factors), max(factors)
    by_label = {row.label: row for row in rows}
    lines = []
    for who in ("qapilint check (default rules)", "QEMU parser + check"):
        small, big = by_label.get(f"{low}x: {who}"), by_label.get(f"{high}x: {who}")
        if small is None or big is None or not small.seconds or not big.seconds:
            continue
        seconds = statistics.median(big.seconds) - statistics.median(small.seconds)
        mib = (max(big.peak_kib) - max(small.peak_kib)) / 1024
        lines.append(
            f"{who}: {seconds / (high - low):.3f} s and {mib / (high - low):.1f} MiB "
            f"per copy of the schema ({low}x to {high}x)"
        )
    return lines


def memory_ratio(row: Row, reference: Row | None) -> str:
    if reference is None or not reference.peak_kib or not row.peak_kib:
        return "-"
    return f"{max(row.peak_kib) / max(reference.peak_kib):.2f}x"


def report(
    rows: list[Row],
    qapilint: list[str],
    schema: Path,
    qemu_src: Path | None,
    *,
    runs: int,
    warmup: int,
    markdown: bool,
    python: str | None = None,
) -> str:
    references = [row for row in rows if row.reference and row.seconds]
    parser = next((row for row in references if row.label == "QEMU parser"), None)
    checked = next((row for row in references if row.label == "QEMU parser + check"), None)
    header = [
        "row",
        "median s",
        "min s",
        "CPU s",
        "peak MiB",
        "vs QEMU parser",
        "vs parser + check",
    ]
    by_label = {row.label: row for row in rows}
    bars = any(row.bar for row in rows) and bool(references)
    if bars:
        header += ["bar", "time vs bar", "CPU vs bar", "memory vs bar"]
    if any(row.against for row in rows):
        header.append("vs plain check")
    table: list[list[str]] = []
    failures: list[str] = []
    for row in rows:
        if row.error is not None:
            table.append([row.label, "failed", *["-"] * (len(header) - 2)])
            failures.append(f"{row.label}: {row.error}")
            continue
        table.append(
            [
                row.label,
                f"{statistics.median(row.seconds):.3f}",
                f"{min(row.seconds):.3f}",
                f"{statistics.median(row.cpu_seconds):.3f}",
                f"{max(row.peak_kib) / 1024:.1f}",
                "-" if row.reference else ratio(row, parser),
                "-" if row.reference else ratio(row, checked),
            ]
        )
        if bars:
            bar = by_label.get(row.bar or "")
            table[-1] += [
                row.bar or "-",
                ratio(row, bar),
                ratio(row, bar, cpu=True),
                memory_ratio(row, bar),
            ]
        if len(header) > len(table[-1]):
            table[-1].append(ratio(row, by_label.get(row.against or "")) if row.against else "-")
    lines = [
        f"date: {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC",
        f"machine: {machine()}",
        f"schema: {schema}",
        f"qapilint: {' '.join(qapilint)}",
        f"runs: {runs} per row, interleaved, after {warmup} warm-up round(s); whole process each",
        "bytecode: cached for both sides (PYTHONDONTWRITEBYTECODE unset for the children)",
        f"reference: {qemu_version(qemu_src)}" + (f", run by {python}" if python else ""),
    ]
    if qemu_src is None:
        lines.append("reference unavailable: set QEMU_SRC to a QEMU source tree for ratios")
    lines.append("")
    if markdown:
        lines = [f"- {line}" if line else line for line in lines]
        lines.append("| " + " | ".join(header) + " |")
        lines.append("|" + "---|" * len(header))
        lines += ["| " + " | ".join(cells) + " |" for cells in table]
    else:
        widths = [max(len(r[i]) for r in [header, *table]) for i in range(len(header))]
        for cells in [header, *table]:
            lines.append(
                "  ".join(cell.ljust(width) for cell, width in zip(cells, widths, strict=True))
            )
    if failures:
        lines.append("")
        lines += [f"failed: {failure}" for failure in failures]
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--schema", type=Path, default=DEFAULT_SCHEMA, help="root schema to check")
    parser.add_argument("--runs", type=int, default=7, help="measured runs per row (default 7)")
    parser.add_argument(
        "--warmup", type=int, default=1, help="unmeasured rounds first (they write the .pyc files)"
    )
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    parser.add_argument(
        "--python",
        help="interpreter for the QEMU reference (default: the timed qapilint's own, "
        "so that both start alike)",
    )
    parser.add_argument(
        "--qapilint",
        help="the qapilint command to time (default: the one beside this Python); "
        "give a regular install's to time qapilint as users run it",
    )
    parser.add_argument(
        "--compare",
        help="a second qapilint command (another version's install) whose rows are "
        "measured in the same run, interleaved with the others: before and after a change",
    )
    parser.add_argument(
        "--instructions",
        action="store_true",
        help="also count each row's instructions once under valgrind's callgrind "
        "(a figure other work on a shared machine does not change)",
    )
    parser.add_argument(
        "--scale",
        metavar="FACTORS",
        help="the scaling run instead of the usual rows: a comma-separated list of "
        "factors (e.g. 1,2,4,8); schemas that many times the size of --schema's, made "
        "by bench/scale.py, each checked by qapilint and by QEMU's parser + check",
    )
    parser.add_argument(
        "--diff-base-row",
        action="store_true",
        help="also time check --diff-base HEAD in a temporary git repository holding the "
        "schema's tree, against a plain check of the same work tree",
    )
    options = parser.parse_args(argv)
    if options.runs < 1:
        parser.error("--runs must be at least 1")
    schema = options.schema.resolve()
    if not schema.is_file():
        print(f"bench: no schema at {schema} (give one with --schema)", file=sys.stderr)
        return 2
    qemu_src_text = os.environ.get("QEMU_SRC")
    qemu_src = Path(qemu_src_text).resolve() if qemu_src_text else None
    if qemu_src is not None and not (qemu_src / "scripts" / "qapi" / "parser.py").is_file():
        print(f"bench: QEMU_SRC={qemu_src} has no scripts/qapi/parser.py", file=sys.stderr)
        return 2
    qapilint = qapilint_command(options.qapilint)
    python = options.python or interpreter_of(qapilint[0])
    compare = [options.compare] if options.compare else None
    factors = [int(part) for part in options.scale.split(",")] if options.scale else []
    with tempfile.TemporaryDirectory(prefix="qapilint-bench-") as scratch:
        if factors:
            qemu = (
                [python, "-c", PARSER_AND_CHECK, str(qemu_src / "scripts")]
                if qemu_src is not None
                else None
            )
            rows = scale_rows(schema, qapilint, factors, Path(scratch), qemu)
        else:
            rows = build_rows(schema, qemu_src, python, qapilint, compare)
        if options.diff_base_row:
            rows += diff_base_rows(schema, qapilint, Path(scratch))
            for row in rows:
                row.ok_status = (0, 1)
        measure(rows, options.runs, options.warmup)
        counts = count_instructions(rows) if options.instructions else {}
    print(
        report(
            rows,
            qapilint,
            schema,
            qemu_src,
            runs=options.runs,
            warmup=options.warmup,
            markdown=options.markdown,
            python=python if qemu_src is not None else None,
        )
    )
    for line in growth(rows, factors):
        print(f"- {line}" if options.markdown else line)
    if counts:
        print("\n".join(instruction_table(rows, counts, options.markdown)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
