"""Measured precision, judged blind: samples of each rule's findings on two
real QEMU trees, packets for judges who did not write the rules, and the
import of their verdicts.

The protocol (docs/precision/README.md has the whole of it):

1. ``python tests/precision.py sample [CODE...]`` runs every rule (or the
   ones named) on QEMU 10.2.2's five roots and QEMU 7.2.0's two, each tree
   read with its own ``VERSION``; counts each finding once even where two
   roots share a module; draws up to :data:`SAMPLE_SIZE` findings per rule
   with ``random.Random(SEED)`` over the findings in sorted order (tree,
   file, line, column); and writes the table
   ``docs/precision/<CODE>-<name>.toml`` with verdict ``"?"`` for every
   row not judged before (a row keeps its verdict while its tree and
   fingerprint are still drawn).
2. ``python tests/precision.py packets [--out DIR] [CODE...]`` does the
   same and writes, for each rule with findings on either tree, a judging
   packet ``DIR/<CODE>.md`` (per finding: tree and VERSION, location,
   message, the suggested rewrite if any, the whole doc block and the
   definition's JSON expression as they stand in the file; nothing about
   the rule's code, docstring or intent) and a verdict template
   ``DIR/<CODE>.verdicts.toml``. ``DIR`` defaults to /work/judging/packets.
3. A judge who did not write the rule fills in the template: for each item
   ``verdict = "TP"`` or ``"FP"`` and a one-line ``reason``, and ``judge``.
4. ``python tests/precision.py import FILE_OR_DIR...`` copies the verdicts
   into the tables (each item matched by id and fingerprint: a packet made
   for an older draw is refused) and prints what each rule earns.
5. ``python tests/precision.py status`` prints, per rule, its status, the
   findings per tree, what is judged and whether it earns ``stable``.

A table::

    code = "W030"
    name = "bool-default"
    protocol = "blind-1"
    command = "python tests/precision.py sample W030"
    seed = 5
    total = 36                 # findings on both trees
    judge = "who judged"       # from the verdict file
    [totals]
    "qemu-10.2.2" = 19
    "qemu-7.2.0" = 17

    [[sample]]
    id = 1
    tree = "qemu-10.2.2"
    fingerprint = ["W030", "AudiodevPerDirectionOptions", "mixing-engine", "..."]
    location = "qapi/audio.json:24:8"
    message = "..."
    verdict = "TP"             # TP, FP, or "?" while not yet judged
    reason = "one line, from the judge"

A rule earns ``stable`` (:func:`earns_stable`) with at least 90% TP over at
least 10 judged findings, every sampled finding judged; a rule with fewer
than 10 findings on both trees together needs all of them judged TP. A
rule with no finding on either tree measures nothing and may stay stable
on its unit tests (``docs/corpus-findings.md`` says what backs it).
"""

from __future__ import annotations

import argparse
import contextlib
import difflib
import json
import random
import sys
import tomllib
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

PROJECT = Path(__file__).resolve().parent.parent
TABLES = PROJECT / "docs" / "precision"
CORPUS = PROJECT.parent / "shared" / "corpus"
PACKETS = Path("/work/judging/packets")
CORPUS_NAME = "qemu-10.2.2"
ROOTS = (
    "qapi/qapi-schema.json",
    "qga/qapi-schema.json",
    "storage-daemon/qapi/qapi-schema.json",
    "docs/interop/firmware.json",
    "docs/interop/vhost-user.json",
)
# each tree with its roots, in the order findings are sorted
TREES: dict[str, tuple[str, ...]] = {
    "qemu-10.2.2": ROOTS,
    "qemu-7.2.0": ("qapi/qapi-schema.json", "qga/qapi-schema.json"),
}
# The change rules (C) compare a base with a head, so they are measured on
# the pair: a copy of the 10.2.2 tree checked with ``--diff-base`` the 7.2.0
# tree's folder, each read with its own VERSION. Only the head roots whose
# modules the 7.2.0 tree holds: the corpus's 7.2.0 tree has no
# ``docs/interop/`` schemas, so everything in those two roots would count
# as new. ``storage-daemon/qapi/`` is compared with the base's ``qapi/``
# root (the change engine maps a root the base lacks through its modules).
PAIR = "qemu-7.2.0..qemu-10.2.2"
PAIR_BASE, PAIR_HEAD = "qemu-7.2.0", "qemu-10.2.2"
PAIR_ROOTS = (
    "qapi/qapi-schema.json",
    "qga/qapi-schema.json",
    "storage-daemon/qapi/qapi-schema.json",
)
PAIR_PREFIX = "C"
PACKETS_C = Path("/work/judging/packets-c")
SPEC = "qemu-10.2.2/docs/devel/qapi-code-gen.rst"
PROTOCOL = "blind-1"
SAMPLE_SIZE = 20
SEED = 5
THRESHOLD = 0.9
MIN_JUDGED = 10
VERDICTS = ("TP", "FP", "?")


