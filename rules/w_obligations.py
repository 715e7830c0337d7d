"""Obligations and preconditions: what the client must do, and what happens
when it does not."""

from __future__ import annotations

import re
from collections.abc import Iterator

from qapilint.files import regexes
from qapilint.lint.rule import DocContext, Edit, Finding, Fix, rule
from qapilint.syntax.doclines import QEMU_LINE_LIMIT
from qapilint.syntax.model import ProseView, Section, Span
from qapilint.syntax.prose import prose_of

from . import _wording as w
from .w_states import enum_values

# Definitions whose docs describe output: nothing there binds the client.
_OUTPUT_KINDS = ("event", "enum")

_QUOTED_STATE = regexes.pattern(r'"([\w-]+)"|\b([A-Z][A-Z_-]{2,})\b')
_SUBJECT = regexes.pattern(
    r"(?:make\s+sure|ensure|requires)\s+(?:that\s+)?(?P<a>[^,;]+?)\s+(?P<verb>is|are|be)\s+in\s"
    r"|(?P<b>\b(?:the\s+)?[\w\x1a-]+)\s+(?:must|has\s+to|needs\s+to|should)\s+be\s+in\s",
    re.IGNORECASE,
)


def _key_words(text: str) -> set[str]:
    """The words that say what a sentence is about, cut to six letters so
    that "configured" meets "configuration"."""
    stop = set(w.table("precondition-without-consequence")["stop-words"])
    words = {word.lower() for word in re.findall(r"[A-Za-z][\w-]{3,}", text)}
    return {word[:6] for word in words - stop}


def consequence_stated(ctx: DocContext, section: Section, view: ProseView, first: int) -> bool:
    """Whether the doc says what happens when the requirement in the
    sentence of ``section`` starting at ``first`` does not hold: in that
    sentence or after it in the section, in an ``Errors:`` section about the
    same thing, or in another paragraph naming a consequence of the same
    thing. (Before it does not count: "the action to take on an error ...
    'stop' can only be used if ..." says nothing about the requirement.)"""
    # W010 asks this too: it reads the option of W011, which declares it
    consequences = w.words_option(
        ctx, "precondition-without-consequence", "consequences", precondition_without_consequence
    )
    if w.contains_any(view.source[first:], consequences):
        return True
    sentence = view.text[first : w.sentence_at(view.text, first)[1]]
    keys = _key_words(sentence)
    for other in ctx.doc.sections:
        if other is section or other.kind not in ("errors", "plain"):
            continue
        related = not keys or bool(keys & _key_words(other.text))
        if other.kind == "errors" and related:
            return True
        if related and keys and w.contains_any(other.text, consequences):
            return True
    return False


def _binds_client(ctx: DocContext) -> bool:
    definition = ctx.definition
    return not ctx.doc.free_form and (definition is None or definition.kind not in _OUTPUT_KINDS)


def _obliging_kinds(ctx: DocContext) -> tuple[str, ...]:
    """Where text binds the client: member descriptions, and the body of a
    command (a type's body explains; a command's body instructs)."""
    is_command = ctx.definition is not None and ctx.definition.kind == "command"
    return ("member", "plain") if is_command else ("member",)


@rule(
    "W010",
    "weak-obligation",
    context="doc",
    severity="warning",
    fix="suggestion",
    options=dict(w.PHRASE_OPTIONS),
)
def weak_obligation(ctx: DocContext) -> Iterator[Finding]:
    """Flags a requirement worded as advice ("should make sure") with no consequence.

    Covered: "should make sure", "needs to make sure", "should ensure", "is
    expected to", "it is recommended", and the project's ``extra-phrases``;
    read in member descriptions and in the body of a command, where the
    text binds the client, and only when nothing says what happens
    otherwise.

    Why: a client cannot tell a rule from a tip. If QEMU rejects the request
    when the condition does not hold, the text must say "must" and say what
    happens; if nothing happens, it is not a requirement at all.

    Example::

        # The client should make sure the job is paused first.

    Use instead::

        # The client must make sure the job is paused first; the command
        #     fails otherwise.
    """
    if not _binds_client(ctx):
        return
    search = w.phrase_search(ctx, "weak-obligation")
    table, near = search.table, search.near
    for section in w.screened_sections(ctx.doc, search.screen, kinds=_obliging_kinds(ctx)):
        view = prose_of(section)
        for hit in w.find_phrases(view.text, table, near):
            first, _last = w.sentence_at(view.text, hit.start)
            if consequence_stated(ctx, section, view, first):
                continue
            said = view.text[hit.start : hit.end]
            rewrite = table.get(hit.phrase) or "must"
            yield w.finding(
                ctx,
                section,
                view,
                (hit.start, hit.end),
                f"{w.quoted(said)} in {w.where(ctx, section)} words a requirement as "
                f'advice: write "{rewrite}" and say what happens otherwise',
                rewrite=rewrite,
            )


def _state_sentence(ctx: DocContext, view: ProseView, first: int, last: int) -> str | None:
    """'The command fails unless X is in state "Y".' for a sentence that
    names both X and the state Y, else None. A state written in capitals
    ("PENDING") is quoted as the enum value it names ("pending")."""
    text = view.text[first:last]
    state = _QUOTED_STATE.search(text)
    subject = _SUBJECT.search(text)
    if state is None or subject is None:
        return None
    name = state.group(1) or state.group(2)
    if ctx.schema is not None and name.lower() in enum_values(ctx.schema):
        name = name.lower()
    group = "a" if subject.group("a") else "b"
    low, high = subject.span(group)
    said = " ".join(view.source[first + low : first + high].split())
    said = re.sub(r"^the\s+", "", said, flags=re.IGNORECASE)
    said = re.sub(r"\s+(?:must|should|has\s+to|needs\s+to)$", "", said, flags=re.IGNORECASE)
    verb = "are" if (subject.group("verb") or "").lower() == "are" else "is"
    return f'The command fails unless {said} {verb} in state "{name}".'


