"""Shared machinery of the W (wording) rules: their data, phrase patterns,
sentences, and where a finding belongs.

Not a rule module (the leading underscore keeps the engine out). The word
lists live in ``wording.toml`` next to this file; the pattern language they
use is described at the top of that file.
"""

from __future__ import annotations

import operator
import re
import weakref
from collections.abc import Callable, Iterable, Iterator
from functools import cache, lru_cache
from typing import Any, TypeVar

from qapilint.files import regexes
from qapilint.files.records import TupleRecord
from qapilint.lint.rule import DocContext, Edit, Finding, Fix, RuleFunction
from qapilint.syntax.doclines import line_facts
from qapilint.syntax.model import Doc, ProseView, Section

from ._data import load_toml

DATA_FILE = "wording.toml"

# The options every phrase rule accepts from a project's config.
PHRASE_OPTIONS: dict[str, Any] = {"extra-phrases": {}, "ignore-phrases": [], "quiet": []}

# Sections whose text is prose a reader is meant to follow. "since" holds a
# version only; "todo" is the place where notes to developers belong.
PROSE_KINDS = ("plain", "member", "feature", "returns", "errors")

_WORD_CHAR = r"[\w/-]"  # what a word may not follow or precede
_WORD_START = rf"(?<!{_WORD_CHAR})"
_WORD_END = rf"(?!{_WORD_CHAR})"
_ONE_WORD = r"(?:\"[^\"\s]+\"|[\w'-]+(?:\.\w+)*)"
_NUMBER = r"\d[\w.,]*"
_GAP = r"(?:\S*[^\s.!?]\s+){0,12}?"
_SENTENCE_END = regexes.pattern(r"[.!?](?=\s|$)|\n\s*\n")
_NOT_AN_END = ("e.g", "i.e", "etc", "vs", "cf")


@cache
def data() -> dict[str, Any]:
    """All of ``wording.toml``."""
    return load_toml(DATA_FILE)


def table(name: str) -> dict[str, Any]:
    """The data of one rule, by rule name."""
    found: dict[str, Any] = data()[name]  # each rule's data is a table
    return found


# --------------------------------------------------------------------------
# Options: what a project adds in its config (read with ctx.option, so the
# rule being run must declare them: PHRASE_OPTIONS, "quiet", "extra-<key>")


def _as_table(value: object) -> dict[str, str]:
    if isinstance(value, dict):
        return {str(key): str(text) for key, text in value.items()}
    if isinstance(value, list):
        return {str(item): "" for item in value}
    return {}


def made_from(
    key: tuple[str, ...], sources: tuple[object, ...], make: Callable[..., _T], *args: Any
) -> _T:
    """``make(*args)``, or what it returned last for ``key`` when made from
    the very same option values (a run asks once per doc block, with the
    same values; the entry holds them, so their identity cannot be reused).
    The arguments are passed, not bound in a closure: one made per doc
    block would cost more than the look-up it saves."""
    entry = _MADE.get(key)
    if entry is not None and all(map(operator.is_, entry[0], sources)):
        return entry[1]  # type: ignore[no-any-return]
    made = make(*args)
    _MADE[key] = (sources, made)
    return made


_T = TypeVar("_T")
_MADE: dict[tuple[str, ...], tuple[tuple[object, ...], Any]] = {}


def phrases(ctx: DocContext, name: str) -> dict[str, str]:
    """Phrase -> rewrite for rule ``name`` (the rule being run): the
    built-in table, plus the project's ``extra-phrases``, minus its
    ``ignore-phrases``. Shared: not to be changed."""
    extra, ignore = ctx.option("extra-phrases"), ctx.option("ignore-phrases")

    def merge() -> dict[str, str]:
        merged = dict(table(name).get("phrases", {}))
        merged.update(_as_table(extra))
        for phrase in ignore:
            merged.pop(str(phrase), None)
        return merged

    return made_from(("phrases", name), (extra, ignore), merge)


