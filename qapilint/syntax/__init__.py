"""Stage 1, the only owner of QAPI syntax: the grammar, the fast path and
error recovery, the model builder and the doc block reader. It produces
:class:`~qapilint.syntax.model.Module` objects that later stages only read."""
