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
from typing import TYPE_CHECKING, Any

from conflictmodel.dataset import Dataset
from conflictmodel.errors import ValidationError
from conflictmodel.quantities import Estimate, total
from conflictmodel.queries import _arguments
from conflictmodel.queries.casualties import casualties_by_actor
from conflictmodel.queries.perspective import FigureSource
from conflictmodel.queries.results import actor_label, pandas_module
from conflictmodel.queries.violations import Certainty, ceasefire_violations
from conflictmodel.timespans import TimeSpan

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
    """The period of each day, with first and last days, cached (many events share a day)."""

    def __init__(self, pd: Any, freq: str) -> None:
        self.pd = pd
        self.freq = freq
        self._of: dict[datetime.date, Any] = {}

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

    def range(self, first: Any, last: Any, what: str) -> Any:
        """The periods from ``first`` to ``last``, refused past :data:`MAX_PERIODS`."""
        count = last.ordinal - first.ordinal + 1
        if count > MAX_PERIODS:
            unit = FREQUENCIES[self.freq]
            raise ValidationError(
                f"{what} from {first} to {last} covers {count:,} {unit}s, more than "
                f"{MAX_PERIODS:,}: choose a longer period length or a shorter period"
            )
        return self.pd.period_range(first, last, freq=self.freq, name="period")

    def shares(self, span: TimeSpan, best: int) -> list[tuple[Any, float]]:
        """``best`` shared out over the periods ``span`` covers, by days."""
        assert span.start is not None
        assert span.end is not None
        start, end = span.start, span.end
        days = (end - start).days + 1
        shares = []
        for period in self.range(self.of(start), self.of(end), "an event"):
            first = max(start, self.first_day(period))
            last = min(end, self.last_day(period))
            shares.append((period, best * ((last - first).days + 1) / days))
        return shares


def _labels(ds: Dataset, actors: Iterable[str | None]) -> dict[str | None, str]:
    """A label per actor; names shared by several actors get the id added."""
    actors = list(dict.fromkeys(actors))
    names = {actor: actor_label(ds, actor) for actor in actors}
    taken: dict[str, int] = defaultdict(int)
    for name in names.values():
        taken[name] += 1
    return {a: n if taken[n] == 1 else f"{n} ({a})" for a, n in names.items()}


def casualties_over_time(
    ds: Dataset,
    freq: str = "M",
    *,
    according_to: str | None = None,
    period: TimeSpan | str | None = None,
    within: str | None = None,
    roll_up: bool = False,
) -> pandas.DataFrame:
    """Killed per period and actor, from the perspective of :func:`casualties_by_actor`.

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
    """
    pd = _pandas("casualties_over_time()")
    freq = _check_freq("casualties_over_time", freq)
    table = casualties_by_actor(
        ds, according_to=according_to, period=period, within=within, roll_up=roll_up
    )
    periods = _Periods(pd, freq)
    dated: dict[tuple[Any, str | None, FigureSource], list[Estimate]] = defaultdict(list)
    spread: dict[tuple[Any, str | None], float] = defaultdict(float)
    for event_id, figures in table.by_event.items():
        span = ds.events[event_id].when
        if span.start is None or span.end is None:
            continue
        first, last = periods.of(span.start), periods.of(span.end)
        for figure in figures:
            if figure.measure != "killed":
                continue
            actor = ds.top_actor(figure.actor) if roll_up and figure.actor else figure.actor
            if first == last:
                dated[(first, actor, figure.source)].append(figure.estimate)
            else:
                for share_period, share in periods.shares(span, figure.estimate.best_or_low):
                    spread[(share_period, actor)] += share
    return _frame(periods, ds, table, dated, spread)


def _frame(
    periods: _Periods,
    ds: Dataset,
    table: Mapping[str | None, Estimate],
    dated: Mapping[tuple[Any, str | None, FigureSource], list[Estimate]],
    spread: Mapping[tuple[Any, str | None], float],
) -> pandas.DataFrame:
    pd, freq = periods.pd, periods.freq
    placed = {key[0] for key in dated} | {key[0] for key in spread}
    actors = [a for a in table if any(k[1] == a for k in dated) or any(k[1] == a for k in spread)]
    actors.sort(key=lambda a: (-table[a].best_or_low, a is None, a or ""))
    labels = _labels(ds, actors)
    index = (
        periods.range(min(placed), max(placed), "the figures")
        if placed
        else pd.PeriodIndex([], freq=freq, name="period")
    )
    data: dict[tuple[str, str], Any] = {}
    for actor in actors:
        record = {
            p: total(v) for (p, a, s), v in dated.items() if a == actor and s is FigureSource.RECORD
        }
        claimed = {
            p: total(v).best_or_low
            for (p, a, s), v in dated.items()
            if a == actor and s is FigureSource.CLAIMS
        }
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


def undated_killed(
    ds: Dataset,
    *,
    according_to: str | None = None,
    period: TimeSpan | str | None = None,
    within: str | None = None,
) -> int:
    """Best killed in events with an open end, which no period can hold.

    >>> import conflictmodel as cm
    >>> undated_killed(cm.examples.idlib_2020())
    0
    """
    table = casualties_by_actor(ds, according_to=according_to, period=period, within=within)
    return sum(
        figure.estimate.best_or_low
        for event_id, figures in table.by_event.items()
        if ds.events[event_id].when.is_open
        for figure in figures
        if figure.measure == "killed"
    )


def violations_over_time(
    ds: Dataset,
    agreement: str,
    freq: str = "W",
    *,
    according_to: str | None = None,
) -> pandas.DataFrame:
    """Violations of ``agreement`` per period, observed and alleged, definite and possible.

    Rows are a ``PeriodIndex`` from the period before the agreement was signed (or took
    effect) to the last period with a violation; columns count ``observed`` and ``alleged``
    violations dated to the period (one that is both counts in both), and ``definite`` ones;
    ``ongoing`` counts violations through events covering more than one period, in every
    period they cover. Violations without a bounded date are left out.

    >>> import conflictmodel as cm
    >>> frame = violations_over_time(cm.examples.idlib_2020(), "idlib-ceasefire-2020")
    >>> frame.iloc[-1].to_dict()
    {'observed': 4, 'alleged': 3, 'definite': 5, 'ongoing': 1}
    """
    pd = _pandas("violations_over_time()")
    freq = _check_freq("violations_over_time", freq)
    found = ceasefire_violations(ds, agreement, according_to=according_to)
    record = _arguments.agreement("violations_over_time", ds, agreement)
    periods = _Periods(pd, freq)
    counts: dict[Any, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for violation in found:
        span = violation.when
        if span is None or span.start is None or span.end is None:
            continue
        first, last = periods.of(span.start), periods.of(span.end)
        if first != last:
            for share_period, _ in periods.shares(span, 1):
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
