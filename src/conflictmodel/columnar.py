"""Numpy columns behind a :class:`~conflictmodel.Dataset`, for queries over millions of events.

:func:`columns` builds them once per dataset, the first time a query needs them (records are
frozen and a dataset never changes, so they never go stale): one row per event with its span as
day numbers, its place, and flags; one row per casualty figure the event's record gives (what
:func:`~conflictmodel.casualties_by_actor` sums by default); one row per figure that only claims
give (the range they span); one row per initiator. Queries use them to select events and add
figures with array operations instead of visiting every record.

>>> import conflictmodel as cm
>>> from conflictmodel import columnar
>>> table = columnar.columns(cm.examples.idlib_2020())
>>> len(table.event_ids) == len(table.start)
True
>>> sorted(table.actor_ids[a] for a in table.figures.actor[table.figures.killed])
['syrian-army', 'turkish-army']
"""

from __future__ import annotations

import datetime
import operator
from collections.abc import Iterable, Sequence
from itertools import chain, compress, repeat
from typing import cast

import numpy as np
import numpy.typing as npt

from conflictmodel._gc import paused_gc
from conflictmodel.agreements import Agreement
from conflictmodel.claims import CasualtyFigure, Stance
from conflictmodel.dataset import Dataset
from conflictmodel.events import Engagement, EngagementKind, Event, Toll
from conflictmodel.quantities import Estimate
from conflictmodel.records import referenced_ids
from conflictmodel.timespans import TimeSpan

Ints = npt.NDArray[np.int64]
Flags = npt.NDArray[np.bool_]

OPEN_START = np.iinfo(np.int64).min
OPEN_END = np.iinfo(np.int64).max
_WHEN = operator.attrgetter("when")
_WHERE = operator.attrgetter("where")
_PART_OF = operator.attrgetter("part_of")
_KIND = operator.attrgetter("kind")
_INITIATORS = operator.attrgetter("initiators")
_TARGETS = operator.attrgetter("targets")
_CASUALTIES = operator.attrgetter("casualties")
_REPORTED = operator.attrgetter("reported_total")
_ACTOR = operator.attrgetter("actor")
_KILLED = operator.attrgetter("killed")
_INJURED = operator.attrgetter("injured")
OPEN_HIGH = -1
"""``high`` of an estimate with an open upper bound."""
UNKNOWN_BEST = -1
"""``best`` of an estimate whose best figure is unknown."""


def day_number(day: datetime.date | None, open_value: int) -> int:
    """The proleptic ordinal of ``day`` (``open_value`` for an open end)."""
    return open_value if day is None else day.toordinal()


def span_numbers(span: TimeSpan) -> tuple[int, int]:
    """The first and last possible day of ``span`` as day numbers."""
    return day_number(span.start, OPEN_START), day_number(span.end, OPEN_END)


class Figures:
    """Rows of casualty figures: event, actor (``-1``: unattributed), measure and estimate.

    ``killed`` tells killed rows from injured ones; ``high`` is :data:`OPEN_HIGH` when open,
    ``best`` :data:`UNKNOWN_BEST` when unknown.
    """

    def __init__(
        self, event: Ints, actor: Ints, killed: Flags, low: Ints, best: Ints, high: Ints
    ) -> None:
        self.event, self.actor, self.killed = event, actor, killed
        self.low, self.best, self.high = low, best, high

    @classmethod
    def of(cls, rows: Sequence[tuple[int, int, int, int, int, int]]) -> Figures:
        """Figures from ``(event, actor, killed, low, best, high)`` rows."""
        table = np.array(rows, dtype=np.int64).reshape(len(rows), 6)
        columns = [table[:, i].copy() for i in range(6)]
        return cls(columns[0], columns[1], columns[2] == 1, *columns[3:])

    def __len__(self) -> int:
        return len(self.event)


def _estimate_numbers(estimate: Estimate) -> tuple[int, int, int]:
    high = OPEN_HIGH if estimate.high is None else estimate.high
    best = UNKNOWN_BEST if estimate.best is None else estimate.best
    return estimate.low, best, high


