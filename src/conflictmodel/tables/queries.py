"""The queries over opened tables, written once with Ibis and run by the table's engine.

Each query follows the rules of its in-memory definition (:mod:`conflictmodel.queries`), which
stays the readable statement of them and the oracle the tests compare with. Which figures a
perspective sees is decided in one place, :func:`visible_figures`, which events in
:func:`chosen_events`, and who carried an event out in :func:`perpetrators`. Sums are exact:
counts are cast to ``decimal(38, 0)`` before they are added (:func:`summed`).
"""

from __future__ import annotations

import datetime
import functools
import operator
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, NamedTuple

import attrs

from conflictmodel import registry
from conflictmodel.actors import ActorKind
from conflictmodel.agreements import Agreement
from conflictmodel.assessments import Assessment, Grade
from conflictmodel.claims import (
    UNATTRIBUTED,
    Attribution,
    CasualtyFigure,
    Claim,
    Occurred,
    Stance,
    Violated,
)
from conflictmodel.dataset import Dataset
from conflictmodel.events import Engagement, EngagementKind, Event, Toll
from conflictmodel.io._extras import require
from conflictmodel.quantities import ESTIMATE_PARTS, Estimate, sum_of_estimates, total
from conflictmodel.queries import grades
from conflictmodel.queries.casualties import FigureClaimants
from conflictmodel.queries.counts import EventCounts, most_first
from conflictmodel.queries.perspective import (
    MEASURES,
    BestRule,
    FigureSource,
    complete_account,
    is_dataset,
)
from conflictmodel.queries.violations import reachable, scope_places
from conflictmodel.records import references
from conflictmodel.tables import layout
from conflictmodel.tables.store import Tables, best_or_low, figure_given
from conflictmodel.timespans import TimeSpan

if TYPE_CHECKING:
    from conflictmodel.queries.over_time import SpanFigures, SpanKey

Totals = dict[str | None, Estimate]
Pair = tuple[str | None, str | None]
_EXACT = "decimal(38, 0)"


def _ibis() -> Any:
    return require("ibis", "arrow", "conflictmodel.tables")


def _small_table(**columns: list[str]) -> Any:
    """A table of text columns shipped to the engine."""
    arrow: Any = require("pyarrow", "arrow", "conflictmodel.tables")
    table = arrow.table(
        {name: arrow.array(values, arrow.string()) for name, values in columns.items()}
    )
    return _ibis().memtable(table)


def _statement_tags(kind: type) -> list[str]:
    return sorted(tag for tag, cls in registry.statement_types().items() if issubclass(cls, kind))


def _event_tags(kind: type) -> list[str]:
    return sorted(tag for tag, cls in registry.record_types().items() if issubclass(cls, kind))


def _day(value: datetime.date | None) -> datetime.date | None:
    return None if value is None else datetime.date(value.year, value.month, value.day)


# Instants compare by days in their own zone; zones lie within 26 hours of each other, so an
# instant's day in one zone is at most two days from its day in another.
_ZONE_DAYS = datetime.timedelta(days=2)


def _bounds(table: Any, field: str, span: TimeSpan) -> list[tuple[Any, Any, Any]]:
    """How the span in the columns of ``field`` meets ``span`` at each end ``span`` bounds:
    the day column of the row's other end, a plain comparison of that day a meeting row must
    pass, and the exact rule for a row whose day is known (a row whose day is unknown meets)."""
    ibis = _ibis()
    bounds = []
    first, last = _day(span.start), _day(span.end)
    if first is not None:
        end, until = table[f"{field}_end"], table[f"{field}_until"]
        exact = reaches = end >= first
        if span.start_time is not None:
            moment = ibis.literal(span.start_time.in_timezone("UTC"), "timestamp('UTC')")
            exact = ibis.ifelse(until.notnull(), until > moment, reaches)
            reaches = end >= first - _ZONE_DAYS
        bounds.append((end, reaches, exact))
    if last is not None:
        start, begins = table[f"{field}_start"], table[f"{field}_from"]
        exact = reaches = start <= last
        if span.until is not None:
            moment = ibis.literal(span.until.in_timezone("UTC"), "timestamp('UTC')")
            exact = ibis.ifelse(begins.notnull(), begins < moment, reaches)
            reaches = start <= last + _ZONE_DAYS
        bounds.append((start, reaches, exact))
    return bounds


def meeting(table: Any, field: str, span: TimeSpan) -> Any:
    """Whether the span in the columns of ``field`` meets ``span``, as :meth:`TimeSpan.meets`:
    two instants compare exactly, and a date against a time of day by the days in the time's
    zone (which ``<field>_start`` and ``<field>_end`` hold)."""
    condition = _ibis().literal(True)
    for day, _, exact in _bounds(table, field, span):
        condition &= day.isnull() | exact
    return condition


def meeting_rows(
    table: Any,
    field: str,
    span: TimeSpan,
    *,
    in_parts: bool,
    has_null: Callable[[str], bool] = lambda column: True,
) -> Any:
    """The rows of ``table`` whose span in the columns of ``field`` meets ``span``
    (:func:`meeting`); ``in_parts`` to read them so that DuckDB can skip row groups.

    DuckDB skips row groups by plain comparisons, not by ``day IS NULL OR day >= first``, so
    ``in_parts`` reads the rows in parts by which days are known, each filtered by plain
    comparisons (the day's necessary bound, then the exact rule); a part of unknown days is
    read only for a day column ``has_null`` says holds a null. Spark pushes the whole
    condition down to Parquet; reading the files once per part would cost it more.
    """
    if not in_parts:
        return table.filter(meeting(table, field, span))
    parts = [table]
    for day, reaches, exact in _bounds(table, field, span):
        unknown = [day.isnull()] if has_null(day.get_name()) else []
        parts = [
            part.filter(condition) for part in parts for condition in (reaches & exact, *unknown)
        ]
    return _ibis().union(*parts, distinct=False) if len(parts) > 1 else parts[0]


def has_claims(tables: Tables, claimants: Iterable[str]) -> bool:
    """Whether any of ``claimants`` made a claim (else they have no account of their own)."""
    for claimant in sorted(claimants):
        known = tables.claimants.get(claimant)
        if known is None:
            claims = tables.table("claims")
            mine = claims.filter(claims.claimant == claimant).select("id").limit(1)
            known = tables.claimants[claimant] = bool(tables.run(mine))
        if known:
            return True
    return False


def current(claims: Any, subject: list[str], *, made: Any = None) -> Any:
    """The rows of ``claims`` their claimants have not revised, as
    :mod:`conflictmodel.queries.revisions` rules: a row is superseded when the same claimant
    made another on the same ``subject`` (columns) definitely later. ``made``: the same rows
    with only ``claimant``, ``subject`` and ``made_start``, built apart from ``claims`` (by
    default ``claims``): the engine then reads them twice rather than holding every row of
    ``claims`` for the two uses (at 10,000,000 events, 80 MiB less for the claimed figures)."""
    made = claims if made is None else made
    latest = made.group_by(["claimant", *subject]).aggregate(latest_made=made.made_start.max())
    # A join on the latest start per claimant and subject: DuckDB runs it several times faster
    # than a window over as many partitions as there are subjects.
    later = [
        claims.claimant == latest.claimant,
        *(claims[c].identical_to(latest[c]) for c in subject),
        claims.made_end < latest.latest_made,
    ]
    return claims.anti_join(latest, later)


def _datasets(tables: Tables) -> list[str]:
    """The ids of the dataset claimants (sources merged in), whose claims are whole accounts."""
    return sorted(a for a in tables.dimensions.actors if is_dataset(tables.dimensions, a))


def _naming(claims: Any) -> Any:
    """(claim, event): each event a claim of ``claims`` names, in every column of the claims
    table that holds event ids (:func:`~conflictmodel.tables.layout.reference_columns`, as
    :func:`~conflictmodel.records.references` finds them in the records)."""
    pairs = []
    for column in layout.reference_columns("claims"):
        if column.target == "events" and column.table == "claims":
            event = claims[column.column]
            if column.depth == 2:
                event = event.flatten()
            pair = claims.select(claim=claims.id, event=event.unnest() if column.depth else event)
            pairs.append(pair.filter(pair.event.notnull()))
    return _ibis().union(*pairs)


def _named_events(claims: Any) -> Any:
    """The ids of the events ``claims`` name (:func:`_naming`)."""
    naming = _naming(claims)
    return naming.select(id=naming.event)


