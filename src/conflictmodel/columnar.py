"""Numpy columns behind a :class:`~conflictmodel.Dataset`, for queries over millions of events.

:func:`columns` builds them once per dataset, the first time a query needs them (records are
frozen and a dataset never changes, so they never go stale): one row per event with its span as
day numbers, its place, and flags; one row per casualty figure the event's record gives (what
:func:`~conflictmodel.casualties_by_actor` sums by default); one row per figure that only claims
give (the range they span); one row per initiator. Queries use them to select events and add
figures with array operations instead of visiting every record.

>>> import conflictmodel as cm
>>> table = columns(cm.examples.idlib_2020())
>>> len(table.event_ids) == len(table.start)
True
>>> sorted(table.actor_ids[a] for a in table.figures.actor[table.figures.killed])
['syrian-army', 'turkish-army']
"""

from __future__ import annotations

import array
import datetime
from collections import defaultdict
from collections.abc import Iterable

import numpy as np
import numpy.typing as npt

from conflictmodel.claims import CasualtyFigure, Stance
from conflictmodel.dataset import Dataset
from conflictmodel.events import Casualties, Engagement, Toll
from conflictmodel.quantities import Estimate
from conflictmodel.records import references
from conflictmodel.timespans import TimeSpan

Ints = npt.NDArray[np.int64]
Flags = npt.NDArray[np.bool_]

OPEN_START = np.iinfo(np.int64).min
OPEN_END = np.iinfo(np.int64).max
OPEN_HIGH = -1
"""``high`` of an estimate with an open upper bound."""


def day_number(day: datetime.date | None, open_value: int) -> int:
    """The proleptic ordinal of ``day`` (``open_value`` for an open end)."""
    return open_value if day is None else day.toordinal()


def span_numbers(span: TimeSpan) -> tuple[int, int]:
    """The first and last possible day of ``span`` as day numbers."""
    return day_number(span.start, OPEN_START), day_number(span.end, OPEN_END)


class Figures:
    """Rows of casualty figures: event, actor (``-1``: unattributed), measure and estimate.

    Fill it with :meth:`add`, then :meth:`freeze` it into numpy arrays.
    """

    def __init__(self) -> None:
        self._rows = [array.array("q") for _ in range(6)]
        self.event: Ints = np.empty(0, dtype=np.int64)
        self.actor: Ints = np.empty(0, dtype=np.int64)
        self.killed: Flags = np.empty(0, dtype=bool)
        self.low: Ints = np.empty(0, dtype=np.int64)
        self.best: Ints = np.empty(0, dtype=np.int64)
        self.high: Ints = np.empty(0, dtype=np.int64)

    def add(self, event: int, actor: int, killed: bool, low: int, best: int, high: int) -> None:
        """Add one figure (``high`` is :data:`OPEN_HIGH` when open)."""
        for column, value in zip(self._rows, (event, actor, killed, low, best, high), strict=True):
            column.append(value)

    def freeze(self) -> Figures:
        """Turn the rows added so far into the arrays; returns ``self``."""
        event, actor, killed, low, best, high = (
            np.frombuffer(c, dtype=np.int64) for c in self._rows
        )
        self.event, self.actor, self.killed = event.copy(), actor.copy(), killed.astype(bool)
        self.low, self.best, self.high = low.copy(), best.copy(), high.copy()
        self._rows = []
        return self

    def __len__(self) -> int:
        return len(self.event)


def _estimate_numbers(estimate: Estimate) -> tuple[int, int, int]:
    high = OPEN_HIGH if estimate.high is None else estimate.high
    return estimate.low, estimate.best, high