# --------------------------------------------------------------------------
# Tables


@dataclass(slots=True)
class Judged:
    fingerprint: list[str]
    location: str
    message: str
    verdict: str
    reason: str
    tree: str = CORPUS_NAME
    id: int = 0


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
    protocol: str = ""
    totals: dict[str, int] = field(default_factory=dict)
    judge: str = ""

    @property
    def judged(self) -> list[Judged]:
        return [row for row in self.sample if row.verdict in ("TP", "FP")]

    @property
    def precision(self) -> float | None:
        """TP / judged rows; None when nothing is judged."""
        judged = self.judged
        if not judged:
            return None
        return sum(row.verdict == "TP" for row in judged) / len(judged)


class TableError(ValueError):
    """A precision table or verdict file that does not follow the format."""


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
                tree=str(row.get("tree", data.get("corpus", CORPUS_NAME))),
                id=int(row.get("id", index)),
            )
            for index, row in enumerate(data.get("sample", []), start=1)
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
            protocol=str(data.get("protocol", "")),
            totals={str(k): int(v) for k, v in data.get("totals", {}).items()},
            judge=str(data.get("judge", "")),
        )
    except (KeyError, TypeError, ValueError) as error:
        raise TableError(f"{path}: {error}") from error
    for row in rows:
        if row.verdict not in VERDICTS:
            raise TableError(f"{path}: verdict {row.verdict!r} is not one of {VERDICTS}")
    return table


def load_tables(folder: Path = TABLES) -> dict[str, PrecisionTable]:
    """Every table in ``folder``, by rule code."""
    paths = [path for path in sorted(folder.glob("*.toml")) if ".verdicts." not in path.name]
    return {table.code: table for table in map(load_table, paths)}


def earns_stable(table: PrecisionTable) -> tuple[bool, str]:
    """Whether the table's verdicts let the rule be stable, and why (not)."""
    if table.protocol != PROTOCOL:
        return False, f"not judged under protocol {PROTOCOL!r} (blind): re-draw and judge"
    if table.total == 0:
        return True, "no finding on either tree: nothing to measure"
    waiting = [row.id for row in table.sample if row.verdict == "?"]
    if waiting:
        return False, f"{len(waiting)} of {len(table.sample)} sampled findings await verdicts"
    judged = table.judged
    tp = sum(row.verdict == "TP" for row in judged)
    if table.total < MIN_JUDGED:
        if tp == len(judged) == table.total:
            return True, f"all {table.total} findings judged true"
        return False, f"{tp}/{len(judged)} true: with fewer than {MIN_JUDGED} findings, all must be"
    precision = tp / len(judged)
    if len(judged) < MIN_JUDGED:
        return False, f"only {len(judged)} judged, {MIN_JUDGED} needed"
    if precision < THRESHOLD:
        return False, f"precision {precision:.0%} < {THRESHOLD:.0%} ({tp}/{len(judged)})"
    return True, f"precision {precision:.0%} ({tp}/{len(judged)})"


def check_table(code: str, name: str, folder: Path = TABLES) -> PrecisionTable:
    """Assert that stable rule ``code`` has a table drawn under the blind
    protocol whose verdicts earn it ``stable``."""
    table = load_tables(folder).get(code)
    assert table is not None, f"stable rule {code} has no table in {folder}"
    assert table.name == name, f"{code}: table is for {table.name!r}, the rule is {name!r}"
    assert len(table.sample) == min(SAMPLE_SIZE, table.total), f"{code}: re-draw the sample"
    ok, why = earns_stable(table)
    assert ok, f"{code} is stable but its blind verdicts do not earn it: {why}; ship it as preview"
    return table


