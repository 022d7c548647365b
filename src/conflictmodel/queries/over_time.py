"""Figures per period, as pandas frames: what the charts of :mod:`conflictmodel.plots` draw.

A figure belongs to the period (day, week, month, quarter or year) its event lies in. An event
whose span covers more than one period (UCDP's year-long aggregate rows, an offensive "since
December") is not dated to any one of them: its figure is **spread** over the periods it
covers in proportion to their days and kept in a column of its own, never added to the
figures dated to the period. Events with an open end cannot be placed and are left out
(:func:`undated_killed` totals them). Needs pandas (the ``frames`` or ``plot`` extra).

>>> import conflictmodel as cm
>>> frame = cm.casualties_over_time(cm.examples.idlib_2020(), freq="M")
>>> frame.xs("best", axis=1, level="measure")  # doctest: +NORMALIZE_WHITESPACE
actor    Syrian Arab Army  Syrian civilians  Turkish Armed Forces
period
2020-02                29                 0                     8
>>> frame.xs("claimed", axis=1, level="measure")  # doctest: +NORMALIZE_WHITESPACE
actor    Syrian Arab Army  Syrian civilians  Turkish Armed Forces
period
2020-02                 0                15                     0
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Unpack

import attrs

from conflictmodel.dataset import Dataset
from conflictmodel.errors import ValidationError
from conflictmodel.quantities import Estimate, total
from conflictmodel.queries import _arguments, grades
from conflictmodel.queries.casualties import CasualtyTable, casualties_by_actor
from conflictmodel.queries.options import CasualtyOptions, ViolationOptions, checked
from conflictmodel.queries.perspective import FigureSource
from conflictmodel.queries.results import actor_label, pandas_module
from conflictmodel.queries.violations import Certainty, ceasefire_violations
from conflictmodel.timespans import Precision, TimeSpan

if TYPE_CHECKING:
    import pandas

__all__ = [
    "FREQUENCIES",
    "MEASURES",
    "actor_label",
    "casualties_over_time",
    "undated_killed",
    "violations_over_time",
]

MAX_PERIODS = 100_000
"""The most periods a frame may span (270 years of days); more is refused, naming the span."""

FREQUENCIES = {"D": "day", "W": "week", "M": "month", "Q": "quarter", "Y": "year"}
"""The period lengths a frame can be binned by, with their names."""

MEASURES = ("best", "low", "high", "claimed", "spread")
"""The columns kept for each actor by :func:`casualties_over_time`."""


def _pandas(feature: str) -> Any:
    return pandas_module(feature)


def _check_freq(function: str, freq: object) -> str:
    if not isinstance(freq, str) or freq.upper() not in FREQUENCIES:
        raise ValidationError(
            f"{function}(freq=...): expected one of {', '.join(FREQUENCIES)}, got {freq!r}"
        )
    return freq.upper()


class _Periods:
    """The period of each day, with first and last days, and how a span's days fall into
    periods, cached (many events share a day, and many longer events a span)."""

    def __init__(self, pd: Any, freq: str) -> None:
        self.pd = pd
        self.freq = freq
        self._of: dict[datetime.date, Any] = {}
        self._fractions: dict[tuple[datetime.date, datetime.date], list[tuple[Any, int]]] = {}

    def of(self, day: datetime.date) -> Any:
        found = self._of.get(day)
        if found is None:
            found = self._of[day] = self.pd.Period(
                year=day.year, month=day.month, day=day.day, freq=self.freq
            )
        return found

    @staticmethod
    def first_day(period: Any) -> datetime.date:
        day = period.asfreq("D", how="start")
        return datetime.date(day.year, day.month, day.day)

    @staticmethod
    def last_day(period: Any) -> datetime.date:
        day = period.asfreq("D", how="end")
        return datetime.date(day.year, day.month, day.day)

    def meets(self, period: Any, span: TimeSpan | None) -> bool:
        """Whether ``period``'s days meet ``span`` (:meth:`TimeSpan.meets`; ``None``: any
        period does)."""
        if span is None:
            return True
        days = TimeSpan(self.first_day(period), self.last_day(period), Precision.DAY)
        return days.meets(span)

    def range(self, first: Any, last: Any, what: str) -> Any:
        """The periods from ``first`` to ``last``, refused past :data:`MAX_PERIODS`."""
        self._count(first, last, what)
        return self.pd.period_range(first, last, freq=self.freq, name="period")

    def _count(self, first: Any, last: Any, what: str) -> int:
        """How many periods run from ``first`` to ``last``, refused past :data:`MAX_PERIODS`."""
        count: int = last.ordinal - first.ordinal + 1
        if count > MAX_PERIODS:
            unit = FREQUENCIES[self.freq]
            raise ValidationError(
                f"{what} from {first} to {last} covers {count:,} {unit}s, more than "
                f"{MAX_PERIODS:,}: choose a longer period length or a shorter period"
            )
        return count

    def shares(
        self, start: datetime.date, end: datetime.date, best: int
    ) -> list[tuple[Any, float]]:
        """``best`` shared out over the periods from ``start`` to ``end`` (days, both
        inclusive), by days."""
        days = (end - start).days + 1
        return [(period, best * inside / days) for period, inside in self._days_in(start, end)]

    def _days_in(self, start: datetime.date, end: datetime.date) -> list[tuple[Any, int]]:
        """Each period from ``start`` to ``end`` with how many of those days it holds."""
        found = self._fractions.get((start, end))
        if found is None:
            found = []
            begin = self.of(start)
            for step in range(self._count(begin, self.of(end), "an event")):
                period = begin + step
                first = max(start, self.first_day(period))
                last = min(end, self.last_day(period))
                found.append((period, (last - first).days + 1))
            self._fractions[(start, end)] = found
        return found


def _labels(ds: Dataset, actors: Iterable[str | None]) -> dict[str | None, str]:
    """A label per actor; names shared by several actors get the id added."""
    actors = list(dict.fromkeys(actors))
    names = {actor: actor_label(ds, actor) for actor in actors}
    taken: dict[str, int] = defaultdict(int)
    for name in names.values():
        taken[name] += 1
    return {a: n if taken[n] == 1 else f"{n} ({a})" for a, n in names.items()}


def casualties_over_time(
    ds: Dataset, freq: str = "M", **options: Unpack[CasualtyOptions]
) -> pandas.DataFrame:
    """Killed per period and actor, as :func:`casualties_by_actor` counts them with the same
    ``options`` (:class:`~conflictmodel.queries.CasualtyOptions`: ``according_to``,
    ``period``, ``within``, ``roll_up``, ``include_parts``, ``best``, ``min_grade``).

    Rows are a ``PeriodIndex`` (``freq``: "D", "W", "M", "Q" or "Y") from the first to the last
    period with a figure, none skipped. Columns are ``(actor, measure)`` pairs, actors by name
    in order of total killed (largest first); the measures are

    - ``best``, ``low``, ``high``: the record's figures of events dated within the period,
      summed as intervals (``high`` is missing where a figure has no ceiling);
    - ``claimed``: best figures that rest on claims (where the record has none), dated within
      the period;
    - ``spread``: best figures of events covering more than one period, shared out over the
      periods they cover by days.

    ``best + claimed + spread`` over every period adds up to the best total of
    :func:`casualties_by_actor`, less the events with an open end (:func:`undated_killed`).
    With ``period``, the rows are the periods meeting it, and an event longer than a row
    spreads over those rows only: the share of its days outside ``period`` is left out.
    """
    ds = _arguments.dataset("casualties_over_time", ds)
    asked = checked("casualties_over_time", ds, options, CasualtyOptions)
    pd = _pandas("casualties_over_time()")
    freq = _check_freq("casualties_over_time", freq)
    table = casualties_by_actor(ds, **asked)
    span = _arguments.period("casualties_over_time", asked["period"])
    periods = _Periods(pd, freq)
    dated: dict[tuple[Any, str | None, FigureSource], list[Estimate]] = defaultdict(list)
    spread: dict[tuple[Any, str | None], float] = defaultdict(float)
    bounded = _killed_by_span(ds, asked, False, table)
    for key, figures in sorted(bounded.items(), key=_span_order):
        assert key.start is not None
        assert key.end is not None
        first, last = periods.of(key.start), periods.of(key.end)
        if first == last:
            dated[(first, key.actor, key.source)].append(figures.estimate)
        else:
            for share_period, share in periods.shares(key.start, key.end, figures.best_or_low):
                if periods.meets(share_period, span):
                    spread[(share_period, key.actor)] += share
    return _frame(periods, ds, table, dated, spread)


def _plain_day(day: datetime.date | None) -> datetime.date | None:
    """``day`` as a plain :class:`datetime.date` (a pendulum date hashes as one, but prints
    otherwise)."""
    if day is None or type(day) is datetime.date:
        return day
    return datetime.date(day.year, day.month, day.day)


@attrs.frozen
class SpanKey:
    """The killed figures of events over the same span, lost by the same actor, from the same
    source."""

    start: datetime.date | None = attrs.field(converter=_plain_day)
    end: datetime.date | None = attrs.field(converter=_plain_day)
    actor: str | None
    source: FigureSource

    @property
    def is_open(self) -> bool:
        """Whether either end of the span is open (no period can hold its figures)."""
        return self.start is None or self.end is None


@attrs.frozen
class SpanFigures:
    """Killed figures summed: as an interval (:func:`~conflictmodel.quantities.total`), and
    each one's best (or low, without a best) added up, which a spread shares out."""

    estimate: Estimate
    best_or_low: int


