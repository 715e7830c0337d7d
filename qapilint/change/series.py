"""A patch series as mail: ``git format-patch`` files, a mailbox (a saved
thread, b4's am output) or one message on standard input (as b4's per-patch
check hands it over), cut into its patches.

Cover letters (no diff) and replies (``Re:``) are skipped; a cover
letter's ``base-commit:`` trailer is kept. Nothing here runs git.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from qapilint.change.mailhead import FROM_LINE
from qapilint.files import regexes

_FROM_LINE = regexes.pattern(FROM_LINE)  # a mailbox is read line by line

if TYPE_CHECKING:
    from email.message import EmailMessage

_SHA = regexes.pattern(r"^[0-9a-f]{40}$")
_NUMBER = regexes.pattern(r"\[[^\]]*?\b(\d+)/(\d+)\s*\]")
_PREFIX = regexes.pattern(r"^\s*(?:\[[^\]]*\]\s*)+")
_BASE_COMMIT = regexes.pattern(r"^base-commit: *([0-9a-f]{7,40})\s*$", re.MULTILINE)


class SeriesError(Exception):
    """The input holds no usable patch: one line for the user, exit 2."""


@dataclass(frozen=True, slots=True)
class HunkLine:
    kind: str  # " " context, "+" added, "-" removed
    text: str
    line: int | None  # its line in the file after the patch (None: removed)


@dataclass(frozen=True, slots=True)
class Hunk:
    path: str  # the file after the patch, relative to the repository's top
    header: str  # the "@@ ... @@" line
    lines: tuple[HunkLine, ...]
    file_header: str = ""  # the file's "diff --git" line, for quoting the hunk


@dataclass(frozen=True, slots=True)
class Patch:
    """One patch of a series."""

    number: int  # 1-based
    total: int
    subject: str  # without the [PATCH n/m] prefix
    diff: bytes  # what git apply reads
    commit: str | None = None  # the "From <sha>" line's commit, when it has one
    hunks: tuple[Hunk, ...] = ()
    paths: tuple[str, ...] = ()  # every file it touches (both names of a rename)

    @property
    def label(self) -> str:
        if self.total > 1:
            return f"[PATCH {self.number}/{self.total}] {self.subject}"
        return f"[PATCH] {self.subject}"


@dataclass(slots=True)
class Series:
    patches: list[Patch]
    base_commit: str | None = None  # the base-commit: trailer
    skipped: list[str] = field(default_factory=list)  # what was not a patch, for messages


def split_messages(data: bytes) -> list[tuple[bytes | None, bytes]]:
    """The messages of a mailbox (or one message without a separator):
    each with its separator's first word (format-patch's commit) and its
    text."""
    lines = data.replace(b"\r\n", b"\n").split(b"\n")
    messages: list[tuple[bytes | None, list[bytes]]] = []
    current: list[bytes] | None = None
    previous_blank = True
    for raw in lines:
        line = raw
        found = _FROM_LINE.match(line) if previous_blank else None
        if found is not None:
            current = []
            messages.append((found.group(1), current))
        else:
            if current is None:
                current = []
                messages.append((None, current))
            if line.startswith(b">From ") or line.startswith(b">>From "):
                line = line[1:]  # mboxrd's escape
            current.append(line)
        previous_blank = line == b""
    return [(sep, b"\n".join(body)) for sep, body in messages if any(body)]


def _body(message: EmailMessage) -> str:
    """The text holding the diff: the message's body, or the first part
    of a multipart message that holds one."""
    parts = list(message.walk()) if message.is_multipart() else [message]
    texts = []
    for part in parts:
        if part.is_multipart():
            continue
        try:
            content = part.get_content()
        except (LookupError, ValueError, AssertionError):
            payload = part.get_payload(decode=True)
            content = payload.decode("utf-8", "replace") if isinstance(payload, bytes) else ""
        if isinstance(content, bytes):
            content = content.decode("utf-8", "replace")
        if isinstance(content, str):
            texts.append(content)
    for text in texts:
        if "\ndiff --git " in "\n" + text:
            return text
    return texts[0] if texts else ""


def _diff_of(body: str) -> str:
    """From the first ``diff --git`` line to the signature (``-- ``)."""
    lines = body.splitlines(keepends=True)
    start = next((i for i, line in enumerate(lines) if line.startswith("diff --git ")), None)
    if start is None:
        return ""
    out = []
    for line in lines[start:]:
        if line.rstrip("\r\n") == "-- ":
            break
        if _BASE_COMMIT.match(line.rstrip("\r\n")) or line.startswith("prerequisite-patch-id:"):
            continue
        out.append(line)
    return "".join(out)


def _unquote(path: str) -> str:
    if path.startswith('"') and path.endswith('"'):
        return path[1:-1].encode("latin-1", "backslashreplace").decode("unicode_escape")
    return path


def _hunk_header(line: str) -> tuple[int, int, int] | None:
    """(old count, new start, new count) of a ``@@ -a,b +c,d @@`` line."""
    if not line.startswith("@@ -"):
        return None
    fields = line.split(" ")
    if len(fields) < 4 or fields[3] != "@@" or not fields[2].startswith("+"):
        return None
    try:
        _old_start, _, old_count = fields[1][1:].partition(",")
        new_start, _, new_count = fields[2][1:].partition(",")
        return int(old_count or "1"), int(new_start), int(new_count or "1")
    except ValueError:
        return None


def parse_diff(diff: str) -> tuple[tuple[Hunk, ...], tuple[str, ...]]:
    """The hunks of a git diff (with each line's number after the patch)
    and every path it touches."""
    hunks: list[Hunk] = []
    paths: list[str] = []
    new_path = ""
    file_header = ""
    lines = diff.splitlines()
    index = 0
    while index < len(lines):
        line = lines[index]
        if line.startswith("diff --git "):
            file_header = line
        elif line.startswith("--- "):
            name = _unquote(line[4:].split("\t")[0])
            if name != "/dev/null":
                paths.append(name.removeprefix("a/"))
        elif line.startswith("+++ "):
            name = _unquote(line[4:].split("\t")[0])
            new_path = "" if name == "/dev/null" else name.removeprefix("b/")
            if new_path:
                paths.append(new_path)
        elif line.startswith(("rename from ", "rename to ", "copy from ", "copy to ")):
            paths.append(_unquote(line.split(" ", 2)[2]))
        else:
            found = _hunk_header(line)
            if found is not None:
                old_count, number, new_count = found
                body: list[HunkLine] = []
                index += 1
                while index < len(lines) and (old_count > 0 or new_count > 0):
                    text = lines[index]
                    kind = text[:1] or " "
                    if kind == "\\":  # "\ No newline at end of file"
                        index += 1
                        continue
                    if kind == "-":
                        body.append(HunkLine("-", text[1:], None))
                        old_count -= 1
                    elif kind == "+":
                        body.append(HunkLine("+", text[1:], number))
                        number += 1
                        new_count -= 1
                    else:
                        body.append(HunkLine(" ", text[1:], number))
                        number += 1
                        old_count -= 1
                        new_count -= 1
                    index += 1
                if new_path:
                    hunks.append(Hunk(new_path, line, tuple(body), file_header))
                continue
        index += 1
    return tuple(hunks), tuple(dict.fromkeys(paths))


def _subject(message: EmailMessage) -> str:
    return " ".join(str(message.get("Subject", "")).split())


def read_series(inputs: Sequence[bytes]) -> Series:
    """The patches of every input, in order (by their number when every
    patch has one)."""
    found: list[tuple[int | None, int | None, str, bytes, str | None, str]] = []
    base_commit: str | None = None
    skipped: list[str] = []
    # the email package costs a tenth of a check's start-up: only reading mail needs it
    import email.policy  # noqa: PLC0415
    from email.message import EmailMessage  # noqa: PLC0415

    for data in inputs:
        for separator, raw in split_messages(data):
            message = email.message_from_bytes(raw, policy=email.policy.default)
            assert isinstance(message, EmailMessage)
            subject = _subject(message)
            body = _body(message)
            trailer = _BASE_COMMIT.search(body)
            if trailer is not None and base_commit is None:
                base_commit = trailer.group(1)
            if re.match(r"^\s*(re|aw|sv)\s*:", subject, re.IGNORECASE):
                skipped.append(f"reply: {subject}")
                continue
            diff = _diff_of(body)
            if not diff:
                skipped.append(f"no diff: {subject}")
                continue
            numbers = _NUMBER.search(subject)
            commit = separator.decode("ascii", "replace") if separator else None
            if commit is not None and not _SHA.match(commit):
                commit = None
            found.append(
                (
                    int(numbers.group(1)) if numbers else None,
                    int(numbers.group(2)) if numbers else None,
                    _PREFIX.sub("", subject).strip() or subject,
                    diff.encode("utf-8", "surrogateescape"),
                    commit,
                    body,
                )
            )
    if not found:
        raise SeriesError("no patch found in the input (no message with a diff)")
    if all(number is not None for number, *_ in found):
        found.sort(key=lambda item: item[0] or 0)
    total = len(found)
    patches = []
    for position, (number, _total, subject, data, commit, _text) in enumerate(found, 1):
        hunks, paths = parse_diff(data.decode("utf-8", "surrogateescape"))
        patches.append(
            Patch(
                number=number if number is not None else position,
                total=max(total, _total or 0),
                subject=subject,
                diff=data,
                commit=commit,
                hunks=hunks,
                paths=paths,
            )
        )
    return Series(patches, base_commit, skipped)
