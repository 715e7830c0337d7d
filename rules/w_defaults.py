"""How the default of a bool member is written."""

from __future__ import annotations

from collections.abc import Iterator

from qapilint.files import regexes
from qapilint.lint.rule import DocContext, Edit, Finding, Fix, rule
from qapilint.schema.resolve import resolution
from qapilint.syntax.prose import prose_of

from . import _wording as w

_DEFAULT = regexes.pattern(
    r"(?P<word>\b[Dd]efault(?:s|ed)?)(?P<link>:|\s+to|\s+is|)\s*"
    r"(?P<q>[\"']?)(?P<value>[A-Za-z]+)(?P=q)(?![\w-])"
)
_DEFAULT_SCREEN = w.Screen.any_of(["efault"], ignore_case=False)  # of "[Dd]efault"
# what may follow an unquoted value: the end of the phrase
_ENDS = regexes.pattern(r"\s*(?:[.,;)]|$)")


def member_type(ctx: DocContext, name: str) -> str | None:
    """The type of member ``name`` described by the doc of ``ctx``, as
    resolved (``"bool"``, ``"OnOffAuto"``, ``"['str']"``); None if unknown."""
    if ctx.schema is None or ctx.definition is None:
        return None
    for member in resolution(ctx.schema).of(ctx.definition).documented:
        if member.name == name and member.role == "member" and member.type is not None:
            return f"['{member.type.name}']" if member.type.array else member.type.name
    return None


@rule("W030", "bool-default", context="doc", severity="warning", status="preview", fix="suggestion")
def bool_default(ctx: DocContext) -> Iterator[Finding]:
    """Flags a ``bool`` member whose default is written "off", "on",
    "enabled", "disabled", "yes" or "no".

    ``(default: false)``, ``(default true)``, ``Default: true.`` and
    ``Defaults to false.`` all say the value plainly and are left alone:
    QEMU has no one house form for a default, only the value matters.

    Why: a bool is ``false`` or ``true`` on the wire; "off" and "on" are the
    words of enums such as ``OnOffAuto``, so a client reading them looks
    for an enum that is not there, or sends the string. Members of enum
    type whose value really is ``off`` are not bool members and are left
    alone. The suggestion replaces the word by the JSON value, nothing
    else.

    Example::

        # @resume: resume a paused migration.  Default "off".  (since 3.0)

    Use instead::

        # @resume: resume a paused migration.  Default false.  (since 3.0)
    """
    values = w.table("bool-default")["values"]
    for section in w.screened_sections(ctx.doc, _DEFAULT_SCREEN, kinds=("member",)):
        if section.name is None or member_type(ctx, section.name) != "bool":
            continue
        view = prose_of(section)
        for match in _DEFAULT.finditer(view.text):
            said = match.group("value")
            value = values.get(said.lower())
            if value is None:
                continue  # "true", "false", or not a value at all
            if not match.group("q") and not _ENDS.match(view.text, match.end()):
                continue  # "default is no limit": a word of a longer phrase
            written = view.text[match.start("q") : match.end()]
            if not match.group("q"):
                written = f'"{written}"'

            found = w.finding(
                ctx,
                section,
                view,
                (match.start("word"), match.end()),
                f"bool {w.where(ctx, section)} gives its default as {written}: a bool is "
                f"false or true; write {value}",
            )
            edit = Edit(view.span(match.start("q"), match.end()), value)
            found.fix = Fix.suggestion([edit], f"write {value!r}")
            yield found
