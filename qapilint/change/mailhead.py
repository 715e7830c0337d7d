"""Whether a file is mail (a patch, a mailbox) rather than a schema, told
from its first bytes: for ``qapilint check``'s pointer to ``patch``, on
every run, so it costs no more than a regular expression (the reading of
mail, :mod:`qapilint.change.series`, is imported only by ``patch``)."""

from __future__ import annotations

import re

# an mbox separator: "From <sha or address> <weekday> ...", as format-patch,
# lore and mutt write it. The pattern, compiled where it is read: a check
# matches it only on a first line that starts with "From "
FROM_LINE = rb"^From (\S+) +(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun) "


def looks_like_mail(head: bytes) -> bool:
    """Whether text starting with ``head`` is a patch or a mailbox rather
    than a schema."""
    first = head.lstrip(b"\xef\xbb\xbf").split(b"\n", 1)[0]
    if first.startswith(b"From ") and re.match(FROM_LINE, first):
        return True
    return first.startswith((b"From: ", b"Subject: ", b"Return-Path: ", b"Received: "))
