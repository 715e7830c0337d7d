"""The fast path builds exactly what the full parser builds, and takes the
files it should: every file QEMU builds, none with a syntax error."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qapilint.syntax import fastparse, parse
from qapilint.syntax.build import BUILDER, BuildState
from qapilint.syntax.fastparse import Fallback
from qapilint.syntax.model import Doc, JBool, JList, JObject, JString, JValue, Module
from qapilint.syntax.parse import parse_module
from tests.test_parse_properties import FRAGMENTS


def value_dump(value: JValue) -> object:
    if isinstance(value, JObject):
        return ("{", value.span, [(key.value, key.span, value_dump(v)) for key, v in value.pairs])
    if isinstance(value, JList):
        return ("[", value.span, [value_dump(item) for item in value.items])
    assert isinstance(value, JString | JBool)
    return (type(value).__name__, value.value, value.span)


def doc_dump(doc: Doc) -> object:
    return (
        doc.span,
        doc.symbol,
        doc.symbol_span,
        doc.features_span,
        doc.definition.name if doc.definition else None,
        [(line.line, line.raw, line.text, line.col) for line in doc.lines],
        [
            (s.kind, s.name, s.tag_span, [(t.line, t.col, t.text) for t in s.lines])
            for s in doc.sections
        ],
    )


def dump(module: Module) -> object:
    """Everything the parser builds, as plain comparable values."""
    return (
        module.text,
        module.newline,
        module.bom,
        [value_dump(expr) for expr in module.expressions],
        [(d.kind, d.name, d.name_span, d.doc.span if d.doc else None) for d in module.definitions],
        [(i.target, i.span, i.target_span) for i in module.includes],
        [(p.span, value_dump(p.value)) for p in module.pragmas],
        [doc_dump(doc) for doc in module.docs],
        [(c.line, c.col, c.text) for c in module.comments],
        module.problems,
    )


def assert_same(path: Path, text: str | bytes) -> Module:
    fast = parse_module(path, text)
    full = parse_module(path, text, fast=False)
    assert dump(fast) == dump(full), path
    return full


def takes_fast_path(path: Path, text: str) -> bool:
    """Whether the fast path reads ``text`` to the end without handing over."""
    module = Module(path=path, lines=text.split("\n"))
    with parse._LOCK:
        BUILDER.state = BuildState(module)
        try:
            fast = parse._fast_parser()
            assert fast is not None, "the fast path is off: lark's tables could not be read"
            fast.parse(text)
        except Fallback:
            return False
    return True


def test_corpus_fast_equals_full(corpus: Path) -> None:
    """Every .json in the corpus: both releases' schemas and QEMU's schema
    test cases, hundreds of them with deliberate errors."""
    paths = sorted(corpus.rglob("*.json"))
    assert len(paths) > 300
    fast_taken = 0
    for path in paths:
        data = path.read_bytes()
        full = assert_same(path, data)
        text = data.decode("utf-8", "replace")
        if takes_fast_path(path, text):
            fast_taken += 1
            # the fast path only reads what the full parser reads without a
            # lexical or syntax problem
            assert not [p for p in full.problems if p.kind in ("lexical", "syntax")], path
    assert fast_taken > len(paths) // 2


def test_qemu_schemas_take_the_fast_path(corpus: Path) -> None:
    qapi = sorted((corpus / "qemu-10.2.2" / "qapi").glob("*.json"))
    assert qapi
    for path in qapi:
        assert takes_fast_path(path, path.read_text("utf-8")), path


@pytest.mark.parametrize(
    "text",
    [
        "",
        "# only a comment\n",
        "{ 'command': 'x' }\n{ 'command': 'x' ",  # unterminated: handed over
        "##\n# @x:\n{ 'command': 'x' }\n",  # doc cut short: handed over
        "{ 'a': 'b', 'a': 'c' }\n",  # duplicate key: found on the fast path
        "{ 'a': ## x\n'b' }\n",
        "{ 'a': 'b' } }\n",
        "{ 'a': 'caf\u00e9' }\n",  # a lexical error inside a string
        "[ 'a' ]\n{ 'include': true }\n{ 'pragma': { 'x': 1 } }\n",
        "##\n#junk\n##x\n{ 'enum': 'E', 'data': [] }\n",
        "{" * 100 + "}" * 100 + "\n",
        "\ufeff{ 'command': 'x' }\n",
        "{ 'command': 'x' }\r\n##\r\n# doc\r\n##\r\n",
        "{ " + ", ".join(["'a': 'b'"] * 1100) + " }\n",  # stops at 1,000 problems
        "{ " + ", ".join(["'a': 'b'"] * 1100) + " }\n{ 'x' ",  # and never sees the error
    ],
)
def test_edge_cases_fast_equals_full(text: str) -> None:
    assert_same(Path("edge.json"), text)


def test_a_file_with_an_error_is_handed_over() -> None:
    assert not takes_fast_path(Path("x.json"), "{ 'command': 'x' ")
    assert not takes_fast_path(Path("x.json"), "##\n# @x:\n{ 'command': 'x' }\n")
    assert takes_fast_path(Path("x.json"), "##\n# @x:\n##\n{ 'command': 'x' }\n")


@settings(max_examples=400, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(FRAGMENTS, max_size=40))
def test_random_input_fast_equals_full(pieces: list[str]) -> None:
    assert_same(Path("random.json"), "".join(pieces))


def test_doc_lines_point_at_their_source(corpus: Path) -> None:
    """Every doc line's raw text is its file line, and its text is what
    stands there from its column on (whichever way the builder read it)."""
    for path in sorted((corpus / "qemu-10.2.2").rglob("*.json")):
        module = parse_module(path, path.read_bytes())
        for doc in module.docs:
            for line in doc.lines:
                assert line.raw == module.lines[line.line - 1], (path, line)
                assert line.raw[line.col - 1 :] == line.text, (path, line)


def test_unreadable_lark_internals_leave_the_full_parser(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A lark release that moved its internals turns the fast path off; the
    full parser still reads every file."""

    def moved(grammar: str) -> None:
        raise AttributeError("'LALR_Parser' object has no attribute 'parser'")

    monkeypatch.setattr(fastparse, "cache_folder", lambda: str(tmp_path))
    monkeypatch.setattr(fastparse, "tables_from_lark", moved)
    assert fastparse.fast_parser(BUILDER) is None
    monkeypatch.setattr(parse, "_fast_parser", lambda: None)
    module = parse_module(Path("x.json"), "##\n# @x:\n##\n{ 'command': 'x' }\n")
    assert [d.name for d in module.definitions] == ["x"] and module.problems == []
