"""QEMU's schema-stage doc checks (Q2xx).

QEMU rejects these only after resolving the whole schema, and stops at the
first one; these rules report every one, at the member or section concerned,
with the line QEMU reports kept as ``anchor_line`` where it differs. Which
doc describes what is decided by :mod:`qapilint.schema.resolve`.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Literal

from qapilint.lint.rule import DefinitionContext, Edit, Finding, Fix, SchemaContext, rule
from qapilint.schema.releases import MEMBER_DOCS_REQUIRED
from qapilint.schema.resolve import Member, Resolution, Resolved, resolution
from qapilint.syntax.build import DOCUMENTATION_EXCEPTIONS
from qapilint.syntax.doclines import TAG_SHOWN
from qapilint.syntax.model import Definition, Doc, JList, JString, Section, SectionKind, Span

from ._doctext import fix_keeping_lines_short
from .d_structure import colonless_descriptions

ROLE_WORDS = {"member": "member", "value": "value", "branch": "branch", "feature": "feature"}
ARGUMENT_KINDS = ("command", "event")
CLOSE_ENOUGH = 0.7  # difflib ratio for a did-you-mean
# QEMU 9.0 (2024) began rejecting undescribed members (before, it printed
# "Not documented"), a "Returns:" section for a command returning nothing and
# the new "Errors:" section outside commands; older trees build with them.
REQUIRED_SINCE = MEMBER_DOCS_REQUIRED


# --------------------------------------------------------------------------
# Helpers


def _own_doc(definition: Definition) -> Doc | None:
    """The definition's doc block, when it really is for this definition."""
    doc = definition.doc
    if doc is None or doc.free_form or doc.symbol != definition.name:
        return None
    return doc


def _anchor(definition: Definition, span: Span) -> int | None:
    """QEMU reports at the definition's first line; None when that is the
    finding's own line."""
    line = definition.span.line
    return None if line == span.line else line


def _inner(span: Span, skip: int = 0) -> Span:
    """The characters of a quoted string's span, without the quotes (and
    ``skip`` leading characters, e.g. a ``*``)."""
    if span.line != span.end_line or span.end_col - span.col < 2 + skip:
        return span
    return Span(span.line, span.col + 1 + skip, span.line, span.end_col - 1)


def _tag_name_span(section: Section) -> Span | None:
    """The NAME of a section's ``@NAME:`` tag."""
    tag = section.tag_span
    if tag is None or section.name is None:
        return None
    return Span.at(tag.line, tag.col + 1, len(section.name))


def _described(doc: Doc, kind: SectionKind) -> set[str]:
    return {section.name for section in doc.of_kind(kind) if section.name is not None}


def _describe(definition: Definition) -> str:
    return f"{definition.kind} '{definition.name}'"


def _member_word(definition: Definition, member: Member) -> str:
    if member.role == "member" and definition.kind in ARGUMENT_KINDS:
        return "argument"
    return ROLE_WORDS[member.role]


def _undocumented(doc: Doc, resolved: Resolved) -> list[Member]:
    described = _described(doc, "member")
    return [member for member in resolved.documented if member.name not in described]


# --------------------------------------------------------------------------
# Missing and misplaced doc blocks


@rule("Q201", "doc-comment-required", context="definition", severity="error", qemu_rejects=True)
def doc_comment_required(ctx: DefinitionContext) -> Iterator[Finding]:
    """Flags a definition without a doc block when pragma ``doc-required`` is on.

    Why: with ``doc-required`` QEMU refuses to build a schema in which any
    definition is undocumented, and the reference manual would have a hole.

    Example::

        { 'pragma': { 'doc-required': true } }
        { 'command': 'stop' }

    Use instead::

        ##
        # @stop:
        #
        # Stop all guest VCPU execution.
        ##
        { 'command': 'stop' }
    """
    definition = ctx.definition
    if (
        definition.doc is None
        and definition.name
        and ctx.schema.pragmas.doc_required
        and not _free_form_doc_before(definition)
    ):
        span = _inner(definition.name_span)
        yield Finding(
            span,
            f"{_describe(definition)} has no documentation comment; "
            "pragma 'doc-required' demands one",
            symbol=definition.name,
            anchor_line=_anchor(definition, span),
        )


