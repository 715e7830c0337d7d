"""Q2xx: QEMU's schema-stage doc checks, one test per row of the table
"Where a description belongs" in QAPI-NOTES.md, plus the other checks."""

from __future__ import annotations

from pathlib import Path

import pytest

from qapilint.lint.rule import Finding, apply_edits
from tests.lint import codes, lint_text

pytest.importorskip("qapilint.syntax.docparse", reason="waits for the doc parser")

SELECT = ("Q2",)


def lint(tmp_path: Path, text: str) -> list[Finding]:
    return [f for f in lint_text(tmp_path, text, select=SELECT) if f.code != "Q211"]


def only(findings: list[Finding], code: str) -> Finding:
    assert [f.code for f in findings] == [code], [(f.code, f.message) for f in findings]
    return findings[0]


KIND = """\
##
# @Kind:
#
# @one: first
#
# @two: second
##
{ 'enum': 'Kind', 'data': [ 'one', 'two' ] }

"""

ONE = """\
##
# @One:
#
# @x: an x
##
{ 'struct': 'One', 'data': { 'x': 'int' } }

"""


# --------------------------------------------------------------------------
# Struct and union members, inline union base


def test_struct_members_documented(tmp_path: Path) -> None:
    assert lint(tmp_path, ONE) == []


def test_struct_member_missing(tmp_path: Path) -> None:
    text = "##\n# @One:\n#\n# @x: an x\n##\n"
    text += "{ 'struct': 'One',\n  'data': { 'x': 'int', '*y': 'str' } }\n"
    finding = only(lint(tmp_path, text), "Q203")
    assert finding.message == "member 'y' of struct 'One' lacks documentation"
    assert (finding.span.line, finding.span.col) == (7, 27)  # the name, past "'*"
    assert finding.anchor_line == 6  # QEMU reports the expression's first line
    assert finding.severity == "error" and finding.member == "y" and finding.symbol == "One"


def test_documentation_exceptions_excuse_members_only(tmp_path: Path) -> None:
    text = (
        "{ 'pragma': { 'documentation-exceptions': [ 'One' ] } }\n"
        "##\n# @One:\n##\n"
        "{ 'struct': 'One', 'data': { 'x': 'int' }, 'features': [ 'fast' ] }\n"
    )
    finding = only(lint(tmp_path, text), "Q204")
    assert "feature 'fast'" in finding.message


def test_documentation_exceptions_do_not_excuse_nonexistent(tmp_path: Path) -> None:
    text = (
        "{ 'pragma': { 'documentation-exceptions': [ 'One' ] } }\n"
        "##\n# @One:\n#\n# @bogus: nothing\n##\n"
        "{ 'struct': 'One', 'data': { 'x': 'int' } }\n"
    )
    only(lint(tmp_path, text), "Q205")


def test_inline_union_base_documented(tmp_path: Path) -> None:
    text = (
        KIND + ONE + "##\n# @Uni:\n#\n# @type: the kind\n#\n# @common: shared\n##\n"
        "{ 'union': 'Uni', 'base': { 'type': 'Kind', 'common': 'int' },\n"
        "  'discriminator': 'type', 'data': { 'one': 'One' } }\n"
    )
    assert lint(tmp_path, text) == []


def test_inline_union_base_member_missing(tmp_path: Path) -> None:
    text = (
        KIND + ONE + "##\n# @Uni:\n#\n# @type: the kind\n##\n"
        "{ 'union': 'Uni', 'base': { 'type': 'Kind', 'common': 'int' },\n"
        "  'discriminator': 'type', 'data': { 'one': 'One' } }\n"
    )
    finding = only(lint(tmp_path, text), "Q203")
    assert finding.message == "member 'common' of union 'Uni' lacks documentation"


# --------------------------------------------------------------------------
# Named bases


