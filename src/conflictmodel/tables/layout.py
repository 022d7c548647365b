"""The table layout of a dataset: one Arrow schema per collection and per child table.

The layout is derived from the fields (``attrs.fields``) of the registered record and statement
classes, so a plug-in type gets columns like a built-in one. Each field becomes columns by what
it holds (:func:`field_kind`):

- text, enumerations, numbers: one column (an enumeration holds its value);
- a :class:`~conflictmodel.TimeSpan`: its text in ``<field>``, its first and last possible
  days in ``<field>_start`` and ``<field>_end`` (null at an open end), and where an end is a
  time of day, the instant it starts in ``<field>_from`` and the instant it ends (exclusive) in
  ``<field>_until`` (UTC timestamps; null at a date or an open end);
- a tuple of text: a list column; a tuple of tuples of text (agreement sides): a list of lists;
  a mapping of text: a map column;
- a nested value (``Estimate``, ``Point``, ``ControlChange``): its own fields as
  ``<field>_<subfield>`` columns, all null when absent; a claim's ``statement``: its tag in
  ``statement_type`` and the fields of every statement type as ``statement_<field>``;
- a tuple of nested values (an engagement's ``casualties``): a child table
  ``<collection>_<field>`` with ``owner`` (the record's id), ``position`` and the value's fields,
  then the owner's columns that choose rows (:data:`OWNER_COLUMNS`: an event's ``type``,
  ``when`` days and instants, and ``where``) as ``owner_<column>``, so that a query chooses
  casualty entries by their event's time and place without a join. They repeat the owner's
  cells: :func:`conflictmodel.tables.load` refuses tables where they differ.

Every table has ``id`` (in child tables ``owner``) and ``type`` (the record's tag). Counts are
64-bit integers: a count is at most 2⁶³−1 (see :class:`~conflictmodel.Estimate`). Each
Parquet file carries ``{"format": FORMAT_VERSION, "table": name}`` under the metadata key
:data:`METADATA_KEY`.

>>> layout = schemas()
>>> sorted(layout)[:3]
['actors', 'agreements', 'assessments']
>>> [f.name for f in layout["events_casualties"]][:5]
['owner', 'position', 'actor', 'killed_low', 'killed_best']
>>> str(layout["events"].field("when_start").type)
'date32[day]'
>>> str(layout["events"].field("when_from").type)
'timestamp[us, tz=UTC]'
"""

from __future__ import annotations

import datetime
import enum
import functools
import itertools
import operator
import types
import typing
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import attrs
import numpy
import orjson

from conflictmodel import registry
from conflictmodel._bulk import Coded, Structurer, default_maker, numbered
from conflictmodel._checks import REFERENCE
from conflictmodel._converter import converter
from conflictmodel._gc import paused_gc
from conflictmodel._problems import join, problems_of
from conflictmodel.claims import Statement
from conflictmodel.dataset import COLLECTIONS, Dataset
from conflictmodel.errors import LoadError, RegistrationError, ValidationError
from conflictmodel.io._extras import require
from conflictmodel.opaque import (
    OPAQUE,
    REGISTER_THEM,
    UnknownEvent,
    UnknownStatement,
    counted_tags,
)
from conflictmodel.quantities import Estimate
from conflictmodel.records import Record
from conflictmodel.timespans import TimeSpan

__all__ = [
    "ADDED_COLUMNS",
    "CHILD_ORDER",
    "FORMAT_VERSION",
    "METADATA_KEY",
    "OWNER_COLUMNS",
    "READABLE_VERSIONS",
    "REPEATED_PREFIX",
    "FieldLayout",
    "FigureColumns",
    "Kind",
    "ReferenceColumn",
    "arrow_tables",
    "child_table",
    "child_tables",
    "field_kind",
    "fields_of",
    "figure_columns",
    "owner_columns",
    "read_metadata",
    "records_from",
    "reference_columns",
    "repeated_columns",
    "required_columns",
    "schemas",
]

FORMAT_VERSION = 4
"""The version of the table layout, written into every Parquet file's metadata. Version 1 had
no ``<field>_from``/``<field>_until`` instants (it still opens, with those columns null);
versions 1 and 2 had no ``owner_<column>`` columns in child tables (they are read from the
owner's table when such a file is opened); versions 1 to 3 had no ``aggregate`` column in
``events`` (:data:`ADDED_COLUMNS`)."""

READABLE_VERSIONS = (1, 2, 3, FORMAT_VERSION)
"""The table format versions :func:`conflictmodel.tables.open` reads."""

ADDED_COLUMNS: Mapping[str, Mapping[str, int]] = types.MappingProxyType(
    {"events": types.MappingProxyType({"aggregate": 4})}
)
"""The columns of required fields a format version added, with that version, by table: a
file of an older format lacks them, and its rows read as the fields' defaults (an event in a
file of format 3 is no aggregate)."""

METADATA_KEY = b"conflictmodel"
"""The Parquet metadata key holding the format version and the table's name."""

OWNER_COLUMNS: Mapping[str, tuple[str, ...]] = types.MappingProxyType(
    {"events": ("type", "when_start", "when_end", "when_from", "when_until", "where")}
)
"""By collection: the columns of a record each row of its child tables repeats as
``owner_<column>`` (:func:`repeated_columns`)."""

REPEATED_PREFIX = "owner_"
"""What a child table's name of a column it repeats from its owner starts with."""

CHILD_ORDER = (f"{REPEATED_PREFIX}when_start", "owner", "position")
"""The order the child tables of events are written and held in (nulls last): by their
event's first day, so that a period rules out most row groups."""


class Kind(enum.Enum):
    """How a field is laid out in columns."""

    TEXT = "text"
    INT = "int"
    FLOAT = "float"
    BOOL = "bool"
    SPAN = "span"
    TEXTS = "texts"
    TEXT_LISTS = "text_lists"
    MAPPING = "mapping"
    NESTED = "nested"
    CHILDREN = "children"
    JSON = "json"


@attrs.frozen
class FieldLayout:
    """One field of a class: its name, how it is laid out, and its class when nested."""

    name: str
    kind: Kind
    nested: type | None = None


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _is_text(hint: Any) -> bool:
    return hint is str or (isinstance(hint, type) and issubclass(hint, enum.Enum))


