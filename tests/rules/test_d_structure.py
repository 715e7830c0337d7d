"""Doc-structure rules (D): a hit, a near miss and the fix, for each."""

from __future__ import annotations

from pathlib import Path

import pytest
from qapilint.rules.d_structure import colonless_descriptions

from qapilint.lint.rule import apply_edits
from qapilint.schema.loader import load_schema
from tests.lint import lint_text
from tests.rules.sd_support import codes_of, fixed

pytest.importorskip("qapilint.syntax.docparse", reason="doc sections need the doc parser")


def command(body: str, expr: str) -> str:
    lines = ["##", "# @do-thing:", "#"]
    lines += [f"# {line}" if line else "#" for line in body.strip("\n").split("\n")]
    return "\n".join([*lines, "##", expr]) + "\n"


RETURNS_THING = "{ 'command': 'do-thing', 'returns': ['Thing'] }"
THING = "##\n# @Thing:\n#\n# A thing.\n#\n# @id: its id\n#\n# Since: 1.0\n##\n"
THING += "{ 'struct': 'Thing', 'data': { 'id': 'str' } }\n\n"


# --------------------------------------------------------------------------
# D001 missing-returns


def test_missing_returns(tmp_path: Path) -> None:
    text = THING + command("Plug the thing in.\n\nSince: 1.0", RETURNS_THING)
    findings = lint_text(tmp_path, text, ("D",))
    assert codes_of(findings) == ["D001"]
    assert findings[0].severity == "info"
    assert "['Thing']" in findings[0].message or "[Thing]" in findings[0].message


def test_missing_returns_near_misses(tmp_path: Path) -> None:
    documented = command("Do the thing.\n\nReturns: the things done\n\nSince: 1.0", RETURNS_THING)
    nothing = command("Do the thing.\n\nSince: 1.0", "{ 'command': 'do-thing' }")
    assert lint_text(tmp_path, THING + documented, ("D",)) == []
    (tmp_path / "b").mkdir()
    assert lint_text(tmp_path / "b", nothing, ("D",)) == []
    says_it = command("Return the things done so far.\n\nSince: 1.0", RETURNS_THING)
    (tmp_path / "c").mkdir()
    assert lint_text(tmp_path / "c", THING + says_it, ("D",)) == []


# --------------------------------------------------------------------------
# D002 errors-not-list


def test_errors_not_list(tmp_path: Path) -> None:
    body = "Do the thing.\n\nErrors: If it fails, GenericError\n\nSince: 1.0"
    findings = lint_text(tmp_path, command(body, "{ 'command': 'do-thing' }"), ("D",))
    assert codes_of(findings) == ["D002"]
    assert findings[0].member == "Errors"


def test_errors_lists_pass(tmp_path: Path) -> None:
    for index, item in enumerate(["- If it fails, GenericError", "* If it fails, X", "1. If"]):
        body = f"Do the thing.\n\nErrors:\n    {item}\n    - If not, Y\n\nSince: 1.0"
        folder = tmp_path / str(index)
        folder.mkdir()
        assert lint_text(folder, command(body, "{ 'command': 'do-thing' }"), ("D",)) == []


# --------------------------------------------------------------------------
# D003 since-not-last

NETDEV_LIKE = """Add a network backend.

Since: 0.14

Errors:
    - If @type is not a valid network backend, DeviceNotFound

.. qmp-example::

    -> { "execute": "do-thing" }
    <- { "return": {} }"""


def test_since_not_last_fix(tmp_path: Path) -> None:
    text = command(NETDEV_LIKE, "{ 'command': 'do-thing' }")
    findings = lint_text(tmp_path, text, ("D",))
    assert codes_of(findings) == ["D003"]
    assert findings[0].span.line == 6
    assert findings[0].fix is not None and findings[0].fix.applicability == "safe"
    result = fixed(text, findings)
    assert "DeviceNotFound\n#\n# Since: 0.14\n#\n# .. qmp-example::" in result
    assert result.count("Since: 0.14") == 1
    (tmp_path / "again").mkdir()
    assert lint_text(tmp_path / "again", result, ("D", "S")) == []


def test_since_last_passes(tmp_path: Path) -> None:
    body = "Add it.\n\nErrors:\n    - If it fails, X\n\nSince: 0.14\n\nTODO: nothing"
    findings = lint_text(tmp_path, command(body, "{ 'command': 'do-thing' }"), ("D",))
    assert codes_of(findings) == ["D003"]  # TODO after Since: still flagged
    body = "Add it.\n\nErrors:\n    - If it fails, X\n\nSince: 0.14\n\nSome closing words."
    (tmp_path / "b").mkdir()
    assert lint_text(tmp_path / "b", command(body, "{ 'command': 'do-thing' }"), ("D",)) == []


# --------------------------------------------------------------------------
# "@name text": the did-you-mean fix the lacks-documentation finding carries