def quiet(ctx: DocContext, name: str) -> tuple[str, ...]:
    """Near misses of rule ``name`` (the rule being run): built in plus the
    project's ``quiet``."""
    extra = ctx.option("quiet")
    return made_from(
        ("quiet", name),
        (extra,),
        lambda: (*table(name).get("quiet", []), *(str(item) for item in extra)),
    )


class PhraseSearch(TupleRecord):
    """What a phrase rule looks for: its table (phrase -> rewrite, shared:
    not to be changed), its near misses, and the screen of its phrases."""

    __slots__ = ()

    table: dict[str, str]
    near: tuple[str, ...]
    screen: Screen

    def __new__(cls, table: dict[str, str], near: tuple[str, ...], screen: Screen) -> PhraseSearch:
        return tuple.__new__(cls, (table, near, screen))


def phrase_search(ctx: DocContext, name: str) -> PhraseSearch:
    """:func:`phrases`, :func:`quiet` and their screen for rule ``name``
    (the rule being run), made once for the same option values.

    Asked for every doc block: the rule being run and the options its
    project sets (one dict, or None) fix all three option values, so while
    both are the same objects as last time, the search is last time's
    without reading an option."""
    owner = ctx.rule
    project = ctx.tree.options.get(owner.name) if owner is not None else None
    last = _LAST_SEARCH.get(name)
    if last is not None and last[0] is owner and last[1] is project and owner is not None:
        return last[2]
    sources = (ctx.option("extra-phrases"), ctx.option("ignore-phrases"), ctx.option("quiet"))
    search = made_from(("search", name), sources, _make_search, ctx, name)
    _LAST_SEARCH[name] = (owner, project, search)
    return search


# rule name -> (the rule run, its project's options, the search made for them);
# held strongly, so that neither can die and another take its identity
_LAST_SEARCH: dict[str, tuple[object, object, PhraseSearch]] = {}


def _make_search(ctx: DocContext, name: str) -> PhraseSearch:
    table = phrases(ctx, name)
    return PhraseSearch(table, quiet(ctx, name), phrase_screen(tuple(table)))


def words_option(
    ctx: DocContext, name: str, key: str, rule: RuleFunction | None = None
) -> tuple[str, ...]:
    """A word list of rule ``name``, with the project's ``extra-<key>``
    option of the rule being run (or of ``rule``, when ``name`` is another
    rule's)."""
    extra = ctx.option(f"extra-{key}", rule)
    return made_from(
        ("words", name, key),
        (extra,),
        lambda: (*table(name).get(key, []), *(str(item) for item in extra)),
    )


# --------------------------------------------------------------------------
# Patterns


def _phrase_regex(phrase: str) -> str:
    """The pattern of one phrase, from the start of a word. A phrase that
    opens with a word checks the start after matching the word (the same
    test, as a lookbehind over the word): a pattern that begins with
    literal text lets the regex engine jump to where it occurs instead of
    trying every position."""
    tokens = phrase.split()
    pieces: list[str] = []
    need_space = False
    for token in tokens:
        if token == "...":
            pieces.append(r"\s+" + _GAP if need_space else _GAP)
            need_space = False
            continue
        if need_space:
            pieces.append(r"\s+")
        if token == "*":
            pieces.append(_ONE_WORD)
        elif token == "#":
            pieces.append(_NUMBER)
        elif not pieces:
            word = re.escape(token)
            pieces.append(f"{word}(?<!{_WORD_CHAR}{word})")
        else:
            pieces.append(re.escape(token))
        need_space = True
    if not tokens or tokens[0] in ("...", "*", "#"):
        pieces.insert(0, _WORD_START)
    return "".join(pieces)


@cache
def compile_phrases(phrase_list: tuple[str, ...]) -> re.Pattern[str] | None:
    """One pattern matching any of ``phrase_list``, longest phrase first,
    whole words only, in any case; ``None`` for an empty list."""
    return _compile(phrase_list, lower=False)


