"""Phrase search: ASCII text is lowered and searched without IGNORECASE,
which must find exactly what the case-insensitive pattern finds."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st
from qapilint.rules import _wording as w

PHRASES = ("must be", "Is Required", "the * state", "only ... if", "# seconds", "x-ray")
TEXT = st.text(alphabet="abMUSTBEisrequiredthe stayonlyf 12x-ray/_.\x1a\u00e9K", max_size=80)


@given(TEXT, st.lists(st.sampled_from(PHRASES), min_size=1, max_size=4, unique=True))
def test_lowered_search_finds_what_case_insensitive_search_finds(
    text: str, phrases: list[str]
) -> None:
    pattern = w.compile_phrases(tuple(phrases))
    assert pattern is not None
    expected = [(m.start(), m.end(), w.normal(m.group())) for m in pattern.finditer(text)]
    found = [(hit.start, hit.end, hit.phrase) for hit in w.find_phrases(text, phrases)]
    assert found == expected
    assert w.contains_any(text, phrases) is bool(expected)


def test_near_misses_are_found_in_any_case() -> None:
    text = "The Value MUST BE set, or must be given."
    assert w.quiet_ranges(text, ["must be set"]) == [(10, 21)]
    hits = w.find_phrases(text, ["must be"], near=["must be set"])
    assert [(hit.start, hit.end) for hit in hits] == [(26, 33)]
    accented = "\u00c9tat: MUST be"  # not ASCII: searched case-insensitively as it is
    assert [(h.start, h.end) for h in w.find_phrases(accented, ["must be"])] == [(6, 13)]


def test_only_the_phrases_whose_words_a_text_holds_are_compiled() -> None:
    phrases = ("must be", "is required", "the * state", "# seconds", "* ...")
    text = "The job MUST BE paused; the running state ends."
    # "is required" and "# seconds" lack a word; "* ..." has none to lack
    assert w._present(text, phrases) == ("must be", "the * state", "* ...")
    assert w._present("\u00c9tat: MUST be", ("must be", "is required")) == ("must be",)
    assert w._present("nothing here", ("must be",)) == ()
    assert not w.contains_any("nothing here", ("must be",))


def test_made_from_remakes_for_other_option_values_only() -> None:
    made: list[tuple[str, ...]] = []

    def make(*words: str) -> tuple[str, ...]:
        made.append(words)
        return words

    extra, other = ["a"], ["a"]  # equal, but not the same value
    key = ("test", "made-from")
    first = w.made_from(key, (extra,), make, "x", "y")
    assert first == ("x", "y")
    assert w.made_from(key, (extra,), make, "z") is first  # the same value: reused
    assert w.made_from(key, (other,), make, "z") == ("z",)  # another value: made anew
    assert made == [("x", "y"), ("z",)]
