"""Change rules (C): what a change introduces, judged against its base.

They run only when a base is given (``check --diff-base``, ``--staged``) and
receive each root's base and head. What is new is decided on the wire: a
member that only moved (into a base type, a new common struct, a boxed
argument type) was visible at base and is not new. The release a new thing
must name comes from the trees' ``VERSION``: a tree developing 11.0
(``10.2.50``) adds things in 11.0; between a base at release B and a head
developing H, things new must name a release after B and no later than H.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

from qapilint.files import regexes
from qapilint.lint.rule import ChangeContext, Finding, rule
from qapilint.schema.releases import first_release_after, parse_version
from qapilint.schema.resolve import Resolution, resolution
from qapilint.schema.root import Schema
from qapilint.syntax.model import Definition, Doc, Span
from qapilint.syntax.prose import prose_of

from ._data import load_toml
from ._doctext import release_text, tree_target
from .s_since import version_tags

Release = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Window:
    """The releases a thing new in the change may name."""

    low: Release
    high: Release

    def holds(self, release: Release) -> bool:
        return self.low <= release <= self.high

    def text(self) -> str:
        if self.low == self.high:
            return release_text(self.high)
        return f"{release_text(self.low)} to {release_text(self.high)}"


def window(ctx: ChangeContext) -> Window | None:
    high = tree_target(ctx.tree)
    if high is None:
        return None
    low = high
    if ctx.base_tree is not None and ctx.base_tree.version is not None:
        major, minor, _micro = ctx.base_tree.version
        low = min(first_release_after((major, minor)), high)
    return Window(low, high)


def _release(text: str) -> Release | None:
    version = parse_version(text)
    return version[:2] if version else None


def wire_names(res: Resolution, definition: Definition, seen: set[str] | None = None) -> set[str]:
    """Every name a client meets through ``definition``: its members, enum
    values, branches and features, and those of its base, branch types
    and argument type."""
    seen = set() if seen is None else seen
    if definition.name in seen:
        return set()
    seen.add(definition.name)
    resolved = res.of(definition)
    names = resolved.documented_names() | resolved.feature_names()
    names |= {branch.name for branch in resolved.branches}
    related = [resolved.base, resolved.arg_type]
    related += [
        res.lookup(branch.type.name) for branch in resolved.branches if branch.type is not None
    ]
    for other in related:
        if other is not None:
            names |= wire_names(res, other, seen)
    return names


def _users(schema: Schema, res: Resolution, name: str) -> list[Definition]:
    """The definitions that reach ``name`` as a base, argument or branch type."""
    found = []
    for definition in schema.definitions.values():
        resolved = res.of(definition)
        branch_types = {b.type.name for b in resolved.branches if b.type is not None}
        if name in branch_types or any(
            other is not None and other.name == name for other in (resolved.base, resolved.arg_type)
        ):
            found.append(definition)
    return found


def _is_new(ctx: ChangeContext, definition: Definition) -> bool:
    """Absent at base by name, not a rename (a definition gone from the
    base with the same members) and not a common part split out of
    definitions whose members a client already met at base."""
    base = ctx.base
    if base is None:
        return True
    if definition.name in base.definitions:
        return False
    head_res, base_res = resolution(ctx.schema), resolution(base)
    members = head_res.of(definition).documented_names()
    if members:
        for gone in base.definitions.values():
            if (
                gone.name not in ctx.schema.definitions
                and gone.kind == definition.kind
                and base_res.of(gone).documented_names() == members
            ):
                return False  # renamed
        for user in _users(ctx.schema, head_res, definition.name):
            old = base.definitions.get(user.name)
            if old is not None and members <= wire_names(base_res, old):
                return False  # moved out of a definition that existed
    # a memberless definition others use (an empty base) is not judged
    return bool(members) or not _users(ctx.schema, head_res, definition.name)


def _since_versions(doc: Doc | None) -> list[tuple[str, Span]]:
    if doc is None:
        return []
    return [(tag.version, tag.span) for tag in version_tags(doc) if tag.section.kind == "since"]


def _member_tags(doc: Doc | None) -> dict[str, list[tuple[str, Span]]]:
    found: dict[str, list[tuple[str, Span]]] = {}
    if doc is None:
        return found
    for tag in version_tags(doc):
        if tag.section.kind in ("member", "feature") and tag.section.name:
            found.setdefault(tag.section.name, []).append((tag.version, tag.span))
    return found


@rule("C001", "new-definition-release", context="change", severity="warning", status="preview")
def new_definition_release(ctx: ChangeContext) -> Iterator[Finding]:
    """Flags a definition new in the change whose ``Since:`` names another
    release than the one the tree is developing.

    Why: a new command, event or type first ships in the release being
    developed (``VERSION`` 10.2.50 develops 11.0); copying a ``Since:``
    from a neighbour misdates it for every QMP client. A definition that
    was renamed (same members) or split out of one that existed is not
    new. A missing ``Since:`` is ``missing-since``'s finding, which with a
    base names the release too.

    In a tree whose ``VERSION`` is 10.2.50, ``query-widgets`` absent at base:

    Example::

        ##
        # @query-widgets:
        #
        # Return the widgets.
        #
        # Since: 10.2
        ##

    Use instead::

        # Since: 11.0
    """
    limits = window(ctx)
    if limits is None:
        return
    for definition in ctx.schema.definitions.values():
        versions = _since_versions(definition.doc)
        if not versions or not _is_new(ctx, definition):
            continue
        text, span = versions[0]
        release = _release(text)
        if release is not None and not limits.holds(release):
            yield Finding(
                span,
                f"'{definition.name}' is new in this change, so it is new in "
                f"{limits.text()}, not {text}: write 'Since: {release_text(limits.high)}'",
                symbol=definition.name,
                path=definition.module.path,
            )


@rule("C002", "new-member-release", context="change", severity="warning", status="preview")
def new_member_release(ctx: ChangeContext) -> Iterator[Finding]:
    """Flags a member, enum value, feature or alternate branch new in the
    change, of a definition that existed, without a since tag naming the
    release being developed.

    Why: the definition's ``Since:`` dates only what it first had; a QMP
    client learns when a member appeared only from its ``(since X.Y)``.
    What only moved (into a base type, a new common struct, a boxed
    argument type) is not new: the names a client meets through the
    definition at base are compared, not where they are written. A new
    union branch is judged as the new value of its discriminator enum.

    In a tree whose ``VERSION`` is 10.2.50, ``resume`` absent at base:

    Example::

        # @resume: resume the paused migration

    Use instead::

        # @resume: resume the paused migration (since 11.0)
    """
    limits = window(ctx)
    base = ctx.base
    if limits is None or base is None:
        return
    head_res, base_res = resolution(ctx.schema), resolution(base)
    for definition in ctx.schema.definitions.values():
        old = base.definitions.get(definition.name)
        if old is None:
            continue
        before = wire_names(base_res, old)
        resolved = head_res.of(definition)
        tags = _member_tags(definition.doc)
        # a union branch is a value of its discriminator enum, whose doc
        # carries the tag: the value is judged there, not the branch again
        for member in [*resolved.documented, *resolved.features]:
            if member.name in before:
                continue
            what = {"feature": "feature", "value": "value", "branch": "branch"}.get(
                member.role, "member"
            )
            found = tags.get(member.name)
            wanted = release_text(limits.high)
            if not found:
                section = definition.doc.member(member.name) if definition.doc else None
                span = (section.tag_span if section is not None else None) or member.span
                yield Finding(
                    span,
                    f"{what} '{member.name}' of '{definition.name}' is new in this change "
                    f"({limits.text()}) and has no since tag: add '(since {wanted})'",
                    symbol=definition.name,
                    member=member.name,
                    path=definition.module.path,
                )
                continue
            text, span = found[-1]
            release = _release(text)
            if release is not None and not limits.holds(release):
                yield Finding(
                    span,
                    f"{what} '{member.name}' of '{definition.name}' is new in this change, "
                    f"so it is new in {limits.text()}, not {text}: write '(since {wanted})'",
                    symbol=definition.name,
                    member=member.name,
                    path=definition.module.path,
                )


@rule("C003", "since-changed", context="change", severity="warning", status="preview")
def since_changed(ctx: ChangeContext) -> Iterator[Finding]:
    """Flags a since tag changed (or removed) on a definition or member
    that existed at base.

    Why: a since tag records history: the release a QMP client could
    first use the thing. Once released it does not change; a change that
    edits it is usually a copy-and-paste slip or a rebase gone wrong.

    With ``Since: 8.0`` at base:

    Example::

        # Since: 11.0

    Use instead::

        # Since: 8.0
    """
    base = ctx.base
    if base is None:
        return
    for definition in ctx.schema.definitions.values():
        old = base.definitions.get(definition.name)
        if old is None or definition.doc is None or old.doc is None:
            continue
        was = [text for text, _span in _since_versions(old.doc)]
        now = _since_versions(definition.doc)
        if was and now and _release(was[0]) != _release(now[0][0]):
            yield Finding(
                now[0][1],
                f"the 'Since:' of '{definition.name}' was {was[0]} before this change: "
                "a since tag records history, keep it",
                symbol=definition.name,
                path=definition.module.path,
            )
        old_tags = _member_tags(old.doc)
        for name, found in _member_tags(definition.doc).items():
            before = old_tags.get(name)
            if before and _release(before[-1][0]) != _release(found[-1][0]):
                yield Finding(
                    found[-1][1],
                    f"the since tag of '{name}' of '{definition.name}' was {before[-1][0]} "
                    "before this change: a since tag records history, keep it",
                    symbol=definition.name,
                    member=name,
                    path=definition.module.path,
                )


@cache
def _words(kind: str) -> re.Pattern[str]:
    """One pattern for the phrases of list ``kind`` of C004's data."""
    phrases = load_toml("change.toml")["new-optional-unexplained"][kind]
    alternatives = sorted((r"\s+".join(map(re.escape, p.split())) for p in phrases), key=len)
    return regexes.pattern(
        r"(?<![\w-])(?:" + "|".join(reversed(alternatives)) + r")(?![\w-])", re.I
    )


