"""Test helper: stand-alone Rule objects for testing controls without the
registered rules."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from qapilint.lint.rule import Finding, Rule


def _nothing(ctx: object) -> Iterator[Finding]:
    """Flags nothing.

    Why: a test rule.

    Example::

        x

    Use instead::

        y
    """
    yield from ()


def make_rule(
    code: str,
    name: str,
    *,
    status: str = "stable",
    severity: str = "warning",
    options: dict[str, Any] | None = None,
    qemu_rejects: bool = False,
) -> Rule:
    return Rule(
        code=code,
        name=name,
        severity=severity,  # type: ignore[arg-type]
        context="module",
        function=_nothing,
        status=status,  # type: ignore[arg-type]
        options=dict(options or {}),
        qemu_rejects=qemu_rejects,
    )


RULES = [
    make_rule("Q101", "doc-line-too-long", severity="error", qemu_rejects=True),
    make_rule("Q102", "one-space-sentence", severity="error", qemu_rejects=True),
    make_rule("S001", "missing-since"),
    make_rule("W301", "vague-one", options={"words": ["one"], "strict": False, "limit": 3}),
    make_rule("W302", "weak-obligation"),
    make_rule("W310", "slash-ambiguity", status="preview", severity="info"),
    make_rule("L001", "unused-suppression"),
]
