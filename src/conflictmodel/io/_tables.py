"""Flat tables of a dataset's records, the shared ground of the CSV, pandas and Arrow exports.

A table is a list of column names with their types and a list of rows (dicts of plain values).
Many-valued fields (aliases, initiators, sources, ...) are joined with ``"; "``. The events
table has a column (or a few) for every field of a plug-in event type, laid out by its kind in
the :mod:`~conflictmodel.spec` (:func:`field_columns`).
"""

from __future__ import annotations

import datetime
import enum
from collections.abc import Iterable, Iterator
from typing import Literal, cast

import attrs
import orjson

from conflictmodel._converter import converter
from conflictmodel.actors import Actor
from conflictmodel.claims import Claim
from conflictmodel.dataset import Dataset
from conflictmodel.errors import ValidationError
from conflictmodel.events import Engagement, Event, Toll
from conflictmodel.places import Location, Point
from conflictmodel.quantities import Estimate
from conflictmodel.queries import CasualtyTable, Violation
from conflictmodel.registry import tag_of
from conflictmodel.sources import Source
from conflictmodel.spec import FieldSpec, Kind, fields_of
from conflictmodel.summary import describe_statement
from conflictmodel.timespans import TimeSpan

ColumnType = Literal["str", "int", "float", "date", "bool"]
Value = str | int | float | bool | datetime.date | None
Row = dict[str, Value]

KINDS = ("events", "casualties", "claims", "actors", "locations", "sources", "source_values")
"""The tables :func:`table` makes."""

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
    return {f"{prefix}_low": "int", f"{prefix}_best": "int", f"{prefix}_high": "int"}


def estimate_values(prefix: str, estimate: Estimate | None) -> Row:
    if estimate is None:
        return {f"{prefix}_low": None, f"{prefix}_best": None, f"{prefix}_high": None}
    return {
        f"{prefix}_low": estimate.low,
        f"{prefix}_best": estimate.best,
        f"{prefix}_high": estimate.high,
    }


def span_values(prefix: str, span: TimeSpan | None) -> Row:
    if span is None:
        return {prefix: None, f"{prefix}_start": None, f"{prefix}_end": None}
    return {prefix: str(span), f"{prefix}_start": span.start, f"{prefix}_end": span.end}


def span_columns(prefix: str) -> dict[str, ColumnType]:
    return {prefix: "str", f"{prefix}_start": "date", f"{prefix}_end": "date"}


def point_of(ds: Dataset, location_id: str | None) -> Point | None:
    """The point of a location, or of the nearest location it lies within that has one."""
    if location_id is None:
        return None
    for candidate in (location_id, *ds.location_ancestors(location_id)):
        point = ds.locations[candidate].point
        if point is not None:
            return point
    return None


def killed(event: Event) -> Estimate | None:
    if isinstance(event, Engagement):
        return event.killed_total
    if isinstance(event, Toll):
        return event.killed
    return None


_EVENT_COLUMNS: dict[str, ColumnType] = {
    "id": "str",
    "type": "str",
    **span_columns("when"),
    "precision": "str",
    "end_precision": "str",
    "where": "str",
    "place": "str",
    "lat": "float",
    "lon": "float",
    "kind": "str",
    "initiators": "str",
    "targets": "str",
    **estimate_columns("killed"),
    **estimate_columns("reported"),
    "captured": "str",
    "captured_by": "str",
    "description": "str",
    "sources": "str",
    "part_of": "str",
}


def _event_row(ds: Dataset, event: Event) -> Row:
    point = point_of(ds, event.where)
    engagement = event if isinstance(event, Engagement) else None
    captured = engagement.captured if engagement else None
    return {
        "id": event.id,
        "type": tag_of(type(event)),
        **span_values("when", event.when),
        "precision": event.when.precision.value,
        "end_precision": event.when.end_grain.value,
        "where": event.where,
        "place": None if event.where is None else ds.locations[event.where].name,
        "lat": None if point is None else point.lat,
        "lon": None if point is None else point.lon,
        "kind": engagement.kind.value if engagement else None,
        "initiators": joined(engagement.initiators) if engagement else None,
        "targets": joined(engagement.targets) if engagement else None,
        **estimate_values("killed", killed(event)),
        **estimate_values("reported", engagement.reported_total if engagement else None),
        "captured": captured.location if captured else None,
        "captured_by": captured.gained_by if captured else None,
        "description": event.description or None,
        "sources": joined(event.sources),
        "part_of": event.part_of,
    }


