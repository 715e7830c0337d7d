"""qapilint: a linter for QEMU's QAPI schema documentation."""

__version__ = "0.1.0"
