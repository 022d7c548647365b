"""A fast way from parsed JSON to records, for files of a million records.

:class:`Structurer` reads a record's JSON value field by field, each as its
:class:`~conflictmodel.spec.Kind` says, and builds nested values and the record through their
own constructors, so every converter, validator and rule of each class runs. It serves every
registered record and statement type, plug-ins included, and names no field: what it reads
comes from :func:`~conflictmodel.spec.fields_of`.

It is faster than the converter because it skips cattrs' generic dispatch and because equal
values are read and built once per load and then shared (they are frozen): references and
tuples of them, spans, and each nested value (an estimate, a casualty entry, a statement)
by its JSON text, which also saves memory. It accepts only what the converter accepts, and
builds an equal record; on anything else (a missing or unknown key, a value of another JSON
type, a field of a kind it does not read, a value the class refuses) it returns ``None`` and
the caller takes the converter's path, which reports the problem as usual.

>>> import conflictmodel as cm
>>> structurer = Structurer()
>>> event = structurer({"type": "engagement", "id": "a", "when": "2020-02-03", "kind": "attack",
...     "initiators": ["syrian-army"], "targets": ["turkish-army"],
...     "casualties": [{"actor": "turkish-army", "killed": {"low": 8, "best": 8, "high": 8}}]})
>>> event == cm.Engagement(id="a", when="2020-02-03", kind="attack",
...     initiators=["syrian-army"], targets=["turkish-army"],
...     casualties=[cm.Casualties("turkish-army", killed=8)])
True
>>> again = structurer({"type": "engagement", "id": "b", "when": "2020-02-03", "kind": "attack",
...     "initiators": [], "targets": ["turkish-army"],
...     "casualties": [{"actor": "turkish-army", "killed": {"low": 8, "best": 8, "high": 8}}]})
>>> again.when is event.when, again.casualties[0] is event.casualties[0]
(True, True)
>>> structurer({"type": "engagement", "id": "a", "when": "2020-13"}) is None
True
"""

from __future__ import annotations

import datetime
import enum
import functools
import marshal
import math
import operator
import types
from collections import deque
from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import repeat
from typing import TYPE_CHECKING, Any, Generic, NoReturn, TypeVar, cast

import attrs
from immutabledict import immutabledict

from conflictmodel import registry
from conflictmodel._converter import structure_span
from conflictmodel.claims import Statement
from conflictmodel.records import Record
from conflictmodel.spec import FieldSpec, Kind, fields_of
from conflictmodel.timespans import TimeSpan, when

if TYPE_CHECKING:
    from numpy.typing import NDArray

T = TypeVar("T")

Reader = Callable[[Any], Any]
"""Reads one field's JSON value as the converter would, or raises :class:`_Refused`."""


class _Refused(Exception):
    """The value is not one this path builds; the converter's path decides."""


_REFUSED = _Refused()

ABSENT: Any = type("Absent", (), {"__repr__": lambda self: "ABSENT"})()
"""Stands for a field an object leaves out, for :meth:`Structurer.field_reader`."""
_EMPTY_MAPPING: immutabledict[str, str] = immutabledict()


def _refuse(value: object) -> NoReturn:
    """The reader of a kind this path leaves to the converter."""
    raise _REFUSED


def _string(value: object) -> str:
    if type(value) is not str:
        raise _REFUSED
    return value


def _bool(value: object) -> bool:
    if type(value) is not bool:
        raise _REFUSED
    return value


def _int(value: object) -> int:
    if type(value) is not int:
        raise _REFUSED
    return value


def _float(value: object) -> float:
    """A finite number, as a float."""
    if type(value) is int:
        return float(value)
    if type(value) is not float or not math.isfinite(value):
        raise _REFUSED
    return value


def _member_reader(kind: type[enum.Enum]) -> Reader:
    """Reads a member of ``kind`` from its value, as the converter does for a str or int."""
    members: dict[object, enum.Enum] = {}
    for member in kind:
        if type(member.value) not in (str, int):
            return _refuse
        members[member.value] = member

    def read_member(value: object) -> enum.Enum:
        if type(value) is not str and type(value) is not int:
            raise _REFUSED
        return members[value]

    return read_member


def _tuple_reader(read_item: Reader) -> Reader:
    def read_tuple(value: object) -> tuple[Any, ...]:
        if type(value) is not list:
            raise _REFUSED
        return tuple([read_item(item) for item in value])

    return read_tuple


def _getter(names: tuple[str, ...]) -> Callable[[dict[str, Any]], tuple[Any, ...]]:
    """The values of ``names`` in an object, as a tuple (a ``KeyError`` if one is missing)."""
    if len(names) == 1:
        name = names[0]
        return lambda value: (value[name],)
    if not names:
        return lambda value: ()
    return operator.itemgetter(*names)


