"""Configuration: discovery, precedence and validation."""

from __future__ import annotations

import contextlib
import dataclasses
import fnmatch
import inspect
import re
import warnings
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from qapilint.cli import main
from qapilint.files.globs import PathGlobs, glob_regex
from qapilint.lint.check import CheckError, CheckOptions, resolve_settings, run_check
from qapilint.lint.config import ConfigError, find_config, load_config
from qapilint.lint.rule import RuleContext, rule_option
from tests.controls_rules import rules_with_tests
from tests.ruledefs import RULES


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def settings(tmp_path: Path, **cli: object):  # type: ignore[no-untyped-def]
    options = CheckOptions(paths=[tmp_path], **cli)  # type: ignore[arg-type]
    return resolve_settings(options, RULES)


def codes(found) -> list[str]:  # type: ignore[no-untyped-def]
    return [rule.code for rule in found.enabled]


# ---------------------------------------------------------------- discovery


def test_pyproject_found_from_a_subfolder(tmp_path: Path) -> None:
    config = write(tmp_path / "pyproject.toml", '[tool.qapilint]\nselect = ["Q"]\n')
    deep = tmp_path / "qapi" / "sub"
    deep.mkdir(parents=True)
    schema = write(deep / "x.json", "")
    assert find_config(deep) == config
    assert find_config(schema) == config
    assert codes(resolve_settings(CheckOptions(paths=[schema]), RULES)) == ["Q101", "Q102"]


def test_pyproject_without_table_is_skipped(tmp_path: Path) -> None:
    outer = write(tmp_path / ".qapilint.toml", 'select = ["S"]\n')
    write(tmp_path / "proj" / "pyproject.toml", '[project]\nname = "x"\n')
    assert find_config(tmp_path / "proj") == outer


def test_dotfile_wins_over_pyproject_in_one_folder(tmp_path: Path) -> None:
    write(tmp_path / "pyproject.toml", '[tool.qapilint]\nselect = ["Q"]\n')
    dotfile = write(tmp_path / ".qapilint.toml", 'select = ["S"]\n')
    assert find_config(tmp_path) == dotfile


def test_nearest_config_wins(tmp_path: Path) -> None:
    write(tmp_path / ".qapilint.toml", 'select = ["S"]\n')
    inner = write(tmp_path / "a" / ".qapilint.toml", 'select = ["Q"]\n')
    assert find_config(tmp_path / "a") == inner


def test_no_config_anywhere(tmp_path: Path) -> None:
    assert find_config(tmp_path) is None or not str(find_config(tmp_path)).startswith(str(tmp_path))


# ---------------------------------------------------------------- precedence


def test_defaults_without_config(tmp_path: Path) -> None:
    found = settings(tmp_path, isolated=True)
    assert codes(found) == ["Q101", "Q102", "S001", "W301", "W302", "L001"]
    assert found.fail_on == "warning"
    assert found.preview is False


def test_config_overrides_defaults(tmp_path: Path) -> None:
    write(
        tmp_path / ".qapilint.toml",
        'select = ["W"]\nignore = ["W302"]\npreview = true\nfail-on = "error"\n',
    )
    found = settings(tmp_path)
    assert codes(found) == ["W301", "W310"]
    assert found.fail_on == "error"
    assert found.preview is True


def test_command_line_overrides_config(tmp_path: Path) -> None:
    write(tmp_path / ".qapilint.toml", 'select = ["W"]\npreview = true\nfail-on = "error"\n')
    found = settings(tmp_path, select=["Q"], preview=False, fail_on="info")
    assert codes(found) == ["Q101", "Q102"]
    assert found.fail_on == "info"
    assert found.preview is False


def test_command_line_ignore_applies_on_top_of_config(tmp_path: Path) -> None:
    write(tmp_path / ".qapilint.toml", 'select = ["W"]\nextend-select = ["S001"]\n')
    assert codes(settings(tmp_path, ignore=["W301"])) == ["S001", "W302"]


def test_isolated_ignores_config(tmp_path: Path) -> None:
    write(tmp_path / ".qapilint.toml", 'select = ["W"]\n')
    assert "Q101" in codes(settings(tmp_path, isolated=True))


def test_explicit_config_file(tmp_path: Path) -> None:
    write(tmp_path / ".qapilint.toml", 'select = ["W"]\n')
    other = write(tmp_path / "elsewhere" / "lint.toml", 'select = ["S"]\n')
    assert codes(settings(tmp_path, config=other)) == ["S001"]


