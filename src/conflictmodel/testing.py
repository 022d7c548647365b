"""Hypothesis strategies for every value and record type, and for whole valid datasets.

Hypothesis is a test dependency (the ``test`` extra): ``import conflictmodel`` never imports
it, only ``import conflictmodel.testing`` does.

Each record strategy takes a strategy per field to override the default (``actors(kind=
st.just(cm.ActorKind.STATE))``) and ``within=ds`` to draw every reference from the records of
an existing dataset, so that the records it makes can join that dataset.
:func:`records_of` does the same for your own record types, and :func:`datasets` builds
whole datasets whose references resolve and whose hierarchies have no cycles.

>>> import conflictmodel as cm
>>> from hypothesis import given, settings
>>> from conflictmodel import testing
>>> @settings(max_examples=10, database=None)
... @given(testing.datasets(max_events=3))
... def test_every_event_has_a_span(ds: cm.Dataset) -> None:
...     assert all(isinstance(e.when, cm.TimeSpan) for e in ds.events.values())
>>> test_every_event_has_a_span()
"""

from __future__ import annotations

import calendar
import datetime
import enum
import functools
import itertools
import types
import typing
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

import attrs
import pycountry
from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from conflictmodel._checks import REFERENCE
from conflictmodel.actors import Actor, ActorKind, Relation, RelationKind
from conflictmodel.agreements import Agreement, AgreementKind
from conflictmodel.claims import (
    Attribution,
    CasualtyFigure,
    Claim,
    Controls,
    Occurred,
    Stance,
    Statement,
    Violated,
)
from conflictmodel.dataset import COLLECTIONS, Dataset
from conflictmodel.errors import ValidationError
from conflictmodel.events import (
    Casualties,
    ControlChange,
    Engagement,
    EngagementKind,
    Event,
    Toll,
)
from conflictmodel.places import Location, LocationKind, Point
from conflictmodel.quantities import Estimate
from conflictmodel.records import Record
from conflictmodel.sources import Source
from conflictmodel.timespans import Precision, TimeSpan

__all__ = [
    "actors",
    "agreements",
    "casualties",
    "claims",
    "control_changes",
    "datasets",
    "engagements",
    "estimates",
    "events",
    "ids",
    "locations",
    "names",
    "points",
    "records_of",
    "registered_events",
    "relations",
    "sources",
    "statements",
    "time_spans",
    "tolls",
]

T = TypeVar("T")

_TEXT = st.characters(codec="utf-8", categories=("L", "N", "P", "Zs"))
_MAX_REFS = 3


# Values ----------------------------------------------------------------------------------


@functools.cache
def ids() -> SearchStrategy[str]:
    """Record ids: short lowercase slugs such as ``'0'``, ``'syrian-army'`` or ``'e.2'``."""
    return st.from_regex(r"[a-z0-9][a-z0-9_.:-]{0,15}", fullmatch=True)


@functools.cache
def names() -> SearchStrategy[str]:
    """Names and aliases: non-blank Unicode text of letters, digits, punctuation and spaces."""
    return st.text(_TEXT, min_size=1, max_size=16).filter(str.strip)


@functools.cache
def _descriptions() -> SearchStrategy[str]:
    return st.text(st.characters(codec="utf-8"), max_size=24)


def _month_end(day: datetime.date) -> datetime.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _unit(day: datetime.date, precision: Precision) -> tuple[datetime.date, datetime.date]:
    if precision is Precision.YEAR:
        return datetime.date(day.year, 1, 1), datetime.date(day.year, 12, 31)
    if precision is Precision.MONTH:
        return day.replace(day=1), _month_end(day)
    return day, day


