"""Stage 2: root schemas, their includes and source tree, the release table
and member resolution (bases, branches, boxed arguments, returns)."""
