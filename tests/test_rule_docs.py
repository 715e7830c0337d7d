"""The rule documentation contract: every registered rule documents itself
in the same shape, has a well-formed unique code and name, and is tested.

Each check is parametrized by rule code, so a failure names the rule."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from qapilint.lint.engine import load_rules
from qapilint.lint.rule import Rule

RULE_TESTS = Path(__file__).resolve().parent / "rules"
CODE = re.compile(r"^[A-Z]\d{3}$")
NAME = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
REQUIRED_LINES = ("Example::", "Use instead::")

try:
    RULES: list[Rule] = load_rules()
    LOAD_ERROR = ""
except Exception as error:  # a broken rule module must fail a test, not collection
    RULES = []
    LOAD_ERROR = f"{type(error).__name__}: {error}"


def _ids(found: Rule) -> str:
    return f"{found.code}-{found.name}"


def test_rules_load() -> None:
    assert not LOAD_ERROR, LOAD_ERROR
    assert RULES


@pytest.mark.parametrize("found", RULES, ids=_ids)
def test_docstring_shape(found: Rule) -> None:
    doc = found.doc
    summary = found.summary
    assert summary, f"{found.code}: no summary paragraph"
    assert summary.endswith((".", "?")), f"{found.code}: summary should be a sentence"
    lines = [line.rstrip() for line in doc.splitlines()]
    assert any(line.startswith("Why:") and len(line) > 5 for line in lines), (
        f"{found.code}: no 'Why:' paragraph"
    )
    for required in REQUIRED_LINES:
        assert required in lines, f"{found.code}: no {required!r} line"
        index = lines.index(required)
        body = [line for line in lines[index + 1 : index + 4] if line.strip()]
        assert body and body[0].startswith("    "), (
            f"{found.code}: {required!r} must be followed by an indented example"
        )
    assert lines.index("Example::") < lines.index("Use instead::"), (
        f"{found.code}: 'Example::' must come before 'Use instead::'"
    )


@pytest.mark.parametrize("found", RULES, ids=_ids)
def test_code_and_name_form(found: Rule) -> None:
    assert CODE.match(found.code), f"code {found.code!r} is not a letter and three digits"
    assert NAME.match(found.name), f"name {found.name!r} is not kebab-case"


def test_codes_and_names_unique() -> None:
    codes = Counter(found.code for found in RULES)
    names = Counter(found.name for found in RULES)
    assert [code for code, count in codes.items() if count > 1] == []
    assert [name for name, count in names.items() if count > 1] == []


def _test_sources() -> str:
    return "\n".join(
        path.read_text(encoding="utf-8", errors="replace") for path in RULE_TESTS.rglob("*.py")
    )


MENTIONED = set(re.findall(r"\b[A-Z]\d{3}\b", _test_sources())) if RULE_TESTS.is_dir() else set()


@pytest.mark.parametrize("found", RULES, ids=_ids)
def test_rule_has_tests(found: Rule) -> None:
    """Every rule code appears in a test under tests/rules/."""
    if found.code not in MENTIONED:
        pytest.fail(f"{found.code} ({found.name}) is not mentioned by any test in tests/rules/")
