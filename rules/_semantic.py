"""What the Q2xx rules of QEMU's semantic checks share: each reports the
problems of one class of :mod:`qapilint.schema.semantic`."""

from __future__ import annotations

from collections.abc import Iterator

from qapilint.lint.rule import Finding, SchemaContext
from qapilint.schema.semantic import Check, semantics


def semantic_findings(ctx: SchemaContext, check: Check) -> Iterator[Finding]:
    """A finding per problem of class ``check``, at the better place, with
    the line QEMU reports kept as ``anchor_line`` where it differs."""
    for problem in semantics(ctx.schema).of(check):
        yield Finding(
            problem.span,
            problem.message,
            symbol=problem.symbol,
            member=problem.member,
            anchor_line=None if problem.line == problem.span.line else problem.line,
            path=problem.path,
        )
