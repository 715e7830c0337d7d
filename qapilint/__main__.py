"""``python -m qapilint``: the same as the ``qapilint`` command.

Profiling works through it: ``python -m cProfile -s cumulative -m qapilint
check PATH`` (see ``bench/README.md``).
"""

import gc

# the collector's thresholds run() sets (qapilint.cli.GC_THRESHOLDS), set
# before importing it: the imports make many long-lived objects too, and
# the collector's passes over them at the default thresholds find nothing
gc.set_threshold(200_000, 50, 100)

from qapilint.cli import run  # noqa: E402 - after the thresholds, on purpose

if __name__ == "__main__":
    run()