def default_maker(attribute: attrs.Attribute[Any]) -> Callable[[], Any] | None:
    """What makes ``attribute``'s default when no argument is given, as attrs' ``__init__``
    does (a factory is called each time); ``None`` when it has no default, or a factory that
    reads the instance.

    >>> import conflictmodel as cm
    >>> default_maker(attrs.fields(cm.Event).sources)(), default_maker(attrs.fields(cm.Event).id)
    ((), None)
    """
    default: Any = attribute.default
    if default is attrs.NOTHING:
        return None
    if isinstance(default, attrs.Factory):  # type: ignore[arg-type]  # a class; typed as a function
        return None if default.takes_self else default.factory
    return lambda: default


def field_check(cls: type, attribute: attrs.Attribute[Any]) -> Callable[[object], Any]:
    """What ``cls``'s constructor makes of one argument for ``attribute`` (:data:`ABSENT`
    when it is not given): its default, then the field's own converter and validator, as
    attrs' ``__init__`` runs them; the validator sees a stand-in instance, so a refusal may
    name the class without the record. A class with rules across its fields (an
    ``__attrs_post_init__`` or ``__attrs_pre_init__``) or a converter or default that reads the
    instance raises :class:`_Refused`: its fields cannot be checked one by one.

    >>> import conflictmodel as cm
    >>> check = field_check(cm.Event, attrs.fields(cm.Event).sources)
    >>> check(["a", "b"]), check(ABSENT)
    (('a', 'b'), ())
    """
    if hasattr(cls, "__attrs_post_init__") or hasattr(cls, "__attrs_pre_init__"):
        raise _REFUSED
    make = default_maker(attribute)
    converter, validator = attribute.converter, attribute.validator
    reads_instance = make is None and attribute.default is not attrs.NOTHING
    if isinstance(converter, attrs.Converter) or reads_instance:
        raise _REFUSED
    stand_in: object = object.__new__(cls)

    def check(value: object) -> Any:
        if value is ABSENT:
            if make is None:
                raise _REFUSED
            value = make()
        if converter is not None:
            value = converter(value)
        if validator is not None:
            validator(stand_in, attribute, value)
        return value

    return check


def _immutable(value: object) -> bool:
    """Whether ``value`` cannot change: a str, number, bool, None, enum member, date or time,
    or a tuple, frozenset, immutable mapping or frozen attrs value that hashes (so holds no
    list, dict or set)."""
    kind = type(value)
    if kind in _SCALARS or isinstance(value, _IMMUTABLE_KINDS):
        return True
    if kind is immutabledict:
        items = cast(immutabledict[Any, Any], value).values()
        if set(map(type, items)) <= _SCALARS:
            return True
        value = tuple(items)
    elif not (kind in _CONTAINERS or (attrs.has(kind) and kind.__setattr__ is _FROZEN_SETATTR)):
        return False
    try:
        hash(value)
    except TypeError:
        return False
    return True


_SCALARS = frozenset({str, int, float, bool, complex, bytes, type(None)})
_CONTAINERS = frozenset({tuple, frozenset, immutabledict})
_IMMUTABLE_KINDS = (enum.Enum, datetime.date, datetime.time, datetime.timedelta, datetime.tzinfo)
_FROZEN_SETATTR = Record.__setattr__
"""The ``__setattr__`` attrs gives every frozen class."""
_MISSING: Any = object()


