"""Every fix and suggestion is re-linted before it is shown.

A rule proposes edits; this module applies them to the doc block they
touch, in memory, and reads the result again: QEMU's doc parser
(:func:`qapilint.syntax.docparse.read_doc`), the line checks the tree's release
has (70 columns and two spaces between sentences, from the 8.1
conventions on), the pre-8.1 indentation rule on older trees, trailing
whitespace, and punctuation a deletion can break (``existed;, such``).
What the edits introduce decides:

- nothing: the fix is shown as the rule made it;
- only long lines or single spaces between sentences: the paragraphs the
  edits touched are rewrapped with :mod:`qapilint.fix.reflow`, and the fix
  becomes one edit of those lines, if the rewrapped text is clean;
- anything else, or a rewrap that cannot be made: the finding keeps its
  message and loses the fix.

Edits outside a doc block (suppression comments, pragmas, a comment a
fix moves text into) are left as they are: they are not documentation
text. A fix touching two doc blocks is not shown.
"""

from __future__ import annotations

from collections import Counter

from qapilint.files import regexes
from qapilint.lint.rule import Edit, Finding, Fix, OverlappingEdits, TreeInfo, apply_edits
from qapilint.schema.releases import CONVENTIONS_UPDATE, release_reached
from qapilint.syntax.doclines import is_url_line, line_length, literal_flags, single_spaces
from qapilint.syntax.docparse import aligned_indent_errors, read_doc
from qapilint.syntax.model import Doc, DocLine, Module, Problem, Span

MAX_REWRAPS = 8

# punctuation a deleted word leaves behind: ";," "(, ", " ." "()"
_BROKEN = regexes.pattern(r"[,;:][ \t]*[,;:]|\([ \t]*[,;:)]|[ \t][,;:](?=\s|$)|[ \t]\.(?=\s|$)|,,")

LONG = "long line"
SPACING = "single space between sentences"


def vet(finding: Finding, module: Module, tree: TreeInfo) -> Finding:
    """``finding`` with a fix that introduces no finding of its own: as
    made, rewrapped, or dropped."""
    fix = finding.fix
    if fix is None or not fix.edits:
        return finding
    blocks = {id(doc): doc for edit in fix.edits if (doc := _doc_of(module, edit)) is not None}
    if len(blocks) != 1:
        return finding if not blocks else finding.replace(fix=None)
    (doc,) = blocks.values()
    inside = tuple(edit for edit in fix.edits if _doc_of(module, edit) is doc)
    outside = tuple(edit for edit in fix.edits if edit not in inside)  # comments, expressions
    checked = _block(module, doc, tree)
    checked.parse = not _within_lines(module, inside)
    new = checked.apply(inside)
    if new is None:
        return finding.replace(fix=None)
    problems = checked.introduced(new)
    if not problems:
        return finding
    if problems <= {LONG, SPACING} and checked.line_checks:
        rewrapped = checked.rewrap(new)
        if rewrapped is not None and not checked.introduced(rewrapped):
            edit = checked.edit_to(rewrapped)
            if edit is not None:
                message = (fix.message + " and rewrap the paragraph").strip()
                rewrap = Fix(fix.applicability, (edit, *outside), message, late=True)
                return finding.replace(fix=rewrap)
    return finding.replace(fix=None)


_last: list[_Block] = []  # the block vetted last: a block's findings come in a row


def _block(module: Module, doc: Doc, tree: TreeInfo) -> _Block:
    if _last and _last[0].doc is doc and _last[0].tree is tree:
        return _last[0]
    block = _Block(module, doc, tree)
    _last[:] = [block]
    return block


