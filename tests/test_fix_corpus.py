"""``--fix`` on real trees (issue 7 acceptance): QEMU 7.2.0's ``qapi/`` read
with QEMU 10.2's rules, and QEMU 10.2.2's own tree.

Skipped where the corpus is absent. With ``QEMU_SRC`` set to a QEMU source
tree, QEMU's own parser also reads the fixed 7.2.0 files.
"""

from __future__ import annotations

import difflib
import os
import re
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

from qapilint.fix.reflow import line_length_fix
from qapilint.lint.check import CheckOptions, run_check
from qapilint.lint.fixing import FixRun, fix_check
from qapilint.lint.rule import Finding
from qapilint.schema.loader import load_schema
from qapilint.syntax.model import Doc

LINE_CODES = ("Q181", "Q182")


def _copy(corpus: Path, release: str, version: str | None, target: Path) -> Path:
    tree = target / release
    shutil.copytree(corpus / release / "qapi", tree / "qapi")
    (tree / "VERSION").write_text((version or (corpus / release / "VERSION").read_text()).strip())
    return tree / "qapi" / "qapi-schema.json"


def _options(root: Path, select: list[str] | None = None) -> CheckOptions:
    return CheckOptions(paths=[root], isolated=True, select=select)


# the fixes issue 7 is about: QEMU 10.2's line checks and the F rules, all
# of which only move whitespace (and add blank "#" lines)
WHITESPACE_FIXES = ["Q181", "Q182", "F"]


def _doc_words(root: Path) -> dict[tuple[str, str], list[str]]:
    """Each doc block's words (comment markers dropped), by file and symbol."""
    schema = load_schema(root, root.parent.parent)
    words: dict[tuple[str, str], list[str]] = {}
    for module in schema.modules:
        for index, doc in enumerate(module.docs):
            key = (module.path.name, doc.symbol or f"#{index}")
            words[key] = [w for line in doc.lines for w in line.text.split()]
    return words


def _docs_by_line(root: Path) -> dict[tuple[str, int], tuple[Doc, int]]:
    schema = load_schema(root, root.parent.parent)
    where: dict[tuple[str, int], tuple[Doc, int]] = {}
    for module in schema.modules:
        for doc in module.docs:
            for index, line in enumerate(doc.lines):
                where[(str(module.path.resolve()), line.line)] = (doc, index)
    return where


def _fingerprints(findings: list[Finding]) -> Counter[tuple[str, ...]]:
    """Findings as baselines compare them, the file by name (the trees
    compared live in different folders) and numbers masked."""
    return Counter(
        (
            f.code,
            f.symbol or (f.path.name if f.path else ""),
            f.member or "",
            re.sub(r"\d+", "#", f.message),
        )
        for f in findings
    )


@pytest.fixture(scope="module")
def fixed_72(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, FixRun]:
    target = tmp_path_factory.mktemp("fix72")
    root = _copy(corpus, "qemu-7.2.0", "10.2.50", target)
    _copy(corpus, "qemu-7.2.0", "10.2.50", target / "original")
    return root, fix_check(_options(root, WHITESPACE_FIXES))


@pytest.fixture(scope="module")
def fixed_72_all(corpus: Path, tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, FixRun]:
    """The same with every default rule's safe fixes (S and D ones too)."""
    root = _copy(corpus, "qemu-7.2.0", "10.2.50", tmp_path_factory.mktemp("fix72all"))
    return root, fix_check(_options(root))


def test_72_line_findings_left_only_where_no_safe_fix(fixed_72: tuple[Path, FixRun]) -> None:
    root, run = fixed_72
    original = Counter(f.code for f in run.report.original if f.code in LINE_CODES)
    left = [f for f in run.result.findings if f.code in LINE_CODES]
    docs = _docs_by_line(root)
    reasons: Counter[str] = Counter()
    for finding in left:
        assert finding.code == "Q181", f"sentence spacing left: {finding}"
        doc, index = docs[(str(finding.path), finding.span.line)]
        reason = line_length_fix(doc.lines, index)
        assert isinstance(reason, str), f"a safe fix exists but was not applied: {finding}"
        reasons[reason] += 1
    print(f"\nline findings before: {dict(original)}; left: {len(left)} {dict(reasons)}")
    assert original["Q181"] > 1000 and original["Q182"] > 500
    assert len(left) < original["Q181"] // 5


def test_72_doc_text_unchanged_but_for_whitespace(fixed_72: tuple[Path, FixRun]) -> None:
    root, _run = fixed_72
    before = _doc_words(root.parents[2] / "original" / "qemu-7.2.0" / "qapi" / "qapi-schema.json")
    after = _doc_words(root)
    assert before.keys() == after.keys()
    changed = [key for key in before if before[key] != after[key]]
    assert changed == []