@functools.cache
def time_spans(
    *, min_year: int = 1900, max_year: int = 2100, open_ends: bool = True
) -> SearchStrategy[TimeSpan]:
    """Valid spans: a day, a month, a year, a range of them, or (``open_ends``) an open range.

    A range's end may have a precision of its own (``2019-12/2020-02-06``); every span drawn
    prints back to itself, ``when(str(span)) == span``; the fully open span ``../..`` has day
    precision.
    """
    if not 1000 <= min_year <= max_year <= 9999:
        raise ValidationError(
            f"time_spans(): years must satisfy 1000 <= min_year <= max_year <= 9999, "
            f"got {min_year} and {max_year}"
        )
    shapes = ["unit", "range", "from", "until", "unbounded"] if open_ends else ["unit", "range"]
    last_day = datetime.date(max_year, 12, 31)
    days = st.dates(datetime.date(min_year, 1, 1), last_day)

    @st.composite
    def build(draw: st.DrawFn) -> TimeSpan:
        shape = draw(st.sampled_from(shapes))
        if shape == "unbounded":
            return TimeSpan(None, None, Precision.DAY)
        precision = draw(st.sampled_from(Precision))
        first = draw(days)
        start, end = _unit(first, precision)
        end_precision = precision
        if shape == "range":
            end_precision = draw(st.sampled_from(Precision))
            end = _unit(draw(st.dates(first, last_day)), end_precision)[1]
        if shape == "until":
            return TimeSpan(None, end, end_precision)
        return TimeSpan(start, None if shape == "from" else end, precision, end_precision)

    return build()


@functools.cache
def estimates(
    *, max_value: int = 1_000_000, open_high: bool = True, unknown_best: bool = True
) -> SearchStrategy[Estimate]:
    """Valid estimates ``low <= best <= high`` up to ``max_value``; ``high=None`` and
    ``best=None`` (unknown) when allowed."""

    @st.composite
    def build(draw: st.DrawFn) -> Estimate:
        low = draw(st.integers(0, max_value))
        middle = draw(st.integers(low, max_value))
        best = draw(st.none() | st.just(middle)) if unknown_best else middle
        highs = st.integers(middle, max_value)
        high = draw(st.none() | highs if open_high else highs)
        return Estimate(low, best, high)

    return build()


@functools.cache
def points() -> SearchStrategy[Point]:
    """WGS84 points anywhere, poles and the antimeridian included."""
    return st.builds(
        Point,
        st.floats(-90, 90, allow_nan=False, allow_infinity=False),
        st.floats(-180, 180, allow_nan=False, allow_infinity=False),
    )


@functools.cache
def _country_codes() -> tuple[str, ...]:
    return tuple(sorted(country.alpha_3 for country in pycountry.countries))


# Field defaults --------------------------------------------------------------------------


class _Context:
    """Where reference fields draw their ids from: any id, or the records of a dataset."""

    def __init__(self, tables: Mapping[str, Sequence[str]] | None = None) -> None:
        self.tables = tables

    @classmethod
    def of(cls, dataset: Dataset | None) -> _Context:
        if dataset is None:
            return cls()
        if not isinstance(dataset, Dataset):
            raise ValidationError(f"within= takes a Dataset, got {type(dataset).__name__}")
        return cls({name: sorted(_table(dataset, name)) for name in COLLECTIONS})

    def ref(self, collection: str) -> SearchStrategy[str]:
        if self.tables is None:
            return ids()
        drawn = tuple(self.tables.get(collection, ()))
        return st.sampled_from(drawn) if drawn else st.nothing()

    def optional_ref(self, collection: str) -> SearchStrategy[str | None]:
        return st.none() | self.ref(collection)

    def refs(self, collection: str, *, min_size: int = 0) -> SearchStrategy[tuple[str, ...]]:
        if self.tables is not None and not self.tables.get(collection):
            return st.nothing() if min_size else st.just(())
        return st.lists(
            self.ref(collection), min_size=min_size, max_size=_MAX_REFS, unique=True
        ).map(tuple)


def _table(dataset: Dataset, collection: str) -> Mapping[str, Record]:
    tables: Mapping[str, Mapping[str, Record]] = {
        "actors": dataset.actors,
        "locations": dataset.locations,
        "agreements": dataset.agreements,
        "sources": dataset.sources,
        "events": dataset.events,
        "claims": dataset.claims,
        "relations": dataset.relations,
    }
    return tables[collection]


