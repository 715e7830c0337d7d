"""Screens: what the W rules look for in a doc's raw text before building
prose views. A screen must admit every text in which a rule's pattern can
match once masked (else findings go missing); the phrase patterns, built to
let the regex engine jump to a phrase's first word, must find exactly what
the plain form (word start checked first) finds."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st
from qapilint.rules import _wording as w
from wording_support import context, section

from qapilint.syntax.model import ProseView

PHRASES = (
    "must be",
    "Is Required",
    "the * state",
    "only ... if",
    "# seconds",
    "x-ray",
    "etc.",
    "e.g. ... etc.",
    "* expected",
    "don't",
    "one",
)
WORDS = (
    *(  # noqa: SIM905 - a word list reads best as words
        "must be Is Required the state only if 12 seconds x-ray etc. e.g. expected don't one"
    ).split(),
    *("MUST", "ONE", "Etc.", "\u017fimply", "\u212a", "\u00e9t\u00e9", "`a`", "@b", "x", ".", ","),
)
SEPARATORS = (" ", " ", " ", "", "\n", "  ", "-", "/", "_")
# texts made of the phrases' words (and others), so that phrases match
TEXT = st.lists(st.tuples(st.sampled_from(WORDS), st.sampled_from(SEPARATORS)), max_size=16).map(
    lambda pairs: "".join(word + separator for word, separator in pairs)
)
PHRASE_LISTS = st.lists(st.sampled_from(PHRASES), min_size=1, max_size=4, unique=True)


@st.composite
def phrase_texts(draw: st.DrawFn) -> tuple[str, list[str]]:
    """A phrase list and a text holding one of its phrases among other words."""
    phrases = draw(PHRASE_LISTS)
    words = []
    for token in draw(st.sampled_from(phrases)).split():
        if token == "...":
            words += draw(st.lists(st.sampled_from(WORDS), max_size=3))
        else:
            words.append({"*": draw(st.sampled_from(WORDS)), "#": "12"}.get(token, token))
    spaces = draw(st.lists(st.sampled_from((" ", "\n", "  ")), min_size=len(words)))
    phrase = "".join(word + space for word, space in zip(words, spaces, strict=False))
    if draw(st.booleans()):
        phrase = phrase.upper()
    return draw(TEXT) + phrase + draw(TEXT), phrases


# a few masked stretches of a text: (start, length)
MASKS = st.lists(st.tuples(st.integers(0, 120), st.integers(1, 6)), max_size=3)


def _plain_phrase_regex(phrase: str) -> str:
    """A phrase's pattern as first written: no start check of its own."""
    pieces: list[str] = []
    need_space = False
    for token in phrase.split():
        if token == "...":
            pieces.append(r"\s+" + w._GAP if need_space else w._GAP)
            need_space = False
            continue
        if need_space:
            pieces.append(r"\s+")
        pieces.append(
            w._ONE_WORD if token == "*" else w._NUMBER if token == "#" else re.escape(token)
        )
        need_space = True
    return "".join(pieces)


def _plain_pattern(phrases: list[str]) -> re.Pattern[str]:
    ordered = sorted(set(phrases), key=lambda phrase: (-len(phrase), phrase))
    body = "|".join(_plain_phrase_regex(phrase) for phrase in ordered)
    return re.compile(rf"(?<![\w/-])(?:{body})(?![\w/-])", re.IGNORECASE)


@given(TEXT, PHRASE_LISTS)
def test_phrase_patterns_find_what_the_plain_pattern_finds(text: str, phrases: list[str]) -> None:
    pattern = w.compile_phrases(tuple(phrases))
    assert pattern is not None
    found = [match.span() for match in pattern.finditer(text)]
    assert found == [match.span() for match in _plain_pattern(phrases).finditer(text)]


def _masked(text: str, stretches: list[tuple[int, int]]) -> str:
    """``text`` as a prose view shows it with ``stretches`` masked."""
    hidden = set()
    for start, length in stretches:
        hidden.update(range(start, start + length))
    return "".join(
        ProseView.MASK if index in hidden and char != "\n" else char
        for index, char in enumerate(text)
    )


