"""A check imports only what it uses: the JSON modules (whose import
compiles regular expressions) only for a rule or format that reads or
writes JSON."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

SCHEMA = """\
##
# @Thing:
#
# A thing.
#
# Since: 9.0
##
{ 'struct': 'Thing', 'data': { 'id': 'int' } }
"""


def _json_imported(tmp_path: Path, *arguments: str) -> str:
    (tmp_path / "schema.json").write_text(SCHEMA, encoding="utf-8")
    probe = (
        "import sys\n"
        "from qapilint.cli import main\n"
        f"main({[*arguments, str(tmp_path / 'schema.json')]!r})\n"
        "print('json' in sys.modules, file=sys.stderr)\n"
    )
    shown = ""
    # the first run writes the rule index (importing every rule module to
    # make it); the second is a run as every later one is
    for _ in range(2):
        shown = subprocess.run(
            [sys.executable, "-c", probe],
            capture_output=True,
            text=True,
            check=True,
            env={"XDG_CACHE_HOME": str(tmp_path / "cache"), "PATH": ""},
        ).stderr
    return shown.strip().splitlines()[-1]


def test_a_check_of_structure_rules_does_not_import_json(tmp_path: Path) -> None:
    assert _json_imported(tmp_path, "check", "--no-cache", "--select", "Q1") == "False"


def test_the_json_format_does(tmp_path: Path) -> None:
    shown = _json_imported(tmp_path, "check", "--no-cache", "--select", "Q1", "--format", "json")
    assert shown == "True"
