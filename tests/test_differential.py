"""Differential testing against QEMU's own front end (only where ``QEMU_SRC``
names a QEMU 10.2 source tree; skipped otherwise).

The corpus's valid schemas are mutated with a fixed seed — a type reference
renamed, a member duplicated, a branch added, an ``if`` broken, a pragma
exception dropped — and each mutant is checked by QEMU (one child process
for all of them) and by qapilint's Q rules. They must agree on the verdict
and, for a rejected mutant, QEMU's first error must be at a line where
qapilint reports a Q error (``anchor_line``: QEMU's line). The count of
disagreements is printed; known ones are listed with the reason.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from qapilint.lint.engine import load_rules, run_rules
from qapilint.schema.loader import load_schema
from qapilint.schema.tree import read_tree
from qapilint.syntax.model import Definition, JList, JObject, JString
from qapilint.syntax.parse import parse_module

SEED = 18
PER_BASE = 60  # mutants per base schema and kind of mutation
BASES = (
    "qemu-10.2.2/tests/qapi-schema/qapi-schema-test.json",
    "qemu-10.2.2/qga/qapi-schema.json",
    "qemu-10.2.2/docs/interop/firmware.json",
    "qemu-10.2.2/docs/interop/vhost-user.json",
)
# (base, mutation, number) -> why qapilint and QEMU may disagree
KNOWN: dict[str, str] = {}

QEMU_BATCH = """\
import json, sys
sys.path.insert(0, sys.argv[1])
from qapi.error import QAPIError
from qapi.schema import QAPISchema
out = {}
for path in sys.argv[2:]:
    try:
        QAPISchema(path)
        out[path] = None
    except QAPIError as error:
        info = getattr(error, "info", None)
        where = [info.fname.rsplit("/", 1)[-1], info.line] if info else [None, None]
        out[path] = where + [str(error).splitlines()[-1]]