class Builder(Generic[T]):
    """Builds instances of one attrs class as its constructor does, checking each argument
    once: an argument object met before (the same object, such as a span or a tuple of ids
    an importer shares between rows) is not converted and checked again.

    Its :attr:`build`, called with keyword arguments, gives what ``cls(**arguments)`` gives:
    an equal instance, or the same error, which the constructor itself raises for any
    argument its field's converter or validator refuses (such arguments are never
    remembered). Only arguments that cannot change (:func:`_immutable`) are remembered, and
    an ``id`` (each record its own) not at all. It serves classes whose fields are checked one
    by one, as :func:`field_check` says; for any other, :class:`Builder` raises ``TypeError``.
    One builder serves one import: what it remembers lives as long as it does (it holds no
    reference cycle, so that is until it is dropped).

    >>> import conflictmodel as cm
    >>> from conflictmodel._bulk import Builder
    >>> build, month = Builder(cm.Event).build, "2020-02"
    >>> first = build(id="a", when=month, sources=("sohr",))
    >>> second = build(id="b", when=month, sources=first.sources)
    >>> second == cm.Event(id="b", when="2020-02", sources=("sohr",)), second.when is first.when
    (True, True)
    >>> build(id="c", when="2020-13")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    conflictmodel.errors.ValidationError: Event 'c'.when: cannot read '2020-13' as a time span: ...
    """

    __slots__ = ("_checks", "_cls", "_each", "_kept", "_names", "_remembered", "_setters", "build")

    def __init__(self, cls: type[T]) -> None:
        self._cls = cls
        custom_init = hasattr(cls, "__attrs_init__") or cls.__new__ is not object.__new__
        if not (isinstance(cls, type) and attrs.has(cls)) or custom_init:
            raise TypeError(f"Builder takes an attrs class with its generated __init__: {cls!r}")
        attributes = attrs.fields(cls)
        if not all(a.init and not a.alias.startswith("_") for a in attributes):
            raise TypeError(f"Builder takes a class whose fields are all arguments: {cls!r}")
        try:
            checks = {attribute.alias: field_check(cls, attribute) for attribute in attributes}
        except _Refused:
            raise TypeError(f"Builder takes a class checked field by field: {cls!r}") from None
        unique = {field.name for field in fields_of(cls) if field.kind is Kind.ID}
        self._checks = checks
        self._remembered: dict[str, dict[int, Any]] = {
            a.alias: {} for a in attributes if a.name not in unique
        }
        """Per field whose arguments are remembered: by the ``id`` of an argument, what the
        field made of it."""
        self._each = {a.alias: checks[a.alias] for a in attributes if a.name in unique}
        """The fields whose every argument is checked (an ``id``: each record its own)."""
        self._kept: dict[str, list[object]] = {keyword: [] for keyword in self._remembered}
        """The arguments remembered, kept alive so that their ``id`` stays theirs."""
        self._names = {a.alias: a.name for a in attributes}
        self._setters = {a.alias: _setter(cls, a.name) for a in attributes}
        self.build = self._compile()
        """Builds an instance from keyword arguments, as the class's constructor does."""

    @property
    def cls(self) -> type[T]:
        """The class built."""
        return self._cls

    def build_all(
        self, columns: Mapping[str, Sequence[Any] | Coded], rows: int
    ) -> tuple[list[T | None], dict[int, Exception]]:
        """What :attr:`build` gives for each of ``rows`` calls, the arguments given column by
        column (``columns[keyword][row]``; a keyword left out is left out of every call).

        Gives the instances, and by row the error of each call refused (its instance
        ``None``). Each distinct argument object of a column is checked once (given as
        :class:`Coded`, without reading each row's), and the instances are filled a field at
        a time: for a million rows that is cheaper than a million calls. The arguments are
        not remembered for later calls (most of a column's are often its rows' own).

        >>> import conflictmodel as cm
        >>> from conflictmodel._bulk import Builder
        >>> builder, month = Builder(cm.Event), cm.when("2020-02")
        >>> built, refused = builder.build_all(
        ...     {"id": ["a", "b", " "], "when": [month] * 3, "sources": [("sohr",)] * 3}, 3
        ... )
        >>> built[:2] == [cm.Event(id=i, when=month, sources=("sohr",)) for i in "ab"]
        True
        >>> built[2], refused
        (None, {2: ValidationError("Event ' '.id: must not be empty")})
        """
        checked, refused = self._checked(columns, rows)
        instances: list[Any] = list(map(object.__new__, repeat(self._cls, rows)))
        for keyword, setter in self._setters.items():
            values = checked[keyword]
            listed = values.listed() if isinstance(values, Coded) else values
            deque(map(setter, instances, listed), maxlen=0)
        errors: dict[int, Exception] = {}
        for row in sorted(refused):
            try:
                instances[row] = self.build(**{k: column[row] for k, column in columns.items()})
            except Exception as error:
                instances[row] = None
                errors[row] = error
        return instances, errors

    def checked_all(
        self, columns: Mapping[str, Sequence[Any] | Coded], rows: int
    ) -> tuple[dict[str, list[Any] | Coded], dict[int, Exception]]:
        """What :meth:`build_all` checks, without building the instances: each field's values
        for the ``rows`` calls, by field name (a column given as :class:`Coded` stays coded,
        its distinct arguments checked once), and by row the error of each call the
        constructor refuses (its values are ``None``). For laying the instances out in tables
        without making them.

        >>> import conflictmodel as cm
        >>> from conflictmodel._bulk import Builder
        >>> checked, refused = Builder(cm.Event).checked_all(
        ...     {"id": ["a", " "], "when": ["2020-02", "2020-02"]}, 2
        ... )
        >>> checked["id"], checked["when"][0] == cm.when("2020-02"), checked["sources"]
        (['a', None], True, [(), ()])
        >>> refused
        {1: ValidationError("Event ' '.id: must not be empty")}
        """
        checked, refused = self._checked(columns, rows)
        errors: dict[int, Exception] = {}
        for row in sorted(refused):
            try:
                instance = self.build(**{k: column[row] for k, column in columns.items()})
            except Exception as error:
                errors[row] = error
                continue
            for keyword, name in self._names.items():
                values = checked[keyword]
                if isinstance(values, Coded):
                    values = checked[keyword] = values.listed()
                values[row] = getattr(instance, name)
        return {self._names[k]: values for k, values in checked.items()}, errors

    def _checked(
        self, columns: Mapping[str, Sequence[Any] | Coded], rows: int
    ) -> tuple[dict[str, list[Any] | Coded], set[int]]:
        """Each field's values for the ``rows`` calls, by keyword, and the rows refused."""
        if any(len(column) != rows for column in columns.values()):
            raise ValueError(f"build_all takes columns of {rows} arguments each")
        refused: set[int] = set()
        if columns.keys() - self._checks.keys():
            refused.update(range(rows))
        checked: dict[str, list[Any] | Coded] = {}
        for keyword, check in self._checks.items():
            column = columns.get(keyword)
            if column is None:
                checked[keyword] = [_checked_once(check, ABSENT, refused, rows)] * rows
            elif isinstance(column, Coded):
                checked[keyword] = column.checked(check, refused)
            elif keyword in self._each:
                checked[keyword] = _each_checked(check, column, refused)
            else:
                checked[keyword] = list(_distinct_checked(check, column, refused))
        return checked, refused

    def _compile(self) -> Callable[..., T]:
        """The function that builds an instance, as straight-line code (as attrs writes
        ``__init__``): each argument's value remembered, or else checked (and remembered);
        the constructor's own answer when a field refuses its argument or a keyword is not
        a field's."""
        keywords = list(self._names)
        scope: dict[str, Any] = {
            "_ABSENT": ABSENT,
            "_MISSING": _MISSING,
            "_REFUSED": _REFUSED,
            "_cls": self._cls,
            "_construct": functools.partial(_construct, self._cls),
            "_id": id,
            "_new": object.__new__,
            "_set": _SET,
            "_check": functools.partial(_check, self._checks, self._remembered, self._kept),
        }
        parameters = [f"{keyword}=_ABSENT" for keyword in keywords]
        lines = [
            f"def build({', '.join([*(['*'] if parameters else []), *parameters, '**_unknown'])}):",
            "    try:",
            "        if _unknown:",
            "            raise _REFUSED",
        ]
        for number, keyword in enumerate(keywords):
            if keyword in self._remembered:
                scope[f"_f{number}"] = self._remembered[keyword]
                lines += [
                    f"        _v{number} = _f{number}.get(_id({keyword}), _MISSING)",
                    f"        if _v{number} is _MISSING:",
                    f"            _v{number} = _check({keyword!r}, {keyword})",
                ]
            else:
                scope[f"_f{number}"] = self._each[keyword]
                lines.append(f"        _v{number} = _f{number}({keyword})")
        given = ", ".join(f"{keyword!r}: {keyword}" for keyword in keywords)
        lines += [
            "    except Exception:",
            f"        return _construct({{{given}}}, _unknown)",
            "    _i = _new(_cls)",
        ]
        lines += [
            f"    _set(_i, {self._names[keyword]!r}, _v{number})"
            for number, keyword in enumerate(keywords)
        ]
        lines.append("    return _i")
        exec(compile("\n".join(lines), f"<Builder of {self._cls.__qualname__}>", "exec"), scope)
        built: Callable[..., T] = scope.pop("build")
        return built


