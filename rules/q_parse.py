"""Everything QEMU's schema *parser* rejects, except what is inside a doc
block's text (family ``Q1xx``, codes Q101-Q139).

The parser (:mod:`qapilint.syntax.parse`) and the loader (:mod:`qapilint.schema.loader`)
record problems by kind; each rule here reports the problems of one kind.
All are errors: QEMU's build stops at each of them.
"""

from __future__ import annotations

from collections.abc import Iterator

from qapilint.lint.rule import Finding, ModuleContext, rule


@rule("Q101", "lexical-error", context="module", severity="error", qemu_rejects=True)
def lexical_error(ctx: ModuleContext) -> Iterator[Finding]:
    """Flags text the QAPI lexer cannot read: a stray word or character, an
    unterminated string, an escape other than ``\\\\`` or a character
    outside printable ASCII in a string.

    Why: QEMU stops at the first such character ("stray 'x'", "missing
    terminating \"'\"", "unknown escape \\u", "funny character in string").
    QAPI has no numbers, no ``null``, no double quotes and no ``\\u`` escapes.

    Example::

        { 'struct': 'Foo', 'data': { 'size': 123 } }

    Use instead::

        { 'struct': 'Foo', 'data': { 'size': 'int' } }
    """
    yield from ctx.problems("lexical")


@rule("Q102", "syntax-error", context="module", severity="error", qemu_rejects=True)
def syntax_error(ctx: ModuleContext) -> Iterator[Finding]:
    """Flags a token where the grammar expects another ("expected ',' or '}'").

    Why: QEMU's parser stops at the first one. Missing and trailing commas
    are the usual cause: QAPI, unlike JavaScript, allows no trailing comma.

    Example::

        { 'enum': 'Color', 'data': [ 'red', 'green', ] }

    Use instead::

        { 'enum': 'Color', 'data': [ 'red', 'green' ] }
    """
    yield from ctx.problems("syntax")


@rule("Q103", "duplicate-key", context="module", severity="error", qemu_rejects=True)
def duplicate_key(ctx: ModuleContext) -> Iterator[Finding]:
    """Flags a key given twice in one object.

    Why: QEMU rejects it ("duplicate key 'x'"); in plain JSON the second
    value would silently win, so one of the two is a mistake either way.

    Example::

        { 'struct': 'Foo', 'data': { 'a': 'int', 'a': 'str' } }

    Use instead::

        { 'struct': 'Foo', 'data': { 'a': 'int', 'b': 'str' } }
    """
    yield from ctx.problems("duplicate-key")


@rule("Q104", "top-level-not-object", context="module", severity="error", qemu_rejects=True)
def top_level_not_object(ctx: ModuleContext) -> Iterator[Finding]:
    """Flags a top-level expression that is a string, list or boolean.

    Why: every QAPI definition and directive is an object; QEMU stops with
    "top-level expression must be an object".

    Example::

        'Foo'

    Use instead::

        { 'struct': 'Foo', 'data': {} }
    """
    yield from ctx.problems("top-level-not-object")


@rule("Q105", "invalid-include", context="module", severity="error", qemu_rejects=True)
def invalid_include(ctx: ModuleContext) -> Iterator[Finding]:
    """Flags an ``include`` directive with other keys or a non-string value.

    Why: QEMU rejects both ("invalid 'include' directive", "value of
    'include' must be a string"); an include names exactly one file.

    Example::

        { 'include': 'common.json', 'if': 'CONFIG_FOO' }

    Use instead::

        { 'include': 'common.json' }
    """
    yield from ctx.problems("bad-include")


@rule("Q106", "invalid-pragma", context="module", severity="error", qemu_rejects=True)
def invalid_pragma(ctx: ModuleContext) -> Iterator[Finding]:
    """Flags a ``pragma`` directive with other keys or a non-object value.

    Why: QEMU rejects both ("invalid 'pragma' directive", "value of 'pragma'
    must be an object").

    Example::

        { 'pragma': 'doc-required' }

    Use instead::

        { 'pragma': { 'doc-required': true } }
    """
    yield from ctx.problems("bad-pragma")


@rule("Q107", "include-unreadable", context="module", severity="error", qemu_rejects=True)
def include_unreadable(ctx: ModuleContext) -> Iterator[Finding]:
    """Flags an include whose file is missing, unreadable or a directory.

    Why: QEMU stops with "can't read include file". Include paths are
    relative to the file that holds the directive, not to the build folder.

    Example::

        { 'include': 'qapi/common.json' }

    Use instead::

        { 'include': 'common.json' }
    """
    yield from ctx.problems("include-read")


@rule("Q108", "include-loop", context="module", severity="error", qemu_rejects=True)
def include_loop(ctx: ModuleContext) -> Iterator[Finding]:
    """Flags an include of a file that is still being read: a loop.

    Why: QEMU rejects it ("inclusion loop for x.json") at the directive that
    closes the loop. Including an already read file elsewhere is fine.

    Example::

        # in block.json, itself included by block-core.json
        { 'include': 'block-core.json' }

    Use instead::

        # include block-core.json from the root schema only
        { 'include': 'common.json' }
    """
    yield from ctx.problems("include-loop")


@rule("Q109", "include-outside-tree", context="module", severity="error", qemu_rejects=True)
def include_outside_tree(ctx: ModuleContext) -> Iterator[Finding]:
    """Flags an include that resolves outside the source tree; it is not read.

    Why: a schema includes files of its own tree. Refusing anything else
    keeps a patch from making CI read, and print, some other file.

    Example::

        { 'include': '../../../etc/passwd' }

    Use instead::

        { 'include': '../../qapi/common.json' }
    """
    yield from ctx.problems("include-outside")


