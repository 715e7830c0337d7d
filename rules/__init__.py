"""qapilint's built-in rules, one module per family (installed as
``qapilint.rules``)."""
