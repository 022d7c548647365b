"""Strategies for records and nested values, derived from the field spec of their class."""

# No ``from __future__ import annotations``: doctest would compile the examples' classes with
# it, and their hints would name what only the example imports.

import itertools
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

import attrs
from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from conflictmodel import registry
from conflictmodel.actors import Actor, Relation
from conflictmodel.agreements import Agreement
from conflictmodel.claims import Claim, Statement
from conflictmodel.dataset import COLLECTIONS, Dataset
from conflictmodel.errors import ValidationError
from conflictmodel.events import Casualties, ControlChange, Engagement, Event, Toll
from conflictmodel.fields import BOUNDS, MAX_INTEGER, MIN_INTEGER
from conflictmodel.places import Location
from conflictmodel.sources import Source
from conflictmodel.spec import FieldSpec, Kind, fields_of
from conflictmodel.testing.values import (
    country_codes,
    descriptions,
    ids,
    names,
    time_spans,
    urls,
)

T = TypeVar("T")

MAX_ITEMS = 3
"""The most items a drawn tuple holds."""


class Context:
    """Where reference fields draw their ids from: any id, or the ids of each collection."""

    def __init__(self, tables: Mapping[str, Sequence[str]] | None = None) -> None:
        self.tables = tables

    @classmethod
    def of(cls, dataset: Dataset | None) -> "Context":
        if dataset is None:
            return cls()
        if not isinstance(dataset, Dataset):
            raise ValidationError(f"within= takes a Dataset, got {type(dataset).__name__}")
        return cls({name: sorted(getattr(dataset, name)) for name in COLLECTIONS})

    def ref(self, collection: str) -> SearchStrategy[str]:
        if self.tables is None:
            return ids()
        drawn = tuple(self.tables.get(collection, ()))
        return st.sampled_from(drawn) if drawn else st.nothing()

    def refs(self, collection: str) -> SearchStrategy[tuple[str, ...]]:
        if self.tables is not None and not self.tables.get(collection):
            return st.just(())
        return st.lists(self.ref(collection), max_size=MAX_ITEMS, unique=True).map(tuple)

    def groups(self, collection: str) -> SearchStrategy[tuple[tuple[str, ...], ...]]:
        """One to three disjoint, non-empty groups of ids (an agreement's sides)."""

        @st.composite
        def build(draw: st.DrawFn) -> tuple[tuple[str, ...], ...]:
            bound = draw(st.lists(self.ref(collection), min_size=1, max_size=4, unique=True))
            cuts = draw(st.sets(st.integers(1, len(bound) - 1), max_size=2)) if bound[1:] else ()
            edges = [0, *sorted(cuts), len(bound)]
            return tuple(tuple(bound[a:b]) for a, b in itertools.pairwise(edges))

        return build()


_REFINED: Mapping[tuple[type, str], Callable[[], SearchStrategy[Any]]] = {
    (Actor, "country"): country_codes,
    (Source, "url"): urls,
    (Source, "published"): lambda: time_spans(open_ends=False),
    (Agreement, "signed"): lambda: time_spans(open_ends=False),
    (Event, "description"): descriptions,
}
"""Fields whose validator accepts less (or more) than their kind: the values it accepts."""

_UNIQUE_BY: Mapping[type, Callable[[Any], object]] = {Casualties: lambda entry: entry.actor}
"""Nested values of which a record holds one per key."""


def _refined(cls: type, name: str) -> SearchStrategy[Any] | None:
    for base in cls.__mro__:
        refined = _REFINED.get((base, name))
        if refined is not None:
            return refined()
    return None


def _of_kind(field: FieldSpec, ctx: Context) -> SearchStrategy[Any] | None:
    kind, collection, value_type = field.kind, field.collection or "", field.value_type
    if kind is Kind.REFERENCE:
        return ctx.ref(collection)
    if kind is Kind.REFERENCES:
        return ctx.refs(collection)
    if kind is Kind.REFERENCE_GROUPS:
        return ctx.groups(collection)
    if kind is Kind.STATEMENT:
        return statements_in(ctx)
    if kind is Kind.VALUE and value_type is not None:
        return records_in(value_type, ctx, {})
    if kind is Kind.VALUES and value_type is not None:
        items: SearchStrategy[Any] = records_in(value_type, ctx, {})
        if items.is_empty:
            return st.just(())
        unique_by = _UNIQUE_BY.get(value_type)
        return st.lists(items, max_size=MAX_ITEMS, unique_by=unique_by).map(tuple)
    if kind is Kind.ENUMS and value_type is not None:
        return st.lists(st.sampled_from(value_type), max_size=MAX_ITEMS, unique=True).map(tuple)
    if kind in (Kind.ESTIMATE, Kind.SPAN, Kind.POINT, Kind.ENUM) and value_type is not None:
        return st.from_type(value_type)
    simple: dict[Kind, SearchStrategy[Any]] = {
        Kind.ID: ids(),
        Kind.TEXT: names(),
        Kind.TEXTS: st.lists(names(), max_size=MAX_ITEMS, unique=True).map(tuple),
        Kind.TEXT_MAPPING: st.dictionaries(ids(), names(), max_size=2),
        Kind.BOOL: st.booleans(),
        Kind.INT: st.integers(0, 1_000_000),
        Kind.FLOAT: st.floats(allow_nan=False, allow_infinity=False),
    }
    return simple.get(kind)