def killed_by_span(
    ds: Dataset, *, open_spans: bool | None = None, **options: Unpack[CasualtyOptions]
) -> dict[SpanKey, SpanFigures]:
    """The killed figures :func:`~conflictmodel.casualties_by_actor` counts with these
    ``options``, summed per event span, actor (its top ``part_of`` ancestor with ``roll_up``)
    and source; ``open_spans`` keeps only the spans with an open end (``True``) or only the
    others (``False``). On a dataset held in tables the engine sums them, building no record
    (:func:`conflictmodel.tables.queries.killed_by_span`).

    >>> import conflictmodel as cm
    >>> found = killed_by_span(cm.examples.idlib_2020(), roll_up=True)
    >>> for key, figures in found.items():
    ...     print(key.start, key.actor, key.source.value, figures.estimate)
    2020-02-03 turkey record 8
    2020-02-03 syria record 29 (27–29)
    2020-02-06 syrian-civilians claims 15
    """
    ds = _arguments.dataset("killed_by_span", ds)
    return _killed_by_span(
        ds, checked("killed_by_span", ds, options, CasualtyOptions), open_spans, None
    )


def _killed_by_span(
    ds: Dataset,
    options: CasualtyOptions,
    open_spans: bool | None,
    table: CasualtyTable | None,
) -> dict[SpanKey, SpanFigures]:
    """:func:`killed_by_span` with its ``options`` checked
    (:func:`~conflictmodel.queries.options.checked`); on the records, from ``table`` (their
    :func:`~conflictmodel.casualties_by_actor`) when it is given."""
    engine = _arguments.engine_tables(ds)
    if engine is not None:
        from conflictmodel.tables import queries

        scope = _arguments.table_scope(
            "casualties_over_time",
            engine,
            options["according_to"],
            options["period"],
            options["within"],
            options["roll_up"],
            options["include_parts"],
            options["best"],
        )
        minimum = grades.min_grade("casualties_over_time", options["min_grade"])
        return queries.killed_by_span(engine, scope, open_spans, options["best"], minimum)
    if table is None:
        table = casualties_by_actor(ds, **options)
    roll_up = options["roll_up"]
    found: dict[SpanKey, list[Estimate]] = defaultdict(list)
    for event_id, figures in table.by_event.items():
        span = ds.events[event_id].when
        if open_spans is not None and span.is_open is not open_spans:
            continue
        for figure in figures:
            if figure.measure == "killed":
                actor = ds.top_actor(figure.actor) if roll_up and figure.actor else figure.actor
                key = SpanKey(span.start, span.end, actor, figure.source)
                found[key].append(figure.estimate)
    return {
        key: SpanFigures(total(estimates), sum(e.best_or_low for e in estimates))
        for key, estimates in found.items()
    }


