"""Root discovery: which root schemas a folder or a file is analysed in."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest

from qapilint.files.globs import PathGlobs
from qapilint.schema.roots import IncludeGraph, RootPlan, _holds_test_results, plan_roots
from qapilint.syntax.scan import include_targets, looks_like_qapi

QEMU_ROOTS = {
    "qapi/qapi-schema.json",
    "qga/qapi-schema.json",
    "storage-daemon/qapi/qapi-schema.json",
    "docs/interop/firmware.json",
    "docs/interop/vhost-user.json",
}


def write(top: Path, files: dict[str, str]) -> None:
    for name, text in files.items():
        target = top / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")


def summary(plans: list[RootPlan], top: Path) -> dict[str, set[str] | None]:
    return {
        plan.root.relative_to(top).as_posix(): (
            None
            if plan.report is None
            else {path.relative_to(top).as_posix() for path in plan.report}
        )
        for plan in plans
    }


TREE = {
    "VERSION": "10.2.0\n",
    "qapi/schema.json": "# root\n{ 'include': 'a.json' }\n{ 'include': 'b.json' }\n",
    "qapi/a.json": "##\n# = A\n##\n{ 'enum': 'Abc', 'data': [] }\n",
    "qapi/b.json": "{ 'include': 'a.json' }\n",
    "daemon/schema.json": "{ 'include': '../qapi/a.json' }\n",
    "qapi/unused.json": "# not included by anything: a root of its own\n",
    "data/plain.json": '{"key": "value"}\n',
    "data/list.json": "[1, 2]\n",
    "tests/case.json": "{ 'include': 'case-sub.json' }\n",
    "tests/case.err": "",
    "tests/case-sub.json": "{ 'enum': 'Sub', 'data': [] }\n",
    "tests/lone.json": "{ 'enum': 'Lone', 'data': [] }\n",
    "tests/lone.err": "lone.json:1: boom\n",
    ".hidden/x.json": "{ 'enum': 'Hidden', 'data': [] }\n",
}


def test_sniffing_and_include_scan() -> None:
    assert looks_like_qapi("# comment")
    assert looks_like_qapi("\ufeff\n  { 'enum': 'X' }")
    assert looks_like_qapi("{\n  'include': 'x.json' }")
    assert not looks_like_qapi('{"a": 1}')
    assert not looks_like_qapi("[1]")
    assert not looks_like_qapi("")
    text = "# { 'include': 'commented.json' }\n{ 'include': 'real.json' }\n{'include':'b.json'}"
    assert include_targets(text) == ["real.json", "b.json"]


def test_folder_finds_roots_not_plain_json_nor_test_cases(tmp_path: Path) -> None:
    write(tmp_path, TREE)
    assert summary(plan_roots([tmp_path]), tmp_path) == {
        "daemon/schema.json": None,
        "qapi/schema.json": None,
        "qapi/unused.json": None,
    }


def test_subfolder_plans_other_roots_for_shared_modules(tmp_path: Path) -> None:
    write(tmp_path, TREE)
    assert summary(plan_roots([tmp_path / "qapi"]), tmp_path) == {
        "qapi/schema.json": None,
        "qapi/unused.json": None,
        "daemon/schema.json": {"qapi/a.json"},
    }


def test_module_is_analysed_in_every_root_including_it(tmp_path: Path) -> None:
    write(tmp_path, TREE)
    plans = plan_roots([tmp_path / "qapi" / "a.json", tmp_path / "qapi" / "b.json"])
    assert summary(plans, tmp_path) == {
        "qapi/schema.json": {"qapi/a.json", "qapi/b.json"},
        "daemon/schema.json": {"qapi/a.json"},
    }


def test_root_named_with_its_module_reports_everything(tmp_path: Path) -> None:
    write(tmp_path, TREE)
    plans = plan_roots([tmp_path / "qapi" / "a.json", tmp_path / "qapi" / "schema.json"])
    assert summary(plans, tmp_path)["qapi/schema.json"] is None


def test_named_test_case_and_its_module(tmp_path: Path) -> None:
    write(tmp_path, TREE)
    plans = plan_roots([tmp_path / "tests" / "lone.json", tmp_path / "tests" / "case-sub.json"])
    assert summary(plans, tmp_path) == {
        "tests/lone.json": None,
        "tests/case.json": {"tests/case-sub.json"},
    }


def test_a_test_case_is_no_root_of_a_named_file_outside_the_suite(tmp_path: Path) -> None:
    tree = {
        **TREE,
        "tests/uses-a.json": "{ 'include': '../qapi/a.json' }\n",
        "tests/uses-a.err": "",
    }
    write(tmp_path, tree)
    plans = plan_roots([tmp_path / "qapi" / "a.json"])
    assert summary(plans, tmp_path) == {
        "qapi/schema.json": {"qapi/a.json"},
        "daemon/schema.json": {"qapi/a.json"},
    }
    # inside the suite, cases are read as ever
    assert summary(plan_roots([tmp_path / "tests" / "case-sub.json"]), tmp_path) == {
        "tests/case.json": {"tests/case-sub.json"}
    }


def test_include_loop_without_entry(tmp_path: Path) -> None:
    write(
        tmp_path,
        {
            "VERSION": "10.2.0\n",
            "x.json": "{ 'include': 'y.json' }\n",
            "y.json": "{ 'include': 'x.json' }\n",
        },
    )
    assert plan_roots([tmp_path]) == []  # neither is a root: nothing includes it from outside
    assert summary(plan_roots([tmp_path / "x.json"]), tmp_path) == {"x.json": None}


def test_exclude_patterns(tmp_path: Path) -> None:
    write(tmp_path, TREE)
    plans = plan_roots([tmp_path], PathGlobs(["daemon", "qapi/unused.json"], tmp_path))
    assert summary(plans, tmp_path) == {"qapi/schema.json": None}


def test_non_json_file_named_explicitly_is_its_own_root(tmp_path: Path) -> None:
    write(tmp_path, {"schema.qapi": "{ 'enum': 'Abc', 'data': [] }\n"})
    assert summary(plan_roots([tmp_path / "schema.qapi"]), tmp_path) == {"schema.qapi": None}


def test_corpus_tree_has_exactly_the_five_roots(corpus: Path) -> None:
    top = corpus / "qemu-10.2.2"
    assert summary(plan_roots([top]), top) == dict.fromkeys(QEMU_ROOTS)


def test_corpus_module_in_both_roots(corpus: Path) -> None:
    top = corpus / "qemu-10.2.2"
    plans = summary(plan_roots([top / "qapi" / "block-core.json"]), top)
    assert plans == {
        "qapi/qapi-schema.json": {"qapi/block-core.json"},
        "storage-daemon/qapi/qapi-schema.json": {"qapi/block-core.json"},
    }
    plans = summary(plan_roots([top / "qapi" / "machine.json"]), top)
    assert plans == {"qapi/qapi-schema.json": {"qapi/machine.json"}}


def test_corpus_qapi_folder(corpus: Path) -> None:
    top = corpus / "qemu-10.2.2"
    plans = summary(plan_roots([top / "qapi"]), top)
    assert plans["qapi/qapi-schema.json"] is None
    shared = plans["storage-daemon/qapi/qapi-schema.json"]
    assert shared is not None and len(shared) == 13
    assert set(plans) == {"qapi/qapi-schema.json", "storage-daemon/qapi/qapi-schema.json"}


def test_corpus_test_case_named_explicitly(corpus: Path) -> None:
    suite = corpus / "qemu-10.2.2" / "tests" / "qapi-schema"
    plans = plan_roots([suite / "doc-bad-symbol.json"])
    assert plans == [RootPlan((suite / "doc-bad-symbol.json").resolve(), None)]


def test_cli_reports_a_shared_module_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from qapilint.cli import main  # noqa: PLC0415

    write(
        tmp_path,
        {
            "VERSION": "10.2.0\n",
            "qapi/schema.json": "{ 'pragma': { 'doc-required': true } }\n"
            "{ 'include': 'shared.json' }\n",
            "daemon/schema.json": "{ 'include': '../qapi/shared.json' }\n",
            "qapi/shared.json": "##\n# @Color:\n#\n# @red: red\n##\n"
            "{ 'enum': 'Color', 'data': [ 'red', 'green' ] }\n"
            "{ 'command': 'undocumented' }\n",
        },
    )
    monkeypatch.chdir(tmp_path)
    for target in (".", "qapi/shared.json"):
        assert main(["check", "--select", "Q2", "--format", "json", target]) == 1
        found = json.loads(capsys.readouterr().out)
        # the undescribed value once though both roots read it; doc-required
        # only in the root that sets it
        assert [(f["path"], f["line"], f["code"]) for f in found] == [
            ("qapi/shared.json", 6, "Q203"),
            ("qapi/shared.json", 7, "Q201"),
        ]


def test_hidden_folder_named_explicitly_is_walked(tmp_path: Path) -> None:
    write(tmp_path, TREE)
    assert summary(plan_roots([tmp_path / ".hidden"]), tmp_path) == {".hidden/x.json": None}


def test_excluded_folder_named_explicitly_is_walked(tmp_path: Path) -> None:
    write(tmp_path, TREE)
    # like a file named explicitly, a folder named explicitly is checked
    plans = plan_roots([tmp_path / "daemon"], PathGlobs(["daemon"], tmp_path))
    assert summary(plans, tmp_path) == {"daemon/schema.json": None}


def test_cli_on_the_corpus_tree(corpus: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from qapilint.cli import main  # noqa: PLC0415

    top = corpus / "qemu-10.2.2"
    assert main(["check", "--select", "Q", "--format", "json", str(top)]) == 0
    assert json.loads(capsys.readouterr().out) == []


@pytest.mark.parametrize("module", ["qapi/block.json", "qapi/migration.json", "qapi/ui.json"])
def test_a_module_named_alone_gets_its_share_of_the_roots_findings(
    corpus: Path, module: str
) -> None:
    """Naming a module runs its root's rules on that module only; what it
    reports is exactly the root's findings in that module."""
    from qapilint.lint.check import CheckOptions, run_check  # noqa: PLC0415

    top = corpus / "qemu-10.2.2"
    path = (top / module).resolve()

    def found(paths: list[Path]) -> list[tuple[object, ...]]:
        result = run_check(CheckOptions(paths=paths, isolated=True, preview=True))
        return sorted((f.span, f.code, f.message) for f in result.findings if f.path == path)

    alone = found([path])
    assert alone == found([top / "qapi" / "qapi-schema.json"])
    assert alone  # a real comparison: these modules have (preview) findings


