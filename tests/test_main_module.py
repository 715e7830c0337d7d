"""``python -m qapilint`` sets the run's collector thresholds before its
imports, the same as the console script's ``run()``."""

from __future__ import annotations

import subprocess
import sys

from qapilint import GC_THRESHOLDS


def test_main_sets_the_thresholds_before_importing_the_cli() -> None:
    # importing qapilint.__main__ (not as the main module) runs no command;
    # the thresholds seen while qapilint.cli is first imported are the run's
    probe = (
        "import builtins, gc, sys\n"
        "seen = []\n"
        "real_import = builtins.__import__\n"
        "def watch(name, *args, **kwargs):\n"
        "    if name == 'qapilint.cli' and 'qapilint.cli' not in sys.modules:\n"
        "        seen.append(gc.get_threshold())\n"
        "    return real_import(name, *args, **kwargs)\n"
        "builtins.__import__ = watch\n"
        "import qapilint.__main__\n"
        "print(seen[0])\n"
    )
    shown = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert shown.strip() == str(GC_THRESHOLDS)
    assert GC_THRESHOLDS != (700, 10, 10)  # not the interpreter's defaults