def _span_order(item: tuple[SpanKey, SpanFigures]) -> tuple[Any, ...]:
    """Spans in time order, then actors and sources: a spread adds its shares in this order,
    whichever way the figures were summed."""
    key = item[0]
    return (key.start, key.end, key.actor is None, key.actor or "", key.source.value)


def _frame(
    periods: _Periods,
    ds: Dataset,
    table: Mapping[str | None, Estimate],
    dated: Mapping[tuple[Any, str | None, FigureSource], list[Estimate]],
    spread: Mapping[tuple[Any, str | None], float],
) -> pandas.DataFrame:
    pd, freq = periods.pd, periods.freq
    placed = {key[0] for key in dated} | {key[0] for key in spread}
    shown = {key[1] for key in dated} | {key[1] for key in spread}
    actors = [a for a in table if a in shown]
    actors.sort(key=lambda a: (-table[a].best_or_low, a is None, a or ""))
    labels = _labels(ds, actors)
    index = (
        periods.range(min(placed), max(placed), "the figures")
        if placed
        else pd.PeriodIndex([], freq=freq, name="period")
    )
    by_actor: dict[str | None, dict[FigureSource, dict[Any, Estimate]]] = defaultdict(
        lambda: {source: {} for source in FigureSource}
    )
    for (period, actor, source), estimates in dated.items():
        by_actor[actor][source][period] = total(estimates)
    data: dict[tuple[str, str], Any] = {}
    for actor in actors:
        record = by_actor[actor][FigureSource.RECORD]
        claimed = {p: e.best_or_low for p, e in by_actor[actor][FigureSource.CLAIMS].items()}
        label = labels[actor]
        zero = Estimate.exact(0)
        sums = [record.get(p, zero) for p in index]
        data[(label, "best")] = pd.array([e.best_or_low for e in sums], dtype="Int64")
        data[(label, "low")] = pd.array([e.low for e in sums], dtype="Int64")
        data[(label, "high")] = pd.array([e.high for e in sums], dtype="Int64")
        data[(label, "claimed")] = pd.array([claimed.get(p, 0) for p in index], dtype="Int64")
        data[(label, "spread")] = [spread.get((p, actor), 0.0) for p in index]
    frame: pandas.DataFrame = pd.DataFrame(data, index=index)
    frame.columns = pd.MultiIndex.from_tuples(list(data), names=["actor", "measure"])
    return frame