def check_table_current(code: str, produced: dict[str, Counter[tuple[str, ...]]]) -> None:
    """Assert that ``code``'s table still describes what it finds today on
    each tree (``produced``: tree -> fingerprints)."""
    table = load_tables().get(code)
    assert table is not None, f"rule {code} has no table in {TABLES}"
    today = {tree: sum(found.values()) for tree, found in produced.items() if found}
    recorded = {tree: count for tree, count in table.totals.items() if count}
    assert recorded == today, f"{code}: findings per tree {today}, table {recorded}: re-draw"
    stale = [
        row.location
        for row in table.sample
        if tuple(row.fingerprint) not in produced.get(row.tree, Counter())
    ]
    assert not stale, f"{code}: sampled findings no longer produced: {stale}"


# --------------------------------------------------------------------------
# Running rules on the trees


@dataclass(slots=True)
class Found:
    """A finding on one tree, with what a packet shows about it."""

    tree: str
    finding: Any
    schema: Any
    # a finding of the pair: the folder the head was copied to, and the
    # base's schemas (for the base's version of the definition)
    top: Path | None = None
    base: list[Any] = field(default_factory=list)

    @property
    def code(self) -> str:
        return str(self.finding.code)

    def _top(self, corpus: Path) -> Path:
        return self.top if self.top is not None else corpus / self.tree

    def fingerprint(self, corpus: Path = CORPUS) -> list[str]:
        """The finding's fingerprint, a file path made relative to its tree
        (fingerprints of findings outside any definition name the file)."""
        parts = list(self.finding.fingerprint())
        with contextlib.suppress(ValueError):
            parts[1] = str(Path(parts[1]).resolve().relative_to(self._top(corpus).resolve()))
        return parts

    def location(self, corpus: Path = CORPUS) -> str:
        path = Path(str(self.finding.path))
        try:
            shown = path.resolve().relative_to(self._top(corpus).resolve())
        except ValueError:
            shown = path
        span = self.finding.span
        return f"{shown}:{span.line}:{span.col}"


def tree_findings(
    select: Iterable[str], corpus: Path = CORPUS, trees: Iterable[str] = TREES
) -> list[Found]:
    """The findings of the rules in ``select`` (codes) on each tree's roots,
    each tree read with its own VERSION, each finding once; sorted by tree
    (in :data:`TREES` order), file, line, column and code."""
    from qapilint.lint.engine import load_rules, run_rules, sort_key  # noqa: PLC0415
    from qapilint.schema.loader import load_schema  # noqa: PLC0415
    from qapilint.schema.tree import read_tree  # noqa: PLC0415

    codes = set(select)
    rules = [found for found in load_rules() if found.code in codes]
    found_all: list[Found] = []
    for name in trees:
        tree_root = corpus / name
        tree = read_tree(tree_root)
        seen: set[tuple[object, ...]] = set()
        here: list[Found] = []
        for root in TREES[name]:
            schema = load_schema(tree_root / root, tree_root)
            for finding in run_rules(rules, schema, tree):
                path = Path(str(finding.path)).resolve()
                key = (
                    finding.code,
                    str(path),
                    finding.span.line,
                    finding.span.col,
                    finding.message,
                )
                if key not in seen:
                    seen.add(key)
                    here.append(Found(name, finding, schema))
        here.sort(key=lambda item: sort_key(item.finding))
        found_all += here
    return found_all


def corpus_findings(select: Iterable[str], corpus: Path = CORPUS) -> list[object]:
    """Findings of the rules in ``select`` on QEMU 10.2.2's five roots (the
    rule tests' view of the corpus)."""
    return [item.finding for item in tree_findings(select, corpus, (CORPUS_NAME,))]


_PAIR_COPIES: list[Path] = []


def _copy_head(corpus: Path) -> Path:
    """A copy of the head tree's VERSION and schema files (kept until the
    process ends: the findings' paths point into it)."""
    import atexit  # noqa: PLC0415
    import shutil  # noqa: PLC0415
    import tempfile  # noqa: PLC0415

    source = corpus / PAIR_HEAD
    top = Path(tempfile.mkdtemp(prefix="qapilint-pair-")) / PAIR_HEAD
    top.mkdir()
    atexit.register(shutil.rmtree, top.parent, True)
    shutil.copy2(source / "VERSION", top / "VERSION")
    for root in PAIR_ROOTS:
        folder = (source / root).parent
        for path in sorted(folder.rglob("*.json")):
            target = top / path.relative_to(source)
            target.parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(path, target)
    _PAIR_COPIES.append(top)
    return top