FieldDefault = Callable[[_Context], SearchStrategy[Any]]


def _optional(strategy: SearchStrategy[T]) -> SearchStrategy[T | None]:
    return st.none() | strategy


def _aliases(ctx: _Context) -> SearchStrategy[tuple[str, ...]]:
    return st.lists(names(), max_size=3, unique=True).map(tuple)


def _codes(ctx: _Context) -> SearchStrategy[dict[str, str]]:
    return st.dictionaries(ids(), names(), max_size=2)


@st.composite
def _sides(draw: st.DrawFn, ctx: _Context) -> tuple[tuple[str, ...], ...]:
    bound = draw(st.lists(ctx.ref("actors"), min_size=1, max_size=4, unique=True))
    cuts = draw(st.sets(st.integers(1, len(bound) - 1), max_size=2)) if len(bound) > 1 else set()
    edges = [0, *sorted(cuts), len(bound)]
    return tuple(tuple(bound[a:b]) for a, b in itertools.pairwise(edges))


def _casualty_lists(ctx: _Context) -> SearchStrategy[tuple[Casualties, ...]]:
    return st.lists(
        _records(Casualties, ctx, {}), max_size=3, unique_by=lambda entry: entry.actor
    ).map(tuple)


_DEFAULTS: dict[type, dict[str, FieldDefault]] = {
    Record: {"id": lambda ctx: ids()},
    Actor: {
        "name": lambda ctx: names(),
        "kind": lambda ctx: st.sampled_from(ActorKind),
        "aliases": _aliases,
        "part_of": lambda ctx: ctx.optional_ref("actors"),
        "country": lambda ctx: _optional(st.sampled_from(_country_codes())),
        "external_ids": _codes,
    },
    Relation: {
        "source": lambda ctx: ctx.ref("actors"),
        "kind": lambda ctx: st.sampled_from(RelationKind),
        "target": lambda ctx: ctx.ref("actors"),
        "span": lambda ctx: _optional(time_spans()),
    },
    Location: {
        "name": lambda ctx: names(),
        "kind": lambda ctx: st.sampled_from(LocationKind),
        "within": lambda ctx: ctx.optional_ref("locations"),
        "point": lambda ctx: _optional(points()),
        "aliases": _aliases,
        "codes": _codes,
    },
    Agreement: {
        "name": lambda ctx: names(),
        "kind": lambda ctx: st.sampled_from(AgreementKind),
        "signed": lambda ctx: _optional(time_spans(open_ends=False)),
        "effective": lambda ctx: time_spans(),
        "signatories": lambda ctx: ctx.refs("actors"),
        "sides": _sides,
        "guarantors": lambda ctx: ctx.refs("actors"),
        "mediators": lambda ctx: ctx.refs("actors"),
        "scope": lambda ctx: ctx.refs("locations"),
        "extends": lambda ctx: ctx.refs("agreements"),
    },
    Source: {
        "title": lambda ctx: names(),
        "publisher": lambda ctx: _optional(names()),
        "url": lambda ctx: _optional(
            st.from_regex(r"https://[a-z]{1,12}\.example/[a-z0-9/-]{0,16}", fullmatch=True)
        ),
        "published": lambda ctx: _optional(time_spans(open_ends=False)),
    },
    Event: {
        "when": lambda ctx: time_spans(),
        "where": lambda ctx: ctx.optional_ref("locations"),
        "description": lambda ctx: _descriptions(),
        "sources": lambda ctx: ctx.refs("sources"),
        "part_of": lambda ctx: ctx.optional_ref("events"),
    },
    Engagement: {
        "kind": lambda ctx: st.sampled_from(EngagementKind),
        "initiators": lambda ctx: ctx.refs("actors"),
        "targets": lambda ctx: ctx.refs("actors"),
        "casualties": _casualty_lists,
        "captured": lambda ctx: _optional(_records(ControlChange, ctx, {})),
        "responds_to": lambda ctx: ctx.optional_ref("events"),
    },
    Toll: {
        "killed": lambda ctx: _optional(estimates()),
        "displaced": lambda ctx: _optional(estimates()),
        "population": lambda ctx: ctx.optional_ref("actors"),
    },
    Casualties: {
        "actor": lambda ctx: ctx.optional_ref("actors"),
        "killed": lambda ctx: _optional(estimates(max_value=10_000)),
        "injured": lambda ctx: _optional(estimates(max_value=10_000)),
    },
    ControlChange: {
        "location": lambda ctx: ctx.ref("locations"),
        "gained_by": lambda ctx: ctx.ref("actors"),
        "lost_by": lambda ctx: ctx.optional_ref("actors"),
    },
    Occurred: {"event": lambda ctx: ctx.ref("events")},
    Attribution: {
        "event": lambda ctx: ctx.ref("events"),
        "perpetrators": lambda ctx: ctx.refs("actors", min_size=1),
    },
    CasualtyFigure: {
        "event": lambda ctx: ctx.ref("events"),
        "actor": lambda ctx: ctx.optional_ref("actors"),
        "killed": lambda ctx: _optional(estimates(max_value=10_000)),
        "injured": lambda ctx: _optional(estimates(max_value=10_000)),
    },
    Violated: {
        "agreement": lambda ctx: ctx.ref("agreements"),
        "violators": lambda ctx: ctx.refs("actors", min_size=1),
        "events": lambda ctx: ctx.refs("events"),
    },
    Controls: {
        "location": lambda ctx: ctx.ref("locations"),
        "actor": lambda ctx: ctx.ref("actors"),
        "since": lambda ctx: _optional(time_spans()),
    },
    Claim: {
        "claimant": lambda ctx: ctx.ref("actors"),
        "statement": lambda ctx: _statements(ctx),
        "stance": lambda ctx: st.sampled_from(Stance),
        "made": lambda ctx: _optional(time_spans()),
        "source": lambda ctx: ctx.optional_ref("sources"),
    },
}
"""For each built-in class, a strategy for each field it declares, given where ids come from."""


