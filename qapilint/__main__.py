"""``python -m qapilint``: the same as the ``qapilint`` command.

Profiling works through it: ``python -m cProfile -s cumulative -m qapilint
check PATH`` (see ``bench/README.md``).
"""

from qapilint.cli import run

if __name__ == "__main__":
    run()
