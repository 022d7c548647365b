"""The columnar paths of the queries: casualty totals and violation candidates from numpy arrays.

Each function gives the same answer as the record-by-record path it stands in for (the property
tests in ``tests/test_columnar.py`` compare them on generated datasets); only the work differs.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from conflictmodel import columnar
from conflictmodel.agreements import Agreement
from conflictmodel.claims import Claim
from conflictmodel.dataset import Dataset
from conflictmodel.events import Event, Toll
from conflictmodel.quantities import Estimate
from conflictmodel.queries.perspective import Perspective
from conflictmodel.records import references
from conflictmodel.timespans import TimeSpan

Key = str | None
Totals = dict[Key, Estimate]


def _camp_events(ds: Dataset, camp: frozenset[str]) -> set[str]:
    """The events the camp's claims name: where its account may differ from the record."""
    claims: list[Claim] = [claim for member in camp for claim in ds.claims_by(member)]
    return {
        target
        for claim in claims
        for _, collection, target in references(claim.statement)
        if collection == "events"
    }


def _add(totals: Totals, key: Key, estimate: Estimate) -> None:
    known = totals.get(key)
    totals[key] = estimate if known is None else known + estimate


def casualty_totals(
    ds: Dataset,
    view: Perspective,
    period: TimeSpan | None,
    within: str | None,
    roll_up: bool,
) -> tuple[Totals, Totals]:
    """Killed and injured per actor over the chosen events, as :class:`CasualtyTable` sums them.

    The record's figures are added as arrays; events that claims counting in ``view`` name
    (any claim in the default account) are added figure by figure through
    :meth:`Perspective.figures`.
    """
    table = columnar.columns(ds)
    chosen = ~table.toll
    if period is not None:
        chosen &= table.events_meeting(period)
    if within is not None:
        chosen &= table.events_within(ds, [within])
    parts = [table.figures]
    named = table.claimed if view.camp is None else table.events_named(_camp_events(ds, view.camp))
    events = ds.events
    by_record = [events[table.event_ids[i]] for i in np.flatnonzero(chosen & named)]
    chosen &= ~named
    top = _top_actors(ds, table) if roll_up else None
    killed: Totals = {}
    injured: Totals = {}
    for figures in parts:
        rows = chosen[figures.event]
        actors = figures.actor[rows]
        if top is not None:
            actors = top[actors + 1]
        for measure, totals in ((figures.killed[rows], killed), (~figures.killed[rows], injured)):
            _sum_groups(
                table.actor_ids,
                actors[measure],
                figures.low[rows][measure],
                figures.best[rows][measure],
                figures.high[rows][measure],
                totals,
            )
    key: Callable[[Key], Key] = (
        (lambda actor: None if actor is None else ds.top_actor(actor)) if roll_up else _same
    )
    for event in by_record:
        if isinstance(event, Toll):
            continue
        for figure in view.figures(event):
            _add(
                killed if figure.measure == "killed" else injured,
                key(figure.actor),
                figure.estimate,
            )
    return killed, injured


def _same(actor: Key) -> Key:
    return actor


def _top_actors(ds: Dataset, table: columnar.Columns) -> columnar.Ints:
    """For ``actor index + 1``, the index of the actor's top ancestor (``-1`` stays ``-1``)."""
    index = table.actor_index
    top = [-1, *(index[ds.top_actor(actor)] for actor in table.actor_ids)]
    return np.array(top, dtype=np.int64)


def _sum_groups(
    actor_ids: list[str],
    actors: columnar.Ints,
    low: columnar.Ints,
    best: columnar.Ints,
    high: columnar.Ints,
    totals: Totals,
) -> None:
    if not len(actors):
        return
    groups = actors + 1
    size = len(actor_ids) + 1
    present = np.bincount(groups, minlength=size)
    open_high = np.bincount(groups[high == columnar.OPEN_HIGH], minlength=size)
    unknown_best = np.bincount(groups[best == columnar.UNKNOWN_BEST], minlength=size)
    sums = np.zeros((3, size), dtype=np.int64)
    np.add.at(sums[0], groups, low)
    np.add.at(sums[1], groups, np.where(best == columnar.UNKNOWN_BEST, 0, best))
    np.add.at(sums[2], groups, np.where(high == columnar.OPEN_HIGH, 0, high))
    for group in np.flatnonzero(present):
        key = None if group == 0 else actor_ids[group - 1]
        top = None if open_high[group] else int(sums[2, group])
        middle = None if unknown_best[group] else int(sums[1, group])
        _add(totals, key, Estimate(int(sums[0, group]), middle, top))


def violation_candidates(ds: Dataset, agreement: Agreement) -> list[Event]:
    """The events :func:`ceasefire_violations` must look at for ``agreement``, from the arrays.

    An event can be a violation (or carry one) only if it lies in the scope, meets the effective
    span, and has an initiator bound by the agreement, is named by a claim, or is part of
    another event (an allegation naming the larger event covers it). Every other event is
    left out without being visited.
    """
    table = columnar.columns(ds)
    known = table.candidates.get(agreement.id)
    if known is not None and known[0] is agreement:
        return known[1]
    chosen = table.events_meeting(agreement.effective)
    if agreement.scope:
        chosen &= table.events_within(ds, agreement.scope)
    bound = np.zeros(len(table.actor_ids), dtype=bool)
    for actor in agreement.bound_actors:
        bound[table.actor_index[actor]] = True
        for part in ds.actor_descendants(actor):
            bound[table.actor_index[part]] = True
    by_bound = np.zeros(len(table.event_ids), dtype=bool)
    by_bound[table.initiator_event[bound[table.initiator_actor]]] = True
    chosen &= by_bound | table.claimed | table.parted
    events = ds.events
    found = [events[table.event_ids[i]] for i in np.flatnonzero(chosen)]
    found.sort(key=lambda event: event.when.sort_key)
    table.candidates[agreement.id] = (agreement, found)
    return found
