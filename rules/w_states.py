"""State names quoted in prose must be values of the schema's enums."""

from __future__ import annotations

import re
from collections.abc import Iterator

from qapilint.lint.rule import DocContext, Finding, rule
from qapilint.schema.resolve import BUILTIN_ENUMS, resolution
from qapilint.schema.root import Schema
from qapilint.syntax.prose import prose_of

from . import _wording as w

_QUOTED = re.compile(r'"([a-z][a-z0-9]*(?:-[a-z0-9]+)*)"')
_cache: dict[int, tuple[Schema, dict[str, list[str]]]] = {}


def enum_values(schema: Schema) -> dict[str, list[str]]:
    """Every enum value of ``schema`` -> the enums that have it."""
    cached = _cache.get(id(schema))
    if cached is not None and cached[0] is schema:
        return cached[1]
    values: dict[str, list[str]] = {}
    for name, builtin in BUILTIN_ENUMS.items():
        for value in builtin:
            values.setdefault(value, []).append(name)
    resolved = resolution(schema)
    for definition in schema.all_definitions():
        if definition.kind == "enum":
            for member in resolved.of(definition).documented:
                values.setdefault(member.name, []).append(definition.name)
    _cache.clear()  # one schema at a time is all a run needs
    _cache[id(schema)] = (schema, values)
    return values


def _json_like(text: str, start: int, end: int) -> bool:
    """A quoted name that is a JSON key or value ("node-name": "node0"),
    not a name in a sentence: what an unmasked example looks like."""
    return bool(re.match(r"\s*:", text[end:]) or re.search(r"[:{\[]\s*$", text[:start]))


def distance(left: str, right: str, limit: int) -> int:
    """Edit distance (insert, delete, substitute, swap two neighbours),
    or ``limit + 1`` as soon as it is known to exceed ``limit``."""
    if abs(len(left) - len(right)) > limit:
        return limit + 1
    previous2: list[int] = []
    previous = list(range(len(right) + 1))
    for i, a in enumerate(left, 1):
        current = [i]
        for j, b in enumerate(right, 1):
            cost = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a != b))
            if i > 1 and j > 1 and a == right[j - 2] and left[i - 2] == b:
                cost = min(cost, previous2[j - 2] + 1)
            current.append(cost)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def _limit(name: str) -> int:
    allowed = 0
    for length, limit in w.table("unknown-state-name")["max-distance"]:
        if len(name) >= length:
            allowed = limit
    return allowed


def near_values(name: str, values: dict[str, list[str]], state_like: bool) -> list[str]:
    """Enum values within typo distance of ``name``, closest first; values
    of state-like enums (``...State``, ``...Status``) first on a tie when
    the text speaks of a state."""
    limit = _limit(name)
    if limit == 0:
        return []
    if not _NEAR or _NEAR[0][0] is not values:  # answers are for one schema's values
        _NEAR[:] = [(values, {})]
    answers = _NEAR[0][1]
    key = (name, state_like)
    if key not in answers:  # the same names come back in many doc blocks
        answers[key] = _near_values(name, values, state_like, limit)
    return list(answers[key])


# near_values's answers, with the values they are for (kept alive, so that
# the identity check cannot be fooled by a new dict at the same address)
_NEAR: list[tuple[dict[str, list[str]], dict[tuple[str, bool], list[str]]]] = []


def _near_values(
    name: str, values: dict[str, list[str]], state_like: bool, limit: int
) -> list[str]:
    scored = []
    for value, owners in values.items():
        gap = distance(name, value, limit)
        if gap <= limit:
            stateful = any(re.search(r"State|Status", owner) for owner in owners)
            scored.append((gap, not (state_like and stateful), value))
    return [value for _gap, _rank, value in sorted(scored)]


@rule(
    "W020",
    "unknown-state-name",
    context="doc",
    severity="warning",
    fix="suggestion",
)
def unknown_state_name(ctx: DocContext) -> Iterator[Finding]:
    """Flags a quoted name one typo away from an enum value ("postcopy-pause").

    Why: QEMU writes state and mode names in double quotes, and a client
    matches them against the values it receives; a name that is not a value
    sends the reader looking for a state that does not exist.

    Example::

        # The command fails unless migration is in state "postcopy-pause".

    Use instead::

        # The command fails unless migration is in state "postcopy-paused".
    """
    if ctx.schema is None:
        return
    values = enum_values(ctx.schema)
    state_words = w.compile_phrases(tuple(w.table("unknown-state-name")["state-words"]))
    for section in w.prose_sections(ctx.doc):
        view = prose_of(section)
        for match in _QUOTED.finditer(view.text):
            name = match.group(1)
            if name in values or _json_like(view.text, match.start(), match.end()):
                continue
            around = view.text[max(0, match.start() - 30) : match.end() + 30]
            state_like = state_words is not None and state_words.search(around) is not None
            close = near_values(name, values, state_like)
            if not close:
                continue
            best = close[0]
            others = ", ".join(f'"{value}"' for value in close[1:3])
            also = f" (or {others})" if others else ""
            yield w.finding(
                ctx,
                section,
                view,
                (match.start(1), match.end(1)),
                f'"{name}" in {w.where(ctx, section)} is not a value of any enum: '
                f'did you mean "{best}"{also}?',
                rewrite=best,
                fix_message=f'write "{best}"',
            )
