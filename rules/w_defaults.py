"""How the default of a bool member is written."""

from __future__ import annotations

import re
from collections.abc import Iterator

from qapilint.lint.rule import DocContext, Edit, Finding, Fix, rule
from qapilint.schema.resolve import resolution
from qapilint.syntax.prose import prose_of

from . import _wording as w

_DEFAULT = re.compile(
    r"(?P<word>\b[Dd]efault(?:s|ed)?)(?P<link>:|\s+to|\s+is|)\s*"
    r"(?P<q>[\"']?)(?P<value>[A-Za-z]+)(?P=q)(?![\w-])"
)
_SINCE = re.compile(r"\.?\s*\([Ss]ince:?\s+(?P<version>\d+(?:\.\d+)+)\)")
_FULL_STOP = re.compile(r"\.(?=\s|$)")


def member_type(ctx: DocContext, name: str) -> str | None:
    """The type of member ``name`` described by the doc of ``ctx``, as
    resolved (``"bool"``, ``"OnOffAuto"``, ``"['str']"``); None if unknown."""
    if ctx.schema is None or ctx.definition is None:
        return None
    for member in resolution(ctx.schema).of(ctx.definition).documented:
        if member.name == name and member.role == "member" and member.type is not None:
            return f"['{member.type.name}']" if member.type.array else member.type.name
    return None


def _in_parentheses(text: str, offset: int) -> bool:
    """Whether ``offset`` is inside "(...)", as in "(since 5.2; default: off)"."""
    return text.rfind("(", 0, offset) > text.rfind(")", 0, offset)


def _replacement(text: str, match: re.Match[str], value: str) -> tuple[int, int, str]:
    """(start, end, text) of the edit that writes the default in house style."""
    canonical = str(w.table("bool-default")["canonical"]).format(value=value)
    start, end = match.start("word"), match.end()
    if _in_parentheses(text, start):
        return start, end, canonical[1:-1]  # already inside parentheses
    if match.group("word")[0].islower() and match.group("link").strip() in ("to", "is"):
        return match.start("q"), end, value  # "... defaults to "on"": the value only
    stop = _FULL_STOP.match(text, end)
    if stop:
        end = stop.end()
    since = _SINCE.match(text, end)
    if since:
        return start, since.end(), canonical[:-1] + f", since {since.group('version')})"
    return start, end, canonical


@rule("W030", "bool-default", context="doc", severity="warning", fix="suggestion")
def bool_default(ctx: DocContext) -> Iterator[Finding]:
    """Flags a ``bool`` member's default written "off", "on" or "Default false".

    The house style is ``(default: false)`` or ``(default: true)``; "Defaults
    to false." is left alone.

    Why: a bool is ``false`` or ``true`` on the wire; "off" and "on" are the
    words of enums such as ``OnOffAuto``, so a client reading them looks for
    an enum that is not there. ``(default: X)`` is the form the schema uses
    almost everywhere. Members of enum type whose value really is ``off``
    are not bool members and are left alone.

    Example::

        # @resume: resume a paused migration.  Default "off".  (since 3.0)

    Use instead::

        # @resume: resume a paused migration.  (default: false, since 3.0)
    """
    values = w.table("bool-default")["values"]
    for section in w.prose_sections(ctx.doc, ("member",)):
        if section.name is None or member_type(ctx, section.name) != "bool":
            continue
        view = prose_of(section)
        for match in _DEFAULT.finditer(view.text):
            said = match.group("value")
            value = values.get(said.lower())
            if value is None:
                continue
            plain = said == value and not match.group("q")
            if plain and (match.group("link").strip() in ("to", "is")):
                continue  # "Defaults to false." says it plainly
            inside = _in_parentheses(view.text, match.start("word"))
            if plain and inside and match.group("link") == ":":
                continue  # the house style
            start, end, text = _replacement(view.text, match, value)
            canonical = str(w.table("bool-default")["canonical"]).format(value=value)
            said_all = w.quoted(view.text[match.start("word") : match.end()])
            found = w.finding(
                ctx,
                section,
                view,
                (match.start("word"), match.end()),
                f"bool {w.where(ctx, section)} states its default as {said_all}: write {canonical}",
            )
            found.fix = Fix.suggestion([Edit(view.span(start, end), text)], f"write {text!r}")
            yield found
