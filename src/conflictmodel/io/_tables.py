"""Flat tables of a dataset's records, the shared ground of the CSV, pandas and Arrow exports.

A table is a list of column names with their types and a list of rows (dicts of plain values).
Many-valued fields (aliases, initiators, sources, ...) are joined with ``"; "``. The events
table has a column (or a few) for every field of a plug-in event type, laid out by its kind in
the :mod:`~conflictmodel.spec` (:func:`field_columns`).
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, Literal, TypeVar, cast

import attrs
import orjson

from conflictmodel._converter import converter
from conflictmodel.claims import Occurred, Stance, describe_statement
from conflictmodel.dataset import Dataset
from conflictmodel.errors import ValidationError
from conflictmodel.events import Engagement, Event, Toll
from conflictmodel.opaque import OPAQUE
from conflictmodel.places import Location, Point
from conflictmodel.quantities import ESTIMATE_PARTS, Estimate
from conflictmodel.queries import CasualtyTable, Violation
from conflictmodel.queries.casualties import CasualtyTotals
from conflictmodel.queries.perspective import Perspective, claimants
from conflictmodel.records import Record
from conflictmodel.registry import record_tag, tag_of
from conflictmodel.spec import FieldSpec, Kind, fields_of
from conflictmodel.timespans import TimeSpan

_T = TypeVar("_T")
ColumnType = Literal["str", "int", "float", "date", "bool"]
Value = str | int | float | bool | datetime.date | None
Row = dict[str, Value]

KINDS = (
    "events",
    "casualties",
    "associates",
    "claims",
    "actors",
    "locations",
    "sources",
    "source_values",
)
"""The tables :func:`table` makes."""
_VALUE_TABLES = ("casualties", "associates")
"""Tables of an event field holding a tuple of nested values, one row per value."""
_RECORD_TABLES = ("claims", "actors", "locations", "sources")

JOIN = "; "


@attrs.frozen
class Table:
    """Columns (name to type) and rows."""

    columns: dict[str, ColumnType]
    rows: list[Row]


def joined(values: Iterable[str]) -> str | None:
    text = JOIN.join(values)
    return text or None


def estimate_columns(prefix: str) -> dict[str, ColumnType]:
    return {f"{prefix}_{part}": "int" for part in ESTIMATE_PARTS}


def estimate_values(prefix: str, estimate: Estimate | None) -> Row:
    return {f"{prefix}_{part}": getattr(estimate, part, None) for part in ESTIMATE_PARTS}


def span_values(prefix: str, span: TimeSpan | None) -> Row:
    if span is None:
        return dict.fromkeys(span_columns(prefix))
    return {
        prefix: str(span),
        f"{prefix}_start": span.start,
        f"{prefix}_end": span.end,
        f"{prefix}_precision": span.precision.value,
    }


def span_columns(prefix: str) -> dict[str, ColumnType]:
    """A span's text, its first and last day, and the precision its start is known to."""
    return {
        prefix: "str",
        f"{prefix}_start": "date",
        f"{prefix}_end": "date",
        f"{prefix}_precision": "str",
    }


def point_of(ds: Dataset, location_id: str | None) -> Point | None:
    """The point of a location, or of the nearest location it lies within that has one."""
    if location_id is None:
        return None
    for candidate in (location_id, *ds.location_ancestors(location_id)):
        point = ds.locations[candidate].point
        if point is not None:
            return point
    return None


_AS_TEXT = (Kind.ID, Kind.TEXT, Kind.REFERENCE)
_JOINED = (Kind.REFERENCES, Kind.TEXTS)
_SCALAR_COLUMNS: dict[Kind, ColumnType] = {
    Kind.BOOL: "bool",
    Kind.INT: "int",
    Kind.FLOAT: "float",
    Kind.DATE: "date",
}
_NAMED = ("actors", "locations")
"""The collections whose references get a column of names beside the ids."""


