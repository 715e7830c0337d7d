"""qapilint's own findings (family ``L``): problems with suppression comments.

These rules run in the suppression stage (:mod:`qapilint.lint.suppress`),
the only place that knows what a suppression silenced: their context is
``suppressions``, one file's ``qapilint:`` comments after every other
rule's findings were filtered and suppressed.
"""

from __future__ import annotations

from collections.abc import Iterator

from qapilint.lint.rule import Edit, Finding, Fix, rule
from qapilint.lint.suppress import Entry, Suppression, SuppressionContext, delete_line
from qapilint.syntax.model import Span


@rule("L001", "unused-suppression", context="suppressions", severity="warning", fix="safe")
def unused_suppression(ctx: SuppressionContext) -> Iterator[Finding]:
    """Flags a ``# qapilint: disable=`` comment whose codes silenced nothing.

    Why: a stale suppression hides the next real finding of that rule in the
    block, long after the reason for it is gone. Only rules that ran count:
    a suppression of a rule you did not select is not reported. The fix
    removes the unused codes, or the whole comment when none is used.

    Example::

        # qapilint: disable=S001 -- since tag added long ago
        ##
        # @query-foo:
        #
        # Return the state of the foo device.
        ##

    Use instead::

        ##
        # @query-foo:
        #
        # Return the state of the foo device.
        ##
    """
    for suppression in ctx.suppressions:
        stale = [
            entry
            for entry in suppression.entries
            if entry.rule is not None
            # the suppression stage's own findings are silenced after this runs
            and not entry.rule.sees_other_findings
            and entry.rule.code not in suppression.used
            and ctx.ran(entry.rule)
        ]
        if stale:
            yield _unused(ctx, suppression, stale)


def _unused(ctx: SuppressionContext, suppression: Suppression, stale: list[Entry]) -> Finding:
    names = ", ".join(entry.text for entry in stale)
    keep = [entry.text for entry in suppression.entries if entry not in stale]
    if keep:
        fix = Fix.safe(
            [Edit(suppression.codes_span, ",".join(keep))],
            f"remove {names} from the suppression",
        )
        span = stale[0].span.cover(stale[-1].span)
    else:
        line = delete_line(ctx.module, suppression.comment_line)
        fix = Fix.safe([Edit(line, "")], "remove it")
        span = suppression.codes_span
    scope = "file" if suppression.scope == "file" else "doc block"
    return Finding(span, f"unused suppression of {names}: no such finding in this {scope}", fix)


@rule("L002", "unknown-rule-code", context="suppressions", severity="warning")
def unknown_rule_code(ctx: SuppressionContext) -> Iterator[Finding]:
    """Flags a suppression naming a rule code or name that does not exist.

    Why: a typo in a suppression silences nothing, and the finding it was
    meant for keeps coming back; a rule that was renamed or removed leaves a
    comment nobody can act on.

    Example::

        # qapilint: disable=S0O1 -- added before tags were required
        ##

    Use instead::

        # qapilint: disable=S001 -- added before tags were required
        ##
    """
    for suppression in ctx.suppressions:
        for entry in suppression.entries:
            if entry.rule is None:
                message = f"unknown rule code or name {entry.text!r} in suppression"
                yield Finding(entry.span, message)


@rule("L003", "invalid-suppression", context="suppressions", severity="warning")
def invalid_suppression(ctx: SuppressionContext) -> Iterator[Finding]:
    """Flags a ``# qapilint:`` comment that is malformed or misplaced.

    Why: only ``disable=`` directly above a ``##`` doc block, and
    ``disable-file=`` anywhere outside doc blocks, are understood; anything
    else silences nothing and would otherwise go unnoticed.

    Example::

        # qapilint: disable=S001

        ##
        # @query-foo:

    Use instead::

        # qapilint: disable=S001
        ##
        # @query-foo:
    """
    for invalid in ctx.invalid:
        comment = invalid.comment
        end = len(ctx.module.lines[comment.line - 1]) + 1
        yield Finding(Span(comment.line, comment.col, comment.line, end), invalid.reason)
