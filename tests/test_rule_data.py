"""The rules' TOML data files, kept in the cache folder as marshal data."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest
from qapilint.rules import _data


@pytest.fixture
def data_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A copy of the package's data files and a cache folder of its own."""
    folder = tmp_path / "rules"
    folder.mkdir()
    for name in ("wording.toml", "structure.toml"):
        shutil.copy(Path(_data.__file__).parent / name, folder / name)
    monkeypatch.setattr(_data, "_HERE", str(folder))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    return folder


def test_a_second_read_needs_no_toml_parser(
    data_folder: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _data.load_toml("structure.toml")
    assert first
    monkeypatch.setitem(sys.modules, "tomllib", None)  # importing it now fails
    assert _data.load_toml("structure.toml") == first


def test_an_edited_file_is_read_again(data_folder: Path) -> None:
    _data.load_toml("structure.toml")
    path = data_folder / "structure.toml"
    path.write_text("answer = 42\n")
    os.utime(path, ns=(1, 1))  # a stamp unlike the first one whatever the clock says
    assert _data.load_toml("structure.toml") == {"answer": 42}


def test_a_damaged_copy_is_made_anew(data_folder: Path, tmp_path: Path) -> None:
    first = _data.load_toml("wording.toml")
    (copy,) = (tmp_path / "cache" / "qapilint").glob("data-wording.toml-*.marshal")
    copy.write_bytes(b"\x00garbage")
    assert _data.load_toml("wording.toml") == first
    assert copy.read_bytes() != b"\x00garbage"


def test_each_installation_keeps_a_copy_of_its_own(
    data_folder: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    first = _data.load_toml("structure.toml")
    other = tmp_path / "other-installation"
    shutil.copytree(data_folder, other)
    monkeypatch.setattr(_data, "_HERE", str(other))
    assert _data.load_toml("structure.toml") == first
    copies = sorted((tmp_path / "cache" / "qapilint").glob("data-structure.toml-*.marshal"))
    assert len(copies) == 2  # neither replaced the other's
    monkeypatch.setitem(sys.modules, "tomllib", None)  # both read from their copies now
    assert _data.load_toml("structure.toml") == first
    monkeypatch.setattr(_data, "_HERE", str(data_folder))
    assert _data.load_toml("structure.toml") == first