class Columns:
    """The columns of one dataset; build them with :func:`columns`."""

    def __init__(self, ds: Dataset) -> None:
        self.actor_ids: list[str] = list(ds.actors)
        self.location_ids: list[str] = list(ds.locations)
        self.actor_index = {actor: i for i, actor in enumerate(self.actor_ids)}
        self.location_index = {place: i for i, place in enumerate(self.location_ids)}
        self.event_ids: list[str] = list(ds.events)
        position = dict(zip(self.event_ids, range(len(self.event_ids)), strict=True))
        self._build_events(ds)
        self.claimed: Flags = np.zeros(len(self.event_ids), dtype=bool)
        self.claim_figures = self._claim_figures(ds, position)
        self.candidates: dict[str, tuple[Agreement, list[Event]]] = {}
        """Violation candidates by agreement, kept by the query that found them."""

    def _build_events(self, ds: Dataset) -> None:
        # Column by column with map() and numpy, so that no Python code runs once per event.
        events = list(ds.events.values())
        count = len(events)
        self.start, self.end = _span_columns(list(map(_WHEN, events)))
        where_index = cast(dict[str | None, int], {**self.location_index})
        where_index[None] = -1
        self.place: Ints = np.fromiter(
            map(where_index.__getitem__, map(_WHERE, events)), np.int64, count
        )
        self.parted: Flags = np.fromiter(
            map(operator.is_not, map(_PART_OF, events), repeat(None)), bool, count
        )
        types = list(map(type, events))
        engagement = {kind: issubclass(kind, Engagement) for kind in set(types)}
        toll = {kind: issubclass(kind, Toll) for kind in engagement}
        self.toll: Flags = np.fromiter(map(toll.__getitem__, types), bool, count)
        is_engagement = np.fromiter(map(engagement.__getitem__, types), bool, count)
        at = np.flatnonzero(is_engagement)
        engagements = cast(list[Engagement], list(compress(events, is_engagement)))
        hostile = {kind: kind.is_hostile for kind in EngagementKind}
        self.hostile: Flags = np.zeros(count, dtype=bool)
        self.hostile[at] = np.fromiter(
            map(hostile.__getitem__, map(_KIND, engagements)), bool, len(at)
        )
        initiators = list(map(_INITIATORS, engagements))
        self.initiator_event: Ints = np.repeat(
            at, np.fromiter(map(len, initiators), np.int64, len(at))
        )
        self.initiator_actor: Ints = np.fromiter(
            map(self.actor_index.__getitem__, chain.from_iterable(initiators)), np.int64
        )
        targets = list(map(_TARGETS, engagements))
        self.target_event: Ints = np.repeat(at, np.fromiter(map(len, targets), np.int64, len(at)))
        self.target_actor: Ints = np.fromiter(
            map(self.actor_index.__getitem__, chain.from_iterable(targets)), np.int64
        )
        self.figures = self._record_figures(engagements, at)

    def _record_figures(self, engagements: list[Engagement], at: Ints) -> Figures:
        lists = list(map(_CASUALTIES, engagements))
        sizes = np.fromiter(map(len, lists), np.int64, len(at))
        entries = list(chain.from_iterable(lists))
        owner = np.repeat(at, sizes)
        who = cast(dict[str | None, int], {**self.actor_index})
        who[None] = -1
        actor = np.fromiter(map(who.__getitem__, map(_ACTOR, entries)), np.int64, len(entries))
        killed = _estimate_columns(list(map(_KILLED, entries)))
        injured = _estimate_columns(list(map(_INJURED, entries)))
        killed_given, injured_given = killed[:, 0] == 1, injured[:, 0] == 1
        has_killed = np.zeros(len(self.event_ids), dtype=bool)
        has_killed[owner[killed_given]] = True
        totals = list(map(_REPORTED, engagements))
        given = np.fromiter(map(operator.is_not, totals, repeat(None)), bool, len(at))
        extra = [
            (int(at[j]), -1, 1, *_estimate_numbers(totals[j]))
            for j in np.flatnonzero(given & ~has_killed[at]).tolist()
        ]
        reported = Figures.of(extra)
        parts = [
            (
                owner[killed_given],
                actor[killed_given],
                np.ones(int(killed_given.sum()), bool),
                killed[killed_given, 1:],
            ),
            (
                owner[injured_given],
                actor[injured_given],
                np.zeros(int(injured_given.sum()), bool),
                injured[injured_given, 1:],
            ),
        ]
        return Figures(
            np.concatenate([p[0] for p in parts] + [reported.event]),
            np.concatenate([p[1] for p in parts] + [reported.actor]),
            np.concatenate([p[2] for p in parts] + [reported.killed]),
            np.concatenate([p[3][:, 0] for p in parts] + [reported.low]),
            np.concatenate([p[3][:, 1] for p in parts] + [reported.best]),
            np.concatenate([p[3][:, 2] for p in parts] + [reported.high]),
        )

    def _claim_figures(self, ds: Dataset, position: dict[str, int]) -> Figures:
        """Figures that only claims give, as the default perspective takes them."""
        from conflictmodel.queries.perspective import FigureSource, Perspective

        figured: set[str] = set()
        for claim in ds.claims.values():
            statement = claim.statement
            for collection, target in referenced_ids(statement):
                if collection == "events":
                    self.claimed[position[target]] = True
            if claim.stance is Stance.ASSERTS and isinstance(statement, CasualtyFigure):
                figured.add(statement.event)
        view = Perspective(ds)
        rows = [
            (
                position[figure.event],
                -1 if figure.actor is None else self.actor_index[figure.actor],
                int(figure.measure == "killed"),
                *_estimate_numbers(figure.estimate),
            )
            for event_id in sorted(figured)
            for figure in view.figures(ds.events[event_id])
            if figure.source is FigureSource.CLAIMS
        ]
        return Figures.of(rows)

    # Selections ----------------------------------------------------------------------------

    def places_within(self, ds: Dataset, areas: Iterable[str]) -> Flags:
        """A flag per location: whether it is one of ``areas`` or lies within one."""
        inside = np.zeros(len(self.location_ids) + 1, dtype=bool)
        for area in areas:
            inside[self.location_index[area]] = True
            for place in ds.location_descendants(area):
                inside[self.location_index[place]] = True
        return inside

    def events_within(self, ds: Dataset, areas: Iterable[str]) -> Flags:
        """A flag per event: whether it lies in one of ``areas`` (``where`` within it)."""
        return self.places_within(ds, areas)[self.place]

    def events_meeting(self, span: TimeSpan) -> Flags:
        """A flag per event: whether its span meets ``span`` (as :meth:`TimeSpan.meets`)."""
        first, last = span_numbers(span)
        return (self.end >= first) & (self.start <= last)

    def events_named(self, ids: Iterable[str]) -> Flags:
        """A flag per event: whether its id is one of ``ids``."""
        wanted = set(ids)
        flags = np.zeros(len(self.event_ids), dtype=bool)
        if wanted:
            found = [i for i, event in enumerate(self.event_ids) if event in wanted]
            flags[found] = True
        return flags


