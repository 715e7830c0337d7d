"""Reading QAPI text cheaply, without parsing it: whether a file looks like
QAPI at all, and which files it includes. Finding the root schemas of a
tree reads every ``*.json`` file this way.
"""

from __future__ import annotations

import re

_INCLUDE = re.compile(r"\{\s*'include'\s*:\s*'([^'\\\n]*)'")
_FIRST_TOKEN = re.compile(r"\s*(#|\{\s*')")


def looks_like_qapi(head: str) -> bool:
    """Whether text starting with ``head`` is QAPI rather than plain JSON."""
    return _FIRST_TOKEN.match(head.removeprefix("\ufeff")) is not None


def include_targets(text: str) -> list[str]:
    """The paths of ``{ 'include': ... }`` directives outside comments."""
    targets: list[str] = []
    if "'include'" not in text:  # most files include nothing: spare the regex its scan
        return targets
    for match in _INCLUDE.finditer(text):
        line_start = text.rfind("\n", 0, match.start()) + 1
        if "#" not in text[line_start : match.start()]:
            targets.append(match.group(1))
    return targets
