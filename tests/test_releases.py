"""Release arithmetic: what a tree's VERSION has reached."""

from __future__ import annotations

import pytest

from qapilint.schema.releases import release_reached


@pytest.mark.parametrize(
    ("version", "release", "reached"),
    [
        (None, "10.2", True),  # no VERSION: current
        ((10, 2, 0), "10.2", True),
        ((10, 1, 0), "10.2", False),
        ((10, 1, 50), "10.2", False),  # developing 10.2, before its soft freeze
        ((10, 1, 90), "10.2", True),  # from the soft freeze on
        ((8, 0, 0), "8.1", False),
        ((9, 2, 0), "8.1", True),
    ],
)
def test_release_reached(version: tuple[int, int, int] | None, release: str, reached: bool) -> None:
    # asked twice: the remembered answer is the one worked out
    assert release_reached(version, release) is reached
    assert release_reached(version, release) is reached
    assert release_reached.__wrapped__(version, release) is reached
