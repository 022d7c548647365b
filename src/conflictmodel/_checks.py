"""Validators and converters shared by the values and records (see conflictmodel.fields).

Converters normalise the inputs they understand (a list becomes a tuple, a string an enum
member or a span) and pass anything else through untouched; the validator that follows then
refuses it with a :class:`~conflictmodel.ValidationError` naming the class, record, field and value.
"""

from __future__ import annotations

import enum
import math
import weakref
from collections.abc import Callable, Iterable, Mapping
from typing import Any, NoReturn, TypeVar, cast

import attrs
from immutabledict import immutabledict

from conflictmodel.errors import ValidationError

E = TypeVar("E", bound=enum.Enum)
Validator = Callable[[Any, "attrs.Attribute[Any]", Any], None]

REFERENCE = "conflictmodel.reference"
"""Key of the field metadata that names the collection a field's ids refer to."""


def refers_to(collection: str) -> dict[str, str]:
    """Field metadata marking a field as holding ids of records in ``collection``."""
    return {REFERENCE: collection}


def where(instance: object, attribute: attrs.Attribute[Any]) -> str:
    """``Class 'id'.field`` (or ``Class.field`` for values without an id)."""
    record_id = getattr(instance, "id", None)
    owner = type(instance).__name__
    if isinstance(record_id, str):
        return f"{owner} {record_id!r}.{attribute.name}"
    return f"{owner}.{attribute.name}"


def fail(instance: object, attribute: attrs.Attribute[Any], message: str) -> NoReturn:
    error = ValidationError(f"{where(instance, attribute)}: {message}")
    error.field = attribute.name
    raise error


def describe(value: object) -> str:
    """``value``'s type and its ``repr`` for a message: the type alone where the ``repr`` takes
    several lines (a DataFrame), cut short past :data:`_SHOWN` characters."""
    shown = repr(value)
    if "\n" in shown:
        return type(value).__name__
    if len(shown) > _SHOWN:
        shown = shown[: _SHOWN - 3] + "..."
    return f"{type(value).__name__} {shown}"


_SHOWN = 80
"""How much of a value's ``repr`` a message shows."""


