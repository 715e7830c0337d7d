"""qapilint: a linter for QEMU's QAPI schema documentation."""

__version__ = "0.1.0"

# The cyclic garbage collector's thresholds for a run. The model is a few
# hundred thousand small objects that live until the end, and so are the
# imports' objects: the collector's passes over them find nothing. Set by
# qapilint.cli.run() and, before its imports, by ``python -m qapilint``.
GC_THRESHOLDS = (200_000, 50, 100)
