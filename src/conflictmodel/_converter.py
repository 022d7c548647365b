"""The cattrs converter between records and plain JSON values; ``conflictmodel.converter``.

It is this library's own :class:`cattrs.Converter`: its hooks never touch cattrs' global
converter. Records and statements carry their tag in a ``type`` field, resolved through the
live :mod:`~conflictmodel.registry` (so types registered late still load); spans are their
text, estimates ``{"low", "best", "high"}`` objects, enums their values, mappings objects and
tuples lists. Structuring is strict: ``5`` is not text, ``"5"`` is not a number, a string is
not a list, and unknown fields are refused.

>>> import conflictmodel as cm
>>> converter.unstructure(cm.Casualties("turkish-army", killed=8))
{'actor': 'turkish-army', 'killed': {'low': 8, 'best': 8, 'high': 8}, 'injured': None}
>>> converter.structure({"type": "occurred", "event": "attack"}, cm.Statement)
Occurred(event='attack')
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime
import enum
import math
import typing
from collections.abc import Callable, Iterator, Mapping
from typing import Any

import attrs
import cattrs
from cattrs.errors import (
    AttributeValidationNote,
    ClassValidationError,
    IterableValidationError,
    IterableValidationNote,
)
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn
from immutabledict import immutabledict

from conflictmodel import registry
from conflictmodel._checks import describe
from conflictmodel.claims import Statement
from conflictmodel.errors import ValidationError
from conflictmodel.events import Event
from conflictmodel.opaque import UnknownEvent, UnknownStatement, exact_json
from conflictmodel.records import Record
from conflictmodel.timespans import Precision, TimeSpan, when

converter = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
"""The converter every reader and writer of this library uses."""

_keep_unknown: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "conflictmodel_keep_unknown", default=False
)


_can_keep_unknown: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "conflictmodel_can_keep_unknown", default=True
)


@contextlib.contextmanager
def keeping_unknown(keep: bool = True) -> Iterator[None]:
    """Within the block, unknown event and statement tags become opaque records."""
    token = _keep_unknown.set(keep)
    try:
        yield
    finally:
        _keep_unknown.reset(token)


@contextlib.contextmanager
def unknown_never_kept() -> Iterator[None]:
    """Within the block (reading tables, which hold no opaque records), an unknown tag's error
    does not offer ``strict=False``."""
    token = _can_keep_unknown.set(False)
    try:
        yield
    finally:
        _can_keep_unknown.reset(token)


def error_at(name: str | int, error: Exception, owner: type) -> Exception:
    """``error`` as raised by the field (or list index) ``name`` of a value of type ``owner``."""
    if isinstance(name, int):
        error.__notes__ = [IterableValidationNote(f"@ index {name}", name, owner)]
        return IterableValidationError(f"While structuring {owner}", [error], owner)
    error.__notes__ = [AttributeValidationNote(f"@ attribute {name}", name, owner)]
    return ClassValidationError(f"While structuring {owner.__name__}", [error], owner)


# Scalars ---------------------------------------------------------------------------------


def _structure_str(value: object, _: type) -> str:
    if not isinstance(value, str):
        raise ValidationError(f"expected text, got {describe(value)}")
    return value


def _structure_int(value: object, _: type) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise ValidationError(f"expected a whole number, got {describe(value)}")
    return value


def _structure_float(value: object, _: type) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValidationError(f"expected a number, got {describe(value)}")
    if not math.isfinite(value):
        raise ValidationError(f"expected a finite number, got {value!r}")
    return float(value)


def _structure_bool(value: object, _: type) -> bool:
    if not isinstance(value, bool):
        raise ValidationError(f"expected true or false, got {describe(value)}")
    return value


def _structure_date(value: object, _: type) -> datetime.date:
    """A day from its ISO text (``2020-02-01``), as a plug-in's ``datetime.date`` field is
    written.

    >>> _structure_date("2020-02-01", datetime.date)
    datetime.date(2020, 2, 1)
    """
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            pass
    raise ValidationError(f"expected a date such as '2020-02-06', got {describe(value)}")


converter.register_structure_hook(str, _structure_str)
converter.register_structure_hook(int, _structure_int)
converter.register_structure_hook(float, _structure_float)
converter.register_structure_hook(bool, _structure_bool)
converter.register_structure_hook(datetime.date, _structure_date)
converter.register_unstructure_hook(datetime.date, datetime.date.isoformat)


# Time spans ------------------------------------------------------------------------------


_OPEN_SPAN_KEYS = {"start", "end", "precision"}


def unstructure_span(span: TimeSpan) -> str | dict[str, str | None]:
    """The span's text; a span open at both ends and coarser than a day as an object.

    ``"../.."`` reads back at day precision, so only that case needs the object form.

    >>> unstructure_span(when("2019-12/.."))
    '2019-12/..'
    >>> unstructure_span(TimeSpan(None, None, "year"))
    {'start': None, 'end': None, 'precision': 'year'}
    """
    if span.start is None and span.end is None and span.precision is not Precision.DAY:
        return {"start": None, "end": None, "precision": span.precision.value}
    return str(span)


def _is_open_span(value: dict[Any, Any]) -> bool:
    return set(value) == _OPEN_SPAN_KEYS and (value["start"], value["end"]) == (None, None)


def structure_span(value: object, _: type = TimeSpan) -> TimeSpan:
    """A span from its text (or the object form of :func:`unstructure_span`)."""
    if isinstance(value, str):
        return when(value)
    if isinstance(value, dict) and _is_open_span(value):
        return TimeSpan(None, None, value["precision"])
    raise ValidationError(
        f"expected a time span such as '2020-02-06', '2019-12/..' or '2019', got {describe(value)}"
    )


converter.register_unstructure_hook(TimeSpan, unstructure_span)
converter.register_structure_hook(TimeSpan, structure_span)


# Enums, mappings, tuples -----------------------------------------------------------------


def _structure_enum(value: object, kind: type[enum.Enum]) -> enum.Enum:
    if isinstance(value, str | int) and not isinstance(value, bool):
        try:
            return kind(value)
        except ValueError:
            pass
    accepted = ", ".join(repr(member.value) for member in kind)
    raise ValidationError(f"{value!r} is not a valid {kind.__name__}; expected one of {accepted}")


for _base in (enum.Enum, enum.StrEnum, enum.IntEnum):
    converter.register_structure_hook(_base, _structure_enum)
    converter.register_unstructure_hook(_base, lambda member: member.value)


def _is_mapping(kind: Any) -> bool:
    return typing.get_origin(kind) in (Mapping, dict, immutabledict)


def _structure_mapping_factory(kind: Any) -> Callable[[object, type], Mapping[str, Any]]:
    key_type, value_type = typing.get_args(kind) or (str, Any)

    def structure(value: object, _: type) -> Mapping[str, Any]:
        if not isinstance(value, dict):
            raise ValidationError(f"expected an object, got {describe(value)}")
        result: dict[Any, Any] = {}
        errors: list[Exception] = []
        for key, item in value.items():
            try:
                result[converter.structure(key, key_type)] = converter.structure(item, value_type)
            except Exception as error:
                errors.append(error_at(key, error, dict))
        if errors:
            raise ClassValidationError("While structuring a mapping", errors, dict)
        return immutabledict(result)

    return structure


converter.register_structure_hook_factory(_is_mapping, _structure_mapping_factory)
converter.register_unstructure_hook_func(
    lambda kind: isinstance(kind, type) and issubclass(kind, immutabledict),
    lambda mapping: {key: converter.unstructure(item) for key, item in mapping.items()},
)


def _is_tuple(kind: Any) -> bool:
    return typing.get_origin(kind) is tuple


def _structure_tuple_factory(kind: Any) -> Callable[[object, type], tuple[Any, ...]]:
    args = typing.get_args(kind)
    homogeneous = len(args) == 2 and args[1] is Ellipsis

    def structure(value: object, _: type) -> tuple[Any, ...]:
        if not isinstance(value, list):
            raise ValidationError(f"expected a list, got {describe(value)}")
        if not homogeneous and len(value) != len(args):
            raise ValidationError(f"expected a list of {len(args)} items, got {len(value)}")
        items: list[Any] = []
        errors: list[Exception] = []
        for index, item in enumerate(value):
            try:
                items.append(converter.structure(item, args[0] if homogeneous else args[index]))
            except Exception as error:
                errors.append(error_at(index, error, list))
        if errors:
            raise IterableValidationError("While structuring a list", errors, list)
        return tuple(items)

    return structure


converter.register_structure_hook_factory(_is_tuple, _structure_tuple_factory)
converter.register_unstructure_hook_func(
    lambda kind: kind is tuple or _is_tuple(kind),
    lambda items: [converter.unstructure(item) for item in items],
)


# Value classes (Estimate, Point, Casualties, ...) ----------------------------------------


def _is_tagged(kind: Any) -> bool:
    return isinstance(kind, type) and issubclass(kind, Record | Statement)


def _is_value_class(kind: Any) -> bool:
    return isinstance(kind, type) and attrs.has(kind) and not _is_tagged(kind)


_structurers: dict[type, Callable[[Mapping[str, Any]], Any]] = {}
_unstructurers: dict[type, Callable[[Any], dict[str, Any]]] = {}


def _fields_structurer(cls: type) -> Callable[[Mapping[str, Any]], Any]:
    if cls not in _structurers:
        attrs.resolve_types(cls)
        _structurers[cls] = make_dict_structure_fn(cls, converter)
    return _structurers[cls]


def _fields_unstructurer(cls: type) -> Callable[[Any], dict[str, Any]]:
    if cls not in _unstructurers:
        attrs.resolve_types(cls)
        _unstructurers[cls] = make_dict_unstructure_fn(cls, converter)
    return _unstructurers[cls]


def _structure_value_factory(cls: type) -> Callable[[object, type], Any]:
    def structure(value: object, _: type) -> Any:
        if not isinstance(value, dict):
            raise ValidationError(f"expected a {cls.__name__} object, got {describe(value)}")
        return _fields_structurer(cls)(value)

    return structure


converter.register_structure_hook_factory(_is_value_class, _structure_value_factory)


# Tagged records and statements -----------------------------------------------------------


def _opaque(data: dict[str, Any], tag: str, base: type) -> Record | Statement:
    if base is Statement:
        known: dict[str, Any] = {}
        opaque_cls: type[UnknownEvent | UnknownStatement] = UnknownStatement
    else:
        names = attrs.fields_dict(Event)
        event = _fields_structurer(Event)({k: v for k, v in data.items() if k in names})
        known = {name: getattr(event, name) for name in names}
        opaque_cls = UnknownEvent
    rest = {k: v for k, v in data.items() if k not in known and k != registry.TYPE_KEY}
    try:
        return opaque_cls(**known, tag=tag, payload=rest)
    except ValidationError as error:
        reason = ValidationError(f"cannot keep the fields of unknown type {tag!r}: {error}")
        raise error_at("type", reason, opaque_cls) from None


def holds_unknown_tag(data: object) -> bool:
    """Whether ``data`` is a record (or a claim) of a tag that is not registered, while
    unknown tags are being kept: its numbers are then kept as written, see
    :func:`~conflictmodel.opaque.exact_json`."""
    if not (_keep_unknown.get() and isinstance(data, dict)):
        return False
    tag, statement = data.get(registry.TYPE_KEY), data.get("statement")
    if isinstance(tag, str) and registry.record_class(tag) is None:
        return True
    inner = statement.get(registry.TYPE_KEY) if isinstance(statement, dict) else None
    return isinstance(inner, str) and registry.statement_class(inner) is None


def structure_tagged(data: object, base: type) -> Any:
    """A record or statement of the registered type its ``type`` field names.

    ``base`` (``Event``, ``Statement``, ``Actor``...) bounds the types accepted.
    """
    statement = issubclass(base, Statement)
    noun = "statement" if statement else "record"
    if not isinstance(data, dict):
        raise ValidationError(f"expected a {noun} object, got {describe(data)}")
    tag = data.get(registry.TYPE_KEY)
    if not isinstance(tag, str):
        found = "missing" if tag is None else f"not text ({describe(tag)})"
        raise error_at(registry.TYPE_KEY, ValidationError(f"the {noun} type tag is {found}"), base)
    cls = registry.statement_class(tag) if statement else registry.record_class(tag)
    if cls is None:
        opaque_allowed = statement or issubclass(Event, base) or issubclass(base, Event)
        if _keep_unknown.get() and opaque_allowed and base in (Record, Event, Statement):
            return _opaque(data, tag, base)
        kind = "statement" if statement else "event" if opaque_allowed else base.__name__
        hint = registry.unknown_type_hint(tag, kind, keepable=_can_keep_unknown.get())
        raise error_at(registry.TYPE_KEY, ValidationError(hint), base)
    if not issubclass(cls, base):
        raise error_at(
            registry.TYPE_KEY,
            ValidationError(f"{tag!r} is a {cls.__name__}, not a {base.__name__}"),
            base,
        )
    fields = {key: value for key, value in data.items() if key != registry.TYPE_KEY}
    return _fields_structurer(cls)(fields)


def unstructure_tagged(value: Record | Statement) -> dict[str, Any]:
    """``value`` as a JSON object with its tag under ``type``."""
    cls = type(value)
    if isinstance(value, UnknownEvent | UnknownStatement):
        fields = _fields_unstructurer(cls)(value)
        del fields["tag"], fields["payload"]
        return {registry.TYPE_KEY: value.tag, **fields, **exact_json(value.payload)}
    return {registry.TYPE_KEY: registry.tag_of(cls), **_fields_unstructurer(cls)(value)}


converter.register_structure_hook_func(_is_tagged, structure_tagged)
converter.register_unstructure_hook_func(_is_tagged, unstructure_tagged)