def _free_form_doc_before(definition: Definition) -> bool:
    """Whether a free-form doc block directly precedes ``definition`` (the
    parser already reports that one: "definition documentation required")."""
    module = definition.module
    start = (definition.span.line, definition.span.col)
    before = [doc for doc in module.docs if (doc.span.end_line, doc.span.end_col) <= start]
    if not before:
        return False
    doc = max(before, key=lambda doc: (doc.span.line, doc.span.col))
    after = (doc.span.end_line, doc.span.end_col)
    others = [other.span for other in module.definitions if other is not definition]
    others += [include.span for include in module.includes]
    others += [pragma.span for pragma in module.pragmas]
    between = any(after <= (other.line, other.col) < start for other in others)
    return doc.free_form and not between


@rule(
    "Q202",
    "doc-comment-for-other",
    context="definition",
    severity="error",
    fix="suggestion",
    qemu_rejects=True,
)
def doc_comment_for_other(ctx: DefinitionContext) -> Iterator[Finding]:
    """Flags a doc block whose ``@NAME:`` is not the definition that follows.

    Why: QEMU attaches a doc block to the definition right after it and
    rejects the schema when the names differ; usually one of them is a typo.

    Example::

        ##
        # @food:
        ##
        { 'command': 'foo' }

    Use instead::

        ##
        # @foo:
        ##
        { 'command': 'foo' }
    """
    definition = ctx.definition
    doc = definition.doc
    if doc is None or doc.symbol is None or doc.symbol == definition.name or not definition.name:
        return
    span = doc.symbol_span or Span.at(doc.span.line, doc.span.col)
    name_span = _symbol_name_span(doc, span)
    fix = None
    if name_span is not None and definition.name:
        fix = Fix.suggestion([Edit(name_span, definition.name)], f"write '@{definition.name}:'")
    yield Finding(
        span,
        f"documentation comment is for '{doc.symbol}', but the definition after it is "
        f"{_describe(definition)}",
        fix=fix,
        symbol=definition.name,
        anchor_line=_anchor(definition, span),
    )


def _symbol_name_span(doc: Doc, span: Span) -> Span | None:
    """Where the symbol's name is written: the symbol span itself, or the
    name found after an ``@`` on the span's line."""
    symbol = doc.symbol
    assert symbol is not None
    if span.line == span.end_line and span.end_col - span.col == len(symbol):
        return span
    for doc_line in doc.lines:
        if doc_line.line == span.line:
            index = doc_line.raw.find("@" + symbol)
            if index >= 0:
                return Span.at(span.line, index + 2, len(symbol))
    return None


# --------------------------------------------------------------------------
# Things that lack a description