def _has_tolls(tables: Tables) -> bool:
    events = tables.table("events")
    tolls = events.filter(events.type.isin(_event_tags(Toll))).select("id").limit(1)
    return tables.remembered("has tolls", lambda: bool(tables.run(tolls)))


@attrs.frozen(eq=False)
class ChosenEvents:
    """The events a casualty query counts (made by :func:`chosen_events`), chosen in any table
    of rows about events: straight from the owner's columns a table repeats
    (:data:`~conflictmodel.tables.layout.OWNER_COLUMNS`), or else by joining the ids of the
    events chosen in the events table."""

    tables: Tables
    tolls: bool
    """Whether there are tolls to leave out."""
    period: TimeSpan | None
    places: tuple[str, ...] | None
    denied: Any = None
    """The ids (``id`` column) of the events the camp denies, to leave out."""
    asserted: Any = None
    """The ids of the only events counted (a camp of datasets: those its claims name)."""
    graded: Any = None
    """The ids of the only events counted (those graded well enough)."""

    def ids(self) -> Any:
        """The ids of the chosen events, as a table with an ``id`` column."""
        return self.rows(self.tables.table("events"), "id", "").select("id")

    def rows(
        self,
        table: Any,
        key: str,
        prefix: str = layout.REPEATED_PREFIX,
        *,
        in_time_order: str | None = None,
    ) -> Any:
        """The rows of ``table`` whose column ``key`` names a chosen event; ``table`` repeats
        the event's columns with ``prefix``, or if it does not, the chosen ids are joined.
        ``in_time_order``: the name of the child table of the layout ``table`` is, which the
        engine holds sorted by time (then a period is read in parts the engine can skip row
        groups by)."""
        repeated = [f"{prefix}{c}" for c in layout.owner_columns("events")]
        if not set(repeated) <= set(table.columns):
            chosen = self.ids().view()
            return table.semi_join(chosen, table[key] == chosen.id)
        if self.tolls:
            table = table.filter(~table[f"{prefix}type"].isin(_event_tags(Toll)))
        if self.period is not None:
            field = f"{prefix}when"
            if in_time_order is not None and self.tables.periods_in_parts:
                stored = functools.partial(self.tables.has_null, in_time_order)
                table = meeting_rows(table, field, self.period, in_parts=True, has_null=stored)
            else:
                table = meeting_rows(table, field, self.period, in_parts=False)
        if self.places is not None:
            table = _in_places(table, self.places, f"{prefix}where")
        # A view of its own for each use: one query chooses the events in several tables.
        if self.denied is not None:
            denied = self.denied.view()
            table = table.anti_join(denied, table[key] == denied.id)
        for only in (self.asserted, self.graded):
            if only is not None:
                counted = only.view()
                table = table.semi_join(counted, table[key] == counted.id)
        return table


def chosen_events(
    tables: Tables,
    camp: frozenset[str] | None,
    period: TimeSpan | None,
    places: Iterable[str] | None,
) -> ChosenEvents | None:
    """The events a casualty query counts: not tolls, meeting ``period``, in ``places``
    (``None``: anywhere), not denied (currently) by a member of ``camp`` and, when the camp is
    made of datasets, named by one of their asserting claims. ``None`` when that is every
    event (then the queries choose nothing)."""
    tolls = _has_tolls(tables)
    if camp is None and period is None and places is None and not tolls:
        return None
    chosen = ChosenEvents(tables, tolls, period, None if places is None else tuple(places))
    if camp is None:
        return chosen
    denials = _denials(tables)
    denied = denials.filter(denials.claimant.isin(sorted(camp))).select("id")
    asserted = None
    if complete_account(tables.dimensions, camp):
        claims = tables.table("claims")
        asserting = claims.filter(
            claims.claimant.isin(sorted(camp)) & (claims.stance == Stance.ASSERTS.value)
        )
        asserted = _named_events(asserting)
    return attrs.evolve(chosen, denied=denied, asserted=asserted)


def _denials(tables: Tables) -> Any:
    """(claimant, id): the events each claimant currently denies occurred (kept: every query
    with a perspective reads them)."""

    def every() -> Any:
        claims = tables.table("claims")
        occurred = current(
            claims.filter(claims.statement_type.isin(_statement_tags(Occurred))),
            ["statement_event"],
        )
        denying = occurred.filter(occurred.stance == Stance.DENIES.value)
        return denying.select("claimant", id=denying.statement_event)

    return tables.materialized("denials", every)


def _owned(tables: Tables, table: Any, key: str) -> Any:
    """``table`` with the columns of the event its ``key`` names that a child table repeats
    (``owner_<column>``), so that :class:`ChosenEvents` chooses its rows without a join."""
    events = tables.table("events")
    columns = layout.repeated_columns("events")
    owners = events.select(
        conflictmodel_owner=events.id, **{name: events[c] for name, c in columns.items()}
    )
    joined = table.left_join(owners, table[key] == owners.conflictmodel_owner)
    return joined.drop("conflictmodel_owner")


def _unowned(table: Any) -> Any:
    """``table`` without the columns :func:`_owned` adds."""
    return table.drop(*layout.repeated_columns("events"))


def _in_places(table: Any, places: Iterable[str], where: str = "where") -> Any:
    """The rows of ``table`` whose column ``where`` is one of ``places`` (joined as a table:
    faster than a list of a thousand values to compare with)."""
    wanted = _small_table(id=sorted(set(places)))
    return table.semi_join(wanted, table[where] == wanted.id)


def _of_events(
    table: Any, column: str, events: ChosenEvents | Any, *, in_time_order: str | None = None
) -> Any:
    """The rows of ``table`` whose ``column`` names one of ``events``: :class:`ChosenEvents`,
    a table with an ``id`` column, or ``None`` (every row); ``in_time_order`` as
    :meth:`ChosenEvents.rows` takes it."""
    if events is None:
        return table
    if isinstance(events, ChosenEvents):
        return events.rows(table, column, in_time_order=in_time_order)
    # A view of its own for each use: then the events are chosen once per query (a common
    # table expression), and the engine still filters ``table`` as it reads it.
    chosen = events.view()
    return table.semi_join(chosen, table[column] == chosen.id)


def event_grades(tables: Tables) -> Mapping[str, Grade]:
    """The grade of every assessed event: its latest assessment, as
    :func:`conflictmodel.queries.grades.latest` decides from the engine's assessment rows
    (read once per tables, and given read-only rather than copied)."""

    def read() -> dict[str, Grade]:
        assessments = tables.table("assessments")
        rows = tables.run(assessments.filter(assessments.event.notnull()))
        found = layout.records_from("assessments", rows)
        return grades.of_events(grades.latest(a for a in found if isinstance(a, Assessment)))

    return MappingProxyType(tables.remembered("event grades", read))


def graded_events(tables: Tables, events: ChosenEvents | None, minimum: Grade) -> ChosenEvents:
    """The ``events`` (``None``: every event) whose grade meets ``minimum``; an ungraded event
    never does."""
    graded = event_grades(tables)
    kept = _small_table(
        id=sorted(event for event, grade in graded.items() if grades.meets(grade, minimum))
    )
    chosen = events or ChosenEvents(tables, tolls=False, period=None, places=None)
    return attrs.evolve(chosen, graded=kept)


def _figure_rows(table: Any, event: Any, actor: Any, prefix: str, **extra: Any) -> Any:
    """One row per measure given: event, actor, measure, low, best, high (and ``extra``)."""
    ibis = _ibis()
    parts = []
    for measure in MEASURES:
        parts.append(
            table.filter(figure_given(table, f"{prefix}{measure}_")).select(
                event=event,
                actor=actor,
                measure=ibis.literal(measure),
                low=table[f"{prefix}{measure}_low"],
                best=table[f"{prefix}{measure}_best"],
                high=table[f"{prefix}{measure}_high"],
                **extra,
            )
        )
    return ibis.union(*parts)


def record_figures(tables: Tables, events: Any) -> Any:
    """The figures the records of ``events`` give: each casualty entry's killed and injured,
    and ``reported_total`` as unattributed killed where no entry gives a killed figure."""
    return _entry_figures(tables, events).union(_reported_totals(tables, events))


def _entry_figures(tables: Tables, events: Any) -> Any:
    """The figure rows of the casualty entries of ``events``."""
    entries = _casualty_entries(tables, events)
    return _figure_rows(entries, entries.owner, entries.actor, "")


