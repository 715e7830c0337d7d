"""Which root schemas to analyse for the paths a user names.

Placeholder until the schema stage: every file named is its own root, and a
folder contributes the ``.json`` files directly below it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path


@dataclass(slots=True)
class RootPlan:
    root: Path  # the root schema to load
    report: set[Path] | None = field(default=None)  # modules to report on; None: all


def plan_roots(paths: list[Path]) -> list[RootPlan]:
    plans: list[RootPlan] = []
    for path in paths:
        if path.is_dir():
            plans += [RootPlan(child) for child in sorted(path.glob("*.json"))]
        else:
            plans.append(RootPlan(path))
    return plans
