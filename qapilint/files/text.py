"""A file's bytes as text, and back: the one decoder and encoder, and the
one table from (line, column) to offsets.

QEMU reads schemas as UTF-8 with universal newlines: ``\\r\\n`` and a lone
``\\r`` end a line as ``\\n`` does. Everything after this module sees
``\\n`` only; what writing the file back must restore (its own line end,
its byte order mark) is kept beside the text.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import overload

from qapilint.files.records import TupleRecord

BOM = "\ufeff"
# TextLines walks to a line this near line by line; to one further, it
# first skips blocks of this many characters whose line ends it counts
_NEAR = 64
_BLOCK = 4096


class DecodedText(TupleRecord):
    __slots__ = ()
    text: str  # BOM removed, every line end "\n", bad bytes as U+FFFD
    newline: str  # the file's own line end: "\n", "\r\n" or "\r"
    bom: bool
    # (line, column, byte) of the first byte that is not UTF-8, 1-based in ``text``
    bad_byte: tuple[int, int, int] | None

    def __new__(
        cls, text: str, newline: str, bom: bool, bad_byte: tuple[int, int, int] | None = None
    ) -> DecodedText:
        return tuple.__new__(cls, (text, newline, bom, bad_byte))


def decode(data: str | bytes) -> DecodedText:
    """``data`` as text QEMU would read, with what writing it back needs."""
    bad_byte = None
    if isinstance(data, bytes):
        bom = data.startswith(b"\xef\xbb\xbf")
        if bom:
            data = data[3:]
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            good, _ = _universal_newlines(data[: error.start].decode("utf-8", errors="replace"))
            line_start = good.rfind("\n") + 1
            bad_byte = (good.count("\n") + 1, len(good) - line_start + 1, data[error.start])
            text = data.decode("utf-8", errors="replace")
    else:
        bom = data.startswith(BOM)
        text = data[1:] if bom else data
    text, newline = _universal_newlines(text)
    return DecodedText(text, newline, bom, bad_byte)


def _universal_newlines(text: str) -> tuple[str, str]:
    if "\r" not in text:
        return text, "\n"
    newline = "\r\n" if "\r\n" in text else "\r" if "\n" not in text else "\n"
    return text.replace("\r\n", "\n").replace("\r", "\n"), newline


def encode(text: str, newline: str = "\n", bom: bool = False) -> bytes:
    """``text`` (``\\n`` line ends) with the given line end and BOM, as UTF-8."""
    if newline != "\n":
        text = text.replace("\n", newline)
    return ((BOM if bom else "") + text).encode("utf-8")


def line_starts(text: str) -> list[int]:
    """Offset of each line's first character in ``text``, plus one entry
    past the end, so that :func:`offset` works for the end of the last line."""
    starts = [0]
    position = text.find("\n")
    while position >= 0:
        starts.append(position + 1)
        position = text.find("\n", position + 1)
    starts.append(len(text) + 1)
    return starts


def offset(starts: list[int], line: int, col: int) -> int:
    """The offset of 1-based (``line``, ``col``), given :func:`line_starts`."""
    return starts[line - 1] + col - 1


class TextLines(Sequence[str]):
    """The lines of ``text`` (split on "\\n", no line ends), each cut out of
    the text when read: for showing a few lines of a long file, where a
    list of them all would hold the file a second time. Equal to any
    sequence of the same lines."""

    __slots__ = ("_count", "_cursor", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self._count = text.count("\n") + 1
        self._cursor = (0, 0)  # a line's index and its offset: the last read

    def __len__(self) -> int:
        return self._count

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> list[str]: ...

    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            return [self[at] for at in range(*index.indices(self._count))]
        if index < 0:
            index += self._count
        if not 0 <= index < self._count:
            raise IndexError("line index out of range")
        start = self._offset(index)
        end = self.text.find("\n", start)
        return self.text[start : end if end >= 0 else len(self.text)]

    def _offset(self, index: int) -> int:
        """Where line ``index`` starts: found from the line read last (lines
        are mostly read in order), skipping blocks of the text whose line
        ends are counted, not visited one by one."""
        line, at = self._cursor
        if index < line:
            line, at = 0, 0
        text = self.text
        while index - line > _NEAR:
            end = at + _BLOCK
            ends = text.count("\n", at, end)
            if ends >= index - line:
                break
            line, at = line + ends, end  # (inside line ``line`` now, not at its start)
        find = text.find
        while line < index:
            at = find("\n", at) + 1
            line += 1
        self._cursor = (line, at)
        return at

    def __iter__(self) -> Iterator[str]:
        return iter(self.text.split("\n"))

    def __eq__(self, other: object) -> bool:
        if isinstance(other, TextLines):
            return self.text == other.text
        return isinstance(other, Sequence) and self.text.split("\n") == list(other)

    __hash__ = None  # type: ignore[assignment] # like a list

    def __repr__(self) -> str:
        return f"TextLines({self.text!r})"