def pair_findings(select: Iterable[str], corpus: Path = CORPUS) -> list[Found]:
    """The findings of the change rules in ``select`` (codes) on the pair:
    a copy of the 10.2.2 tree checked with ``--diff-base`` the 7.2.0
    tree's folder (see :data:`PAIR`), each finding once, sorted."""
    from qapilint.change.diff import run_change  # noqa: PLC0415
    from qapilint.lint.check import CheckOptions  # noqa: PLC0415
    from qapilint.lint.engine import sort_key  # noqa: PLC0415
    from qapilint.schema.loader import load_schema  # noqa: PLC0415

    codes = sorted(code for code in select if code.startswith(PAIR_PREFIX))
    if not codes:
        return []
    top = _copy_head(corpus)
    base_top = corpus / PAIR_BASE
    options = CheckOptions(
        paths=[top / root for root in PAIR_ROOTS], select=codes, isolated=True, preview=True
    )
    result = run_change(options, str(base_top)).result
    bases = [
        load_schema(base_top / root, base_top)
        for root in TREES[PAIR_BASE]
        if (base_top / root).is_file()
    ]
    schemas = [schema for schema, _tree in result.schemas.values()]
    found: list[Found] = []
    for finding in sorted(result.findings, key=sort_key):
        path = Path(str(finding.path)).resolve()
        holding = [s for s in schemas if any(m.path.resolve() == path for m in s.modules)]
        schema = max(holding, key=lambda s: len(s.definitions)) if holding else None
        found.append(Found(PAIR, finding, schema, top, bases))
    return found


def produced_fingerprints(
    prefixes: tuple[str, ...] = ("",), corpus: Path = CORPUS
) -> dict[str, dict[str, Counter[tuple[str, ...]]]]:
    """code -> tree -> the fingerprints the rules whose code starts with one
    of ``prefixes`` produce today."""
    from qapilint.lint.engine import load_rules  # noqa: PLC0415

    codes = [found.code for found in load_rules() if found.code.startswith(prefixes)]
    by_code: dict[str, dict[str, Counter[tuple[str, ...]]]] = {}
    single = [code for code in codes if not code.startswith(PAIR_PREFIX)]
    for item in tree_findings(single, corpus) + pair_findings(codes, corpus):
        trees = by_code.setdefault(item.code, {})
        trees.setdefault(item.tree, Counter())[tuple(item.fingerprint(corpus))] += 1
    return by_code


# --------------------------------------------------------------------------
# Drawing samples and writing tables


def draw_sample(findings: Sequence[Any], size: int = SAMPLE_SIZE, seed: int = SEED) -> list[Any]:
    if len(findings) <= size:
        return list(findings)
    chosen = sorted(random.Random(seed).sample(range(len(findings)), size))
    return [findings[index] for index in chosen]