def _estimate_columns(estimates: list[Estimate | None]) -> Ints:
    """``given, low, best, high`` per estimate (all 0 for ``None``); equal objects count once."""
    keys = np.fromiter(map(id, estimates), np.int64, len(estimates))
    unique, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    numbers = [
        (0, 0, 0, 0) if value is None else (1, *_estimate_numbers(value))
        for value in (estimates[i] for i in first.tolist())
    ]
    return np.array(numbers, dtype=np.int64).reshape(len(unique), 4)[inverse]


def _span_columns(spans: list[TimeSpan]) -> tuple[Ints, Ints]:
    """First and last day numbers of each span; equal spans shared by the loader count once."""
    keys = np.fromiter(map(id, spans), np.int64, len(spans))
    unique, first, inverse = np.unique(keys, return_index=True, return_inverse=True)
    numbers = np.array([span_numbers(spans[i]) for i in first], dtype=np.int64)
    numbers = numbers.reshape(len(unique), 2)[inverse]
    return numbers[:, 0].copy(), numbers[:, 1].copy()


def columns(ds: Dataset) -> Columns:
    """The columns of ``ds``, built on first use and kept with it."""
    found = ds.__dict__.get("_columns")
    if not isinstance(found, Columns):
        with paused_gc():
            found = ds.__dict__["_columns"] = Columns(ds)
    return found
