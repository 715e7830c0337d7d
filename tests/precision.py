"""Measured precision: judged samples of a rule's findings on the real corpus.

Every ``stable`` rule needs at least 90% precision on QEMU 10.2.2's five
root schemas. The measurement is a committed table per rule,
``docs/precision/<CODE>-<name>.toml``::

    code = "S002"
    name = "since-tag-form"
    corpus = "qemu-10.2.2"
    command = "python tests/precision.py sample S002"
    seed = 5
    total = 67             # findings on the corpus, de-duplicated across roots

    [[sample]]
    fingerprint = ["S002", "BlockJobInfo", "status", "since tag ... "]
    location = "qapi/block-core.json:1490:23"
    message = "..."
    verdict = "TP"         # TP, FP, or "?" while not yet judged
    reason = "one line: why, from reading the schema text"

``python tests/precision.py sample CODE`` draws the sample (20 findings, or
all when fewer, ``random.Random(seed)`` over the findings in sorted order)
and writes the table, keeping the verdicts of findings already judged; a
person then judges each ``?`` by reading the schema. :func:`load_table` and
:attr:`PrecisionTable.precision` are what ``tests/test_precision.py`` (and
any rule family's own precision test) use.
"""

from __future__ import annotations

import json
import random
import sys
import tomllib
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
TABLES = PROJECT / "docs" / "precision"
CORPUS = PROJECT.parent / "shared" / "corpus"
CORPUS_NAME = "qemu-10.2.2"
ROOTS = (
    "qapi/qapi-schema.json",
    "qga/qapi-schema.json",
    "storage-daemon/qapi/qapi-schema.json",
    "docs/interop/firmware.json",
    "docs/interop/vhost-user.json",
)
SAMPLE_SIZE = 20
SEED = 5
THRESHOLD = 0.9
VERDICTS = ("TP", "FP", "?")


@dataclass(slots=True)
class Judged:
    fingerprint: list[str]
    location: str
    message: str
    verdict: str
    reason: str


@dataclass(slots=True)
class PrecisionTable:
    code: str
    name: str
    corpus: str
    command: str
    seed: int
    total: int
    sample: list[Judged] = field(default_factory=list)
    path: Path | None = None

    @property
    def judged(self) -> list[Judged]:
        return [row for row in self.sample if row.verdict in ("TP", "FP")]

    @property
    def precision(self) -> float | None:
        """TP / judged rows; None when the rule found nothing to judge."""
        judged = self.judged
        if not judged:
            return None
        return sum(row.verdict == "TP" for row in judged) / len(judged)


class TableError(ValueError):
    """A precision table that does not follow the format."""


def load_table(path: Path) -> PrecisionTable:
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    try:
        rows = [
            Judged(
                fingerprint=[str(part) for part in row["fingerprint"]],
                location=str(row.get("location", "")),
                message=str(row.get("message", "")),
                verdict=str(row["verdict"]),
                reason=str(row.get("reason", "")),
            )
            for row in data.get("sample", [])
        ]
        table = PrecisionTable(
            code=str(data["code"]),
            name=str(data["name"]),
            corpus=str(data.get("corpus", CORPUS_NAME)),
            command=str(data.get("command", "")),
            seed=int(data.get("seed", SEED)),
            total=int(data["total"]),
            sample=rows,
            path=path,
        )
    except (KeyError, TypeError, ValueError) as error:
        raise TableError(f"{path}: {error}") from error
    for row in rows:
        if row.verdict not in VERDICTS:
            raise TableError(f"{path}: verdict {row.verdict!r} is not one of {VERDICTS}")
    return table


def load_tables(folder: Path = TABLES) -> dict[str, PrecisionTable]:
    """Every table in ``folder``, by rule code."""
    return {table.code: table for table in map(load_table, sorted(folder.glob("*.toml")))}


def check_table(code: str, name: str, folder: Path = TABLES) -> PrecisionTable:
    """Assert that stable rule ``code`` has a complete, judged table at or
    above the threshold; for a family's precision test."""
    table = load_tables(folder).get(code)
    assert table is not None, f"stable rule {code} has no table in {folder}"
    assert table.name == name, f"{code}: table is for {table.name!r}, the rule is {name!r}"
    assert len(table.sample) == min(SAMPLE_SIZE, table.total), f"{code}: re-draw the sample"
    unjudged = [row.location for row in table.sample if row.verdict == "?"]
    assert not unjudged, f"{code}: findings not judged yet: {unjudged}"
    if table.total:
        precision = table.precision
        assert precision is not None
        assert precision >= THRESHOLD, (
            f"{code} precision {precision:.0%} < {THRESHOLD:.0%}: ship it as preview"
        )
    return table


def produced_fingerprints(
    prefixes: tuple[str, ...], corpus: Path = CORPUS
) -> dict[str, Counter[tuple[str, ...]]]:
    """The fingerprints each rule whose code starts with one of
    ``prefixes`` produces on the corpus today, by code."""
    from qapilint.lint.engine import load_rules  # noqa: PLC0415

    codes = [found.code for found in load_rules() if found.code.startswith(prefixes)]
    by_code: dict[str, Counter[tuple[str, ...]]] = {}
    for finding in corpus_findings(codes, corpus):
        by_code.setdefault(finding.code, Counter())[finding.fingerprint()] += 1  # type: ignore[attr-defined]
    return by_code