def _setter(cls: type, name: str) -> Callable[[Any, Any], None]:
    """Sets field ``name`` of an instance of ``cls`` as ``object.__setattr__`` does: through
    its slot's descriptor, when the class has slots."""
    for owner in cls.__mro__:
        found = vars(owner).get(name)
        if found is not None:
            break
    if isinstance(found, types.MemberDescriptorType):
        setter: Callable[[Any, Any], None] = found.__set__
        return setter
    return lambda instance, value: _SET(instance, name, value)


def numbered(values: NDArray[Any]) -> tuple[NDArray[Any], NDArray[Any]]:
    """Per integer value, a number from 0 for it (equal values, equal numbers: ``numpy.unique``'s
    inverse, by hashing instead of sorting), and for each number where it first comes. Values
    are numbered in the order they first come, so those places increase.

    The values reach pyarrow as a buffer (:func:`arrow_integers`), and the numbers come back as
    one (:func:`dictionary_codes`): ``pyarrow.array`` of a numpy array and ``to_numpy`` would
    import pandas, at 0.3 s.

    >>> import numpy as np
    >>> [part.tolist() for part in numbered(np.array([7, 3, 7, 9]))]
    [[0, 1, 0, 2], [0, 1, 3]]
    """
    import numpy as np

    codes = dictionary_codes(arrow_integers(values).dictionary_encode().indices).astype(np.int64)
    first = np.full(int(codes.max(initial=-1)) + 1, len(codes), dtype=np.int64)
    np.minimum.at(first, codes, np.arange(len(codes)))
    return codes, first


def arrow_integers(values: NDArray[Any]) -> Any:
    """A numpy array of integers as an Arrow ``int64`` array, through its buffer
    (``pyarrow.array`` of a numpy array would import pandas)."""
    import numpy as np
    import pyarrow as pa

    integers = np.ascontiguousarray(values, dtype=np.int64)
    return pa.Array.from_buffers(pa.int64(), len(integers), [None, pa.py_buffer(integers)])


