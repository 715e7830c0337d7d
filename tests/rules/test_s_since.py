"""Since-tag rules (S): a hit, a near miss and the fix, for each."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from qapilint.lint.engine import load_rules, run_rules, sort_key
from qapilint.lint.rule import Finding
from qapilint.schema.loader import load_schema
from qapilint.schema.tree import read_tree
from tests.lint import lint_text
from tests.rules.sd_support import codes_of, fixed

pytest.importorskip("qapilint.syntax.docparse", reason="doc sections need the doc parser")


def doc(body: str, name: str = "Foo", expr: str | None = None) -> str:
    """A struct ``name`` with members ``bar`` and ``baz`` and the doc
    lines ``body`` (without "# ")."""
    lines = ["##", f"# @{name}:", "#"]
    lines += [f"# {line}" if line else "#" for line in body.strip("\n").split("\n")]
    lines.append("##")
    lines.append(expr or f"{{ 'struct': '{name}', 'data': {{ 'bar': 'int', '*baz': 'str' }} }}")
    return "\n".join(lines) + "\n"


def lint(
    tmp_path: Path,
    text: str,
    select: str,
    version: str | None = None,
    options: dict[str, Any] | None = None,
    *,
    settings: dict[str, Any] | None = None,
) -> list[Finding]:
    """Lint ``text`` with the rules whose code starts with ``select``;
    ``options`` (rule options by rule name) and ``settings`` (tree-wide)
    as configuration would supply them."""
    if options is None and settings is None:
        return lint_text(tmp_path, text, (select,), version)
    (tmp_path / "schema.json").write_text(text, encoding="utf-8")
    if version is not None:
        (tmp_path / "VERSION").write_text(version + "\n", encoding="utf-8")
    tree = read_tree(tmp_path)
    tree.options.update(options or {})
    tree.settings.update(settings or {})
    schema = load_schema(tmp_path / "schema.json", tmp_path)
    rules = [found for found in load_rules() if found.code.startswith(select)]
    return sorted(run_rules(rules, schema, tree), key=sort_key)


# --------------------------------------------------------------------------
# S001 missing-since


def test_missing_since_flags_definition_without_tag(tmp_path: Path) -> None:
    text = doc("A foo.\n\n@bar: the bar\n\n@baz: the baz")
    findings = lint(tmp_path, text, "S001")
    assert [(f.code, f.span.line, f.symbol) for f in findings] == [("S001", 2, "Foo")]
    assert "'Foo'" in findings[0].message


@pytest.mark.parametrize("version", [None, "10.2.50", "10.2.2", "7.2.0"])
def test_missing_since_names_no_release(tmp_path: Path, version: str | None) -> None:
    """From one tree there is no telling whether the definition is new: the
    message asks for a Since: section and names no release."""
    text = doc("A foo.\n\n@bar: the bar\n\n@baz: the baz")
    (finding,) = lint(tmp_path, text, "S001", version=version)
    assert "add one naming the release that introduced it" in finding.message
    assert not re.search(r"\d+\.\d+", finding.message), finding.message
    assert finding.fix is None


def test_missing_since_quiet_with_tag_and_on_free_form(tmp_path: Path) -> None:
    text = "##\n# = Widgets\n#\n# Since 10.1 there are widgets.\n##\n\n"
    text += doc("A foo.\n\n@bar: the bar\n\n@baz: the baz\n\nSince: 10.1")
    assert lint(tmp_path, text, "S001") == []


# --------------------------------------------------------------------------
# S002 since-tag-form

ACCEPTED_FORMS = [
    "@bar: the bar (since 2.7)",
    "@bar: the bar (Since 2.7)",
    "@bar: since 2.7",
    "@bar: Since 2.7.",
    "@bar: the bar (default: false, since 3.0)",
    "@bar: the bar (since 10.0; default: 10)",
    "@bar: the bar (Since 7.1) (default: false)",
    "@bar: the bar.  The latter are supported since 4.1.",
    "@bar: a number (since\n    2.11)",
]


@pytest.mark.parametrize("member", ACCEPTED_FORMS)
def test_house_forms_are_never_flagged(tmp_path: Path, member: str) -> None:
    text = doc(f"A foo.\n\n{member}\n\n@baz: the baz\n\nSince: 2.0")
    assert lint(tmp_path, text, "S") == []


@pytest.mark.parametrize(
    ("member", "want"),
    [
        ("@bar: the bar (since: 2.7)", "@bar: the bar (since 2.7)"),
        ("@bar: the bar (Since: 2.7)", "@bar: the bar (Since 2.7)"),
        ("@bar: the bar (default: on, since: 4.0)", "@bar: the bar (default: on, since 4.0)"),
        ("@bar: the bar (since: 5.2;\n    default: false)", "@bar: the bar (since 5.2;"),
        ("@bar: the bar (since:\n    5.2)", "@bar: the bar (since\n#     5.2)"),
        ("@bar: the bar in the guest\n    space.  Since: 10.1", "    space.  (Since 10.1)"),
        ("@bar: the bar.  since 7.0", "@bar: the bar.  (since 7.0)"),
    ],
)
def test_since_tag_form_fix(tmp_path: Path, member: str, want: str) -> None:
    text = doc(f"A foo.\n\n{member}\n\n@baz: the baz\n\nSince: 2.0")
    findings = lint(tmp_path, text, "S002")
    assert codes_of(findings) == ["S002"]
    assert findings[0].member == "bar"
    assert findings[0].severity == "info"  # cosmetic: QEMU's maintainers merge these
    assert findings[0].fix is not None and findings[0].fix.applicability == "safe"
    result = fixed(text, findings)
    assert want in result
    (tmp_path / "again").mkdir()
    assert lint(tmp_path / "again", result, "S") == []


def test_bare_tag_fix_that_would_overflow_is_a_suggestion(tmp_path: Path) -> None:
    member = "@bar: the bar, described in plain words up to col sixty.  Since: 2.7"
    assert len(f"# {member}") == 70
    text = doc(f"A foo.\n\n{member}\n\n@baz: the baz\n\nSince: 2.0")
    (finding,) = lint(tmp_path, text, "S002")
    assert finding.fix is not None and finding.fix.applicability == "suggestion"


@pytest.mark.parametrize(
    ("style", "member", "want"),
    [
        ("lower", "@bar: the bar (Since 2.7)", "(since 2.7)"),
        ("upper", "@bar: the bar (since 2.7)", "(Since 2.7)"),
        ("upper", "@bar: the bar (since: 2.7)", "(Since 2.7)"),
    ],
)
def test_since_style_option(tmp_path: Path, style: str, member: str, want: str) -> None:
    text = doc(f"A foo.\n\n{member}\n\n@baz: the baz\n\nSince: 2.0")
    options = {"since-tag-form": {"since-style": style}}
    findings = lint(tmp_path, text, "S002", options=options)
    assert codes_of(findings) == ["S002"]
    result = fixed(text, findings)
    assert want in result
    (tmp_path / "again").mkdir()
    assert lint(tmp_path / "again", result, "S002", options=options) == []


def test_since_style_any_accepts_both(tmp_path: Path) -> None:
    text = doc("A foo.\n\n@bar: the bar (Since 2.7)\n\n@baz: the baz (since 2.8)\n\nSince: 2.0")
    options = {"since-tag-form": {"since-style": "any"}}
    assert lint(tmp_path, text, "S002", options=options) == []


# --------------------------------------------------------------------------
# S003 since-like-paragraph


@pytest.mark.parametrize("written", ["Since 10.1", "since: 10.1", "Since : 10.1", "Since 10.1."])
def test_since_like_paragraph_fix(tmp_path: Path, written: str) -> None:
    text = doc(f"A foo.\n\n@bar: the bar\n\n@baz: the baz\n\n{written}")
    findings = lint(tmp_path, text, "S")
    assert codes_of(findings) == ["S003"]  # and no S001 for the same block
    assert findings[0].span.line == 10
    result = fixed(text, findings)
    assert "# Since: 10.1\n##" in result
    (tmp_path / "again").mkdir()
    assert lint(tmp_path / "again", result, "S") == []


def test_since_line_ending_a_paragraph(tmp_path: Path) -> None:
    text = doc("A foo.\n\n@bar: the bar\n\n@baz: the baz\n\nSome words.\nSince 10.1")
    findings = lint(tmp_path, text, "S")
    assert codes_of(findings) == ["S003"]
    result = fixed(text, findings)
    assert "# Some words.\n#\n# Since: 10.1\n##" in result
    (tmp_path / "again").mkdir()
    assert lint(tmp_path / "again", result, "S") == []


def test_since_like_near_misses(tmp_path: Path) -> None:
    wrapped = doc("A foo that was deprecated\nsince 2.0\n\n@bar: the bar\n\n@baz: the baz")
    findings = lint(tmp_path, wrapped, "S")
    assert codes_of(findings) == ["S001"]  # wrapped prose, not a tag
    tagged = doc("A foo.\n\nSince 9.0 it also bars.\n\n@bar: the bar\n\n@baz: b\n\nSince: 2.0")
    (tmp_path / "b").mkdir()
    assert lint(tmp_path / "b", tagged, "S") == []


# --------------------------------------------------------------------------
# S004 unreleased-version, S005 stable-release-version, S006 future-version


def test_unreleased_version(tmp_path: Path) -> None:
    text = doc("A foo.\n\n@bar: the bar (since 2.13)\n\n@baz: the baz\n\nSince: 2.0")
    findings = lint(tmp_path, text, "S")
    assert codes_of(findings) == ["S004"]
    assert findings[0].fix is not None and findings[0].fix.applicability == "suggestion"
    assert "3.0" in findings[0].message
    result = fixed(text, findings)
    assert "(since 3.0)" in result
    (tmp_path / "again").mkdir()
    assert lint(tmp_path / "again", result, "S") == []


@pytest.mark.parametrize(
    ("text", "want"),
    [
        ("A foo.\n\n@bar: the bar (since 2.13)\n\nSince: 2.0", True),
        ("@bar: since: QEMU 2.13\nSince: 2.0", True),
        ("A foo.\n\nSince:2.13", True),
        ("A foo.\n\nSince:\n    1.8", True),
        ("A foo, version 2.13 of the spec.\n\n@bar: (since 2.12)\n\nSince: 2.0", False),
        ("A foo.\n\nSince: 11.1", False),  # later than the target: S006's
        ("A fo\u00f6.\n\nSince: 2.0", True),  # not ASCII: the tags tell
    ],
)
def test_may_name_unreleased(text: str, want: bool) -> None:
    from qapilint.rules.s_since import _may_name_unreleased  # noqa: PLC0415

    assert _may_name_unreleased(text, (10, 2)) is want


def test_member_tags_older_than_or_equal_to_the_type_pass(tmp_path: Path) -> None:
    body = "A foo.\n\n@bar: the bar (since 2.4)\n\n@baz: the baz (since 4.2)\n\nSince: 4.2"
    assert lint(tmp_path, doc(body), "S", version="10.2.2") == []


def test_released_versions_pass(tmp_path: Path) -> None:
    body = "A foo.\n\n@bar: the bar (since 2.12)\n\n@baz: the baz (since 0.15.0)\n\nSince: 1.0.0"
    assert lint(tmp_path, doc(body), "S", version="10.2.2") == []


def test_stable_release_version(tmp_path: Path) -> None:
    """A stable release in a since tag is right for a backport: S005 asks,
    never suggests another version, and is a preview rule."""
    text = doc("A foo.\n\n@bar: the bar (since 2.12.1)\n\n@baz: the baz\n\nSince: 2.0")
    findings = lint(tmp_path, text, "S")
    assert codes_of(findings) == ["S005"]
    (finding,) = findings
    assert finding.severity == "info" and finding.fix is None
    assert "2.12.1" in finding.message and "2.12 " not in finding.message + " "
    assert "backported" in finding.message
    (stable,) = [found for found in load_rules() if found.code == "S005"]
    assert stable.status == "preview"
    near = doc("A foo.\n\n@bar: the bar (since 2.12.0)\n\n@baz: the baz\n\nSince: 2.0")
    (tmp_path / "near").mkdir()
    assert lint(tmp_path / "near", near, "S") == []


@pytest.mark.parametrize(
    ("version", "tag", "want"),
    [
        ("10.2.50", "11.1", ["S006"]),
        ("10.2.50", "10.3", ["S004"]),
        ("10.2.50", "11.0", []),
        # a release or stable tree takes backports, which keep upstream's
        # tag (Debian's QEMU 7.2.0 has a "Since 8.0" member): not checked
        ("10.2.2", "11.0", []),
        ("7.2.0", "8.0", []),
        ("10.2.2", "10.2", []),
        ("10.1.90", "10.2", []),
    ],
)
def test_version_against_tree(tmp_path: Path, version: str, tag: str, want: list[str]) -> None:
    text = doc(f"A foo.\n\n@bar: the bar\n\n@baz: the baz\n\nSince: {tag}")
    assert codes_of(lint(tmp_path, text, "S", version=version)) == want


def test_future_version_fix_and_next_version_setting(tmp_path: Path) -> None:
    text = doc("A foo.\n\n@bar: the bar (since 11.2)\n\n@baz: the baz\n\nSince: 11.1")
    settings = {"next-version": (11, 1)}
    findings = lint(tmp_path, text, "S", settings=settings)
    assert [(f.code, f.member) for f in findings] == [("S006", "bar")]
    result = fixed(text, findings)
    assert "(since 11.1)" in result
    (tmp_path / "again").mkdir()
    assert lint(tmp_path / "again", result, "S", settings=settings) == []


def test_no_future_check_without_known_release(tmp_path: Path) -> None:
    text = doc("A foo.\n\n@bar: the bar\n\n@baz: the baz\n\nSince: 12.0")
    assert lint(tmp_path, text, "S") == []


# --------------------------------------------------------------------------
# The real corpus: QEMU 10.2.2's five roots


@pytest.fixture(scope="module")
def corpus_s(corpus: Path) -> list[Finding]:
    from tests.precision import corpus_findings  # noqa: PLC0415

    codes = [found.code for found in load_rules() if found.code.startswith("S")]
    return corpus_findings(codes, corpus)


def where(findings: list[Finding], code: str) -> set[tuple[str, int]]:
    return {(Path(str(f.path)).name, f.span.line) for f in findings if f.code == code}


def test_corpus_since_like_paragraphs_and_versions(corpus_s: list[Finding]) -> None:
    assert where(corpus_s, "S003") == {
        ("qom.json", 61),
        ("qom.json", 73),
        ("qom.json", 170),
        ("machine-common.json", 111),
    }
    assert where(corpus_s, "S004") == {("dump.json", 39)}
    assert where(corpus_s, "S005") == {("block-core.json", 1516)}
    assert where(corpus_s, "S006") == set()
    # no "missing Since:" for the blocks whose since-like paragraph was found
    missing = {f.symbol for f in corpus_s if f.code == "S001"}
    since_like = {f.symbol for f in corpus_s if f.code == "S003"}
    assert missing and not missing & since_like


def test_corpus_tag_versions_stand_after_since(corpus: Path) -> None:
    """Every version a since tag names, its major and minor, is one S004's
    look at the block's text finds (so that look can spare the tags)."""
    from qapilint.rules.s_since import _versions_after_since, version_tags  # noqa: PLC0415

    from qapilint.schema.releases import parse_version  # noqa: PLC0415
    from qapilint.syntax.doclines import line_facts  # noqa: PLC0415

    root = corpus / "qemu-10.2.2" / "qapi" / "qapi-schema.json"
    schema = load_schema(root, root.parent.parent)
    tags = 0
    for module in schema.modules:
        for block in module.docs:
            versions = _versions_after_since(line_facts(block).text)
            if versions is None:
                continue  # not ASCII: S004 reads the block's tags themselves
            seen = {parse_version(version) for version in versions}  # (X, Y, 0)
            for tag in version_tags(block):
                parsed = parse_version(tag.version)
                assert parsed is not None and (*parsed[:2], 0) in seen, tag
                tags += 1
    assert tags > 1000