NAMED_BASE = """\
##
# @Base:
#
# @a: an a
##
{ 'struct': 'Base', 'data': { 'a': 'int' } }

##
# @Derived:
#
# @b: a b
##
{ 'struct': 'Derived', 'base': 'Base', 'data': { 'b': 'int' } }
"""


def test_named_base_members_in_base(tmp_path: Path) -> None:
    assert lint(tmp_path, NAMED_BASE) == []


def test_named_base_member_described_in_derived(tmp_path: Path) -> None:
    text = NAMED_BASE.replace("# @b: a b\n", "# @a: an a\n#\n# @b: a b\n")
    finding = only(lint(tmp_path, text), "Q205")
    assert finding.span.line == 11  # at the @a: tag, like QEMU
    assert finding.message == (
        "documented member 'a' does not exist in struct 'Derived'; it is a member of "
        "'Base', the base type of 'Derived': describe it in the doc of 'Base'"
    )


# --------------------------------------------------------------------------
# Union branches


def union(doc_lines: str) -> str:
    return (
        KIND
        + ONE
        + "##\n# @Uni:\n#\n# @type: the kind\n"
        + doc_lines
        + "##\n{ 'union': 'Uni', 'base': { 'type': 'Kind' },\n"
        "  'discriminator': 'type', 'data': { 'one': 'One' } }\n"
    )


def test_union_branch_names_documented_nowhere(tmp_path: Path) -> None:
    assert lint(tmp_path, union("")) == []


def test_union_branch_name_described(tmp_path: Path) -> None:
    finding = only(lint(tmp_path, union("#\n# @one: the first branch\n")), "Q205")
    assert "'one' is a branch of the union" in finding.message
    assert "values of enum 'Kind'" in finding.message
    assert "members in 'One'" in finding.message


def test_union_branch_member_described_in_union(tmp_path: Path) -> None:
    finding = only(lint(tmp_path, union("#\n# @x: an x\n")), "Q205")
    assert "it is a member of 'One', the type of branch 'one' of 'Uni'" in finding.message


# --------------------------------------------------------------------------
# Alternates


ALTERNATE = (
    ONE
    + "##\n# @Alt:\n#\n# @n: a number\n#MORE##\n"
    + "{ 'alternate': 'Alt', 'data': { 'n': 'int', 'o': 'One' } }\n"
)


def test_alternate_branches_documented(tmp_path: Path) -> None:
    assert lint(tmp_path, ALTERNATE.replace("#MORE", "#\n# @o: an object\n")) == []


def test_alternate_branch_missing(tmp_path: Path) -> None:
    finding = only(lint(tmp_path, ALTERNATE.replace("#MORE", "")), "Q203")
    assert finding.message == "branch 'o' of alternate 'Alt' lacks documentation"


# --------------------------------------------------------------------------
# Command and event arguments


def test_command_dict_arguments_documented(tmp_path: Path) -> None:
    text = (
        "##\n# @go:\n#\n# @speed: how fast\n##\n{ 'command': 'go', 'data': { 'speed': 'int' } }\n"
    )
    assert lint(tmp_path, text) == []


@pytest.mark.parametrize("kind", ["command", "event"])
def test_dict_argument_missing(tmp_path: Path, kind: str) -> None:
    name = "go" if kind == "command" else "GO"
    text = f"##\n# @{name}:\n##\n{{ '{kind}': '{name}', 'data': {{ 'speed': 'int' }} }}\n"
    finding = only(lint(tmp_path, text), "Q203")
    assert finding.message == f"argument 'speed' of {kind} '{name}' lacks documentation"


@pytest.mark.parametrize("boxed", ["", ", 'boxed': true"])
def test_named_argument_type_documented_in_type(tmp_path: Path, boxed: str) -> None:
    text = ONE + f"##\n# @go:\n##\n{{ 'command': 'go', 'data': 'One'{boxed} }}\n"
    assert lint(tmp_path, text) == []