def _insertion(ctx: DocContext, section: Section, at: Span, sentence: str) -> Edit:
    """Insert ``sentence`` after the requirement: on the same line after two
    spaces, or on a line of its own when that line would pass 70 columns."""
    if (
        at.end_col - 1 + 2 + len(sentence) <= QEMU_LINE_LIMIT
    ):  # a suggestion must not break QEMU's limit
        return Edit(at, "  " + sentence)
    raw = next((line.raw for line in ctx.doc.lines if line.line == at.line), "#")
    hash_col = raw.find("#")
    own_line = next((line for line in section.lines if line.line == at.line), None)
    tagged = own_line is section.lines[0] and section.tag_span is not None
    column = hash_col + 6 if tagged or own_line is None else own_line.col - 1
    prefix = raw[: hash_col + 1].ljust(column) if hash_col >= 0 else "# "
    return Edit(at, "\n" + prefix + sentence)


@rule(
    "W011",
    "precondition-without-consequence",
    context="doc",
    severity="info",
    status="preview",
    fix="suggestion",
    options={"extra-requirements": [], "extra-consequences": [], "quiet": []},
)
def precondition_without_consequence(ctx: DocContext) -> Iterator[Finding]:
    """Flags a requirement ("must be in ... state") with no word on what happens otherwise.

    Covered: "must be in ... state", "should make sure ... before", "only
    valid when/if/on", "requires that", "this command requires", "only if",
    "can/should/may only be used if", "only allowed when", and the
    project's ``extra-requirements``.

    Why: the client needs to know whether a request that misses the
    requirement fails, is ignored, or does something else; neither the
    description nor the command's ``Errors:`` section says. Add the missing
    sentence, or an ``Errors:`` entry. Preview: in QMP an unmet
    precondition of a command is an error reply, and QEMU's reviewers do
    not ask for "otherwise it fails" after every "can only be used if"; a
    blind read of QEMU 10.2 judged 1 finding in 8 worth a change. Useful
    on a new interface whose failure modes are not obvious.

    Example::

        # @resume: the user should make sure migration is in
        #     "postcopy-paused" state before resuming.

    Use instead::

        # @resume: resume a paused postcopy migration.  The command
        #     fails unless migration is in state "postcopy-paused".
    """
    if not _binds_client(ctx):
        return
    requirements = w.words_option(ctx, "precondition-without-consequence", "requirements")
    near = w.quiet(ctx, "precondition-without-consequence")
    is_command = ctx.definition is not None and ctx.definition.kind == "command"
    screen = w.phrase_screen(requirements)
    for section in w.screened_sections(ctx.doc, screen, kinds=("plain", "member", "feature")):
        view = prose_of(section)
        done: set[int] = set()
        for hit in w.find_phrases(view.text, requirements, near):
            first, last = w.sentence_at(view.text, hit.start)
            if first in done or consequence_stated(ctx, section, view, first):
                continue
            done.add(first)
            said = " ".join(view.text[hit.start : hit.end].split())
            message = (
                f"{w.where(ctx, section)} states a requirement ({w.quoted(said)}) "
                "but not what happens when it does not hold"
            )
            sentence = _state_sentence(ctx, view, first, last) if is_command else None
            if sentence is None:
                yield w.finding(
                    ctx,
                    section,
                    view,
                    (hit.start, hit.end),
                    message + ": say whether the request fails or is ignored, "
                    "or add an Errors: entry",
                )
                continue
            found = w.finding(
                ctx,
                section,
                view,
                (hit.start, hit.end),
                f"{message}: add {sentence!r} (or an Errors: entry)",
            )
            insert = _insertion(ctx, section, view.span(last, last), sentence)
            found.fix = Fix.suggestion([insert], f"add {sentence!r}")
            yield found


@rule(
    "W012",
    "state-not-stated",
    context="doc",
    severity="info",
    status="preview",
    options={"extra-verbs": [], "extra-state-words": []},
)
def state_not_stated(ctx: DocContext) -> Iterator[Finding]:
    """Asks which state a command needs when its name acts on a state (resume, pause).

    The verbs: resume, pause, cancel, recover, continue, stop, finalize,
    dismiss, complete, abort, and the project's ``extra-verbs``.

    Why: "resume" only makes sense for something paused; the reader needs to
    know what the command requires and what happens when it is issued at
    the wrong time.

    Example::

        # @job-resume:
        #
        # Resume the job.

    Use instead::

        # @job-resume:
        #
        # Resume a paused job.  The command fails unless the job is in
        # state "paused".
    """
    definition = ctx.definition
    if definition is None or definition.kind != "command" or ctx.doc.symbol is None:
        return
    verbs = set(w.words_option(ctx, "state-not-stated", "verbs"))
    acting = [part for part in re.split(r"[-_]", definition.name) if part in verbs]
    if not acting:
        return
    text = "\n".join(section.text for section in ctx.doc.sections)
    if w.contains_any(text, w.words_option(ctx, "state-not-stated", "state-words")):
        return
    span = ctx.doc.symbol_span or ctx.doc.span
    yield Finding(
        span,
        f"'{definition.name}' acts on something in a particular state ({acting[0]!r}): "
        "which state does it need, and what happens otherwise?",
        symbol=ctx.doc.symbol,
    )