def test_a_folder_holds_test_results_when_a_file_is_named_x_err(tmp_path: Path) -> None:
    write(tmp_path, {"a/case.err": "", "b/.err": "", "c/case.json": "{}"})
    assert _holds_test_results(tmp_path / "a")
    assert not _holds_test_results(tmp_path / "b")  # a hidden file: no suffix
    assert not _holds_test_results(tmp_path / "c")
    assert not _holds_test_results(tmp_path / "missing")


def test_the_include_graph_keys_normalised_paths(tmp_path: Path) -> None:
    write(tmp_path, {"q/root.json": "{ 'include': '../q/./sub.json' }\n", "q/sub.json": "# x\n"})
    graph = IncludeGraph(tmp_path)
    root, sub = str(tmp_path / "q" / "root.json"), str(tmp_path / "q" / "sub.json")
    assert graph.includes == {root: [sub], sub: []}
    assert graph.is_root(root) and not graph.is_root(sub)
    assert graph.roots_including(sub) == [Path(root)]


def _scanned_include_targets(text: str) -> list[str]:
    """What a scan of the whole text with the directive's pattern finds."""
    pattern = re.compile(r"\{\s*'include'\s*:\s*'([^'\\\n]*)'")
    found = []
    for match in pattern.finditer(text):
        line_start = text.rfind("\n", 0, match.start()) + 1
        if "#" not in text[line_start : match.start()]:
            found.append(match.group(1))
    return found


def test_include_scan_finds_what_a_whole_text_scan_finds() -> None:
    pieces = ["{", " ", "\n", "'include'", ":", "'a.json'", "'", "#", "x", "{ 'include': '{ "]
    generator = random.Random(17)
    for _ in range(3000):
        text = "".join(generator.choice(pieces) for _ in range(generator.randrange(1, 14)))
        assert include_targets(text) == _scanned_include_targets(text), text
    nested = "{ 'include': '{ 'include': 'x.json' }' }"
    assert include_targets(nested) == _scanned_include_targets(nested) == ["{ "]
