"""Reading QAPI text cheaply, without parsing it: whether a file looks like
QAPI at all, and which files it includes. Finding the root schemas of a
tree reads every ``*.json`` file this way.
"""

from __future__ import annotations

from qapilint.files import regexes

_INCLUDE = regexes.pattern(r"\{\s*'include'\s*:\s*'([^'\\\n]*)'")
_KEY = "'include'"
_FIRST_TOKEN = regexes.pattern(r"\s*(#|\{\s*')")


def looks_like_qapi(head: str) -> bool:
    """Whether text starting with ``head`` is QAPI rather than plain JSON."""
    return _FIRST_TOKEN.match(head.removeprefix("\ufeff")) is not None


def include_targets(text: str) -> list[str]:
    """The paths of ``{ 'include': ... }`` directives outside comments."""
    targets: list[str] = []
    # the pattern is tried only at the brace before each "'include'": most
    # files name it nowhere, and a root names it once per include, where a
    # scan of the whole text would try the pattern at every brace
    # (past the end of the last directive found, as a scan would resume)
    resume = 0
    at = text.find(_KEY)
    while at >= 0:
        brace = text.rfind("{", resume, at)
        between = text[brace + 1 : at]
        if brace >= 0 and (not between or between.isspace()):
            match = _INCLUDE.match(text, brace)
            if match is not None:
                line_start = text.rfind("\n", 0, brace) + 1
                if "#" not in text[line_start:brace]:
                    targets.append(match.group(1))
                resume = match.end()
        at = text.find(_KEY, max(at + len(_KEY), resume))
    return targets
