"""Applying edits: rounds of non-overlapping edits, safe paragraph reflow,
atomic writes. Knows nothing of rules or of how findings are made."""
