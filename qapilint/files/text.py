"""A file's bytes as text, and back: the one decoder and encoder, and the
one table from (line, column) to offsets.

QEMU reads schemas as UTF-8 with universal newlines: ``\\r\\n`` and a lone
``\\r`` end a line as ``\\n`` does. Everything after this module sees
``\\n`` only; what writing the file back must restore (its own line end,
its byte order mark) is kept beside the text.
"""

from __future__ import annotations

from qapilint.files.records import TupleRecord

BOM = "\ufeff"


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