def field_columns(
    field: FieldSpec, prefix: str = "", *, points: bool = True
) -> dict[str, ColumnType]:
    """The columns of one field, by its kind: an estimate, span or nested value spreads over
    several, a reference to actors or places gains their names (and a place its point).

    A mapping's columns depend on its keys and a statement's on its type (:func:`table` lays
    them out); other kinds without a flat form (tuples of nested values) are JSON text.

    >>> from conflictmodel.spec import field_of
    >>> field_columns(field_of(Toll, "displaced"))
    {'displaced_low': 'int', 'displaced_best': 'int', 'displaced_high': 'int'}
    >>> list(field_columns(field_of(Engagement, "captured")))
    ... # doctest: +NORMALIZE_WHITESPACE
    ['captured_location', 'captured_location_name', 'captured_location_lat',
     'captured_location_lon', 'captured_gained_by', 'captured_gained_by_name',
     'captured_lost_by', 'captured_lost_by_name']
    """
    name = prefix + field.name
    if field.kind is Kind.ESTIMATE:
        return estimate_columns(name)
    if field.kind is Kind.SPAN:
        return span_columns(name)
    if field.kind is Kind.POINT:
        return {f"{name}_lat": "float", f"{name}_lon": "float"}
    if field.kind is Kind.VALUE and field.value_type is not None:
        return {
            column: kind
            for inner in fields_of(field.value_type)
            for column, kind in field_columns(inner, f"{name}_", points=points).items()
        }
    columns: dict[str, ColumnType] = {name: _SCALAR_COLUMNS.get(field.kind, "str")}
    if field.collection in _NAMED and field.kind in (Kind.REFERENCE, Kind.REFERENCES):
        columns[f"{name}_name" if field.kind is Kind.REFERENCE else f"{name}_names"] = "str"
    if points and field.collection == "locations" and field.kind is Kind.REFERENCE:
        columns.update({f"{name}_lat": "float", f"{name}_lon": "float"})
    return columns


def _name_of(ds: Dataset, collection: str, record_id: str) -> str:
    record = ds.get(collection, record_id)
    return str(getattr(record, "name", record_id))


def field_values(
    ds: Dataset, field: FieldSpec, value: object, prefix: str = "", *, points: bool = True
) -> Row:
    """The cells of one field's columns (see :func:`field_columns`)."""
    name = prefix + field.name
    if field.kind is Kind.ESTIMATE:
        return estimate_values(name, value if isinstance(value, Estimate) else None)
    if field.kind is Kind.SPAN:
        return span_values(name, value if isinstance(value, TimeSpan) else None)
    if field.kind is Kind.POINT:
        point = value if isinstance(value, Point) else None
        return {
            f"{name}_lat": None if point is None else point.lat,
            f"{name}_lon": None if point is None else point.lon,
        }
    if field.kind is Kind.VALUE and field.value_type is not None:
        return {
            column: cell
            for inner in fields_of(field.value_type)
            for column, cell in field_values(
                ds, inner, getattr(value, inner.name, None), f"{name}_", points=points
            ).items()
        }
    cells: Row = {name: _cell(field, value)}
    if field.collection in _NAMED and field.kind is Kind.REFERENCE:
        cells[f"{name}_name"] = (
            None if not isinstance(value, str) else _name_of(ds, field.collection, value)
        )
    if field.collection in _NAMED and field.kind is Kind.REFERENCES:
        ids = value if isinstance(value, tuple) else ()
        cells[f"{name}_names"] = joined(_name_of(ds, field.collection, i) for i in ids)
    if points and field.collection == "locations" and field.kind is Kind.REFERENCE:
        point = point_of(ds, value if isinstance(value, str) else None)
        cells[f"{name}_lat"] = None if point is None else point.lat
        cells[f"{name}_lon"] = None if point is None else point.lon
    return cells


def _cell(field: FieldSpec, value: object) -> Value:
    if value is None or field.kind in _SCALAR_COLUMNS or field.kind in _AS_TEXT:
        return cast(Value, value)
    if field.kind is Kind.ENUM and isinstance(value, enum.Enum):
        return str(value.value)
    if field.kind in _JOINED and isinstance(value, tuple):
        return joined(value)
    if field.kind is Kind.ENUMS and isinstance(value, tuple):
        return joined(str(item.value) for item in value)
    return orjson.dumps(converter.unstructure(value)).decode()


def _by_tag(records: Iterable[object]) -> list[type]:
    """The classes of ``records``, base classes first, then by tag (opaque records last)."""
    classes = {type(record) for record in records}
    return sorted(
        classes,
        key=lambda cls: (cls in OPAQUE, len(cls.__mro__), "" if cls in OPAQUE else tag_of(cls)),
    )


def _flat_fields(records: Iterable[object]) -> dict[str, FieldSpec]:
    """Every field the records' classes have, by name, in the order the classes declare them;
    mappings and statements have columns of their own, and an opaque record's tag is its
    type (its other fields are the JSON of its ``payload`` column)."""
    found: dict[str, FieldSpec] = {}
    for cls in _by_tag(records):
        for field in fields_of(cls):
            if field.kind in (Kind.TEXT_MAPPING, Kind.STATEMENT):
                continue
            if cls not in OPAQUE or field.name != "tag":
                found.setdefault(field.name, field)
    return found


def _mapping_fields(records: Iterable[object]) -> dict[str, FieldSpec]:
    return {
        field.name: field
        for cls in _by_tag(records)
        for field in fields_of(cls)
        if field.kind is Kind.TEXT_MAPPING
    }