@rule(
    "Q203",
    "undocumented-member",
    context="definition",
    severity="error",
    fix="safe",
    qemu_release=REQUIRED_SINCE,
    qemu_rejects=True,
    convention_release=REQUIRED_SINCE,
)
def undocumented_member(ctx: DefinitionContext) -> Iterator[Finding]:
    """Flags a member, enum value, alternate branch or argument its doc block
    does not describe.

    Why: QEMU rejects the schema unless the definition is listed in pragma
    ``documentation-exceptions``, and a reader of the manual cannot guess
    what an undescribed member does. QEMU reports the definition's first
    line; this rule points at the member itself. Trees older than 9.0 are
    not checked: their QEMU printed "Not documented" for such members, and
    9.0 made the rule with the members it had grandfathered in that pragma
    (on QEMU 7.2.0 every one of 562 old members would be reported).

    Example::

        ##
        # @BlockdevDetectZeroes:
        #
        # @off: disabled (default)
        ##
        { 'enum': 'BlockdevDetectZeroes', 'data': [ 'off', 'on' ] }

    Use instead::

        ##
        # @BlockdevDetectZeroes:
        #
        # @off: disabled (default)
        #
        # @on: enabled
        ##
        { 'enum': 'BlockdevDetectZeroes', 'data': [ 'off', 'on' ] }
    """
    definition = ctx.definition
    doc = _own_doc(definition)
    if doc is None or definition.name in ctx.schema.pragmas.documentation_exceptions:
        return
    resolved = resolution(ctx.schema).of(definition)
    missing = list(_undocumented(doc, resolved))
    if not missing:  # most definitions
        return
    # "@name text" / "@name : text" paragraphs meant as descriptions: the
    # finding carries the did-you-mean and its safe fix (no second finding)
    colonless = {
        found.name: found
        for found in colonless_descriptions(doc, {member.name for member in missing})
    }
    for member in missing:
        span = _inner(member.span, 1 if member.optional else 0)
        message = (
            f"{_member_word(definition, member)} '{member.name}' of {_describe(definition)} "
            "lacks documentation"
        )
        fix = None
        meant = colonless.get(member.name)
        if meant is not None:
            message += f"; did you mean '@{member.name}:' at line {meant.span.line}?"
            fix = fix_keeping_lines_short(
                definition.module, ctx.tree, list(meant.fix.edits), meant.fix.message
            )
        yield Finding(
            span,
            message,
            fix=fix,
            symbol=definition.name,
            member=member.name,
            anchor_line=_anchor(definition, span),
        )


@rule("Q204", "undocumented-feature", context="definition", severity="error", qemu_rejects=True)
def undocumented_feature(ctx: DefinitionContext) -> Iterator[Finding]:
    """Flags a feature its definition's ``Features:`` section does not describe.

    Why: every feature — of the definition, of one of its members or enum
    values — must be described in the definition's single ``Features:``
    section; QEMU rejects the schema otherwise, and
    ``documentation-exceptions`` never excuses a feature.

    Example::

        ##
        # @foo:
        ##
        { 'command': 'foo', 'features': [ 'deprecated' ] }

    Use instead::

        ##
        # @foo:
        #
        # Features:
        #
        # @deprecated: Use @bar instead.
        ##
        { 'command': 'foo', 'features': [ 'deprecated' ] }
    """
    definition = ctx.definition
    doc = _own_doc(definition)
    if doc is None:
        return
    features = resolution(ctx.schema).of(definition).features
    if not features:  # most definitions
        return
    described = _described(doc, "feature")
    for feature in features:
        if feature.name in described:
            continue
        span = _inner(feature.span)
        yield Finding(
            span,
            f"feature '{feature.name}' of {_describe(definition)} lacks documentation",
            symbol=definition.name,
            member=feature.name,
            anchor_line=_anchor(definition, span),
        )


# --------------------------------------------------------------------------
# Descriptions of things that do not exist


@rule(
    "Q205",
    "nonexistent-member",
    context="definition",
    severity="error",
    fix="suggestion",
    qemu_rejects=True,
)
def nonexistent_member(ctx: DefinitionContext) -> Iterator[Finding]:
    """Flags an ``@name:`` description of a member the definition does not
    document.

    Why: QEMU rejects it. Often the name is a typo, or the member is
    described in the wrong doc block: the members of a named base type or of
    a named argument type belong to that type's doc, and union branch names
    are not described at all.

    Example::

        ##
        # @BlockdevOptionsNfs:
        #
        # @server: host address
        #
        # @pth: path of the image on the host
        ##
        { 'struct': 'BlockdevOptionsNfs',
          'data': { 'server': 'NFSServer', 'path': 'str' } }

    Use instead::

        ##
        # @BlockdevOptionsNfs:
        #
        # @server: host address
        #
        # @path: path of the image on the host
        ##
        { 'struct': 'BlockdevOptionsNfs',
          'data': { 'server': 'NFSServer', 'path': 'str' } }
    """
    yield from _nonexistent(ctx, "member")