def _some_count(values: Mapping[str, Any]) -> bool:
    return values.get("killed") is not None or values.get("injured") is not None


_CONSTRAINTS: tuple[tuple[type, Callable[[Mapping[str, Any]], bool]], ...] = (
    (Relation, lambda values: values["source"] != values["target"]),
    (ControlChange, lambda values: values["lost_by"] != values["gained_by"]),
    (Casualties, _some_count),
    (CasualtyFigure, _some_count),
)
"""Rules between fields of built-in classes, applied to the drawn field values."""


_STATEMENT_TYPES: tuple[type[Statement], ...] = (
    Occurred,
    Attribution,
    CasualtyFigure,
    Violated,
    Controls,
)


def _statements(ctx: _Context) -> SearchStrategy[Statement]:
    return st.one_of([_records(kind, ctx, {}) for kind in _STATEMENT_TYPES])


# Inference for fields of other types -----------------------------------------------------


@functools.cache
def _hints(cls: type) -> dict[str, Any]:
    try:
        return typing.get_type_hints(cls)
    except (NameError, TypeError):
        return {}


def _from_type(hint: Any, ctx: _Context, collection: str | None, name: str) -> SearchStrategy[Any]:
    origin, args = typing.get_origin(hint), typing.get_args(hint)
    if origin in (typing.Union, types.UnionType):
        rest = [arg for arg in args if arg is not type(None)]
        options = [_from_type(arg, ctx, collection, name) for arg in rest]
        return st.one_of(st.none(), *options) if len(rest) < len(args) else st.one_of(options)
    if origin is tuple and len(args) == 2 and args[1] is Ellipsis:
        item = _from_type(args[0], ctx, collection, name)
        return st.lists(item, max_size=_MAX_REFS, unique=True).map(tuple)
    if origin in (Mapping, dict) or hint is Mapping:
        return st.dictionaries(ids(), names(), max_size=2)
    if hint is str:
        if collection is not None:
            return ctx.ref(collection)
        return ids() if name == "id" else names()
    if hint is bool:
        return st.booleans()
    if hint is int:
        return st.integers(0, 1_000_000)
    if hint is float:
        return st.floats(allow_nan=False, allow_infinity=False)
    if isinstance(hint, type):
        if issubclass(hint, enum.Enum):
            return st.sampled_from(hint)
        known: dict[type, SearchStrategy[Any]] = {
            TimeSpan: time_spans(),
            Estimate: estimates(),
            Point: points(),
            Statement: _statements(ctx),
            datetime.date: st.dates(),
        }
        if hint in known:
            return known[hint]
        if attrs.has(hint):
            return _records(hint, ctx, {})
    raise LookupError(hint)