def _casualty_entries(tables: Tables, events: Any) -> Any:
    """The casualty entries of ``events`` (held in time order, so a period is read in parts
    the engine can skip row groups by)."""
    name = "events_casualties"
    return _of_events(tables.table(name), "owner", events, in_time_order=name)


def _reported_totals(tables: Tables, events: Any) -> Any:
    """The figure rows of ``reported_total`` of the ``events`` no casualty entry gives a
    killed figure for."""

    def every() -> Any:
        ibis = _ibis()
        entries = tables.table("events_casualties")
        with_killed = entries.filter(figure_given(entries, "killed_")).select(id=entries.owner)
        totals = tables.table("events")
        totals = totals.filter(figure_given(totals, "reported_total_"))
        totals = totals.anti_join(with_killed, "id")
        figures = totals.select(
            event=totals.id,
            actor=ibis.null().cast("string"),
            measure=ibis.literal("killed"),
            low=totals.reported_total_low,
            best=totals.reported_total_best,
            high=totals.reported_total_high,
        )
        return _owned(tables, figures, "event")

    return _unowned(_of_events(tables.materialized("reported_totals", every), "event", events))


def _record_sums(tables: Tables, events: Any) -> list[Any]:
    """:func:`_sums` per (actor, measure) of :func:`record_figures`, the casualty entries
    summed in one pass over their table (checked first: a high without a low or a best is
    refused); a part is missing from a sum when fewer of it than figures are counted."""
    ibis = _ibis()
    entries = _casualty_entries(tables, events)
    columns: dict[str, Any] = {}
    for measure in MEASURES:
        low, best, high = (entries[f"{measure}_{c}"] for c in ESTIMATE_PARTS)
        size = figure_given(entries, f"{measure}_").cast("int64").sum()
        columns[f"{measure}_size"] = size
        columns[f"{measure}_low"] = _exact(tables, low).sum()
        columns[f"{measure}_best"] = _exact(tables, best).sum()
        columns[f"{measure}_high"] = _exact(tables, high).sum()
        columns[f"{measure}_floorless"] = low.count() < size
        columns[f"{measure}_unknown"] = best.count() < size
        columns[f"{measure}_open"] = high.count() < size
    wide = entries.group_by("actor").aggregate(**columns)
    parts = [
        wide.filter(wide[f"{measure}_size"] > 0).select(
            actor=wide.actor,
            measure=ibis.literal(measure),
            **{c: wide[f"{measure}_{c}"] for c in (*ESTIMATE_PARTS, *_MISSING)},
        )
        for measure in MEASURES
    ]
    return [*parts, _sums(tables, _reported_totals(tables, events), ["actor", "measure"])]


def _every_figure_claim(tables: Tables) -> Any:
    """The rows of the casualty figure claims, whoever made them."""
    claims = tables.table("claims")
    return claims.filter(claims.statement_type.isin(_statement_tags(CasualtyFigure)))


def _figure_claims(tables: Tables) -> Any:
    """The rows of the casualty figure claims that have a claimant: unattributed claims are
    nobody's account and give no figure."""
    claims = _every_figure_claim(tables)
    return claims.filter(claims.claimant.notnull())


def _current_figures(claims: Any) -> Any:
    """The figures the current ones of ``claims`` (casualty figure claims) give: event,
    actor, measure, low, best, high, claimant and stance, as :func:`current` rules (the
    latest made per subject read apart, see its ``made``)."""

    def rows(**extra: Any) -> Any:
        return _figure_rows(
            claims,
            claims.statement_event,
            claims.statement_actor,
            "statement_",
            claimant=claims.claimant,
            made_start=claims.made_start,
            **extra,
        )

    every_row = rows(stance=claims.stance, made_end=claims.made_end)
    found = current(every_row, ["event", "actor", "measure"], made=rows())
    return found.drop("made_start", "made_end")


def _claimed_figures(tables: Tables, events: Any) -> Any:
    """The current figures of every claim on ``events``, with claimant and stance."""

    def every() -> Any:
        return _owned(tables, _current_figures(_figure_claims(tables)), "event")

    return _unowned(_of_events(tables.materialized("claimed_figures", every), "event", events))


def _claimed_record_figures(tables: Tables) -> Any:
    """The (event, actor, measure) of :func:`record_figures` of the events a figure claim
    names: the only record figures a claimed figure can replace or stand beside. The events
    are read from the claims (every event a current figure names is named by a figure claim),
    and the two parts are kept apart, so that the engine finds the casualty entries' while it
    works out the claimed figures and the reported totals."""
    claims = _figure_claims(tables)
    named = claims.select(id=claims.statement_event).distinct()

    def part(figures: Any) -> Callable[[], Any]:
        return lambda: figures(tables, named).select("event", "actor", "measure")

    entries = tables.materialized("claimed_entry_figures", part(_entry_figures))
    totals = tables.materialized("claimed_reported_totals", part(_reported_totals))
    return entries.union(totals)


def span_of(figures: Any, best: BestRule | None) -> Any:
    """Per (event, actor, measure): the range the figures span, as
    :func:`~conflictmodel.queries.span_of` gives it: figures that all agree give that figure;
    else lowest low and highest high (each null if any is), and a best only by the ``best``
    rule over the known bests."""
    ibis = _ibis()
    key = ["event", "actor", "measure"]
    bounds = figures.group_by(key).aggregate(
        size=figures.count(),
        **{
            f"{part}_{name}": getattr(figures[part], name)()
            for part in ESTIMATE_PARTS
            for name in ("min", "max", "count")
        },
    )

    def alike(part: str) -> Any:
        """Whether no figure gives ``part``, or every figure gives the same."""
        given = bounds[f"{part}_count"]
        same = bounds[f"{part}_min"] == bounds[f"{part}_max"]
        return (given == 0) | ((given == bounds.size) & same)

    agree = alike("low") & alike("best") & alike("high")
    missing = ibis.null().cast("int64")
    if best == "median":
        medians = _medians(figures)
        bounds = bounds.left_join(medians, _same_key(bounds, medians))
        chosen = bounds.median
    elif best == "lowest":
        chosen = bounds.best_min
    elif best == "highest":
        chosen = bounds.best_max
    else:
        chosen = missing
    return bounds.select(
        "event",
        "actor",
        "measure",
        low=ibis.ifelse(bounds.low_count < bounds.size, missing, bounds.low_min),
        best=ibis.ifelse(agree, bounds.best_min, chosen),
        high=ibis.ifelse(bounds.high_count < bounds.size, missing, bounds.high_max),
    )