def test_rule_options_and_tree_settings(tmp_path: Path) -> None:
    write(
        tmp_path / "pyproject.toml",
        '[tool.qapilint]\nnext-version = "10.3"\nline-length = 66\n'
        '[tool.qapilint.rule.vague-one]\nwords = ["one", "a single"]\n'
        "[tool.qapilint.rule.W301]\nstrict = true\n",
    )
    tree = settings(tmp_path).tree_info(tmp_path, None)
    assert tree.options == {"vague-one": {"words": ["one", "a single"], "strict": True}}
    vague_one = next(found for found in RULES if found.name == "vague-one")
    assert [rule_option(tree, vague_one, key) for key in ("words", "strict", "limit")] == [
        ["one", "a single"],
        True,
        3,  # the declared default
    ]
    with pytest.raises(KeyError, match="declares no option 'wordz'"):
        rule_option(tree, vague_one, "wordz")
    assert tree.settings == {"next-version": (10, 3), "line-length": 66}
    assert tree.setting("line-length") == 66


def test_every_context_takes_the_rule_being_run() -> None:
    """The engine sets ``rule`` on whatever context it runs a rule with:
    every context has that one slot, a field defaulting to None, and stays
    slotted (no other attribute can be set)."""
    import qapilint.lint.suppress  # noqa: F401, PLC0415 - defines SuppressionContext

    vague_one = next(found for found in RULES if found.name == "vague-one")
    contexts: list[type[RuleContext]] = []
    waiting = RuleContext.__subclasses__()
    while waiting:  # the contexts that note reads of their schema are a level down
        cls = waiting.pop()
        contexts.append(cls)
        waiting += cls.__subclasses__()
    names = {cls.__name__ for cls in contexts}
    assert names >= {
        "ModuleContext",
        "DocContext",
        "DefinitionContext",
        "SchemaContext",
        "SuppressionContext",
    }
    for cls in contexts:
        if cls.__name__ == "SeesSchema":  # their common base, never made itself
            continue
        if dataclasses.is_dataclass(cls):
            field = next(found for found in dataclasses.fields(cls) if found.name == "rule")
            assert field.default is None and field.kw_only
        else:
            parameter = inspect.signature(cls.__init__).parameters["rule"]
            assert parameter.default is None
            assert parameter.kind is inspect.Parameter.KEYWORD_ONLY
        context = cls.__new__(cls)
        context.rule = vague_one
        assert context.rule is vague_one
        with pytest.raises(AttributeError):
            context.something_else = 1  # type: ignore[attr-defined]  # the point: none such


def test_severity_overrides_resolve(tmp_path: Path) -> None:
    write(tmp_path / ".qapilint.toml", '[severity]\nW = "info"\nW301 = "error"\nQ101 = "error"\n')
    config = settings(tmp_path).config
    assert config.severity == {"W": "info", "W301": "error", "Q101": "error"}


# ---------------------------------------------------------------- bad config

BAD = [
    ('selct = ["Q"]\n', "selct", "did you mean 'select'"),
    ('select = "Q"\n', "select", "list of strings"),
    ('select = ["Z9"]\n', "select", "unknown rule code"),
    ('ignore = ["vague-on"]\n', "ignore", "did you mean 'vague-one'"),
    ("extend-select = [1]\n", "extend-select", "list of strings"),
    ('preview = "yes"\n', "preview", "true or false"),
    ('fail-on = "fatal"\n', "fail-on", "'error', 'warning', 'info'"),
    ("next-version = 10.2\n", "next-version", 'string like "10.2"'),
    ('next-version = "ten"\n', "next-version", 'string like "10.2"'),
    ("line-length = 0\n", "line-length", "positive integer"),
    ("line-length = true\n", "line-length", "positive integer"),
    ('roots = ["missing.json"]\n', "roots", "no such schema file"),
    ('per-file-ignores = ["x"]\n', "per-file-ignores", "table"),
    ('exclude = "vendor"\n', "exclude", "list of strings"),
    ('[per-file-ignores]\n"[z-a].json" = ["Q"]\n', "per-file-ignores.[z-a].json", "valid glob"),
    ('[per-file-ignores]\n"*.json" = ["Z1"]\n', "per-file-ignores.*.json", "unknown rule"),
    ('[severity]\nW301 = "fatal"\n', "severity.W301", "'error', 'warning', 'info'"),
    ('[severity]\nNOPE = "info"\n', "severity.NOPE", "unknown rule"),
    ('[severity]\nQ101 = "warning"\n', "severity.Q101", "can only be raised"),
    ('[severity]\nQ = "info"\n', "severity.Q", "can only be raised"),
    ("[rule.no-such-rule]\nx = 1\n", "rule.no-such-rule", "unknown rule"),
    ("[rule.vague-one]\nwordz = []\n", "rule.vague-one.wordz", "unknown option"),
    ('[rule.vague-one]\nlimit = "3"\n', "rule.vague-one.limit", "an integer"),
    ("[rule.vague-one]\nstrict = 1\n", "rule.vague-one.strict", "true or false"),
    ("[rule.vague-one]\nwords = [1]\n", "rule.vague-one.words", "a list"),
    ("rule = 3\n", "rule", "table"),
]


