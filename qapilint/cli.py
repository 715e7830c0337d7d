"""The ``qapilint`` command: argument parsing and wiring, nothing more.

Exit status: 0 when no finding is at or above the fail-on severity, 1 when
one is, 2 for a usage, configuration or I/O error (one line on stderr).
"""

from __future__ import annotations

import argparse
import gc
import os
import sys
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any, NoReturn, TextIO

from qapilint import GC_THRESHOLDS, __version__
from qapilint.files import regexes
from qapilint.lint.check import CheckError, CheckOptions, CheckResult, run_check
from qapilint.lint.engine import RuleLoadError, load_rules
from qapilint.lint.rule import SEVERITIES, Applicability, Rule
from qapilint.lint.selection import find_rule, suggest
from qapilint.report import ReportInput, has_statistics, render
from qapilint.report import names as format_names

PROG = "qapilint"


class UsageError(Exception):
    """Bad command-line usage: one line, exit 2."""


class _HelpFormatter(argparse.HelpFormatter):
    """argparse's help formatter, made without asking for the terminal's
    width, which it needs only to format help. argparse makes a formatter
    for every argument added (to check its metavar), and asking imports
    :mod:`shutil` (and with it the archive modules): a tenth of the
    parser's cost in a run that formats no help at all."""

    def __init__(self, prog: str) -> None:
        super().__init__(prog, width=_WIDTH_UNASKED)

    def format_help(self) -> str:
        # argparse's own width and help column for this terminal
        asked = argparse.HelpFormatter(self._prog)
        self._width, self._max_help_position = asked._width, asked._max_help_position
        return super().format_help()


_WIDTH_UNASKED = 80  # what the width is until help is formatted: any width will do


class _Parser(argparse.ArgumentParser):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("formatter_class", _HelpFormatter)
        super().__init__(*args, **kwargs)

    def error(self, message: str) -> NoReturn:
        raise UsageError(message)


