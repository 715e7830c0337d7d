"""Parsing a rendered doc block with docutils, quietly.

Nothing is written to stderr, no file is read (``include`` and ``raw`` are
off), and every system message is collected instead of printed. Sphinx's
roles and directives, QEMU's ``qapi`` domain roles and its ``qmp-example``
directive are known for the parse (and only for it: docutils' registries
are restored afterwards, so a Sphinx build in the same process is left
alone). Imported only when a block is not in the cache.
"""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable, Iterator
from typing import Any, ClassVar

from docutils import nodes
from docutils.frontend import get_default_settings
from docutils.parsers.rst import Directive, Parser, directives, roles
from docutils.utils import new_document

from qapilint.markup.data import RstFacts, RstMessage, RstStructure, RstXref

WARNING_LEVEL = 2  # docutils' levels: 1 info, 2 warning, 3 error, 4 severe
# The one info message worth a finding: "Para::" with the literal block on
# the next line (docutils reads it as a definition list)
LITERAL_WITHOUT_BLANK = "Blank line missing before literal block"

# Sphinx's own roles, QEMU's qapi domain roles and the ones docutils lacks
SPHINX_ROLES = (
    "any",
    "doc",
    "ref",
    "term",
    "numref",
    "keyword",
    "option",
    "envvar",
    "token",
    "download",
    "abbr",
    "command",
    "dfn",
    "file",
    "guilabel",
    "kbd",
    "mailheader",
    "makevar",
    "manpage",
    "menuselection",
    "mimetype",
    "newsgroup",
    "program",
    "regexp",
    "samp",
    "math",
    "eq",
    "c:func",
    "c:type",
    "c:macro",
    "py:func",
    "py:class",
    "py:mod",
)
QAPI_ROLES = ("mod", "cmd", "event", "enum", "obj", "alt", "type", "any")
XREF_ROLES = ("any", "doc", "ref", *(f"qapi:{name}" for name in QAPI_ROLES))
SPHINX_DIRECTIVES = (
    "code-block",
    "sourcecode",
    "highlight",
    "versionadded",
    "versionchanged",
    "deprecated",
    "seealso",
    "todo",
    "only",
    "index",
    "toctree",
    "glossary",
    "centered",
    "hlist",
    "tabularcolumns",
    "literalinclude",
    "productionlist",
)
LITERAL_DIRECTIVES = ("code-block", "sourcecode", "literalinclude", "productionlist")


def parse(text: str, lines: list[str]) -> RstFacts:
    """Parse ``text`` with docutils and collect its messages and
    cross-references, each placed at the markup it concerns."""
    collected: list[nodes.system_message] = []
    document = parse_document(text, collected.append)
    # every inline node, in document order, is found in the rST lines
    # (each one past the one before it in its block), so that a start
    # string is not mistaken for an earlier one of the same characters
    locator = _Locator(lines)
    places: dict[int, tuple[int, int]] = {}
    ids: dict[str, nodes.Element] = {}
    for node in document.findall(nodes.Element):
        node_ids: list[str] = node.get("ids", [])
        for node_id in node_ids:
            ids[node_id] = node
        if isinstance(node, nodes.Inline):
            found = locator.find(node)
            if found is not None:
                places[id(node)] = found
    result = RstFacts()
    for message in collected:
        level = int(message["level"])
        body = message.children[0].astext() if message.children else message.astext()
        if level < WARNING_LEVEL and not body.startswith(LITERAL_WITHOUT_BLANK):
            continue
        line = int(message.get("line") or 1)
        col = -1
        backrefs: list[str] = message.get("backrefs", [])
        for ref in backrefs:
            problem = ids.get(ref)
            if problem is not None and id(problem) in places:
                line, col = places[id(problem)]
                break
        result.messages.append(RstMessage(line, col, level, body))
    for node in document.findall(nodes.Element):
        role = _xref_role(node)
        if role is None or id(node) not in places:
            continue
        line, col = places[id(node)]
        raw = node.rawsource
        result.xrefs.append(RstXref(line, col, role, _target(raw, role), raw))
    result.structures = list(_structures(document))
    return result


def _structures(document: nodes.document) -> Iterator[RstStructure]:
    """The definition list items and block quotes of the doctree (what an
    indented line makes of the paragraph line before it)."""
    for node in document.findall(nodes.Element):
        if isinstance(node, nodes.definition_list_item):
            term = node.line
            definition = next(
                (child for child in node.children if isinstance(child, nodes.definition)), None
            )
            line = definition.line if definition is not None else None
            if isinstance(term, int) and isinstance(line, int):
                yield RstStructure("definition_list", line, term, _in_list(node))
        elif isinstance(node, nodes.block_quote) and isinstance(node.line, int):
            yield RstStructure("block_quote", node.line, 0, _in_list(node))


def _in_list(node: nodes.Element) -> bool:
    current = node.parent
    while current is not None:
        if isinstance(current, nodes.list_item):
            return True
        current = current.parent
    return False