@pytest.mark.parametrize("boxed", ["", ", 'boxed': true"])
def test_named_argument_described_in_command(tmp_path: Path, boxed: str) -> None:
    text = ONE + f"##\n# @go:\n#\n# @x: an x\n##\n{{ 'command': 'go', 'data': 'One'{boxed} }}\n"
    finding = only(lint(tmp_path, text), "Q205")
    assert "it is a member of 'One', the argument type of 'go'" in finding.message


def test_return_type_member_described_in_command(tmp_path: Path) -> None:
    text = (
        ONE
        + "##\n# @go:\n#\n# @x: an x\n#\n# Returns: it\n##\n{ 'command': 'go', 'returns': 'One' }\n"
    )
    finding = only(lint(tmp_path, text), "Q205")
    assert "it is a member of 'One', the return type of 'go'" in finding.message


# --------------------------------------------------------------------------
# Enum values


def test_enum_values_documented(tmp_path: Path) -> None:
    assert lint(tmp_path, KIND) == []


def test_enum_value_missing(tmp_path: Path) -> None:
    text = KIND.replace("#\n# @two: second\n", "")
    finding = only(lint(tmp_path, text), "Q203")
    assert finding.message == "value 'two' of enum 'Kind' lacks documentation"
    assert finding.span.line == 6 and finding.anchor_line is None


def test_enum_value_nonexistent(tmp_path: Path) -> None:
    text = KIND.replace("# @two: second\n", "# @two: second\n#\n# @three: third\n")
    finding = only(lint(tmp_path, text), "Q205")
    assert finding.message.startswith("documented value 'three' does not exist in enum 'Kind'")


# --------------------------------------------------------------------------
# Features: of the definition, of its members, of its enum values


FEATURES = """\
##
# @Color:
#
# @red: red
#
# @green: green
#
# Features:
#
# @top: a feature of the enum
#
# @old: a feature of a value
##
{ 'enum': 'Color', 'features': [ 'top' ],
  'data': [ 'red', { 'name': 'green', 'features': [ 'old' ] } ] }
"""


def test_features_documented(tmp_path: Path) -> None:
    assert lint(tmp_path, FEATURES) == []


def test_value_feature_missing(tmp_path: Path) -> None:
    text = FEATURES.replace("#\n# @old: a feature of a value\n", "")
    finding = only(lint(tmp_path, text), "Q204")
    assert finding.message == "feature 'old' of enum 'Color' lacks documentation"
    assert finding.span.line == 13 and finding.anchor_line == 12


def test_member_feature_missing(tmp_path: Path) -> None:
    text = (
        "##\n# @One:\n#\n# @x: an x\n##\n"
        "{ 'struct': 'One', 'data': { 'x': { 'type': 'int', 'features': [ 'unstable' ] } } }\n"
    )
    finding = only(lint(tmp_path, text), "Q204")
    assert "feature 'unstable'" in finding.message


def test_base_member_feature_described_in_derived(tmp_path: Path) -> None:
    text = (
        "##\n# @Base:\n#\n# @a: an a\n#\n# Features:\n#\n# @fa: feature of a\n##\n"
        "{ 'struct': 'Base', 'data': { 'a': { 'type': 'int', 'features': [ 'fa' ] } } }\n"
        "##\n# @Derived:\n#\n# Features:\n#\n# @fa: misplaced\n##\n"
        "{ 'struct': 'Derived', 'base': 'Base', 'data': {} }\n"
    )
    finding = only(lint(tmp_path, text), "Q206")
    assert "it is a feature of 'Base', the base type of 'Derived'" in finding.message


def test_nonexistent_feature_did_you_mean_fix(tmp_path: Path) -> None:
    text = (
        "##\n# @go:\n#\n# Features:\n#\n# @depreciated: old\n##\n"
        "{ 'command': 'go', 'features': [ 'deprecated' ] }\n"
    )
    findings = lint(tmp_path, text)
    assert codes(findings) == [(6, "Q206"), (8, "Q204")]
    nonexistent = findings[0]
    assert "did you mean 'deprecated'?" in nonexistent.message
    assert nonexistent.fix is not None and nonexistent.fix.applicability == "suggestion"
    fixed = apply_edits(text, nonexistent.fix.edits)
    assert "# @deprecated: old" in fixed
    assert lint(tmp_path, fixed) == []