@rule(
    "Q206",
    "nonexistent-feature",
    context="definition",
    severity="error",
    fix="suggestion",
    qemu_rejects=True,
)
def nonexistent_feature(ctx: DefinitionContext) -> Iterator[Finding]:
    """Flags a description under ``Features:`` of a feature the definition
    does not have.

    Why: QEMU rejects it; usually the feature was renamed or dropped, or the
    description belongs to another definition's doc.

    Example::

        ##
        # @foo:
        #
        # Features:
        #
        # @depreciated: Use @bar instead.
        ##
        { 'command': 'foo', 'features': [ 'deprecated' ] }

    Use instead::

        ##
        # @foo:
        #
        # Features:
        #
        # @deprecated: Use @bar instead.
        ##
        { 'command': 'foo', 'features': [ 'deprecated' ] }
    """
    yield from _nonexistent(ctx, "feature")


def _nonexistent(ctx: DefinitionContext, kind: Literal["member", "feature"]) -> Iterator[Finding]:
    """Descriptions of ``kind`` in the doc naming nothing the doc describes,
    each with a hint where it belongs, or else a did-you-mean."""
    definition = ctx.definition
    doc = _own_doc(definition)
    if doc is None:
        return
    sections = doc.of_kind(kind)
    if not sections:  # most docs describe no feature
        return
    found = resolution(ctx.schema)
    resolved = found.of(definition)
    if kind == "member":
        names = resolved.documented_names()
        word = "value" if definition.kind == "enum" else "member"
        hint_for = _hint_member
    else:
        names = resolved.feature_names()
        word = "feature"
        hint_for = _hint_feature
    unknown = [
        section for section in sections if section.name is not None and section.name not in names
    ]
    if not unknown:  # most docs
        return
    candidates = sorted(names - _described(doc, kind))
    for section in unknown:
        name = section.name
        assert name is not None
        if kind == "member" and name != name.rstrip() and name.rstrip() in candidates:
            # "@name : text": Q203 reports the member it fails to describe,
            # with the fix; one defect, one finding
            continue
        hint = hint_for(found, resolved, name)
        fix = None
        if hint is None:
            hint, fix = _did_you_mean(section, name, candidates)
        yield Finding(
            section.tag_span or section.span or Span.at(doc.span.line, doc.span.col),
            f"documented {word} '{name}' does not exist in {_describe(definition)}{hint or ''}",
            fix=fix,
            symbol=definition.name,
            member=name,
        )


def _hint_member(found: Resolution, resolved: Resolved, name: str) -> str | None:
    """Where a description of ``name`` belongs instead, if anywhere."""
    definition = resolved.definition
    if name in resolved.feature_names():
        return f"; '{name}' is a feature: describe it under 'Features:'"
    branch = next((branch for branch in resolved.branches if branch.name == name), None)
    if branch is not None:
        enum = found.discriminator_enum(definition)
        values = f"values of enum '{enum}'" if enum else "values of the discriminator"
        where = f"; the branch's members in '{branch.type.name}'" if branch.type else ""
        return f"; '{name}' is a branch of the union: branch names are described as {values}{where}"
    return _elsewhere(found, definition, name, "member")


def _hint_feature(found: Resolution, resolved: Resolved, name: str) -> str | None:
    definition = resolved.definition
    if name in resolved.documented_names():
        return f"; '{name}' is a {_role_of(resolved, name)}: describe it above 'Features:'"
    return _elsewhere(found, definition, name, "feature")


def _elsewhere(
    found: Resolution, definition: Definition, name: str, kind: Literal["member", "feature"]
) -> str | None:
    home = found.home(definition, name, kind)
    if home is None or home.definition is definition:
        return None
    other = home.definition.name
    return f"; it is a {kind} of '{other}', {home.how}: describe it in the doc of '{other}'"


def _role_of(resolved: Resolved, name: str) -> str:
    member = next(member for member in resolved.documented if member.name == name)
    return _member_word(resolved.definition, member)


