"""The field spec: what kind of value each field of a record or value class holds.

The attrs classes are the only place a field is declared. :func:`fields_of` reads a class's
``attrs.fields()``, its resolved type hints and the ``refers_to`` metadata, and classifies
each field into one :class:`Kind` of a small closed set. The JSON Schema, the Hypothesis
strategies, the table layouts and the fast loader are derived from it, so a plug-in type
registered with :func:`~conflictmodel.event_type` gets all of them without extra code.

>>> import conflictmodel as cm
>>> from conflictmodel.spec import Kind, field_of, fields_of
>>> [(f.name, f.kind.value, f.optional, f.collection) for f in fields_of(cm.Relation)]
... # doctest: +NORMALIZE_WHITESPACE
[('id', 'id', False, None), ('source', 'reference', False, 'actors'),
 ('kind', 'enum', False, None), ('target', 'reference', False, 'actors'),
 ('span', 'span', True, None)]
>>> casualties = field_of(cm.Engagement, "casualties")
>>> casualties.kind is Kind.VALUES, casualties.value_type is cm.Casualties, casualties.required
(True, True, False)
"""

from __future__ import annotations

import datetime
import enum
import functools
import operator
import types
import typing
from collections.abc import Mapping
from typing import Any

import attrs

from conflictmodel.claims import Statement
from conflictmodel.errors import ValidationError
from conflictmodel.fields import REFERENCE
from conflictmodel.places import Point
from conflictmodel.quantities import Estimate
from conflictmodel.records import Record
from conflictmodel.timespans import TimeSpan

__all__ = ["PLAIN_KINDS", "FieldSpec", "Kind", "field_of", "fields_of"]


class Kind(enum.StrEnum):
    """What a field holds; :attr:`FieldSpec.optional` says whether it may also be ``None``."""

    ID = "id"
    """The ``id`` of a record: non-blank text, unique within its collection."""
    TEXT = "text"
    """Text (``str``)."""
    REFERENCE = "reference"
    """The id of one record of :attr:`FieldSpec.collection`."""
    REFERENCES = "references"
    """A tuple of distinct ids of records of :attr:`FieldSpec.collection`."""
    REFERENCE_GROUPS = "reference_groups"
    """A tuple of tuples of ids (an agreement's sides)."""
    TEXTS = "texts"
    """A tuple of distinct texts (aliases)."""
    TEXT_MAPPING = "text_mapping"
    """A mapping from text to text (external ids, codes, source values)."""
    ESTIMATE = "estimate"
    """A :class:`~conflictmodel.Estimate`."""
    SPAN = "span"
    """A :class:`~conflictmodel.TimeSpan`."""
    POINT = "point"
    """A :class:`~conflictmodel.Point`."""
    DATE = "date"
    """A calendar date."""
    ENUM = "enum"
    """A member of the enum :attr:`FieldSpec.value_type`."""
    ENUMS = "enums"
    """A tuple of distinct members of the enum :attr:`FieldSpec.value_type`."""
    BOOL = "bool"
    INT = "int"
    FLOAT = "float"
    STATEMENT = "statement"
    """A :class:`~conflictmodel.Statement` of any registered type, written with its tag."""
    VALUE = "value"
    """A nested attrs value of class :attr:`FieldSpec.value_type`."""
    VALUES = "values"
    """A tuple of nested attrs values of class :attr:`FieldSpec.value_type`."""
    OTHER = "other"
    """A type none of the above describes; :attr:`FieldSpec.hint` has it."""


PLAIN_KINDS: frozenset[Kind] = frozenset(
    {Kind.ID, Kind.TEXT, Kind.TEXTS, Kind.TEXT_MAPPING, Kind.DATE, Kind.ENUM, Kind.ENUMS}
    | {Kind.BOOL, Kind.INT, Kind.FLOAT}
)
"""The kinds whose values are plain Python values (text, a text mapping, enums, numbers, a
date), with no attrs value inside."""

_VALUE_KINDS: Mapping[type, Kind] = {
    TimeSpan: Kind.SPAN,
    Estimate: Kind.ESTIMATE,
    Point: Kind.POINT,
    Statement: Kind.STATEMENT,
}