def _no_new_findings_and_second_fix_writes_nothing(
    root: Path, run: FixRun, select: list[str] | None
) -> None:
    assert run.report.changed(), "the 7.2.0 tree needs fixing"
    fixed = run_check(_options(root)).findings
    before = run_check(_options(root.parents[2] / "original" / "qemu-7.2.0" / "qapi" / root.name))
    assert _fingerprints(fixed) - _fingerprints(before.findings) == Counter()
    files = {path: path.read_bytes() for path in root.parent.glob("*.json")}
    again = fix_check(_options(root, select))
    assert again.report.changed() == []
    assert {path: path.read_bytes() for path in root.parent.glob("*.json")} == files


def test_72_no_new_findings_and_second_fix_writes_nothing(fixed_72: tuple[Path, FixRun]) -> None:
    root, run = fixed_72
    assert run.report.held == []
    _no_new_findings_and_second_fix_writes_nothing(root, run, WHITESPACE_FIXES)


def test_72_all_default_fixes(fixed_72_all: tuple[Path, FixRun], corpus: Path) -> None:
    root, run = fixed_72_all
    if not (root.parents[2] / "original").is_dir():
        _copy(corpus, "qemu-7.2.0", "10.2.50", root.parents[2] / "original")
    print(f"\nheld back: {[(f.path.name, f.symbol, f.code) for f in run.report.held]}")
    _no_new_findings_and_second_fix_writes_nothing(root, run, None)


def _qemu_parse(qemu_src: Path, path: Path) -> str:
    """QEMU's parser on one file: "" when accepted, else its error."""
    script = (
        "import sys; sys.path.insert(0, sys.argv[1]);"
        "from qapi.parser import QAPISchemaParser;"
        "from qapi.error import QAPIError\n"
        "try:\n QAPISchemaParser(sys.argv[2])\n"
        "except QAPIError as e:\n print(str(e).splitlines()[-1])"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(qemu_src / "scripts"), str(path)],
        capture_output=True,
        text=True,
        check=False,
        cwd=path.parent,
    )
    return done.stdout.strip()


def test_72_fixed_files_under_qemu_parser(fixed_72: tuple[Path, FixRun]) -> None:
    qemu_src = os.environ.get("QEMU_SRC")
    if not qemu_src or not (Path(qemu_src) / "scripts" / "qapi" / "parser.py").is_file():
        pytest.skip("QEMU_SRC not set to a QEMU source tree")
    root, _run = fixed_72
    failures: dict[str, str] = {}
    for path in sorted(root.parent.glob("*.json")):
        error = _qemu_parse(Path(qemu_src), path)
        if error:
            failures[path.name] = error
    print("\nQEMU 10.2 parser on the fixed 7.2.0 files:")
    for name, error in failures.items():
        print(f"  {name}: {error}")
    expected = ("'Example' section", "'Examples' section", "'Note' section", "'Notes' section")
    unexpected = {n: e for n, e in failures.items() if not any(x in e for x in expected)}
    print(f"  {len(failures)} files fail; not about Example/Note sections: {unexpected}")
    assert unexpected == {}


_OLD_SECTION = re.compile(r"# (Examples?|Notes?):")
_SECTION_START = re.compile(r"# (@[^:]*|Returns|Errors|Since|TODO|Features):|##")


def _without_old_sections(text: str) -> str:
    """``text`` without its old Example:/Note: sections, which QEMU 10.2
    rejects before it gets to check the lines after them."""
    kept: list[str] = []
    dropping = False
    for line in text.split("\n"):
        if _OLD_SECTION.match(line):
            dropping = True
        elif dropping and _SECTION_START.match(line):
            dropping = False
        if not dropping:
            kept.append(line)
    return "\n".join(kept)


def test_72_fixed_files_pass_qemu_line_checks(
    fixed_72: tuple[Path, FixRun], tmp_path: Path
) -> None:
    """With the old sections cut out, QEMU 10.2's parser accepts every fixed
    7.2.0 file: no line too long, no single space between sentences."""
    qemu_src = os.environ.get("QEMU_SRC")
    if not qemu_src or not (Path(qemu_src) / "scripts" / "qapi" / "parser.py").is_file():
        pytest.skip("QEMU_SRC not set to a QEMU source tree")
    root, _run = fixed_72
    for path in root.parent.glob("*.json"):
        (tmp_path / path.name).write_text(_without_old_sections(path.read_text()))
    failures = {}
    for path in sorted(tmp_path.glob("*.json")):
        error = _qemu_parse(Path(qemu_src), path)
        if error:
            failures[path.name] = error
    print(f"\nQEMU 10.2 parser, old sections removed: {failures}")
    assert failures == {}