def field_kind(hint: Any) -> tuple[Kind, type | None]:
    """How a field with this type hint is laid out, and its nested class if any.

    >>> field_kind(tuple[str, ...])
    (<Kind.TEXTS: 'texts'>, None)
    >>> field_kind(TimeSpan | None)
    (<Kind.SPAN: 'span'>, None)
    """
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        rest = [arg for arg in args if arg is not type(None)]
        return field_kind(rest[0]) if len(rest) == 1 else (Kind.JSON, None)
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        item = args[0]
        if _is_text(item):
            return Kind.TEXTS, None
        if typing.get_origin(item) is tuple and field_kind(item)[0] is Kind.TEXTS:
            return Kind.TEXT_LISTS, None
        if isinstance(item, type) and attrs.has(item):
            return Kind.CHILDREN, item
        return Kind.JSON, None
    if origin in (Mapping, dict) and all(_is_text(arg) for arg in args):
        return Kind.MAPPING, None
    simple = {bool: Kind.BOOL, int: Kind.INT, float: Kind.FLOAT, TimeSpan: Kind.SPAN}
    if hint in simple:
        return simple[hint], None
    if _is_text(hint):
        return Kind.TEXT, None
    if isinstance(hint, type) and attrs.has(hint):
        return Kind.NESTED, hint
    return Kind.JSON, None


_FIELDS: dict[type, tuple[FieldLayout, ...]] = {}


def fields_of(cls: type) -> tuple[FieldLayout, ...]:
    """The layout of each field of the attrs class ``cls``."""
    found = _FIELDS.get(cls)
    if found is None:
        hints = _hints(cls)
        fields = attrs.fields(cls)
        found = _FIELDS[cls] = tuple(
            FieldLayout(f.name, *field_kind(hints[f.name])) for f in fields
        )
    return found


def _polymorphic(cls: type) -> dict[str, type]:
    """The registered classes a value of ``cls`` may be, by tag (``{}``: only ``cls`` itself)."""
    if cls is Statement:
        return dict(sorted(registry.statement_types().items()))
    return {}


def _arrow() -> Any:
    return require("pyarrow", "arrow", "conflictmodel.tables")


def _columns(prefix: str, layout: FieldLayout) -> list[tuple[str, Any]]:
    """The Arrow columns (name, type) of one field."""
    arrow = _arrow()
    name = f"{prefix}{layout.name}"
    simple = {
        Kind.TEXT: arrow.string(),
        Kind.INT: arrow.int64(),
        Kind.FLOAT: arrow.float64(),
        Kind.BOOL: arrow.bool_(),
        Kind.TEXTS: arrow.list_(arrow.string()),
        Kind.TEXT_LISTS: arrow.list_(arrow.list_(arrow.string())),
        Kind.MAPPING: arrow.map_(arrow.string(), arrow.string()),
        Kind.JSON: arrow.string(),
    }
    if layout.kind in simple:
        return [(name, simple[layout.kind])]
    if layout.kind is Kind.SPAN:
        return [
            (name, arrow.string()),
            (f"{name}_start", arrow.date32()),
            (f"{name}_end", arrow.date32()),
            (f"{name}_from", arrow.timestamp("us", tz="UTC")),
            (f"{name}_until", arrow.timestamp("us", tz="UTC")),
        ]
    if layout.kind is Kind.NESTED:
        assert layout.nested is not None
        found: list[tuple[str, Any]] = []
        variants = _polymorphic(layout.nested)
        if variants:
            found.append((f"{name}_type", arrow.string()))
        for cls in variants.values() or [layout.nested]:
            for sub in fields_of(cls):
                found.extend(_columns(f"{name}_", sub))
        return _merge(found, name)
    return []


def _merge(columns: Iterable[tuple[str, Any]], where: str) -> list[tuple[str, Any]]:
    """Columns by name, each once; one name with two types is refused."""
    merged: dict[str, Any] = {}
    for name, kind in columns:
        if merged.setdefault(name, kind) != kind:
            raise ValidationError(
                f"table layout of {where}: column {name!r} would hold both {merged[name]} and "
                f"{kind}; rename the field of one of the registered types"
            )
    return list(merged.items())


def classes_of(collection: str) -> dict[str, type[Record]]:
    """The registered record classes of ``collection``, by tag."""
    base = COLLECTIONS[collection]
    found = {tag: cls for tag, cls in registry.record_types().items() if issubclass(cls, base)}
    return dict(sorted(found.items(), key=lambda item: (item[1] is not base, item[0])))


def _children_of(collection: str) -> dict[str, type]:
    found: dict[str, type] = {}
    for cls in classes_of(collection).values():
        for layout in fields_of(cls):
            if layout.kind is Kind.CHILDREN:
                assert layout.nested is not None
                found.setdefault(layout.name, layout.nested)
    return found


def child_table(collection: str, field: str) -> str:
    """The name of the table holding the items of ``field`` (a child table, as
    :attr:`Kind.CHILDREN` lays it out) of ``collection``'s records.

    >>> child_table("events", "casualties")
    'events_casualties'
    """
    return f"{collection}_{field}"


def child_tables(collection: str) -> list[str]:
    """The names of the child tables of ``collection``.

    >>> child_tables("events")
    ['events_casualties', 'events_associates']
    >>> child_tables("claims")
    []
    """
    return [child_table(collection, field) for field in _children_of(collection)]


@attrs.frozen
class ReferenceColumn:
    """A column of ``table`` holding ids of ``target`` records: one id (``depth`` 0), a list
    of them (1) or a list of lists (2), laid out from the record's own field ``field`` (a
    nested value's or a child table's column: from the field holding it)."""

    table: str
    column: str
    target: str
    depth: int
    field: str


_DEPTHS = {Kind.TEXT: 0, Kind.TEXTS: 1, Kind.TEXT_LISTS: 2}


def reference_columns(collection: str) -> list[ReferenceColumn]:
    """Every column of ``collection``'s tables (its own and its child tables) that holds ids,
    as :func:`conflictmodel.records.references` finds them in its records.

    >>> [(c.table, c.column) for c in reference_columns("events")][:3]
    [('events', 'where'), ('events', 'sources'), ('events', 'part_of')]
    """
    found: dict[tuple[str, str], ReferenceColumn] = {}

    def visit(cls: type, table: str, prefix: str, field: str | None) -> None:
        metadata = {f.name: f.metadata.get(REFERENCE) for f in attrs.fields(cls)}
        for layout in fields_of(cls):
            target = metadata.get(layout.name)
            name = f"{prefix}{layout.name}"
            own = field or layout.name
            if target is not None and layout.kind in _DEPTHS:
                column = ReferenceColumn(table, name, target, _DEPTHS[layout.kind], own)
                found.setdefault((table, name), column)
            elif layout.kind is Kind.NESTED and layout.nested is not None:
                for variant in _polymorphic(layout.nested).values() or [layout.nested]:
                    visit(variant, table, f"{name}_", own)
            elif layout.kind is Kind.CHILDREN and layout.nested is not None:
                visit(layout.nested, child_table(collection, layout.name), "", own)

    for cls in classes_of(collection).values():
        visit(cls, collection, "", None)
    return list(found.values())