def _did_you_mean(
    section: Section, name: str, candidates: list[str]
) -> tuple[str | None, Fix | None]:
    import difflib  # noqa: PLC0415 - only for a name that does not exist

    close = difflib.get_close_matches(name, candidates, n=2, cutoff=CLOSE_ENOUGH)
    if len(close) != 1:
        return None, None
    better = close[0]
    span = _tag_name_span(section)
    fix = Fix.suggestion([Edit(span, better)], f"write '@{better}:'") if span else None
    return f"; did you mean '{better}'?", fix


# --------------------------------------------------------------------------
# Tagged sections a definition cannot have


@rule("Q207", "returns-not-command", context="definition", severity="error", qemu_rejects=True)
def returns_not_command(ctx: DefinitionContext) -> Iterator[Finding]:
    """Flags a ``Returns:`` section in the doc of anything but a command.

    Why: only commands return something; QEMU rejects the section elsewhere.
    An event's data are its members, described with ``@name:``.

    Example::

        ##
        # @SHUTDOWN:
        #
        # Returns: nothing
        ##
        { 'event': 'SHUTDOWN' }

    Use instead::

        ##
        # @SHUTDOWN:
        #
        # Emitted when the virtual machine has shut down.
        ##
        { 'event': 'SHUTDOWN' }
    """
    yield from _misplaced(ctx, "returns", TAG_SHOWN["returns"])


@rule(
    "Q208",
    "returns-nothing",
    context="definition",
    severity="error",
    qemu_release=REQUIRED_SINCE,
    qemu_rejects=True,
    convention_release=REQUIRED_SINCE,
)
def returns_nothing(ctx: DefinitionContext) -> Iterator[Finding]:
    """Flags a ``Returns:`` section for a command without ``'returns'``.

    Why: the command's reply is empty, so the section documents nothing
    that exists; QEMU 9.0 and later reject it. Older trees are not checked:
    "Returns: nothing on success" was their common style.

    Example::

        ##
        # @stop:
        #
        # Returns: nothing
        ##
        { 'command': 'stop' }

    Use instead::

        ##
        # @stop:
        #
        # Stop all guest VCPU execution.
        ##
        { 'command': 'stop' }
    """
    definition = ctx.definition
    doc = _own_doc(definition)
    if doc is None or definition.kind != "command" or definition.get("returns") is not None:
        return
    for section in doc.of_kind("returns"):
        yield Finding(
            section.tag_span or section.span or doc.span,
            f"'Returns' section, but command '{definition.name}' does not return anything",
            symbol=definition.name,
            member="Returns",
        )


@rule(
    "Q209",
    "errors-not-command",
    context="definition",
    severity="error",
    qemu_release=REQUIRED_SINCE,
    qemu_rejects=True,
    convention_release=REQUIRED_SINCE,
)
def errors_not_command(ctx: DefinitionContext) -> Iterator[Finding]:
    """Flags an ``Errors:`` section in the doc of anything but a command.

    Why: only commands fail with an error reply; QEMU rejects the section
    elsewhere.

    Example::

        ##
        # @BlockdevOptionsNull:
        #
        # @size: size of the device in bytes
        #
        # Errors:
        #     - If the size is negative, GenericError
        ##
        { 'struct': 'BlockdevOptionsNull', 'data': { '*size': 'int' } }

    Use instead::

        ##
        # @BlockdevOptionsNull:
        #
        # @size: size of the device in bytes, not negative
        ##
        { 'struct': 'BlockdevOptionsNull', 'data': { '*size': 'int' } }
    """
    yield from _misplaced(ctx, "errors", TAG_SHOWN["errors"])


def _misplaced(ctx: DefinitionContext, kind: SectionKind, tag: str) -> Iterator[Finding]:
    definition = ctx.definition
    doc = _own_doc(definition)
    if doc is None or definition.kind == "command":
        return
    for section in doc.of_kind(kind):
        yield Finding(
            section.tag_span or section.span or doc.span,
            f"'{tag}' section is only valid for commands, and '{definition.name}' "
            f"is {_article(definition.kind)} {definition.kind}",
            symbol=definition.name,
            member=tag,
        )