def _sections(root: Path) -> dict[tuple[str, int], list[tuple[str, str | None, list[str]]]]:
    """Each doc block's sections as QEMU 10.2 reads them: kind, name, words."""
    schema = load_schema(root, root.parent.parent)
    return {
        (module.path.name, index): [
            (section.kind, section.name, " ".join(t.text for t in section.lines).split())
            for section in doc.sections
        ]
        for module in schema.modules
        for index, doc in enumerate(module.docs)
    }


def test_102_rewrapped_to_56_columns_keeps_every_section(corpus: Path, tmp_path: Path) -> None:
    """Stress: rewrap all of QEMU 10.2.2's doc comments to 56 columns (a
    ``line-length`` setting). Every section keeps its words; QEMU's parser
    (with QEMU_SRC) still accepts every file."""
    root = _copy(corpus, "qemu-10.2.2", None, tmp_path)
    config = root.parents[1] / ".qapilint.toml"
    config.write_text("line-length = 56\n")
    before = _sections(root)
    options = CheckOptions(paths=[root], config=config, select=list(LINE_CODES))
    run = fix_check(options)
    assert run.report.held == [] and len(run.report.changed()) > 30
    assert _sections(root) == before
    left = [(f.path.name, f.span.line) for f in run.result.findings if f.path]
    print(f"\n56 columns: {run.report.applied} fixes, left {left}")
    assert len(left) < 10
    qemu_src = os.environ.get("QEMU_SRC")
    if qemu_src and (Path(qemu_src) / "scripts" / "qapi" / "parser.py").is_file():
        failures = {
            p.name: e for p in root.parent.glob("*.json") if (e := _qemu_parse(Path(qemu_src), p))
        }
        assert failures == {}