print(json.dumps(out))
"""

Edit = tuple[int, int, str]  # start offset, end offset, replacement
Mutation = Callable[[str, list[Definition], random.Random], Edit | None]


def _offset(text: str, line: int, col: int) -> int:
    starts = [0]
    for index, char in enumerate(text):
        if char == "\n":
            starts.append(index + 1)
    return starts[line - 1] + col - 1


def _type_refs(definitions: list[Definition]) -> list[JString]:
    found: list[JString] = []
    for definition in definitions:
        for key in ("data", "base", "returns"):
            value = definition.get(key)
            if isinstance(value, JString):
                found.append(value)
            elif isinstance(value, JList) and len(value.items) == 1:
                if isinstance(value.items[0], JString) and definition.kind != "enum":
                    found.append(value.items[0])
            elif isinstance(value, JObject) and definition.kind != "enum":
                for _key, spec in value.pairs:
                    spec = spec.get("type") if isinstance(spec, JObject) else spec  # noqa: PLW2901
                    if isinstance(spec, JList) and spec.items:
                        spec = spec.items[0]  # noqa: PLW2901
                    if isinstance(spec, JString):
                        found.append(spec)
    return found


def rename_type(text: str, definitions: list[Definition], rng: random.Random) -> Edit | None:
    refs = _type_refs(definitions)
    if not refs:
        return None
    ref = rng.choice(refs)
    names = [d.name for d in definitions if d.name] + ["int", "str", "any", "bool", "QType"]
    new = rng.choice([ref.value + "X", rng.choice(names)])
    span = ref.span
    start, end = _offset(text, span.line, span.col), _offset(text, span.end_line, span.end_col)
    return start, end, f"'{new}'"


def duplicate_member(text: str, definitions: list[Definition], rng: random.Random) -> Edit | None:
    owners = [
        d
        for d in definitions
        if isinstance(d.get("data"), JObject) and d.get("data").pairs  # type: ignore[union-attr]
    ]
    if not owners:
        return None
    data = rng.choice(owners).get("data")
    assert isinstance(data, JObject)
    key = rng.choice(data.pairs)[0].value
    key = rng.choice([key, key.replace("-", "_"), "*" + key.lstrip("*")])
    start = _offset(text, data.span.line, data.span.col) + 1
    return start, start, f" '{key}': 'str',"


def add_branch(text: str, definitions: list[Definition], rng: random.Random) -> Edit | None:
    owners = [d for d in definitions if d.kind in ("union", "alternate")]
    if not owners:
        return None
    owner = rng.choice(owners)
    data = owner.get("data")
    if not isinstance(data, JObject):
        return None
    types = [d.name for d in definitions if d.kind in ("struct", "union", "enum", "alternate")]
    branch = rng.choice(["extra", "x-new", data.pairs[0][0].value if data.pairs else "b"])
    target = rng.choice([*types, "int", "str", "bool", "number"]) if types else "str"
    start = _offset(text, data.span.line, data.span.col) + 1
    return start, start, f" '{branch}': '{target}',"


def break_if(text: str, definitions: list[Definition], rng: random.Random) -> Edit | None:
    conditions: list[JString] = []

    def visit(value: object) -> None:
        if isinstance(value, JObject):
            for key, item in value.pairs:
                if key.value == "if" and isinstance(item, JString):
                    conditions.append(item)
                visit(item)
        elif isinstance(value, JList):
            for item in value.items:
                visit(item)

    for definition in definitions:
        visit(definition.expr)
    if not conditions:
        return None
    cond = rng.choice(conditions)
    new = rng.choice(
        [f"'{cond.value.lower()}'", "{ 'all': [] }", "{ 'not': '' }", f"[ '{cond.value}' ]"]
    )
    span = cond.span
    return _offset(text, span.line, span.col), _offset(text, span.end_line, span.end_col), new


def drop_pragma_entry(text: str, definitions: list[Definition], rng: random.Random) -> Edit | None:
    module = parse_module(Path("x.json"), text)
    entries = [
        item
        for pragma in module.pragmas
        for _key, value in pragma.value.pairs
        if isinstance(value, JList)
        for item in value.items
    ]
    if not entries:
        return None
    entry = rng.choice(entries)
    span = entry.span
    start, end = _offset(text, span.line, span.col), _offset(text, span.end_line, span.end_col)
    if text[end : end + 1] == ",":
        end += 1
    return start, end, ""


MUTATIONS: dict[str, Mutation] = {
    "rename-type": rename_type,
    "duplicate-member": duplicate_member,
    "add-branch": add_branch,
    "break-if": break_if,
    "drop-pragma-entry": drop_pragma_entry,
}


def _qemu_source() -> Path:
    source = os.environ.get("QEMU_SRC")
    if not source or not (Path(source) / "scripts" / "qapi" / "schema.py").is_file():
        pytest.skip("set QEMU_SRC to a QEMU 10.2 source tree to compare with QEMU")
    return Path(source)


def test_differential_against_qemu(corpus: Path, tmp_path: Path) -> None:
    source = _qemu_source()
    rng = random.Random(SEED)
    mutants: dict[str, Path] = {}
    for base in BASES:
        original = corpus / base
        folder = tmp_path / original.parent.name
        if not folder.exists():
            skip = shutil.ignore_patterns("*.err", "*.out")
            shutil.copytree(original.parent, folder, ignore=skip)
        text = original.read_text(encoding="utf-8")
        definitions = parse_module(original, text).definitions
        for kind, mutate in MUTATIONS.items():
            made: set[str] = set()
            for number in range(PER_BASE):
                edit = mutate(text, definitions, rng)
                if edit is None:
                    break
                start, end, new = edit
                mutated = text[:start] + new + text[end:]
                if mutated in made:
                    continue
                made.add(mutated)
                target = folder / f"mut-{original.stem}-{kind}-{number}.json"
                target.write_text(mutated, encoding="utf-8")
                mutants[f"{original.stem}/{kind}/{number}"] = target
    assert len(mutants) > 300
    result = subprocess.run(
        [sys.executable, "-c", QEMU_BATCH, str(source / "scripts"), *map(str, mutants.values())],
        capture_output=True,
        text=True,
        check=True,
    )
    qemu = json.loads(result.stdout)
    rules = [found for found in load_rules() if found.code.startswith("Q")]
    disagreements: list[str] = []
    for name, path in mutants.items():
        verdict = qemu[str(path)]
        schema = load_schema(path, path.parent)
        errors = [
            f for f in run_rules(rules, schema, read_tree(path.parent)) if f.severity == "error"
        ]
        if verdict is None:
            if errors:
                first = errors[0]
                problem = f"QEMU accepts; qapilint {first.code} {first.message!r}"
                disagreements.append(f"{name}: {problem}")
            continue
        file, line, message = verdict
        places = {(f.path.name if f.path else None, f.anchor_line or f.span.line) for f in errors}
        if (file, line) not in places:
            got = sorted(places)[:4]
            disagreements.append(f"{name}: QEMU {file}:{line} {message!r}; qapilint at {got}")
    unexplained = [d for d in disagreements if d.split(":")[0] not in KNOWN]
    rejected = sum(verdict is not None for verdict in qemu.values())
    print(
        f"\ndifferential: {len(mutants)} mutants ({rejected} rejected by QEMU), "
        f"{len(disagreements)} disagreements"
    )
    for disagreement in unexplained:
        print("  " + disagreement)
    assert unexplained == []