def test_member_documented_as_feature(tmp_path: Path) -> None:
    text = "##\n# @One:\n#\n# @x: an x\n#\n# Features:\n#\n# @x: misplaced\n##\n" + (
        "{ 'struct': 'One', 'data': { 'x': 'int' } }\n"
    )
    finding = only(lint(tmp_path, text), "Q206")
    assert "'x' is a member: describe it above 'Features:'" in finding.message


def test_nonexistent_member_did_you_mean_fix(tmp_path: Path) -> None:
    text = "##\n# @One:\n#\n# @pth: the path\n##\n{ 'struct': 'One', 'data': { 'path': 'str' } }\n"
    findings = lint(tmp_path, text)
    assert codes(findings) == [(4, "Q205"), (6, "Q203")]
    assert "did you mean 'path'?" in findings[0].message
    fix = findings[0].fix
    assert fix is not None
    fixed = apply_edits(text, fix.edits)
    assert "# @path: the path" in fixed
    assert lint(tmp_path, fixed) == []


def test_space_before_the_colon_is_one_finding(tmp_path: Path) -> None:
    """QEMU reads "@path : the path" as a description of a member "path "
    that does not exist; the defect is reported once, by Q203, with the fix."""
    text = (
        "##\n# @One:\n#\n# @path : the path\n##\n{ 'struct': 'One', 'data': { 'path': 'str' } }\n"
    )
    findings = [f for f in lint(tmp_path, text) if f.code.startswith("Q")]
    assert codes(findings) == [(6, "Q203")]
    assert "did you mean '@path:' at line 4?" in findings[0].message
    assert findings[0].fix is not None
    fixed = apply_edits(text, findings[0].fix.edits)
    assert "# @path: the path" in fixed
    assert not [f for f in lint(tmp_path, fixed) if f.code.startswith("Q")]


def test_no_did_you_mean_when_nothing_is_close(tmp_path: Path) -> None:
    text = "##\n# @One:\n#\n# @zzz: what\n##\n{ 'struct': 'One', 'data': { 'path': 'str' } }\n"
    finding = lint(tmp_path, text)[0]
    assert finding.code == "Q205" and finding.fix is None and "did you mean" not in finding.message


# --------------------------------------------------------------------------
# Doc blocks: required, for another definition


def test_doc_required(tmp_path: Path) -> None:
    text = "{ 'pragma': { 'doc-required': true } }\n\n{ 'command': 'undocumented' }\n"
    finding = only(lint(tmp_path, text), "Q201")
    assert finding.span.line == 3


def test_doc_required_pragma_after_definition(tmp_path: Path) -> None:
    text = "{ 'command': 'undocumented' }\n{ 'pragma': { 'doc-required': true } }\n"
    only(lint(tmp_path, text), "Q201")


def test_doc_not_required(tmp_path: Path) -> None:
    assert lint(tmp_path, "{ 'command': 'undocumented', 'data': { 'a': 'int' } }\n") == []


def test_doc_for_another_definition_with_fix(tmp_path: Path) -> None:
    text = "##\n# @food:\n##\n{ 'command': 'foo', 'data': { 'a': 'int' } }\n"
    finding = only(lint(tmp_path, text), "Q202")
    assert finding.span.line == 2 and finding.anchor_line == 4
    assert finding.fix is not None
    fixed = apply_edits(text, finding.fix.edits)
    assert fixed.startswith("##\n# @foo:\n")
    assert codes(lint(tmp_path, fixed)) == [(4, "Q203")]


# --------------------------------------------------------------------------
# Returns and Errors