@attrs.frozen
class TableParts:
    """A table's columns and its rows in parts of at most :data:`PART_ROWS`, made as they are
    read: a writer holds one part's rows at a time, not the whole table's."""

    columns: dict[str, ColumnType]
    parts: Iterator[list[Row]]


PART_ROWS = 20_000
"""How many rows a part of :func:`table_parts` holds at most."""


def _in_parts(
    items: Sequence[_T], rows_of: Callable[[Sequence[_T]], list[Row]]
) -> Iterator[list[Row]]:
    for start in range(0, len(items), PART_ROWS):
        rows = rows_of(items[start : start + PART_ROWS])
        if rows:
            yield rows


def _record_parts(
    ds: Dataset,
    records: Sequence[Record],
    *,
    tagged: bool,
    derived: tuple[dict[str, ColumnType], Callable[[Any], Row]] | None = None,
) -> TableParts:
    """One row per record, a column (or a few) per field of any of their classes, derived
    from the field spec; a mapping spreads over ``<field>.<key>`` columns. A reference to a
    place gains the place's point, except in the table of places, which has their own.
    ``derived``: more columns, last, and the cells a record gives them."""
    points = not all(isinstance(record, Location) for record in records)
    fields = _flat_fields(records)
    mappings = _mapping_fields(records)
    statements = [r.statement for r in records if hasattr(r, "statement")]
    statement_fields = _flat_fields(statements)
    columns: dict[str, ColumnType] = {"type": "str"} if tagged else {}
    for field in fields.values():
        columns.update(field_columns(field, points=points))
    if statements:
        columns["statement"] = "str"
        for field in statement_fields.values():
            columns.update(field_columns(field, "statement_"))
        columns["text"] = "str"
    for name in mappings:
        keys = {key for record in records for key in getattr(record, name, {})}
        columns.update({f"{name}.{key}": "str" for key in sorted(keys)})
    if derived is not None:
        columns.update(derived[0])

    def rows_of(part: Sequence[Record]) -> list[Row]:
        rows: list[Row] = []
        for record in part:
            row: Row = dict.fromkeys(columns)
            if tagged:
                row["type"] = record_tag(record)
            for field in fields.values():
                if hasattr(record, field.name):
                    value = getattr(record, field.name)
                    row.update(field_values(ds, field, value, points=points))
            statement = getattr(record, "statement", None)
            if statement is not None:
                row["statement"] = record_tag(statement)
                for field in statement_fields.values():
                    if hasattr(statement, field.name):
                        value = getattr(statement, field.name)
                        row.update(field_values(ds, field, value, "statement_"))
                row["text"] = describe_statement(statement)
            for name in mappings:
                row.update({f"{name}.{k}": v for k, v in getattr(record, name, {}).items()})
            if derived is not None:
                row.update(derived[1](record))
            rows.append(row)
        return rows

    return TableParts(columns, _in_parts(records, rows_of))


def killed(event: Event) -> Estimate | None:
    """The event's killed figure: an engagement's total, a toll's count."""
    if isinstance(event, Engagement):
        return event.killed_total
    if isinstance(event, Toll):
        return event.killed
    return None


def _events(ds: Dataset) -> TableParts:
    return _event_parts(ds, sorted(ds.events.values(), key=lambda e: e.when.sort_key))


def _event_parts(ds: Dataset, events: Sequence[Event]) -> TableParts:
    """The events' fields, then ``killed_total`` (the figure charts use) and who currently
    says each took place and who denies it (``occurrence_asserted_by``,
    ``occurrence_denied_by``: the claimants of its current ``Occurred`` claims, joined by
    ``"; "``), so that an event only a claimant reports never passes for a recorded fact."""
    view = Perspective(ds)
    named = {c.statement.event for c in ds.claims.values() if isinstance(c.statement, Occurred)}

    def derived_cells(event: Event) -> Row:
        said = view.current_claims(event.id, Occurred) if event.id in named else []
        by = {
            stance: "; ".join(claimants(c for c in said if c.stance is stance)) or None
            for stance in Stance
        }
        return {
            **estimate_values("killed_total", killed(event)),
            "occurrence_asserted_by": by[Stance.ASSERTS],
            "occurrence_denied_by": by[Stance.DENIES],
        }

    columns: dict[str, ColumnType] = {
        **estimate_columns("killed_total"),
        "occurrence_asserted_by": "str",
        "occurrence_denied_by": "str",
    }
    return _record_parts(ds, events, tagged=True, derived=(columns, derived_cells))


def events_table(ds: Dataset, events: Sequence[Event]) -> Table:
    """The rows of :func:`table` ``(ds, "events")`` of ``events`` only, in their order."""
    return _whole(_event_parts(ds, events))