@pytest.mark.parametrize(("text", "key", "why"), BAD, ids=[case[1] for case in BAD])
def test_bad_config_names_file_and_key(tmp_path: Path, text: str, key: str, why: str) -> None:
    path = write(tmp_path / ".qapilint.toml", text)
    with pytest.raises(ConfigError) as caught:
        load_config(path, RULES)
    message = str(caught.value)
    assert str(path) in message
    assert f"'{key}'" in message
    assert why in message


def test_not_toml(tmp_path: Path) -> None:
    path = write(tmp_path / ".qapilint.toml", "select = [\n")
    with pytest.raises(ConfigError, match="not valid TOML"):
        load_config(path, RULES)


def test_pyproject_given_without_table(tmp_path: Path) -> None:
    path = write(tmp_path / "pyproject.toml", "[project]\n")
    with pytest.raises(ConfigError, match=r"no \[tool.qapilint\] table"):
        load_config(path, RULES)


def test_q_severity_may_be_raised_and_mixed_prefix_is_allowed(tmp_path: Path) -> None:
    path = write(tmp_path / ".qapilint.toml", '[severity]\nS001 = "error"\nALL = "info"\n')
    assert load_config(path, RULES).severity == {"S001": "error", "ALL": "info"}


CLI_BAD = [
    ('selct = ["L"]\n', "selct"),
    ('fail-on = "never"\n', "fail-on"),
    ('ignore = ["L999"]\n', "ignore"),
    ("line-length = -1\n", "line-length"),
    ("[rule.unused-suppression]\nx = 1\n", "rule.unused-suppression.x"),
]


