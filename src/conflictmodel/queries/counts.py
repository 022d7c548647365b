"""What an overview counts among a dataset's events and claims (:func:`event_counts`): in the
engine for a dataset held in tables, else over its records."""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Mapping

import attrs

from conflictmodel.dataset import Dataset
from conflictmodel.events import Engagement
from conflictmodel.quantities import Estimate, total
from conflictmodel.queries import _arguments
from conflictmodel.registry import record_tag


@attrs.frozen
class EventCounts:
    """What an overview counts among the events and claims of a dataset; a dataset held in
    tables counts them in its engine (:func:`conflictmodel.tables.queries.event_counts`)."""

    types: Mapping[str, int]
    """Events per type tag, most first (ties by tag)."""
    first_day: datetime.date | None
    """The earliest day an event may have started."""
    last_day: datetime.date | None
    """The latest day an event may have ended."""
    at: Mapping[str, int]
    """Events per place they took place at (``where``)."""
    sides: Mapping[str, int]
    """Engagements per actor named as a side (initiator or target)."""
    claimants: int
    """How many actors made a claim."""
    unattributed: int
    """How many claims no one is named as making."""
    reported: Estimate | None = None
    """The sum of the engagements' :attr:`~conflictmodel.Engagement.reported_total` (the
    source's own figure for everyone killed, as UCDP's low, best and high), over those that
    state one; ``None`` when none does."""
    reporting: int = 0
    """How many engagements state a reported total."""
    aggregates: int = 0
    """How many events are aggregates of several incidents
    (:attr:`~conflictmodel.Event.aggregate`)."""


def most_first(counts: Mapping[str, int]) -> dict[str, int]:
    """``counts`` ordered by count, largest first, ties by key."""
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))


def event_counts(ds: Dataset) -> EventCounts:
    """The :class:`EventCounts` of ``ds``: from the engine when it is held in tables
    (:func:`conflictmodel.tables.load`, ``cm.load(lazy=True)``), building no record.

    >>> import conflictmodel as cm
    >>> counts = event_counts(cm.examples.idlib_2020())
    >>> counts.types, str(counts.first_day), counts.sides["turkish-army"], counts.unattributed
    ({'engagement': 12, 'toll': 2}, '2011-03-01', 3, 1)
    >>> counts.reported, counts.reporting, counts.aggregates
    (None, 0, 0)
    """
    engine = _arguments.engine_tables(ds)
    if engine is not None:
        from conflictmodel.tables import queries

        return queries.event_counts(engine)
    ds = _arguments.dataset("event_counts", ds)
    events = ds.events.values()
    starts = [e.when.start for e in events if e.when.start is not None]
    ends = [e.when.end for e in events if e.when.end is not None]
    sides = Counter(
        actor
        for event in events
        if isinstance(event, Engagement)
        for actor in dict.fromkeys((*event.initiators, *event.targets))
    )
    claimants = [claim.claimant for claim in ds.claims.values()]
    reported = [
        event.reported_total
        for event in events
        if isinstance(event, Engagement) and event.reported_total is not None
    ]
    return EventCounts(
        types=most_first(Counter(record_tag(event) for event in events)),
        first_day=min(starts) if starts else None,
        last_day=max(ends) if ends else None,
        at=Counter(e.where for e in events if e.where is not None),
        sides=sides,
        claimants=len({c for c in claimants if c is not None}),
        unattributed=claimants.count(None),
        reported=total(reported) if reported else None,
        reporting=len(reported),
        aggregates=sum(event.aggregate for event in events),
    )
