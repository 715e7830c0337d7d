#!/usr/bin/env python3
"""Where a default ``qapilint check`` and QEMU's parser spend their
instructions and their CPU time, phase by phase, and what an instruction
costs in each phase.

    QEMU_SRC=/path/to/qemu python3 bench/phases.py [--qapilint CMD] [--runs 11]

Each phase is measured as a whole process stopped at its end (the process
leaves at once there, as the ``qapilint`` command does at its end): the
interpreter alone, qapilint's imports, the schema loaded, the schema rules
run, every rule run, and the whole check; QEMU's parser with its imports
only, and whole. Each stop runs once under callgrind (instructions, which
nothing else on the machine changes) and ``--runs`` times interleaved for
CPU time (user + system, medians), by ``run.py``'s own machinery (its
cache folder, environment and instruction count). A phase's figures are
the differences between its stop and the one before it.

The last column divides a phase's CPU time by its instructions: where two
programs execute about as many instructions, it tells whether one's cost
more (how the code uses the processor: memory, branches), which the
instruction counts alone cannot show. The QEMU rows need ``QEMU_SRC``;
valgrind is needed for the instruction columns (without it they are "-").
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from run import (
    DEFAULT_SCHEMA,
    Row,
    count_instructions,
    interpreter_of,
    measure,
    qapilint_command,
)

# Run as ``python -c STOPPER STOP SCHEMA``: qapilint's own command, made to
# leave at once at the end of phase STOP.
STOPPER = """\
import os, sys
stop = sys.argv[1]
import qapilint.cli
if stop == "imports":
    os._exit(0)
from qapilint.lint import check, engine
load = check.load_schema
def loaded(*arguments, **keywords):
    schema = load(*arguments, **keywords)
    if stop == "load":
        os._exit(0)
    return schema
check.load_schema = loaded
run_prepared = engine.run_prepared
def prepared(rules, context, *arguments, **keywords):
    run_prepared(rules, context, *arguments, **keywords)
    if stop == "schema rules" and type(context).__name__ == "SchemaContext":
        os._exit(0)
engine.run_prepared = prepared
run_rules = check.run_rules
def rules_run(*arguments, **keywords):
    yield from run_rules(*arguments, **keywords)
    if stop == "rules":
        os._exit(0)
check.run_rules = rules_run
sys.argv = ["qapilint", "check", "--no-cache", sys.argv[2]]
qapilint.cli.run()
"""
QEMU_IMPORTS = "import sys; sys.path.insert(0, sys.argv[1]); import qapi.parser"
QEMU_PARSER = (
    "import sys; sys.path.insert(0, sys.argv[1]); "
    "from qapi.parser import QAPISchemaParser; QAPISchemaParser(sys.argv[2])"
)

QAPILINT_STOPS = ["imports", "load", "schema rules", "rules", "whole"]


def stops(python: str, schema: Path, qemu_src: Path | None) -> dict[str, list[str]]:
    """Each stop's command, in phase order (QEMU's after qapilint's)."""
    made = {"interpreter": [python, "-c", "pass"]}
    for stop in QAPILINT_STOPS:
        made[f"qapilint: {stop}"] = [python, "-c", STOPPER, stop, str(schema)]
    if qemu_src is not None:
        scripts = str(qemu_src / "scripts")
        made["QEMU: imports"] = [python, "-c", QEMU_IMPORTS, scripts]
        made["QEMU: parser"] = [python, "-c", QEMU_PARSER, scripts, str(schema)]
    return made


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--qapilint", help="the qapilint command whose Python is used")
    parser.add_argument("--schema", type=Path, default=DEFAULT_SCHEMA)
    parser.add_argument("--runs", type=int, default=11, help="CPU time runs per stop")
    options = parser.parse_args(argv)
    python = interpreter_of(qapilint_command(options.qapilint)[0])
    qemu_text = os.environ.get("QEMU_SRC")
    qemu_src = Path(qemu_text).resolve() if qemu_text else None
    schema = options.schema.resolve()
    commands = stops(python, schema, qemu_src)
    with tempfile.TemporaryDirectory(prefix="qapilint-phases-") as scratch:
        # (run from elsewhere: "-c" puts the working folder first on the
        # path, and a checkout's own qapilint/ must not stand for the install)
        rows = [
            Row(label, command, ok_status=(0, 1), cwd=Path(scratch))
            for label, command in commands.items()
        ]
        measure(rows, options.runs, warmup=1)
        failed = [f"{row.label}: {row.error}" for row in rows if row.error is not None]
        if failed:
            print("phases: " + "; ".join(failed), file=sys.stderr)
            return 1
        counts = count_instructions(rows) if shutil.which("valgrind") else {}
    times = {row.label: row.cpu_seconds for row in rows}
    cpu = {label: statistics.median(values) for label, values in times.items()}
    print(f"python: {python}; schema: {schema}; {options.runs} runs per stop, medians")
    print(f"{'phase':30} {'M instructions':>15} {'CPU ms':>8} {'ns per instruction':>19}")
    print(_line("interpreter", counts.get("interpreter"), None, cpu["interpreter"], 0.0))
    before = "interpreter"
    for label in list(commands)[1:]:
        if label == "QEMU: imports":
            before = "interpreter"
        print(_line(label, counts.get(label), counts.get(before), cpu[label], cpu[before]))
        before = label
    for label in ("qapilint: whole", "QEMU: parser"):
        if label in commands:
            start = counts.get("interpreter")
            print(
                _line(f"{label}, in all", counts.get(label), start, cpu[label], cpu["interpreter"])
            )
    return 0


def _line(label: str, count: int | None, start: int | None, cpu: float, cpu_start: float) -> str:
    """A phase: what its stop added to the stop before (instructions
    ``start``; None for the first, which stands alone, and where unknown)."""
    added = (
        count
        if label == "interpreter"
        else None
        if start is None or count is None
        else count - start
    )
    seconds = cpu - cpu_start
    per = f"{1e9 * seconds / added:.3f}" if added else "-"
    shown = f"{added / 1e6:,.1f}" if added is not None else "-"
    return f"{label:30} {shown:>15} {1000 * seconds:8.1f} {per:>19}"


if __name__ == "__main__":
    sys.exit(main())