def _field_strategy(cls: type, field: attrs.Attribute[Any], hint: Any, ctx: _Context) -> Any:
    for base in cls.__mro__:
        default = _DEFAULTS.get(base, {}).get(field.name)
        if default is not None:
            return default(ctx)
    try:
        return _from_type(hint, ctx, field.metadata.get(REFERENCE), field.name)
    except LookupError:
        if field.default is not attrs.NOTHING:
            return None
        raise ValidationError(
            f"records_of({cls.__name__}).{field.name}: cannot infer a strategy for {hint!r}; "
            f"pass {field.name}=<strategy>"
        ) from None


def _records(
    cls: type[T], ctx: _Context, overrides: Mapping[str, SearchStrategy[Any]]
) -> SearchStrategy[T]:
    make: Callable[..., T] = cls
    if not (isinstance(cls, type) and attrs.has(cls)):
        raise ValidationError(f"records_of() takes an attrs class, got {cls!r}")
    fields = {field.name: field for field in attrs.fields(cls) if field.init}
    unknown = sorted(set(overrides) - set(fields))
    if unknown:
        raise ValidationError(
            f"records_of({cls.__name__}): no field named {', '.join(map(repr, unknown))}; "
            f"fields are {', '.join(fields)}"
        )
    hints = _hints(cls)
    strategies: dict[str, SearchStrategy[Any]] = {}
    for name, field in fields.items():
        if name in overrides:
            strategies[name] = overrides[name]
            continue
        strategy = _field_strategy(cls, field, hints.get(name, field.type), ctx)
        if strategy is not None:
            strategies[name] = strategy
    values: SearchStrategy[dict[str, Any]] = st.fixed_dictionaries(strategies)
    for base, rule in _CONSTRAINTS:
        if issubclass(cls, base):
            values = values.filter(rule)
    return values.map(lambda kwargs: make(**kwargs))


def records_of(
    cls: type[T], *, within: Dataset | None = None, **fields: SearchStrategy[Any]
) -> SearchStrategy[T]:
    """Instances of an attrs class, with a strategy for each field inferred where possible.

    Fields the library declares (``id``, ``when``, ``initiators``, ...) get the same
    strategies as the built-in records; other fields are inferred from their type (text,
    numbers, enums, spans, estimates, points, optional values, tuples, nested attrs classes).
    A field marked with :func:`~conflictmodel.refers_to` draws ids: any id, or with ``within``
    the ids of that dataset's records. Pass ``name=<strategy>`` to override a field; a required
    field whose type cannot be inferred must be given.

    >>> import attrs
    >>> from hypothesis import find, settings
    >>> from conflictmodel import Estimate, Event, examples, refers_to
    >>> from conflictmodel.testing import records_of
    >>> @attrs.frozen(kw_only=True)
    ... class Displacement(Event):
    ...     displaced: Estimate
    ...     population: str | None = attrs.field(default=None, metadata=refers_to("actors"))
    >>> ds = examples.idlib_2020()
    >>> found = find(records_of(Displacement, within=ds), lambda d: d.population is not None,
    ...              settings=settings(database=None))
    >>> found.population in ds.actors, ds.with_records([found]).events[found.id] == found
    (True, True)
    """
    return _records(cls, _Context.of(within), fields)


