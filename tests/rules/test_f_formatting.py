"""F rules: each flags its snippet, stays quiet on the near miss, and its
fix applied with ``apply_edits`` re-lints clean."""

from __future__ import annotations

from pathlib import Path

import pytest
from qapilint.rules.f_formatting import _may_lack_blank_line

from qapilint.lint.rule import apply_edits
from qapilint.syntax.doclines import tag_match
from tests.lint import lint_text

TAIL = "{ 'struct': 'Foo', 'data': { 'bar': 'int', 'baz': 'int' } }\n"


def _schema(doc: str) -> str:
    lines = "\n".join(f"# {line}" if line else "#" for line in doc.split("\n"))
    return f"##\n# @Foo:\n#\n{lines}\n#\n# Since: 1.0\n##\n{TAIL}"


def _codes(tmp_path: Path, text: str, code: str) -> list[tuple[int, str]]:
    return [(f.span.line, f.code) for f in lint_text(tmp_path, text, select=(code,))]


def _fixed(tmp_path: Path, text: str, code: str) -> str:
    findings = lint_text(tmp_path, text, select=(code,))
    assert findings, "expected a finding"
    edits = [edit for finding in findings if finding.fix for edit in finding.fix.edits]
    return apply_edits(text, edits)


CASES = {
    "F001": (
        "@bar: the bar, described at some length so that\n        it continues here\n\n"
        "@baz: the baz",
        "@bar: the bar, described at some length so that\n    it continues here\n\n@baz: the baz",
    ),
    "F003": ("@bar: the bar   \n\n@baz: the baz", "@bar: the bar\n\n@baz: the baz"),
    "F004": ("@bar: the\tbar\n\n@baz: the baz", "@bar: the bar\n\n@baz: the baz"),
    "F005": (
        "@bar:\n    the bar\n\n@baz: the baz",
        "@bar:\n    - a list item\n    - another\n\n@baz: the baz",
    ),
    "F006": (
        "The modes are:\n- fast\n- slow\n\n@bar: the bar\n\n@baz: the baz",
        "The modes are:\n\n- fast\n- slow\n\n@bar: the bar\n\n@baz: the baz",
    ),
    "F007": ("@bar: the bar\n@baz: the baz", "@bar: the bar\n\n@baz: the baz"),
}


@pytest.mark.parametrize("code", sorted(CASES))
def test_hit_near_miss_and_fix(tmp_path: Path, code: str) -> None:
    hit, near_miss = CASES[code]
    (tmp_path / "hit").mkdir()
    (tmp_path / "miss").mkdir()
    (tmp_path / "fixed").mkdir()
    text = _schema(hit)
    assert _codes(tmp_path / "hit", text, code), f"{code} did not flag:\n{text}"
    assert _codes(tmp_path / "miss", _schema(near_miss), code) == []
    fixed = _fixed(tmp_path / "hit", text, code)
    assert _codes(tmp_path / "fixed", fixed, code) == [], fixed
    assert _words(fixed) == _words(text)


def _words(text: str) -> list[str]:
    return [word for word in text.split() if word != "#"]


def test_f001_shifts_the_whole_section(tmp_path: Path) -> None:
    text = _schema("@bar: the bar\n       more text\n\n       ::\n\n         literal\n\n@baz: z")
    fixed = _fixed(tmp_path, text, "F001")
    assert "#     more text\n#\n#     ::\n#\n#       literal\n" in fixed


def test_f001_no_fix_when_shift_would_swallow_a_paragraph(tmp_path: Path) -> None:
    text = _schema("@bar: the bar\n        more text\n\n      outdented\n\n@baz: z")
    findings = lint_text(tmp_path, text, select=("F001",))
    assert [f.fix for f in findings] == [None]


def test_f001_leaves_aligned_list_items_alone(tmp_path: Path) -> None:
    text = _schema("@bar: the bar\n\n@baz: the baz\n\nReturns: - nothing\n         - or this")
    assert _codes(tmp_path, text, "F001") == []


def test_f002_flags_lowercase_paragraph_after_description(tmp_path: Path) -> None:
    text = _schema("@bar: the bar\n\n@baz: the baz\n\nonly used when @bar is set")
    findings = lint_text(tmp_path, text, select=("F002",))
    assert [f.code for f in findings] == ["F002"]
    assert findings[0].fix is not None and findings[0].fix.applicability == "unsafe"
    quiet = _schema("@bar: the bar\n\n@baz: the baz\n\n.. note:: This is a note.")
    (tmp_path / "q").mkdir()
    assert _codes(tmp_path / "q", quiet, "F002") == []


def test_f006_paragraph_after_list(tmp_path: Path) -> None:
    text = _schema("Modes:\n\n- fast\n- slow\nAfter the list.\n\n@bar: the bar\n\n@baz: the baz")
    assert [code for _, code in _codes(tmp_path, text, "F006")] == ["F006"]


def _may_lack(lines: list[str]) -> bool:
    return _may_lack_blank_line(lines, [tag_match(line) for line in lines])


def test_f006_screen_admits_what_the_rule_flags_and_rules_out_spaced_lists() -> None:
    # a list right after a paragraph, a paragraph right after a list
    assert _may_lack(["@Foo:", "Modes:", "- fast", "- slow"])
    assert _may_lack(["@Foo:", "", "- fast", "- slow", "After the list."])
    # set off by blank lines, or items running on: nothing to flag
    assert not _may_lack(["@Foo:", "Modes:", "", "- fast", "- slow", "", "After."])
    assert not _may_lack(["@Foo:", "", "- fast", "  and more", "- slow"][:4])
    assert not _may_lack(["@Foo:", "@bar: - not an item after a tag", ""])


def test_f007_after_features(tmp_path: Path) -> None:
    doc = "@bar: the bar\n\n@baz: the baz\n\nFeatures:\n@deprecated: gone"
    text = _schema(doc).replace(TAIL, TAIL.replace("'data'", "'features': ['deprecated'], 'data'"))
    assert [code for _, code in _codes(tmp_path, text, "F007")] == ["F007"]


# --------------------------------------------------------------------------
# Conventions by release: F001 and F007 enforce the 8.1 conventions


ALIGNED = "@bar: the bar, described at some length so that\n      it continues here\n@baz: the baz"


@pytest.mark.parametrize(
    ("version", "want"), [("7.2.0", []), ("8.0.0", []), ("8.1.0", ["F001", "F007"])]
)
def test_f001_f007_follow_the_trees_release(tmp_path: Path, version: str, want: list[str]) -> None:
    """Before 8.1, QEMU's parser requires continuation lines to line up with
    the description's first character and descriptions had no blank line
    between them: F001 (whose fix would break such a tree's build) and
    F007 do not run there."""
    findings = lint_text(tmp_path, _schema(ALIGNED), select=("F001", "F007"), version=version)
    assert sorted({f.code for f in findings}) == want