def text(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A non-blank string."""
    if isinstance(value, str) and value.strip():
        return
    if not isinstance(value, str):
        fail(instance, attribute, f"expected text, got {describe(value)}")
    if not value.strip():
        fail(instance, attribute, "must not be empty")


def optional_text(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and not (isinstance(value, str) and value.strip()):
        text(instance, attribute, value)


def plain_text(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Any string, empty included."""
    if not isinstance(value, str):
        fail(instance, attribute, f"expected text, got {describe(value)}")


def texts(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A tuple of distinct non-blank strings."""
    if type(value) is tuple:
        for item in value:
            if type(item) is not str or not item.strip():
                break
        else:
            if len(value) < 2 or len(set(value)) == len(value):
                return
    every_text(instance, attribute, value)


def every_text(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """:func:`texts` without its shortcut for tuples of plain strings: the reference it keeps to."""
    if not isinstance(value, tuple):
        fail(instance, attribute, f"expected a sequence of texts, got {describe(value)}")
    for item in value:
        if not isinstance(item, str) or not item.strip():
            fail(instance, attribute, f"expected non-empty texts, got {describe(item)}")
    if len(value) > 1 and len(set(value)) != len(value):
        repeated = sorted({item for item in value if value.count(item) > 1})
        fail(instance, attribute, f"repeats {', '.join(map(repr, repeated))}")


def to_texts(value: Iterable[str]) -> tuple[str, ...]:
    """A list, set or other collection of strings as a tuple; a lone string is refused later."""
    if isinstance(value, tuple):
        return value
    if isinstance(value, list | set | frozenset):
        return tuple(sorted(value)) if isinstance(value, set | frozenset) else tuple(value)
    return cast(tuple[str, ...], value)


def instances(kind: type) -> Validator:
    """A tuple whose items are all instances of ``kind``."""

    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if type(value) is tuple:
            for item in value:
                if type(item) is not kind:
                    break
            else:
                return
        if not isinstance(value, tuple):
            fail(
                instance,
                attribute,
                f"expected a sequence of {kind.__name__}, got {describe(value)}",
            )
        for item in value:
            if not isinstance(item, kind):
                fail(instance, attribute, f"expected {kind.__name__} items, got {describe(item)}")

    return check


def instance(kind: type | tuple[type, ...], *, optional: bool = False) -> Validator:
    """A value of ``kind`` (or ``None`` when optional)."""
    names = " or ".join(k.__name__ for k in (kind if isinstance(kind, tuple) else (kind,)))

    def check(owner: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if value is None and optional:
            return
        if not isinstance(value, kind):
            fail(owner, attribute, f"expected {names}, got {describe(value)}")

    return check


def coerce_enum(kind: type[E], value: object) -> E:
    """The member of ``kind`` with this value; anything else unchanged, for the validator."""
    if isinstance(value, kind):
        return value
    try:
        return kind(value)
    except (ValueError, TypeError):
        return cast(E, value)


def member(kind: type[enum.Enum]) -> Validator:
    """A member of the enum ``kind``; the message lists the accepted values."""

    def check(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, kind):
            accepted = ", ".join(repr(m.value) for m in kind)
            fail(
                instance,
                attribute,
                f"{value!r} is not a valid {kind.__name__}; expected one of {accepted}",
            )

    return check


def to_frozen_mapping(value: Mapping[str, str]) -> Mapping[str, str]:
    """An immutable copy of a str-to-str mapping; anything else unchanged, for the validator."""
    if type(value) is immutabledict or isinstance(value, immutabledict):
        return cast("Mapping[str, str]", value)
    if isinstance(value, Mapping):
        return immutabledict(value)
    return value


def text_mapping(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A mapping from non-blank strings to non-blank strings."""
    if type(value) is not immutabledict:
        every_text_item(instance, attribute, value)
        return
    seen = _CHECKED_MAPPINGS.get(id(value))
    if seen is not None and seen() is value:
        return
    every_text_item(instance, attribute, value)
    if value:
        _remember(value)


def _remember(value: immutabledict[str, str]) -> None:
    if len(_CHECKED_MAPPINGS) >= _CHECKED_LIMIT:
        alive = {key: seen for key, seen in _CHECKED_MAPPINGS.items() if seen() is not None}
        _CHECKED_MAPPINGS.clear()
        if len(alive) < _CHECKED_LIMIT // 2:
            _CHECKED_MAPPINGS.update(alive)
    _CHECKED_MAPPINGS[id(value)] = weakref.ref(value)


_CHECKED_MAPPINGS: dict[int, weakref.ReferenceType[immutabledict[Any, Any]]] = {}
"""Immutable mappings :func:`text_mapping` has accepted, by identity: records that share
one mapping (rows of an import with the same kept cells) have it checked once. When full, the
mappings still alive stay (unless they fill half of it)."""
_CHECKED_LIMIT = 1 << 16


def accepts_text_items(items: Iterable[tuple[str, str]]) -> bool:
    """Whether :func:`text_mapping` accepts each of ``items`` as a mapping of its own, so any
    mapping made of them: :func:`accepted_text_mapping` makes those.

    >>> accepts_text_items([("region", "Middle East"), ("year", "2020")])
    True
    >>> accepts_text_items([("region", "Middle East"), ("year", " ")])
    False
    """
    for key, item in items:
        if type(key) is str and type(item) is str and key.strip() and item.strip():
            continue
        try:
            every_text_item(_PROBE, _PROBE_FIELD, {key: item})
        except ValidationError:
            return False
    return True


def accepted_text_mapping(items: Iterable[tuple[str, str]]) -> immutabledict[str, str]:
    """The immutable mapping of ``items``, which :func:`text_mapping` then accepts at once:
    each item must be one :func:`accepts_text_items` accepted.

    >>> accepted_text_mapping([("region", "Middle East")])
    immutabledict({'region': 'Middle East'})
    """
    value: immutabledict[str, str] = immutabledict(items)
    if value:
        _remember(value)
    return value


@attrs.frozen
class _Probe:
    """What :func:`accepts_text_items` checks single items as."""

    items: Mapping[str, str]


_PROBE = _Probe(immutabledict())
_PROBE_FIELD = attrs.fields(_Probe).items


def every_text_item(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """:func:`text_mapping` without its memory of the mappings it accepted: the reference it
    keeps to."""
    if not isinstance(value, Mapping):
        fail(instance, attribute, f"expected a mapping of text to text, got {describe(value)}")
    for key, item in value.items():
        if not isinstance(key, str) or not key.strip():
            fail(instance, attribute, f"keys must be non-empty text, got {describe(key)}")
        if not isinstance(item, str) or not item.strip():
            fail(
                instance,
                attribute,
                f"value of {key!r} must be non-empty text, got {describe(item)}",
            )


MAX_COUNT = 2**63 - 1
"""The largest count: a signed 64-bit integer, what the file format and every engine hold."""


def count(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """A whole number of people, from zero to :data:`MAX_COUNT`."""
    if isinstance(value, bool) or not isinstance(value, int):
        if isinstance(value, float) and math.isnan(value):
            fail(instance, attribute, "must be a whole number, got NaN")
        fail(instance, attribute, f"must be a whole number, got {describe(value)}")
    if value < 0:
        shown = value if value >= -MAX_COUNT else "a number below -(2**63 - 1)"
        fail(instance, attribute, f"must not be negative, got {shown}")
    if value > MAX_COUNT:
        fail(instance, attribute, f"must be at most 2**63 - 1 = {MAX_COUNT}, got more")