class Columns:
    """The columns of one dataset; build them with :func:`columns`."""

    def __init__(self, ds: Dataset) -> None:
        self.actor_ids: list[str] = list(ds.actors)
        self.location_ids: list[str] = list(ds.locations)
        self.actor_index = {actor: i for i, actor in enumerate(self.actor_ids)}
        self.location_index = {place: i for i, place in enumerate(self.location_ids)}
        self.event_ids: list[str] = list(ds.events)
        position = {event: i for i, event in enumerate(self.event_ids)}
        self._build_events(ds)
        self.claimed: Flags = np.zeros(len(self.event_ids), dtype=bool)
        self.claim_figures = self._claim_figures(ds, position)

    def _build_events(self, ds: Dataset) -> None:
        count = len(self.event_ids)
        start = np.empty(count, dtype=np.int64)
        end = np.empty(count, dtype=np.int64)
        place = np.full(count, -1, dtype=np.int64)
        toll = np.zeros(count, dtype=bool)
        hostile = np.zeros(count, dtype=bool)
        parted = np.zeros(count, dtype=bool)
        spans: dict[int, tuple[int, int]] = {}
        keep: list[object] = []
        entries: dict[int, list[tuple[int, bool, int, int, int]]] = {}
        figures = Figures()
        add = figures.add
        initiators = array.array("q")
        actor_index, location_index = self.actor_index, self.location_index
        for i, event in enumerate(ds.events.values()):
            when = event.when
            numbers = spans.get(id(when))
            if numbers is None:
                numbers = spans[id(when)] = span_numbers(when)
                keep.append(when)
            start[i], end[i] = numbers
            if event.where is not None:
                place[i] = location_index[event.where]
            parted[i] = event.part_of is not None
            if isinstance(event, Toll):
                toll[i] = True
            if not isinstance(event, Engagement):
                continue
            hostile[i] = event.kind.is_hostile
            for actor_id in event.initiators:
                initiators.append(i)
                initiators.append(actor_index[actor_id])
            any_killed = False
            for entry in event.casualties:
                made = entries.get(id(entry))
                if made is None:
                    made = entries[id(entry)] = _entry_figures(entry, actor_index)
                    keep.append(entry)
                for actor, killed, low, best, high in made:
                    add(i, actor, killed, low, best, high)
                    any_killed = any_killed or killed
            if event.reported_total is not None and not any_killed:
                add(i, -1, True, *_estimate_numbers(event.reported_total))
        self.start: Ints = start
        self.end: Ints = end
        self.place: Ints = place
        self.toll: Flags = toll
        self.hostile: Flags = hostile
        self.parted: Flags = parted
        self.figures = figures.freeze()
        pairs = np.frombuffer(initiators, dtype=np.int64).reshape(len(initiators) // 2, 2)
        self.initiator_event: Ints = pairs[:, 0].copy()
        self.initiator_actor: Ints = pairs[:, 1].copy()

    def _claim_figures(self, ds: Dataset, position: dict[str, int]) -> Figures:
        """Figures that only claims give, as the default perspective takes them."""
        from conflictmodel.queries.perspective import _record_figures, span_of

        asserted: dict[tuple[str, str | None, bool], list[Estimate]] = defaultdict(list)
        for claim in ds.claims.values():
            for _, collection, target in references(claim):
                if collection == "events" and target in position:
                    self.claimed[position[target]] = True
            statement = claim.statement
            if claim.stance is not Stance.ASSERTS or not isinstance(statement, CasualtyFigure):
                continue
            for killed, value in ((True, statement.killed), (False, statement.injured)):
                if value is not None:
                    asserted[(statement.event, statement.actor, killed)].append(value)
        rows = Figures()
        recorded: dict[str, dict[tuple[str | None, str], Estimate]] = {}
        for (event_id, actor, killed), values in asserted.items():
            event = ds.events[event_id]
            if event_id not in recorded:
                recorded[event_id] = _record_figures(event)
            if (actor, "killed" if killed else "injured") in recorded[event_id]:
                continue
            estimate = span_of(values)
            index = -1 if actor is None else self.actor_index[actor]
            rows.add(position[event_id], index, killed, *_estimate_numbers(estimate))
        return rows.freeze()

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


def _entry_figures(
    entry: Casualties, actor_index: dict[str, int]
) -> list[tuple[int, bool, int, int, int]]:
    actor = -1 if entry.actor is None else actor_index[entry.actor]
    figures = []
    for killed, value in ((True, entry.killed), (False, entry.injured)):
        if value is not None:
            figures.append((actor, killed, *_estimate_numbers(value)))
    return figures


def columns(ds: Dataset) -> Columns:
    """The columns of ``ds``, built on first use and kept with it."""
    found = ds.__dict__.get("_columns")
    if not isinstance(found, Columns):
        found = ds.__dict__["_columns"] = Columns(ds)
    return found