def dictionary_codes(indices: Any) -> NDArray[Any]:
    """The numbers of a dictionary array's indices (which hold no nulls), read from its buffer."""
    import numpy as np

    width, start = f"int{indices.type.bit_width}", indices.offset
    data = np.frombuffer(indices.buffers()[1], dtype=width, count=start + len(indices))
    return data[start:]


class Coded:
    """A column of arguments for :meth:`Builder.build_all` given as its distinct arguments
    and, per row, the number of its own: each distinct one is checked without reading every
    row's.

    >>> import numpy as np
    >>> from conflictmodel._bulk import Coded
    >>> column = Coded(["a", "b"], np.array([1, 1, 0]))
    >>> len(column), column[0]
    (3, 'b')
    """

    __slots__ = ("codes", "distinct")

    def __init__(self, distinct: Sequence[Any] | NDArray[Any], codes: NDArray[Any]) -> None:
        self.distinct = distinct
        self.codes = codes

    def __len__(self) -> int:
        return len(self.codes)

    def __getitem__(self, row: int) -> Any:
        return self.distinct[self.codes[row]]

    def __arrow_array__(self, type: Any = None) -> Any:
        """The column as an Arrow array of ``type`` (what ``pyarrow.array(column, type)``
        calls): the distinct values converted once, then taken row by row."""
        import pyarrow as pa

        return pa.array(self.distinct, type).take(arrow_integers(self.codes))

    def listed(self) -> list[Any]:
        """Each row's value."""
        import numpy as np

        if isinstance(self.distinct, np.ndarray):
            values: list[Any] = self.distinct[self.codes].tolist()
            return values
        return list(map(self.distinct.__getitem__, self.codes.tolist()))

    def checked(self, check: Callable[[object], Any], refused: set[int]) -> Coded:
        """What ``check`` makes of each row's argument, checking each distinct one once
        (``None`` in the rows whose argument it refuses, which join ``refused``)."""
        import numpy as np

        made = np.empty(len(self.distinct), dtype=object)
        bad: list[int] = []
        for number, argument in enumerate(self.distinct):
            try:
                made[number] = check(argument)
            except Exception:
                bad.append(number)
        if bad:
            refused.update(np.flatnonzero(np.isin(self.codes, bad)).tolist())
        return Coded(made, self.codes)


def _checked_once(
    check: Callable[[object], Any], argument: object, refused: set[int], rows: int
) -> Any:
    """What ``check`` makes of ``argument`` given in every row (``None``, and every row
    refused, when it refuses it)."""
    try:
        return check(argument)
    except Exception:
        refused.update(range(rows))
        return None


def _each_checked(
    check: Callable[[object], Any], column: Sequence[Any], refused: set[int]
) -> list[Any]:
    """What ``check`` makes of each row's argument (``None`` in the rows it refuses)."""
    try:
        return list(map(check, column))
    except Exception:
        pass
    values: list[Any] = []
    for row, argument in enumerate(column):
        try:
            values.append(check(argument))
        except Exception:
            values.append(None)
            refused.add(row)
    return values


def _distinct_checked(
    check: Callable[[object], Any], column: Sequence[Any], refused: set[int]
) -> Sequence[Any]:
    """What ``check`` makes of each row's argument, each distinct argument object checked
    once (``None`` in the rows it refuses, which join ``refused``)."""
    made: dict[int, Any] = {}
    bad: set[int] = set()
    same = True
    for key, argument in dict(zip(map(id, column), column, strict=True)).items():
        try:
            value = made[key] = check(argument)
        except Exception:
            bad.add(key)
            continue
        same = same and value is argument
    if bad:
        refused.update(row for row, key in enumerate(map(id, column)) if key in bad)
    return column if same and not bad else list(map(made.get, map(id, column)))


def _construct(cls: type[T], given: dict[str, Any], unknown: dict[str, Any]) -> T:
    """What the constructor makes of the arguments given (or the error it raises)."""
    arguments = {keyword: value for keyword, value in given.items() if value is not ABSENT}
    return cls(**arguments, **unknown)


def _check(
    checks: dict[str, Callable[[object], Any]],
    remembered: dict[str, dict[int, Any]],
    kept: dict[str, list[object]],
    keyword: str,
    argument: object,
) -> Any:
    """What the field of ``keyword`` makes of ``argument``, remembered when neither can
    change (see :class:`Builder`)."""
    value = checks[keyword](argument)
    if _immutable(value) and (argument is ABSENT or _immutable(argument)):
        arguments = kept[keyword]
        if len(arguments) >= _REMEMBERED:
            remembered[keyword].clear()
            arguments.clear()
        remembered[keyword][id(argument)] = value
        arguments.append(argument)
    return value


_SET = object.__setattr__
_REMEMBERED = 1 << 16
"""Arguments a :class:`Builder` remembers per field; past it, the field starts afresh (unique
texts such as an event's notes would otherwise pile up)."""