def required_columns(
    table: str, tags: Iterable[str] = (), version: int = FORMAT_VERSION
) -> dict[str, str]:
    """The columns a file of ``table`` in format ``version`` must hold, each with the field it
    lays out: ``type`` and the columns of the required fields (:func:`_optional`) every
    registered class of the collection has, and those the classes of ``tags`` (tags the table
    is known to hold) have, less those added after ``version`` (:data:`ADDED_COLUMNS`);
    in a child table ``owner``, ``position`` and the columns of the item's required fields.
    Any other column may be missing (it reads as null): a span's
    ``<field>_from``/``<field>_until`` (format 1 had none), a statement's fields (which ones a
    claim needs depends on its statement's type).

    >>> required_columns("events_casualties")
    {'owner': 'owner', 'position': 'position', 'actor': 'actor'}
    >>> list(required_columns("events"))
    ['type', 'id', 'when', 'when_start', 'when_end', 'aggregate']
    >>> list(required_columns("events", ["engagement"]))[6:]
    ['kind', 'initiators', 'targets']
    >>> "aggregate" in required_columns("events", version=3)
    False
    """
    collection, _, field = table.partition("_")
    if field:
        item = _children_of(collection)[field]
        return {"owner": "owner", "position": "position", **_required(item, "")}
    classes = classes_of(collection)
    every = [_required(cls, "") for cls in classes.values()]
    found = {"type": "type"}
    found.update((c, f) for c, f in every[0].items() if all(c in other for other in every))
    for tag in tags:
        if tag in classes:
            found.update(_required(classes[tag], ""))
    added = ADDED_COLUMNS.get(table, {})
    return {c: f for c, f in found.items() if added.get(c, 0) <= version}


def _required(cls: type, prefix: str) -> dict[str, str]:
    """The columns of the fields of ``cls`` with no default (see :func:`required_columns`),
    each with its field."""
    optional = {f.name for f in attrs.fields(cls) if _optional(f)}
    found: dict[str, str] = {}
    for layout in fields_of(cls):
        if layout.name in optional or layout.kind is Kind.CHILDREN:
            continue
        name = f"{prefix}{layout.name}"
        if layout.kind is Kind.SPAN:
            columns = [name, f"{name}_start", f"{name}_end"]
        elif layout.kind is Kind.NESTED and layout.nested is not None:
            polymorphic = _polymorphic(layout.nested)
            columns = [f"{name}_type"] if polymorphic else [*_required(layout.nested, f"{name}_")]
        else:
            columns = [name]
        found.update(dict.fromkeys(columns, f"{prefix}{layout.name}"))
    return found


def _optional(field: attrs.Attribute[Any]) -> bool:
    """Whether the columns of ``field`` may be missing: its default is ``None`` or empty, what
    the engine reads in their nulls. A field with no default is required, and so is one with
    another default (a claim's ``stance``), which the engine would read as null."""
    make = default_maker(field)
    if make is None:
        return False
    default = make()
    return default is None or (isinstance(default, str | tuple | Mapping) and not default)


@attrs.frozen
class FigureColumns:
    """The columns ``<prefix>low``, ``<prefix>best`` and ``<prefix>high`` of ``table``, laid
    out from an :class:`~conflictmodel.Estimate` at ``path`` in the record (in a child table:
    in its item)."""

    table: str
    prefix: str
    path: str


def figure_columns(collection: str) -> list[FigureColumns]:
    """The figures of ``collection``'s tables (its own and its child tables).

    >>> [(c.table, c.path) for c in figure_columns("events")][1:3]
    [('events_casualties', 'injured'), ('events', 'reported_total')]
    >>> figure_columns("claims")[0]
    FigureColumns(table='claims', prefix='statement_killed_', path='statement.killed')
    """
    found: dict[tuple[str, str], FigureColumns] = {}

    def visit(cls: type, table: str, prefix: str, path: str) -> None:
        for layout in fields_of(cls):
            name, where = f"{prefix}{layout.name}", f"{path}{layout.name}"
            if layout.kind is Kind.NESTED and layout.nested is Estimate:
                found.setdefault((table, name), FigureColumns(table, f"{name}_", where))
            elif layout.kind is Kind.NESTED and layout.nested is not None:
                for variant in _polymorphic(layout.nested).values() or [layout.nested]:
                    visit(variant, table, f"{name}_", f"{where}.")
            elif layout.kind is Kind.CHILDREN and layout.nested is not None:
                visit(layout.nested, child_table(collection, layout.name), "", "")

    for cls in classes_of(collection).values():
        visit(cls, collection, "", "")
    return list(found.values())


def read_metadata(value: bytes | None) -> object:
    """The format version in a Parquet file's :data:`METADATA_KEY` value (``None``: absent).

    >>> read_metadata(b'{"format": 1, "table": "events"}')
    1
    """
    try:
        found = orjson.loads(value) if value is not None else None
    except orjson.JSONDecodeError:
        return None
    return found.get("format") if isinstance(found, dict) else None


def schemas() -> dict[str, Any]:
    """The Arrow schema of every table, collections first, then child tables."""
    arrow = _arrow()
    found: dict[str, Any] = {}
    for collection in COLLECTIONS:
        columns = [("type", arrow.string())]
        for cls in classes_of(collection).values():
            for layout in fields_of(cls):
                columns.extend(_columns("", layout))
        found[collection] = _schema(collection, _merge(columns, collection))
    for collection in COLLECTIONS:
        owner = found[collection]
        for name, nested in _children_of(collection).items():
            columns = [("owner", arrow.string()), ("position", arrow.int64())]
            for layout in fields_of(nested):
                columns.extend(_columns("", layout))
            repeated = repeated_columns(collection).items()
            columns += [(name, owner.field(column).type) for name, column in repeated]
            table = child_table(collection, name)
            found[table] = _schema(table, _merge(columns, table))
    return found


