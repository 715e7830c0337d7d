"""The console script's argparse says its own words as written, without a
gettext lookup (which would import :mod:`locale` in every run)."""

from __future__ import annotations

import subprocess
import sys


def _probe(code: str) -> str:
    return subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.strip()


def test_parsing_a_check_command_line_imports_no_locale_tables() -> None:
    shown = _probe(
        "import sys\n"
        "from qapilint import cli\n"
        "cli.plain_argparse_words()\n"
        "cli.build_parser('check').parse_args(['check', '--no-cache', 'x.json'])\n"
        "print('locale' in sys.modules)\n"
    )
    assert shown == "False"


def test_without_it_argparse_asks_gettext() -> None:
    # the cost the function avoids is real: if argparse ever stops asking,
    # the function has no reason left to exist
    shown = _probe(
        "import sys\n"
        "from qapilint import cli\n"
        "cli.build_parser('check').parse_args(['check', '--no-cache', 'x.json'])\n"
        "print('locale' in sys.modules)\n"
    )
    assert shown == "True"


def test_the_words_are_argparse_own() -> None:
    shown = _probe(
        "import argparse\n"
        "from qapilint import cli\n"
        "cli.plain_argparse_words()\n"
        "print(argparse._('usage: '), argparse.ngettext('one', 'many', 1),"
        " argparse.ngettext('one', 'many', 2), sep='|')\n"
    )
    assert shown == "usage: |one|many"
