"""Path globs as users write them in configuration (``exclude`` and
``per-file-ignores``): one dialect for both, the one ``.gitignore`` and ruff
users know.

- ``*`` and ``?`` match within one path component, ``**`` across any number
  of them (``qapi/**/*.json``, ``**/x.json``, ``vendor/**``), ``[...]`` is a
  character class (``[!...]`` negated).
- A pattern with a ``/`` is relative to a base folder, the configuration
  file's (a leading ``./`` changes nothing); an absolute one matches
  absolute paths.
- A pattern without a ``/`` matches a file or folder name at any depth
  below the base.
- A pattern ending in ``/`` matches folders only.
- A path matches when it or a folder above it (below the base) does: a
  pattern naming a folder covers everything in it.
"""

from __future__ import annotations

import fnmatch
import os
import re
import warnings
from collections.abc import Iterable
from pathlib import Path

from qapilint.files import regexes
from qapilint.files.records import FrozenRecord

# (text, is a folder): a path, or one of the folders above it, as globs see it
_Candidate = tuple[str, bool]


def glob_regex(pattern: str) -> re.Pattern[str]:
    """A glob as a regular expression over '/'-separated paths: ``*`` and
    ``?`` stay within one folder, ``**`` crosses folders, ``[...]`` is a
    character class. Raises :class:`re.error` for a class that can match
    nothing (a reversed range)."""
    out = []
    index = 0
    while index < len(pattern):
        char = pattern[index]
        if pattern.startswith("**/", index):
            out.append("(?:.*/)?")
            index += 3
            continue
        if pattern.startswith("**", index):
            out.append(".*")
            index += 2
            continue
        if char == "*":
            out.append("[^/]*")
        elif char == "?":
            out.append("[^/]")
        elif char == "[" and "]" in pattern[index + 2 :]:
            end = pattern.index("]", index + 2)
            out.append(_glob_class(pattern[index : end + 1]))
            index = end + 1
            continue
        else:
            out.append(re.escape(char))
        index += 1
    return regexes.pattern("".join(out) + r"\Z")


def _glob_class(bracket: str) -> str:
    """A glob's ``[...]`` as a regular expression, made by :mod:`fnmatch`,
    which knows ranges, ``!`` and what a class must escape (``[``, ``--``,
    ``&&``, ``~~`` and ``||`` would be set operations). A reversed range
    (``[z-a]``) raises :class:`re.error`: a glob that can match nothing is a
    mistake worth reporting, where fnmatch quietly drops it."""
    body = bracket[1:-1]
    if body.startswith("!"):
        body = "^" + body[1:]
    with warnings.catch_warnings():  # checked for ranges only
        warnings.simplefilter("ignore", FutureWarning)
        regexes.pattern("[" + body.replace("\\", "\\\\").replace("[", "\\[") + "]")
    translated = fnmatch.translate(bracket)  # "(?s:CLASS)\\Z"
    if translated.startswith("(?s:") and translated.endswith(")\\Z"):
        return translated[len("(?s:") : -len(")\\Z")]
    return re.escape(bracket)  # pragma: no cover - another fnmatch's format


class PathView(FrozenRecord):
    """A path as globs see it: itself and the folders above it below the
    base, relative to it and absolute, and their names."""

    __slots__ = ("names", "paths")
    paths: tuple[_Candidate, ...]  # relative to the base, and absolute
    names: tuple[_Candidate, ...]

    def __init__(self, paths: tuple[_Candidate, ...], names: tuple[_Candidate, ...]) -> None:
        object.__setattr__(self, "paths", paths)
        object.__setattr__(self, "names", names)

    @classmethod
    def of(cls, path: Path, base: Path, is_folder: bool = False) -> PathView:
        """``path`` and the folders above it (``path`` is resolved)."""
        resolved = path.resolve()
        if not resolved.is_relative_to(base) or resolved == base:
            whole = ((resolved.as_posix(), is_folder),)
            return cls(whole, ((resolved.name, is_folder),))
        parts = resolved.relative_to(base).parts
        last = len(parts) - 1
        relative = [
            ("/".join(parts[: index + 1]), index < last or is_folder) for index in range(len(parts))
        ]
        prefix = base.as_posix().rstrip("/") + "/"
        absolute = [(prefix + text, folder) for text, folder in relative]
        names = tuple((part, index < last or is_folder) for index, part in enumerate(parts))
        return cls((*relative, *absolute), names)

    @classmethod
    def entry(cls, path: str, name: str, is_folder: bool, base_prefix: str) -> PathView:
        """One entry of a folder walk (an absolute path, ``os.sep``-separated
        as :func:`os.scandir` gives it) on its own: the walk does not go
        into folders that matched."""
        posix = path.replace(os.sep, "/") if os.sep != "/" else path
        whole: tuple[_Candidate, ...] = ((posix, is_folder),)
        if posix.startswith(base_prefix):
            whole = ((posix[len(base_prefix) :], is_folder), *whole)
        return cls(whole, ((name, is_folder),))


class Glob(FrozenRecord):
    """One pattern, compiled."""

    __slots__ = ("anywhere", "folders_only", "pattern", "regex")
    pattern: str  # as written
    regex: re.Pattern[str]
    anywhere: bool  # no '/' in it: matches a name at any depth
    folders_only: bool  # written with a trailing '/'

    def __init__(
        self, pattern: str, regex: re.Pattern[str], anywhere: bool, folders_only: bool
    ) -> None:
        object.__setattr__(self, "pattern", pattern)
        object.__setattr__(self, "regex", regex)
        object.__setattr__(self, "anywhere", anywhere)
        object.__setattr__(self, "folders_only", folders_only)

    @classmethod
    def compile(cls, pattern: str) -> Glob:
        """Raises :class:`re.error` for a pattern that can match nothing."""
        text = pattern.removeprefix("./")
        folders_only = len(text) > 1 and text.endswith("/")
        body = text.rstrip("/") if folders_only else text
        return cls(pattern, glob_regex(body), "/" not in body, folders_only)

    def matches(self, view: PathView) -> bool:
        candidates = view.names if self.anywhere else view.paths
        return any(
            (folder or not self.folders_only) and self.regex.match(text)
            for text, folder in candidates
        )


class PathGlobs:
    """Patterns relative to ``base`` (the configuration file's folder)."""

    __slots__ = ("_base_prefix", "base", "globs")

    def __init__(self, patterns: Iterable[str], base: Path) -> None:
        self.base = base.resolve()
        self.globs = [Glob.compile(pattern) for pattern in patterns]
        self._base_prefix = self.base.as_posix().rstrip("/") + "/"

    def __bool__(self) -> bool:
        return bool(self.globs)

    def matches(self, path: Path, is_folder: bool = False) -> bool:
        """Whether ``path``, or a folder above it below the base, matches."""
        view = PathView.of(path, self.base, is_folder)
        return any(glob.matches(view) for glob in self.globs)

    def matches_entry(self, path: str, name: str, is_folder: bool) -> bool:
        """Whether one entry of a folder walk (absolute ``path``, its
        ``name``) matches, on its own."""
        view = PathView.entry(path, name, is_folder, self._base_prefix)
        return any(glob.matches(view) for glob in self.globs)
