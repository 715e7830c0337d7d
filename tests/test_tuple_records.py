"""TupleRecord: named tuples made without compiling anything."""

from __future__ import annotations

import copy
import pickle
import subprocess
import sys

import pytest

from qapilint.files.records import TupleRecord


class Point(TupleRecord):
    __slots__ = ()
    x: int
    y: int
    label: str | None

    def __new__(cls, x: int, y: int, label: str | None = None) -> Point:
        return tuple.__new__(cls, (x, y, label))


class Marked(Point):
    __slots__ = ()
    mark: str

    def __new__(cls, x: int, y: int, label: str | None, mark: str) -> Marked:
        return tuple.__new__(cls, (x, y, label, mark))


def test_fields_are_the_annotations_in_order() -> None:
    point = Point(1, 2, "a")
    assert Point._fields == ("x", "y", "label")
    assert (point.x, point.y, point.label) == (1, 2, "a")
    assert Point(3, 4).label is None


def test_a_tuple_in_every_other_way() -> None:
    point = Point(1, 2)
    assert point == (1, 2, None)
    assert hash(point) == hash((1, 2, None))
    assert Point(1, 2) < Point(1, 3)
    x, y, label = point
    assert (x, y, label) == (1, 2, None)
    assert not hasattr(point, "__dict__")


def test_repr_replace_and_asdict_as_a_named_tuple() -> None:
    point = Point(1, 2, "a")
    assert repr(point) == "Point(x=1, y=2, label='a')"
    moved = point._replace(y=5)
    assert moved == Point(1, 5, "a")
    assert type(moved) is Point
    assert point._asdict() == {"x": 1, "y": 2, "label": "a"}
    with pytest.raises(TypeError, match="no field 'z'"):
        point._replace(z=1)


def test_a_subclass_adds_fields_after_its_base() -> None:
    marked = Marked(1, 2, None, "m")
    assert Marked._fields == ("x", "y", "label", "mark")
    assert (marked.x, marked.mark) == (1, "m")
    assert Point._fields == ("x", "y", "label")


def test_copy_and_pickle_keep_the_class_and_values() -> None:
    point = Point(1, 2, "a")
    for again in (copy.copy(point), copy.deepcopy(point), pickle.loads(pickle.dumps(point))):
        assert again == point
        assert type(again) is Point


def test_making_a_class_compiles_nothing() -> None:
    # typing.NamedTuple would compile its __new__ and, with postponed
    # annotations, each field's type
    probe = (
        "from __future__ import annotations\n"
        "import sys\n"
        "from qapilint.files.records import TupleRecord\n"
        "compiled = []\n"
        "sys.addaudithook(lambda event, args: compiled.append(args[0])"
        " if event == 'compile' else None)\n"
        "class Pair(TupleRecord):\n"
        "    __slots__ = ()\n"
        "    first: int | None\n"
        "    second: tuple[str, ...]\n"
        "    def __new__(cls, first, second):\n"
        "        return tuple.__new__(cls, (first, second))\n"
        "print(Pair(1, ('a',)).second, len(compiled))\n"
    )
    shown = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=True
    ).stdout
    assert shown.split() == ["('a',)", "0"]