def check_table_current(code: str, produced: Counter[tuple[str, ...]]) -> None:
    """Assert that ``code``'s table still describes what it finds today."""
    table = load_tables().get(code)
    assert table is not None, f"stable rule {code} has no table in {TABLES}"
    assert table.total == sum(produced.values()), f"{code}: re-sample, the rule changed"
    stale = [row.location for row in table.sample if tuple(row.fingerprint) not in produced]
    assert not stale, f"{code}: sampled findings no longer produced: {stale}"


# --------------------------------------------------------------------------
# Running rules on the corpus and drawing the sample


def corpus_findings(select: Iterable[str], corpus: Path = CORPUS) -> list[object]:
    """Findings of the rules in ``select`` (codes) on the five roots, each
    once even where two roots share a module."""
    from qapilint.lint.engine import load_rules, run_rules, sort_key  # noqa: PLC0415
    from qapilint.schema.loader import load_schema  # noqa: PLC0415
    from qapilint.schema.tree import read_tree  # noqa: PLC0415

    tree_root = corpus / CORPUS_NAME
    codes = set(select)
    rules = [found for found in load_rules() if found.code in codes]
    tree = read_tree(tree_root)
    seen: set[tuple[object, ...]] = set()
    findings = []
    for root in ROOTS:
        schema = load_schema(tree_root / root, tree_root)
        for finding in run_rules(rules, schema, tree):
            span = finding.span
            path = Path(str(finding.path)).resolve()
            key = (finding.code, str(path), span.line, span.col, finding.message)
            if key not in seen:
                seen.add(key)
                findings.append(finding)
    return sorted(findings, key=sort_key)


def location(finding: object, corpus: Path = CORPUS) -> str:
    path = Path(str(finding.path))  # type: ignore[attr-defined]
    try:
        shown = path.resolve().relative_to((corpus / CORPUS_NAME).resolve())
    except ValueError:
        shown = path
    span = finding.span  # type: ignore[attr-defined]
    return f"{shown}:{span.line}:{span.col}"


def draw_sample(findings: list[object], size: int = SAMPLE_SIZE, seed: int = SEED) -> list[object]:
    if len(findings) <= size:
        return list(findings)
    chosen = sorted(random.Random(seed).sample(range(len(findings)), size))
    return [findings[index] for index in chosen]


def _string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def render_table(table: PrecisionTable) -> str:
    lines = [
        f"# Judged sample of {table.code} ({table.name}) findings on {table.corpus}.",
        "# Format and how to regenerate: tests/precision.py",
        f"code = {_string(table.code)}",
        f"name = {_string(table.name)}",
        f"corpus = {_string(table.corpus)}",
        f"command = {_string(table.command)}",
        f"seed = {table.seed}",
        f"total = {table.total}",
    ]
    for row in table.sample:
        fingerprint = ", ".join(_string(part) for part in row.fingerprint)
        lines += [
            "",
            "[[sample]]",
            f"fingerprint = [{fingerprint}]",
            f"location = {_string(row.location)}",
            f"message = {_string(row.message)}",
            f"verdict = {_string(row.verdict)}",
            f"reason = {_string(row.reason)}",
        ]
    return "\n".join(lines) + "\n"


def sample_table(code: str, folder: Path = TABLES) -> Path:
    """Draw ``code``'s sample and write its table, keeping earlier verdicts."""
    from qapilint.lint.engine import load_rules  # noqa: PLC0415

    found = next(found for found in load_rules() if found.code == code)
    path = folder / f"{code}-{found.name}.toml"
    old = {tuple(row.fingerprint): row for row in load_table(path).sample} if path.exists() else {}
    findings = corpus_findings([code])
    rows = []
    for finding in draw_sample(findings):
        fingerprint = list(finding.fingerprint())  # type: ignore[attr-defined]
        previous = old.get(tuple(fingerprint))
        rows.append(
            Judged(
                fingerprint=fingerprint,
                location=location(finding),
                message=finding.message,  # type: ignore[attr-defined]
                verdict=previous.verdict if previous else "?",
                reason=previous.reason if previous else "",
            )
        )
    table = PrecisionTable(
        code=code,
        name=found.name,
        corpus=CORPUS_NAME,
        command=f"python tests/precision.py sample {code}",
        seed=SEED,
        total=len(findings),
        sample=rows,
    )
    folder.mkdir(parents=True, exist_ok=True)
    path.write_text(render_table(table), encoding="utf-8")
    return path


def main(argv: list[str]) -> int:
    if len(argv) < 2 or argv[0] != "sample":
        print("usage: python tests/precision.py sample CODE...", file=sys.stderr)
        return 2
    for code in argv[1:]:
        print(sample_table(code))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(PROJECT))
    raise SystemExit(main(sys.argv[1:]))