def _within_lines(module: Module, edits: tuple[Edit, ...]) -> bool:
    """Whether every edit stays inside one line and after that line's first
    word: then it cannot change how QEMU's doc parser reads the block (tags,
    indentation), and only the line checks need to run."""
    for edit in edits:
        span = edit.span
        if span.line != span.end_line or "\n" in edit.text:
            return False
        line = module.lines[span.line - 1]
        body = line.lstrip()
        if not body.startswith("#"):
            return False
        text_start = len(line) - len(body) + 2  # 0-based index of the text after "# "
        words = line[text_start:].lstrip(" ")
        first_word_end = len(line) - len(words) + len(words.split(" ", 1)[0])
        if span.col - 1 <= first_word_end:
            return False
    return True


def _doc_of(module: Module, edit: Edit) -> Doc | None:
    """The doc block holding ``edit`` between its ``##`` lines; an edit
    inserting before the opening ``##`` or after the closing one is not
    in it."""
    span = edit.span
    for doc in module.docs:
        opening, closing = doc.span.line, doc.span.end_line
        if opening <= span.line and span.end_line <= closing:
            if span == Span(opening, 1, opening, 1):
                return None  # an insertion above the block
            return doc
    return None


class _Block:
    """One doc block's file lines, from its opening ``##`` to its closing one."""

    def __init__(self, module: Module, doc: Doc, tree: TreeInfo) -> None:
        self.module = module
        self.doc = doc
        self.tree = tree
        self.parse = True  # read the result with QEMU's doc parser
        self.first = doc.span.line
        self.last = doc.span.end_line
        self.lines = module.lines[self.first - 1 : self.last]
        self.line_checks = release_reached(tree.version, CONVENTIONS_UPDATE)
        self.aligned = not self.line_checks  # QEMU before 8.1
        self.limit = tree.line_limit()
        self.before = self._violations(self.lines, parse=True)

    def apply(self, edits: tuple[Edit, ...]) -> list[str] | None:
        """The block's lines with ``edits`` applied; None if they cannot be."""
        shift = self.first - 1
        moved = [
            Edit(
                Span(e.span.line - shift, e.span.col, e.span.end_line - shift, e.span.end_col),
                e.text,
            )
            for e in edits
        ]
        try:
            return apply_edits("\n".join(self.lines), moved).split("\n")
        except (OverlappingEdits, IndexError):
            return None

    # ---- what a block's text draws

    def _violations(
        self, lines: list[str], parse: bool | None = None
    ) -> Counter[tuple[str, str]] | None:
        """(kind, line text) of everything a fix must not introduce; None
        when the lines are no doc block any more. ``parse``: read them with
        QEMU's doc parser too (default: ``self.parse``)."""
        texts = _texts(lines)
        if texts is None:
            return None
        found: Counter[tuple[str, str]] = Counter()
        if self.parse if parse is None else parse:
            problems: list[Problem] = []
            doc = Doc(
                Span(1, 1, 1, 3),
                [DocLine(index, "# " + text, text, 3) for index, text in enumerate(texts, 2)],
            )
            read_doc(doc, problems)
            found.update(("parser: " + problem.kind, "") for problem in problems)
        literal = literal_flags(texts)
        for text, exempt in zip(texts, literal, strict=True):
            stripped = text.rstrip()
            if stripped != text:
                found[("trailing whitespace", text)] += 1
            for match in _BROKEN.finditer(stripped):
                found[("punctuation", match.group())] += 1
            if exempt or not self.line_checks or not stripped:
                continue
            if line_length(stripped) > self.limit and not is_url_line(stripped):
                found[(LONG, stripped)] += 1
            if any(True for _ in single_spaces(stripped)):
                found[(SPACING, stripped)] += 1
        if self.aligned:
            found[("unexpected de-indent", "")] += len(aligned_indent_errors(texts))
        return found

    def introduced(self, lines: list[str]) -> set[str]:
        """The kinds of violation ``lines`` have that the original had not."""
        after = self._violations(lines)
        if after is None:
            return {"not a doc block"}
        if self.before is None:
            return set()
        if not self.parse:
            after.update({key: n for key, n in self.before.items() if key[0].startswith("parser")})
        # by kind: a line that was too long and still is, reworded, is no
        # new finding (the line's own finding stands)
        before = Counter(kind for kind, _text in self.before.elements())
        return {
            kind
            for kind, count in Counter(k for k, _t in after.elements()).items()
            if count > before[kind]
        }

    # ---- rewrapping

    def rewrap(self, lines: list[str]) -> list[str] | None:
        """``lines`` with each paragraph holding a new long line or single
        space rewrapped; None when that cannot be done safely."""
        from qapilint.fix import reflow  # noqa: PLC0415 - only needed for the rare rewrap

        if self.before is None:
            return None
        old = {text for _kind, text in self.before}
        prefix = self._prefix()
        for _ in range(MAX_REWRAPS):
            entries = _entries(lines)
            if entries is None:
                return None
            texts = [text for _index, text in entries]
            literal = literal_flags(texts)
            bad = [
                index
                for index, text in enumerate(texts)
                if not literal[index] and text.rstrip() not in old and self._needs_wrap(text)
            ]
            if not bad:
                return lines
            index = bad[0]
            texts[index] = reflow.fix_sentence_spacing(texts[index].rstrip())
            start, end, new = index, index + 1, [texts[index]]
            if self._needs_wrap(texts[index]):
                found = reflow.reflow_at(texts, index, self.limit)
                if not isinstance(found, reflow.Replacement):
                    return None
                start, end, new = found.start, found.end, list(found.texts)
            first, last = entries[start][0], entries[end - 1][0]
            lines = [*lines[:first], *(_raw(prefix, text) for text in new), *lines[last + 1 :]]
        return None

    def _needs_wrap(self, text: str) -> bool:
        stripped = text.rstrip()
        too_long = line_length(stripped) > self.limit and not is_url_line(stripped)
        return too_long or any(True for _ in single_spaces(stripped))

    def _prefix(self) -> str:
        """What comes before a doc line's text in this block ("# ")."""
        for line in self.lines[1:-1]:
            stripped = line.lstrip()
            if stripped.startswith("# "):
                return line[: len(line) - len(stripped)] + "# "
        return "# "

    def edit_to(self, lines: list[str]) -> Edit | None:
        """One edit turning the block's lines into ``lines``: the lines
        from the first that differs to the last."""
        old = self.lines
        head = 0
        while head < min(len(old), len(lines)) and old[head] == lines[head]:
            head += 1
        tail = 0
        while (
            tail < min(len(old), len(lines)) - head
            and old[len(old) - 1 - tail] == lines[len(lines) - 1 - tail]
        ):
            tail += 1
        if head == len(old) == len(lines):
            return None
        start = self.first + head
        new = "\n".join(lines[head : len(lines) - tail])
        end_index = len(old) - tail  # exclusive, 0-based into old
        if end_index > head:
            last = self.first + end_index - 1
            return Edit(Span(start, 1, last, len(old[end_index - 1]) + 1), new)
        return Edit(Span(start, 1, start, 1), new + "\n")


def _texts(lines: list[str]) -> list[str] | None:
    """The doc texts of a block's lines (its ``##`` lines excluded), as
    QEMU reads them: what follows "# "; None when a line between the
    delimiters is not a comment or a delimiter is gone."""
    entries = _entries(lines)
    return None if entries is None else [text for _index, text in entries]


def _entries(lines: list[str]) -> list[tuple[int, str]] | None:
    """(index into ``lines``, doc text) of each doc line of a block."""
    if len(lines) < 2 or lines[0].strip() != "##" or lines[-1].strip() != "##":
        return None
    entries = []
    for index, line in enumerate(lines[1:-1], start=1):
        stripped = line.lstrip()
        if not stripped:
            continue
        if not stripped.startswith("#") or stripped.startswith("##"):
            return None
        entries.append((index, stripped[2:] if stripped.startswith("# ") else stripped[1:]))
    return entries


def _raw(prefix: str, text: str) -> str:
    return prefix + text if text else prefix.rstrip()
