"""The Sphinx extension ``qapilint.sphinx``, run by a real ``sphinx-build``
on a tiny project: each finding a warning at the ``.json`` file and line."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

pytest.importorskip("sphinx")

LONG = "Empty the rain gauge, so that it measures from zero again from now on."
# "# " and the text: 72 columns, past the limit

SCHEMA = """\
##
# @rain-gauge-empty:
#
# {text}
#
# Since: 9.2
##
{{ 'command': 'rain-gauge-empty' }}
"""


def _project(tmp_path: Path, text: str, extra: str = "") -> Path:
    (tmp_path / "qapi").mkdir()
    (tmp_path / "qapi" / "gauge.json").write_text(SCHEMA.format(text=text), encoding="utf-8")
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "conf.py").write_text(
        'project = "gauge"\n'
        'extensions = ["qapilint.sphinx"]\n'
        'qapilint_schemas = ["../qapi/gauge.json"]\n' + extra,
        encoding="utf-8",
    )
    (docs / "index.rst").write_text("Gauge\n=====\n\nThe rain gauge.\n", encoding="utf-8")
    return docs


def _build(
    docs: Path, *flags: str, environment: dict[str, str] | None = None
) -> subprocess.CompletedProcess[str]:
    found = Path(sys.executable).parent / "sphinx-build"
    command = [str(found)] if found.exists() else [shutil.which("sphinx-build") or "sphinx-build"]
    return subprocess.run(
        # --no-color: Sphinx colours its warnings where the environment asks
        # for colour (CI runners often do), whatever the terminal
        [*command, "-q", "--no-color", "-b", "text", *flags, str(docs), str(docs / "_build")],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
        env=environment,
    )


def test_a_finding_is_a_warning_at_the_json_line(tmp_path: Path) -> None:
    docs = _project(tmp_path, LONG)
    built = _build(docs)
    assert built.returncode == 0, built.stderr
    schema = tmp_path / "qapi" / "gauge.json"
    assert built.stderr.splitlines() == [
        f"{schema}:4: WARNING: Q181 documentation line longer than 70 characters (72) "
        "(doc-line-too-long) [qapilint.Q181]"
    ]


def test_suppress_warnings_hides_a_rule(tmp_path: Path) -> None:
    docs = _project(tmp_path, LONG, 'suppress_warnings = ["qapilint.Q181"]\n')
    built = _build(docs, "-W")
    assert (built.returncode, built.stderr) == (0, "")


def test_w_makes_the_build_fail(tmp_path: Path) -> None:
    built = _build(_project(tmp_path, LONG), "-W")
    assert built.returncode != 0
    assert "gauge.json:4:" in built.stderr


def test_a_clean_schema_builds_with_exit_0(tmp_path: Path) -> None:
    built = _build(_project(tmp_path, "Empty the rain gauge."), "-W")
    assert (built.returncode, built.stderr) == (0, "")


def test_select_limits_the_rules(tmp_path: Path) -> None:
    docs = _project(tmp_path, LONG, 'qapilint_select = ["S"]\n')
    built = _build(docs, "-W")
    assert (built.returncode, built.stderr) == (0, "")


def test_a_missing_schema_fails_the_build(tmp_path: Path) -> None:
    docs = _project(tmp_path, LONG, 'qapilint_schemas = ["../qapi/nowhere.json"]\n')
    built = _build(docs)
    assert built.returncode != 0
    assert "nowhere.json" in built.stderr


def test_a_build_keeps_the_patterns_it_compiled_for_the_next(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    built = _build(
        _project(tmp_path, LONG), environment={**os.environ, "XDG_CACHE_HOME": str(cache)}
    )
    assert built.returncode == 0, built.stderr
    assert list((cache / "qapilint").glob("regexes-*.marshal"))  # as the command keeps them
