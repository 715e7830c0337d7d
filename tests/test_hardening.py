"""What a new user hit on the first day: each test runs the real command
line (``main(argv)``, every built-in rule) on a tree in a temporary folder
and checks what the user sees: one line on stderr and exit 2 for a usage,
configuration or I/O problem, never an internal error."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

import pytest

from qapilint.cli import main
from qapilint.fix.fixer import fix_findings
from qapilint.lint.rule import Edit, Finding, Fix
from qapilint.lint.ruleindex import Deferred, builtin_rules
from qapilint.syntax import fastparse
from qapilint.syntax.fastparse import load_tables
from qapilint.syntax.model import Span

PROJECT = Path(__file__).resolve().parent.parent

CLEAN = "##\n# @ping:\n#\n# Answers.\n#\n# Since: 10.0\n##\n{ 'command': 'ping' }\n"


def write(path: Path, data: str | bytes) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(data, bytes):
        path.write_bytes(data)
    else:
        path.write_text(data, encoding="utf-8")
    return path


def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    status = main(argv)
    out, err = capsys.readouterr()
    return status, out, err


def assert_one_line_error(status: int, err: str, *needles: str) -> None:
    assert status == 2, err
    assert err.startswith("qapilint: error: ") and err.count("\n") == 1, err
    assert "internal error" not in err and "Traceback" not in err, err
    for needle in needles:
        assert needle in err, err


@pytest.fixture(autouse=True)
def _in_tmp(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("NO_COLOR", raising=False)
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))


# --------------------------------------------------------------------------
# 1. internal errors on hostile configuration, VERSION and output


@pytest.mark.parametrize(
    ("name", "data"),
    [
        (".qapilint.toml", b"\xff\xfe"),
        (".qapilint.toml", b'select = ["Q"]\n# caf\xe9\n'),
        ("pyproject.toml", b'[tool.qapilint]\nselect = ["Q"]\n\xff\n'),
    ],
)
def test_a_configuration_that_is_not_utf8_is_a_configuration_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], name: str, data: bytes
) -> None:
    write(tmp_path / "VERSION", "10.2.2\n")
    schema = write(tmp_path / "qapi" / "ui.json", CLEAN)
    config = write(tmp_path / name, data)
    status, out, err = run(["check", str(schema)], capsys)
    assert_one_line_error(status, err, str(config), "not UTF-8")
    assert out == ""
    status, out, err = run(["check", "--config", str(config), str(schema)], capsys)
    assert_one_line_error(status, err, str(config), "not UTF-8")


def test_a_configuration_nested_too_deeply_is_a_configuration_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    schema = write(tmp_path / "x.json", CLEAN)
    config = write(tmp_path / "deep.toml", "a = " + "[" * 5000 + "]" * 5000 + "\n")
    status, _out, err = run(["check", "--config", str(config), str(schema)], capsys)
    assert_one_line_error(status, err, str(config), "nested too deeply")


@pytest.mark.parametrize("root", ["a\x00b.json", "a" * 5000 + ".json"])
def test_a_configured_root_that_is_no_usable_path_names_the_key(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], root: str
) -> None:
    schema = write(tmp_path / "x.json", CLEAN)
    escaped = root.replace("\x00", "\\u0000")
    config = write(tmp_path / ".qapilint.toml", f'roots = ["{escaped}"]\n')
    status, _out, err = run(["check", str(schema)], capsys)
    assert_one_line_error(status, err, str(config), "key 'roots'")


def test_a_version_of_thousands_of_digits_counts_as_current(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path / "VERSION", "1" * 5000 + ".0\n")  # int() refuses over 4300 digits
    schema = write(tmp_path / "x.json", CLEAN)
    status, out, err = run(["check", "--isolated", str(schema)], capsys)
    assert (status, out, err) == (0, "All checks passed.\n", "")


def test_a_version_file_that_never_ends_is_not_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "VERSION").symlink_to("/dev/zero")
    schema = write(tmp_path / "x.json", CLEAN)
    status, out, _err = run(["check", "--isolated", str(schema)], capsys)
    assert (status, out) == (0, "All checks passed.\n")


@pytest.mark.parametrize(
    ("version", "since"),
    [("100000000.2.50", "10.0"), ("10.2.2", "100000000.3"), ("10.2.2", "1" * 5000 + ".0")],
)
def test_huge_release_numbers_take_no_time(tmp_path: Path, version: str, since: str) -> None:
    """A release far past the known history is computed, never listed (a
    list up to major 100000000 took minutes and gigabytes)."""
    write(tmp_path / "VERSION", version + "\n")
    schema = write(tmp_path / "x.json", CLEAN.replace("Since: 10.0", f"Since: {since}"))
    done = subprocess.run(
        [sys.executable, "-m", "qapilint.cli", "check", "--isolated", str(schema)],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode in (0, 1), done.stderr
    assert done.stderr == ""


@pytest.fixture
def undecodable_name(tmp_path: Path) -> Path:
    """A folder holding a schema, with a syntax error, whose file name is
    not UTF-8."""
    folder = tmp_path / "d"
    folder.mkdir()
    name = b"\xff.json".decode("utf-8", "surrogateescape")  # as os.listdir() gives it
    try:
        (folder / name).write_text("{ 'command': 'a'\n")
    except (OSError, UnicodeEncodeError):
        pytest.skip("this file system does not take file names that are not UTF-8")
    return folder


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github"])
def test_an_undecodable_file_name_in_the_output_file(
    undecodable_name: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str], fmt: str
) -> None:
    report = tmp_path / "report.out"
    argv = ["check", "--isolated", "--format", fmt, "-o", str(report), str(undecodable_name)]
    status, _out, err = run(argv, capsys)
    assert status == 1, err
    assert "\\udcff.json" in report.read_text(encoding="utf-8")


def test_an_undecodable_file_name_on_a_strict_terminal(
    undecodable_name: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for encoding in ("utf-8", "ascii"):
        buffer = io.BytesIO()
        stream = io.TextIOWrapper(buffer, encoding=encoding, errors="strict")
        monkeypatch.setattr(sys, "stdout", stream)
        status = main(["check", "--isolated", str(undecodable_name)])
        stream.flush()
        assert status == 1, capsys.readouterr().err
        assert b"\\udcff.json:1:" in buffer.getvalue()


# --------------------------------------------------------------------------
# 2. a path without any schema is an error, not a green run


@pytest.mark.parametrize("extra", [[], ["--fix"], ["--diff"], ["--format", "json"]])
def test_paths_without_any_schema_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], extra: list[str]
) -> None:
    write(tmp_path / "some" / "folder" / "package.json", '{"name": "not qapi"}\n')
    write(tmp_path / "other" / "README", "nothing here\n")
    argv = ["check", "--isolated", *extra, "some/folder/", "other"]
    status, out, err = run(argv, capsys)
    assert_one_line_error(status, err, "no QAPI schema file found in some/folder, other")
    assert out == ""


def test_a_folder_without_schemas_among_others_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path / "qapi" / "x.json", CLEAN)
    (tmp_path / "qapl").mkdir()  # a typo
    status, out, err = run(["check", "--isolated", "qapi", "qapl"], capsys)
    assert (status, out) == (0, "All checks passed.\n")
    assert err == "qapilint: warning: qapl: no QAPI schema file found there\n"


# --------------------------------------------------------------------------
# 3. the text report never echoes control bytes; the caret stays aligned


def _control_free(text: str) -> bool:
    """No character a terminal could act on but line ends and tabs."""
    return all(char in "\n\t" or char.isprintable() for char in text)


def test_an_included_binary_file_is_shown_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path / "VERSION", "10.2.2\n")
    root = write(tmp_path / "root.json", "{ 'include': 'blob.json' }\n")
    # ESC [2J clears the screen; U+009B (UTF-8 c2 9b) is CSI, the one-character ESC [
    write(tmp_path / "blob.json", b"\x7fELF\x02\x01\x01\x00\x00\x1b[2J\x07\xc2\x9b\x00\n")
    status, out, err = run(["check", "--isolated", str(root)], capsys)
    assert status == 1, err
    assert _control_free(out), repr(out)
    assert "1 | \\x7fELF\\x02\\x01\\x01\\x00\\x00\\x1b[2J\\x07\\x9b\\x00\n" in out


@pytest.mark.parametrize(
    "before",
    [
        "\x1b[31m",  # a colour escape
        "\x00\x00",  # NUL bytes
        "\u202e",  # right-to-left override
        "\u65e5\u672c",  # wide characters: two columns each
        "e\u0301",  # a combining accent: none
        "\t",  # a tab stays a tab, above and below
    ],
)
def test_the_caret_stays_under_the_span_as_shown(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], before: str
) -> None:
    """Q182 (one space between sentences) points at the single space after
    'red.'; in the report the caret must stand under that space."""
    write(tmp_path / "VERSION", "10.2.2\n")
    line = f"# Shows {before}red. Then the rest."
    text = CLEAN.replace("# Answers.", line)
    schema = write(tmp_path / "x.json", text)
    status, out, err = run(["check", "--isolated", "--select", "Q182", str(schema)], capsys)
    assert status == 1, err
    assert _control_free(out), repr(out)
    lines = out.split("\n")
    source = next(index for index, shown in enumerate(lines) if shown.startswith("4 | "))
    shown, under = lines[source][4:], lines[source + 1][4:]
    # columns as a terminal shows them: a wide character takes two, a
    # combining mark none, a tab advances alike in both lines
    columns = [2 if "\u4e00" <= c <= "\u9fff" else 0 if c == "\u0301" else 1 for c in shown]
    at = sum(columns[: shown.index("red. ") + len("red.")])
    caret_at = sum(1 for c in under[: under.index("^")])
    assert under.strip(" \t") == "^"
    assert caret_at == at, (shown, under)
    assert under[:caret_at].replace(" ", "") == shown[: shown.index("red.")].count("\t") * "\t"


# --------------------------------------------------------------------------
# 4. options that would be silently ignored together are refused


@pytest.mark.parametrize(
    ("options", "needle"),
    [
        (["--diff", "--format", "json"], "--diff prints a unified diff, not --format json"),
        (["--diff", "--format", "sarif"], "--diff prints a unified diff, not --format sarif"),
        (["--diff", "--statistics"], "--diff prints a unified diff, not --statistics"),
        (["--diff", "--fix"], "use one of them"),
        (["--unsafe-fixes"], "--unsafe-fixes only matters with --fix or --diff"),
        (["--unsafe-fixes", "--format", "json"], "--unsafe-fixes only matters"),
        (["--statistics", "--format", "github"], "--statistics prints text or json"),
        (["--statistics", "--format", "sarif"], "--statistics prints text or json"),
        (["--exit-zero", "--fail-on", "error"], "--fail-on would change nothing"),
    ],
)
def test_combinations_that_would_be_ignored_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], options: list[str], needle: str
) -> None:
    text = CLEAN.replace("# Answers.", "# Answers. Fast.")  # a safe fix (Q182)
    schema = write(tmp_path / "x.json", text)
    status, out, err = run(["check", "--isolated", *options, str(schema)], capsys)
    assert_one_line_error(status, err, needle)
    assert out == ""
    assert schema.read_text(encoding="utf-8") == text


@pytest.mark.parametrize(
    "options",
    [
        ["--diff", "--unsafe-fixes"],
        ["--fix", "--unsafe-fixes", "--format", "json"],
        ["--diff", "--format", "text", "--exit-zero"],
        ["--statistics", "--format", "json"],
    ],
)
def test_combinations_that_mean_something_still_work(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], options: list[str]
) -> None:
    schema = write(tmp_path / "x.json", CLEAN.replace("# Answers.", "# Answers. Fast."))
    status, out, err = run(["check", "--isolated", *options, str(schema)], capsys)
    assert status in (0, 1), err
    assert "error" not in err
    assert out


# --------------------------------------------------------------------------
# 5. "Fixed N" counts the findings fixed, not fix applications


def test_a_finding_a_fix_makes_and_the_next_round_fixes_is_not_counted(tmp_path: Path) -> None:
    """'a' has a fix to 'bb', and 'bb' has a fix to 'c': one finding of
    the user's is fixed, in two rounds."""
    path = write(tmp_path / "s.json", "##\n# @Foo: a\n##\n{ 'struct': 'Foo' }\n")

    def lint(overlay: Mapping[Path, str]) -> list[Finding]:
        line = overlay.get(path.resolve(), path.read_text()).split("\n")[1]
        found = []
        for word, better in (("a", "bb"), ("bb", "c")):
            col = line.find(word, len("# @Foo: ")) + 1
            if col:
                span = Span.at(2, col, len(word))
                fix = Fix.safe([Edit(span, better)])
                found.append(Finding(span, f"'{word}' wants '{better}'", fix=fix, path=path))
        return found

    report = fix_findings(lint)
    assert report.rounds == 2 and report.findings == []
    assert report.applied == 1