def _value_parts(ds: Dataset, field_name: str) -> TableParts:
    """The long table of an event field holding a tuple of nested values (``casualties``,
    ``associates``): one row per value, with its event's id, span and place."""
    events = [e for e in ds.events.values() if getattr(e, field_name, ())]
    classes = {
        field.value_type
        for cls in _by_tag(events)
        for field in fields_of(cls)
        if field.name == field_name and field.value_type is not None
    }
    inner = {field.name: field for cls in classes for field in fields_of(cls)}
    columns: dict[str, ColumnType] = {"event": "str"}
    for field in inner.values():
        columns.update(field_columns(field))
    columns.update({**span_columns("when"), "where": "str", "where_name": "str"})

    def rows_of(part: Sequence[Event]) -> list[Row]:
        rows: list[Row] = []
        for event in part:
            for value in getattr(event, field_name):
                row: Row = dict.fromkeys(columns)
                row["event"] = event.id
                for field in inner.values():
                    row.update(field_values(ds, field, getattr(value, field.name, None)))
                row.update(span_values("when", event.when))
                row["where"] = event.where
                row["where_name"] = (
                    None if event.where is None else _name_of(ds, "locations", event.where)
                )
                rows.append(row)
        return rows

    return TableParts(columns, _in_parts(events, rows_of))


def _source_value_parts(ds: Dataset) -> TableParts:
    def rows_of(part: Sequence[Event]) -> list[Row]:
        return [
            {"event": event.id, "column": column, "value": value}
            for event in part
            for column, value in event.source_values.items()
        ]

    columns: dict[str, ColumnType] = {"event": "str", "column": "str", "value": "str"}
    return TableParts(columns, _in_parts(list(ds.events.values()), rows_of))


def table_parts(ds: Dataset, kind: str) -> TableParts:
    """The table of ``kind`` (one of :data:`KINDS`) for ``ds``, in parts."""
    if not isinstance(ds, Dataset):
        raise ValidationError(f"expected a Dataset, got {type(ds).__name__}")
    if kind == "events":
        return _events(ds)
    if kind in _VALUE_TABLES:
        return _value_parts(ds, kind)
    if kind in _RECORD_TABLES:
        return _record_parts(ds, list(getattr(ds, kind).values()), tagged=False)
    if kind == "source_values":
        return _source_value_parts(ds)
    raise ValidationError(f"no table {kind!r}; expected one of {', '.join(KINDS)}")


def _whole(parts: TableParts) -> Table:
    return Table(parts.columns, [row for part in parts.parts for row in part])


def table(ds: Dataset, kind: str) -> Table:
    """The table of ``kind`` (one of :data:`KINDS`) for ``ds``."""
    return _whole(table_parts(ds, kind))


def casualty_table(result: CasualtyTable | CasualtyTotals) -> Table:
    """The rows of a :func:`~conflictmodel.casualties_by_actor` result (on a dataset or on
    opened tables), one per actor."""
    columns: dict[str, ColumnType] = {
        "actor": "str",
        **estimate_columns("killed"),
        **estimate_columns("injured"),
        "alleged_by": "str",
        "denied_by": "str",
        "rests_on_claims": "bool",
    }
    keys = list(dict.fromkeys([*result, *result.injured]))
    rows: list[Row] = [
        {
            "actor": key,
            **estimate_values("killed", result.get(key)),
            **estimate_values("injured", result.injured.get(key)),
            "alleged_by": joined(result.alleged_by(key)),
            "denied_by": joined(result.denied_by(key)),
            "rests_on_claims": result.rests_on_claims(key),
        }
        for key in keys
    ]
    return Table(columns, rows)


def violation_table(violations: Iterable[Violation]) -> Table:
    """The rows of a :func:`~conflictmodel.ceasefire_violations` result, one per violation."""
    columns: dict[str, ColumnType] = {
        "agreement": "str",
        "violator": "str",
        "parties": "str",
        "who": "str",
        "event": "str",
        "part_of": "str",
        "basis": "str",
        "certainty": "str",
        "aggregate": "bool",
        "alleged_by": "str",
        "denied_by": "str",
        **span_columns("when"),
        "claims": "str",
        "explanation": "str",
    }
    rows: list[Row] = [
        {
            "agreement": v.agreement,
            "violator": v.violator,
            "parties": joined(v.parties),
            "who": v.who.value,
            "event": v.event,
            "part_of": v.part_of,
            "basis": joined(basis.value for basis in v.basis),
            "certainty": v.certainty.value,
            "aggregate": v.aggregate,
            "alleged_by": joined(v.alleged_by),
            "denied_by": joined(v.denied_by),
            **span_values("when", v.when),
            "claims": joined(v.claims),
            "explanation": v.explanation or None,
        }
        for v in violations
    ]
    return Table(columns, rows)