@rule("Q110", "unknown-pragma", context="module", severity="error", qemu_rejects=True)
def unknown_pragma(ctx: ModuleContext) -> Iterator[Finding]:
    """Flags a pragma other than the five QEMU knows.

    Why: QEMU rejects it ("unknown pragma 'x'"). The five are
    ``doc-required``, ``command-name-exceptions``,
    ``command-returns-exceptions``, ``documentation-exceptions`` and
    ``member-name-exceptions``.

    Example::

        { 'pragma': { 'docs-required': true } }

    Use instead::

        { 'pragma': { 'doc-required': true } }
    """
    yield from ctx.problems("unknown-pragma")


@rule("Q111", "pragma-value-type", context="module", severity="error", qemu_rejects=True)
def pragma_value_type(ctx: ModuleContext) -> Iterator[Finding]:
    """Flags a pragma value of the wrong type.

    Why: QEMU rejects it: ``doc-required`` takes a boolean, the four
    exception pragmas a list of strings.

    Example::

        { 'pragma': { 'member-name-exceptions': 'ACPIOSTInfo' } }

    Use instead::

        { 'pragma': { 'member-name-exceptions': [ 'ACPIOSTInfo' ] } }
    """
    yield from ctx.problems("pragma-type")


@rule("Q112", "nesting-too-deep", context="module", severity="error", qemu_rejects=True)
def nesting_too_deep(ctx: ModuleContext) -> Iterator[Finding]:
    """Flags an expression nested more than 64 levels deep.

    Why: QAPI never needs more than a handful of levels; such input is
    garbage or an attack, and qapilint does not read it any further.

    Example::

        { 'struct': 'Foo', 'data': [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[ ...

    Use instead::

        { 'struct': 'Foo', 'data': { 'list': [ 'int' ] } }
    """
    yield from ctx.problems("too-deep")


@rule("Q113", "too-many-problems", context="module", severity="error", qemu_rejects=True)
def too_many_problems(ctx: ModuleContext) -> Iterator[Finding]:
    """Flags a file with more than 100 parse problems; the rest are not shown.

    Why: past a hundred, the input is usually not a QAPI schema at all (a
    binary or a wrong file), and more findings would only bury the first.

    Example::

        \\x7fELF\\x02\\x01\\x01 ... (a binary given as a schema)

    Use instead::

        { 'include': 'common.json' }
    """
    yield from ctx.problems("too-many-problems")


@rule("Q114", "doc-comment-delimiter", context="module", severity="error", qemu_rejects=True)
def doc_comment_delimiter(ctx: ModuleContext) -> Iterator[Finding]:
    """Flags a doc block whose ``##`` lines carry more text, or a doc line
    without the space after ``#``.

    Why: QEMU rejects both ("junk after '##' at start of documentation
    comment", "missing space after #"): a doc block is delimited by lines
    that are exactly ``##``, and every line between starts ``# `` or is a
    bare ``#``.

    Example::

        ## Frobnicate the foo
        #@foo:
        ##

    Use instead::

        ##
        # @foo:
        #
        # Frobnicate the foo.
        ##
    """
    yield from ctx.problems("doc-delimiter")


@rule("Q115", "doc-comment-unterminated", context="module", severity="error", qemu_rejects=True)
def doc_comment_unterminated(ctx: ModuleContext) -> Iterator[Finding]:
    """Flags a doc block that ends without its closing ``##`` line.

    Why: QEMU stops with "documentation comment must end with '##'" at the
    first line that is not a comment.

    Example::

        ##
        # @foo:
        #
        # Frobnicate the foo.
        { 'command': 'foo' }

    Use instead::

        ##
        # @foo:
        #
        # Frobnicate the foo.
        ##
        { 'command': 'foo' }
    """
    yield from ctx.problems("doc-unterminated")


@rule("Q116", "doc-comment-placement", context="module", severity="error", qemu_rejects=True)
def doc_comment_placement(ctx: ModuleContext) -> Iterator[Finding]:
    """Flags a definition doc not followed by its definition, and a
    free-form doc block directly before a definition.

    Why: QEMU rejects both ("documentation for 'x' is not followed by the
    definition", "definition documentation required"). A block starting
    ``# @NAME:`` documents the definition right after it; any other block
    is free-form text and may not stand in for it.

    Example::

        ##
        # Frobnicate the foo.
        ##
        { 'command': 'foo' }

    Use instead::

        ##
        # @foo:
        #
        # Frobnicate the foo.
        ##
        { 'command': 'foo' }
    """
    yield from ctx.problems("doc-placement")


@rule("Q117", "invalid-utf8", context="module", severity="error", qemu_rejects=True)
def invalid_utf8(ctx: ModuleContext) -> Iterator[Finding]:
    """Flags a file that is not valid UTF-8.

    Why: QEMU reads schemas as UTF-8 and fails on anything else. qapilint
    reads on with the bad bytes replaced, so later findings still appear.

    Example::

        # Caf\\xe9 (a Latin-1 byte)

    Use instead::

        # Café (saved as UTF-8)
    """
    yield from ctx.problems("encoding")


@rule("Q118", "byte-order-mark", context="module", severity="error", qemu_rejects=True)
def byte_order_mark(ctx: ModuleContext) -> Iterator[Finding]:
    """Flags a UTF-8 byte order mark at the start of a file.

    Why: QEMU does not skip it: its parser stops at the first character with
    "stray '\\ufeff'". Some Windows editors add the mark when saving as UTF-8.

    Example::

        \\ufeff{ 'include': 'common.json' }

    Use instead::

        { 'include': 'common.json' }
    """
    yield from ctx.problems("bom")