_AS_TEXT = (Kind.ID, Kind.TEXT, Kind.REFERENCE)
_JOINED = (Kind.REFERENCES, Kind.TEXTS)
_SCALAR_COLUMNS: dict[Kind, ColumnType] = {
    Kind.BOOL: "bool",
    Kind.INT: "int",
    Kind.FLOAT: "float",
    Kind.DATE: "date",
}


def field_columns(field: FieldSpec) -> dict[str, ColumnType]:
    """The columns of one field, by its kind: an estimate or span spreads over several.

    Kinds without a flat form (nested values, mappings, statements) are one column of JSON text.

    >>> from conflictmodel.spec import field_of
    >>> field_columns(field_of(Toll, "displaced"))
    {'displaced_low': 'int', 'displaced_best': 'int', 'displaced_high': 'int'}
    """
    if field.kind is Kind.ESTIMATE:
        return estimate_columns(field.name)
    if field.kind is Kind.SPAN:
        return span_columns(field.name)
    if field.kind is Kind.POINT:
        return {f"{field.name}_lat": "float", f"{field.name}_lon": "float"}
    return {field.name: _SCALAR_COLUMNS.get(field.kind, "str")}


def field_values(field: FieldSpec, value: object) -> Row:
    """The cells of one field's columns (see :func:`field_columns`)."""
    name = field.name
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
    if value is None or field.kind in _SCALAR_COLUMNS or field.kind in _AS_TEXT:
        return {name: cast(Value, value)}
    if field.kind is Kind.ENUM and isinstance(value, enum.Enum):
        return {name: str(value.value)}
    if field.kind in _JOINED and isinstance(value, tuple):
        return {name: joined(value)}
    if field.kind is Kind.ENUMS and isinstance(value, tuple):
        return {name: joined(str(item.value) for item in value)}
    return {name: orjson.dumps(converter.unstructure(value)).decode()}


_BUILTIN_EVENTS = (Engagement, Toll, Event)


def _own_fields(events: Iterable[Event]) -> tuple[FieldSpec, ...]:
    """The fields the events' types add to the built-in event type they derive from."""
    seen: dict[str, FieldSpec] = {}
    for cls in sorted({type(event) for event in events}, key=tag_of):
        base = next(kind for kind in cls.__mro__ if kind in _BUILTIN_EVENTS)
        inherited = {field.name for field in fields_of(base)}
        for field in fields_of(cls):
            if field.name not in inherited:
                seen.setdefault(field.name, field)
    return tuple(seen.values())


def _events(ds: Dataset) -> Table:
    events = sorted(ds.events.values(), key=lambda e: e.when.sort_key)
    own = _own_fields(events)
    columns = dict(_EVENT_COLUMNS)
    for field in own:
        columns.update(field_columns(field))
    rows = [
        {
            **_event_row(ds, event),
            **{
                name: cell
                for field in own
                if hasattr(event, field.name)
                for name, cell in field_values(field, getattr(event, field.name)).items()
            },
        }
        for event in events
    ]
    return Table(columns, _complete(rows, columns))


_CASUALTY_COLUMNS: dict[str, ColumnType] = {
    "event": "str",
    "actor": "str",
    **estimate_columns("killed"),
    **estimate_columns("injured"),
    **span_columns("when"),
    "where": "str",
}


def _casualty_rows(ds: Dataset) -> Iterator[Row]:
    for event in ds.events.values():
        if not isinstance(event, Engagement):
            continue
        for entry in event.casualties:
            yield {
                "event": event.id,
                "actor": entry.actor,
                **estimate_values("killed", entry.killed),
                **estimate_values("injured", entry.injured),
                **span_values("when", event.when),
                "where": event.where,
            }


_CLAIM_COLUMNS: dict[str, ColumnType] = {
    "id": "str",
    "claimant": "str",
    "stance": "str",
    **span_columns("made"),
    "source": "str",
    "statement": "str",
    "event": "str",
    "agreement": "str",
    "location": "str",
    "actors": "str",
    **estimate_columns("killed"),
    **estimate_columns("injured"),
    "text": "str",
}


def _many(value: object) -> str | None:
    if isinstance(value, str):
        return value
    if isinstance(value, tuple):
        return joined(str(item) for item in value)
    return None


