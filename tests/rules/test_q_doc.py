"""Doc block rules (Q140-Q152) and QEMU 10.2's two line checks (Q181,
Q182): a hit and a near miss for each, and one test per bullet of the
line-check contract in ``corpus/README.md``."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from qapilint.lint.engine import load_rules, run_rules, sort_key
from qapilint.lint.rule import Finding, apply_edits
from qapilint.schema.loader import load_schema
from qapilint.schema.tree import read_tree
from tests.lint import lint_text


def schema(*body: str, name: str = "foo", expr: str | None = None) -> str:
    """A doc block for command ``name`` (``body`` lines without "# "),
    followed by the command."""
    lines = ["##", f"# @{name}:", "#"]
    lines += [f"# {line}" if line else "#" for line in body]
    lines += ["##", expr or f"{{ 'command': '{name}', 'data': {{ 'a': 'int' }} }}"]
    return "\n".join(lines) + "\n"


def lint(
    tmp_path: Path,
    text: str,
    select: str = "Q1",
    version: str | None = None,
    settings: dict[str, Any] | None = None,
) -> list[Finding]:
    if settings is None:
        return lint_text(tmp_path, text, (select,), version)
    (tmp_path / "schema.json").write_text(text, encoding="utf-8")
    tree = read_tree(tmp_path)
    tree.settings.update(settings)
    rules = [found for found in load_rules() if found.code.startswith(select)]
    return sorted(
        run_rules(rules, load_schema(tmp_path / "schema.json", tmp_path), tree), key=sort_key
    )


def where(findings: list[Finding]) -> list[tuple[str, int, int]]:
    return [(f.code, f.span.line, f.span.col) for f in findings]


# --------------------------------------------------------------------------
# Q140-Q152: one problem kind each, a hit and a near miss

CASES = [
    # code, bad doc lines (after "##"), good doc lines, line of the hit
    ("Q140", ["# @foo"], ["# @foo:"], 2),
    ("Q141", ["# @:"], ["# @foo:"], 2),
    ("Q142", ["# @foo:", "#", "# @a: one", "#   two", "# three"], None, 6),
    (
        "Q143",
        ["# @foo:", "#", "# Features:", "# @f: x", "#", "# Features:", "# @g: y"],
        ["# @foo:", "#", "# Features:", "# @f: x", "# @g: y"],
        7,
    ),
    ("Q144", ["# @foo:", "#", "# Features:", "#", "# text"], ["# @foo:", "#", "# text"], 6),
    (
        "Q145",
        ["# @foo:", "#", "# @a: x", "#", "# Since: 1.0", "#", "# Since: 2.0"],
        ["# @foo:", "#", "# @a: x", "#", "# Since: 1.0", "#", "# TODO: 2.0"],
        8,
    ),
    (
        "Q146",
        ["# @foo:", "#", "# @a: x", "#", "# Since:"],
        ["# @foo:", "#", "# @a: x", "#", "# Since: 1.0"],
        6,
    ),
    (
        "Q147",
        ["# @foo:", "#", "# Since: 1.0", "#", "# @a: x"],
        ["# @foo:", "#", "# @a: x", "#", "# Since: 1.0"],
        6,
    ),
    ("Q148", ["# @foo:", "#", "# @a: x", "# @a: y"], ["# @foo:", "#", "# @a: x"], 5),
    ("Q149", ["# @foo:", "#", "# @a: x", "# @: y"], ["# @foo:", "#", "# @a: x", "# @ y"], 5),
    ("Q151", ["# @foo:", "#", "# @a: x", "#", "# Note: x"], None, 6),
    ("Q152", ["# @foo:", "#", "# @a: x", "#", "# Example:", "#", "#   x"], None, 6),
]
GOOD_DEFAULT = ["# @foo:", "#", "# @a: one", "#     two", "#", "# .. note:: x", "#", "# Example::"]


@pytest.mark.parametrize(("code", "bad", "good", "line"), CASES, ids=[c[0] for c in CASES])
def test_doc_problem_rules(
    tmp_path: Path, code: str, bad: list[str], good: list[str] | None, line: int
) -> None:
    expr = "{ 'command': 'foo', 'data': { 'a': 'int' }, 'features': [ 'f', 'g' ] }"
    hit = lint(tmp_path / "bad", "\n".join(["##", *bad, "##", expr, ""]), code)
    assert [(f.code, f.span.line, f.severity) for f in hit] == [(code, line, "error")]
    quiet = lint(
        tmp_path / "good", "\n".join(["##", *(good or GOOD_DEFAULT), "##", expr, ""]), "Q1"
    )
    assert quiet == []


def test_q150_free_form_description(tmp_path: Path) -> None:
    hit = lint(tmp_path / "bad", "##\n# Some text.\n# @a: x\n##\n", "Q150")
    assert where(hit) == [("Q150", 3, 1)]
    assert lint(tmp_path / "good", "##\n# Some text\n# with @a: in it.\n##\n", "Q1") == []


def test_old_sections_are_not_checked_before_9_1(tmp_path: Path) -> None:
    """Before 9.1, ``Note:`` and ``Example:`` are the documented forms (and
    ``.. qmp-example::`` does not exist): nothing to report."""
    text = schema("@a: x", "", "Note: y", "", "Example:", "", "   -> { }")
    assert lint(tmp_path / "old", text, "Q15", version="9.0.0") == []
    assert lint(tmp_path / "older", text, "Q15", version="7.2.0") == []
    new = lint(tmp_path / "new", text, "Q15", version="9.1.0")
    assert [(f.code, f.severity) for f in new] == [("Q151", "error"), ("Q152", "error")]


def test_model_survives_errors(tmp_path: Path) -> None:
    """A block with an error still reaches doc rules with its sections."""
    text = schema("@a: x", "@a: y", "", "Since: 1.0. Later")
    found = lint(tmp_path, text, "Q1")
    assert [f.code for f in found] == ["Q148", "Q182"]


# --------------------------------------------------------------------------
# Q181 doc-line-too-long: the contract's bullets

W69 = "x" * 69  # with "# " that is 71 columns
W68 = "x" * 68  # 70 columns


class TestLineLength:
    def test_scope_lines_between_delimiters(self, tmp_path: Path) -> None:
        found = lint(tmp_path, schema(W69), "Q181")
        assert where(found) == [("Q181", 4, 1)]
        assert found[0].message == "documentation line longer than 70 characters (71)"

    def test_scope_not_comments_outside_blocks(self, tmp_path: Path) -> None:
        text = f"# {W69}\n# One. Two\n" + schema("ok")
        assert lint(tmp_path, text, "Q18") == []

    def test_scope_not_json_lines(self, tmp_path: Path) -> None:
        expr = "{ 'command': 'foo', 'data': { 'a': 'int' } }" + " " * 40 + "# One. Two"
        assert lint(tmp_path, schema("ok", expr=expr), "Q18") == []

    def test_scope_symbol_line_counts(self, tmp_path: Path) -> None:
        name = "x" * 68  # "# @" + name + ":" is 72 columns
        expr = f"{{ 'command': '{name}' }}"
        found = lint(tmp_path, schema("ok", name=name, expr=expr), "Q181")
        assert where(found) == [("Q181", 2, 1)]

    def test_one_paragraph_one_rewrap(self, tmp_path: Path) -> None:
        """Two long lines of one paragraph: one finding each, one rewrap,
        shown with the first; a long line of another paragraph has its own."""
        words = " ".join(["word"] * 15)  # 74 columns with "# "
        text = schema("@a: " + words, "    " + words, "", words)
        found = lint(tmp_path, text, "Q181")
        assert [f.span.line for f in found] == [4, 5, 7]
        assert [f.fix is not None for f in found] == [True, False, True]
        first, _second, other = found
        assert first.fix is not None and other.fix is not None
        fixed = apply_edits(text, [*first.fix.edits, *other.fix.edits])
        assert lint(tmp_path / "fixed", fixed, "Q181") == []

    def test_length_exactly_70_is_fine(self, tmp_path: Path) -> None:
        assert lint(tmp_path, schema(W68), "Q181") == []

    def test_length_ignores_trailing_whitespace(self, tmp_path: Path) -> None:
        assert lint(tmp_path, schema(W68 + "      "), "Q181") == []

    def test_length_counts_code_points(self, tmp_path: Path) -> None:
        assert lint(tmp_path / "a", schema("é" * 68), "Q181") == []
        assert len(lint(tmp_path / "b", schema("é" * 69), "Q181")) == 1

    def test_length_counts_tab_as_one(self, tmp_path: Path) -> None:
        assert lint(tmp_path / "a", schema("\t" + "x" * 67), "Q181") == []
        assert len(lint(tmp_path / "b", schema("\t" + "x" * 68), "Q181")) == 1

    def test_length_reported_at_column_1(self, tmp_path: Path) -> None:
        found = lint(tmp_path, schema("@a: " + "y" * 70), "Q181")
        assert [(f.span.line, f.span.col, f.span.end_col) for f in found] == [(4, 1, 77)]

    def test_url_alone_is_exempt(self, tmp_path: Path) -> None:
        url = "https://example.com/" + "a" * 60
        text = schema(
            url, "    " + url, "ftp://example.com/" + "b" * 60, "http://x.org/" + "c" * 60
        )
        assert lint(tmp_path, text, "Q181") == []

    def test_url_with_text_is_not_exempt(self, tmp_path: Path) -> None:
        url = "https://example.com/" + "a" * 60
        found = lint(tmp_path, schema("See: " + url, url + " trailing"), "Q181")
        assert [f.span.line for f in found] == [4, 5]

    def test_line_length_setting_lowers_the_limit(self, tmp_path: Path) -> None:
        found = lint(tmp_path, schema("x" * 59), "Q181", settings={"line-length": 60})
        assert [f.message for f in found] == ["documentation line longer than 60 characters (61)"]

    def test_line_length_setting_cannot_raise_the_limit(self, tmp_path: Path) -> None:
        assert len(lint(tmp_path, schema(W69), "Q181", settings={"line-length": 100})) == 1


# --------------------------------------------------------------------------
# Q182 sentence-spacing


class TestSentenceSpacing:
    @pytest.mark.parametrize(
        "text", ["One. Two", "One! Two", "One? Two", "One. 2 more", "One. (Two)"]
    )
    def test_single_space_after_sentence_end(self, tmp_path: Path, text: str) -> None:
        found = lint(tmp_path, schema(text), "Q182")
        assert where(found) == [("Q182", 4, 7)]  # the column of the single space

    @pytest.mark.parametrize(
        "text",
        [
            "One.  Two",
            "One. two",
            "One.Two",
            "3.5 GiB",
            "e.g. Foo",
            "(e.g. Foo)",
            "1. Foo",
            "  2. Bar",
        ],
    )
    def test_near_misses(self, tmp_path: Path, text: str) -> None:
        assert lint(tmp_path, schema(text), "Q182") == []

    @pytest.mark.parametrize("text", ["i.e. Foo", "etc. The", "vs. X", "E.g. Foo", "10. Foo"])
    def test_abbreviations_are_errors(self, tmp_path: Path, text: str) -> None:
        assert len(lint(tmp_path, schema(text), "Q182")) == 1

    def test_list_number_only_at_line_start(self, tmp_path: Path) -> None:
        found = lint(tmp_path, schema("Step 1. Foo"), "Q182")
        assert where(found) == [("Q182", 4, 10)]

    def test_every_occurrence(self, tmp_path: Path) -> None:
        found = lint(tmp_path, schema("A. B. C", "@a: x. Y"), "Q182")
        assert where(found) == [("Q182", 4, 5), ("Q182", 4, 8), ("Q182", 5, 9)]

    def test_fix_inserts_a_space(self, tmp_path: Path) -> None:
        text = schema("One. Two! Three", "@a: x. Y")
        found = lint(tmp_path, text, "Q182")
        assert all(f.fix is not None and f.fix.applicability == "safe" for f in found)
        edits = [edit for f in found if f.fix for edit in f.fix.edits]
        repaired = apply_edits(text, edits)
        assert "# One.  Two!  Three\n# @a: x.  Y\n" in repaired
        assert lint(tmp_path / "again", repaired, "Q18") == []


# --------------------------------------------------------------------------
# Literal mode (both checks)

LONG = "y" * 69
BAD = "One. Two"


class TestLiteralMode:
    def test_double_colon_line_starts_it(self, tmp_path: Path) -> None:
        text = schema("::", "", "    " + LONG, "    " + BAD)
        assert lint(tmp_path, text, "Q18") == []

    def test_indented_double_colon_starts_it(self, tmp_path: Path) -> None:
        text = schema("@a: x", "", "   ::", "", "      " + LONG)
        assert lint(tmp_path, text, "Q18") == []

    def test_qmp_example_starts_it(self, tmp_path: Path) -> None:
        text = schema(".. qmp-example::", "", "    " + LONG, "    " + BAD)
        assert lint(tmp_path, text, "Q18") == []

    def test_spaces_before_the_colons(self, tmp_path: Path) -> None:
        text = schema(".. qmp-example ::", "", "    " + LONG, "  ::", "", "    " + BAD)
        assert lint(tmp_path, text, "Q18") == []

    def test_paragraph_double_colon_does_not(self, tmp_path: Path) -> None:
        text = schema("Example::", "", "    " + LONG)
        assert where(lint(tmp_path, text, "Q18")) == [("Q181", 6, 1)]

    def test_code_block_does_not(self, tmp_path: Path) -> None:
        text = schema(".. code-block:: json", "", "    " + LONG)
        assert where(lint(tmp_path, text, "Q18")) == [("Q181", 6, 1)]

    def test_indented_qmp_example_does_not(self, tmp_path: Path) -> None:
        text = schema("  .. qmp-example::", "", "    " + LONG)
        assert where(lint(tmp_path, text, "Q18")) == [("Q181", 6, 1)]

    def test_less_indented_line_ends_it_and_is_checked(self, tmp_path: Path) -> None:
        text = schema(".. qmp-example::", "", "    " + LONG, "  " + LONG, "  " + BAD, "    " + LONG)
        assert where(lint(tmp_path, text, "Q18")) == [
            ("Q181", 7, 1),
            ("Q182", 8, 9),
            ("Q181", 9, 1),
        ]

    def test_first_line_sets_the_indent(self, tmp_path: Path) -> None:
        # deeper lines later do not raise the indent
        text = schema("::", "", "  a", "      b", "  " + LONG, " " + LONG)
        assert where(lint(tmp_path, text, "Q18")) == [("Q181", 9, 1)]

    def test_indent_zero_lasts_to_the_end(self, tmp_path: Path) -> None:
        text = schema("::", "", "-> { }", LONG, "", "Since: 1.0", BAD)
        assert lint(tmp_path, text, "Q18") == []

    def test_indent_zero_then_indented_line_sets_it(self, tmp_path: Path) -> None:
        # QEMU 10.2.2: while the indent is 0 each non-blank line sets it
        # anew, so an indented line after unindented ones still counts.
        text = schema("::", "", "foo", "  bar", LONG)
        assert where(lint(tmp_path, text, "Q18")) == [("Q181", 8, 1)]

    def test_blank_lines_and_sections_do_not_end_it(self, tmp_path: Path) -> None:
        text = schema("@a: x", "", "  ::", "", "    " + LONG, "", "", "Since: 1.0")
        text = text.replace("# Since: 1.0", "#     " + BAD + "\n#\n# Since: 1.0")
        assert lint(tmp_path, text, "Q18") == []

    def test_each_block_resets_it(self, tmp_path: Path) -> None:
        first = schema("::", "", LONG)
        second = schema(LONG, name="bar")
        found = lint(tmp_path, first + second, "Q18")
        assert where(found) == [("Q181", 12, 1)]


# --------------------------------------------------------------------------
# Release awareness


@pytest.mark.parametrize(
    ("version", "severity"),
    [
        (None, "error"),
        ("10.2.0", "error"),
        ("10.1.90", "error"),
        ("10.1.50", "warning"),
        ("8.1.0", "warning"),
        ("8.0.90", "warning"),  # 8.1's soft freeze
        ("8.0.50", None),
        ("7.2.0", None),  # before the 8.1 conventions: not checked
        ("8.0.0", None),
    ],
)
def test_line_checks_know_their_release(
    tmp_path: Path, version: str | None, severity: str | None
) -> None:
    found = lint(tmp_path, schema(W69, BAD), "Q18", version=version)
    want = [("Q181", severity), ("Q182", severity)] if severity else []
    assert [(f.code, f.severity) for f in found] == want


def test_empty_description_before_9_0_takes_the_lines_after_it(tmp_path: Path) -> None:
    """Before 9.0 the parser read unindented lines after a bare ``@name:``
    as its text (QEMU 7.2's ``GuestOSInfo``); 9.0 and later do not."""
    text = schema("@a:", "* POSIX: from uname(2)", "* Windows: build number")
    assert lint(tmp_path / "old", text, "Q146", version="7.2.0") == []
    assert [f.code for f in lint(tmp_path / "new", text, "Q146", version="9.0.0")] == ["Q146"]
    empty = schema("@a:", "", "Since: 1.0")
    assert [f.code for f in lint(tmp_path / "bare", empty, "Q146", version="7.2.0")] == ["Q146"]


def test_sentence_spacing_rewrap_shown_once_per_line(tmp_path: Path) -> None:
    """Two single spaces on a full line: the fix that doubles both and
    rewraps the paragraph is shown once, with the first."""
    line = "@a: One. Two. Thre " + " ".join(["word"] * 10)  # 70 columns with "# "
    assert len("# " + line) == 70
    found = lint(tmp_path, schema(line), "Q182")
    assert [f.span.col for f in found] == [11, 16]
    assert found[0].fix is not None and found[1].fix is None
    fixed = apply_edits(schema(line), found[0].fix.edits)
    assert lint(tmp_path / "fixed", fixed, "Q18") == []
