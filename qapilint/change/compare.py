"""Fingerprints of findings, compared as multisets.

A finding's identity (:meth:`qapilint.lint.rule.Finding.fingerprint`) holds
the flagged text, read here: for a finding inside a doc block, the
paragraph of the section it falls in (so re-wrapping a paragraph without
changing its words keeps its findings old, and rewriting a word of it makes
them new); elsewhere, the flagged lines.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping
from pathlib import Path

from qapilint.lint.rule import Finding
from qapilint.syntax.docparse import classified
from qapilint.syntax.model import Doc, DocLine, Module

Fingerprint = tuple[str, ...]


def _doc_at(module: Module, line: int) -> Doc | None:
    for doc in module.docs:
        if doc.span.line <= line <= doc.span.end_line:
            return doc
        if doc.span.line > line:
            break
    return None


def _paragraph(doc: Doc, line: int) -> list[DocLine] | None:
    """The doc lines of the paragraph holding file line ``line``: the run
    of non-blank lines of one section around it."""
    lines = doc.lines
    classes = classified(doc)
    at = next((i for i, found in enumerate(lines) if found.line == line), None)
    if at is None or classes[at].kind == "blank":
        return None
    section = classes[at].section

    def joins(index: int) -> bool:
        """Whether line ``index`` continues the line before it."""
        found = classes[index]
        return found.kind in ("text", "continuation") and found.section == section

    start = at
    while start > 0 and joins(start) and classes[start - 1].kind != "blank":
        if classes[start - 1].section != section:
            break
        start -= 1
    end = at
    while end + 1 < len(lines) and joins(end + 1):
        end += 1
    return lines[start : end + 1]


def flagged_text(finding: Finding, module: Module | None) -> str:
    """The text a finding's fingerprint holds (see the module's doc)."""
    if module is None:
        return ""
    span = finding.span
    doc = _doc_at(module, span.line)
    if doc is not None:
        paragraph = _paragraph(doc, span.line)
        if paragraph is not None:
            return " ".join(found.text.strip() for found in paragraph)
    first = max(span.line, 1)
    last = max(span.end_line, first)
    return " ".join(text.strip() for text in module.lines[first - 1 : last])


def fingerprints(
    findings: Iterable[Finding],
    modules: Mapping[Path, Module],
    relative: Mapping[Path, str],
) -> list[Fingerprint]:
    """Each finding's fingerprint; a finding outside any definition names
    its file by ``relative[path]`` (the path relative to its tree, mapped
    through renames), so that two trees compare."""
    found = []
    for finding in findings:
        path = finding.path
        module = modules.get(path) if path is not None else None
        where = relative.get(path) if path is not None else None
        found.append(finding.fingerprint(flagged_text(finding, module), where))
    return found


def introduced(
    head: list[Finding], head_prints: list[Fingerprint], base_prints: Iterable[Fingerprint]
) -> list[Finding]:
    """The head findings that are not at base, compared as multisets: a
    second copy of an old problem is new."""
    left = Counter(base_prints)
    new = []
    for finding, fingerprint in zip(head, head_prints, strict=True):
        if left[fingerprint] > 0:
            left[fingerprint] -= 1
        else:
            new.append(finding)
    return new


def unmatched(entries: Iterable[Fingerprint], prints: Iterable[Fingerprint]) -> list[Fingerprint]:
    """The ``entries`` no fingerprint of ``prints`` matches (multisets)."""
    left = Counter(prints)
    stale = []
    for entry in entries:
        if left[entry] > 0:
            left[entry] -= 1
        else:
            stale.append(entry)
    return stale