def _claim_row(claim: Claim) -> Row:
    statement = claim.statement
    actors = [getattr(statement, name, None) for name in ("actor", "perpetrators", "violators")]
    killed_figure = getattr(statement, "killed", None)
    injured_figure = getattr(statement, "injured", None)
    return {
        "id": claim.id,
        "claimant": claim.claimant,
        "stance": claim.stance.value,
        **span_values("made", claim.made),
        "source": claim.source,
        "statement": tag_of(type(statement)),
        "event": _many(getattr(statement, "event", None) or getattr(statement, "events", None)),
        "agreement": _many(getattr(statement, "agreement", None)),
        "location": _many(getattr(statement, "location", None)),
        "actors": joined(a for actor in actors if (a := _many(actor))),
        **estimate_values("killed", killed_figure if isinstance(killed_figure, Estimate) else None),
        **estimate_values(
            "injured", injured_figure if isinstance(injured_figure, Estimate) else None
        ),
        "text": describe_statement(statement),
    }


def _mapping_columns(prefix: str, mappings: Iterable[dict[str, str]]) -> dict[str, ColumnType]:
    keys = sorted({key for mapping in mappings for key in mapping})
    return {f"{prefix}{key}": "str" for key in keys}


def _actors(ds: Dataset) -> Table:
    actors: list[Actor] = list(ds.actors.values())
    extra = _mapping_columns("external_id.", (dict(a.external_ids) for a in actors))
    columns: dict[str, ColumnType] = {
        "id": "str",
        "name": "str",
        "kind": "str",
        "aliases": "str",
        "part_of": "str",
        "country": "str",
        **extra,
    }
    rows: list[Row] = [
        {
            "id": actor.id,
            "name": actor.name,
            "kind": actor.kind.value,
            "aliases": joined(actor.aliases),
            "part_of": actor.part_of,
            "country": actor.country,
            **{f"external_id.{k}": v for k, v in actor.external_ids.items()},
        }
        for actor in actors
    ]
    return Table(columns, _complete(rows, columns))


def _locations(ds: Dataset) -> Table:
    locations: list[Location] = list(ds.locations.values())
    extra = _mapping_columns("code.", (dict(place.codes) for place in locations))
    columns: dict[str, ColumnType] = {
        "id": "str",
        "name": "str",
        "kind": "str",
        "within": "str",
        "lat": "float",
        "lon": "float",
        "aliases": "str",
        **extra,
    }
    rows: list[Row] = [
        {
            "id": place.id,
            "name": place.name,
            "kind": place.kind.value,
            "within": place.within,
            "lat": None if place.point is None else place.point.lat,
            "lon": None if place.point is None else place.point.lon,
            "aliases": joined(place.aliases),
            **{f"code.{k}": v for k, v in place.codes.items()},
        }
        for place in locations
    ]
    return Table(columns, _complete(rows, columns))


def _source_row(source: Source) -> Row:
    return {
        "id": source.id,
        "title": source.title,
        "publisher": source.publisher,
        "url": source.url,
        **span_values("published", source.published),
    }


def _complete(rows: list[Row], columns: dict[str, ColumnType]) -> list[Row]:
    return [{name: row.get(name) for name in columns} for row in rows]


def table(ds: Dataset, kind: str) -> Table:
    """The table of ``kind`` (one of :data:`KINDS`) for ``ds``."""
    if not isinstance(ds, Dataset):
        raise ValidationError(f"expected a Dataset, got {type(ds).__name__}")
    if kind == "events":
        return _events(ds)
    if kind == "casualties":
        return Table(_CASUALTY_COLUMNS, list(_casualty_rows(ds)))
    if kind == "claims":
        return Table(_CLAIM_COLUMNS, [_claim_row(claim) for claim in ds.claims.values()])
    if kind == "actors":
        return _actors(ds)
    if kind == "locations":
        return _locations(ds)
    if kind == "sources":
        columns: dict[str, ColumnType] = {
            "id": "str",
            "title": "str",
            "publisher": "str",
            "url": "str",
            **span_columns("published"),
        }
        return Table(columns, [_source_row(source) for source in ds.sources.values()])
    if kind == "source_values":
        rows: list[Row] = [
            {"event": event.id, "column": column, "value": value}
            for event in ds.events.values()
            for column, value in event.source_values.items()
        ]
        return Table({"event": "str", "column": "str", "value": "str"}, rows)
    raise ValidationError(f"no table {kind!r}; expected one of {', '.join(KINDS)}")


def casualty_table(result: CasualtyTable) -> Table:
    """The rows of a :func:`~conflictmodel.casualties_by_actor` result, one per actor."""
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
            "alleged_by": joined(v.alleged_by),
            "denied_by": joined(v.denied_by),
            **span_values("when", v.when),
            "claims": joined(v.claims),
            "explanation": v.explanation or None,
        }
        for v in violations
    ]
    return Table(columns, rows)
