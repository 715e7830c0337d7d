"""Which rules run: selectors (code, code prefix, rule name, ``ALL``) and the
layered select / extend-select / ignore resolution.

Selection is resolved in layers, lowest priority first (defaults, then the
config file, then the command line). A layer that has ``select`` starts over
from nothing; ``extend-select`` adds and ``ignore`` removes. Within one layer
the most specific selector that matches a rule decides (an exact code or name
beats a longer prefix, which beats a shorter one, which beats ``ALL``); on a
tie, ``ignore`` wins.

Rules whose status is ``preview`` run only in preview mode, or when a
selector that enabled them names them exactly (code or name).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from qapilint.files.records import Record
from qapilint.lint.rule import Rule

ALL = "ALL"
EXACT = 1000  # specificity of a selector naming one rule


class UnknownSelector(ValueError):
    """A selector matches no rule; the message says which, with a hint."""

    def __init__(self, selector: str, hint: str = "") -> None:
        self.selector = selector
        message = f"unknown rule code, prefix or name {selector!r}"
        super().__init__(message + (f" (did you mean {hint!r}?)" if hint else ""))


def normalise(selector: str) -> str:
    """Codes and ``ALL`` are upper case, names lower case: a selector that
    looks like a code (letter + digits) is upper-cased."""
    text = selector.strip()
    if text.upper() == ALL:
        return ALL
    if text[:1].isalpha() and (len(text) == 1 or text[1:].isdigit()):
        return text.upper()
    return text


def specificity(selector: str, rule: Rule) -> int | None:
    """How specifically ``selector`` names ``rule`` (None: it does not)."""
    selector = normalise(selector)
    if selector == ALL:
        return 0
    if selector in (rule.code, rule.name):
        return EXACT
    if selector and rule.code.startswith(selector):
        return len(selector)
    return None


def matching(selector: str, rules: Iterable[Rule]) -> list[Rule]:
    return [found for found in rules if specificity(selector, found) is not None]


def check_selectors(selectors: Iterable[str], rules: Sequence[Rule]) -> None:
    """Raise :class:`UnknownSelector` for the first selector matching no rule."""
    for selector in selectors:
        if not selector.strip() or not matching(selector, rules):
            raise UnknownSelector(selector, suggest(selector, rules))


def suggest(selector: str, rules: Sequence[Rule]) -> str:
    """The closest rule code or name, or ""."""
    import difflib  # noqa: PLC0415 - only on the error path

    candidates = [found.code for found in rules] + [found.name for found in rules]
    close = difflib.get_close_matches(normalise(selector), candidates, n=1, cutoff=0.6)
    return close[0] if close else ""


def find_rule(selector: str, rules: Sequence[Rule]) -> Rule | None:
    """The rule with exactly this code or name."""
    for found in rules:
        if specificity(selector, found) == EXACT:
            return found
    return None


class Layer(Record):
    """One source of selection settings (config file or command line)."""

    __slots__ = ("extend_select", "ignore", "select")

    def __init__(
        self,
        select: list[str] | None = None,  # None: keep the previous layers' result
        extend_select: tuple[str, ...] | list[str] = (),
        ignore: tuple[str, ...] | list[str] = (),
    ) -> None:
        self.select = select
        self.extend_select = extend_select
        self.ignore = ignore


DEFAULT_LAYER = Layer(select=[ALL])


def _decide(layer: Layer, found: Rule) -> tuple[bool, bool] | None:
    """(enabled, exact) from the most specific selector of ``layer`` naming
    ``found``, or None when the layer does not mention it."""
    best: tuple[int, int, bool, bool] | None = None  # (specificity, ignore-wins, on, exact)
    enabling = [*(layer.select or ()), *layer.extend_select]
    for selectors, enabled in ((enabling, True), (layer.ignore, False)):
        for selector in selectors:
            level = specificity(selector, found)
            if level is None:
                continue
            candidate = (level, 0 if enabled else 1, enabled, level == EXACT)
            if best is None or candidate[:2] > best[:2]:
                best = candidate
    return None if best is None else (best[2], best[3])


def select_rules(rules: Sequence[Rule], layers: Sequence[Layer], preview: bool) -> list[Rule]:
    """The rules that run, in the order of ``rules``."""
    state: dict[str, tuple[bool, bool]] = {found.code: (False, False) for found in rules}
    for layer in (DEFAULT_LAYER, *layers):
        for found in rules:
            if layer.select is not None:
                state[found.code] = (False, False)
            decided = _decide(layer, found)
            if decided is not None:
                state[found.code] = decided
    chosen = []
    for found in rules:
        enabled, exact = state[found.code]
        if enabled and (found.status != "preview" or preview or exact):
            chosen.append(found)
    return chosen


def most_specific(selectors: Iterable[str], found: Rule) -> str | None:
    """Of ``selectors``, the one naming ``found`` most specifically."""
    best: tuple[int, str] | None = None
    for selector in selectors:
        level = specificity(selector, found)
        if level is not None and (best is None or level > best[0]):
            best = (level, selector)
    return None if best is None else best[1]