def _bounded(cls: type, field: FieldSpec) -> SearchStrategy[Any] | None:
    """The numbers a field made by :func:`~conflictmodel.fields.integer` or
    :func:`~conflictmodel.fields.number` accepts, within its bounds; ``None`` for another."""
    attribute = attrs.fields_dict(cls)[field.name]
    bounds = attribute.metadata.get(BOUNDS)
    if bounds is None:
        return None
    low, high = bounds
    if field.kind is Kind.INT:
        return st.integers(
            MIN_INTEGER if low is None else low, MAX_INTEGER if high is None else high
        )
    return st.floats(low, high, allow_nan=False, allow_infinity=False)


def _field_strategy(cls: type, field: FieldSpec, ctx: Context) -> SearchStrategy[Any] | None:
    strategy = _refined(cls, field.name)
    if strategy is None:
        strategy = _bounded(cls, field)
    if strategy is None:
        strategy = _of_kind(field, ctx)
    if strategy is None:
        if not field.required:
            return None
        raise ValidationError(
            f"records_of({cls.__name__}).{field.name}: cannot infer a strategy for "
            f"{field.hint!r}; pass {field.name}=<strategy>"
        )
    return st.none() | strategy if field.optional else strategy


def _built(cls: Callable[..., T], values: dict[str, Any]) -> T | None:
    try:
        return cls(**values)
    except ValidationError:
        return None


def records_in(
    cls: type[T], ctx: Context, overrides: Mapping[str, SearchStrategy[Any]]
) -> SearchStrategy[T]:
    """Instances of ``cls``, references drawn from ``ctx``; what the class refuses is redrawn."""
    if not (isinstance(cls, type) and attrs.has(cls)):
        raise ValidationError(f"records_of() takes an attrs class, got {cls!r}")
    fields = fields_of(cls)
    unknown = sorted(set(overrides) - {field.name for field in fields})
    if unknown:
        raise ValidationError(
            f"records_of({cls.__name__}): no field named {', '.join(map(repr, unknown))}; "
            f"fields are {', '.join(field.name for field in fields)}"
        )
    strategies: dict[str, SearchStrategy[Any]] = {}
    for field in fields:
        if field.name in overrides:
            strategy: SearchStrategy[Any] | None = overrides[field.name]
        else:
            strategy = _field_strategy(cls, field, ctx)
        if strategy is not None:
            strategies[field.name] = strategy
    built = st.fixed_dictionaries(strategies).map(lambda values: _built(cls, values))
    return built.filter(lambda record: record is not None)  # type: ignore[return-value]


def statements_in(ctx: Context) -> SearchStrategy[Statement]:
    """Statements of every built-in type whose references ``ctx`` can satisfy."""
    kinds = registry.BUILTIN_STATEMENTS.values()
    return st.one_of([records_in(kind, ctx, {}) for kind in kinds])


def records_of(
    cls: type[T], *, within: Dataset | None = None, **fields: SearchStrategy[Any]
) -> SearchStrategy[T]:
    """Instances of an attrs class, with a strategy for each field derived from its kind.

    Each field gets the strategy of its :class:`~conflictmodel.spec.Kind` (text, ids, enums,
    spans, estimates, points, optional values, tuples, nested attrs classes), so fields of your
    own types are drawn as the built-in ones are. A field marked with
    :func:`~conflictmodel.refers_to` draws ids: any id, or with ``within`` the ids of that
    dataset's records. Values the class refuses (a rule between fields) are drawn again. Pass
    ``name=<strategy>`` to override a field; a required field whose type cannot be inferred
    must be given.

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
    return records_in(cls, Context.of(within), fields)


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
    return statements_in(Context.of(within))


def claims(
    *, within: Dataset | None = None, **fields: SearchStrategy[Any]
) -> SearchStrategy[Claim]:
    """Claims asserting or denying a statement of any built-in type."""
    return records_of(Claim, within=within, **fields)


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

    def of_every_type(_: None) -> SearchStrategy[Event]:
        kinds = sorted(
            (tag, cls) for tag, cls in registry.record_types().items() if issubclass(cls, Event)
        )
        return st.one_of([records_of(cls, within=within) for _, cls in kinds])

    return st.none().flatmap(of_every_type)