@attrs.frozen
class FieldSpec:
    """One field of a class: its name, kind, whether it may be ``None`` and what it refers to."""

    name: str
    """The field's name."""
    kind: Kind
    """What the field holds."""
    optional: bool
    """Whether the field may also be ``None``."""
    collection: str | None
    """The collection the field's ids refer to (a reference field), else ``None``."""
    value_type: type | None
    """The enum class of an ``ENUM`` or ``ENUMS``, the class of a ``VALUE`` or ``VALUES`` or
    ``DATE``, the value class of a ``SPAN``, ``ESTIMATE``, ``POINT`` or ``STATEMENT``, else
    ``None``."""
    default: Any
    """The attrs default (``attrs.NOTHING`` when the field must be given)."""
    hint: Any
    """The field's type, without ``None``."""

    @property
    def required(self) -> bool:
        """Whether a record must give this field (it has no default)."""
        return self.default is attrs.NOTHING


def _hints(cls: type) -> dict[str, Any]:
    try:
        return typing.get_type_hints(cls)
    except (NameError, TypeError) as error:
        raise ValidationError(
            f"{cls.__qualname__}: cannot resolve its field types ({error}); define the class "
            "at module level with its annotations importable"
        ) from None


def _without_none(hint: Any) -> tuple[Any, bool]:
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        args = typing.get_args(hint)
        rest = tuple(arg for arg in args if arg is not type(None))
        if len(rest) < len(args):
            return functools.reduce(operator.or_, rest), True
    return hint, False


def _item(hint: Any) -> Any:
    """The item type of ``tuple[X, ...]``, else ``None``."""
    args = typing.get_args(hint)
    if typing.get_origin(hint) is tuple and len(args) == 2 and args[1] is Ellipsis:
        return args[0]
    return None


def _classify(hint: Any, collection: str | None) -> tuple[Kind, type | None]:
    if hint is str:
        return (Kind.REFERENCE if collection else Kind.TEXT), None
    item = _item(hint)
    if item is str:
        return (Kind.REFERENCES if collection else Kind.TEXTS), None
    if item is not None and _item(item) is str and collection:
        return Kind.REFERENCE_GROUPS, None
    if isinstance(item, type) and attrs.has(item):
        return Kind.VALUES, item
    if isinstance(item, type) and issubclass(item, enum.Enum):
        return Kind.ENUMS, item
    if typing.get_origin(hint) in (Mapping, dict) and typing.get_args(hint) == (str, str):
        return Kind.TEXT_MAPPING, None
    if not isinstance(hint, type):
        return Kind.OTHER, None
    scalar = {bool: Kind.BOOL, int: Kind.INT, float: Kind.FLOAT}.get(hint)
    if scalar is not None:
        return scalar, None
    if issubclass(hint, enum.Enum):
        return Kind.ENUM, hint
    if issubclass(hint, datetime.date):
        return Kind.DATE, hint
    for base, kind in _VALUE_KINDS.items():
        if issubclass(hint, base):
            return kind, base
    if attrs.has(hint):
        return Kind.VALUE, hint
    return Kind.OTHER, None


_SPECS: dict[type, tuple[FieldSpec, ...]] = {}


def fields_of(cls: type) -> tuple[FieldSpec, ...]:
    """The spec of each field of the attrs class ``cls`` set by its constructor, in order."""
    known = _SPECS.get(cls)
    if known is not None:
        return known
    if not (isinstance(cls, type) and attrs.has(cls)):
        raise ValidationError(f"fields_of() takes an attrs class, got {cls!r}")
    hints = _hints(cls)
    specs = []
    for field in attrs.fields(cls):
        if not field.init:
            continue
        hint, optional = _without_none(hints.get(field.name, field.type))
        collection = field.metadata.get(REFERENCE)
        if field.name == "id" and hint is str and issubclass(cls, Record):
            kind, value_type = Kind.ID, None
        else:
            kind, value_type = _classify(hint, collection)
        specs.append(
            FieldSpec(field.name, kind, optional, collection, value_type, field.default, hint)
        )
    _SPECS[cls] = tuple(specs)
    return _SPECS[cls]


def field_of(cls: type, name: str) -> FieldSpec:
    """The spec of the field ``name`` of ``cls``."""
    for spec in fields_of(cls):
        if spec.name == name:
            return spec
    raise ValidationError(f"{cls.__qualname__} has no field {name!r}")