def owner_columns(collection: str) -> tuple[str, ...]:
    """The columns of ``collection`` its child tables repeat (:data:`OWNER_COLUMNS`).

    >>> owner_columns("events")[:3]
    ('type', 'when_start', 'when_end')
    >>> owner_columns("claims")
    ()
    """
    return OWNER_COLUMNS.get(collection, ())


def repeated_columns(collection: str) -> dict[str, str]:
    """The columns the child tables of ``collection`` repeat: each one's name in the child
    table, and the owner's column it repeats.

    >>> repeated_columns("events")["owner_where"]
    'where'
    """
    return {f"{REPEATED_PREFIX}{column}": column for column in owner_columns(collection)}


def _schema(table: str, columns: list[tuple[str, Any]]) -> Any:
    metadata = {METADATA_KEY: orjson.dumps({"format": FORMAT_VERSION, "table": table})}
    return _arrow().schema(columns, metadata=metadata)


# Records to rows -----------------------------------------------------------------------------


def _day(value: datetime.date | None) -> datetime.date | None:
    return None if value is None else datetime.date(value.year, value.month, value.day)


def _utc(value: datetime.datetime | None) -> datetime.datetime | None:
    if value is None:
        return None
    moment = value.astimezone(datetime.UTC)
    return datetime.datetime(*moment.timetuple()[:6], tzinfo=datetime.UTC)


_NO_SPAN = (None, None, None, None, None)
_SPAN_SUFFIXES = ("", "_start", "_end", "_from", "_until")


@functools.lru_cache(maxsize=1 << 16)
def _span_cells(span: TimeSpan) -> tuple[Any, ...]:
    """A span's text, first and last day and UTC instants (spans equal when written alike
    have equal cells, and many events share one)."""
    return str(span), _day(span.start), _day(span.end), _utc(span.start_time), _utc(span.until)


@attrs.define
class _ChildItems:
    """The values of one child table, each with its record's row and its position."""

    rows: list[int] = attrs.Factory(list)
    positions: list[int] = attrs.Factory(list)
    values: list[Any] = attrs.Factory(list)

    def in_row_order(self) -> None:
        """Sort the items by row (stably: a record's items stay in order of position)."""
        rows = self.rows
        if not all(map(operator.le, rows, rows[1:])):
            order = sorted(range(len(rows)), key=rows.__getitem__)
            self.rows = list(map(rows.__getitem__, order))
            self.positions = list(map(self.positions.__getitem__, order))
            self.values = list(map(self.values.__getitem__, order))


Cells = dict[str, list[Any] | Coded]
"""Columns of cells by column name, each as long as the values laid out."""


def _by_class(values: list[Any], classes: Iterable[type]) -> list[tuple[type, list[int]]]:
    """The positions of the values of each of ``classes``."""
    kinds = list(map(type, values))
    every = range(len(values))
    return [
        (cls, list(itertools.compress(every, map(operator.is_, kinds, itertools.repeat(cls)))))
        for cls in classes
    ]


def _lay_out(
    values: list[Any], rows: list[int], prefix: str, into: Cells, children: dict[str, _ChildItems]
) -> None:
    """The cells of ``values`` (attrs values or ``None``), field by field, as long as
    ``values``; ``rows`` are their records' rows in the collection's table, for the child
    tables. A column no value fills is left out (it is null). Values of one class and
    ``None`` are read in one pass, a field of ``None`` read as ``None``."""
    classes = dict.fromkeys(map(type, values))
    absent = types.NoneType in classes
    classes.pop(types.NoneType, None)
    if len(classes) == 1 and (not absent or not _holds_children(next(iter(classes)))):
        for field in fields_of(next(iter(classes))):
            column = (
                list(map(getattr, values, itertools.repeat(field.name), itertools.repeat(None)))
                if absent
                else list(map(operator.attrgetter(field.name), values))
            )
            _field_cells(column, field, prefix, rows, into, children)
        return
    groups = _by_class(values, [*classes, types.NoneType] if absent else classes)
    laid: list[tuple[int, Cells]] = []
    for cls, positions in groups:
        found: Cells = {}
        if cls is not types.NoneType:
            group = list(map(values.__getitem__, positions))
            group_rows = list(map(rows.__getitem__, positions))
            _lay_out(group, group_rows, prefix, found, children)
        laid.append((len(positions), found))
    joined = list(itertools.chain.from_iterable(positions for _, positions in groups))
    back = sorted(range(len(joined)), key=joined.__getitem__)
    for name in dict.fromkeys(name for _, found in laid for name in found):
        cells = list(
            itertools.chain.from_iterable(
                _listed(found[name]) if name in found else [None] * size for size, found in laid
            )
        )
        into[name] = list(map(cells.__getitem__, back))


def _listed(column: list[Any] | Coded) -> list[Any]:
    return column.listed() if isinstance(column, Coded) else column


def _distinct(values: list[Any]) -> tuple[list[int], Any]:
    """The first position of each distinct object (by identity) of ``values``, in order of
    first appearance, and for each value the number of its object in that order. The loader
    shares equal values between records, so each is laid out once."""
    ids = numpy.fromiter(map(id, values), numpy.uint64, len(values)).view(numpy.int64)
    number, first = numbered(ids)
    return first.tolist(), number


def _each_once(values: list[Any], cells_of: Callable[[Any], Any]) -> Coded:
    """``cells_of`` each value, called once for each distinct object."""
    picked, number = _distinct(values)
    return Coded([cells_of(values[p]) for p in picked], number)


def _holds_children(cls: type) -> bool:
    """Whether a value of ``cls`` may hold child table items (in a field or a nested value)."""
    return any(
        field.kind is Kind.CHILDREN
        or (
            field.kind is Kind.NESTED
            and field.nested is not None
            and any(map(_holds_children, _polymorphic(field.nested).values() or [field.nested]))
        )
        for field in fields_of(cls)
    )


def _recoded(column: list[Any] | Coded, codes: Any) -> Coded:
    """The cells ``column`` holds for distinct values, taken by each row's ``codes``."""
    if isinstance(column, Coded):
        return Coded(column.distinct, column.codes[codes])
    return Coded(column, codes)


