"""Fixes and suggestions are re-linted before they are shown
(:mod:`qapilint.lint.vet`): kept when clean, rewrapped when they only make a
line too long or leave one space between sentences, dropped otherwise."""

from __future__ import annotations

from pathlib import Path

from qapilint.lint.rule import Edit, Finding, Fix, apply_edits
from qapilint.lint.vet import vet
from qapilint.schema.loader import load_schema
from qapilint.schema.tree import read_tree
from qapilint.syntax.model import Module, Span
from tests.lint import lint_text

TAIL = "{ 'struct': 'Foo', 'data': { 'bar': 'bool', 'baz': 'int' } }\n"


def _module(tmp_path: Path, body: list[str], version: str | None = None) -> Module:
    lines = ["##", "# @Foo:", "#", *(f"# {t}" if t else "#" for t in body), "##"]
    tmp_path.mkdir(parents=True, exist_ok=True)
    (tmp_path / "s.json").write_text("\n".join(lines) + "\n" + TAIL, encoding="utf-8")
    if version:
        (tmp_path / "VERSION").write_text(version + "\n", encoding="utf-8")
    return load_schema(tmp_path / "s.json", tmp_path).modules[0]


def _suggest(module: Module, line: int, old: str, new: str) -> Finding:
    """A suggestion replacing the first ``old`` on file line ``line``."""
    col = module.lines[line - 1].index(old) + 1
    fix = Fix.suggestion([Edit(Span(line, col, line, col + len(old)), new)], f"write {new!r}")
    return Finding(Span(line, col, line, col + len(old)), "test", fix=fix, symbol="Foo")


def _result(module: Module, finding: Finding) -> list[str]:
    assert finding.fix is not None
    return apply_edits(module.text, finding.fix.edits).split("\n")


def test_clean_suggestion_is_kept_as_made(tmp_path: Path) -> None:
    module = _module(tmp_path, ["@bar: on or off (default: off)", "", "@baz: a number"])
    finding = _suggest(module, 4, "off)", "false)")
    assert vet(finding, module, read_tree(tmp_path)) == finding


def test_suggestion_making_a_long_line_is_rewrapped_with_its_paragraph(tmp_path: Path) -> None:
    text = "@bar: open the device in exclusive mode (vmix won't work) (default"
    module = _module(tmp_path, [text, "    false)", "", "@baz: a number"])
    col = module.lines[3].index("(default") + 2
    edit = Edit(Span(4, col, 5, 12), "default: false")  # joins the two lines: 78 columns
    finding = Finding(Span(4, col, 4, col + 7), "t", fix=Fix.suggestion([edit]), symbol="Foo")
    vetted = vet(finding, module, read_tree(tmp_path))
    assert vetted.fix is not None and vetted.fix.applicability == "suggestion"
    assert "rewrap" in vetted.fix.message
    lines = _result(module, vetted)
    assert all(len(line) <= 70 for line in lines)
    words = " ".join(line.lstrip("# ") for line in lines[3:5]).split()
    assert " ".join(words).endswith("won't work) (default: false)")


def test_single_space_between_sentences_gets_its_second_space(tmp_path: Path) -> None:
    module = _module(tmp_path, ["@bar: a flag; it is off.", "", "@baz: a number"])
    finding = _suggest(module, 4, "; it", ". It")
    vetted = vet(finding, module, read_tree(tmp_path))
    assert vetted.fix is not None
    assert "# @bar: a flag.  It is off." in _result(module, vetted)


def test_broken_punctuation_drops_the_suggestion(tmp_path: Path) -> None:
    module = _module(tmp_path, ["@bar: it had not existed; needless to say, a jump", "", "@baz: x"])
    finding = _suggest(module, 4, "needless to say", "")
    vetted = vet(finding, module, read_tree(tmp_path))
    assert vetted.fix is None and vetted.message == finding.message


def test_fix_breaking_the_doc_structure_is_dropped(tmp_path: Path) -> None:
    module = _module(tmp_path, ["@bar: a flag", "", "@baz: a number"])
    finding = _suggest(module, 6, "@baz:", "@bar:")  # a duplicate description
    assert vet(finding, module, read_tree(tmp_path)).fix is None


def test_before_8_1_long_lines_pass_but_unaligned_continuations_do_not(tmp_path: Path) -> None:
    """QEMU 7.2 has no 70-column convention, but rejects a continuation line
    indented less than the description's text."""
    text = "@bar: a flag that says whether the device is opened in exclusive"
    module = _module(tmp_path, [text, "      mode", "", "@baz: a number"], version="7.2.0")
    tree = read_tree(tmp_path)
    longer = _suggest(module, 4, "a flag", "a boolean flag")
    assert vet(longer, module, tree) == longer  # 78 columns: no finding on 7.2
    unaligned = _suggest(module, 5, "      mode", "    mode")
    assert vet(unaligned, module, tree).fix is None
    on_81 = _module(tmp_path / "new", [text, "      mode"], version="8.1.0")
    assert vet(_suggest(on_81, 5, "      mode", "    mode"), on_81, read_tree(tmp_path / "new"))


def test_edits_outside_doc_blocks_are_left_alone(tmp_path: Path) -> None:
    module = _module(tmp_path, ["@bar: a flag", "", "@baz: a number"])
    last = len(module.lines) - 1  # the struct line
    finding = _suggest(module, last, "'Foo'", "'Foo', 'x': 1" + " " * 80)
    assert vet(finding, module, read_tree(tmp_path)) == finding


def test_engine_vets_every_rule_fix(tmp_path: Path) -> None:
    """W030's suggestion (off -> false) on a 69-column line would make it 71
    columns: the engine shows it rewrapped with its paragraph."""
    line = "# @bar: open the device in exclusive mode, vmix fails  (default: off)"
    assert len(line) == 69
    text = f"##\n# @Foo:\n#\n{line}\n#\n# @baz: x\n#\n# Since: 1.0\n##\n" + TAIL
    (finding,) = lint_text(tmp_path, text, ("W030",))
    assert finding.fix is not None and "rewrap" in finding.fix.message
    fixed = apply_edits(text, finding.fix.edits).split("\n")
    assert all(len(line) <= 70 for line in fixed)
    assert " ".join(" ".join(fixed[3:5]).split()) == (
        "# @bar: open the device in exclusive mode, vmix fails (default: # false)"
    )
