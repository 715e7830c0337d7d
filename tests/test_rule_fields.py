"""What a family gets specially is a field of the rule, never its code's
letter: plugin rules whose letters lie about their fields, through the
check pipeline, ``explain`` and the fixer.

- Q901 starts with Q but does not declare ``qemu_rejects``: an ordinary rule.
- X902 declares ``qemu_rejects``: its severity can only be raised.
- L903 starts with L but is an ordinary doc rule: the engine runs it, its
  unused suppressions are reported, the fixer's quick pass re-checks it.
- X904 declares ``context="suppressions"``: the suppression stage runs it,
  like the built-in L rules.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from qapilint.cli import explanation
from qapilint.lint import fixing as fixer
from qapilint.lint.check import CheckError, CheckOptions, run_check
from qapilint.lint.engine import load_rules
from qapilint.lint.rule import DocContext, Edit, Finding, Fix, Rule, rule
from qapilint.lint.suppress import SuppressionContext
from qapilint.syntax.model import Span


def _word(ctx: DocContext, word: str, replacement: str) -> Iterator[Finding]:
    for line in ctx.doc.lines:
        col = line.raw.find(word)
        if col >= 0:
            span = Span.at(line.line, col + 1, len(word))
            yield Finding(span, f"the word {word!r}", Fix.safe([Edit(span, replacement)]))


@rule("Q901", "plugin-q-letter", context="doc", severity="error", fix="safe")
def q_letter(ctx: DocContext) -> Iterator[Finding]:
    """Flags "qword"."""
    yield from _word(ctx, "qword", "fine")


@rule("X902", "plugin-rejected", context="doc", severity="error", qemu_rejects=True)
def rejected(ctx: DocContext) -> Iterator[Finding]:
    """Flags "xword"."""
    yield from _word(ctx, "xword", "fine")


@rule("L903", "plugin-l-letter", context="doc", severity="warning", fix="safe")
def l_letter(ctx: DocContext) -> Iterator[Finding]:
    """Flags "lqword" (which holds Q901's "qword": the fixes overlap)."""
    yield from _word(ctx, "lqword", "fine")


@rule("X904", "plugin-suppression-reason", context="suppressions", severity="info", fix="safe")
def suppression_reason(ctx: SuppressionContext) -> Iterator[Finding]:
    """Flags a suppression that silenced something but gives no reason."""
    for suppression in ctx.suppressions:
        if suppression.used and not suppression.reason:
            yield Finding(suppression.codes_span, "suppression without a reason")


def plugin_rules() -> list[Rule]:
    return load_rules([sys.modules[__name__]])


def by_code(code: str) -> Rule:
    return next(found for found in plugin_rules() if found.code == code)


def doc(name: str, text: str) -> str:
    return f"##\n# @{name}:\n#\n# {text}\n#\n# Since: 10.0\n##\n{{ 'command': '{name}' }}\n"


def check(tmp_path: Path, text: str, config: str = "") -> list[tuple[int, str, str]]:
    path = tmp_path / "x.json"
    path.write_text(text, encoding="utf-8")
    settings = tmp_path / ".qapilint.toml"
    settings.write_text('select = ["Q901", "X9", "L903", "L0"]\n' + config, encoding="utf-8")
    found = run_check(CheckOptions([path], config=settings), plugin_rules()).findings
    return [(finding.span.line, finding.code, finding.severity) for finding in found]


def test_the_fields_as_declared() -> None:
    assert (by_code("Q901").qemu_rejects, by_code("X902").qemu_rejects) == (False, True)
    assert not by_code("L903").sees_other_findings
    assert by_code("X904").sees_other_findings and by_code("L001").sees_other_findings
    assert by_code("Q101").qemu_rejects and not by_code("L001").qemu_rejects


def test_severity_of_a_q_letter_rule_without_the_field_can_be_lowered(tmp_path: Path) -> None:
    text = doc("a", "qword xword")
    assert check(tmp_path, text, '[severity]\nQ901 = "info"\n') == [
        (4, "Q901", "info"),
        (4, "X902", "error"),
    ]


def test_severity_of_a_rule_declaring_qemu_rejects_is_never_lowered(tmp_path: Path) -> None:
    text = doc("a", "qword xword")
    assert check(tmp_path, text, '[severity]\nALL = "info"\n') == [
        (4, "Q901", "info"),
        (4, "X902", "error"),
    ]
    assert check(tmp_path, text, '[severity]\nALL = "info"\nX902 = "error"\n')[1][2] == "error"
    with pytest.raises(CheckError, match=r"cannot lower X902 to 'warning'.*can only be raised"):
        check(tmp_path, text, '[severity]\nX902 = "warning"\n')
    check(tmp_path, text, '[severity]\nQ901 = "warning"\n')  # accepted


def test_explain_follows_the_field() -> None:
    assert "QEMU's own build rejects" in explanation(by_code("X902"))
    assert "QEMU's own build rejects" not in explanation(by_code("Q901"))


def test_an_l_letter_rule_is_an_ordinary_rule(tmp_path: Path) -> None:
    # run by the engine, and a suppression of it that silenced nothing is stale
    assert check(tmp_path, doc("a", "lqword")) == [(4, "L903", "warning"), (4, "Q901", "error")]
    stale = "# qapilint: disable=L903 -- no longer needed\n" + doc("a", "fine")
    assert check(tmp_path, stale) == [(1, "L001", "warning")]


def test_a_rule_declaring_the_suppressions_context_runs_in_that_stage(tmp_path: Path) -> None:
    text = (
        "# qapilint: disable=Q901\n"
        + doc("a", "qword")
        + "# qapilint: disable=X904 -- silences nothing here\n"
        + doc("b", "fine")
    )
    # X904 sees which suppressions were used; the engine never runs it; a
    # suppression of it is never reported unused (it runs after that check)
    assert check(tmp_path, text) == [(1, "X904", "info")]
    reasoned = "# qapilint: disable=Q901 -- quoted\n" + doc("a", "qword")
    assert check(tmp_path, reasoned) == []


def test_the_fixer_quick_pass_follows_the_field(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "x.json"
    path.write_text(doc("a", "lqword"), encoding="utf-8")
    selections: list[list[str] | None] = []

    def spy(options: CheckOptions, rules: object = None) -> object:
        selections.append(options.select)
        return run_check(options, plugin_rules())

    monkeypatch.setattr(fixer, "run_check", spy)
    options = CheckOptions([path], select=["Q901", "X9", "L903", "L0"], isolated=True)
    fixer.fix_check(options.replace(), write=False)
    quick = [chosen for chosen in selections if chosen != options.select]
    assert quick, "the overlapping fixes leave one waiting: a quick pass runs"
    assert all("L903" in chosen and "Q901" in chosen for chosen in quick if chosen)
    assert all("X904" not in chosen and "L001" not in chosen for chosen in quick if chosen)
