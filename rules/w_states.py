"""State names quoted in prose must be values of the schema's enums."""

from __future__ import annotations

import bisect
import functools
import re
import weakref
from collections.abc import Iterator

from qapilint.files import regexes
from qapilint.lint.rule import DocContext, Finding, rule
from qapilint.schema.resolve import BUILTIN_ENUMS, resolution
from qapilint.schema.root import Schema
from qapilint.syntax.prose import prose_of

from . import _wording as w

_QUOTED = regexes.pattern(r'"([a-z][a-z0-9]*(?:-[a-z0-9]+)*)"')
# every quote that opens a quoted name, the name in group 1 (a match takes
# the quote only, so names sharing a quote, '"a" b"', are all found)
_QUOTED_AT_EACH_QUOTE = regexes.pattern(r'"(?=([a-z][a-z0-9]*(?:-[a-z0-9]+)*)")')


class _EnumValues:
    """The enum values of one schema, and the values near a name (asked
    again and again: the same names come back in many doc blocks)."""

    def __init__(self, schema: Schema) -> None:
        # (tuples: most values have one owner, and a tuple of one is half
        # the size of a list of one; concatenated, which is cheaper than
        # unpacking into a new one)
        owners: dict[str, tuple[str, ...]] = {}
        for name, builtin in BUILTIN_ENUMS.items():
            for value in builtin:
                owners[value] = owners.get(value, ()) + (name,)  # noqa: RUF005
        resolved = resolution(schema)
        for definition in schema.all_definitions():
            if definition.kind == "enum":
                name = definition.name
                for member in resolved.of(definition).documented:
                    owners[member.name] = owners.get(member.name, ()) + (name,)  # noqa: RUF005
        self.owners = owners  # value -> the enums that have it
        # a value more than ``limit`` edits away is at least that much
        # longer or shorter: only values of nearby lengths are compared
        self.by_length: dict[int, list[str]] = {}
        for value in owners:
            self.by_length.setdefault(len(value), []).append(value)
        self._near: dict[str, list[tuple[int, bool, str]]] = {}

    def near(self, name: str) -> list[tuple[int, bool, str]]:
        """(edit distance, whether an owner is state-like, value) of each
        value within typo distance of ``name``."""
        found = self._near.get(name)
        if found is None:
            found = self._near[name] = self._find_near(name)
        return found

    def _find_near(self, name: str) -> list[tuple[int, bool, str]]:
        limit = _limit(name)
        if limit == 0:
            return []
        letters = frozenset(name)
        found = []
        for length in range(len(name) - limit, len(name) + limit + 1):
            for value in self.by_length.get(length, ()):
                # an edit adds or takes away two letters of the set at most
                # (a value's letters are not kept: few names are looked up,
                # and a set per value would be held for the whole run)
                if len(letters.symmetric_difference(value)) > 2 * limit:
                    continue
                gap = distance(name, value, limit)
                if gap <= limit:
                    stateful = any(
                        "State" in owner or "Status" in owner for owner in self.owners[value]
                    )
                    found.append((gap, stateful, value))
        return found


_ENUM_VALUES: weakref.WeakKeyDictionary[Schema, _EnumValues] = weakref.WeakKeyDictionary()


def _enum_values_of(schema: Schema) -> _EnumValues:
    found = _ENUM_VALUES.get(schema)
    if found is None:
        found = _ENUM_VALUES[schema] = _EnumValues(schema)
    return found


def enum_values(schema: Schema) -> dict[str, tuple[str, ...]]:
    """Every enum value of ``schema`` -> the enums that have it."""
    return _enum_values_of(schema).owners


def _json_like(text: str, start: int, end: int) -> bool:
    """A quoted name that is a JSON key or value ("node-name": "node0"),
    not a name in a sentence: what an unmasked example looks like."""
    return bool(re.match(r"\s*:", text[end:]) or re.search(r"[:{\[]\s*$", text[:start]))


# Before a quoted value, on its line: a key's closing quote and its colon,
# or an opening brace or bracket (blanks between).
_JSON_VALUE_BEFORE = regexes.pattern(r'(?:"[ \t]*:|[{\[])[ \t]*\Z')


