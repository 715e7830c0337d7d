"""Shared fixtures: the real QEMU corpus (skipped where absent) and a way to
lint a snippet of QAPI text."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parent.parent
CORPUS = PROJECT.parent / "shared" / "corpus"


@pytest.fixture(scope="session")
def corpus() -> Path:
    """``../shared/corpus`` from the project root; tests needing it skip."""
    if not CORPUS.is_dir():
        pytest.skip(f"QEMU corpus not found at {CORPUS} (only in the team's workspace and CI)")
    return CORPUS.resolve()  # ../shared may be a link; qapilint reports resolved paths


# The findings cache answers a re-run with the last result: tests that run
# the command line with patched rules must never read another test's
# result. tests/test_resultcache.py turns it back on for itself.
os.environ["QAPILINT_NO_CACHE"] = "1"