class _Plan:
    """How to read the JSON object of one class, from its field spec; and the values of the
    class built so far."""

    __slots__ = (
        "allowed",
        "built",
        "cls",
        "complete",
        "items",
        "keywords",
        "names",
        "optional",
        "readers",
        "required",
        "shared",
    )

    def __init__(self, cls: type, fields: tuple[FieldSpec, ...], readers: list[Reader]) -> None:
        aliases = {field.name: field.alias for field in attrs.fields(cls)}
        tagged = issubclass(cls, Record | Statement)
        self.cls = cls
        self.names = tuple(field.name for field in fields)
        self.keywords = tuple(aliases[name] for name in self.names)
        self.readers = tuple(readers)
        self.optional = tuple(field.optional for field in fields)
        self.items = _getter(self.names)
        required = {field.name for field in fields if field.required}
        self.allowed = frozenset({*self.names, registry.TYPE_KEY} if tagged else self.names)
        self.required = frozenset({*required, registry.TYPE_KEY} if tagged else required)
        self.complete = len(self.allowed)
        """How many keys an object that gives every field has."""
        by_value = any("__eq__" in vars(kind) for kind in cls.__mro__ if kind is not object)
        self.shared = by_value and cls.__hash__ is not None
        """Whether the class makes immutable values (hashable, compared by their fields), so
        one can serve every equal JSON text; other values are built anew each time."""
        self.built: dict[bytes, Any] = {}
        """The values built so far, by :func:`marshal.dumps` of their JSON value (which tells
        ``1``, ``1.0`` and ``true`` apart)."""


@attrs.frozen
class ItemFields:
    """How the JSON objects of one attrs class are read field by field, then built whole
    (:meth:`Structurer.item_fields`): building the class from what each field's reader makes
    of its value in an object is what :meth:`Structurer.field_items`' item reader makes of
    the object, when the object's keys are among :attr:`allowed`, none twice (a key a field
    needs left out, the class refuses). The class's own constructor builds each item, so every
    rule of the class runs, those across its fields included."""

    cls: type
    """The class of the items."""
    names: tuple[str, ...]
    """The JSON key of each field."""
    keywords: tuple[str, ...]
    """The keyword the constructor takes for each field."""
    readers: tuple[Reader, ...]
    """The reader of each field's JSON value: :data:`ABSENT` for a key left out, ``None`` for
    a ``null`` the field allows; any other value it refuses raises."""
    allowed: frozenset[str]
    """The keys an object may hold."""

    def build(self, rows: Iterable[tuple[Any, ...]]) -> list[Any]:
        """An item built from each tuple of its fields' values as :attr:`readers` read them
        (a field :data:`ABSENT` takes its default); raises what the class raises."""
        cls, keywords = self.cls, self.keywords
        return [
            cls(
                **{
                    keyword: value
                    for keyword, value in zip(keywords, row, strict=True)
                    if value is not ABSENT
                }
            )
            for row in rows
        ]


def _field_reading(read: Reader, optional: bool) -> Reader:
    """``read`` for the JSON value of one field of an object, as the object's reader reads
    it: ``None`` for ``null`` where the field allows it, :data:`ABSENT` for a key left out."""

    def read_field(value: object) -> Any:
        if value is ABSENT:
            return ABSENT
        return None if value is None and optional else read(value)

    return read_field


