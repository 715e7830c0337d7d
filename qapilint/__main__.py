"""``python -m qapilint``: the same as the ``qapilint`` command.

Profiling works through it: ``python -m cProfile -s cumulative -m qapilint
check PATH`` (see ``bench/README.md``).
"""

import gc

from qapilint import GC_THRESHOLDS

# the thresholds run() sets, set before importing it: the imports make many
# long-lived objects too
gc.set_threshold(*GC_THRESHOLDS)

from qapilint.cli import run  # noqa: E402 - after the thresholds, on purpose

if __name__ == "__main__":
    run()