def test_colonless_descriptions(tmp_path: Path) -> None:
    text = (
        "##\n# @Foo:\n#\n# A foo.\n#\n# @bar the bar\n# of the foo\n#\n"
        "# @baz : the baz\n#\n# @qux is not a member name here\n#\n# Since: 1.0\n##\n"
        "{ 'struct': 'Foo', 'data': { 'bar': 'int', 'baz': 'int', 'quux': 'int' } }\n"
    )
    (tmp_path / "schema.json").write_text(text, encoding="utf-8")
    schema = load_schema(tmp_path / "schema.json", tmp_path)
    doc = schema.modules[0].docs[0]
    found = colonless_descriptions(doc, {"bar", "baz", "quux"})
    assert [(item.name, item.span.line) for item in found] == [("bar", 6), ("baz", 9)]
    result = apply_edits(text, [edit for item in found for edit in item.fix.edits])
    assert "# @bar: the bar\n#     of the foo\n" in result
    assert "# @baz: the baz\n" in result


# --------------------------------------------------------------------------
# D004 description-without-colon

FOO = "{ 'struct': 'Foo', 'data': { 'bar': 'int', 'baz': 'int' } }\n"


def foo_doc(members: str) -> str:
    body = "\n".join(f"# {line}" if line else "#" for line in members.split("\n"))
    return f"##\n# @Foo:\n#\n# A foo.\n#\n{body}\n#\n# Since: 1.0\n##\n{FOO}"


def test_undocumented_member_carries_the_colon_fix(tmp_path: Path) -> None:
    # not excused: QEMU's lacks-documentation finding (Q203) carries the
    # did-you-mean and its fix; D004 stays quiet (one defect, one finding)
    text = foo_doc("@bar the number of bars\nin the foo\n\n@baz : the baz")
    assert lint_text(tmp_path, text, ("D",)) == []
    (tmp_path / "q").mkdir()
    findings = [f for f in lint_text(tmp_path / "q", text, ("Q203",)) if f.code == "Q203"]
    assert [(f.code, f.member) for f in findings] == [("Q203", "bar"), ("Q203", "baz")]
    assert "did you mean '@bar:' at line 6?" in findings[0].message
    assert all(f.fix is not None and f.fix.applicability == "safe" for f in findings)
    result = fixed(text, findings)
    assert "# @bar: the number of bars\n#     in the foo\n" in result
    (tmp_path / "again").mkdir()
    assert lint_text(tmp_path / "again", result, ("D", "Q2")) == []


def test_description_without_colon_also_when_excused(tmp_path: Path) -> None:
    pragma = "{ 'pragma': { 'documentation-exceptions': [ 'Foo' ] } }\n"
    text = pragma + foo_doc("@bar the number of bars\n\n@baz: the baz")
    assert codes_of(lint_text(tmp_path, text, ("D",))) == ["D004"]


def test_description_without_colon_on_trees_before_9_0(tmp_path: Path) -> None:
    """Before 9.0 Q203 does not run (QEMU printed "Not documented"), so D004
    reports every colonless description; before 8.1 its fix lines the
    continuation up with the text, as that parser requires."""
    from qapilint.syntax.docparse import aligned_indent_errors  # noqa: PLC0415

    text = foo_doc("@bar the number of bars\nin the foo\n\n@baz: the baz")
    (found,) = lint_text(tmp_path, text, ("D", "Q"), version="7.2.0")
    assert found.code == "D004" and found.fix is not None
    assert found.fix.applicability == "safe"
    fixed = apply_edits(text, found.fix.edits)
    assert "# @bar: the number of bars\n#       in the foo\n" in fixed
    texts = [line[2:] for line in fixed.split("\n")[1:13] if line.startswith("# ")]
    assert aligned_indent_errors(["@Foo:", *texts]) == []
    (tmp_path / "fixed").mkdir()
    assert lint_text(tmp_path / "fixed", fixed, ("D", "Q"), version="7.2.0") == []
    (tmp_path / "81").mkdir()
    (newer,) = lint_text(tmp_path / "81", text, ("D",), version="8.2.0")
    assert newer.fix is not None
    assert "#     in the foo" in apply_edits(text, newer.fix.edits)


def test_description_without_colon_near_misses(tmp_path: Path) -> None:
    # "@bar is ..." about a documented member; undocumented @baz mid-paragraph
    text = foo_doc("@bar: the bar\n\n@bar is a count.  The rest is in\n@baz for now.")
    assert lint_text(tmp_path, text, ("D",)) == []


# --------------------------------------------------------------------------
# The real corpus: QEMU 10.2.2's five roots


def test_corpus_structure(corpus: Path) -> None:
    from qapilint.lint.engine import load_rules  # noqa: PLC0415
    from tests.precision import corpus_findings  # noqa: PLC0415

    codes = [found.code for found in load_rules() if found.code.startswith("D")]
    findings = corpus_findings(codes, corpus)
    by_code = {(f.code, f.symbol) for f in findings if f.code != "D001"}
    assert by_code == {("D003", "netdev_add")}  # all 59 Errors: sections are lists
    assert len([f for f in findings if f.code == "D001"]) == 7


def test_description_without_colon_fix_that_would_overflow_is_a_suggestion(
    tmp_path: Path,
) -> None:
    long_line = "and then some words that fill this line up to the limit of QEMU!!"
    assert len(f"# {long_line}") <= 70 < len(f"#     {long_line}")
    pragma = "{ 'pragma': { 'documentation-exceptions': [ 'Foo' ] } }\n"
    text = pragma + foo_doc(f"@bar the number of bars\n{long_line}\n\n@baz: the baz")
    (finding,) = lint_text(tmp_path, text, ("D",))
    assert finding.fix is not None and finding.fix.applicability == "suggestion"