def _lay_out_once(
    values: list[Any], rows: list[int], prefix: str, into: Cells, children: dict[str, _ChildItems]
) -> None:
    """As :func:`_lay_out`, each distinct object laid out once when ``values`` hold no child
    items (the rows do not matter then)."""
    if any(map(_holds_children, set(map(type, values)) - {types.NoneType})):
        _lay_out(values, rows, prefix, into, children)
        return
    picked, number = _distinct(values)
    found: Cells = {}
    _lay_out(
        list(map(values.__getitem__, picked)),
        list(map(rows.__getitem__, picked)),
        prefix,
        found,
        children,
    )
    for name, column in found.items():
        into[name] = _recoded(column, number)


def _itself(value: Any) -> Any:
    return value


def _span_or_none(span: TimeSpan | None) -> tuple[Any, ...]:
    return _NO_SPAN if span is None else _span_cells(span)


def _text_lists(value: tuple[tuple[str, ...], ...] | None) -> list[list[str]] | None:
    return None if value is None else [list(item) for item in value]


def _pairs(value: Mapping[str, str] | None) -> list[tuple[str, str]] | None:
    return None if value is None else list(value.items())


def _json(value: object) -> str | None:
    return None if value is None else orjson.dumps(converter.unstructure(value)).decode()


def _tag_or_none(value: object) -> str | None:
    return None if value is None else registry.tag_of(type(value))


def _field_cells(
    values: list[Any] | Coded,
    layout: FieldLayout,
    prefix: str,
    rows: list[int],
    into: Cells,
    children: dict[str, _ChildItems],
) -> None:
    """The cells of one field's ``values``, as the field's :class:`Kind` lays them out (values
    given as :class:`~conflictmodel._bulk.Coded` laid out once each, when they hold no child
    items)."""
    name = f"{prefix}{layout.name}"
    kind = layout.kind
    if isinstance(values, Coded):
        if kind is Kind.CHILDREN or (
            kind is Kind.NESTED and layout.nested is not None and _holds_children(layout.nested)
        ):
            values = values.listed()
        else:
            found: Cells = {}
            distinct = list(values.distinct)
            places = list(range(len(distinct)))
            _field_cells(distinct, layout, prefix, places, found, children)
            for cells_name, cells in found.items():
                into[cells_name] = _recoded(cells, values.codes)
            return
    if kind is Kind.SPAN:
        spans = _each_once(values, _span_or_none)
        for suffix, column in zip(_SPAN_SUFFIXES, zip(*spans.distinct, strict=True), strict=True):
            into[f"{name}{suffix}"] = Coded(list(column), spans.codes)
    elif kind is Kind.TEXT:
        members = [k for k in set(map(type, values)) if issubclass(k, enum.Enum)]
        if members:
            value_of = {m: m.value for cls in members for m in cls}
            values = list(map(value_of.get, values, values))
        into[name] = values
    elif kind is Kind.TEXT_LISTS:
        into[name] = _each_once(values, _text_lists)
    elif kind is Kind.MAPPING:
        into[name] = _each_once(values, _pairs)
    elif kind is Kind.NESTED:
        assert layout.nested is not None
        if _polymorphic(layout.nested):
            into[f"{name}_type"] = _each_once(values, _tag_or_none)
        _lay_out_once(values, rows, f"{name}_", into, children)
    elif kind is Kind.CHILDREN:
        items = children.setdefault(layout.name, _ChildItems())
        sizes = numpy.fromiter(map(len, values), numpy.int64, len(values))
        starts = numpy.repeat(numpy.cumsum(sizes) - sizes, sizes)
        items.rows.extend(numpy.repeat(numpy.asarray(rows, numpy.int64), sizes).tolist())
        items.positions.extend((numpy.arange(len(starts)) - starts).tolist())
        items.values.extend(itertools.chain.from_iterable(values))
    elif kind is Kind.TEXTS:
        into[name] = _each_once(values, _itself)
    elif kind is Kind.JSON:
        into[name] = _each_once(values, _json)
    else:
        into[name] = values


def _tag(record: Record) -> str:
    try:
        return registry.tag_of(type(record))
    except RegistrationError as error:
        raise ValidationError(f"{record.label}: {error}") from None


def _refuse_opaque(records: list[Record]) -> None:
    """Refuse records kept as opaque (read with ``strict=False``), or holding an opaque
    statement, naming their tags: the layout has columns for registered types only."""
    found: list[UnknownEvent | UnknownStatement] = []
    owners: list[Record] = []
    for record in records:
        held = record if isinstance(record, OPAQUE) else getattr(record, "statement", None)
        if isinstance(held, OPAQUE):
            found.append(held)
            owners.append(record)
    if owners:
        field = "type" if owners[0] is found[0] else "statement.type"
        more = f" (and {len(owners) - 1:,} more)" if len(owners) > 1 else ""
        raise ValidationError(
            f"{owners[0].label}{more}.{field}: the tables have no columns for "
            f"{counted_tags(found)}, read with strict=False as opaque records; {REGISTER_THEM} "
            "(conflictmodel.dump writes them back unchanged as JSON)"
        )


def _arrow_table(cells: dict[str, Any], size: int, schema: Any) -> Any:
    """The table of ``cells``: columns of cells, or Arrow arrays already built."""
    arrow = _arrow()
    return arrow.table(
        [
            arrow.nulls(size, field.type)
            if field.name not in cells
            else arrow.array(cells[field.name], field.type)
            if isinstance(cells[field.name], list | Coded)
            else cells[field.name]
            for field in schema
        ],
        schema=schema,
    )


_BATCH = 1 << 16
"""Records laid out at a time: the cells of one batch are Python objects until they become
Arrow arrays, so batches bound the memory that takes."""


def _collection_tables(collection: str, records: list[Record]) -> dict[str, Any]:
    """The table of ``collection`` and its child tables, laid out column by column."""
    return _joined(
        [
            _batch_tables(collection, records[start : start + _BATCH])
            for start in range(0, len(records), _BATCH)
        ]
    )


def _joined(batches: list[dict[str, Any]]) -> dict[str, Any]:
    """The tables of ``batches`` (tables by name), each concatenated in order."""
    names = dict.fromkeys(name for batch in batches for name in batch)
    return {
        name: _arrow().concat_tables([batch[name] for batch in batches if name in batch])
        for name in names
    }


def _batch_tables(collection: str, records: list[Record]) -> dict[str, Any]:
    one_of_each = dict(zip(map(type, records), records, strict=True))
    if collection == "claims" or not set(OPAQUE).isdisjoint(one_of_each):
        _refuse_opaque(records)
    tags = {cls: _tag(record) for cls, record in one_of_each.items()}
    cells: Cells = {"type": list(map(tags.__getitem__, map(type, records)))}
    children: dict[str, _ChildItems] = {}
    _lay_out(records, list(range(len(records))), "", cells, children)
    return _tables_of_cells(collection, cells, children, len(records))