# Records ---------------------------------------------------------------------------------


def actors(
    *, within: Dataset | None = None, **fields: SearchStrategy[Any]
) -> SearchStrategy[Actor]:
    """Actors; ``part_of`` is ``None`` or an id (of ``within``'s actors when given)."""
    return records_of(Actor, within=within, **fields)


def relations(
    *, within: Dataset | None = None, **fields: SearchStrategy[Any]
) -> SearchStrategy[Relation]:
    """Relations between two different actors, sometimes bounded in time."""
    return records_of(Relation, within=within, **fields)


def locations(
    *, within: Dataset | None = None, **fields: SearchStrategy[Any]
) -> SearchStrategy[Location]:
    """Locations; ``within`` the dataset, the ``within`` field names one of its locations."""
    return records_of(Location, within=within, **fields)


def agreements(
    *, within: Dataset | None = None, **fields: SearchStrategy[Any]
) -> SearchStrategy[Agreement]:
    """Agreements with one to three disjoint sides of actors, a scope and the deals extended."""
    return records_of(Agreement, within=within, **fields)


def sources(
    *, within: Dataset | None = None, **fields: SearchStrategy[Any]
) -> SearchStrategy[Source]:
    """Sources, with or without publisher, URL and publication date."""
    return records_of(Source, within=within, **fields)


def casualties(
    *, within: Dataset | None = None, **fields: SearchStrategy[Any]
) -> SearchStrategy[Casualties]:
    """Casualty entries giving killed, injured or both; ``actor=None`` is unattributed."""
    return records_of(Casualties, within=within, **fields)


def control_changes(
    *, within: Dataset | None = None, **fields: SearchStrategy[Any]
) -> SearchStrategy[ControlChange]:
    """Changes of control where the loser (when known) is not the gainer."""
    return records_of(ControlChange, within=within, **fields)


def engagements(
    *, within: Dataset | None = None, **fields: SearchStrategy[Any]
) -> SearchStrategy[Engagement]:
    """Engagements with casualties (one entry per actor), captures and ``responds_to``."""
    return records_of(Engagement, within=within, **fields)


def tolls(*, within: Dataset | None = None, **fields: SearchStrategy[Any]) -> SearchStrategy[Toll]:
    """War-level tolls with killed and displaced estimates."""
    return records_of(Toll, within=within, **fields)


def events(*, within: Dataset | None = None) -> SearchStrategy[Event]:
    """Events of every built-in type: plain events, engagements and tolls."""
    return st.one_of(
        records_of(Event, within=within),
        engagements(within=within),
        tolls(within=within),
    )


def statements(*, within: Dataset | None = None) -> SearchStrategy[Statement]:
    """Statements of every built-in type: Occurred, Attribution, CasualtyFigure, Violated,
    Controls (only those whose references ``within`` can satisfy)."""
    return _statements(_Context.of(within))


def claims(
    *, within: Dataset | None = None, **fields: SearchStrategy[Any]
) -> SearchStrategy[Claim]:
    """Claims asserting or denying a statement of any built-in type."""
    return records_of(Claim, within=within, **fields)


# Whole datasets --------------------------------------------------------------------------


_PARENTS = {"actors": "part_of", "locations": "within", "events": "part_of"}


def _earlier(drawn: Sequence[str]) -> SearchStrategy[str | None]:
    return st.none() | st.sampled_from(drawn) if drawn else st.none()