def parse_document(
    text: str, observer: Callable[[nodes.system_message], None] | None = None
) -> nodes.document:
    """The doctree of the rST ``text``, parsed quietly; ``observer`` is
    given every system message."""
    settings = get_default_settings(Parser)
    settings.report_level = 5
    settings.halt_level = 5
    settings.warning_stream = io.StringIO()
    settings.file_insertion_enabled = False
    settings.raw_enabled = False
    settings.line_length_limit = 100_000
    document = new_document("<qapi doc>", settings)
    if observer is not None:
        document.reporter.attach_observer(observer)
    with _known_markup():
        Parser().parse(text, document)
    return document


def _xref_role(node: nodes.Element) -> str | None:
    if isinstance(node, nodes.title_reference):
        return ""
    role = node.get("qapilint_role")
    return role if isinstance(role, str) else None


def _target(raw: str, role: str) -> str:
    """The target of a reference written ``raw``: the text between the
    backquotes, or what ``<...>`` names in ```title <target>```."""
    inner = raw[len(role) + 2 :] if role else raw
    inner = inner.strip("`")
    if inner.endswith(">") and "<" in inner:
        inner = inner[inner.rindex("<") + 1 : -1]
    return inner.strip().lstrip("~!")


class _Locator:
    """Finds inline markup in the rST lines: searches forward from the
    line its block starts on, past what it found before in that block."""

    def __init__(self, lines: list[str]) -> None:
        self.lines = lines
        self.cursor: dict[int, tuple[int, int]] = {}  # block start -> (line, col)

    def find(self, node: nodes.Element) -> tuple[int, int] | None:
        raw = node.rawsource.split("\n", 1)[0]
        start = _block_line(node)
        if not raw or start is None:
            return None
        line, col = self.cursor.get(start, (start, 0))
        while line <= len(self.lines):
            found = self.lines[line - 1].find(raw, col)
            if found >= 0:
                self.cursor[start] = (line, found + len(raw))
                return line, found
            line, col = line + 1, 0
        return None


def _block_line(node: nodes.Element) -> int | None:
    current: Any = node
    while current is not None:
        line = getattr(current, "line", None)
        if isinstance(line, int):
            return line
        current = current.parent
    return None


# --------------------------------------------------------------------------
# Roles and directives known during a parse


@contextlib.contextmanager
def _known_markup() -> Iterator[None]:
    saved_roles = dict(roles._roles)  # type: ignore[attr-defined]
    saved_directives = dict(directives._directives)  # type: ignore[attr-defined]
    try:
        for name in SPHINX_ROLES:
            roles.register_local_role(name, _ROLE)
        for name in QAPI_ROLES:
            roles.register_local_role(f"qapi:{name}", _ROLE)
        for name in SPHINX_DIRECTIVES:
            directives.register_directive(name, _Literal if name in LITERAL_DIRECTIVES else _Nested)
        directives.register_directive("qmp-example", _QmpExample)
        yield
    finally:
        roles._roles.clear()  # type: ignore[attr-defined]
        roles._roles.update(saved_roles)  # type: ignore[attr-defined]
        directives._directives.clear()  # type: ignore[attr-defined]
        directives._directives.update(saved_directives)  # type: ignore[attr-defined]


def _role(  # noqa: PLR0917 - docutils' role signature
    name: str,
    rawtext: str,
    text: str,
    lineno: int,
    inliner: Any,
    options: dict[str, Any] | None = None,
    content: list[str] | None = None,
) -> tuple[list[nodes.Node], list[nodes.system_message]]:
    node = nodes.literal(rawtext, text)
    if name in XREF_ROLES:
        node["qapilint_role"] = name
    return [node], []


# docutils' stubs type a role's results as references; ours returns literals
_ROLE: Any = _role


class _AnyOptions(dict[str, Any]):
    """An option spec that takes every option (Sphinx's directives have
    many; their values are not checked here)."""

    def __contains__(self, key: object) -> bool:
        return True

    def __getitem__(self, key: str) -> Any:
        return _unchanged

    def get(self, key: str, default: Any = None) -> Any:
        return _unchanged


def _unchanged(argument: str | None) -> str:
    return argument or ""


class _Literal(Directive):
    """A Sphinx directive whose body is a literal block (``code-block``)."""

    optional_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec = _AnyOptions()

    def run(self) -> list[nodes.Node]:
        text = "\n".join(self.content)
        return [nodes.literal_block(text, text)]


class _Nested(Directive):
    """A Sphinx directive whose body is rST (``seealso``, ``versionadded``)."""

    optional_arguments = 1
    final_argument_whitespace = True
    has_content = True
    option_spec = _AnyOptions()

    def run(self) -> list[nodes.Node]:
        node = nodes.container()
        if self.content:
            self.state.nested_parse(self.content, self.content_offset, node)
        return [node]


def _flag(argument: str) -> None:
    return None


class _QmpExample(Directive):
    """QEMU's ``qmp-example``: a literal block, or rST with ``:annotated:``."""

    has_content = True
    option_spec: ClassVar[dict[str, Callable[[str], Any]] | None] = {
        "annotated": _flag,
        "title": _unchanged,
    }

    def run(self) -> list[nodes.Node]:
        node = nodes.admonition()
        if "annotated" in self.options:
            self.state.nested_parse(self.content, self.content_offset, node)
        else:
            text = "\n".join(self.content)
            node += nodes.literal_block(text, text)
        return [node]
