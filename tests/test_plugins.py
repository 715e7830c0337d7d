"""Rules from other distributions, through the ``qapilint.rules`` entry
point group, found whether or not such a distribution is installed."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from qapilint.lint import engine
from qapilint.lint.engine import ENTRY_POINT_GROUP, load_rules

PLUGIN = textwrap.dedent(
    '''
    from qapilint.lint.rule import rule


    @rule("X901", "plugin-rule", context="doc", severity="info")
    def plugin_rule(ctx):
        """Flags nothing.

        Why: a test plugin.
        """
        return iter(())
    '''
)


def install_plugin(site: Path, group: str = ENTRY_POINT_GROUP) -> None:
    """A distribution in ``site`` declaring one rule module in ``group``."""
    (site / "qapilint_test_plugin.py").write_text(PLUGIN)
    info = site / "qapilint_test_plugin-1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text("Metadata-Version: 2.1\nName: qapilint-test-plugin\n")
    (info / "entry_points.txt").write_text(f"[{group}]\ntest = qapilint_test_plugin\n")


def test_a_plugin_rule_is_loaded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    install_plugin(tmp_path)
    monkeypatch.syspath_prepend(str(tmp_path))
    assert engine._may_declare(ENTRY_POINT_GROUP)
    codes = {found.code for found in load_rules()}
    assert "X901" in codes and "Q101" in codes


def test_other_groups_are_not_plugins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    install_plugin(tmp_path, group="console_scripts")
    monkeypatch.syspath_prepend(str(tmp_path))
    assert "X901" not in {found.code for found in load_rules()}


def test_no_plugin_installed_is_seen_without_importlib_metadata(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.path", [str(tmp_path)])
    assert not engine._may_declare(ENTRY_POINT_GROUP)
    assert engine.plugin_rule_modules() == []


def test_a_zip_on_sys_path_is_looked_into(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    archive = tmp_path / "plugins.zip"
    archive.write_bytes(b"PK\x05\x06" + b"\0" * 18)  # an empty zip archive
    monkeypatch.setattr("sys.path", [str(archive)])
    assert engine._may_declare(ENTRY_POINT_GROUP)
