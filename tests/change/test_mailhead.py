"""Telling mail (a patch, a mailbox) from a schema by its first bytes."""

from __future__ import annotations

import pytest

from qapilint.change.mailhead import looks_like_mail


@pytest.mark.parametrize(
    ("head", "mail"),
    [
        (b"From 0123abcd Mon Sep 17 00:00:00 2001\nFrom: A <a@b>\n", True),
        (b"\xef\xbb\xbfFrom a@b Tue Jan  2 10:00:00 2024\n", True),
        (b"From: A <a@b>\nSubject: [PATCH] x\n", True),
        (b"Subject: [PATCH] x\n", True),
        (b"From here on, a schema\n", False),  # "From " but no mbox separator
        (b"From 0123abcd Someday\n", False),
        (b"# comment\n{ 'include': 'a.json' }\n", False),
    ],
)
def test_looks_like_mail(head: bytes, mail: bool) -> None:
    assert looks_like_mail(head) is mail