def _medians(figures: Any) -> Any:
    """Per (event, actor, measure): the median of the known bests, rounded down."""
    ibis = _ibis()
    key = ["event", "actor", "measure"]
    known = figures.filter(figures.best.notnull())
    window = ibis.window(group_by=key, order_by="best")
    ranked = known.mutate(
        rank=ibis.row_number().over(window), size=known.count().over(ibis.window(group_by=key))
    )
    middle = ranked.filter(
        (ranked["rank"] == (ranked["size"] - 1) // 2) | (ranked["rank"] == ranked["size"] // 2)
    )
    medians = middle.group_by(key).aggregate(first=middle.best.min(), last=middle.best.max())
    return medians.select(*key, median=medians["first"] + (medians["last"] - medians["first"]) // 2)


def _same_key(left: Any, right: Any) -> list[Any]:
    return [
        left.event == right.event,
        left.measure == right.measure,
        left.actor.identical_to(right.actor),
    ]


def _without(figures: Any, keys: Any) -> Any:
    return figures.anti_join(keys, _same_key(figures, keys))


def visible_figures(
    tables: Tables, events: Any, camp: frozenset[str] | None, best: BestRule | None = None
) -> Any:
    """The figures a perspective sees in ``events`` (``None``: every event): (event, actor,
    measure, low, best, high).

    Only current claims count (a claimant's later figure on the same event, actor and measure
    supersedes its earlier ones). By default the record's figures, and where the record has
    none the span of every claimant's asserted figures; dataset claimants' figures only stand
    in for an event whose record has no figures. As a ``camp`` tells it (claimants of
    which one made a claim): the span of its members' asserted figures, and the record's where
    they assert none and deny none (never, when the camp is made of datasets). Spans of
    disagreeing figures have a best only by ``best``.
    """
    return _ibis().union(*_visible_parts(tables, events, camp, best))


def _visible_parts(
    tables: Tables, events: Any, camp: frozenset[str] | None, best: BestRule | None
) -> list[Any]:
    """:func:`visible_figures` as tables of figures no two of which share an (event, actor,
    measure), to be summed apart; by default the first is :func:`record_figures`."""
    if camp is None:
        return [
            record_figures(tables, events),
            _unowned(_of_events(_claims_only(tables, best), "event", events)),
        ]
    claimed = _claimed_figures(tables, events)
    asserted = claimed.filter(claimed.stance == Stance.ASSERTS.value)
    members = sorted(camp)
    mine = asserted.filter(asserted.claimant.isin(members)).drop("claimant", "stance")
    spans = span_of(mine, best)
    if complete_account(tables.dimensions, camp):
        return [spans]
    denied = claimed.filter(
        (claimed.stance == Stance.DENIES.value) & claimed.claimant.isin(members)
    )
    kept = _without(_without(record_figures(tables, events), spans), denied)
    return [spans, kept]


def _claims_only(tables: Tables, best: BestRule | None) -> Any:
    """The figures the default perspective takes from claims, over every event: the span of
    the asserted figures where the record gives none, dataset claimants' only where no one
    else's and no record's stands. Kept per ``best``: each span is one event's, so a query
    chooses its events from it."""

    def every() -> Any:
        asserted = _claimed_figures(tables, None)
        asserted = asserted.filter(asserted.stance == Stance.ASSERTS.value)
        nearby = _claimed_record_figures(tables)
        spans = _without(span_of(asserted.drop("claimant", "stance"), best), nearby)
        datasets = _datasets(tables)
        if datasets:
            people = asserted.filter(~asserted.claimant.isin(datasets)).drop("claimant", "stance")
            recorded = nearby.select(id=nearby.event)
            only_datasets = _without(spans, people)
            alternatives = only_datasets.semi_join(recorded, only_datasets.event == recorded.id)
            spans = _without(spans, alternatives)
        return _owned(tables, spans, "event")

    return tables.materialized(f"claims_only_{best or 'unknown'}", every)


def _claimed_or_not(
    tables: Tables,
    events: ChosenEvents | None,
    camp: frozenset[str] | None,
    best: BestRule | None,
    *columns: str,
) -> Any:
    """:func:`visible_figures`' ``columns`` and ``measure``, each with whether it rests on
    claims (``claimed``): the first part is the record's figures by default, the camp's
    spans in its account."""
    ibis = _ibis()
    parts = _visible_parts(tables, events, camp, best)
    return ibis.union(
        *(
            part.select(
                *dict.fromkeys((*columns, "measure")),
                claimed=ibis.literal((index == 0) == (camp is not None)),
            )
            for index, part in enumerate(parts)
        )
    )


def _rolled_up(figures: Any, tops: dict[str, str] | None) -> Any:
    """``figures`` with each ``actor`` replaced by its top ``part_of`` ancestor in ``tops``."""
    if tops is None:
        return figures
    top = _small_table(member=list(tops), top=list(tops.values()))
    joined = figures.left_join(top, figures.actor == top.member)
    return joined.mutate(actor=joined.top).drop("member", "top")


def _exact(tables: Tables, counts: Any) -> Any:
    """``counts`` in a type their sum is exact in: DuckDB sums 64-bit integers into 128-bit
    ones by itself; elsewhere they are cast to ``decimal(38, 0)`` first."""
    return counts if tables.engine == "duckdb" else counts.cast(_EXACT)


_MISSING = ("floorless", "unknown", "open")
"""The columns of :func:`_sums` saying that a low, a best or a high is missing from a sum
(a figure in it has none)."""


def _sums(tables: Tables, figures: Any, keys: list[str], **extra: Any) -> Any:
    """Per ``keys``: the exact sums of ``figures``' counts, and whether a low, a best or a
    high is missing from any of them (:data:`_MISSING`; and the ``extra`` aggregates)."""
    return figures.group_by(keys).aggregate(
        low=_exact(tables, figures.low).sum(),
        best=_exact(tables, figures.best).sum(),
        high=_exact(tables, figures.high).sum(),
        floorless=figures.low.isnull().any(),
        unknown=figures.best.isnull().any(),
        open=figures.high.isnull().any(),
        **extra,
    )


def _resummed(sums: Any, keys: list[str]) -> Any:
    """Partial :func:`_sums` added up per ``keys``."""
    return sums.group_by(keys).aggregate(
        low=sums.low.sum(),
        best=sums.best.sum(),
        high=sums.high.sum(),
        **{missing: sums[missing].any() for missing in _MISSING},
    )


def _estimate(row: dict[str, Any]) -> Estimate:
    """The sum a row of :func:`_sums` holds."""
    middle = None if row["unknown"] else int(row["best"] or 0)
    high = None if row["open"] else int(row["high"] or 0)
    return sum_of_estimates(int(row["low"] or 0), middle, high, floorless=bool(row["floorless"]))


def counts_of(column: Any) -> Any:
    """A column of :func:`_sums` read as an Arrow column, a missing sum as 0: a numpy array
    of 64-bit integers, or a list of Python integers where a sum does not fit in 64 bits."""
    arrow: Any = require("pyarrow", "arrow", "conflictmodel.tables")
    filled = column.fill_null(0)
    if arrow.types.is_integer(filled.type) or not len(filled):
        return filled.to_numpy().astype("int64")
    return [int(value) for value in filled.to_pylist()]


def _estimates(
    rows: list[dict[str, Any]], keys: list[str]
) -> list[tuple[dict[str, Any], Estimate]]:
    return [({key: row[key] for key in keys}, _estimate(row)) for row in rows]


def summed(tables: Tables, figures: Any, keys: list[str]) -> list[tuple[dict[str, Any], Estimate]]:
    """The exact sum of ``figures`` (``low``, ``best``, ``high`` columns) per ``keys``, with
    each group's key row; a sum has a best (or a high) only when every figure in it has one."""
    return _estimates(tables.run(_sums(tables, figures, keys)), keys)


class Scope(NamedTuple):
    """What a casualty query over opened tables counts, its arguments checked and resolved
    against the small tables (by ``_arguments.table_scope``)."""

    camp: frozenset[str] | None
    """The claimants whose account it is (``None``: the default one)."""
    period: TimeSpan | None
    places: tuple[str, ...] | None
    """The place asked for and every place within it (``None``: anywhere)."""
    tops: dict[str, str] | None
    """Each actor's top ``part_of`` ancestor, when rolling up."""

    def key(self, query: str, *options: Hashable) -> Hashable:
        """What ``query`` over this scope and ``options`` is compiled once per
        (:meth:`Tables.run_built`)."""
        tops = None if self.tops is None else tuple(sorted(self.tops.items()))
        return (query, self.camp, self.period, self.places, tops, *options)


def _graded(tables: Tables, scope: Scope, min_grade: Grade | None) -> ChosenEvents | None:
    """:func:`chosen_events`, graded ``min_grade`` or better if it is given; the figures are
    checked first (:meth:`~conflictmodel.tables.store.Tables.check_figures`), since every
    query summing them chooses its events here."""
    tables.check_figures()
    events = chosen_events(tables, scope.camp, scope.period, scope.places)
    return events if min_grade is None else graded_events(tables, events, min_grade)


def casualty_totals(
    tables: Tables, scope: Scope, best: BestRule | None = None, *, min_grade: Grade | None = None
) -> tuple[Totals, Totals]:
    """Killed and injured per actor (rolled up to the scope's ``tops`` if given), over the
    events graded ``min_grade`` or better if it is given.

    Each part of the visible figures is summed per actor on its own before the parts are
    rolled up and added; the query is built and compiled once per set of arguments.
    """
    keys = ["actor", "measure"]

    def build() -> Any:
        events = _graded(tables, scope, min_grade)
        visible = _visible_parts(tables, events, scope.camp, best)
        parts = [_sums(tables, part, keys) for part in visible]
        if scope.camp is None:
            parts[:1] = _record_sums(tables, events)
        return _resummed(_rolled_up(_ibis().union(*parts), scope.tops), keys)

    key = scope.key("casualty_totals", best, min_grade)
    found: dict[str, Totals] = {measure: {} for measure in MEASURES}
    for group, estimate in _estimates(tables.run_built(key, build), keys):
        found[group["measure"]][group["actor"]] = estimate
    return found["killed"], found["injured"]


def figure_claimants(
    tables: Tables, scope: Scope, best: BestRule | None = None, *, min_grade: Grade | None = None
) -> dict[str | None, FigureClaimants]:
    """Per actor of :func:`casualty_totals` (same arguments): the claimants of the current
    casualty figure claims on the figures it counts, as
    :meth:`~conflictmodel.queries.Perspective.figures` names them. A figure is alleged by
    whoever asserts one on its event, actor and measure
    (:data:`~conflictmodel.claims.UNATTRIBUTED` for nobody's claim), and denied by whoever
    denies one there or denies that its event took place."""

    def build() -> Any:
        events = _graded(tables, scope, min_grade)
        rows = _figure_claimant_rows(tables, events, scope.camp, best)
        return _rolled_up(rows.select("actor", "claimant", "role"), scope.tops).distinct()

    query = scope.key("figure_claimants", best, min_grade)
    named: dict[str, dict[str | None, set[str]]] = {"alleges": {}, "denies": {}, "rests": {}}
    for row in tables.run_built(query, build):
        named[row["role"]].setdefault(row["actor"], set()).add(row["claimant"])
    return _claimants_by(named)


def _claimants_by(named: Mapping[str, Mapping[Any, set[str]]]) -> dict[Any, FigureClaimants]:
    """Per key, the :class:`FigureClaimants` of the claimants ``named`` holds by role
    ("alleges", "denies", and "rests": the key rests on claims) and key."""
    keys = {key for found in named.values() for key in found}
    return {
        key: FigureClaimants(
            tuple(sorted(named["alleges"].get(key, ()))),
            tuple(sorted(named["denies"].get(key, ()))),
            key in named["rests"],
        )
        for key in keys
    }


def _figure_claimant_rows(
    tables: Tables, events: ChosenEvents | None, camp: frozenset[str] | None, best: BestRule | None
) -> Any:
    """(event, actor, measure, claimant, role): who alleges ("alleges") and who denies
    ("denies") each figure of :func:`visible_figures`, as :func:`figure_claimants` names them,
    and ("rests", with claimant :data:`~conflictmodel.claims.UNATTRIBUTED`) each killed figure
    resting on claims."""
    ibis = _ibis()
    unattributed = ibis.literal(UNATTRIBUTED)
    key = ["event", "actor", "measure"]
    visible = _claimed_or_not(tables, events, camp, best, *key)
    claims = _of_events(_every_figure_claim(tables), "statement_event", events)
    rows = _current_figures(claims)
    on_figures = rows.join(
        visible,
        [
            rows.event == visible.event,
            rows.actor.identical_to(visible.actor),
            rows.measure == visible.measure,
        ],
    ).select(
        event=visible.event,
        actor=visible.actor,
        measure=visible.measure,
        claimant=rows.claimant,
        stance=rows.stance,
    )
    asserting = on_figures.filter(on_figures.stance == Stance.ASSERTS.value)
    denying = on_figures.filter(
        (on_figures.stance == Stance.DENIES.value) & on_figures.claimant.notnull()
    )
    deniers = _denials(tables)
    denied_events = visible.join(deniers, visible.event == deniers.id)
    on_claims = visible.filter(visible.claimed & (visible.measure == "killed"))
    return ibis.union(
        asserting.select(
            *key, claimant=asserting.claimant.fill_null(unattributed), role=ibis.literal("alleges")
        ),
        denying.select(*key, "claimant", role=ibis.literal("denies")),
        denied_events.select(
            event=visible.event,
            actor=visible.actor,
            measure=visible.measure,
            claimant=deniers.claimant.fill_null(unattributed),
            role=ibis.literal("denies"),
        ),
        on_claims.select(*key, claimant=unattributed, role=ibis.literal("rests")),
        distinct=True,
    )


def cell_claimants(
    tables: Tables,
    scope: Scope,
    best: BestRule | None = None,
    min_grade: Grade | None = None,
    infer_from_sides: bool = False,
) -> dict[Pair, FigureClaimants]:
    """Per (perpetrator, victim) of :func:`casualty_cells` (same arguments): who alleges and
    who denies the killed figures behind it (as :func:`figure_claimants` names them) and its
    perpetrators, as :meth:`~conflictmodel.queries.Perspective.perpetrator_claimants` rules:
    the claimants of the counted attributions the perpetrators are taken from (none where the
    record's initiators stand: by default, where the record names any), and of the counted
    denials naming one of them."""
    ibis = _ibis()

    def build() -> Any:
        events = _graded(tables, scope, min_grade)
        figures = _figure_claimant_rows(tables, events, scope.camp, best)
        killed = figures.filter(figures.measure == "killed").drop("measure")
        killed = _rolled_up(killed, scope.tops)
        visible = visible_figures(tables, events, scope.camp, best)
        victims = visible.filter(visible.measure == "killed").select("event", "actor")
        victims = _rolled_up(victims, scope.tops).distinct()
        cells = _with_perpetrators(tables, events, scope, victims, infer_from_sides)
        on_figures = killed.join(
            cells, [killed.event == cells.event, killed.actor.identical_to(cells.actor)]
        ).select("perpetrator", actor=cells.actor, claimant=killed.claimant, role=killed.role)
        asserted = _attributions(tables, events, scope.camp, Stance.ASSERTS)
        if scope.camp is None:
            asserted = asserted.anti_join(_initiators(tables, events).select("event"), "event")
        denied = _attributions(tables, events, scope.camp, Stance.DENIES)
        unrolled = _hands(tables, events, scope.camp)
        denied = denied.semi_join(
            unrolled, [denied.event == unrolled.event, denied.actor == unrolled.actor]
        )
        naming = ibis.union(
            asserted.select("event", "claimant", role=ibis.literal("alleges")),
            asserted.select(
                "event", claimant=ibis.literal(UNATTRIBUTED), role=ibis.literal("rests")
            ),
            denied.select("event", "claimant", role=ibis.literal("denies")),
            distinct=True,
        )
        named = cells.filter(cells.perpetrator.notnull() & ~cells.inferred)
        on_hands = naming.join(named, naming.event == named.event).select(
            "perpetrator", "actor", "claimant", "role"
        )
        return on_figures.union(on_hands, distinct=True)

    query = scope.key("cell_claimants", best, min_grade, infer_from_sides)
    named: dict[str, dict[tuple[str | None, str | None], set[str]]] = {
        "alleges": {},
        "denies": {},
        "rests": {},
    }
    for row in tables.run_built(query, build):
        pair = (row["perpetrator"], row["actor"])
        named[row["role"]].setdefault(pair, set()).add(row["claimant"])
    return _claimants_by(named)


def killed_by_span(
    tables: Tables,
    scope: Scope,
    open_spans: bool | None = None,
    best: BestRule | None = None,
    min_grade: Grade | None = None,
) -> dict[SpanKey, SpanFigures]:
    """:func:`conflictmodel.queries.over_time.killed_by_span` over ``tables``: the killed
    figures :func:`casualty_totals` counts (same arguments), summed by the engine per event
    span, actor and source (``open_spans``: only spans with an open end, or only without)."""
    from conflictmodel.queries.over_time import SpanFigures, SpanKey

    sources = {True: FigureSource.CLAIMS, False: FigureSource.RECORD}
    found = killed_by_span_table(tables, scope, open_spans, best, min_grade)
    return {
        SpanKey(row["start"], row["end"], row["actor"], sources[row["claimed"]]): SpanFigures(
            _estimate(row), int(row["best_or_low"])
        )
        for row in found.to_pylist()
    }


def killed_by_span_table(
    tables: Tables,
    scope: Scope,
    open_spans: bool | None = None,
    best: BestRule | None = None,
    min_grade: Grade | None = None,
) -> Any:
    """:func:`killed_by_span` as an Arrow table, one row per span, actor and source (whether
    ``claimed``): ``start``, ``end``, ``actor``, ``claimed``, the :func:`_sums` (``low``,
    ``best``, ``high`` and :data:`_MISSING`) and ``best_or_low``, each figure's best (or low)
    added up."""
    keys = ["start", "end", "actor", "claimed"]

    def build() -> Any:
        events = _graded(tables, scope, min_grade)
        figures = ("event", "actor", *ESTIMATE_PARTS)
        visible = _claimed_or_not(tables, events, scope.camp, best, *figures)
        killed = visible.filter(visible.measure == "killed").drop("measure")
        spans = tables.table("events").select("id", start="when_start", end="when_end")
        if open_spans is not None:
            is_open = spans.start.isnull() | spans.end.isnull()
            spans = spans.filter(is_open if open_spans else ~is_open)
        dated = _rolled_up(killed.join(spans, killed.event == spans.id), scope.tops)
        spread = _exact(tables, best_or_low(dated)).sum()
        return _sums(tables, dated, keys, best_or_low=spread)

    query = scope.key("killed_by_span", open_spans, best, min_grade)
    return tables.run_table(query, build)


def _attributions(tables: Tables, events: Any, camp: frozenset[str] | None, stance: Stance) -> Any:
    """(event, actor, claimant): the perpetrators named by the current attribution claims on
    ``events`` with ``stance`` that count in the account of ``camp`` (any claimant's when
    ``None``; unattributed claims never count), with their claimants."""
    claims = tables.table("claims")
    found = claims.filter(
        claims.claimant.notnull() & claims.statement_type.isin(_statement_tags(Attribution))
    )
    found = current(_of_events(found, "statement_event", events), ["statement_event"])
    found = found.filter(found.stance == stance.value)
    if camp is not None:
        found = found.filter(found.claimant.isin(sorted(camp)))
    return found.select(
        event=found.statement_event,
        actor=found.statement_perpetrators.unnest(),
        claimant=found.claimant,
    )


def _attributed(tables: Tables, events: Any, camp: frozenset[str] | None, stance: Stance) -> Any:
    """(event, actor) of :func:`_attributions`."""
    return _attributions(tables, events, camp, stance).select("event", "actor")


def _groups(ds: Dataset) -> Any:
    """(actor, group): every actor with itself and each actor it is ``part_of``."""
    pairs = [(actor, group) for actor in ds.actors for group in (actor, *ds.actor_ancestors(actor))]
    return _small_table(actor=[a for a, _ in pairs], group=[g for _, g in pairs])


def perpetrators(
    tables: Tables,
    events: Any,
    camp: frozenset[str] | None,
    tops: dict[str, str] | None,
    victims: Any,
) -> Any:
    """(event, actor, perpetrator): who killed each victim (``event``, ``actor``) of
    ``victims`` (rolled up as ``tops`` rolls them), as
    :func:`~conflictmodel.queries.matrix.casualty_matrix` rules: the actors who carried out the
    event as :meth:`~conflictmodel.queries.Perspective.perpetrators` rules (:func:`_hands`,
    each replaced by its ancestor in ``tops`` if given), sorted and joined by ``", "``; no row
    for a victim no one carried out the event of, or on the side of one who did
    (:func:`~conflictmodel.queries.matrix.same_side`)."""
    hands = _rolled_up(_hands(tables, events, camp), tops).distinct()
    listed = hands.group_by("event").aggregate(actors=hands.actor.collect())
    by_event = listed.select("event", perpetrator=listed.actors.sort().join(", "))
    victims = victims.select("event", "actor").distinct()
    own = _on_the_side_of(tables, victims, hands)
    found = victims.join(by_event, "event").anti_join(own, ["event", "actor"])
    return found.select("event", "actor", "perpetrator")


def _kin(ds: Dataset) -> Any:
    """(actor, kin): every pair of actors on one side, as
    :func:`~conflictmodel.queries.matrix.same_side` rules (each actor with itself, its groups
    and its parts)."""
    groups = _groups(ds)
    return groups.select("actor", kin=groups.group).union(
        groups.select(actor=groups.group, kin=groups.actor), distinct=True
    )


def _on_the_side_of(tables: Tables, victims: Any, parties: Any) -> Any:
    """(event, actor): the victims (``event``, ``actor``) on the side of one of the
    ``parties`` (``event``, ``actor``) of their event."""
    kin = _kin(tables.dimensions)
    named = parties.select(party_event=parties.event, party=parties.actor)
    pairs = victims.join(named, victims.event == named.party_event)
    related = pairs.join(kin, [pairs.actor == kin.actor, pairs.party == kin.kin])
    return related.select("event", actor=pairs.actor).distinct()


def opposing_sides(tables: Tables, events: Any, tops: dict[str, str] | None, victims: Any) -> Any:
    """(event, actor, opposing): who fought each victim (``event``, ``actor``) of ``victims``
    (rolled up as ``tops`` rolls them), inferred from the record's sides as
    :func:`~conflictmodel.queries.matrix.opposing_side` rules: the targets not on the victim's
    side nor civilians, when it is on the side of one of the initiators, or of one of the
    targets of an engagement with no initiator; sorted and joined by ``", "``. No row where
    there are none."""
    initiators = _rolled_up(_initiators(tables, events), tops).distinct()
    targets = _rolled_up(_initiators(tables, events, "targets"), tops).distinct()
    victims = victims.select("event", "actor").distinct()
    started = initiators.select("event").distinct()
    fighting = _on_the_side_of(tables, victims, initiators).union(
        _on_the_side_of(tables, victims.anti_join(started, "event"), targets), distinct=True
    )
    sides = targets.select(side_event=targets.event, side=targets.actor)
    civilians = sorted(
        actor.id for actor in tables.dimensions.actors.values() if actor.kind is ActorKind.CIVILIANS
    )
    if civilians:
        sides = sides.filter(~sides.side.isin(civilians))
    pairs = fighting.join(sides, fighting.event == sides.side_event)
    kin = _kin(tables.dimensions)
    pairs = pairs.anti_join(kin, [pairs.actor == kin.actor, pairs.side == kin.kin])
    listed = pairs.group_by(["event", "actor"]).aggregate(actors=pairs.side.collect())
    return listed.select("event", "actor", opposing=listed.actors.sort().join(", "))


def _with_perpetrators(
    tables: Tables, events: Any, scope: Scope, victims: Any, infer: bool, *columns: str
) -> Any:
    """``victims`` (``event``, ``actor`` and ``columns``) with the ``perpetrator`` of each
    (:func:`perpetrators`; ``None``: no one) and whether it is ``inferred`` from the sides
    (:func:`opposing_sides`, where ``infer`` and no one is named)."""
    hands = perpetrators(tables, events, scope.camp, scope.tops, victims)
    joined = victims.left_join(
        hands, [victims.event == hands.event, victims.actor.identical_to(hands.actor)]
    )
    cells = joined.select(
        "perpetrator",
        event=victims.event,
        actor=victims.actor,
        **{column: victims[column] for column in columns},
    )
    if not infer:
        return cells.mutate(inferred=False)
    sides = opposing_sides(tables, events, scope.tops, cells.filter(cells.perpetrator.isnull()))
    joined = cells.left_join(
        sides, [cells.event == sides.event, cells.actor.identical_to(sides.actor)]
    )
    return joined.select(
        perpetrator=joined.perpetrator.coalesce(sides.opposing),
        event=cells.event,
        actor=cells.actor,
        inferred=joined.perpetrator.isnull() & sides.opposing.notnull(),
        **{column: cells[column] for column in columns},
    )


def _initiators(tables: Tables, events: Any, side: str = "initiators") -> Any:
    """(event, actor): the record's initiators (or other ``side``: ``"targets"``) of the
    engagements of ``events``."""
    table = tables.table("events")
    engaged = table.filter(table.type.isin(_event_tags(Engagement)))
    if events is not None:
        chosen = events.ids() if isinstance(events, ChosenEvents) else events
        engaged = engaged.filter(engaged.id.isin(chosen.id))
    return engaged.select(event=engaged.id, actor=engaged[side].unnest())


def _hands(tables: Tables, events: Any, camp: frozenset[str] | None) -> Any:
    """(event, actor): each actor who carried out one of ``events``, as
    :meth:`~conflictmodel.queries.Perspective.perpetrators` rules.

    The record's initiators, or where the record names none, those the counted current
    attributions name. As a camp tells it, its attributions replace the initiators (keeping
    those part of an actor it names) and its denials remove the actors denied; a camp of
    datasets has only its attributions.
    """
    initiators = _initiators(tables, events)
    recorded = initiators.select("event").distinct()
    asserted = _attributed(tables, events, camp, Stance.ASSERTS)
    only_attributed = asserted.anti_join(recorded, "event")
    if camp is None:
        return initiators.union(only_attributed)
    if complete_account(tables.dimensions, camp):
        return asserted
    in_groups = initiators.join(_groups(tables.dimensions), "actor")
    in_groups = in_groups.select("event", "actor", "group")
    names = asserted.select(named_event=asserted.event, named=asserted.actor)
    named = in_groups.join(
        names, [in_groups.event == names.named_event, in_groups.group == names.named]
    ).select("event", "actor")
    denied = _attributed(tables, events, camp, Stance.DENIES)
    unnamed = initiators.anti_join(asserted.select("event").distinct(), "event")
    kept = unnamed.anti_join(denied, ["event", "actor"])
    return named.union(kept).union(only_attributed)


def casualty_cells(
    tables: Tables,
    scope: Scope,
    best: BestRule | None = None,
    min_grade: Grade | None = None,
    infer_from_sides: bool = False,
) -> tuple[dict[Pair, Estimate], dict[Pair, Estimate]]:
    """Killed per (perpetrator, victim): each event's killed figures (:func:`visible_figures`)
    under their :func:`perpetrators` (``None``: no one; ``infer_from_sides``: the
    :func:`opposing_sides` then), rolled up to the scope's ``tops`` if given, over the events
    graded ``min_grade`` or better if it is given; and the part of each pair inferred from
    the sides."""
    events = _graded(tables, scope, min_grade)
    figures = visible_figures(tables, events, scope.camp, best)
    killed = _rolled_up(figures.filter(figures.measure == "killed"), scope.tops)
    cells = _with_perpetrators(tables, events, scope, killed, infer_from_sides, *ESTIMATE_PARTS)
    if not infer_from_sides:
        sums = summed(tables, cells, ["perpetrator", "actor"])
        return {(key["perpetrator"], key["actor"]): estimate for key, estimate in sums}, {}
    found: dict[Pair, Estimate] = {}
    inferred: dict[Pair, Estimate] = {}
    for key, estimate in summed(tables, cells, ["perpetrator", "actor", "inferred"]):
        pair = (key["perpetrator"], key["actor"])
        other = found.get(pair)
        found[pair] = estimate if other is None else total([other, estimate])
        if key["inferred"]:
            inferred[pair] = estimate
    return found, inferred


def last_day(tables: Tables) -> datetime.date | None:
    """The last day of any event (its span's end, or its start where the end is open)."""
    ibis = _ibis()
    events = tables.table("events")
    latest = events.aggregate(day=ibis.coalesce(events.when_end, events.when_start).max())
    day: datetime.date | None = tables.run(latest)[0]["day"]
    return day


def _sides(tables: Tables, engaged: Any) -> Any:
    """Each actor on a side of each engagement of ``engaged`` (of table ``events``), once per
    engagement (an Ibis table of ``actor``): the initiators, and the targets that are not
    initiators too (an engagement names an actor once per side:
    :class:`~conflictmodel.Engagement` refuses repeats), with no pass over every (event,
    actor) pair to drop repeated ones. A null list names no one."""
    ibis = _ibis()
    nobody = ibis.literal([], type="array<string>")
    initiators, targets = (
        ibis.coalesce(engaged[side], nobody) if tables.has_null("events", side) else engaged[side]
        for side in ("initiators", "targets")
    )
    others = targets.filter(lambda actor: ~initiators.contains(actor))
    return ibis.union(
        engaged.select(actor=initiators.unnest()), engaged.select(actor=others.unnest())
    )


def event_counts(tables: Tables) -> EventCounts:
    """:func:`conflictmodel.queries.counts.event_counts` of the dataset in ``tables``, counted
    by the engine."""

    ibis = _ibis()
    events, claims = tables.table("events"), tables.table("claims")
    engaged = events.filter(events.type.isin(_event_tags(Engagement)))
    sides = _sides(tables, engaged)
    placed = events.filter(events.where.notnull())

    def counted(table: Any, key: str) -> dict[str, int]:
        rows = tables.run(table.group_by(key).aggregate(count=table.count()))
        return {row[key]: int(row["count"]) for row in rows}

    days = events.aggregate(
        first=events.when_start.min(),
        last=events.when_end.max(),
        aggregates=events["aggregate"].sum(),
    )
    said = claims.aggregate(
        claimants=claims.claimant.nunique(), unattributed=claims.claimant.isnull().sum()
    )
    (span,), (claimed,) = tables.run(days), tables.run(said)
    stating = engaged.filter(figure_given(engaged, "reported_total_"))
    figures = stating.select(
        all=ibis.literal(True),
        low=stating.reported_total_low,
        best=stating.reported_total_best,
        high=stating.reported_total_high,
    )
    reported = tables.run(_sums(tables, figures, ["all"], events=figures.count()))
    return EventCounts(
        types=most_first(counted(events, "type")),
        first_day=_day(span["first"]),
        last_day=_day(span["last"]),
        at=counted(placed, "where"),
        sides=counted(sides, "actor"),
        claimants=int(claimed["claimants"]),
        unattributed=int(claimed["unattributed"] or 0),
        reported=_estimate(reported[0]) if reported else None,
        reporting=int(reported[0]["events"]) if reported else 0,
        aggregates=int(span["aggregates"] or 0),
    )


def placed_killed(
    tables: Tables, period: TimeSpan | None, places: Iterable[str]
) -> list[
    tuple[
        str,
        str | None,
        str,
        str | None,
        Estimate | None,
        datetime.date | None,
        datetime.date | None,
        bool,
    ]
]:
    """The events at one of ``places`` (and meeting ``period``), tolls left out, each with its
    engagement kind (``None`` for other events), where it is, how closely (its
    ``where_precision``), the sum of its casualty entries' killed figures (``None`` when no
    entry gives one), its first and last day (``None``: open) and whether it is an aggregate
    of several incidents, as :func:`conflictmodel.plots.events_map_data` lists them."""
    tables.check_figures()
    events = tables.table("events")
    if period is not None:
        events = events.filter(meeting(events, "when", period))
    events = _in_places(events.filter(~events.type.isin(_event_tags(Toll))), places)
    engaged = events.type.isin(_event_tags(Engagement))
    kind = _ibis().ifelse(engaged, events.kind, None)
    chosen = events.select(
        "id", "where", "where_precision", "when_start", "when_end", "aggregate", kind=kind
    )
    entries = _entry_figures(tables, chosen)
    sums = _sums(tables, entries.filter(entries.measure == "killed"), ["event"])
    found = chosen.left_join(sums, chosen.id == sums.event)
    return [
        (
            row["id"],
            row["kind"],
            row["where"],
            row["where_precision"],
            None if row["event"] is None else _estimate(row),
            _day(row["when_start"]),
            _day(row["when_end"]),
            bool(row["aggregate"]),
        )
        for row in tables.run(found)
    ]


# Violations: the engine picks the events and claims that can matter; the rules decide ------


def violation_candidates(
    tables: Tables, asked: Sequence[tuple[Agreement, TimeSpan]], period: TimeSpan | None
) -> list[set[str]]:
    """For each agreement and span of ``asked``, the ids of the events that may be violations
    of the agreement checked over the span: the hostile engagements in its scope whose span
    meets the span (and ``period``) that a rule can reach
    (:func:`~conflictmodel.queries.violations.reachable`, decided on the initiators,
    ``part_of`` and whether a claim names the event, which the engine reads). One query reads
    the events of every agreement asked, in one pass: a column per agreement says whether an
    event is in its span and scope, each event's place joined to the agreements whose scope
    holds it (a union of a query per agreement made Spark plan and run each apart, and run out
    of memory planning fifty).
    """
    if not asked:
        return []
    ds = tables.dimensions
    events = tables.table("events")
    hostile = [kind.value for kind in EngagementKind if kind.is_hostile]
    engagements = events.filter(
        events.type.isin(_event_tags(Engagement)) & events.kind.isin(hostile)
    )
    if period is not None:
        engagements = engagements.filter(meeting(engagements, "when", period))
    scoped: dict[str, list[str]] = {}
    for number, (agreement, _) in enumerate(asked):
        for place in sorted(scope_places(ds, agreement) or ()):
            scoped.setdefault(place, []).append(str(number))
    if scoped:
        pairs = _small_table(
            place=[place for place, numbers in scoped.items() for _ in numbers],
            number=[number for numbers in scoped.values() for number in numbers],
        )
        scopes = pairs.group_by("place").aggregate(scopes=pairs.number.collect())
        engagements = engagements.left_join(scopes, engagements.where == scopes.place)
    columns = {}
    for number, (agreement, span) in enumerate(asked):
        condition = meeting(engagements, "when", span)
        if scope_places(ds, agreement) is not None:
            condition &= engagements.scopes.contains(str(number)).fill_null(False)
        columns[f"conflictmodel_asked_{number}"] = condition
    either = functools.reduce(operator.or_, columns.values())
    chosen = engagements.filter(either).select("id", "initiators", "part_of", **columns)
    named = _named_events(tables.table("claims"))
    # Of the events claims name, those chosen: the engine then holds the chosen events, not
    # every event a claim names.
    named = named.semi_join(chosen, named.id == chosen.id)
    facts = chosen.mutate(named=chosen.id.isin(named.id))
    can_reach = [reachable(ds, agreement) for agreement, _ in asked]
    table = tables.run_table(None, lambda: facts)
    ids, initiators, part_of, is_named = (
        table.column(name).to_pylist() for name in ("id", "initiators", "part_of", "named")
    )
    found: list[set[str]] = []
    for number, column in enumerate(columns):
        meets = table.column(column).fill_null(False).to_numpy(zero_copy_only=False)
        found.append(
            {
                ids[row]
                for row in meets.nonzero()[0].tolist()
                if can_reach[number](initiators[row] or (), part_of[row], is_named[row])
            }
        )
    return found


def violation_subset(
    tables: Tables,
    agreement: Agreement,
    period: TimeSpan | None,
    *,
    effective: TimeSpan | None = None,
) -> Dataset:
    """The records :func:`~conflictmodel.ceasefire_violations` of ``agreement`` looks at, when
    checked over ``effective`` (by default the agreement's effective span); selected once
    per tables and arguments.

    The engine selects the :func:`violation_candidates` and the events the ``Violated``
    claims about the agreement name (the events the rules judge), every event these are
    ``part_of`` (whose initiators an event without its own takes), every claim naming one of
    these events (whatever it says: any asserting claim puts an event in a dataset's account,
    and a denial on the event a violation is part of decides who carried it out), and the
    other events such a claim names; only these become records.
    """
    (subset,) = _subsets(tables, [(agreement, effective or agreement.effective)], period)
    return subset


def violation_subsets(
    tables: Tables, agreements: list[Agreement], period: TimeSpan | None
) -> list[Dataset]:
    """The :func:`violation_subset` of each agreement over its effective span, the events of
    all of them read from the engine together."""
    return _subsets(tables, [(agreement, agreement.effective) for agreement in agreements], period)


def _subsets(
    tables: Tables, asked: list[tuple[Agreement, TimeSpan]], period: TimeSpan | None
) -> list[Dataset]:
    keys: list[Hashable] = [("violation subset", *each, period) for each in asked]
    wanted = dict(zip(keys, asked, strict=True))
    return tables.remembered_all(
        keys, lambda missing: _violation_records(tables, [wanted[k] for k in missing], period)
    )


def _violation_records(
    tables: Tables, asked: list[tuple[Agreement, TimeSpan]], period: TimeSpan | None
) -> list[Dataset]:
    """Each subset of :func:`_subsets`: for each agreement, its candidates and the events its
    ``Violated`` claims name (the events the rules judge), with every event they are
    ``part_of`` (whose initiators they may take), every claim naming one of these, and the
    other events such a claim names (so that it can be kept), read for every agreement
    together: one query for the candidates, one for the claims about the agreements, one for
    the claims naming the judged events, and the events in a few. Each claim is built once,
    whatever the subsets holding it."""
    claims = tables.table("claims")
    about_agreements = claims.filter(
        claims.statement_type.isin(_statement_tags(Violated))
        & claims.statement_agreement.isin(sorted({agreement.id for agreement, _ in asked}))
    )
    built = _claim_records(tables.run(about_agreements), {})
    allegations = [
        [c for c in built.values() if getattr(c.statement, "agreement", None) == agreement.id]
        for agreement, _ in asked
    ]
    judged = violation_candidates(tables, asked, period)
    for ids, alleging in zip(judged, allegations, strict=True):
        ids.update(e for claim in alleging for e in _events_named(claim))
    every = _events_with_ancestors(tables, set().union(*judged))
    held = [_closure(every, ids) for ids in judged]
    naming = tables.run(_claims_naming(tables, set().union(*held)))
    built = _claim_records(naming, built)
    named = {claim_id: _events_named(claim) for claim_id, claim in built.items()}
    naming_ids = [row["id"] for row in naming]
    naming_of: dict[str, list[int]] = {}
    for number, claim_id in enumerate(naming_ids):
        for event_id in named[claim_id]:
            naming_of.setdefault(event_id, []).append(number)
    chosen = []
    for ids, alleging in zip(held, allegations, strict=True):
        numbers = sorted({n for event_id in ids for n in naming_of.get(event_id, ())})
        kept = {naming_ids[n]: built[naming_ids[n]] for n in numbers}
        kept.update((claim.id, claim) for claim in alleging)
        chosen.append((ids.union(*(named[claim_id] for claim_id in kept)), kept))
    every |= _events_with_ancestors(tables, {e for ids, _ in chosen for e in ids} - every.keys())
    subsets = []
    for ids, kept in chosen:
        event_records = _restricted(every, ids)
        known = {event.id for event in event_records}
        claim_records = [claim for claim in kept.values() if named[claim.id] <= known]
        subsets.append(Dataset([*tables.dimensions.records(), *event_records, *claim_records]))
    return subsets


def _claims_naming(tables: Tables, ids: set[str]) -> Any:
    """Every claim naming one of the events with ``ids``."""
    claims = tables.table("claims")
    naming = _naming(claims)
    wanted = _small_table(id=sorted(ids))
    naming = naming.semi_join(wanted, naming.event == wanted.id)
    return claims.filter(claims.id.isin(naming.claim))


def _claim_records(rows: list[dict[str, Any]], built: dict[str, Claim]) -> dict[str, Claim]:
    """``built`` with the claims of ``rows`` it does not hold yet, by id."""
    new = {row["id"]: row for row in rows if row["id"] not in built}
    found = dict(built)
    for claim in layout.records_from("claims", new.values()):
        assert isinstance(claim, Claim)
        found[claim.id] = claim
    return found


def _events_named(claim: Claim) -> set[str]:
    """The ids of the events ``claim`` names (:func:`~conflictmodel.records.references`)."""
    return {target for _, kind, target in references(claim.statement) if kind == "events"}


def _read_events(tables: Tables, ids: set[str]) -> list[Event]:
    if not ids:
        return []
    wanted = _small_table(id=sorted(ids))
    events = tables.table("events").semi_join(wanted, "id")
    children = {}
    for name in layout.schemas():
        if name.startswith("events_"):
            child = tables.table(name)
            children[name] = child.semi_join(wanted, child.owner == wanted.id)
    rows, *found_children = tables.read_together([events, *children.values()])
    child_rows = dict(zip(children, found_children, strict=True))
    found = layout.records_from("events", rows, child_rows)
    return [e for e in found if isinstance(e, Event)]


def _events_with_ancestors(tables: Tables, ids: set[str]) -> dict[str, Event]:
    """The events with ``ids`` and every event they are ``part_of``, by id."""
    found: dict[str, Event] = {}
    wanted = set(ids)
    while wanted:
        for event in _read_events(tables, wanted):
            found[event.id] = event
        wanted = {e.part_of for e in found.values() if e.part_of is not None} - found.keys()
    return found


def _closure(found: dict[str, Event], ids: set[str]) -> set[str]:
    """The ids of the events of ``found`` with ``ids`` and of every event they are
    ``part_of``."""
    kept: set[str] = set()
    wanted = [i for i in ids if i in found]
    while wanted:
        event_id = wanted.pop()
        if event_id not in kept:
            kept.add(event_id)
            parent = found[event_id].part_of
            if parent is not None and parent in found:
                wanted.append(parent)
    return kept


def _restricted(found: dict[str, Event], ids: set[str]) -> list[Event]:
    """The events of ``found`` with ``ids`` and every event they are ``part_of``, in the order
    of ``found``, with ``responds_to`` kept only where it names one of them."""
    kept = _closure(found, ids)
    result = []
    for event in found.values():
        if event.id not in kept:
            continue
        responds = getattr(event, "responds_to", None)
        if responds is not None and responds not in kept:
            changes: dict[str, Any] = {"responds_to": None}
            event = attrs.evolve(event, **changes)
        result.append(event)
    return result
