"""Plain slotted classes that compare, print and copy themselves field by
field, the way a dataclass does.

The ``dataclass`` decorator writes each class's methods as source text and
compiles it when the module is imported: about a millisecond a class, paid
at every start of the command for the dozens of classes a check imports.
A class deriving from :class:`Record` writes its own ``__init__`` and
lists its fields, in order, in ``__slots__``; these methods read them from
there.

:class:`TupleRecord` is the same for named tuples: ``typing.NamedTuple``
compiles source text too (the ``__new__`` it writes, and with postponed
annotations every field's type, each a forward reference compiled on its
own), and the first compilation of a process sets up the compiler's
syntax-tree types: a fifth of a MiB, all for classes made at every start.
"""

from __future__ import annotations

# the field reader collections.namedtuple gives its own fields (in C where
# CPython has it): the fastest attribute read a tuple can have
from collections import _tuplegetter  # type: ignore[attr-defined]
from typing import Any, ClassVar, TypeVar


class Record:
    """Equality, ``repr`` and :meth:`replace` over the fields of
    ``__slots__``, as a dataclass with ``eq=True`` has them (and, like it,
    not hashable)."""

    __slots__: tuple[str, ...] = ()

    def _values(self) -> tuple[Any, ...]:
        return tuple(getattr(self, name) for name in self.__slots__)

    def __eq__(self, other: object) -> bool:
        if other.__class__ is not self.__class__:
            return NotImplemented
        assert isinstance(other, Record)
        return self._values() == other._values()

    __hash__ = None  # type: ignore[assignment]  # equal by value and mutable

    def __repr__(self) -> str:
        shown = ", ".join(f"{name}={getattr(self, name)!r}" for name in self.__slots__)
        return f"{self.__class__.__qualname__}({shown})"

    def replace(self: _R, **changes: Any) -> _R:
        """A copy with the fields named in ``changes`` set to their values."""
        unknown = changes.keys() - set(self.__slots__)
        if unknown:
            raise TypeError(f"{self.__class__.__name__} has no field {min(unknown)!r}")
        copy = object.__new__(self.__class__)
        for name in self.__slots__:
            object.__setattr__(copy, name, changes.get(name, getattr(self, name)))
        return copy


class FrozenRecord(Record):
    """A :class:`Record` whose fields cannot be set once made (its
    ``__init__`` sets them with ``object.__setattr__``), hashable by value
    like a frozen dataclass."""

    __slots__ = ()

    def __setattr__(self, name: str, value: object) -> None:
        raise AttributeError(f"cannot assign to field {name!r} of a frozen {type(self).__name__}")

    def __delattr__(self, name: str) -> None:
        raise AttributeError(f"cannot delete field {name!r} of a frozen {type(self).__name__}")

    def __hash__(self) -> int:  # type: ignore[override]  # Record's is None
        return hash(self._values())

    def __reduce__(self) -> tuple[Any, ...]:
        # copy and pickle set a slotted object's fields with setattr, which
        # a frozen record refuses: they rebuild it from its values instead
        return (_rebuilt, (self.__class__, self._values()))


# after the class, so that the bound is the class (a name in a string would
# be compiled)
_R = TypeVar("_R", bound=Record)


def _rebuilt(cls: type[_R], values: tuple[Any, ...]) -> _R:
    made = object.__new__(cls)
    for name, value in zip(cls.__slots__, values, strict=True):
        object.__setattr__(made, name, value)
    return made


class TupleRecord(tuple[Any, ...]):
    """A named tuple made without compiling anything: a subclass annotates
    its fields, in order (and annotates nothing else), and writes its own
    ``__new__``, which makes the tuple with ``tuple.__new__(cls, (field,
    ...))`` as the one ``NamedTuple`` writes does; each field is read by
    position, as a named tuple's is. A tuple in every other way: compared, hashed, ordered and
    unpacked as one, with ``repr``, ``_fields``, ``_replace`` and
    ``_asdict`` like a named tuple's.

    Give every subclass ``__slots__ = ()``, as a named tuple has, or its
    instances get a ``__dict__`` each."""

    __slots__ = ()
    _fields: ClassVar[tuple[str, ...]] = ()

    def __init_subclass__(cls, **kwargs: Any) -> None:
        super().__init_subclass__(**kwargs)
        written = vars(cls).get("__annotations__")
        if written is None:  # annotations made on first use (Python 3.14, not postponed)
            written = cls.__annotations__
        own = tuple(written)
        if own:
            cls._fields = cls._fields + own
            for index, name in enumerate(cls._fields):
                setattr(cls, name, _tuplegetter(index, f"field {index}: {name}"))

    def __repr__(self) -> str:
        pairs = zip(self._fields, self, strict=True)
        shown = ", ".join(f"{name}={value!r}" for name, value in pairs)
        return f"{self.__class__.__qualname__}({shown})"

    def _asdict(self) -> dict[str, Any]:
        return dict(zip(self._fields, self, strict=True))

    def _replace(self: _T, **changes: Any) -> _T:
        """A copy with the fields named in ``changes`` set to their values."""
        unknown = changes.keys() - set(self._fields)
        if unknown:
            raise TypeError(f"{self.__class__.__name__} has no field {min(unknown)!r}")
        values = [changes.get(name, value) for name, value in zip(self._fields, self, strict=True)]
        return tuple.__new__(self.__class__, values)

    def __getnewargs__(self) -> tuple[Any, ...]:
        # copy and pickle make the tuple again through __new__, with its values
        return tuple(self)


_T = TypeVar("_T", bound=TupleRecord)  # after the class: see _R