def test_fixed_count_matches_the_findings_gone_on_qemu(
    corpus: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """On QEMU 10.2.2's qom.json a re-indent (F001) makes a line too long
    (Q181), which the next round rewraps: 'Fixed' said one more than the
    findings that went away."""
    tree = tmp_path / "qemu"
    shutil.copytree(corpus / "qemu-10.2.2" / "qapi", tree / "qapi")
    shutil.copy(corpus / "qemu-10.2.2" / "VERSION", tree / "VERSION")
    module = str(tree / "qapi" / "qom.json")
    before = json.loads(run(["check", "--format", "json", module], capsys)[1])
    fixable = sum(1 for f in before if f["fix"] and f["fix"]["applicability"] == "safe")
    status, _out, err = run(["check", "--fix", "--format", "json", module], capsys)
    after = json.loads(run(["check", "--format", "json", module], capsys)[1])
    assert status == (1 if after else 0)
    assert fixable > 0 and len(before) - len(after) == fixable
    assert f"Fixed {fixable} finding(s) in 1 file(s).\n" in err


# --------------------------------------------------------------------------
# 6. error recovery: a '{' in column 1 that ends an unterminated expression
# starts the next one, whose own errors are reported


def test_the_expression_after_an_unterminated_one_is_read_anew(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    schema = write(
        tmp_path / "x.json",
        "{ 'struct': 'A', 'data': { 'a': 'int' } }\n"
        "{ 'struct': 'B' 'data': {} }\n"
        "{ 'struct': 'C', 'data': { 'c': 'int' }\n"
        "{ 'struct': 'D', 'data': [ }\n",
    )
    argv = ["check", "--isolated", "--select", "Q1", "--format", "json", str(schema)]
    status, out, err = run(argv, capsys)
    assert status == 1, err
    found = [(f["line"], f["column"], f["code"], f["message"]) for f in json.loads(out)]
    assert found == [
        (2, 17, "Q102", "expected ',' or '}'"),  # B: a missing comma
        (4, 1, "Q102", "expected ',' or '}'"),  # C: unterminated, as QEMU says
        (4, 28, "Q102", "expected '{', '[', ']', string, or boolean"),  # D's own
    ]


# --------------------------------------------------------------------------
# 7. python -m qapilint, and profiling it


def _python(*argv: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, *argv], capture_output=True, text=True, cwd=cwd, timeout=120, check=False
    )


def test_python_m_qapilint_is_the_command(tmp_path: Path) -> None:
    schema = write(tmp_path / "x.json", CLEAN.replace("# Answers.", "# Answers. Fast."))
    done = _python("-m", "qapilint", "check", "--isolated", str(schema), cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    assert "Q182 [sentence-spacing]" in done.stdout
    assert done.stdout.endswith("Found 1 problem (1 error). 1 with a safe fix.\n")


@pytest.mark.parametrize("module", ["qapilint", "qapilint.cli"])
def test_profiling_with_cprofile_reports(tmp_path: Path, module: str) -> None:
    """The recipe of bench/README.md: the console script leaves with
    os._exit, which used to cut the profiler's report off."""
    schema = write(tmp_path / "x.json", CLEAN)
    argv = ["check", "--isolated", "--output-file", str(tmp_path / "report.txt"), str(schema)]
    done = _python("-m", "cProfile", "-s", "cumulative", "-m", module, *argv, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "function calls" in done.stdout and "run_check" in done.stdout
    assert (tmp_path / "report.txt").read_text() == "All checks passed.\n"
    stats = tmp_path / "qapilint.prof"
    done = _python("-m", "cProfile", "-o", str(stats), "-m", module, *argv, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert stats.stat().st_size > 0


# --------------------------------------------------------------------------
# 8. a cache folder that cannot be written is still read


def test_a_read_only_cache_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "cache" / "qapilint"
    assert load_tables() and builtin_rules()  # fill the (empty) cache
    assert sorted(path.name for path in folder.iterdir())
    before = {path.name: path.stat().st_mtime_ns for path in folder.iterdir()}
    folder.chmod(0o555)
    real_access = os.access

    def access(path: object, mode: int, **kwargs: object) -> bool:
        # root may write anywhere: answer for it as for anyone else
        if mode & os.W_OK and str(path).startswith(str(folder)):
            return False
        return real_access(path, mode, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "access", access)
    try:

        def rebuilt(*_args: object) -> None:
            raise AssertionError("the parser tables were made anew, not read")

        monkeypatch.setattr(fastparse, "tables_from_lark", rebuilt)
        assert load_tables()[1] == fastparse.grammar_text()
        rules = builtin_rules()
        assert rules and all(isinstance(found.function, Deferred) for found in rules)
        assert {path.name: path.stat().st_mtime_ns for path in folder.iterdir()} == before
    finally:
        folder.chmod(0o755)


# --------------------------------------------------------------------------
# 9. QEMU's conformance suite: skipped on purpose, and said so


def test_the_conformance_suite_folder_says_why_nothing_was_checked(
    corpus: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(corpus / "qemu-10.2.2")
    status, out, err = run(["check", "tests/qapi-schema"], capsys)
    assert_one_line_error(status, err, "no QAPI schema file found in tests/qapi-schema: ")
    assert out == ""
    assert "QEMU's own test cases, skipped on purpose" in err
    suggested = err.rstrip("\n").rsplit("name one to check it: ", 1)[1]
    assert suggested.startswith("qapilint check tests/qapi-schema/")
    case = suggested.removeprefix("qapilint check ")
    assert Path(case).with_suffix(".err").is_file()
    status, out, err = run(["check", case], capsys)  # the advice works
    assert status in (0, 1) and "error: " not in err, err


def test_test_cases_are_counted_and_an_example_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path / "suite" / "bad-name.json", "{ 'struct': 'bad name' }\n")
    write(tmp_path / "suite" / "bad-name.err", "bad-name.json:1: ...\n")
    write(tmp_path / "suite" / "good.json", "{ 'enum': 'E', 'data': [] }\n")
    write(tmp_path / "suite" / "good.err", "")
    write(tmp_path / "suite" / "MANIFEST.json", '{"cases": []}\n')
    status, _out, err = run(["check", "--isolated", "suite"], capsys)
    assert_one_line_error(
        status,
        err,
        "the 2 .json file(s) there with a .err file beside them are QEMU's own test cases",
        "name one to check it: qapilint check suite/bad-name.json\n",
    )