def _json_in_any_view(
    text: str, quotes: list[Quote], start: int = 0, end: int | None = None
) -> bool:
    """Whether each of ``quotes`` (of names in a section's raw text,
    ``text[start:end]``) is :func:`_json_like` in the section's
    prose view wherever the view keeps the name (a masked name is no match
    there): a key's colon right after it, or a value's colon, brace or
    bracket before it on its line. The view masks none of those characters
    but with the name, save on rST markers where this does not look: a role
    ("`"), a paragraph's closing "::", a field or option line (one that
    starts with ":")."""
    roles: bool | None = None  # whether the section holds a "`", when asked
    for opening, after in quotes:
        if text.startswith(":", after) and not text.startswith("::", after):
            if roles is None:
                roles = text.find("`", start, len(text) if end is None else end) >= 0
            if not roles:
                continue  # a key
        line_start = max(start, text.rfind("\n", start, opening) + 1)
        if text[line_start:opening].lstrip().startswith(":"):
            return False
        if _JSON_VALUE_BEFORE.search(text, line_start, opening) is None:
            return False
    return True


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
    return _limit_for_length(len(name))


@functools.cache
def _limit_for_length(name_length: int) -> int:
    """The edit distance still read as a typo in a name this long."""
    allowed = 0
    for length, limit in w.table("unknown-state-name")["max-distance"]:
        if name_length >= length:
            allowed = limit
    return allowed


def near_values(name: str, schema: Schema, state_like: bool) -> list[str]:
    """Enum values of ``schema`` within typo distance of ``name``, closest
    first; values of state-like enums (``...State``, ``...Status``) first
    on a tie when the text speaks of a state."""
    ranked = sorted(
        (gap, not (state_like and stateful), value)
        for gap, stateful, value in _enum_values_of(schema).near(name)
    )
    return [value for _gap, _rank, value in ranked]


# where a quoted name's opening quote is, and where its closing one ends
Quote = tuple[int, int]


def _quotes_of(text: str, names: set[str]) -> list[Quote]:
    """Each quote of one of ``names`` in ``text``, in order."""
    return [
        (match.start(), match.end(1) + 1)
        for match in _QUOTED_AT_EACH_QUOTE.finditer(text)
        if match.group(1) in names
    ]


def _unknown_quotes(values: _EnumValues, text: str) -> tuple[set[str], list[Quote]]:
    """The names ``text`` (raw) quotes that are no enum value and long
    enough to be read as a typo of one, and each quote of one. Every name
    W020 can flag in a prose view is one of these: the view masks
    characters, it never changes one. (Which of them are near a value is
    asked only of names in the view: the raw text quotes hundreds in JSON
    examples.)"""
    owners = values.owners
    names = {
        name
        for name in set(_QUOTED_AT_EACH_QUOTE.findall(text))
        if name not in owners and _limit(name) > 0
    }
    return names, _quotes_of(text, names) if names else []


def _sections_quoting(
    bounds: list[tuple[int, int]], quotes: list[Quote]
) -> Iterator[tuple[int, list[Quote]]]:
    """The index of each section (by its ``bounds`` in the text) that holds
    some of ``quotes``, with those, in order. A quoted name holds no line
    break, so a quote ends in the section it opens in."""
    starts = [start for start, _end in bounds]
    index = -1
    held: list[Quote] = []
    for quote in quotes:
        at = bisect.bisect_right(starts, quote[0]) - 1
        if at != index:
            if held:
                yield index, held
            index, held = at, []
        held.append(quote)
    if held:
        yield index, held


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
    if '"' not in w.block_text(ctx.doc).text:
        return  # most blocks quote nothing: spare them their sections' text
    values = _enum_values_of(ctx.schema)
    raw = w.raw_doc(ctx.doc)
    text = raw.whole.text
    unknown, quotes = _unknown_quotes(values, text)
    if not unknown:
        return
    state_words = w.compile_phrases(tuple(w.table("unknown-state-name")["state-words"]))
    bounds = raw.bounds(ctx.doc)
    for index, held in _sections_quoting(bounds, quotes):
        section = ctx.doc.sections[index]
        if section.kind not in w.PROSE_KINDS or not section.lines:
            continue
        if _json_in_any_view(text, held, *bounds[index]):
            continue  # JSON examples, mostly: spare them the view
        view = prose_of(section)
        for match in _QUOTED.finditer(view.text):
            name = match.group(1)
            if name in values.owners or _json_like(view.text, match.start(), match.end()):
                continue
            around = view.text[max(0, match.start() - 30) : match.end() + 30]
            state_like = state_words is not None and state_words.search(around) is not None
            close = near_values(name, ctx.schema, state_like)
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
