"""Helpers the S and D rules share: a section's text with file positions,
tree settings, and the release a tree works towards.

Not a rule module (the leading underscore keeps the engine from loading it).
"""

from __future__ import annotations

from collections.abc import Iterator

from qapilint.lint.rule import Edit, Fix, TreeInfo, apply_edits
from qapilint.schema.releases import parse_version, target_release
from qapilint.syntax.model import Doc, DocLine, Module, ProseView, Section, Span, TextLine
from qapilint.syntax.prose import prose_of

NEXT_VERSION_SETTING = "next-version"


class SectionText:
    """A section's lines joined by "\\n", with offsets mapped to the file.

    :meth:`is_text` consults the section's prose view (built only when a
    rule asks) to ignore matches inside literal blocks and examples.
    """

    # a plain class: a dataclass costs every run's import several times as much
    __slots__ = ("_masked", "_masked_known", "section", "source")

    def __init__(self, section: Section, source: str) -> None:
        self.section = section
        self.source = source
        self._masked: str | None = None
        self._masked_known = False

    @classmethod
    def of(cls, section: Section) -> SectionText:
        return cls(section, "\n".join(line.text for line in section.lines))

    @property
    def masked(self) -> str | None:
        """The prose view's text (non-prose masked), None if unavailable."""
        if not self._masked_known:
            self._masked_known = True
            try:
                view = prose_of(self.section)
            except (ImportError, AttributeError):  # prose view not available
                view = None
            if isinstance(view, ProseView) and len(view.text) == len(self.source):
                self._masked = view.text
        return self._masked

    def position(self, offset: int) -> tuple[int, int]:
        """File (line, column) of a character offset into ``source``."""
        lines: list[TextLine] = self.section.lines
        for text_line in lines:
            length = len(text_line.text)
            if offset <= length:
                return text_line.line, text_line.col + offset
            offset -= length + 1
        last = lines[-1]
        return last.line, last.col + len(last.text)

    def span(self, start: int, end: int) -> Span:
        line, col = self.position(start)
        end_line, end_col = self.position(end)
        return Span(line, col, end_line, end_col)

    def is_text(self, start: int, end: int) -> bool:
        """Whether ``source[start:end]`` is outside literal blocks and
        examples (always true without a prose view)."""
        masked = self.masked
        if masked is None:
            return True
        return ProseView.MASK not in masked[start:end]


def section_texts(doc: Doc, *skip: str) -> Iterator[SectionText]:
    """Every section of ``doc`` with text, except the kinds in ``skip``."""
    for section in doc.sections:
        if section.kind not in skip and section.lines:
            yield SectionText.of(section)


def doc_line(doc: Doc, line: int) -> DocLine | None:
    """The doc block's line at file line ``line``, if it has one."""
    index = line - doc.lines[0].line if doc.lines else -1
    if 0 <= index < len(doc.lines) and doc.lines[index].line == line:
        return doc.lines[index]
    for candidate in doc.lines:
        if candidate.line == line:
            return candidate
    return None


def is_blank(line: DocLine | None) -> bool:
    return line is None or not line.text.strip()


def tree_target(tree: TreeInfo) -> tuple[int, int] | None:
    """The feature release the tree is, or works towards: from ``VERSION``,
    else ``next-version`` from configuration; None when neither is known."""
    if tree.version is not None:
        return target_release(tree.version)
    configured = tree.setting(NEXT_VERSION_SETTING)
    if isinstance(configured, str):
        parsed = parse_version(configured)
        configured = parsed[:2] if parsed else None
    if isinstance(configured, tuple | list) and len(configured) >= 2:
        return int(configured[0]), int(configured[1])
    return None


def release_text(release: tuple[int, int]) -> str:
    return f"{release[0]}.{release[1]}"


def fix_keeping_lines_short(module: Module, tree: TreeInfo, edits: list[Edit], what: str) -> Fix:
    """A safe fix, unless applying ``edits`` makes a doc line longer than
    the limit: then only a suggestion (the paragraph needs rewrapping)."""
    first = min(edit.span.line for edit in edits)
    last = max(edit.span.end_line for edit in edits)
    grown = sum(edit.text.count("\n") - (edit.span.end_line - edit.span.line) for edit in edits)
    result = apply_edits(module.text, edits).split("\n")[first - 1 : last + grown]
    limit = tree.line_limit()
    if all(len(line.rstrip()) <= limit for line in result):
        return Fix.safe(edits, what)
    return Fix.suggestion(edits, f"{what} (then rewrap: a line would pass {limit} columns)")
