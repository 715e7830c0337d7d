"""QEMU's release history, as data, and version arithmetic on it.

After 2.12 came 3.0, after 3.1 came 4.0, and from 4.0 on every major has
X.0, X.1 and X.2. A development tree's ``VERSION`` is X.Y.Z with Z >= 50
while it works towards the next release.
"""

from __future__ import annotations

import functools

from qapilint.files import regexes

Version = tuple[int, int, int]

_EARLY = ["0.12", "0.13", "0.14", "0.15"]
_EARLY += [f"1.{minor}" for minor in range(8)]
_EARLY += [f"2.{minor}" for minor in range(13)]
_EARLY += ["3.0", "3.1"]
LAST_KNOWN_MAJOR = 10


@functools.cache
def releases(through_major: int = LAST_KNOWN_MAJOR) -> tuple[tuple[int, int], ...]:
    """Every feature release (X, Y) in order, up to ``through_major``.2."""
    found = [_pair(text) for text in _EARLY]
    for major in range(4, through_major + 1):
        found += [(major, 0), (major, 1), (major, 2)]
    return tuple(found)


def _pair(text: str) -> tuple[int, int]:
    major, minor = text.split(".")
    return int(major), int(minor)


# at most 9 digits a part: int() of thousands of digits raises, and no
# release number is that long
VERSION_RE = regexes.pattern(r"^(\d{1,9})\.(\d{1,9})(?:\.(\d{1,9}))?$")


def parse_version(text: str) -> Version | None:
    """``"10.2.2"`` -> (10, 2, 2); ``"10.2"`` -> (10, 2, 0); junk -> None."""
    match = VERSION_RE.match(text.strip())
    if not match:
        return None
    return int(match[1]), int(match[2]), int(match[3] or 0)


def next_release(release: tuple[int, int]) -> tuple[int, int]:
    """The feature release after ``release`` (4.0 onwards: X.2 -> (X+1).0)."""
    known = releases()  # past the known history the arithmetic below holds
    if release in known:
        index = known.index(release)
        if index + 1 < len(known):
            return known[index + 1]
    major, minor = release
    return (major + 1, 0) if minor >= 2 else (major, minor + 1)


def target_release(version: Version) -> tuple[int, int]:
    """The release a tree with this ``VERSION`` is (or works towards)."""
    major, minor, micro = version
    if micro >= 50:
        return next_release((major, minor))
    return major, minor


# rules ask it of every doc block they read, with a few versions and
# releases a run: each answer is worked out once
@functools.lru_cache(maxsize=256)
def release_reached(version: Version | None, release: str) -> bool:
    """Whether a tree at ``version`` has reached feature release ``release``
    (development versions count from the soft freeze, X.Y.90, of the one
    before it). A tree without ``VERSION`` counts as current."""
    if version is None:
        return True
    return target_release(version) >= _pair(release) and (
        version[2] < 50 or version[2] >= 90 or target_release(version) > _pair(release)
    )


def is_release(release: tuple[int, int]) -> bool:
    """Whether ``release`` is a QEMU feature release; past the known
    history, X.0, X.1 and X.2 are assumed to be."""
    if release[0] > LAST_KNOWN_MAJOR:  # computed, not listed: majors can be huge
        return release[1] in (0, 1, 2)
    return release in releases()


def first_release_after(release: tuple[int, int]) -> tuple[int, int]:
    """The earliest feature release later than ``release`` (which need not
    be a release itself: 2.13 -> 3.0, 10.3 -> 11.0)."""
    for known in releases():
        if known > release:
            return known
    return next_release(release)


# --------------------------------------------------------------------------
# Releases that changed what a doc comment looks like (checked against each
# release's qapi-code-gen.rst and doc parser; see QAPI-NOTES "Conventions by
# release"). Rules name these, never a bare version string.

#: The update of the doc comment conventions (April 2023): continuation
#: lines indented four spaces (the parser stopped requiring them to line up
#: with the description's first character), a blank line between
#: descriptions and after ``Features:``, lines of at most 70 columns and
#: two spaces between sentences. Older trees follow the older conventions.
CONVENTIONS_UPDATE = "8.1"
#: The parser rejects undescribed members and a ``Returns:`` section of a
#: command that returns nothing; ``Errors:`` sections are new.
MEMBER_DOCS_REQUIRED = "9.0"
#: The parser rejects ``Note:`` and ``Example:`` sections (``.. note::`` and
#: ``.. qmp-example::`` replace them).
OLD_SECTIONS_REJECTED = "9.1"
#: The parser enforces 70 columns and two spaces between sentences.
LINE_CHECKS_ENFORCED = "10.2"
#: A free-form block's ``= Title`` is no heading any more (the manual shows
#: it as a paragraph); headings are rST titles. Not pinned: 7.2.0 still
#: documents and uses ``= Title``, 10.2.2 no longer reads it
#: (``qapi/acpi-hest.json:6``); the release between that dropped it is not
#: checked, so this is the first release known to read rST titles only.
LEGACY_HEADINGS_DROPPED = "10.2"