@attrs.frozen
class ClassColumns:
    """Records of one class given field by field, not made: ``columns`` holds each field's
    checked values by field name (as :meth:`~conflictmodel._bulk.Builder.checked_all` gives
    them), a value per record; ``rows`` (ascending integers) the place of each record among the
    records of its collection."""

    cls: type[Record]
    rows: Any
    columns: Mapping[str, list[Any] | Coded]

    def between(self, start: int, stop: int) -> ClassColumns:
        """The records whose place is from ``start`` to before ``stop``."""
        first, last = numpy.searchsorted(self.rows, [start, stop]).tolist()
        return self._sliced(first, last)

    def _sliced(self, first: int, last: int) -> ClassColumns:
        """The records from the ``first`` to before the ``last`` given."""
        return ClassColumns(
            self.cls,
            self.rows[first:last],
            {name: _sliced(column, first, last) for name, column in self.columns.items()},
        )


def columns_tables(collection: str, groups: Iterable[ClassColumns]) -> dict[str, Any]:
    """The table of ``collection`` and its child tables holding the records ``groups`` give
    field by field, in the order of their places: equal to the tables of the records those
    values make, laid out :data:`_BATCH` records at a time, so that an importer lays out its
    rows without making records.

    >>> import conflictmodel as cm, numpy
    >>> from conflictmodel._bulk import Builder
    >>> from conflictmodel.tables.layout import ClassColumns, columns_tables, arrow_tables
    >>> checked, _ = Builder(cm.Event).checked_all({"id": ["a", "c"], "when": ["2020-02"] * 2}, 2)
    >>> battle = {"id": ["b"], "when": ["2020-03"], "kind": ["armed_clash"],
    ...     "initiators": [()], "targets": [()]}
    >>> engaged, _ = Builder(cm.Engagement).checked_all(battle, 1)
    >>> found = columns_tables("events", [
    ...     ClassColumns(cm.Event, numpy.array([0, 2]), checked),
    ...     ClassColumns(cm.Engagement, numpy.array([1]), engaged),
    ... ])
    >>> records = [cm.Event(id="a", when="2020-02"), cm.Engagement(id="b", when="2020-03",
    ...     kind="armed_clash", initiators=(), targets=()),
    ...     cm.Event(id="c", when="2020-02")]
    >>> found["events"] == arrow_tables(cm.Dataset(records))["events"]
    True
    """
    listed = [group for group in groups if len(group.rows)]
    if not listed:
        return {}
    first = min(int(group.rows[0]) for group in listed)
    last = max(int(group.rows[-1]) for group in listed)
    batches = []
    for start in range(first, last + 1, _BATCH):
        parts = [group.between(start, start + _BATCH) for group in listed]
        batches.append(_merged_tables(collection, [part for part in parts if len(part.rows)]))
    return _joined(batches)


def _merged_tables(collection: str, parts: list[ClassColumns]) -> dict[str, Any]:
    """The tables of the records ``parts`` give, in the order of their places."""
    places = numpy.concatenate([part.rows for part in parts])
    order = numpy.argsort(places, kind="stable")
    position = numpy.empty_like(order)
    position[order] = numpy.arange(len(order))
    children: dict[str, _ChildItems] = {}
    laid: list[tuple[int, Cells]] = []
    offset = 0
    for part in parts:
        size = len(part.rows)
        cells: Cells = {"type": Coded([registry.tag_of(part.cls)], numpy.zeros(size, numpy.int64))}
        rows = position[offset : offset + size].tolist()
        for field in fields_of(part.cls):
            _field_cells(part.columns[field.name], field, "", rows, cells, children)
        laid.append((size, cells))
        offset += size
    merged: Cells = {
        name: _merged_cells([(size, cells.get(name)) for size, cells in laid], order)
        for name in dict.fromkeys(name for _, cells in laid for name in cells)
    }
    return _tables_of_cells(collection, merged, children, len(order))


def _merged_cells(
    pieces: list[tuple[int, list[Any] | Coded | None]], order: Any
) -> list[Any] | Coded:
    """The cells of ``pieces`` (each as long as its size; ``None``: nulls) one after the
    other, then taken in ``order``."""
    coded = [
        Coded([None], numpy.zeros(size, numpy.int64)) if cells is None else cells
        for size, cells in pieces
    ]
    if all(isinstance(cells, Coded) for cells in coded):
        distinct: list[Any] = []
        codes = []
        for cells in typing.cast(list[Coded], coded):
            codes.append(cells.codes + len(distinct))
            distinct.extend(cells.distinct)
        return Coded(distinct, numpy.concatenate(codes)[order])
    joined = list(
        itertools.chain.from_iterable(
            [None] * size if cells is None else _listed(cells) for size, cells in pieces
        )
    )
    return list(map(joined.__getitem__, order.tolist()))


def record_columns(records: list[Record]) -> list[ClassColumns]:
    """Records already made, given field by field as :func:`columns_tables` takes them, by
    class (each record's place its position in ``records``).

    >>> import conflictmodel as cm
    >>> from conflictmodel.tables.layout import record_columns
    >>> events = list(cm.examples.idlib_2020().events.values())[10:]
    >>> [(group.cls.__name__, group.rows.tolist()) for group in record_columns(events)]
    [('Engagement', [0, 1]), ('Toll', [2, 3])]
    """
    places: dict[type[Record], list[int]] = {}
    for place, record in enumerate(records):
        places.setdefault(type(record), []).append(place)
    return [
        ClassColumns(
            cls,
            numpy.array(chosen, dtype=numpy.int64),
            {
                field.name: [getattr(records[place], field.name) for place in chosen]
                for field in fields_of(cls)
            },
        )
        for cls, chosen in places.items()
    ]


def kept_values(column: list[Any] | Coded, kept: Any) -> list[Any] | Coded:
    """The values of ``column`` where the boolean array ``kept`` is true."""
    if isinstance(column, Coded):
        return Coded(column.distinct, column.codes[kept])
    return list(itertools.compress(column, kept.tolist()))


def _sliced(column: list[Any] | Coded, start: int, stop: int) -> list[Any] | Coded:
    if isinstance(column, Coded):
        return Coded(column.distinct, column.codes[start:stop])
    return column[start:stop]