def undated_killed(ds: Dataset, **options: Unpack[CasualtyOptions]) -> int:
    """Best killed in events with an open end, which no period can hold, counted as
    :func:`~conflictmodel.casualties_by_actor` counts with the same ``options``.

    >>> import conflictmodel as cm
    >>> undated_killed(cm.examples.idlib_2020())
    0
    """
    found = killed_by_span(ds, open_spans=True, **options)
    return sum(figures.best_or_low for figures in found.values())


def violations_over_time(
    ds: Dataset, agreement: str, freq: str = "W", **options: Unpack[ViolationOptions]
) -> pandas.DataFrame:
    """Violations of ``agreement`` per period, observed and alleged, definite and possible.

    Rows are a ``PeriodIndex`` from the period before the agreement was signed (or took
    effect) to the last period with a violation; columns count ``observed`` and ``alleged``
    violations dated to the period (one that is both counts in both), and ``definite`` ones;
    ``ongoing`` counts violations through events covering more than one period, in every
    period they cover. Violations without a bounded date are left out. The violations are
    those :func:`~conflictmodel.ceasefire_violations` finds with the same ``options``
    (:class:`~conflictmodel.queries.ViolationOptions`: ``according_to``, ``period``,
    ``include_parts``, ``min_grade``).

    >>> import conflictmodel as cm
    >>> ds = cm.examples.idlib_2020()
    >>> violations_over_time(ds, "idlib-ceasefire-2020").iloc[-1].to_dict()
    {'observed': 4, 'alleged': 3, 'definite': 5, 'ongoing': 1}
    >>> camp = violations_over_time(ds, "idlib-ceasefire-2020", according_to=["turkey", "russia"])
    >>> camp.iloc[-1].to_dict()
    {'observed': 4, 'alleged': 2, 'definite': 4, 'ongoing': 1}
    """
    ds = _arguments.dataset("violations_over_time", ds)
    record = _arguments.agreement("violations_over_time", ds, agreement)
    asked = checked("violations_over_time", ds, options, ViolationOptions)
    pd = _pandas("violations_over_time()")
    freq = _check_freq("violations_over_time", freq)
    found = ceasefire_violations(ds, agreement, **asked)
    periods = _Periods(pd, freq)
    counts: dict[Any, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for violation in found:
        span = violation.when
        if span is None or span.start is None or span.end is None:
            continue
        first, last = periods.of(span.start), periods.of(span.end)
        if first != last:
            for share_period, _ in periods.shares(span.start, span.end, 1):
                counts[share_period]["ongoing"] += 1
            continue
        row = counts[first]
        row["observed" if violation.observed else "alleged"] += 1
        if violation.observed and violation.alleged:
            row["alleged"] += 1
        row["definite"] += violation.certainty is Certainty.DEFINITE
    begun = record.signed or record.effective
    starts = [] if begun is None or begun.start is None else [periods.of(begun.start) - 1]
    placed = [*counts, *starts]
    index = (
        periods.range(min(placed), max(placed), "the violations")
        if placed
        else pd.PeriodIndex([], freq=freq, name="period")
    )
    names = ("observed", "alleged", "definite", "ongoing")
    result: pandas.DataFrame = pd.DataFrame(
        {name: [int(counts[p][name]) if p in counts else 0 for p in index] for name in names},
        index=index,
    )
    return result
