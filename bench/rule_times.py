#!/usr/bin/env python3
"""Where a ``qapilint check`` spends its time, in process: the stages
(imports, loading and parsing, rules, suppressions and filters) and each
rule's own time, summed over every call of it.

    python3 bench/rule_times.py [--preview] [--select CODES] [--repeat 5] [PATH ...]

Each rule function is wrapped (its generator consumed inside the timer),
so a rule's time includes whatever it computes on first use and leaves for
others (a cached view of a doc block): the first rule to ask pays. Times
are the minimum over ``--repeat`` runs in this one process, each with a
freshly loaded schema (nothing derived from the model survives between
runs, as the weak maps die with it). The default path is QEMU 10.2.2's
root schema from the team's corpus.
"""

from __future__ import annotations

import argparse
import gc
import sys
import time
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

START = time.perf_counter()
from qapilint.cli import _options, build_parser  # noqa: E402 - the import is what is timed
from qapilint.lint import check, engine  # noqa: E402

IMPORTED = time.perf_counter()

PROJECT = Path(__file__).resolve().parent.parent
DEFAULT_SCHEMA = PROJECT.parent / "shared" / "corpus" / "qemu-10.2.2" / "qapi" / "qapi-schema.json"

RuleTimes = dict[str, float]


def timed(code: str, function: Callable[[Any], Any], times: RuleTimes) -> Callable[[Any], Any]:
    def run(context: Any) -> Iterator[Any]:
        start = time.perf_counter()
        made = list(function(context))
        times[code] = times.get(code, 0.0) + time.perf_counter() - start
        return iter(made)

    return run


def instrument(times: RuleTimes, stages: dict[str, float]) -> None:
    """Wrap every prepared rule function and the loader with timers."""
    prepare = engine.prepare
    load = check._load

    def timed_prepare(rules: Any, tree: Any) -> Any:
        return [(r, timed(r.code, f, times), s) for r, f, s in prepare(rules, tree)]

    def timed_load(*arguments: Any, **keywords: Any) -> Any:
        start = time.perf_counter()
        try:
            return load(*arguments, **keywords)
        finally:
            stages["load and parse"] = stages.get("load and parse", 0.0) + (
                time.perf_counter() - start
            )

    engine.prepare = timed_prepare
    check._load = timed_load


def one_run(arguments: list[str]) -> tuple[float, dict[str, float], RuleTimes]:
    options = _options(build_parser().parse_args(["check", *arguments]))

    times: RuleTimes = {}
    stages: dict[str, float] = {}
    saved = engine.prepare, check._load
    instrument(times, stages)
    try:
        start = time.perf_counter()
        check.run_check(options)
        total = time.perf_counter() - start
    finally:
        engine.prepare, check._load = saved
    stages["rules"] = sum(times.values())
    stages["settings, filters, suppressions"] = total - stages["rules"] - stages["load and parse"]
    return total, stages, times


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("paths", nargs="*", type=Path)
    parser.add_argument("--preview", action="store_true")
    parser.add_argument("--select")
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--top", type=int, default=25, help="rules listed (default 25)")
    options = parser.parse_args(argv)
    arguments = [str(path) for path in options.paths or [DEFAULT_SCHEMA]]
    if options.preview:
        arguments.append("--preview")
    if options.select:
        arguments += ["--select", options.select]
    best_total = float("inf")
    best_stages: dict[str, float] = {}
    best_rules: RuleTimes = {}
    for _ in range(options.repeat):
        gc.collect()
        total, stages, times = one_run(arguments)
        if total < best_total:
            best_total, best_stages = total, stages
        for code, seconds in times.items():
            best_rules[code] = min(best_rules.get(code, seconds), seconds)
    print(f"imports (first run only): {1000 * (IMPORTED - START):7.1f} ms")
    for stage, seconds in best_stages.items():
        print(f"{stage + ':':33}{1000 * seconds:7.1f} ms")
    print(f"{'check, total:':33}{1000 * best_total:7.1f} ms   (best of {options.repeat})")
    print()
    print("rule    ms   (best of each rule over the runs; the first to ask pays for shared views)")
    ranked = sorted(best_rules.items(), key=lambda item: -item[1])
    for code, seconds in ranked[: options.top]:
        print(f"{code:6}{1000 * seconds:6.1f}")
    rest = ranked[options.top :]
    if rest:
        print(f"{len(rest)} more rules: {1000 * sum(s for _, s in rest):.1f} ms together")
    return 0


if __name__ == "__main__":
    sys.exit(main())