@given(phrase_texts(), MASKS, TEXT, TEXT)
def test_a_phrase_screen_admits_every_text_a_phrase_matches_in_once_masked(
    text_and_phrases: tuple[str, list[str]],
    stretches: list[tuple[int, int]],
    before: str,
    after: str,
) -> None:
    text, phrases = text_and_phrases
    if not w.find_phrases(_masked(text, stretches), phrases):
        return
    screen = w.phrase_screen(tuple(phrases))
    assert screen.admits(w.RawText(text))
    # and as the section's part of a doc's raw text
    whole = w.RawText(before + "\n" + text + "\n" + after)
    assert screen.admits(whole, len(before) + 1, len(before) + 1 + len(text))


@given(TEXT, MASKS)
def test_any_of_screens_admit_where_their_patterns_match(
    text: str, stretches: list[tuple[int, int]]
) -> None:
    view = _masked(text, stretches)
    one = re.compile(r"(?<![\w/-])one(?![\w/-])", re.IGNORECASE)
    if one.search(view):
        assert w.Screen.any_of(["one"]).admits(w.RawText(text))
    if re.search("MUST|K", view):
        assert w.Screen.any_of(["MUST", "K"], ignore_case=False).admits(w.RawText(text))


def test_a_screen_of_a_text_that_is_not_ascii_folds_case_as_the_pattern_does() -> None:
    text = "\u017fimply put"  # long s: "simply" to a case-insensitive pattern
    assert w.compile_phrases(("simply",)) is not None
    assert w.find_phrases(text, ["simply"])
    assert w.phrase_screen(("simply",)).admits(w.RawText(text))
    assert not w.phrase_screen(("simply",)).admits(w.RawText("simple put"))


def test_a_phrase_of_wildcards_alone_lets_every_text_through() -> None:
    assert w.phrase_screen(("* #",)).passes_all
    assert w.phrase_screen(("* #",)).admits(w.RawText(""))


def _every_near_miss(text: str, phrases: list[str]) -> list[tuple[int, int]]:
    ranges = []
    for phrase in phrases:
        pattern = w.compile_phrases((phrase,))
        assert pattern is not None
        position = 0
        while (match := pattern.search(text, position)) is not None:
            ranges.append(match.span())
            position = match.start() + 1
    return ranges


@given(TEXT, PHRASE_LISTS)
def test_quiet_ranges_are_every_place_a_near_miss_matches(text: str, phrases: list[str]) -> None:
    assert w.quiet_ranges(text, phrases) == _every_near_miss(text, phrases)


def test_a_doc_s_raw_text_holds_each_section_s_text_where_its_bounds_say() -> None:
    sections = [
        section("plain", "Resume the\nmigration."),
        section("member", "", name="empty"),
        section("member", "first\nsecond\nthird", name="resume"),
        section("since", "10.1"),
    ]
    doc = context(sections).doc
    raw = w.raw_doc(doc)
    assert raw is w.raw_doc(doc)  # made once for the rules run on the doc in a row
    for part, (start, end) in zip(doc.sections, raw.bounds(doc), strict=True):
        assert raw.whole.text[start:end] == "\n".join(line.text for line in part.lines)


def test_screened_sections_are_the_prose_sections_holding_a_needle() -> None:
    texts = {"a": "keep it", "b": "consistent"}  # each a needle, neither both
    members = [section("member", text, name=name) for name, text in texts.items()]
    body = section("plain", "Keep this type\nconsistent with Foo.")
    doc = context([body, *members, section("todo", "Keep this consistent with Bar.")]).doc
    screen = w.phrase_screen(("keep this ... consistent with",))
    assert list(w.screened_sections(doc, screen)) == [doc.sections[0]]
    assert list(w.screened_sections(doc, w.Screen.any_of(["zzz"]))) == []


def test_the_block_text_holds_every_section_s_text() -> None:
    """The first look at a block (its lines joined) finds every needle a
    section holds: tags and indentation cut off a line never break a word."""
    sections = [
        section("plain", "Resume the\nmigration."),
        section("member", "first\nsecond line", name="resume"),
    ]
    doc = context(sections).doc
    block = w.block_text(doc)
    assert block is w.block_text(doc)  # made once for the rules run on the doc in a row
    for part in doc.sections:
        for line in part.lines:
            assert line.text in block.text
    assert list(w.screened_sections(doc, w.Screen.any_of(["second"]))) == [doc.sections[1]]
    # a screen that lets everything through, beside one that screens
    both = w.screened_sections(doc, w.Screen(None), w.Screen.any_of(["migration"]))
    assert list(both) == [doc.sections[0]]
    assert list(w.screened_sections(doc, w.Screen(None))) == doc.sections