# bounded: besides whole phrase lists and single phrases, it holds the
# patterns of the phrases found in a text (see _present), as many as texts
@lru_cache(maxsize=256)
def _compile(phrase_list: tuple[str, ...], *, lower: bool) -> re.Pattern[str] | None:
    """``compile_phrases``, or (``lower``) the same for lower-case text:
    phrases lowered and no IGNORECASE, which the regex engine runs several
    times faster."""
    if not phrase_list:
        return None
    ordered = sorted(set(phrase_list), key=lambda phrase: (-len(phrase), phrase))
    if lower:
        ordered = [phrase.lower() for phrase in ordered]
    body = "|".join(_phrase_regex(phrase) for phrase in ordered)
    return regexes.pattern(f"(?:{body}){_WORD_END}", 0 if lower else re.IGNORECASE)


def _search_form(text: str) -> tuple[str, bool]:
    """The text to search and whether it is lowered: ASCII text is lowered
    (same length, same offsets); any other is searched with IGNORECASE."""
    if text.isascii():
        return text.lower(), True
    return text, False


def quiet_ranges(text: str, phrase_list: Iterable[str]) -> list[tuple[int, int]]:
    """Every place (even overlapping) where a near-miss phrase matches. A
    phrase is searched for only in a text holding all its words: most of a
    rule's near misses are nowhere near a given text."""
    ranges: list[tuple[int, int]] = []
    raw = RawText(text)
    lower = raw.lowered is not None
    searched = raw.lowered if raw.lowered is not None else text  # as _search_form does
    for screen, phrase in _phrase_screens(tuple(phrase_list)):
        if not screen.admits(raw):
            continue
        pattern = _compile((phrase,), lower=lower)
        assert pattern is not None
        position = 0
        while (match := pattern.search(searched, position)) is not None:
            ranges.append(match.span())
            position = match.start() + 1
    return ranges


@cache
def _phrase_screens(phrase_list: tuple[str, ...]) -> tuple[tuple[Screen, str], ...]:
    """Each phrase of ``phrase_list`` with its own screen."""
    return tuple((phrase_screen((phrase,)), phrase) for phrase in phrase_list)


def covered(start: int, end: int, ranges: list[tuple[int, int]]) -> bool:
    return any(low <= start and end <= high for low, high in ranges)


def normal(text: str) -> str:
    """Lower case, single spaces: the key of a phrase table."""
    return " ".join(text.lower().split())


class Hit(TupleRecord):
    __slots__ = ()
    start: int
    end: int
    phrase: str  # as normalised, the key into the phrase table

    def __new__(cls, start: int, end: int, phrase: str) -> Hit:
        return tuple.__new__(cls, (start, end, phrase))


def _present(text: str, phrase_list: Iterable[str]) -> tuple[str, ...]:
    """The phrases of ``phrase_list`` whose words ``text`` holds: the only
    ones that can match in it. A pattern of those alone finds the same
    matches as one of them all (an alternative that cannot match anywhere
    never decides one), and compiling it costs a fraction of compiling
    them all (a millisecond or more for a list of thirty phrases)."""
    raw = RawText(text)
    return tuple(
        phrase for screen, phrase in _phrase_screens(tuple(phrase_list)) if screen.admits(raw)
    )


def find_phrases(text: str, phrase_list: Iterable[str], near: Iterable[str] = ()) -> list[Hit]:
    """Matches of ``phrase_list`` in ``text`` not covered by a near miss."""
    searched, lower = _search_form(text)
    pattern = _compile(_present(text, phrase_list), lower=lower)
    matches = list(pattern.finditer(searched)) if pattern is not None else []
    if not matches:
        return []  # most sections: no need to look for near misses
    ranges = quiet_ranges(text, near)
    return [
        Hit(match.start(), match.end(), normal(match.group()))
        for match in matches
        if not covered(match.start(), match.end(), ranges)
    ]


def contains_any(text: str, phrase_list: Iterable[str]) -> bool:
    searched, lower = _search_form(text)
    pattern = _compile(_present(text, phrase_list), lower=lower)
    return pattern is not None and pattern.search(searched) is not None