class Structurer:
    """Builds records from their JSON values; ``None`` for anything it leaves to the converter.

    One structurer serves one load: it keeps every value it has read and built, so that equal
    values are read once and shared. It takes values as a JSON parser gives them (dicts, lists,
    strings, finite numbers, booleans and ``None``), whose JSON text tells them apart. Used as a
    context manager, it forgets them all at the end (:meth:`forget`).
    """

    def __init__(self) -> None:
        self._plans: dict[type, _Plan] = {}
        self._texts: dict[object, str] = {}
        self._text_tuples: dict[tuple[object, ...], tuple[str, ...]] = {(): ()}
        self._spans: dict[str, TimeSpan] = {}
        self._items: dict[Reader, Reader] = {}
        """The reader of one item of each reader of tuples read item by item."""
        self._anew: dict[Reader, Reader] = {}
        """The twin of each reader of nested values that builds every value anew."""

    def __enter__(self) -> Structurer:
        return self

    def __exit__(self, *exception: object) -> None:
        self.forget()

    def forget(self) -> None:
        """Drop every value read and built so far. The plans refer back to the structurer, so
        without this they and every value they keep wait for the cyclic garbage collector
        (forever after :func:`gc.freeze`) once the structurer is dropped.

        >>> with Structurer() as structurer:
        ...     actor = structurer({"type": "actor", "id": "a", "name": "A", "kind": "state"})
        >>> actor.name, structurer._plans
        ('A', {})
        """
        self._plans.clear()
        self._texts.clear()
        self._text_tuples.clear()
        self._spans.clear()
        self._items.clear()
        self._anew.clear()

    def __call__(self, value: object) -> Record | None:
        """The record ``value`` describes, or ``None`` when the converter must decide."""
        if type(value) is not dict:
            return None
        tag = value.get(registry.TYPE_KEY)
        cls = registry.record_class(tag) if type(tag) is str else None
        if cls is None:
            return None
        try:
            plan = self._plans.get(cls) or self._plan(cls)
            record: Record = cls(**self._arguments(plan, value))
        except Exception:
            return None
        return record

    def field_reader(self, cls: type[Record], name: str) -> Reader:
        """Reads one JSON value of field ``name`` of ``cls`` (:data:`ABSENT` when the object
        leaves the field out) as the constructor takes it: read, then converted and checked by
        the field's own converter and validator. A value it leaves to the converter, or one
        the field refuses, raises; so does asking for a field of a class with rules across its
        fields (an ``__attrs_post_init__``), whose fields cannot be checked one by one. It is
        for values read once each (a field's distinct JSON values): a nested value is built
        anew, not shared with an equal one built before.

        >>> import conflictmodel as cm
        >>> read_when = Structurer().field_reader(cm.Engagement, "when")
        >>> read_when("2020-02")
        when('2020-02')
        >>> read_when("2020-13")  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        conflictmodel.errors.ValidationError: cannot read '2020-13' as a time span: ...
        """
        check = field_check(cls, attrs.fields_dict(cls)[name])
        plan = self._plans.get(cls) or self._plan(cls)
        index = plan.names.index(name)
        read = _field_reading(self._once(plan.readers[index]), plan.optional[index])

        def read_checked(value: object) -> Any:
            return check(read(value))

        return read_checked

    def field_items(self, cls: type[Record], name: str) -> tuple[Reader, Reader] | None:
        """For a field of ``cls`` holding a tuple read item by item: the reader of one item's
        JSON value, and the field's own converter and validator, which take the tuple of the
        items read. What :meth:`field_reader` makes of a JSON array is what the second makes
        of the tuple of what the first makes of each of its items (each may raise). ``None``
        for any other field. The first is for items read once each, as :meth:`field_reader`.

        >>> import conflictmodel as cm
        >>> read, check = Structurer().field_items(cm.Engagement, "casualties")
        >>> entry = read({"actor": "a", "killed": {"low": 1, "best": 1, "high": 1}})
        >>> check((entry,)) == (cm.Casualties("a", killed=1),)
        True
        >>> check((entry, entry))  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        conflictmodel.errors.ValidationError: ...more than one entry for 'a'; give one entry...
        """
        check = field_check(cls, attrs.fields_dict(cls)[name])
        plan = self._plans.get(cls) or self._plan(cls)
        read_item = self._items.get(plan.readers[plan.names.index(name)])
        return None if read_item is None else (self._once(read_item), check)

    def item_fields(self, cls: type[Record], name: str) -> ItemFields | None:
        """For a field of ``cls`` holding a tuple of values of one attrs class that is neither
        a record nor a statement (an engagement's casualty entries): how an item's fields are
        read one by one, to build the item whole from them (:class:`ItemFields`). ``None`` for
        any other field, and for items that must be read whole.

        >>> import conflictmodel as cm
        >>> fields = Structurer().item_fields(cm.Engagement, "casualties")
        >>> fields.names
        ('actor', 'killed', 'injured')
        >>> [read(value) for read, value in
        ...     zip(fields.readers, ["a", {"low": 1, "best": 1, "high": 1}, ABSENT])]
        ['a', Estimate(low=1, best=1, high=1), ABSENT]
        >>> fields.build([("a", cm.Estimate(1, 1, 1), ABSENT)]) == [cm.Casualties("a", killed=1)]
        True
        >>> Structurer().item_fields(cm.Engagement, "initiators") is None
        True
        """
        spec = next(field for field in fields_of(cls) if field.name == name)
        item = spec.value_type
        if (
            spec.kind is not Kind.VALUES
            or not (isinstance(item, type) and attrs.has(item))
            or issubclass(item, Record | Statement)
        ):
            return None
        try:
            plan = self._plans.get(item) or self._plan(item)
        except _Refused:
            return None
        readers = tuple(map(_field_reading, plan.readers, plan.optional))
        return ItemFields(item, plan.names, plan.keywords, readers, plan.allowed)

    # Plans ---------------------------------------------------------------------------------

    def _plan(self, cls: type) -> _Plan:
        fields = fields_of(cls)
        if registry.TYPE_KEY in (field.name for field in fields):
            raise _REFUSED
        readers = [self._reader(field.kind, field.hint, field.value_type) for field in fields]
        plan = self._plans[cls] = _Plan(cls, fields, readers)
        return plan

    def _reader(self, kind: Kind, hint: Any, value_type: type | None) -> Reader:
        """How a field of ``kind`` is read; a kind this path does not read is refused only when
        a record gives a value for it."""
        if kind in (Kind.ID, Kind.TEXT):
            return _string
        if kind is Kind.REFERENCE:
            return self._text
        if kind in (Kind.REFERENCES, Kind.TEXTS):
            return self._text_tuple
        if kind is Kind.REFERENCE_GROUPS:
            return self._tuple_of(self._text_tuple)
        if kind is Kind.TEXT_MAPPING:
            return self._mapping
        if kind is Kind.SPAN and hint is TimeSpan:
            return self._span
        if kind is Kind.ENUM and value_type is not None:
            return _member_reader(value_type)
        if kind is Kind.ENUMS and value_type is not None:
            return self._tuple_of(_member_reader(value_type))
        if kind in (Kind.ESTIMATE, Kind.POINT, Kind.VALUE, Kind.STATEMENT):
            return self._nested_reader(hint)
        if kind is Kind.VALUES:
            return self._tuple_of(self._nested_reader(value_type))
        return {Kind.BOOL: _bool, Kind.INT: _int, Kind.FLOAT: _float}.get(kind, _refuse)

    def _tuple_of(self, read_item: Reader) -> Reader:
        """Reads a list as a tuple, each item by ``read_item`` (see :meth:`field_items`)."""
        read = _tuple_reader(read_item)
        self._items[read] = read_item
        return read

    def _nested_reader(self, cls: Any) -> Reader:
        """Reads a value of the attrs class ``cls``; a statement by its tag, as the converter."""
        if not (isinstance(cls, type) and attrs.has(cls)) or issubclass(cls, Record):
            return _refuse
        read = self._statement if issubclass(cls, Statement) else self._value
        shared = functools.partial(read, cls)
        self._anew[shared] = functools.partial(read, cls, anew=True)
        return shared

    def _once(self, read: Reader) -> Reader:
        """``read``, for values read once each: a nested value built anew rather than looked
        up among those built before (its own nested values are still shared)."""
        return self._anew.get(read, read)

    # Objects -------------------------------------------------------------------------------

    def _arguments(self, plan: _Plan, value: dict[str, Any]) -> dict[str, Any]:
        """The keyword arguments of ``plan``'s class, read from the fields ``value`` gives.

        A tagged object's ``type`` has been read by the caller, so an object with as many keys
        as the class has fields (and a tag) and with each field's key gives exactly those.
        """
        if len(value) == plan.complete:
            try:
                items = plan.items(value)
            except KeyError:
                raise _REFUSED from None
            return {
                keyword: None if item is None and optional else read(item)
                for keyword, read, optional, item in zip(
                    plan.keywords, plan.readers, plan.optional, items, strict=True
                )
            }
        if not plan.required <= value.keys() <= plan.allowed:
            raise _REFUSED
        fields = zip(plan.names, plan.keywords, plan.readers, plan.optional, strict=True)
        return {
            keyword: None if value[name] is None and optional else read(value[name])
            for name, keyword, read, optional in fields
            if name in value
        }

    def _value(self, cls: type, value: object, anew: bool = False) -> Any:
        """A nested value of ``cls``, shared with the ones built before from the same JSON
        (``anew``: built anew)."""
        if type(value) is not dict:
            raise _REFUSED
        plan = self._plans.get(cls) or self._plan(cls)
        if anew or not plan.shared:
            return cls(**self._arguments(plan, value))
        key = marshal.dumps(value)
        built = plan.built.get(key)
        if built is None:
            built = plan.built[key] = cls(**self._arguments(plan, value))
        return built

    def _statement(self, base: type, value: object, anew: bool = False) -> Any:
        if type(value) is not dict:
            raise _REFUSED
        tag = value.get(registry.TYPE_KEY)
        cls = registry.statement_class(tag) if type(tag) is str else None
        if cls is None or not issubclass(cls, base):
            raise _REFUSED
        return self._value(cls, value, anew)

    # Shared values -------------------------------------------------------------------------

    def _text(self, value: object) -> str:
        """A string, shared with its earlier copies."""
        known = self._texts.get(value)
        if known is not None:
            return known
        if type(value) is not str:
            raise _REFUSED
        self._texts[value] = value
        return value

    def _text_tuple(self, value: object) -> tuple[str, ...]:
        """A list of strings as a tuple, shared with its earlier copies."""
        if type(value) is not list:
            raise _REFUSED
        items = tuple(value)
        known = self._text_tuples.get(items)
        if known is not None:
            return known
        read = tuple([self._text(item) for item in items])
        self._text_tuples[read] = read
        return read

    def _span(self, value: object) -> TimeSpan:
        """A span from its text, shared with its earlier copies; other forms as the converter
        reads them."""
        if type(value) is not str:
            return structure_span(value)
        span = self._spans.get(value)
        if span is None:
            span = self._spans[value] = when(value)
        return span

    def _mapping(self, value: object) -> immutabledict[str, str]:
        if type(value) is not dict:
            raise _REFUSED
        if not value:
            return _EMPTY_MAPPING
        return immutabledict({self._text(key): self._text(item) for key, item in value.items()})