def test_returns_on_event(tmp_path: Path) -> None:
    text = "##\n# @FOO:\n#\n# Returns: blah\n##\n{ 'event': 'FOO' }\n"
    finding = only(lint(tmp_path, text), "Q207")
    assert finding.span.line == 4


def test_returns_without_return_value(tmp_path: Path) -> None:
    text = "##\n# @foo:\n#\n# Returns: blah\n##\n{ 'command': 'foo' }\n"
    finding = only(lint(tmp_path, text), "Q208")
    assert finding.span.line == 4


def test_returns_on_command_returning_something(tmp_path: Path) -> None:
    text = ONE + "##\n# @foo:\n#\n# Returns: blah\n##\n{ 'command': 'foo', 'returns': 'One' }\n"
    assert lint(tmp_path, text) == []


def test_errors_on_struct(tmp_path: Path) -> None:
    text = ONE.replace("# @x: an x\n", "# @x: an x\n#\n# Errors:\n#     - never\n")
    finding = only(lint(tmp_path, text), "Q209")
    assert finding.span.line == 6


def test_errors_on_command(tmp_path: Path) -> None:
    text = (
        "##\n# @foo:\n#\n# Errors:\n#     - If it fails, GenericError\n##\n{ 'command': 'foo' }\n"
    )
    assert lint(tmp_path, text) == []


# --------------------------------------------------------------------------
# Unknown types


def test_unknown_base(tmp_path: Path) -> None:
    text = "##\n# @Derived:\n##\n{ 'struct': 'Derived', 'base': 'Nope', 'data': {} }\n"
    finding = only(lint(tmp_path, text), "Q210")
    assert finding.message == "'base' uses unknown type 'Nope'"


def test_known_types_quiet(tmp_path: Path) -> None:
    text = ONE + "##\n# @Two:\n#\n# @q: q\n##\n{ 'struct': 'Two', 'data': { 'q': ['QType'] } }\n"
    assert lint(tmp_path, text) == []


# --------------------------------------------------------------------------
# Excused members (preview, info)


def test_excused_undocumented_lists_members(tmp_path: Path) -> None:
    text = (
        "{ 'pragma': { 'documentation-exceptions': [ 'Color', 'Shape' ] } }\n"
        "##\n# @Color:\n#\n# @red: red\n##\n"
        "{ 'enum': 'Color', 'data': [ 'red', 'green', 'blue' ] }\n"
        "##\n# @Shape:\n#\n# @round: round\n##\n{ 'enum': 'Shape', 'data': [ 'round' ] }\n"
    )
    findings = lint_text(tmp_path, text, select=("Q211",))
    finding = only(findings, "Q211")
    assert finding.severity == "info"
    assert finding.message == (
        "enum 'Color' is in 'documentation-exceptions' and still lacks 2 descriptions: "
        "'green', 'blue'"
    )


def test_excused_and_fully_documented_is_quiet(tmp_path: Path) -> None:
    text = (
        "{ 'pragma': { 'documentation-exceptions': [ 'Color' ] } }\n"
        "##\n# @Color:\n#\n# @red: red\n##\n{ 'enum': 'Color', 'data': [ 'red' ] }\n"
    )
    assert [f.code for f in lint_text(tmp_path, text, select=("Q211",))] == []


# --------------------------------------------------------------------------
# Stale exceptions (preview, info, safe fix)


STALE = """\
{ 'pragma': { 'documentation-exceptions': [
    'Gone',
    'Color',
    'Shape' ] } }
##
# @Color:
#
# @red: red
##
{ 'enum': 'Color', 'data': [ 'red' ] }
##
# @Shape:
##
{ 'enum': 'Shape', 'data': [ 'round' ] }
"""


