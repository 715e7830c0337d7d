"""``[tool.qapilint]`` in ``pyproject.toml``, or the top-level table of
``.qapilint.toml``: discovery, reading and validation.

Discovery walks from the checked path upwards; in each folder a
``.qapilint.toml`` wins over a ``pyproject.toml`` that has a
``[tool.qapilint]`` table. Every problem is a :class:`ConfigError` whose
message names the file and the key.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import Any, NoReturn

from qapilint.files.globs import Glob
from qapilint.files.records import Record
from qapilint.lint.rule import Rule, Severity, severity_named
from qapilint.lint.selection import UnknownSelector, check_selectors, find_rule, suggest
from qapilint.schema.releases import parse_version

CONFIG_NAME = ".qapilint.toml"
PYPROJECT = "pyproject.toml"
TABLE = "[tool.qapilint]"

KEYS = (
    "select",
    "ignore",
    "extend-select",
    "per-file-ignores",
    "severity",
    "roots",
    "exclude",
    "preview",
    "fail-on",
    "next-version",
    "line-length",
    "rule",
)


class ConfigError(Exception):
    """A configuration file cannot be used; the message names file and key."""


class Config(Record):
    """Settings from one configuration file (all optional): the defaults
    until :func:`parse_config` sets what the file sets."""

    __slots__ = (
        "base",
        "exclude",
        "extend_select",
        "fail_on",
        "ignore",
        "line_length",
        "next_version",
        "path",
        "per_file_ignores",
        "preview",
        "roots",
        "rule_options",
        "select",
        "severity",
    )

    def __init__(self, path: Path | None = None, base: Path | None = None) -> None:
        self.path = path  # the file read; None: no file
        # the folder globs and roots are relative to
        self.base = Path.cwd() if base is None else base
        self.select: list[str] | None = None
        self.ignore: list[str] = []
        self.extend_select: list[str] = []
        self.per_file_ignores: list[tuple[Glob, list[str]]] = []
        self.severity: dict[str, Severity] = {}  # selector -> severity
        self.roots: list[Path] = []
        self.exclude: list[str] = []  # globs a folder walk skips (valid ones)
        self.preview: bool | None = None
        self.fail_on: Severity | None = None
        self.next_version: tuple[int, int] | None = None
        self.line_length: int | None = None
        self.rule_options: dict[str, dict[str, Any]] = {}  # rule name -> options


# --------------------------------------------------------------------------
# Discovery


def _has_table(pyproject: Path) -> bool:
    """Whether ``pyproject`` has a ``[tool.qapilint]`` table (a broken file
    that mentions qapilint counts, so that its error is reported)."""
    try:
        text = pyproject.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return False
    if "qapilint" not in text:
        return False
    import tomllib  # noqa: PLC0415 - most runs have no configuration to read

    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError:
        return True
    tool = data.get("tool")
    return isinstance(tool, dict) and "qapilint" in tool


def find_config(start: Path) -> Path | None:
    """The nearest configuration file at or above ``start`` (a file or folder)."""
    folder = start.resolve()
    if not folder.is_dir():
        folder = folder.parent
    for candidate in (folder, *folder.parents):
        dotfile = candidate / CONFIG_NAME
        if dotfile.is_file():
            return dotfile
        pyproject = candidate / PYPROJECT
        if pyproject.is_file() and _has_table(pyproject):
            return pyproject
    return None


# --------------------------------------------------------------------------
# Reading


def read_table(path: Path) -> dict[str, Any]:
    """The qapilint table of ``path`` (``[tool.qapilint]`` of a
    ``pyproject.toml``, else the whole file)."""
    import tomllib  # noqa: PLC0415 - most runs have no configuration to read

    try:
        with path.open("rb") as stream:
            data = tomllib.load(stream)
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path}: not valid TOML: {error}") from error
    except UnicodeDecodeError as error:
        raise ConfigError(
            f"{path}: not UTF-8 (byte 0x{error.object[error.start]:02x} at offset "
            f"{error.start}); a configuration file is UTF-8 text"
        ) from error
    except RecursionError as error:
        raise ConfigError(f"{path}: not valid TOML: nested too deeply") from error
    except IsADirectoryError as error:
        raise ConfigError(f"{path}: is a directory, not a configuration file") from error
    except OSError as error:
        raise ConfigError(f"{path}: cannot read: {error.strerror or error}") from error
    if path.name == PYPROJECT:
        tool = data.get("tool", {})
        table = tool.get("qapilint") if isinstance(tool, dict) else None
        if table is None:
            raise ConfigError(f"{path}: has no {TABLE} table")
        if not isinstance(table, dict):
            raise ConfigError(f"{path}: tool.qapilint must be a table")
        return table
    return data


def load_config(path: Path, rules: Sequence[Rule]) -> Config:
    """Read and validate one configuration file."""
    return parse_config(read_table(path), path, rules)


def parse_config(table: dict[str, Any], path: Path, rules: Sequence[Rule]) -> Config:
    """Validate a qapilint table read from ``path``."""
    reader = _Reader(path, rules)
    for key in table:
        if key not in KEYS:
            hint = suggest_key(key)
            reader.fail(key, "unknown key" + (f" (did you mean {hint!r}?)" if hint else ""))
    config = Config(path=path, base=path.resolve().parent)
    if "select" in table:
        config.select = reader.selectors("select", table["select"])
    config.ignore = reader.selectors("ignore", table.get("ignore", []))
    config.extend_select = reader.selectors("extend-select", table.get("extend-select", []))
    config.per_file_ignores = reader.per_file_ignores(table.get("per-file-ignores", {}))
    config.severity = reader.severities(table.get("severity", {}))
    config.roots = reader.roots(table.get("roots", []), config.base)
    config.exclude = reader.globs("exclude", table.get("exclude", []))
    if "preview" in table:
        config.preview = reader.boolean("preview", table["preview"])
    if "fail-on" in table:
        config.fail_on = reader.severity_value("fail-on", table["fail-on"])
    if "next-version" in table:
        config.next_version = reader.release("next-version", table["next-version"])
    if "line-length" in table:
        config.line_length = reader.positive_int("line-length", table["line-length"])
    config.rule_options = reader.rule_options(table.get("rule", {}))
    return config


def suggest_key(key: str) -> str:
    import difflib  # noqa: PLC0415 - only on the error path

    close = difflib.get_close_matches(key, KEYS, n=1)
    return close[0] if close else ""


class _Reader:
    __slots__ = ("path", "rules")

    def __init__(self, path: Path, rules: Sequence[Rule]) -> None:
        self.path = path
        self.rules = rules

    def fail(self, key: str, message: str) -> NoReturn:
        raise ConfigError(f"{self.path}: key '{key}': {message}")

    def string_list(self, key: str, value: object) -> list[str]:
        if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
            self.fail(key, f"expected a list of strings, got {_show(value)}")
        return list(value)

    def selectors(self, key: str, value: object) -> list[str]:
        selectors = self.string_list(key, value)
        try:
            check_selectors(selectors, self.rules)
        except UnknownSelector as error:
            self.fail(key, str(error))
        return selectors

    def table(self, key: str, value: object) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail(key, f"expected a table, got {_show(value)}")
        return value

    def glob(self, key: str, pattern: str) -> Glob:
        try:
            return Glob.compile(pattern)
        except re.error as error:
            self.fail(key, f"not a valid glob: {error}")

    def globs(self, key: str, value: object) -> list[str]:
        """Patterns (see :mod:`qapilint.files.globs`), each checked."""
        patterns = self.string_list(key, value)
        for pattern in patterns:
            self.glob(key, pattern)
        return patterns

    def per_file_ignores(self, value: object) -> list[tuple[Glob, list[str]]]:
        key = "per-file-ignores"
        found = []
        for pattern, selectors in self.table(key, value).items():
            glob = self.glob(f"{key}.{pattern}", pattern)
            found.append((glob, self.selectors(f"{key}.{pattern}", selectors)))
        return found

    def severities(self, value: object) -> dict[str, Severity]:
        found: dict[str, Severity] = {}
        for selector, level in self.table("severity", value).items():
            key = f"severity.{selector}"
            self.selectors(key, [selector])
            found[selector] = self.severity_value(key, level)
            self._check_not_lowering(key, selector, found[selector])
        return found

    def _check_not_lowering(self, key: str, selector: str, level: Severity) -> None:
        """A selector naming only rules that report what QEMU rejects
        cannot lower their severity (a wider one, ``ALL``, leaves them be)."""
        from qapilint.lint.rule import severity_rank  # noqa: PLC0415
        from qapilint.lint.selection import matching  # noqa: PLC0415

        matched = matching(selector, self.rules)
        if matched and all(found.qemu_rejects for found in matched):
            lowered = [f.code for f in matched if severity_rank(level) < severity_rank(f.severity)]
            if lowered:
                self.fail(
                    key,
                    f"cannot lower {', '.join(lowered)} to {level!r}: the severity of a "
                    "rule reporting what QEMU's build rejects can only be raised",
                )

    def severity_value(self, key: str, value: object) -> Severity:
        severity = severity_named(value)
        if severity is None:
            self.fail(key, f"expected one of 'error', 'warning', 'info', got {_show(value)}")
        return severity

    def boolean(self, key: str, value: object) -> bool:
        if not isinstance(value, bool):
            self.fail(key, f"expected true or false, got {_show(value)}")
        return value

    def positive_int(self, key: str, value: object) -> int:
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            self.fail(key, f"expected a positive integer, got {_show(value)}")
        return value

    def release(self, key: str, value: object) -> tuple[int, int]:
        if isinstance(value, str):
            parsed = parse_version(value)
            if parsed is not None and parsed[2] == 0 and value.count(".") == 1:
                return parsed[0], parsed[1]
        self.fail(key, f'expected a release as a string like "10.2", got {_show(value)}')

    def roots(self, value: object, base: Path) -> list[Path]:
        found = []
        for text in self.string_list("roots", value):
            root = base / text
            try:
                root = root.resolve()
                found_file = root.is_file()
            except (OSError, ValueError) as error:  # a NUL byte, a name too long
                reason = error.strerror if isinstance(error, OSError) else None
                self.fail("roots", f"not a usable path {_show(text[:80])}: {reason or error}")
                found_file = False
            if not found_file:
                self.fail("roots", f"no such schema file: {text!r} (relative to {base})")
            found.append(root)
        return found

    def rule_options(self, value: object) -> dict[str, dict[str, Any]]:
        found: dict[str, dict[str, Any]] = {}
        for name, options in self.table("rule", value).items():
            key = f"rule.{name}"
            target = find_rule(name, self.rules)
            if target is None:
                hint = suggest(name, self.rules)
                self.fail(key, "unknown rule" + (f" (did you mean {hint!r}?)" if hint else ""))
                continue
            given = self.table(key, options)
            for option, setting in given.items():
                self._check_option(target, f"{key}.{option}", option, setting)
            found.setdefault(target.name, {}).update(given)
        return found

    def _check_option(self, target: Rule, key: str, option: str, setting: object) -> None:
        if option not in target.options:
            known = ", ".join(sorted(target.options)) or "none"
            self.fail(key, f"unknown option of rule {target.name!r} (its options: {known})")
        default = target.options[option]
        if default is None or _same_type(default, setting):
            return
        self.fail(key, f"expected {_type_name(default)}, got {_show(setting)}")


def _same_type(default: object, setting: object) -> bool:
    if isinstance(default, bool) or isinstance(setting, bool):
        return isinstance(default, bool) and isinstance(setting, bool)
    if isinstance(default, float):
        return isinstance(setting, int | float)
    if isinstance(default, list):
        kinds = {type(item) for item in default}
        return isinstance(setting, list) and all(
            not kinds or type(item) in kinds for item in setting
        )
    return isinstance(setting, type(default))


def _type_name(value: object) -> str:
    names = {bool: "true or false", int: "an integer", float: "a number", str: "a string"}
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a table"
    return names.get(type(value), type(value).__name__)


def _show(value: object) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, list):
        return "a list" if value else "an empty list"
    return repr(value)
