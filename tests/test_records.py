"""Record and FrozenRecord: dataclass-like equality, repr and copies."""

from __future__ import annotations

import copy
import pickle

import pytest

from qapilint.files.records import FrozenRecord, Record


class Point(Record):
    __slots__ = ("x", "y")

    def __init__(self, x: int, y: list[int]) -> None:
        self.x = x
        self.y = y


class Frozen(FrozenRecord):
    __slots__ = ("a", "b")
    a: int
    b: str

    def __init__(self, a: int, b: str) -> None:
        object.__setattr__(self, "a", a)
        object.__setattr__(self, "b", b)


class OtherPoint(Point):
    __slots__ = ()


def test_equal_by_fields_and_class() -> None:
    assert Point(1, [2]) == Point(1, [2])
    assert Point(1, [2]) != Point(1, [3])
    assert Point(1, [2]) != OtherPoint(1, [2])
    assert Point(1, [2]) != (1, [2])


def test_a_record_is_not_hashable_but_a_frozen_one_is() -> None:
    with pytest.raises(TypeError):
        hash(Point(1, []))
    assert hash(Frozen(1, "b")) == hash(Frozen(1, "b"))
    assert len({Frozen(1, "b"), Frozen(1, "b"), Frozen(2, "b")}) == 2


def test_repr_names_the_fields() -> None:
    assert repr(Point(1, [2])) == "Point(x=1, y=[2])"
    assert repr(Frozen(1, "b")) == "Frozen(a=1, b='b')"


def test_replace_copies_with_changes() -> None:
    first = Point(1, [2])
    second = first.replace(x=5)
    assert second == Point(5, [2]) and first == Point(1, [2])
    assert second.y is first.y  # a shallow copy, as dataclasses.replace makes
    assert Frozen(1, "b").replace(b="c") == Frozen(1, "c")
    with pytest.raises(TypeError, match="no field 'z'"):
        first.replace(z=1)


def test_frozen_fields_cannot_be_set_or_deleted() -> None:
    frozen = Frozen(1, "b")
    with pytest.raises(AttributeError):
        frozen.a = 2  # type: ignore[misc]  # the point
    with pytest.raises(AttributeError):
        del frozen.b
    assert frozen == Frozen(1, "b")


def test_records_copy_and_pickle() -> None:
    frozen = Frozen(1, "b")
    assert copy.copy(frozen) == frozen
    assert copy.deepcopy(frozen) == frozen
    assert pickle.loads(pickle.dumps(frozen)) == frozen
    point = Point(1, [2])
    assert copy.deepcopy(point) == point and copy.deepcopy(point).y is not point.y