# --------------------------------------------------------------------------
# Sentences


def _is_end(text: str, match: re.Match[str]) -> bool:
    if match.group().startswith("\n"):
        return True
    before = text[: match.start()].rsplit(None, 1)[-1] if text[: match.start()].strip() else ""
    return before.lower().rstrip(".") not in _NOT_AN_END


def sentence_at(text: str, offset: int) -> tuple[int, int]:
    """The sentence of ``text`` holding ``offset``: (start, end), the end
    just after its full stop (or at the end of the paragraph)."""
    start = 0
    for match in _SENTENCE_END.finditer(text):
        if not _is_end(text, match):
            continue
        if match.end() <= offset:
            start = match.end()
            continue
        end = match.end() if not match.group().startswith("\n") else match.start()
        return _skip_space(text, start), end
    return _skip_space(text, start), len(text.rstrip())


def _skip_space(text: str, start: int) -> int:
    while start < len(text) and text[start].isspace():
        start += 1
    return start


def word_before(text: str, offset: int, count: int = 1) -> str:
    """The ``count`` words before ``offset``, lower case (fewer at the start)."""
    words = re.findall(r"[\w'\"-]+|[.!?:;,()]", text[:offset])
    return " ".join(words[-count:]).lower() if words else ""


def word_after(text: str, offset: int) -> str:
    match = re.match(r"\s*([\w'\"-]+)", text[offset:])
    return match.group(1) if match else ""


# --------------------------------------------------------------------------
# Sections and findings


def prose_sections(doc: Doc, kinds: tuple[str, ...] = PROSE_KINDS) -> Iterator[Section]:
    for section in doc.sections:
        if section.kind in kinds and section.lines:
            yield section


# --------------------------------------------------------------------------
# Screens: the raw text first
#
# A section's prose view costs far more to build than a look for a word in
# its raw text, and most sections hold nothing a given rule looks for. The
# view only masks characters (same length, same offsets), so wherever a
# rule's pattern matches in the view, every character it matches literally
# is the same character of the raw text. A word the pattern cannot match
# without is therefore in the raw text of every section it matches in: the
# rules look for such words (needles) first, in the whole doc block, then
# in each section, and build prose views only where one is. Needles are
# looked for as plain substrings, never with word boundaries: a masked
# neighbour ("`Name`_one") may be a letter in the raw text.


class RawText:
    """A text as written, and (made on first use) its lower-case form when
    it is ASCII: then lowering keeps every offset, and no case folding
    surprises."""

    __slots__ = ("_lowered", "_made", "text")

    def __init__(self, text: str) -> None:
        self.text = text
        self._lowered: str | None = None
        self._made = False

    @property
    def lowered(self) -> str | None:
        """The lower-case text, None when the text is not ASCII."""
        if not self._made:
            self._lowered = self.text.lower() if self.text.isascii() else None
            self._made = True
        return self._lowered