def _codes(value: str) -> list[str]:
    return [part.strip() for part in value.split(",") if part.strip()]


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The command line's parser. With ``command``, only that command gets
    its arguments (the others are still listed, with their help): each
    argument costs argparse a help formatter, which asks for the terminal's
    size, and a run parses one command's arguments."""
    parser = _Parser(
        prog=PROG,
        description="A linter for QEMU's QAPI schema documentation.",
        epilog="Exit status: 0 no finding at or above --fail-on, 1 findings, "
        "2 usage, configuration or I/O error.",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {__version__}")
    # prog given: argparse would format the usage (with the terminal's width) to find it
    commands = parser.add_subparsers(
        dest="command", metavar="COMMAND", parser_class=_Parser, prog=PROG
    )
    commands.required = True
    for name, (summary, description, arguments) in _COMMANDS.items():
        sub = commands.add_parser(name, help=summary, description=description)
        if command is None or command == name:
            arguments(sub)
    return parser


def _command_named(argv: Sequence[str]) -> str | None:
    """The command ``argv`` names, when it plainly names one: its first
    word not starting with ``-``. Anything else (no such word, an unknown
    one) is None, and the whole parser settles it; where argparse would
    take another word for the command, it fails on that word before it
    reads any command's arguments."""
    word = next((arg for arg in argv if not arg.startswith("-")), None)
    return word if word in _COMMANDS else None


def _check_arguments(check: argparse.ArgumentParser) -> None:
    check.add_argument(
        "paths", nargs="+", type=Path, metavar="PATH", help="schema files or folders to check"
    )
    check.add_argument("--format", choices=format_names(), default="text")
    check.add_argument(
        "--diff-base",
        metavar="REF",
        help="report only the findings introduced since the merge-base of REF and HEAD "
        "(or since REF, a folder holding another tree)",
    )
    check.add_argument(
        "--staged",
        action="store_true",
        help="report only the findings the staged changes introduce (the index against HEAD)",
    )
    check.add_argument(
        "--baseline",
        type=Path,
        metavar="FILE",
        help="hide the findings FILE accepts (made by `qapilint baseline`)",
    )
    _selection_options(check)
    _check_flags(check)


def _patch_arguments(patch: argparse.ArgumentParser) -> None:
    patch.add_argument(
        "patches", nargs="+", metavar="PATCH", help="patch or mailbox files; - reads stdin"
    )
    patch.add_argument("--format", choices=format_names(), default="text")
    patch.add_argument(
        "--base", metavar="REF", help="the base to apply the series to, when no other is found"
    )
    _selection_options(patch)
    _outcome_options(patch, "print findings only, no summary and no word on the base")
    _path_options(patch, "--output-file", "--config")


def _baseline_arguments(baseline: argparse.ArgumentParser) -> None:
    baseline.add_argument("file", type=Path, metavar="FILE", help="the baseline to write")
    baseline.add_argument(
        "paths", nargs="+", type=Path, metavar="PATH", help="schema files or folders to check"
    )
    _selection_options(baseline)
    _path_options(baseline, "--config", "--tree-root")
    baseline.add_argument("--isolated", action="store_true", help="ignore all configuration files")


def _show_arguments(show: argparse.ArgumentParser) -> None:
    show.add_argument("symbol", metavar="SYMBOL", help="the name of a command, type or event")
    show.add_argument(
        "paths",
        nargs="*",
        type=Path,
        metavar="PATH",
        help="schema files or folders to search (default: the current folder)",
    )
    _path_options(show, "--config", "--tree-root")
    show.add_argument("--isolated", action="store_true", help="ignore all configuration files")


def _rules_arguments(rules: argparse.ArgumentParser) -> None:
    rules.add_argument("--format", choices=("text", "json"), default="text")


def _explain_arguments(explain: argparse.ArgumentParser) -> None:
    explain.add_argument("rule", metavar="CODE|NAME")


def _selection_options(command: argparse.ArgumentParser) -> None:
    for flag, default, purpose in (
        ("--select", None, "rules to run (replaces the configured selection)"),
        ("--extend-select", [], "rules to run in addition"),
        ("--ignore", [], "rules not to run"),
    ):
        command.add_argument(
            flag,
            action="append",
            type=_codes,
            default=default,
            metavar="CODES",
            help=f"{purpose}: codes, prefixes (Q, W3), names or ALL, comma-separated",
        )
    command.add_argument(
        "--preview", action="store_true", default=None, help="also run preview rules"
    )


# Options several commands share: flags, and options naming a file or folder
_PATH_OPTIONS: dict[str, tuple[tuple[str, ...], str, str]] = {
    "--output-file": (
        ("--output-file", "-o"),
        "FILE",
        "write the report to FILE instead of standard output",
    ),
    "--config": (
        ("--config",),
        "FILE",
        "read this configuration file instead of searching for one",
    ),
    "--tree-root": (
        ("--tree-root",),
        "DIR",
        "the top of the source tree (includes may not leave it)",
    ),
}


def _path_options(command: argparse.ArgumentParser, *names: str) -> None:
    for name in names:
        flags, metavar, purpose = _PATH_OPTIONS[name]
        command.add_argument(*flags, type=Path, metavar=metavar, help=purpose)


def _outcome_options(command: argparse.ArgumentParser, quiet: str) -> None:
    """What decides the exit status and how the report looks, for commands
    that report findings; ``quiet`` says what --quiet leaves out."""
    command.add_argument(
        "--fail-on",
        choices=SEVERITIES[::-1],
        default=None,
        help="lowest severity that makes the exit status 1 (default: warning)",
    )
    for flags, purpose in (
        (("--exit-zero",), "exit 0 even when there are findings"),
        (("--quiet", "-q"), quiet),
        (("--isolated",), "ignore all configuration files"),
        (("--no-color",), "never colour the output"),
    ):
        command.add_argument(*flags, action="store_true", help=purpose)


def _check_flags(check: argparse.ArgumentParser) -> None:
    _outcome_options(check, "print findings only, no summary")
    for flags, purpose in (
        (("--statistics",), "print counts per rule instead of the findings"),
        (("--fix",), "apply safe fixes to the files"),
        (("--unsafe-fixes",), "with --fix or --diff, also apply unsafe fixes"),
        (("--diff",), "print the diff --fix would apply; write nothing"),
        (
            ("--no-cache",),
            "neither read nor write the findings cache (also: QAPILINT_NO_CACHE=1)",
        ),
    ):
        check.add_argument(*flags, action="store_true", help=purpose)
    _path_options(check, "--output-file", "--config", "--tree-root")


# each command: its line in the command list, its help's description (None:
# none), and what adds its arguments
_COMMANDS: dict[str, tuple[str, str | None, Callable[[argparse.ArgumentParser], None]]] = {
    "check": ("check QAPI schema files or folders", None, _check_arguments),
    "patch": (
        "check a patch series (git format-patch files, a mailbox, or - for stdin)",
        "Check what a patch series introduces, each finding attributed to the patch that "
        "introduced it. The base is the parent of the first patch's commit, the series' "
        "base-commit: trailer, HEAD when the series is already applied, or --base REF, the "
        "first the series applies to; patches are applied in a temporary index, never to "
        "the checkout.",
        _patch_arguments,
    ),
    "baseline": (
        "write the fingerprints of today's findings to a baseline file",
        None,
        _baseline_arguments,
    ),
    "show": (
        "show one definition's documentation as the manual will",
        "Print SYMBOL's documentation as QEMU's manual renders it, as plain text: its kind "
        "and name, the body, members with their types, features, returns, errors and since.",
        _show_arguments,
    ),
    "rules": ("list every rule", None, _rules_arguments),
    "explain": ("show a rule's documentation", None, _explain_arguments),
}


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    try:
        return _main(list(sys.argv[1:] if argv is None else argv))
    except UsageError as error:
        return _fail(str(error))
    except (CheckError, RuleLoadError) as error:
        return _fail(str(error))
    except OSError as error:
        where = f"{error.filename}: " if error.filename else ""
        return _fail(f"{where}{error.strerror or error}")
    except KeyboardInterrupt:
        return 130
    except Exception as error:  # a bug: still one line, unless asked for the traceback
        if os.environ.get("QAPILINT_TRACEBACK"):
            raise
        return _fail(
            f"internal error: {type(error).__name__}: {error} "
            "(run with QAPILINT_TRACEBACK=1 to see where, and please report it)"
        )


def _fail(message: str) -> int:
    print(f"{PROG}: error: {message}", file=sys.stderr)
    return 2


def _main(argv: list[str]) -> int:
    parser = build_parser(_command_named(argv))
    try:
        args = parser.parse_args(argv)
    except SystemExit as leaving:  # --help and --version
        return int(leaving.code or 0)
    if args.command == "check":
        return _check(args)
    if args.command == "baseline":
        return _baseline(args)
    if args.command == "patch":
        return _patch(args)
    if args.command == "show":
        return _show(args)
    if args.command == "rules":
        return _rules(args)
    return _explain(args)


# --------------------------------------------------------------------------
# check


def _flatten(groups: list[list[str]] | None) -> list[str]:
    return [code for group in groups or [] for code in group]


def _options(args: argparse.Namespace) -> CheckOptions:
    return CheckOptions(
        paths=args.paths,
        select=_flatten(args.select) if args.select is not None else None,
        extend_select=_flatten(args.extend_select),
        ignore=_flatten(args.ignore),
        preview=args.preview,
        fail_on=getattr(args, "fail_on", None),
        config=args.config,
        isolated=args.isolated,
        tree_root=args.tree_root,
    )


def _check(args: argparse.Namespace) -> int:
    _refuse_combinations(args)
    _refuse_mail(args.paths)
    options = _options(args)
    if args.fix or args.diff:
        return _fix(args, options)
    if args.diff_base is not None or args.staged or args.baseline is not None:
        result = _changed(args, options)
    else:
        options.cache = not args.no_cache and not os.environ.get("QAPILINT_NO_CACHE")
        result = run_check(options)
    _warn(args, result)
    _report(args, result)
    return _status(args, result)


def _refuse_mail(paths: Sequence[Path]) -> None:
    """A patch or mailbox named to ``check`` is pointed at ``patch``."""
    from qapilint.change.mailhead import looks_like_mail  # noqa: PLC0415

    for path in paths:
        if not path.is_file():
            continue
        try:
            with path.open("rb") as handle:
                head = handle.read(1024)
        except OSError:
            continue
        if looks_like_mail(head):
            raise UsageError(
                f"{path} is a patch or a mailbox, not a schema: use qapilint patch {path}"
            )


def _patch(args: argparse.Namespace) -> int:
    """``qapilint patch PATCH...``: what a series introduces, by patch."""
    from qapilint.change.patch import run_patch  # noqa: PLC0415
    from qapilint.change.series import SeriesError, read_series  # noqa: PLC0415

    if args.config is not None and args.isolated:
        raise UsageError("--config and --isolated cannot be used together")
    if args.exit_zero and args.fail_on is not None:
        raise UsageError("--exit-zero always exits 0, so --fail-on would change nothing")
    inputs = []
    for name in args.patches:
        if name == "-":
            inputs.append(sys.stdin.buffer.read())
            continue
        try:
            inputs.append(Path(name).read_bytes())
        except IsADirectoryError as error:
            raise CheckError(f"{name}: is a directory: name the patch files") from error
    try:
        series = read_series(inputs)
    except SeriesError as error:
        raise CheckError(str(error)) from error
    options = CheckOptions(
        paths=[],
        select=_flatten(args.select) if args.select is not None else None,
        extend_select=_flatten(args.extend_select),
        ignore=_flatten(args.ignore),
        preview=args.preview,
        fail_on=args.fail_on,
        config=args.config,
        isolated=args.isolated,
    )
    found = run_patch(options, series, args.base)
    result = found.result
    # b4 reads anything on standard error as a failed check: checkpatch says nothing there
    talk = not args.quiet and args.format != "checkpatch"
    if talk:
        print(f"{PROG}: base: {found.base}", file=sys.stderr)
        for note in [*found.notes, *result.settings.warnings]:
            print(f"{PROG}: warning: {note}", file=sys.stderr)
    stream = sys.stdout
    report = ReportInput(
        findings=result.findings,
        sources=result.sources,
        enabled=result.settings.enabled,
        known=result.settings.rules,
        quiet=args.quiet,
        color=args.output_file is None and use_color(stream, args.no_color),
        top=repository_top(Path.cwd()),
        series=series.patches,
        origins=found.origins,
    )
    _write(render(args.format, report), args.output_file, stream)
    return _status(args, result)


def repository_top(start: Path) -> Path | None:
    """The nearest folder at or above ``start`` holding ``.git``."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return None


def _changed(args: argparse.Namespace, options: CheckOptions) -> CheckResult:
    """``--diff-base``, ``--staged`` and ``--baseline``: the findings the
    change introduced, those a baseline accepts hidden."""
    from qapilint.change import baseline  # noqa: PLC0415 - only these runs need it
    from qapilint.change.compare import introduced, unmatched  # noqa: PLC0415
    from qapilint.change.diff import run_change  # noqa: PLC0415

    entries = _read_baseline(args.baseline) if args.baseline is not None else None
    if args.diff_base is not None or args.staged:
        change = run_change(options, args.diff_base, args.staged)
        result, everything = change.result, change.everything
    else:
        result = run_check(options)
        everything = result.findings
    if entries is None:
        return result
    prints = baseline.baseline_prints(everything, result.modules, args.baseline)
    stale = unmatched(entries, prints)
    shown = baseline.baseline_prints(result.findings, result.modules, args.baseline)
    result.findings = introduced(result.findings, shown, entries)
    if stale:
        result.settings.warnings.append(
            f"{args.baseline}: {len(stale)} entr{'y' if len(stale) == 1 else 'ies'} "
            "match no finding any more (fixed): remove them, or write the baseline again "
            f"with qapilint baseline {args.baseline} PATH..."
        )
        result.settings.warnings += [
            f"{args.baseline}: stale: {' | '.join(part for part in entry[:4] if part)}"
            for entry in stale
        ]
    return result


def _read_baseline(path: Path) -> list[tuple[str, ...]]:
    from qapilint.change.baseline import BaselineError, read  # noqa: PLC0415

    try:
        return read(path)
    except BaselineError as error:
        raise UsageError(str(error)) from error


def _baseline(args: argparse.Namespace) -> int:
    """``qapilint baseline FILE PATH...``: today's findings, accepted."""
    from qapilint.change import baseline  # noqa: PLC0415

    result = run_check(_options(args))
    for warning in result.settings.warnings:
        print(f"{PROG}: warning: {warning}", file=sys.stderr)
    prints = baseline.baseline_prints(result.findings, result.modules, args.file)
    try:
        baseline.write(args.file, prints)
    except OSError as error:
        raise CheckError(f"{args.file}: cannot write: {error.strerror or error}") from error
    print(f"Wrote {len(prints)} finding(s) to {args.file}.", file=sys.stderr)
    return 0


def _warn(args: argparse.Namespace, result: CheckResult) -> None:
    for warning in [] if args.quiet else result.settings.warnings:
        print(f"{PROG}: warning: {warning}", file=sys.stderr)


def _refuse_combinations(args: argparse.Namespace) -> None:
    """Options that would be silently ignored together are refused."""
    if args.config is not None and args.isolated:
        raise UsageError("--config and --isolated cannot be used together")
    if args.diff_base is not None and args.staged:
        raise UsageError("--staged compares the index with HEAD: use it or --diff-base, not both")
    if (args.diff_base is not None or args.staged or args.baseline is not None) and (
        args.fix or args.diff
    ):
        raise UsageError(
            "--fix and --diff fix every finding: not with --diff-base, --staged or --baseline"
        )
    if args.unsafe_fixes and not (args.fix or args.diff):
        raise UsageError("--unsafe-fixes only matters with --fix or --diff")
    if args.diff:
        if args.fix:
            raise UsageError("--diff writes nothing and --fix writes: use one of them")
        if args.format != "text":
            raise UsageError(f"--diff prints a unified diff, not --format {args.format}")
        if args.statistics:
            raise UsageError("--diff prints a unified diff, not --statistics")
    if args.statistics and not has_statistics(args.format):
        raise UsageError(f"--statistics prints text or json, not --format {args.format}")
    if args.exit_zero and args.fail_on is not None:
        raise UsageError("--exit-zero always exits 0, so --fail-on would change nothing")


def _report(args: argparse.Namespace, result: CheckResult) -> None:
    """Print (or write to ``--output-file``) the findings in the chosen format."""
    stream = sys.stdout
    report = ReportInput(
        findings=result.findings,
        sources=result.sources,
        enabled=result.settings.enabled,
        known=result.settings.rules,
        statistics=args.statistics,
        quiet=args.quiet,
        color=args.output_file is None and use_color(stream, args.no_color),
        top=repository_top(args.paths[0] if args.paths else Path.cwd()),
    )
    # only the chosen format's module is imported
    _write(render(args.format, report), args.output_file, stream)


def _status(args: argparse.Namespace, result: CheckResult) -> int:
    if args.exit_zero:
        return 0
    return 1 if result.failed() else 0


def _fix(args: argparse.Namespace, options: CheckOptions) -> int:
    """``--fix`` and ``--diff`` (issue 7): fix in memory, then write or show."""
    from qapilint.lint.fixing import fix_check  # noqa: PLC0415

    levels: tuple[Applicability, ...] = ("safe", "unsafe") if args.unsafe_fixes else ("safe",)
    run = fix_check(options, levels, write=not args.diff)
    result = run.result
    _warn(args, result)
    for problem in run.problems:
        print(f"{PROG}: {problem}", file=sys.stderr)
    if args.diff:
        _write(run.report.diff(), args.output_file, sys.stdout)
    else:
        _report(args, result)
        changed = run.report.changed()
        if not args.quiet:
            print(
                f"Fixed {run.report.applied} finding(s) in {len(changed)} file(s).",
                file=sys.stderr,
            )
    return _status(args, result)


def use_color(
    stream: TextIO, no_color: bool = False, environ: dict[str, str] | None = None
) -> bool:
    """Colour only on a terminal, and never with ``NO_COLOR`` set (to
    anything but the empty string, as no-color.org says) or ``--no-color``."""
    env = os.environ if environ is None else environ
    if no_color or env.get("NO_COLOR", ""):
        return False
    isatty = getattr(stream, "isatty", None)
    return bool(isatty and isatty())


def _write(output: str, target: Path | None, stream: TextIO) -> None:
    """Write the report. What the encoding cannot carry (a file name that
    is not UTF-8, any non-ASCII on an ASCII terminal) is written as a
    backslash escape rather than failing the run."""
    if target is None:
        try:
            stream.write(output)
        except UnicodeEncodeError:  # nothing was written: the text is encoded first
            encoding = getattr(stream, "encoding", None) or "utf-8"
            stream.write(output.encode(encoding, "backslashreplace").decode(encoding))
        stream.flush()
        return
    try:
        target.write_text(output, encoding="utf-8", errors="backslashreplace")
    except IsADirectoryError as error:
        raise CheckError(f"{target}: is a directory") from error
    except OSError as error:
        raise CheckError(f"{target}: cannot write: {error.strerror or error}") from error


# --------------------------------------------------------------------------
# show


def _show(args: argparse.Namespace) -> int:
    """``qapilint show SYMBOL [PATH...]``: a definition's documentation as text."""
    from qapilint.lint.show import show  # noqa: PLC0415 - imports docutils

    if args.config is not None and args.isolated:
        raise UsageError("--config and --isolated cannot be used together")
    options = CheckOptions(
        paths=args.paths or [Path.cwd()],
        config=args.config,
        isolated=args.isolated,
        tree_root=args.tree_root,
    )
    _write(show(options, args.symbol), None, sys.stdout)
    return 0


# --------------------------------------------------------------------------
# rules and explain


def _rules(args: argparse.Namespace) -> int:
    rules = load_rules()
    if args.format == "json":
        rows = [
            {
                "code": found.code,
                "name": found.name,
                "severity": found.severity,
                "status": found.status,
                "fix": found.fix,
                "qemu_release": found.qemu_release,
                "convention_release": found.convention_release,
                "summary": found.summary,
            }
            for found in rules
        ]
        import json  # noqa: PLC0415 - a check imports it only if it reads JSON

        sys.stdout.write(json.dumps(rows, indent=2) + "\n")
        return 0
    sys.stdout.write(rules_table(rules))
    return 0


def rules_table(rules: Sequence[Rule]) -> str:
    header = ("CODE", "NAME", "SEVERITY", "STATUS", "FIX", "SUMMARY")
    rows = [header] + [
        (found.code, found.name, found.severity, found.status, found.fix, found.summary)
        for found in rules
    ]
    widths = [max(len(row[column]) for row in rows) for column in range(5)]
    lines = []
    for row in rows:
        cells = [cell.ljust(width) for cell, width in zip(row[:5], widths, strict=True)]
        lines.append("  ".join([*cells, row[5]]).rstrip())
    previews = sum(1 for found in rules if found.status == "preview")
    lines.append("")
    lines.append(
        f"{len(rules)} rules, {previews} in preview (run with --preview, or select them by "
        "code or name)."
    )
    return "".join(line + "\n" for line in lines)


def _explain(args: argparse.Namespace) -> int:
    rules = load_rules()
    found = find_rule(args.rule, rules)
    if found is None:
        hint = suggest(args.rule, rules)
        raise UsageError(
            f"unknown rule {args.rule!r}" + (f" (did you mean {hint!r}?)" if hint else "")
        )
    sys.stdout.write(explanation(found))
    return 0


def explanation(found: Rule) -> str:
    """A rule's documentation page: its docstring, metadata, and how to
    enable or disable it."""
    out = [f"{found.code} {found.name}", "", found.doc, ""]
    facts = [
        f"Severity: {found.severity}",
        f"Status: {found.status}",
        f"Fix: {found.fix}",
    ]
    if found.qemu_release:
        facts.append(
            f"QEMU: rejected from release {found.qemu_release} "
            "(an error on trees that reached it, a warning on older ones)"
        )
    if found.convention_release:
        facts.append(
            f"Conventions: of release {found.convention_release} "
            "(silent on trees older than that, which follow other conventions)"
        )
    out.append(".  ".join(facts) + ".")
    if found.options:
        out.append("")
        out.append(f"Options ([tool.qapilint.rule.{found.name}]):")
        import json  # noqa: PLC0415 - see _rules

        out += [f"  {key} = {json.dumps(value)}" for key, value in found.options.items()]
    if found.status == "preview":
        out += [
            "",
            "This rule is in preview: it runs with --preview, preview = true in the",
            f"configuration, or when selected by code or name (--select {found.code}).",
        ]
    out += [
        "",
        "How to disable it:",
        f"  on the command line:   qapilint check --ignore {found.code} PATH",
        f'  in the configuration:  ignore = ["{found.code}"]  (in [tool.qapilint])',
        "  for one doc block:     # qapilint: disable="
        f"{found.code} -- reason   (on the line above its '##')",
        f"  for a whole file:      # qapilint: disable-file={found.code} -- reason",
    ]
    if found.qemu_rejects:
        out += [
            "",
            "This rule reports what QEMU's own build rejects: silencing it does not",
            "make the build pass, and a severity override can only raise it.",
        ]
    return "".join(line + "\n" for line in out)


def plain_argparse_words() -> None:
    """argparse's own words ("usage:", "unrecognized arguments: ...") as
    written, in English like every message of qapilint's own, rather than
    looked up in a gettext catalogue. Each lookup searches the locale
    folders again, and the first one imports :mod:`locale` and its tables:
    a sixth of a MiB and thousands of instructions in every run, for a
    catalogue Python does not ship. The command's process only (the
    console script): the rest of a process that imports qapilint keeps
    argparse as it was."""
    words = vars(argparse)
    words["_"] = str  # a str is its own translation
    words["ngettext"] = _singular_or_plural


def _singular_or_plural(singular: str, plural: str, count: int) -> str:
    return singular if count == 1 else plural


def run() -> NoReturn:
    """The console script (and ``python -m qapilint``): :func:`main`, then
    leave at once. Tearing the interpreter down would free the schema
    model's objects one by one, which takes a sixth of a whole run; the
    output is flushed first. Under a profiler or tracer (``python -m
    cProfile -m qapilint``, coverage, a debugger) it leaves normally, so
    that they can report.

    The model is a few hundred thousand small objects that live until the
    end: the cyclic garbage collector's frequent passes over them find
    nothing and cost a tenth of a run, so they are made rare."""
    gc.set_threshold(*GC_THRESHOLDS)
    plain_argparse_words()
    status = main()
    regexes.save()  # the patterns compiled anew, for the next run
    try:
        sys.stdout.flush()
        sys.stderr.flush()
    except OSError:  # a closed pipe: nothing more can be said
        status = status or 2
    if sys.getprofile() is not None or sys.gettrace() is not None:
        sys.exit(status)
    os._exit(status)


if __name__ == "__main__":
    run()