def test_stale_documentation_exceptions(tmp_path: Path) -> None:
    findings = lint_text(tmp_path, STALE, select=("Q212",))
    assert [(f.span.line, f.message) for f in findings] == [
        (2, "'Gone' in 'documentation-exceptions' names no definition"),
        (
            3,
            "'Color' in 'documentation-exceptions' excuses nothing: "
            "every member of enum 'Color' is described",
        ),
    ]
    edits = [edit for f in findings if f.fix for edit in f.fix.edits]
    fixed = apply_edits(STALE, edits)
    assert fixed.startswith("{ 'pragma': { 'documentation-exceptions': [\n    'Shape' ] } }\n")
    assert lint_text(tmp_path, fixed, select=("Q212",)) == []
    assert codes(lint(tmp_path, fixed)) == []  # Shape stays excused


def test_missing_definition_in_borrowed_pragma_module_is_not_judged(tmp_path: Path) -> None:
    from tests.lint import lint_files  # noqa: PLC0415

    files = {
        "daemon/schema.json": "{ 'include': '../qapi/pragma.json' }\n",
        "qapi/pragma.json": "{ 'pragma': { 'documentation-exceptions': [ 'Elsewhere' ] } }\n",
    }
    assert lint_files(tmp_path, files, select=("Q212",), root="daemon/schema.json") == []
    files["qapi/schema.json"] = "{ 'include': 'pragma.json' }\n"
    found = lint_files(tmp_path, files, select=("Q212",), root="qapi/schema.json")
    assert [f.symbol for f in found] == ["Elsewhere"]


# --------------------------------------------------------------------------
# The real corpus


def corpus_findings(corpus: Path, root: str, select: str) -> list[Finding]:
    from qapilint.lint.engine import load_rules, run_rules  # noqa: PLC0415
    from qapilint.schema.loader import load_schema  # noqa: PLC0415
    from qapilint.schema.tree import read_tree  # noqa: PLC0415

    top = corpus / "qemu-10.2.2"
    schema = load_schema(top / root, top)
    rules = [rule for rule in load_rules() if rule.code == select]
    return run_rules(rules, schema, read_tree(top))


def test_corpus_excused_definitions(corpus: Path) -> None:
    # QEMU's list has 44 names; 'StringWrapper' names no definition any more
    qemu = corpus_findings(corpus, "qapi/qapi-schema.json", "Q211")
    assert len(qemu) == 43
    assert all(f.severity == "info" and "still lacks" in f.message for f in qemu)
    assert len(corpus_findings(corpus, "qga/qapi-schema.json", "Q211")) == 1
    stale = corpus_findings(corpus, "qapi/qapi-schema.json", "Q212")
    assert [(f.path.name if f.path else None, f.symbol) for f in stale] == [
        ("pragma.json", "StringWrapper")
    ]
    # the storage daemon shares pragma.json but includes fewer modules
    assert corpus_findings(corpus, "storage-daemon/qapi/qapi-schema.json", "Q212") == []


def test_doc_required_after_free_form_doc_left_to_the_parser(tmp_path: Path) -> None:
    text = (
        "{ 'pragma': { 'doc-required': true } }\n"
        "##\n# Just some text.\n##\n{ 'command': 'undocumented' }\n"
    )
    findings = lint_text(tmp_path, text, select=("Q",))
    assert [f.code for f in findings if f.code.startswith("Q2")] == []
    assert any(f.code.startswith("Q1") for f in findings)  # "definition documentation required"


@pytest.mark.parametrize(
    ("version", "want"),
    [
        # before 9.0 an undescribed member builds ("Not documented") and
        # "Returns: nothing" was common style; 9.0 grandfathered the
        # undocumented members it had: neither is checked there
        ("8.2.0", []),
        ("7.2.0", []),
        ("9.0.0", [("Q208", "error"), ("Q203", "error")]),
    ],
)
def test_member_docs_required_since_9_0(
    tmp_path: Path, version: str, want: list[tuple[str, str]]
) -> None:
    text = "##\n# @foo:\n#\n# Returns: x\n##\n{ 'command': 'foo', 'data': { 'a': 'int' } }\n"
    findings = lint_text(tmp_path, text, select=SELECT, version=version)
    assert [(f.code, f.severity) for f in findings] == want