def test_corpus_house_forms_are_quiet(corpus: Path, corpus_s: list[Finding]) -> None:
    """No form finding (S002, S003) touches an accepted form: `(since X.Y)`, `(Since X.Y)`,
    a description that is only `since X.Y`; the S002 findings are exactly
    the colon variants (QAPI-NOTES: 37 + 23, plus 7 inside combined forms)
    and the two bare `Since: X.Y` sentences."""
    import re  # noqa: PLC0415

    accepted = re.compile(r"\((?:since|Since) \d+\.\d+(?:\.\d+)?\)|^# @[\w-]+: [Ss]ince \d")
    form = [f for f in corpus_s if f.code == "S002"]
    for finding in [f for f in corpus_s if f.code in ("S002", "S003")]:
        line = (
            Path(str(finding.path)).read_text(encoding="utf-8").split("\n")[finding.span.line - 1]
        )
        for match in accepted.finditer(line):
            assert not (
                match.start() < finding.span.end_col - 1 and finding.span.col - 1 < match.end()
            ), f"{finding.code} on accepted form at {finding.path}:{finding.span.line}"
    colon = [f for f in form if "has a colon" in f.message]
    bare = [f for f in form if "not in parentheses" in f.message]
    assert (len(colon), len(bare), len(form)) == (67, 2, 69)
