"""Baselines: the fingerprints of accepted findings, in a reviewable file.

One entry a line, a JSON array (rule, definition or file, member or
section, message, flagged text), sorted, after a comment header: a
baseline's diff shows exactly which findings were accepted or fixed. A file
is named relative to the baseline's own folder, so the baseline holds
wherever the command runs from.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path

from qapilint.change.compare import Fingerprint, fingerprints
from qapilint.files.write import replace_file
from qapilint.lint.rule import Finding
from qapilint.syntax.model import Module

HEADER = "# qapilint baseline 1: one accepted finding a line; regenerate with `qapilint baseline`"


class BaselineError(Exception):
    """A baseline that cannot be read: one line for the user, exit 2."""


def _relative(path: Path, folder: Path) -> str:
    try:
        return path.resolve().relative_to(folder).as_posix()
    except ValueError:
        return str(path.resolve())


def baseline_prints(
    findings: Iterable[Finding], modules: Mapping[Path, Module], baseline: Path
) -> list[Fingerprint]:
    """The fingerprints of ``findings`` as a baseline at ``baseline`` holds them."""
    folder = baseline.resolve().parent
    listed = list(findings)
    relative = {path: _relative(path, folder) for path in modules}
    for finding in listed:
        if finding.path is not None and finding.path not in relative:
            relative[finding.path] = _relative(finding.path, folder)
    return fingerprints(listed, modules, relative)


def render(prints: Iterable[Fingerprint]) -> str:
    lines = sorted(json.dumps(list(entry), ensure_ascii=False) for entry in prints)
    return "".join(line + "\n" for line in [HEADER, *lines])


def write(path: Path, prints: Iterable[Fingerprint]) -> None:
    replace_file(path, render(prints).encode("utf-8"))


def read(path: Path) -> list[Fingerprint]:
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError as error:
        raise BaselineError(
            f"{path}: no such baseline (make one with: qapilint baseline {path} PATH...)"
        ) from error
    except (OSError, UnicodeDecodeError) as error:
        raise BaselineError(f"{path}: cannot read the baseline: {error}") from error
    entries: list[Fingerprint] = []
    for number, line in enumerate(text.splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        try:
            entry = json.loads(line)
        except json.JSONDecodeError as error:
            raise BaselineError(f"{path}:{number}: not a baseline entry: {error.msg}") from error
        if not isinstance(entry, list) or not all(isinstance(part, str) for part in entry):
            raise BaselineError(f"{path}:{number}: not a baseline entry (a list of strings)")
        entries.append(tuple(entry))
    return entries