def _tables_of_cells(
    collection: str, cells: Cells, children: dict[str, _ChildItems], size: int
) -> dict[str, Any]:
    """The table of ``collection`` of ``size`` rows of ``cells``, and its child tables of
    ``children``' items."""
    layout = schemas()
    owner = _arrow_table(cells, size, layout[collection])
    tables = {collection: owner}
    repeated = owner.select(["id", *owner_columns(collection)])
    done: set[str] = set()
    while len(done) < len(children):
        field = next(name for name in children if name not in done)
        done.add(field)
        items = children[field]
        items.in_row_order()
        owned = repeated.take(_arrow().array(items.rows, _arrow().int64()))
        child: dict[str, Any] = {"owner": owned.column("id"), "position": items.positions}
        for name, column in repeated_columns(collection).items():
            child[name] = owned.column(column)
        if items.values:
            _lay_out(items.values, items.rows, "", child, children)
        table = child_table(collection, field)
        tables[table] = _arrow_table(child, len(items.rows), layout[table])
    return tables


@typing.runtime_checkable
class HeldAsTables(typing.Protocol):
    """Records held as tables already (:class:`conflictmodel.tables.lazy.LazyRecords`)."""

    def arrow_tables(self) -> dict[str, Any]:
        """The collection's table and its child tables, by name, in the layout."""


def arrow_tables(ds: Dataset) -> dict[str, Any]:
    """Every table of ``ds`` as a ``pyarrow.Table`` with its schema, by name (a collection
    held as tables is copied without building its records).

    >>> import conflictmodel as cm
    >>> found = arrow_tables(cm.examples.idlib_2020())
    >>> found["events"].num_rows, found["events_casualties"].num_rows
    (14, 2)
    """
    layout = schemas()
    tables: dict[str, Any] = {}
    with paused_gc():
        for collection in COLLECTIONS:
            held = ds._tables[collection]
            if isinstance(held, HeldAsTables):
                tables.update(held.arrow_tables())
                continue
            records: Mapping[str, Record] = getattr(ds, collection)
            tables.update(_collection_tables(collection, list(records.values())))
    for name, schema in layout.items():
        tables.setdefault(name, schema.empty_table())
    return tables


HISTORY = "history"
"""The table of a dataset's history (:func:`history_table`), written beside the collections'
when the dataset has one."""


def history_schema() -> Any:
    """The Arrow schema of the history table: a row per version of each record that has
    several or carries a date (:attr:`Dataset.history <conflictmodel.Dataset.history>`),
    oldest first: its record's ``collection`` and ``id``, when it was ``recorded`` and in which
    ``release``, ``until`` when it ended and whether it was ``withdrawn``, and for a version that
    has ended the ``record`` as it was, as JSON (as a dataset file writes it); a current
    version's record is the one in its collection."""
    arrow = _arrow()
    moment = arrow.timestamp("us", tz="UTC")
    return _schema(
        HISTORY,
        [
            ("collection", arrow.string()),
            ("id", arrow.string()),
            ("recorded", moment),
            ("release", arrow.string()),
            ("until", moment),
            ("withdrawn", arrow.bool_()),
            ("record", arrow.string()),
        ],
    )


@typing.runtime_checkable
class HistoryAsTable(typing.Protocol):
    """A history held as a table already (:class:`conflictmodel.tables.lazy.LazyHistory`)."""

    def history_table(self) -> Any:
        """Its rows as :func:`history_table` gives them, building no record of a current
        version."""


def history_table(ds: Dataset) -> Any:
    """The history table of ``ds`` (:func:`history_schema`), records in the order of
    :data:`~conflictmodel.dataset.COLLECTIONS` and of their ids, each one's versions oldest
    first (a history held as a table already is read from it, building no record).

    >>> import conflictmodel as cm
    >>> from conflictmodel.tables.layout import history_table
    >>> ds = cm.Dataset().updated([cm.Actor(id="a", name="A", kind="state")], recorded="2020-03-01")
    >>> history_table(ds).to_pylist()[0]["recorded"].isoformat()
    '2020-03-01T00:00:00+00:00'
    """
    if isinstance(ds._history, HistoryAsTable):
        return ds._history.history_table()
    return versions_table(ds._history)


def versions_table(history: Mapping[tuple[str, str], tuple[Any, ...]]) -> Any:
    """The history table (:func:`history_table`) of the versions in ``history``."""
    rows = [
        {
            "collection": collection,
            "id": record_id,
            "recorded": version.recorded,
            "release": version.release,
            "until": version.until,
            "withdrawn": version.withdrawn,
            "record": None
            if version.current
            else orjson.dumps(converter.unstructure(version.record)).decode(),
        }
        for (collection, record_id), versions in history.items()
        for version in versions
    ]
    return in_history_order(_arrow().Table.from_pylist(rows, schema=history_schema()))


def in_history_order(table: Any) -> Any:
    """A history table's rows in the order of :func:`history_table`, a record's versions
    kept in their order."""
    compute: Any = require("pyarrow.compute", "arrow", "conflictmodel.tables")
    rank = compute.index_in(table.column("collection"), value_set=_arrow().array(COLLECTIONS))
    ordered = table.append_column("rank", rank).sort_by(
        [("rank", "ascending"), ("id", "ascending")]
    )
    return ordered.drop_columns(["rank"])


# Rows to records -----------------------------------------------------------------------------


class _Cells:
    """The cells of a table by column name, each column read once: from an Arrow table's
    columns, or from row mappings (a missing column or key is null)."""

    def __init__(self, source: Any) -> None:
        self._table = source if hasattr(source, "column_names") else None
        self._rows: list[Mapping[str, Any]] = [] if self._table is not None else list(source)
        self.size = len(self._rows) if self._table is None else self._table.num_rows
        self._read: dict[str, list[Any]] = {}

    def column(self, name: str) -> list[Any]:
        found = self._read.get(name)
        if found is None:
            if self._table is None:
                found = [row.get(name) for row in self._rows]
            elif name in self._table.column_names:
                found = self._table.column(name).to_pylist()
            else:
                found = [None] * self.size
            self._read[name] = found
        return found

    def take(self, positions: list[int]) -> _Cells:
        """The cells of these rows only."""
        if self._table is not None:
            return _Cells(self._table.take(positions))
        return _Cells([self._rows[p] for p in positions])


Owned = Callable[[FieldLayout], list[list[Any]]]
"""Per row, the JSON values of the items a ``CHILDREN`` field holds (from its child table)."""


