"""Only what a change introduces: a base tree read from git objects (or a
folder), fingerprints compared as multisets, baselines.

The change stage sits above the check pipeline (``qapilint.lint``): it runs
the same pipeline on a base and a head and filters the head's findings.
"""
