"""qapilint's own findings (family ``L``): problems with suppression comments.

These rules are declared here so that they can be selected, ignored and
explained like any other, but their findings are made by the suppression
stage (:mod:`qapilint.lint.suppress`), the only place that knows what a
suppression silenced. Run by the engine, they yield nothing.
"""

from __future__ import annotations

from collections.abc import Iterator

from qapilint.lint.rule import Finding, ModuleContext, rule


@rule("L001", "unused-suppression", context="module", severity="warning", fix="safe")
def unused_suppression(ctx: ModuleContext) -> Iterator[Finding]:
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
    yield from ()


@rule("L002", "unknown-rule-code", context="module", severity="warning")
def unknown_rule_code(ctx: ModuleContext) -> Iterator[Finding]:
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
    yield from ()


@rule("L003", "invalid-suppression", context="module", severity="warning")
def invalid_suppression(ctx: ModuleContext) -> Iterator[Finding]:
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
    yield from ()