def _no_children(size: int) -> Owned:
    return lambda layout: [[] for _ in range(size)]


def _by_tag(tags: list[Any]) -> dict[Any, list[int]]:
    """The positions of each tag, in order of first appearance."""
    found: dict[Any, list[int]] = {}
    for position, tag in enumerate(tags):
        found.setdefault(tag, []).append(position)
    return found


def _field_values(cells: _Cells, layout: FieldLayout, prefix: str, owned: Owned) -> list[Any]:
    """Per row of ``cells``, the JSON value of the field ``layout`` (what the loader reads):
    the inverse of how :func:`_field_cells` lays it out."""
    name = f"{prefix}{layout.name}"
    kind = layout.kind
    if kind is Kind.CHILDREN:
        return owned(layout)
    if kind is Kind.NESTED:
        assert layout.nested is not None
        if not _polymorphic(layout.nested):
            subs = [
                (sub.name, _field_values(cells, sub, f"{name}_", owned))
                for sub in fields_of(layout.nested)
            ]
            names = [sub for sub, _ in subs]
            return [
                dict(zip(names, given, strict=True))
                if any(value is not None for value in given)
                else None
                for given in zip(*(values for _, values in subs), strict=True)
            ]
        found: list[Any] = [None] * cells.size
        for tag, positions in _by_tag(cells.column(f"{name}_type")).items():
            if tag is None:
                continue
            cls = registry.statement_class(tag) or layout.nested
            group = cells.take(positions)

            def picked(child: FieldLayout, rows: list[int] = positions) -> list[list[Any]]:
                items = owned(child)
                return [items[row] for row in rows]

            subs = [
                (sub.name, _field_values(group, sub, f"{name}_", picked)) for sub in fields_of(cls)
            ]
            for position, given in zip(
                positions, zip(*(values for _, values in subs), strict=True), strict=True
            ):
                nested = {registry.TYPE_KEY: tag}
                nested.update(zip((sub for sub, _ in subs), given, strict=True))
                found[position] = nested
        return found
    column = cells.column(name)
    if kind is Kind.MAPPING:
        return [None if value is None else dict(value) for value in column]
    if kind is Kind.JSON:
        return [None if value is None else orjson.loads(value) for value in column]
    return column


def _child_items(table: Any, item_class: type) -> dict[Any, list[Any]]:
    """The JSON values of a child table's items, by owner, in the order of ``position`` (an
    Arrow table sorted by Arrow, row mappings by Python)."""
    arrow = hasattr(table, "sort_by")
    cells = _Cells(
        table.sort_by([("owner", "ascending"), ("position", "ascending")]) if arrow else table
    )
    subs = [
        (sub.name, _field_values(cells, sub, "", _no_children(cells.size)))
        for sub in fields_of(item_class)
    ]
    names = [sub for sub, _ in subs]
    keyed: Iterable[tuple[Any, Any, tuple[Any, ...]]] = zip(
        cells.column("owner"),
        cells.column("position"),
        zip(*(values for _, values in subs), strict=True),
        strict=True,
    )
    if not arrow:
        keyed = sorted(keyed, key=lambda item: (item[0], item[1]))
    by_owner: dict[Any, list[Any]] = {}
    for owner, _, given in keyed:
        by_owner.setdefault(owner, []).append(dict(zip(names, given, strict=True)))
    return by_owner


def records_from(
    collection: str,
    rows: Any,
    children: Mapping[str, Any] | None = None,
    structurer: Structurer | None = None,
) -> list[Record]:
    """Records of ``collection`` from its table (and its child tables, by table name), each an
    Arrow table or row mappings; read column by column.

    Each record is built as the JSON loader builds it (by its private ``Structurer``, which
    shares equal values; pass one to share them across calls), or, for a row it leaves
    to the converter, through the converter, whose refusal is a
    :class:`~conflictmodel.LoadError` naming the table, the row's id and the field.

    >>> import conflictmodel as cm
    >>> ds = cm.examples.idlib_2020()
    >>> found = arrow_tables(ds)
    >>> actors = records_from("actors", found["actors"])
    >>> actors == list(ds.actors.values()) == records_from("actors", found["actors"].to_pylist())
    True
    """
    cells = _Cells(rows)
    ids, base = cells.column("id"), COLLECTIONS[collection]
    build = structurer or Structurer()
    items: dict[str, dict[Any, list[Any]]] = {}

    def owned_by(group_ids: list[Any]) -> Owned:
        def owned(layout: FieldLayout) -> list[list[Any]]:
            table = (children or {}).get(child_table(collection, layout.name))
            if table is None or layout.nested is None:
                return [[] for _ in group_ids]
            if layout.name not in items:
                items[layout.name] = _child_items(table, layout.nested)
            by_owner = items[layout.name]
            return [by_owner.get(owner, []) for owner in group_ids]

        return owned

    found: list[Record | None] = [None] * cells.size
    groups = _by_tag(cells.column("type"))
    with paused_gc():
        for tag, positions in groups.items():
            cls = registry.record_class(tag) or base
            group = cells if len(groups) == 1 else cells.take(positions)
            owned = owned_by([ids[p] for p in positions])
            layouts = fields_of(cls)
            columns = [_field_values(group, layout, "", owned) for layout in layouts]
            defaulted = _defaulted(cls)
            for position, given in zip(positions, zip(*columns, strict=True), strict=True):
                document: dict[str, Any] = {registry.TYPE_KEY: tag}
                for layout, value in zip(layouts, given, strict=True):
                    if value is not None or layout.name not in defaulted:
                        document[layout.name] = value
                record = build(document)
                if record is None:
                    record = _structure(document, base, join(collection, str(ids[position])))
                found[position] = record
    return typing.cast(list[Record], found)


_DEFAULTED: dict[type, frozenset[str]] = {}


def _defaulted(cls: type) -> frozenset[str]:
    """The fields of ``cls`` with a default other than ``None`` (a null cell leaves it)."""
    found = _DEFAULTED.get(cls)
    if found is None:
        found = _DEFAULTED[cls] = frozenset(
            f.name
            for f in attrs.fields(cls)
            if f.default is not None and f.default is not attrs.NOTHING
        )
    return found


def _structure(document: dict[str, Any], base: type[Record], path: str) -> Record:
    try:
        record: Record = converter.structure(document, base)
    except Exception as error:  # cattrs wraps what the constructors raise
        raise LoadError(list(problems_of(error, path))) from None
    return record