# what a reader needs from an optional member, by how a client meets it
_NEEDS = {
    frozenset({"input"}): ("default", "its default (the value when omitted)"),
    frozenset({"output"}): ("presence", "when it is present"),
}
_EITHER = ("either", "its default or when it is present")


def _new_members(ctx: ChangeContext, definition: Definition) -> set[str] | None:
    """The names a client meets through ``definition`` that it did not at
    base (None: all of them; the definition is new)."""
    base = ctx.base
    if base is None:
        return None
    base_res = resolution(base)
    old = base.definitions.get(definition.name)
    if old is not None:
        before = wire_names(base_res, old)
    elif not _is_new(ctx, definition):
        return set()  # renamed, or split out of definitions that existed
    else:
        before = set()
        for user in _users(ctx.schema, resolution(ctx.schema), definition.name):
            was = base.definitions.get(user.name)
            if was is not None:
                before |= wire_names(base_res, was)
    names = resolution(ctx.schema).of(definition).documented_names()
    return {name for name in names if name not in before}


@rule("C004", "new-optional-unexplained", context="change", severity="warning", status="preview")
def new_optional_unexplained(ctx: ChangeContext) -> Iterator[Finding]:
    """Flags an optional member new in the change whose description says
    neither its default nor when it is present.

    Why: ``'*name'`` tells a client only that the member may be missing.
    A member the client sends (command arguments, and object properties,
    which reach QEMU through ``object-add``) needs what QEMU does when it
    is left out: its default. A member the client receives (returns,
    event data) needs when QEMU includes it. For a type met both ways, or
    by no command or event, either answer will do. Only new members are
    judged: about half of QEMU's optional members say neither, and
    reviewers ask for it when a member is added, not years later. A member
    without any description is another rule's finding.

    In a command's arguments, ``colour`` new in the change:

    Example::

        # @colour: the colour of the gauge (since 11.0)

    Use instead::

        # @colour: the colour of the gauge (default: blue) (since 11.0)
    """
    head_res = resolution(ctx.schema)
    for definition in ctx.schema.definitions.values():
        doc = definition.doc
        if doc is None or definition.kind not in ("struct", "union", "command", "event"):
            continue
        new = _new_members(ctx, definition)
        if new is not None and not new:
            continue
        kind, wanted = _NEEDS.get(head_res.directions(definition), _EITHER)
        for member in head_res.of(definition).documented:
            if not member.optional or member.role != "member":
                continue
            if new is not None and member.name not in new:
                continue
            section = doc.member(member.name)
            if section is None or not section.lines:
                continue
            text = prose_of(section).text
            kinds = ("default", "presence") if kind == "either" else (kind,)
            if any(_words(k).search(text) for k in kinds):
                continue
            yield Finding(
                section.tag_span or member.span,
                f"optional member '{member.name}' of '{definition.name}' is new in this "
                f"change and its description does not say {wanted}",
                symbol=definition.name,
                member=member.name,
                path=definition.module.path,
            )
