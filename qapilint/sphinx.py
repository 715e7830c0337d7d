"""A Sphinx extension: qapilint's findings as warnings of a docs build.

In ``conf.py``::

    extensions = ["qapilint.sphinx"]
    qapilint_schemas = ["../qapi/qapi-schema.json"]  # relative to conf.py
    qapilint_select = ["W", "F"]  # optional: the rules to run (default: configured)
    qapilint_ignore = ["W301"]  # optional

When the builder starts, qapilint checks the schemas as ``qapilint check``
would (a configuration file found from them is read) and each finding
becomes a Sphinx warning at the ``.json`` file and line, so a build run
with ``-W`` fails where qapilint points. Each warning has the type
``qapilint`` and the rule's code as subtype: ``suppress_warnings =
["qapilint.W301"]`` hides one rule's findings.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from sphinx.application import Sphinx
from sphinx.errors import ExtensionError
from sphinx.util import logging

from qapilint import __version__
from qapilint.files import regexes
from qapilint.lint.check import CheckError, CheckOptions, run_check

logger = logging.getLogger(__name__)


def _codes(value: object, name: str) -> list[str] | None:
    if value is None:
        return None
    if isinstance(value, str):
        return [part.strip() for part in value.split(",") if part.strip()]
    if isinstance(value, list | tuple) and all(isinstance(item, str) for item in value):
        return list(value)
    raise ExtensionError(f"{name}: expected a list of rule codes, got {value!r}")


def lint_schemas(app: Sphinx) -> None:
    """Check ``qapilint_schemas`` and warn once per finding."""
    config = app.config
    schemas = config.qapilint_schemas
    if isinstance(schemas, str):
        schemas = [schemas]
    if not schemas:
        return
    paths = [Path(app.confdir, schema) for schema in schemas]
    options = CheckOptions(
        paths=paths,
        select=_codes(config.qapilint_select, "qapilint_select"),
        ignore=_codes(config.qapilint_ignore, "qapilint_ignore") or [],
    )
    try:
        result = run_check(options)
    except CheckError as error:
        raise ExtensionError(f"qapilint: {error}") from error
    finally:
        regexes.save()  # the patterns compiled anew, for the next build
    for note in result.settings.warnings:
        logger.warning("qapilint: %s", note, type="qapilint")
    for finding in result.findings:
        path = finding.path or paths[0]
        logger.warning(
            "%s %s (%s)",
            finding.code,
            finding.message,
            finding.name,
            location=f"{path}:{finding.span.line}",
            type="qapilint",
            subtype=finding.code,
        )


def setup(app: Sphinx) -> dict[str, Any]:
    app.add_config_value("qapilint_schemas", [], "env", types=[list, str])
    app.add_config_value("qapilint_select", None, "env", types=[list, str, type(None)])
    app.add_config_value("qapilint_ignore", [], "env", types=[list, str])
    app.connect("builder-inited", lint_schemas)
    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