class Screen:
    """What every match of a rule's pattern in a prose view holds: all the
    needles of one of ``alternatives`` (in any case with ``ignore_case``,
    for a case-insensitive pattern). ``None`` lets every text through."""

    __slots__ = ("groups", "ignore_case", "written")

    def __init__(
        self, alternatives: Iterable[Iterable[str]] | None, *, ignore_case: bool = True
    ) -> None:
        self.ignore_case = ignore_case
        self.written: tuple[tuple[str, ...], ...] | None = None
        # (key, the rest of each alternative looked for where the key is)
        self.groups: tuple[tuple[str, tuple[tuple[str, ...], ...]], ...] = ()
        if alternatives is None:
            return
        # the likeliest to be missing first: a long word, not a common one
        written = [tuple(sorted(set(needles), key=_rarity)) for needles in alternatives]
        if not written or not all(written):
            return  # an alternative without a needle: anything may match
        self.written = tuple(dict.fromkeys(written))
        cased = [
            tuple(needle.lower() for needle in needles) if ignore_case else needles
            for needles in self.written
        ]
        # each alternative's first needle is looked for first, once for all
        # the alternatives it opens; one holding another is found only where
        # that one is, so that one is looked for in its stead
        firsts = list(dict.fromkeys(needles[0] for needles in cased))
        keys = [first for first in firsts if not any(k in first for k in firsts if k != first)]
        groups: dict[str, list[tuple[str, ...]]] = {key: [] for key in keys}
        for needles in cased:
            key = next(key for key in keys if key in needles[0])
            groups[key].append(needles[1:] if key == needles[0] else needles)
        self.groups = tuple((key, tuple(rests)) for key, rests in groups.items())

    @staticmethod
    def any_of(needles: Iterable[str], *, ignore_case: bool = True) -> Screen:
        """The screen of a pattern that holds one of ``needles``."""
        return _any_of(tuple(needles), ignore_case)

    @property
    def passes_all(self) -> bool:
        return self.written is None

    def admits(self, raw: RawText, start: int = 0, end: int | None = None) -> bool:
        """Whether ``raw.text[start:end]`` holds the needles of an alternative."""
        if self.written is None:
            return True
        text = raw.lowered if self.ignore_case else raw.text
        if text is None:
            return self._admits_any_case(raw.text[start:end])
        has = (text if start == 0 and end is None else text[start:end]).__contains__
        for key, rests in self.groups:
            if has(key):
                for rest in rests:
                    if all(map(has, rest)):
                        return True
        return False

    def _admits_any_case(self, text: str) -> bool:
        """Not ASCII: with the case folding of the pattern's IGNORECASE."""
        assert self.written is not None
        return any(
            all(_any_case(needle).search(text) for needle in needles) for needles in self.written
        )


def _rarity(needle: str) -> tuple[bool, int, str]:
    """Sorts needles the rarest first, as far as can be told without a text."""
    return needle.lower() in _COMMON_WORDS, -len(needle), needle


# words found in nearly any text: a needle that is one finds nothing out
_COMMON_WORDS = frozenset(
    (  # noqa: SIM905 - a word list reads best as words
        "a an and are as be by can do for if in is it may must not of on only or "
        "should that the these this to when will with"
    ).split()
)


@cache
def _any_of(needles: tuple[str, ...], ignore_case: bool) -> Screen:
    return Screen([(needle,) for needle in needles], ignore_case=ignore_case)


@cache
def _any_case(needle: str) -> re.Pattern[str]:
    return regexes.pattern(re.escape(needle), re.IGNORECASE)


@cache
def phrase_screen(phrase_list: tuple[str, ...]) -> Screen:
    """The screen of :func:`find_phrases` for ``phrase_list``: every word of
    a phrase ("*", "#" and "..." are no words; a phrase of those alone lets
    everything through)."""
    return Screen(
        [token for token in phrase.split() if token not in ("*", "#", "...")]
        for phrase in phrase_list
    )


_TEXT_OF = operator.attrgetter("text")  # a section line's text


class RawDoc:
    """The raw text of a doc block's sections, one after another (each
    one's lines joined by "\\n", and the sections too), and where each
    section's is in it."""

    __slots__ = ("_bounds", "whole")

    def __init__(self, doc: Doc) -> None:
        self.whole = RawText("\n".join([line.text for s in doc.sections for line in s.lines]))
        self._bounds: list[tuple[int, int]] | None = None

    def bounds(self, doc: Doc) -> list[tuple[int, int]]:
        """(start, end) of the text of each section of ``doc`` (the doc this
        text is of) in ``whole.text``; made when first asked: most doc
        blocks are done with after a look at the whole text."""
        if self._bounds is None:
            self._bounds = []
            start = 0
            for section in doc.sections:
                lines = section.lines  # each line's text and its "\n", summed in C
                end = start + sum(map(len, map(_TEXT_OF, lines))) + len(lines)
                self._bounds.append((start, max(start, end - 1)))  # without the "\n" after it
                start = end
        return self._bounds