def datasets(
    *,
    min_events: int = 0,
    max_events: int = 12,
    max_actors: int = 8,
    max_locations: int = 8,
    max_claims: int = 8,
    max_agreements: int = 3,
    max_sources: int = 3,
    max_relations: int = 4,
) -> SearchStrategy[Dataset]:
    """Valid datasets: every reference resolves and ``part_of`` / ``within`` form forests.

    Each actor, location and event is ``part_of`` / ``within`` an earlier one or none, events
    respond to earlier events, agreements extend earlier agreements; agreements bind real
    actors over real locations, and claims are about records in the dataset. Events are
    plain events, engagements and tolls; claims carry every built-in statement type.
    """
    if not 0 <= min_events <= max_events:
        raise ValidationError(
            f"datasets(): expected 0 <= min_events <= max_events, got {min_events}, {max_events}"
        )

    def unique_ids(max_size: int, min_size: int = 0) -> SearchStrategy[list[str]]:
        return st.lists(ids(), min_size=min_size, max_size=max_size, unique=True)

    layout: tuple[tuple[str, tuple[type[Record], ...], dict[str, SearchStrategy[Any]]], ...] = (
        ("sources", (Source,), {}),
        ("actors", (Actor,), {"part_of": st.none()}),
        ("locations", (Location,), {"within": st.none()}),
        ("relations", (Relation,), {}),
        ("agreements", (Agreement,), {"extends": st.just(())}),
        ("events", (Event, Toll), {"part_of": st.none()}),
        ("events", (Engagement,), {"part_of": st.none(), "responds_to": st.none()}),
        ("claims", (Claim,), {}),
    )

    @st.composite
    def build(draw: st.DrawFn) -> Dataset:
        tables = {
            "sources": draw(unique_ids(max_sources)),
            "actors": draw(unique_ids(max_actors)),
            "locations": draw(unique_ids(max_locations)),
        }
        people = tables["actors"]
        tables["relations"] = draw(unique_ids(max_relations)) if len(people) > 1 else []
        tables["agreements"] = draw(unique_ids(max_agreements)) if people else []
        tables["events"] = draw(unique_ids(max_events, min_events))
        subjects = tables["events"] or tables["agreements"] or tables["locations"]
        tables["claims"] = draw(unique_ids(max_claims)) if people and subjects else []
        ctx = _Context(tables)
        kinds: dict[str, list[SearchStrategy[Any]]] = {}
        for collection, classes, fixed in layout:
            kinds.setdefault(collection, []).extend(_records(c, ctx, fixed) for c in classes)
        records: list[Record] = []
        for collection, drawn in tables.items():
            strategy = st.one_of(kinds[collection])
            for index, record_id in enumerate(drawn):
                record = draw(strategy)
                changes: dict[str, Any] = {"id": record_id}
                earlier = drawn[:index]
                if collection in _PARENTS:
                    changes[_PARENTS[collection]] = draw(_earlier(earlier))
                if isinstance(record, Engagement):
                    changes["responds_to"] = draw(_earlier(earlier))
                if isinstance(record, Agreement) and earlier:
                    extended = st.lists(st.sampled_from(earlier), max_size=2, unique=True)
                    changes["extends"] = tuple(draw(extended))
                records.append(attrs.evolve(record, **changes))
        return Dataset(records)

    return build()


# Registered types ------------------------------------------------------------------------


def registered_events(*, within: Dataset | None = None) -> SearchStrategy[Event]:
    """Events of every type registered with :func:`~conflictmodel.event_type` at draw time
    (plug-ins included), each built by :func:`records_of`; references drawn from ``within``.

    >>> import conflictmodel as cm
    >>> from hypothesis import find, settings
    >>> from conflictmodel.testing import registered_events
    >>> drawn = find(registered_events(), lambda event: type(event) is cm.Toll,
    ...              settings=settings(database=None))
    >>> type(drawn).__name__
    'Toll'
    """
    from conflictmodel import registry

    def of_every_type(_: None) -> SearchStrategy[Event]:
        kinds = sorted(
            (tag, cls) for tag, cls in registry.record_types().items() if issubclass(cls, Event)
        )
        return st.one_of([records_of(cls, within=within) for _, cls in kinds])

    return st.none().flatmap(of_every_type)