def _article(word: str) -> str:
    return "an" if word[:1] in "aeiou" else "a"


# --------------------------------------------------------------------------
# The exceptions list


@rule(
    "Q211",
    "excused-undocumented",
    context="definition",
    severity="info",
    status="preview",
    qemu_rejects=True,
)
def excused_undocumented(ctx: DefinitionContext) -> Iterator[Finding]:
    """Lists the members still undescribed in a definition that pragma
    ``documentation-exceptions`` excuses.

    Why: the exceptions list exists to shrink; naming what is left to
    describe, definition by definition, makes that work visible.

    Example::

        { 'pragma': { 'documentation-exceptions': [ 'CpuInfoS390' ] } }
        ##
        # @CpuInfoS390:
        ##
        { 'struct': 'CpuInfoS390', 'data': { 'cpu-state': 'CpuS390State' } }

    Use instead::

        ##
        # @CpuInfoS390:
        #
        # @cpu-state: the virtual CPU's state
        ##
        { 'struct': 'CpuInfoS390', 'data': { 'cpu-state': 'CpuS390State' } }
    """
    definition = ctx.definition
    doc = _own_doc(definition)
    if doc is None or definition.name not in ctx.schema.pragmas.documentation_exceptions:
        return
    missing = _undocumented(doc, resolution(ctx.schema).of(definition))
    if not missing:
        return
    names = ", ".join(f"'{member.name}'" for member in missing)
    count = len(missing)
    yield Finding(
        _inner(definition.name_span),
        f"{_describe(definition)} is in 'documentation-exceptions' and still lacks "
        f"{count} description{'s' if count > 1 else ''}: {names}",
        symbol=definition.name,
    )


@rule(
    "Q212",
    "stale-documentation-exception",
    context="schema",
    severity="info",
    status="preview",
    fix="safe",
    qemu_rejects=True,
)
def stale_documentation_exception(ctx: SchemaContext) -> Iterator[Finding]:
    """Flags an entry of pragma ``documentation-exceptions`` that excuses
    nothing: it names a definition whose members are all described, or no
    definition at all.

    Why: a stale entry would silently excuse the next undescribed member
    added to that definition, and makes the list look longer than the work
    left. (A root that borrows a pragma module from another folder, like the
    storage daemon's ``../../qapi/pragma.json``, includes fewer modules than
    the pragmas were written for: only roots in the pragma module's own
    folder judge whether a name is defined.)

    Example::

        { 'pragma': { 'documentation-exceptions': [
            'StringWrapper',
            'QKeyCode' ] } }

    Use instead::

        { 'pragma': { 'documentation-exceptions': [
            'QKeyCode' ] } }
    """
    schema = ctx.schema
    found = resolution(schema)
    for module in schema.modules:
        for pragma in module.pragmas:
            entries = pragma.value.get(DOCUMENTATION_EXCEPTIONS)
            if not isinstance(entries, JList):
                continue
            for entry in entries.items:
                if not isinstance(entry, JString):
                    continue
                definition = schema.definitions.get(entry.value)
                if definition is None:
                    if module.path.parent != schema.modules[0].path.parent:
                        continue
                    why = "names no definition"
                else:
                    doc = _own_doc(definition)
                    if doc is None or _undocumented(doc, found.of(definition)):
                        continue
                    why = f"excuses nothing: every member of {_describe(definition)} is described"
                yield Finding(
                    _inner(entry.span),
                    f"'{entry.value}' in 'documentation-exceptions' {why}",
                    fix=_remove_entry(module.lines, entry.span),
                    symbol=entry.value,
                    path=module.path,
                )


def _remove_entry(lines: list[str], span: Span) -> Fix | None:
    """Delete a list entry that sits alone on its line with its comma."""
    if span.line != span.end_line or span.line > len(lines):
        return None
    text = lines[span.line - 1]
    if text[span.end_col - 1 :].strip() != "," or text[: span.col - 1].strip():
        return None
    return Fix.safe([Edit(Span(span.line, 1, span.line + 1, 1), "")], "remove the entry")