def raw_doc(doc: Doc) -> RawDoc:
    """The raw text of ``doc``, made once for the W rules the engine runs on
    ``doc`` in a row."""
    last = _last_raw_doc[0] if _last_raw_doc else None
    if last is not None and last[0]() is doc:
        return last[1]
    raw = RawDoc(doc)
    _last_raw_doc[:] = [(weakref.ref(doc), raw)]
    return raw


# one entry, the doc it is for held weakly: a run never keeps a model alive
_last_raw_doc: list[tuple[weakref.ref[Doc], RawDoc]] = []


def screened_sections(
    doc: Doc, *screens: Screen, kinds: tuple[str, ...] = PROSE_KINDS
) -> Iterator[Section]:
    """The :func:`prose_sections` of ``doc`` whose raw text every one of
    ``screens`` admits: the only ones where a rule's pattern can match in
    the view."""
    screening: tuple[Screen, ...]
    if len(screens) == 1:  # most rules: no new tuple made for it
        screening = () if screens[0].passes_all else screens
    else:
        screening = tuple(screen for screen in screens if not screen.passes_all)
    if not screening:
        yield from prose_sections(doc, kinds)
        return
    block = block_text(doc)
    for screen in screening:
        if not screen.admits(block):
            return  # the usual case: not in the doc at all
    raw = raw_doc(doc)
    whole = raw.whole
    for section, (start, end) in zip(doc.sections, raw.bounds(doc), strict=True):
        kept = section.kind in kinds and section.lines
        if kept and all(screen.admits(whole, start, end) for screen in screening):
            yield section


def block_text(doc: Doc) -> RawText:
    """The lines of ``doc`` joined (its line facts' text), for a first look
    at the whole block. Each section's text is cut out of those lines (tag,
    indentation and trailing whitespace taken off, never a word broken),
    so a needle a section holds, the block's lines hold too; and the line
    facts, made for every block by the F rules before the W rules run,
    spare most blocks the joining of their sections' texts
    (:func:`raw_doc`), which only a block that passes needs."""
    text = line_facts(doc).text
    last = _last_block_text[0] if _last_block_text else None
    if last is not None and last.text is text:
        return last
    made = RawText(text)
    # the block asked about last: its rules run one after another (it holds
    # the text, so no other text can take the same identity)
    _last_block_text[:] = [made]
    return made


_last_block_text: list[RawText] = []


def member_label(section: Section) -> str | None:
    """What ``Finding.member`` holds for text of ``section``."""
    if section.kind in ("member", "feature"):
        return section.name
    if section.kind == "plain":
        return None
    return section.kind.capitalize()


def where(ctx: DocContext, section: Section) -> str:
    """Names the section for a message: "member 'resume' of 'migrate'"."""
    owner = ctx.doc.symbol
    name = section.name.rstrip() if section.name else None  # "@name : text" has "name "
    if section.kind == "member" and name and owner:
        return f"member '{name}' of '{owner}'"
    if section.kind == "feature" and name and owner:
        return f"feature '{name}' of '{owner}'"
    if owner:
        label = member_label(section)
        return f"{label} section of '{owner}'" if label else f"doc of '{owner}'"
    return "doc comment"


def finding(
    ctx: DocContext,
    section: Section,
    view: ProseView,
    at: tuple[int, int],
    message: str,
    *,
    rewrite: str | None = None,
    fix_message: str = "",
) -> Finding:
    """A finding over ``view.text[start:end]`` (``at`` is the pair);
    ``rewrite`` (if given) becomes a suggestion replacing that text."""
    span = view.span(*at)
    fix = None
    if rewrite is not None:
        fix = Fix.suggestion([Edit(span, rewrite)], fix_message or f"write {rewrite!r}")
    return Finding(span, message, fix=fix, symbol=ctx.doc.symbol, member=member_label(section))


def quoted(text: str) -> str:
    return '"' + " ".join(text.split()) + '"'