def test_102_fix_changes_only_what_f_and_s_flag(
    corpus: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    root = _copy(corpus, "qemu-10.2.2", None, tmp_path / "a")
    other = _copy(corpus, "qemu-10.2.2", None, tmp_path / "b")
    before = {path.name: path.read_text() for path in root.parent.glob("*.json")}
    monkeypatch.chdir(root.parent.parent)
    shown = fix_check(_options(root), write=False)
    shown_diff = shown.report.diff()
    assert {path.name: path.read_text() for path in root.parent.glob("*.json")} == before
    applied = {
        f.code
        for f in shown.report.original
        if f.fix is not None and f.fix.applicability == "safe" and f.path is not None
    }
    # D003 (since-not-last) is the one D rule with a safe fix that fires on
    # 10.2.2: it moves netdev_add's "Since:" after "Errors:".
    assert all(code[0] in "FS" or code == "D003" for code in applied), applied
    monkeypatch.chdir(other.parent.parent)
    done = fix_check(_options(other))
    assert done.report.diff() == shown_diff
    changed: list[set[tuple[str, int]]] = []  # each change: the lines it may belong to
    for outcome in done.report.changed():
        old = outcome.source.text.split("\n")
        new = outcome.path.read_text().split("\n")
        matcher = difflib.SequenceMatcher(a=old, b=new, autojunk=False)
        name = outcome.path.name
        for tag, first, last, _, _ in matcher.get_opcodes():
            if tag == "insert":  # between lines first and first + 1
                changed.append({(name, first), (name, first + 1)})
            elif tag != "equal":
                changed += [{(name, n)} for n in range(first + 1, last + 1)]
    flagged = {
        (f.path.name, line)
        for f in done.report.original
        if f.path is not None and f.fix is not None and f.code in applied
        for edit in f.fix.edits
        for line in range(edit.span.line, edit.span.end_line + 1)
    }
    assert [lines for lines in changed if not lines & flagged] == []


# --------------------------------------------------------------------------
# Every fix and suggestion, applied on the real trees (each read with its
# own VERSION), introduces no Q finding; on 7.2.0 none breaks the pre-8.1
# indentation rule either.


def _groups(findings: list[Finding], docs: dict[str, list[tuple[int, int]]]) -> list[list[Finding]]:
    """The findings with a fix, in rounds that take at most one fix per doc
    block (or per line, outside doc blocks): fixes of one block may
    overlap, fixes of different blocks never do."""
    by_block: dict[tuple[str, int], list[Finding]] = {}
    for finding in findings:
        if finding.fix is None or not finding.fix.edits or finding.path is None:
            continue
        path = str(finding.path.resolve())
        line = min(edit.span.line for edit in finding.fix.edits)
        block = next((start for start, end in docs.get(path, []) if start <= line <= end), -line)
        by_block.setdefault((path, block), []).append(finding)
    rounds: list[list[Finding]] = []
    for fixes in by_block.values():
        for index, finding in enumerate(fixes):
            if index == len(rounds):
                rounds.append([])
            rounds[index].append(finding)
    return rounds


def _doc_spans(root: Path) -> dict[str, list[tuple[int, int]]]:
    """Per file, each doc block's lines (from its ``##`` to the definition's
    last line, so a fix writing into the definition stays with its block)."""
    spans: dict[str, list[tuple[int, int]]] = {}
    for module in load_schema(root, root.parents[1]).modules:
        spans[str(module.path.resolve())] = [
            (
                doc.span.line - 1,  # an insertion above the "##" belongs to it too
                doc.definition.span.end_line if doc.definition else doc.span.end_line,
            )
            for doc in module.docs
        ]
    return spans


def _q_identities(findings: list[Finding]) -> Counter[tuple[str, ...]]:
    return Counter(
        (f.code, f.symbol or (f.path.name if f.path else ""), re.sub(r"\d+", "#", f.message))
        for f in findings
        if f.code.startswith("Q")
    )


@pytest.mark.parametrize("release", ["qemu-10.2.2", "qemu-7.2.0"])
def test_every_fix_and_suggestion_introduces_no_q_finding(
    corpus: Path, tmp_path: Path, release: str
) -> None:
    from qapilint.lint.rule import Edit, apply_edits  # noqa: PLC0415
    from qapilint.syntax.docparse import aligned_indent_errors  # noqa: PLC0415

    root = _copy(corpus, release, None, tmp_path)
    options = CheckOptions(paths=[root], isolated=True, select=["ALL"], preview=True)
    first = run_check(options)
    rounds = _groups(first.findings, _doc_spans(root))
    fixes = sum(len(group) for group in rounds)
    print(f"\n{release}: {fixes} fixes and suggestions in {len(rounds)} rounds")
    assert fixes > 50
    baseline = _q_identities(first.findings)
    texts = {path: "\n".join(lines) for path, lines in first.sources.items()}
    for group in rounds:
        edits: dict[Path, list[Edit]] = {}
        for finding in group:
            edits.setdefault(finding.path.resolve(), []).extend(finding.fix.edits)  # type: ignore[union-attr]
        overlay = {path: apply_edits(texts[path], found) for path, found in edits.items()}
        after = run_check(options.replace(select=["Q"], overlay=overlay))
        new = _q_identities(after.findings) - baseline
        assert new == Counter(), f"{release}: fixes {[(f.code, f.span.line) for f in group]}"
        if release == "qemu-7.2.0":  # QEMU 7.2's own indentation rule
            for path, text in overlay.items():
                broken = [
                    start for start, texts in _block_texts(text) if aligned_indent_errors(texts)
                ]
                assert broken == [], f"{path.name}: a fix breaks 7.2's indentation at {broken}"


def _block_texts(text: str) -> list[tuple[int, list[str]]]:
    """(line of the opening ``##``, the texts after ``# ``) of each doc block."""
    blocks: list[tuple[int, list[str]]] = []
    start: int | None = None
    texts: list[str] = []
    for number, line in enumerate(text.split("\n"), start=1):
        stripped = line.strip()
        if stripped == "##":
            if start is None:
                start, texts = number, []
            else:
                blocks.append((start, texts))
                start = None
        elif start is not None and stripped.startswith("#"):
            texts.append(stripped[2:] if stripped.startswith("# ") else stripped[1:])
        elif start is not None and stripped:
            start = None
    return blocks


def test_72_read_with_its_own_version(corpus: Path, tmp_path: Path) -> None:
    """QEMU 7.2.0 with its own VERSION: no F finding its conventions
    contradict (F001, F007 and the 70-column checks are 8.1's), and what
    ``--fix --unsafe-fixes`` writes still follows 7.2's indentation rule
    and draws no new finding."""
    from qapilint.syntax.docparse import aligned_indent_errors  # noqa: PLC0415

    root = _copy(corpus, "qemu-7.2.0", None, tmp_path)
    findings = run_check(_options(root)).findings
    codes = Counter(f.code for f in findings)
    assert not {"F001", "F007", "Q181", "Q182", "Q151", "Q152", "Q203", "Q208"} & set(codes)
    run = fix_check(_options(root), levels=("safe", "unsafe"))
    assert run.report.changed() and run.report.held == []
    for path in root.parent.glob("*.json"):
        broken = [
            start
            for start, texts in _block_texts(path.read_text(encoding="utf-8"))
            if aligned_indent_errors(texts)
        ]
        assert broken == [], f"{path.name}: 7.2 would stop at the blocks at {broken}"
    after = run_check(_options(root)).findings
    assert _fingerprints(after) - _fingerprints(findings) == Counter()