@pytest.mark.parametrize(("text", "key"), CLI_BAD, ids=[case[1] for case in CLI_BAD])
def test_bad_config_exits_2_naming_the_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], text: str, key: str
) -> None:
    config = write(tmp_path / ".qapilint.toml", text)
    schema = write(tmp_path / "sub" / "x.json", "")
    assert main(["check", str(schema)]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1
    assert err.startswith("qapilint: error: ")
    assert f"'{key}'" in err
    assert str(config) in err


def test_missing_config_file_exits_2(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    schema = write(tmp_path / "x.json", "")
    assert main(["check", "--config", str(tmp_path / "nope.toml"), str(schema)]) == 2
    assert "nope.toml" in capsys.readouterr().err


def test_config_is_a_directory(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    schema = write(tmp_path / "x.json", "")
    assert main(["check", "--config", str(tmp_path), str(schema)]) == 2
    assert "is a directory" in capsys.readouterr().err


def test_config_with_isolated_is_a_usage_error(tmp_path: Path) -> None:
    assert main(["check", "--config", "x.toml", "--isolated", str(tmp_path)]) == 2


def test_unknown_selector_on_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(CheckError, match="--select"):
        settings(tmp_path, isolated=True, select=["NOPE"])
    assert main(["check", "--isolated", "--ignore", "L0099", str(tmp_path)]) == 2
    assert "--ignore" in capsys.readouterr().err


# ---------------------------------------------------------------- globs


@pytest.mark.parametrize(
    ("pattern", "path", "matches"),
    [
        ("*.json", "a.json", True),
        ("*.json", "qapi/a.json", False),
        ("qapi/*.json", "qapi/a.json", True),
        ("qapi/*.json", "qapi/sub/a.json", False),
        ("qapi/**/*.json", "qapi/sub/deep/a.json", True),
        ("qapi/**/*.json", "qapi/a.json", True),
        ("**/block*.json", "x/y/block-core.json", True),
        ("qapi/[ab]*.json", "qapi/block.json", True),
        ("qapi/[!ab]*.json", "qapi/block.json", False),
        ("qapi/?.json", "qapi/a.json", True),
        ("qapi/", "qapi/a.json", False),
        ("a[[b]c", "a[c", True),  # "[" inside a class is a character
        ("a[&&]c", "a&c", True),  # not a set operation
        ("a[~~]c", "a~c", True),
    ],
)
def test_glob_regex(pattern: str, path: str, matches: bool) -> None:
    assert bool(glob_regex(pattern).match(path)) is matches


def path_matches(pattern: str, path: Path, base: Path) -> bool:
    return PathGlobs([pattern], base).matches(path)


def test_path_matches_relative_to_config_and_by_name(tmp_path: Path) -> None:
    target = write(tmp_path / "qapi" / "block-core.json", "")
    assert path_matches("qapi/block-*.json", target, tmp_path)
    assert path_matches("./qapi/block-*.json", target, tmp_path)
    assert path_matches("block-core.json", target, tmp_path)
    assert not path_matches("other/block-core.json", target, tmp_path)


@given(st.text(alphabet="ab*?[]!-/.\\^$&~|", max_size=12))
def test_glob_regex_compiles_or_raises_re_error(pattern: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no FutureWarning about nested sets
        with contextlib.suppress(re.error):
            glob_regex(pattern)


@given(
    st.text(alphabet="ab*?.", min_size=1, max_size=8),
    st.text(alphabet="ab.", max_size=8),
)
def test_glob_matches_like_fnmatch_within_one_folder(pattern: str, name: str) -> None:
    assert bool(glob_regex(pattern).match(name)) == fnmatch.fnmatchcase(name, pattern)


# ------------------------------------------- one dialect: exclude and per-file-ignores

GLOB_TREE = (
    "a.json",
    "qapi/a.json",
    "qapi/b.json",
    "qapi/sub/b.json",
    "qapi/sub/c-target.json",
    "vendor/x.json",
    "other/vendor/y.json",
)
ALL_FILES = set(GLOB_TREE)


@pytest.mark.parametrize(
    ("pattern", "matched"),
    [
        ("vendor", {"vendor/x.json", "other/vendor/y.json"}),  # a name at any depth
        ("vendor/", {"vendor/x.json", "other/vendor/y.json"}),  # folders only
        ("a.json/", set()),  # a file is no folder
        ("b.json", {"qapi/b.json", "qapi/sub/b.json"}),
        ("*-target.json", {"qapi/sub/c-target.json"}),
        ("qapi/*.json", {"qapi/a.json", "qapi/b.json"}),  # * stays in one folder
        ("qapi/**/*.json", ALL_FILES - {"a.json", "vendor/x.json", "other/vendor/y.json"}),
        ("**/b.json", {"qapi/b.json", "qapi/sub/b.json"}),
        ("qapi/sub", {"qapi/sub/b.json", "qapi/sub/c-target.json"}),  # a folder covers its files
        ("./qapi/sub/", {"qapi/sub/b.json", "qapi/sub/c-target.json"}),
        ("q?pi/[ab].json", {"qapi/a.json", "qapi/b.json"}),
        ("a.json", {"a.json", "qapi/a.json"}),
        ("/a.json", set()),  # absolute: no such file
        ("sub/b.json", set()),  # with a '/', relative to the config's folder
    ],
)
def test_exclude_and_per_file_ignores_match_the_same_paths(
    tmp_path: Path, pattern: str, matched: set[str]
) -> None:
    for name in GLOB_TREE:
        write(tmp_path / name, "##\n# @x:\n#\n# bad\n#\n# Since: 1.0\n##\n{ 'command': 'x' }\n")

    def flagged(config: str) -> set[str]:
        write(tmp_path / ".qapilint.toml", 'select = ["T001"]\n' + config)
        found = run_check(CheckOptions([tmp_path]), rules_with_tests()).findings
        return {Path(str(finding.path)).relative_to(tmp_path).as_posix() for finding in found}

    assert flagged("") == ALL_FILES
    quoted = pattern.replace("\\", "\\\\")
    assert ALL_FILES - flagged(f'exclude = ["{quoted}"]\n') == matched
    assert ALL_FILES - flagged(f'[per-file-ignores]\n"{quoted}" = ["T001"]\n') == matched


def test_exclude_patterns_are_checked_like_per_file_ignores(tmp_path: Path) -> None:
    for key, text in (
        ("exclude", 'exclude = ["[z-a].json"]\n'),
        ("per-file-ignores.[z-a].json", '[per-file-ignores]\n"[z-a].json" = ["Q"]\n'),
    ):
        path = write(tmp_path / ".qapilint.toml", text)
        with pytest.raises(ConfigError, match=re.escape(f"key '{key}': not a valid glob")):
            load_config(path, RULES)
