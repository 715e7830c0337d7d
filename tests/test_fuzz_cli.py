"""The whole command line on damaged real schemas: QEMU 10.2.2 files with
bytes flipped, cut short, a line deleted or a doc block duplicated, checked
in a temporary folder with every output format and with --fix and --diff.

Whatever the damage: no traceback (``QAPILINT_TRACEBACK`` makes an internal
error raise instead of becoming a line), exit status 0, 1 or 2 (2 only as
one ``qapilint: error:`` line), and output valid for its format. The
examples are few and derandomized, so the test takes seconds and CI sees
the same ones every run.
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import re
import tempfile
from pathlib import Path
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qapilint.cli import main

SARIF_SCHEMA = Path(__file__).resolve().parent.parent.parent / "shared" / "schemas"

# small files, so that each example is a fraction of a second; a root
# whose includes are missing in the temporary folder; one outside qapi/
FILES = [
    "qapi/control.json",
    "qapi/pragma.json",
    "qapi/acpi.json",
    "qapi/replay.json",
    "qapi/yank.json",
    "qapi/sockets.json",
    "qapi/qapi-schema.json",
    "docs/interop/vhost-user.json",
]

ANYWHERE = st.integers(min_value=0, max_value=1 << 20)  # taken modulo the size
# XOR masks: 0x40 and 0x60 turn letters into control characters, 0x80 and
# 0xff make UTF-8 invalid; any other byte too
MASKS = st.one_of(st.sampled_from([0x40, 0x60, 0x80, 0xFF]), st.integers(1, 255))
MUTATIONS = st.one_of(
    st.tuples(st.just("flip"), ANYWHERE, MASKS),
    st.tuples(st.just("truncate"), ANYWHERE),
    st.tuples(st.just("delete-line"), ANYWHERE),
    st.tuples(st.just("duplicate-doc"), ANYWHERE, ANYWHERE),
)
OPTIONS = st.sampled_from(
    [
        [],
        ["--format", "json"],
        ["--format", "sarif"],
        ["--format", "github"],
        ["--statistics"],
        ["--statistics", "--format", "json"],
        ["--diff"],
        ["--diff", "--unsafe-fixes"],
        ["--fix", "--format", "json"],
        ["--fix", "--unsafe-fixes"],
    ]
)

_DOC_BLOCK = re.compile(rb"^##\n.*?^##\n", re.MULTILINE | re.DOTALL)
_SUMMARY = re.compile(
    r"(All checks passed\.|Found \d+ problems? \([^)]*\)\.( \d+ with a safe fix\.)?)\n\Z"
)
_STATISTICS = re.compile(r" *\d+  ([A-Z]\d{3}  [a-z0-9-]+|total)")
_ANNOTATION = re.compile(r"::(error|warning|notice) file=[^,]*,line=\d+,col=\d+,")


def mutate(data: bytes, mutation: tuple[object, ...]) -> bytes:
    kind, where, *rest = mutation
    assert isinstance(where, int)
    if kind == "flip":
        if not data:
            return data
        buffer = bytearray(data)
        buffer[where % len(buffer)] ^= rest[0]  # type: ignore[operator]
        return bytes(buffer)
    if kind == "truncate":
        return data[: where % (len(data) + 1)]
    lines = data.split(b"\n")
    if kind == "delete-line":
        del lines[where % len(lines)]
        return b"\n".join(lines)
    blocks = list(_DOC_BLOCK.finditer(data))
    if not blocks:
        return data
    block = blocks[where % len(blocks)].group(0)
    at = rest[0] % len(lines)  # type: ignore[operator]
    return b"\n".join([*lines[:at], block.removesuffix(b"\n"), *lines[at:]])


def check_output(options: list[str], out: str, sarif_schema: object) -> None:
    """``out`` is what the chosen format promises."""
    if "--diff" in options:
        assert out == "" or out.startswith("--- a/"), out[:200]
    elif "--statistics" in options and "json" in options:
        assert all({"code", "name", "count"} <= set(row) for row in json.loads(out))
    elif "--statistics" in options:
        assert all(_STATISTICS.fullmatch(line) for line in out.splitlines()), out
    elif "json" in options:
        found = json.loads(out)
        assert all({"path", "line", "column", "code", "message"} <= set(f) for f in found)
    elif "sarif" in options:
        document = json.loads(out)
        assert document["version"] == "2.1.0"
        if sarif_schema is not None:
            import jsonschema  # noqa: PLC0415 - only where the schema is

            jsonschema.validate(document, sarif_schema)
    elif "github" in options:
        assert all(_ANNOTATION.match(line) for line in out.splitlines()), out
    else:  # text: nothing a terminal would act on, a summary at the end
        assert all(char in "\n\t" or char.isprintable() for char in out), repr(out[:400])
        assert _SUMMARY.search(out), out[-300:]


@pytest.fixture(scope="module")
def sarif_schema() -> object:
    """SARIF's JSON schema, as tests/test_report.py uses it; where it (or
    jsonschema) is absent, SARIF output is only checked to be JSON."""
    schema_file = SARIF_SCHEMA / "sarif-schema-2.1.0.json"
    try:
        import jsonschema  # noqa: F401, PLC0415
    except ImportError:
        return None
    if not schema_file.is_file():
        return None
    return json.loads(schema_file.read_text(encoding="utf-8"))


@settings(
    max_examples=40,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(st.sampled_from(FILES), st.lists(MUTATIONS, min_size=1, max_size=3), OPTIONS)
def test_damaged_corpus_files_through_the_whole_cli(
    corpus: Path,
    sarif_schema: object,
    name: str,
    mutations: list[tuple[object, ...]],
    options: list[str],
) -> None:
    data = (corpus / "qemu-10.2.2" / name).read_bytes()
    for mutation in mutations:
        data = mutate(data, mutation)
    with tempfile.TemporaryDirectory() as folder:
        tree = Path(folder)
        (tree / "VERSION").write_text("10.2.2\n")
        schema = tree / name
        schema.parent.mkdir(parents=True, exist_ok=True)
        schema.write_bytes(data)
        out, err = io.StringIO(), io.StringIO()
        with (
            mock.patch.dict(os.environ, {"QAPILINT_TRACEBACK": "1"}),
            contextlib.redirect_stdout(out),
            contextlib.redirect_stderr(err),
        ):
            status = main(["check", "--isolated", *options, str(schema)])
    errors = err.getvalue()
    assert status in (0, 1, 2), errors
    if status == 2:
        assert errors.startswith("qapilint: error: ") and errors.count("\n") == 1, errors
        return
    assert "qapilint: error:" not in errors, errors
    check_output(options, out.getvalue(), sarif_schema)