def _string(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def render_table(table: PrecisionTable) -> str:
    lines = [
        f"# Blind-judged sample of {table.code} ({table.name}) findings on "
        + ", ".join(table.totals or {table.corpus: table.total})
        + ".",
        "# Protocol and format: docs/precision/README.md and tests/precision.py",
        *(
            [
                f"# A change rule: measured on the pair {PAIR}, a copy of {PAIR_HEAD}'s",
                f"# {', '.join(r.rpartition('/')[0] + '/' for r in PAIR_ROOTS)} checked with "
                f"--diff-base {PAIR_BASE} (each tree with its own VERSION).",
            ]
            if PAIR in table.totals
            else []
        ),
        f"code = {_string(table.code)}",
        f"name = {_string(table.name)}",
        f"protocol = {_string(table.protocol)}",
        f"command = {_string(table.command)}",
        f"seed = {table.seed}",
        f"total = {table.total}",
        f"judge = {_string(table.judge)}",
        "",
        "[totals]",
        *(f"{_string(tree)} = {count}" for tree, count in table.totals.items()),
    ]
    for row in table.sample:
        fingerprint = ", ".join(_string(part) for part in row.fingerprint)
        lines += [
            "",
            "[[sample]]",
            f"id = {row.id}",
            f"tree = {_string(row.tree)}",
            f"fingerprint = [{fingerprint}]",
            f"location = {_string(row.location)}",
            f"message = {_string(row.message)}",
            f"verdict = {_string(row.verdict)}",
            f"reason = {_string(row.reason)}",
        ]
    return "\n".join(lines) + "\n"


def _table_path(code: str, name: str, folder: Path) -> Path:
    return folder / f"{code}-{name}.toml"


def draw_tables(
    codes: Iterable[str] | None = None, folder: Path = TABLES, corpus: Path = CORPUS
) -> dict[str, tuple[PrecisionTable, list[Found]]]:
    """Draw the sample of each rule (every rule when ``codes`` is None) and
    write its table; returns code -> (table, the sampled findings)."""
    from qapilint.lint.engine import load_rules  # noqa: PLC0415

    rules = [r for r in load_rules() if codes is None or r.code in set(codes)]
    chosen = [r.code for r in rules]
    single = [code for code in chosen if not code.startswith(PAIR_PREFIX)]
    everything = tree_findings(single, corpus) + pair_findings(chosen, corpus)
    by_code: dict[str, list[Found]] = {}
    for item in everything:
        by_code.setdefault(item.code, []).append(item)
    folder.mkdir(parents=True, exist_ok=True)
    drawn: dict[str, tuple[PrecisionTable, list[Found]]] = {}
    for found in rules:
        for stale in folder.glob(f"{found.code}-*.toml"):
            if stale.name != _table_path(found.code, found.name, folder).name:
                stale.unlink()  # the rule was renamed
        path = _table_path(found.code, found.name, folder)
        old: dict[tuple[str, tuple[str, ...]], Judged] = {}
        if path.exists():
            previous = load_table(path)
            if previous.protocol == PROTOCOL:  # verdicts of earlier protocols do not carry over
                old = {(row.tree, tuple(row.fingerprint)): row for row in previous.sample}
        items = by_code.get(found.code, [])
        sampled = draw_sample(items)
        rows = []
        for number, item in enumerate(sampled, start=1):
            fingerprint = item.fingerprint(corpus)
            before = old.get((item.tree, tuple(fingerprint)))
            rows.append(
                Judged(
                    fingerprint=fingerprint,
                    location=item.location(corpus),
                    message=str(item.finding.message),
                    verdict=before.verdict if before else "?",
                    reason=before.reason if before else "",
                    tree=item.tree,
                    id=number,
                )
            )
        trees = (PAIR,) if found.code.startswith(PAIR_PREFIX) else tuple(TREES)
        totals = {tree: sum(1 for item in items if item.tree == tree) for tree in trees}
        judge = ""
        if path.exists() and old and all((r.tree, tuple(r.fingerprint)) in old for r in rows):
            judge = load_table(path).judge
        table = PrecisionTable(
            code=found.code,
            name=found.name,
            corpus=", ".join(trees),
            command=f"python tests/precision.py sample {found.code}",
            seed=SEED,
            total=len(items),
            sample=rows,
            protocol=PROTOCOL,
            totals=totals,
            judge=judge,
        )
        path.write_text(render_table(table), encoding="utf-8")
        table.path = path
        drawn[found.code] = (table, sampled)
    return drawn


# --------------------------------------------------------------------------
# Packets for blind judges


_HEADER = """\
# Judging packet {code}

{count} findings of a documentation linter on QEMU's QAPI schemas (the
`qapi/*.json` files QEMU's QMP reference manual is generated from), drawn
at random from two QEMU source trees: {trees}.

For each numbered item decide one thing: **would a careful QEMU reviewer,
reviewing this tree, ask for this change?**

- `TP`: yes. The finding points at a real problem a reviewer would want
  changed, its message is true, and the rewrite shown (if any) is
  acceptable.
- `FP`: no. The text is fine as it is, or the finding misreads it, or its
  message is wrong, or the rewrite shown would make the text worse or
  change its meaning. Say which in the reason.

Judge each item by the conventions of its own tree's release (its VERSION
is given with the item). QEMU's documentation conventions are in
`{spec}` (sections "Documentation comments" and "Markup pitfalls"); the
whole trees are under `{corpus}/` if you need more context.

Write one verdict per item into `{code}.verdicts.toml` next to this file:
`verdict = "TP"` or `"FP"` and a one-line `reason`; put your name in
`judge`. Do not change `id` or `fingerprint`.
"""


_PAIR_HEADER = """\
# Judging packet {code}

{count} findings of a documentation linter on QEMU's QAPI schemas (the
`qapi/*.json` files QEMU's QMP reference manual is generated from), drawn
at random from a comparison of two QEMU source trees: the head
{head} checked against the base {base}, as if every
difference between them were one change under review. Each finding is
about the head; each item shows the head's doc block and definition, and
the base's doc block and definition of the same name (or says that the
base has no definition of that name).

For each numbered item decide one thing: **would a careful QEMU reviewer,
reviewing this change, ask for this change to the head?**

- `TP`: yes. The finding points at a real problem a reviewer would want
  changed, its message is true, and the rewrite shown (if any) is
  acceptable.
- `FP`: no. The text is fine as it is, or the finding misreads it, or its
  message is wrong, or the rewrite shown would make the text worse or
  change its meaning. Say which in the reason.

Judge each item by the conventions of the head's release. QEMU's
documentation conventions are in `{spec}` (sections "Documentation
comments" and "Markup pitfalls"); the whole trees are under `{corpus}/`
if you need more context (QEMU's git history is not there: judge from the
two trees).

Write one verdict per item into `{code}.verdicts.toml` next to this file:
`verdict = "TP"` or `"FP"` and a one-line `reason`; put your name in
`judge`. Do not change `id` or `fingerprint`.
"""


def _base_of(item: Found) -> list[str]:
    """The base's doc block and definition of the finding's definition, or
    a line saying the base has none by that name."""
    name = item.finding.symbol
    if not name:
        return []
    for schema in item.base:
        definition = schema.definitions.get(name)
        if definition is None:
            continue
        module = definition.module
        out = [f"At base ({PAIR_BASE}/{_relative_to(module.path, PAIR_BASE)}):", ""]
        doc = definition.doc
        if doc is not None:
            lines = module.lines[doc.span.line - 1 : doc.span.end_line]
            out += [
                "Base doc block:",
                "",
                "```",
                *_numbered(lines, doc.span.line, set()),
                "```",
                "",
            ]
        span = definition.span
        lines = module.lines[span.line - 1 : span.end_line]
        out += ["Base definition:", "", "```", *_numbered(lines, span.line, set()), "```"]
        return out
    return [f"At base ({PAIR_BASE}): no definition named '{name}'."]


def _relative_to(path: Path, tree: str) -> str:
    parts = Path(path).resolve().parts
    return "/".join(parts[parts.index(tree) + 1 :]) if tree in parts else str(path)


def _context_of(item: Found) -> tuple[Any, Any, Any]:
    """(module, doc block, definition) of a finding, as far as known."""
    finding = item.finding
    if item.schema is None:
        return None, None, None
    path = Path(str(finding.path)).resolve()
    module = next((m for m in item.schema.modules if m.path.resolve() == path), None)
    if module is None:
        return None, None, None
    line = finding.span.line
    doc = next((d for d in module.docs if d.span.line <= line <= d.span.end_line), None)
    definition = doc.definition if doc is not None else None
    if definition is None:
        definition = next(
            (d for d in module.definitions if d.span.line <= line <= d.span.end_line), None
        )
    if definition is None and finding.symbol:
        definition = next(
            (d for d in item.schema.all_definitions() if d.name == finding.symbol), None
        )
    if doc is None and definition is not None:
        doc = definition.doc
    if definition is not None and definition.module is not module and doc is not None:
        doc = doc if doc in module.docs else None
    return module, doc, definition


def _numbered(lines: list[str], first: int, marked: set[int]) -> list[str]:
    width = len(str(first + len(lines) - 1))
    return [
        f"{'>' if first + index in marked else ' '} {first + index:>{width}} | {text}".rstrip()
        for index, text in enumerate(lines)
    ]


def _suggestion(item: Found, module: Any) -> list[str]:
    """The finding's rewrite as a diff of the lines it touches."""
    from qapilint.lint.rule import OverlappingEdits, apply_edits  # noqa: PLC0415

    fix = item.finding.fix
    if fix is None or not fix.edits:
        return []
    try:
        new = apply_edits(module.text, fix.edits).split("\n")
    except OverlappingEdits:
        return []
    old = module.text.split("\n")
    diff = list(
        difflib.unified_diff(old, new, "before", "after", n=1, lineterm="")  # type: ignore[arg-type]
    )
    kind = {"safe": "fix (applied by --fix)", "unsafe": "fix", "suggestion": "suggested rewrite"}
    return [f"{kind[fix.applicability]}: {fix.message}", "", "```diff", *diff[2:], "```"]


def render_packet(code: str, items: list[tuple[int, Found]], corpus: Path = CORPUS) -> str:
    versions = {
        name: (corpus / name / "VERSION").read_text(encoding="utf-8").strip() for name in TREES
    }
    trees = " and ".join(f"{name} (VERSION {version})" for name, version in versions.items())
    pair = any(item.tree == PAIR for _number, item in items)
    if pair:
        head, base = (f"{n} (VERSION {versions[n]})" for n in (PAIR_HEAD, PAIR_BASE))
        header = _PAIR_HEADER.format(
            code=code, count=len(items), head=head, base=base, spec=corpus / SPEC, corpus=corpus
        )
    else:
        header = _HEADER.format(
            code=code, count=len(items), trees=trees, spec=corpus / SPEC, corpus=corpus
        )
    out = [header.rstrip(), ""]
    for number, item in items:
        finding = item.finding
        module, doc, definition = _context_of(item)
        tree = PAIR_HEAD if item.tree == PAIR else item.tree
        shown_tree = f"{tree} (VERSION {versions[tree]})"
        if item.tree == PAIR:
            shown_tree += f", compared with base {PAIR_BASE} (VERSION {versions[PAIR_BASE]})"
        out += [
            f"## Item {number}",
            "",
            f"- tree: {shown_tree}",
            f"- location: {tree}/{item.location(corpus)}",
            f"- message: {finding.message}",
            "",
        ]
        if module is not None:
            out += _suggestion(item, module)
            marked = set(range(finding.span.line, finding.span.end_line + 1))
            if doc is not None:
                lines = module.lines[doc.span.line - 1 : doc.span.end_line]
                out += ["", "Doc block (`>` marks the lines the finding points at):", "", "```"]
                out += [*_numbered(lines, doc.span.line, marked), "```"]
            else:
                out += ["", "(no doc block)"]
            if definition is not None and definition.module is module:
                span = definition.span
                lines = module.lines[span.line - 1 : span.end_line]
                out += ["", "Definition:", "", "```"]
                out += [*_numbered(lines, span.line, marked), "```"]
            elif doc is not None and doc.free_form:
                out += ["", "(a free-form doc block: no definition)"]
            shown = set()
            if doc is not None:
                shown |= set(range(doc.span.line, doc.span.end_line + 1))
            if definition is not None:
                shown |= set(range(definition.span.line, definition.span.end_line + 1))
            if not marked <= shown:
                around = range(max(1, finding.span.line - 3), finding.span.end_line + 4)
                lines = [module.lines[n - 1] for n in around if n <= len(module.lines)]
                out += ["", "Around the finding:", "", "```"]
                out += [*_numbered(lines, around.start, marked), "```"]
        if item.tree == PAIR:
            out += ["", *_base_of(item)]
        out.append("")
    return "\n".join(out)


def _tree_of(item: Found) -> str:
    return PAIR_HEAD if item.tree == PAIR else item.tree


def render_template(code: str, items: list[tuple[int, Found]], corpus: Path = CORPUS) -> str:
    lines = [
        f"# Verdicts for packet {code}.md: one [[item]] per finding.",
        '# verdict: "TP" or "FP"; reason: one line. Do not change id or fingerprint.',
        f"code = {_string(code)}",
        'judge = ""',
    ]
    for number, item in items:
        fingerprint = ", ".join(_string(part) for part in item.fingerprint(corpus))
        lines += [
            "",
            "[[item]]",
            f"id = {number}",
            f"location = {_string(_tree_of(item) + '/' + item.location(corpus))}",
            f"fingerprint = [{fingerprint}]",
            'verdict = "?"',
            'reason = ""',
        ]
    return "\n".join(lines) + "\n"


def write_packets(
    codes: Iterable[str] | None = None,
    out: Path | None = None,
    folder: Path = TABLES,
    corpus: Path = CORPUS,
) -> list[tuple[Path, int]]:
    """Draw every rule's table and write a packet and a verdict template
    for each rule with findings; returns (packet, items) pairs. Packets go
    to ``out``, by default :data:`PACKETS` (the change rules' to
    :data:`PACKETS_C`: they are measured on the pair)."""
    written = []
    for code, (_table, sampled) in sorted(draw_tables(codes, folder, corpus).items()):
        if not sampled:
            continue
        target = out if out is not None else PACKETS_C if code.startswith(PAIR_PREFIX) else PACKETS
        written.append(_write_packet(code, sampled, target, corpus))
    return written


def _write_packet(code: str, sampled: list[Found], out: Path, corpus: Path) -> tuple[Path, int]:
    out.mkdir(parents=True, exist_ok=True)
    items = list(enumerate(sampled, start=1))
    packet = out / f"{code}.md"
    packet.write_text(render_packet(code, items, corpus), encoding="utf-8")
    (out / f"{code}.verdicts.toml").write_text(
        render_template(code, items, corpus), encoding="utf-8"
    )
    return packet, len(items)


# --------------------------------------------------------------------------
# Importing verdicts


def import_verdicts(path: Path, folder: Path = TABLES) -> PrecisionTable:
    """Copy the verdicts of one filled-in template into its rule's table."""
    with path.open("rb") as handle:
        data = tomllib.load(handle)
    code = str(data.get("code", ""))
    judge = str(data.get("judge", "")).strip()
    table = load_tables(folder).get(code)
    if table is None or table.path is None:
        raise TableError(f"{path}: no table for rule {code!r} in {folder}")
    if table.protocol != PROTOCOL:
        raise TableError(f"{path}: the table of {code} was not drawn under {PROTOCOL}")
    rows = {row.id: row for row in table.sample}
    items = data.get("item", [])
    if len(items) != len(rows):
        raise TableError(f"{path}: {len(items)} items, the table has {len(rows)}: re-draw?")
    for item in items:
        row = rows.get(int(item.get("id", 0)))
        if row is None or [str(p) for p in item.get("fingerprint", [])] != row.fingerprint:
            raise TableError(
                f"{path}: item {item.get('id')} does not match the table's draw "
                "(the rule changed since the packet was made)"
            )
        verdict = str(item.get("verdict", "?")).strip().upper()
        reason = " ".join(str(item.get("reason", "")).split())
        if verdict not in VERDICTS:
            raise TableError(f"{path}: item {row.id}: verdict {verdict!r} is not TP or FP")
        if verdict != "?" and not reason:
            raise TableError(f"{path}: item {row.id}: a verdict needs a one-line reason")
        if verdict != "?" and not judge:
            raise TableError(f"{path}: say who judged (judge = ...)")
        row.verdict, row.reason = verdict, reason
    table.judge = judge
    table.path.write_text(render_table(table), encoding="utf-8")
    return table


def _verdict_files(paths: Iterable[Path]) -> list[Path]:
    found: list[Path] = []
    for path in paths:
        found += sorted(path.glob("*.verdicts.toml")) if path.is_dir() else [path]
    return found


# --------------------------------------------------------------------------
# Command line


def _status_lines(folder: Path = TABLES) -> list[str]:
    from qapilint.lint.engine import load_rules  # noqa: PLC0415

    tables = load_tables(folder)
    columns = (*TREES, PAIR)
    lines = [f"{'rule':<40} {'status':<8} " + " ".join(f"{t:>12}" for t in columns) + "  verdicts"]
    for found in load_rules():
        table = tables.get(found.code)
        label = f"{found.code} {found.name}"
        if table is None:
            lines.append(f"{label:<40} {found.status:<8} (no table)")
            continue
        counts = " ".join(f"{table.totals.get(t, 0):>12}" for t in columns)
        ok, why = earns_stable(table)
        earned = "earns stable" if ok else "earns preview"
        lines.append(f"{label:<40} {found.status:<8} {counts}  {earned}: {why}")
    return lines


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="python tests/precision.py", description=__doc__)
    commands = parser.add_subparsers(dest="command", required=True)
    sample = commands.add_parser("sample", help="draw samples and write tables")
    sample.add_argument("codes", nargs="*", help="rule codes (default: every rule)")
    packets = commands.add_parser("packets", help="draw samples, write judging packets")
    packets.add_argument("codes", nargs="*", help="rule codes (default: every rule)")
    packets.add_argument(
        "--out", type=Path, default=None, help=f"default {PACKETS} ({PACKETS_C} for C rules)"
    )
    imported = commands.add_parser("import", help="copy filled-in verdicts into the tables")
    imported.add_argument("paths", nargs="+", type=Path, help="verdict files or folders")
    commands.add_parser("status", help="per rule: findings, verdicts, what it earns")
    args = parser.parse_args(argv)
    if args.command == "sample":
        for _code, (table, _items) in sorted(draw_tables(args.codes or None).items()):
            print(f"{table.path}  {table.total} findings, {len(table.sample)} drawn")
    elif args.command == "packets":
        for packet, count in write_packets(args.codes or None, args.out):
            print(f"{packet}  {count} items")
    elif args.command == "import":
        for path in _verdict_files(args.paths):
            try:
                table = import_verdicts(path)
            except (TableError, OSError, tomllib.TOMLDecodeError) as error:
                print(f"error: {error}", file=sys.stderr)
                return 1
            ok, why = earns_stable(table)
            print(f"{table.code}: {'earns stable' if ok else 'earns preview'} ({why})")
    else:
        print("\n".join(_status_lines()))
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(PROJECT))
    raise SystemExit(main(sys.argv[1:]))
