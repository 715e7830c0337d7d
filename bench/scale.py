#!/usr/bin/env python3
"""Make a schema N times the size of a QEMU tree's, which QEMU's front end
accepts: the scaling run of ``run.py --scale``.

    python3 bench/scale.py SCHEMA_FOLDER OUT_FOLDER N

``SCHEMA_FOLDER`` is a QEMU tree's ``qapi/`` (its root must be
``qapi-schema.json``). ``OUT_FOLDER`` gets ``qapi-schema.json``, a root
including ``copy1/qapi-schema.json`` ... ``copyN/qapi-schema.json``; copy 1
is the schema as it is, and every further copy has each definition renamed
(``BlockdevOptions`` -> ``BlockdevOptionsCopy2``, ``query-block`` ->
``query-block-copy2``, ``SHUTDOWN`` -> ``SHUTDOWN_COPY2``): every quoted
name that names a definition (member names aside) and each doc symbol, so the
copies neither clash nor refer to each other (see
:func:`rename_text`). A ``VERSION`` file beside
``OUT_FOLDER`` is copied too, so that the tree's release conventions hold.
"""

from __future__ import annotations

import re
import shutil
import sys
from pathlib import Path

ROOT = "qapi-schema.json"
# a definition's name: the value of its first key, by QAPI's syntax
DEFINITION = re.compile(
    r"^\{\s*'(?:struct|union|enum|alternate|command|event)'\s*:\s*'([^']+)'", re.MULTILINE
)


def renamed(name: str, copy: int) -> str:
    """``name`` in copy ``copy``, in the naming style QEMU asks of it."""
    if name.isupper() or (name.replace("_", "").isupper() and "_" in name):
        return f"{name}_COPY{copy}"
    if name.islower() or not any(c.isupper() for c in name):
        return f"{name}-copy{copy}"
    return f"{name}Copy{copy}"


def definition_names(folder: Path) -> set[str]:
    names: set[str] = set()
    for path in folder.rglob("*.json"):
        names.update(DEFINITION.findall(path.read_text(encoding="utf-8")))
    return names


def rename_text(text: str, names: set[str], copy: int, copies: int) -> str:
    """Every quoted name that is a definition's name and not a key (a
    member's name), and every doc block's symbol line, renamed; doc text
    stays as it is (QEMU does not resolve ``@name`` there, and longer
    names would push lines past its 70 columns). Pragmas are global to
    the schema and the last one read wins: a name in a pragma's lists
    becomes its names in every copy, in every copy."""

    def quoted(match: re.Match[str]) -> str:
        name = match.group(2)
        if name not in names:
            return match.group(0)
        return f"{match.group(1)}{renamed(name, copy)}{match.group(3)}"

    def every_copy(match: re.Match[str]) -> str:
        name = match.group(2)
        if name not in names:
            return match.group(0)
        spelled = [name] + [renamed(name, other) for other in range(2, copies + 1)]
        return ", ".join(f"'{each}'" for each in spelled)

    lines = text.split("\n")
    pragma = enum = 0  # brace depth inside a pragma directive, an enum definition
    for index, line in enumerate(lines):
        if line.lstrip().startswith("#"):
            if copy > 1:
                lines[index] = re.sub(r"^(# @)([A-Za-z][\w.-]*)(:)$", quoted, line)
            continue
        depth = line.count("{") - line.count("}")
        if pragma or "'pragma'" in line:
            pragma += depth
            lines[index] = re.sub(r"(')([A-Za-z][\w.-]*)(')(?!\s*:)", every_copy, line)
        elif enum or "'enum'" in line:  # its values are no references, whatever they spell
            enum += depth
            if copy > 1:
                lines[index] = re.sub(r"('enum'\s*:\s*')([^']+)(')", quoted, line)
        elif copy > 1:
            lines[index] = re.sub(r"(')([A-Za-z][\w.-]*)('(?!\s*:))", quoted, line)
    return "\n".join(lines)


def make(source: Path, out: Path, copies: int) -> Path:
    if not (source / ROOT).is_file():
        sys.exit(f"scale: no {ROOT} in {source}")
    names = definition_names(source)
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    includes = []
    for copy in range(1, copies + 1):
        target = out / f"copy{copy}"
        shutil.copytree(source, target)
        for path in target.rglob("*.json"):
            text = path.read_text(encoding="utf-8")
            path.write_text(rename_text(text, names, copy, copies), encoding="utf-8")
        includes.append(f"{{ 'include': 'copy{copy}/{ROOT}' }}\n")
    (out / ROOT).write_text("".join(includes), encoding="utf-8")
    version = source.parent / "VERSION"
    if version.is_file():
        shutil.copy(version, out.parent / "VERSION")
    return out / ROOT


def main() -> int:
    if len(sys.argv) != 4:
        sys.exit(__doc__)
    print(make(Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])))
    return 0


if __name__ == "__main__":
    sys.exit(main())
