#!/usr/bin/env python3
"""Time ``qapilint check --fix`` against a plain ``qapilint check`` of the
same tree, in the same run (issue 7: --fix within 3x of check).

The tree is QEMU 7.2.0's ``qapi/`` with ``VERSION`` 10.2.50, so QEMU 10.2's
line checks apply and about 1,700 long lines and 700 sentence-spacing
problems need fixing. Each sample is a child process on a fresh copy of the
tree (so every ``--fix`` starts from the unfixed files); rows alternate so a
slow moment of the machine hits both alike. Prints median and minimum wall
times and the ratio of the medians.

    python3 bench/fix_bench.py [--runs 5] [--corpus PATH]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
CORPUS = PROJECT.parent / "shared" / "corpus"
LIMIT = 3.0


def fresh_tree(corpus: Path, target: Path) -> Path:
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(corpus / "qemu-7.2.0" / "qapi", target / "qapi")
    (target / "VERSION").write_text("10.2.50\n")
    return target / "qapi" / "qapi-schema.json"


def timed(argv: list[str], cwd: Path) -> float:
    start = time.perf_counter()
    done = subprocess.run(argv, cwd=cwd, capture_output=True, check=False)
    seconds = time.perf_counter() - start
    if done.returncode not in (0, 1):
        sys.exit(f"{' '.join(argv)} failed ({done.returncode}): {done.stderr.decode()[-500:]}")
    return seconds


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--corpus", type=Path, default=CORPUS)
    args = parser.parse_args()
    if not (args.corpus / "qemu-7.2.0" / "qapi").is_dir():
        sys.exit(f"no QEMU 7.2.0 corpus under {args.corpus}")
    command = [sys.executable, "-m", "qapilint.cli"]
    if shutil.which("qapilint"):
        command = [shutil.which("qapilint") or "qapilint"]
    rows: dict[str, list[float]] = {"check": [], "check --fix": []}
    with tempfile.TemporaryDirectory(prefix="qapilint-fix-bench-") as folder:
        tree = Path(folder) / "tree"
        for _ in range(args.runs):
            root = fresh_tree(args.corpus, tree)
            base = [*command, "check", "--isolated", "--quiet", str(root)]
            rows["check"].append(timed(base, tree))
            root = fresh_tree(args.corpus, tree)
            rows["check --fix"].append(timed([*base, "--fix"], tree))
    for label, seconds in rows.items():
        print(
            f"{label:12} median {statistics.median(seconds):6.2f}s  "
            f"min {min(seconds):6.2f}s  ({len(seconds)} runs)"
        )
    ratio = statistics.median(rows["check --fix"]) / statistics.median(rows["check"])
    verdict = "within" if ratio <= LIMIT else "OVER"
    print(f"ratio --fix / check: {ratio:.2f} ({verdict} the {LIMIT:.0f}x budget)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
