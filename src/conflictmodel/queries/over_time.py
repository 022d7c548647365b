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
2020-02                27                 0                     8
>>> frame.xs("claimed", axis=1, level="measure")  # doctest: +NORMALIZE_WHITESPACE
actor    Syrian Arab Army  Syrian civilians  Turkish Armed Forces
period
2020-02                 0                15                     0
"""

from __future__ import annotations

import datetime
import operator
from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any, Unpack

import attrs

from conflictmodel.assessments import Grade
from conflictmodel.dataset import Dataset
from conflictmodel.errors import ValidationError
from conflictmodel.quantities import (
    ESTIMATE_PARTS,
    Estimate,
    PartOperations,
    best_or_low_of,
    total,
)
from conflictmodel.queries import _arguments, grades
from conflictmodel.queries.casualties import CasualtyTable, casualties_by_actor
from conflictmodel.queries.options import CasualtyOptions, ViolationOptions, checked
from conflictmodel.queries.perspective import BestRule, FigureSource
from conflictmodel.queries.results import actor_label, pandas_module
from conflictmodel.queries.violations import Certainty, ceasefire_violations
from conflictmodel.timespans import Precision, TimeSpan

if TYPE_CHECKING:
    import pandas

    from conflictmodel.tables.queries import Scope
    from conflictmodel.tables.store import Tables

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
        self._meets: dict[tuple[Any, TimeSpan], bool] = {}

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
        found = self._meets.get((period, span))
        if found is None:
            days = TimeSpan(self.first_day(period), self.last_day(period), Precision.DAY)
            found = self._meets[(period, span)] = days.meets(span)
        return found

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
        return [(period, best * inside / days) for period, inside in self.days_in(start, end)]

    def days_in(self, start: datetime.date, end: datetime.date) -> list[tuple[Any, int]]:
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
      summed as intervals (``best`` counts the low of a figure with no best, as a chart does,
      :attr:`~conflictmodel.Estimate.best_or_low`; ``high`` is missing where a figure has no
      ceiling, ``low`` where a figure has no floor);
    - ``claimed``: best figures that rest on claims (where the record has none), dated within
      the period;
    - ``spread``: best figures of events covering more than one period, shared out over the
      periods they cover by days.

    ``best + claimed + spread`` over every period adds up to the totals of
    :func:`casualties_by_actor` (each its best, or its low without one), less the events with
    an open end (:func:`undated_killed`). With ``period``, the rows are the periods meeting
    it, and an event longer than a row spreads over those rows only: the share of its days
    outside ``period`` is left out.
    """
    ds = _arguments.dataset("casualties_over_time", ds)
    asked = checked("casualties_over_time", ds, options, CasualtyOptions)
    pd = _pandas("casualties_over_time()")
    freq = _check_freq("casualties_over_time", freq)
    table = casualties_by_actor(ds, **asked)
    span = _arguments.period("casualties_over_time", asked["period"])
    return _frame(_Periods(pd, freq), ds, table, _bounded_spans(ds, asked, table), span)


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
    2020-02-03 syria record 27 to 29
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
    engine = _arguments.engine_tables(ds, held=True)
    if engine is not None:
        from conflictmodel.tables import queries

        return queries.killed_by_span(engine, *_on_engine(engine, options, open_spans))
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


def _on_engine(
    engine: Tables, options: CasualtyOptions, open_spans: bool | None
) -> tuple[Scope, bool | None, BestRule | None, Grade | None]:
    """The arguments of :func:`conflictmodel.tables.queries.killed_by_span` for ``options``."""
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
    return scope, open_spans, options["best"], minimum


_ON_COLUMNS = PartOperations(
    below=operator.lt,
    either=lambda first, second: first.where(first.notna(), second),
    missing=lambda part: part.isna(),
)
"""The operations of :func:`~conflictmodel.quantities.best_or_low_of` on pandas columns."""

_SUMS = (*ESTIMATE_PARTS, "best_or_low")
"""The counts of a row of :func:`_bounded_spans`."""


def _bounded_spans(ds: Dataset, options: CasualtyOptions, table: CasualtyTable) -> Any:
    """:func:`killed_by_span` of the spans with both ends as a frame, one row per span, actor
    and source: ``start``, ``end`` (days), ``actor``, ``claimed`` (the source is claims),
    ``low``, ``best``, ``high`` (0 where missing), ``floorless`` (a low is missing),
    ``unknown`` (a best is missing), ``open`` (a high is missing) and ``best_or_low``. On a
    dataset held in tables the engine gives the rows as columns, no object made per row."""
    pd = _pandas("casualties_over_time()")
    engine = _arguments.engine_tables(ds, held=True)
    if engine is not None:
        from conflictmodel.tables import queries

        found = queries.killed_by_span_table(engine, *_on_engine(engine, options, False))
        frame = found.drop_columns(list(_SUMS)).to_pandas(date_as_object=True)
        for name in _SUMS:
            frame[name] = _counts(pd, queries.counts_of(found.column(name)))
        return frame
    bounded = _killed_by_span(ds, options, False, table)
    keys, figures = list(bounded), list(bounded.values())
    frame = pd.DataFrame(
        {
            "start": [key.start for key in keys],
            "end": [key.end for key in keys],
            "actor": pd.array([key.actor for key in keys], dtype=object),
            "claimed": [key.source is FigureSource.CLAIMS for key in keys],
            "floorless": [each.estimate.low is None for each in figures],
            "unknown": [each.estimate.best is None for each in figures],
            "open": [each.estimate.high is None for each in figures],
        }
    )
    frame["low"] = _counts(pd, [each.estimate.low or 0 for each in figures])
    frame["best"] = _counts(pd, [each.estimate.best or 0 for each in figures])
    frame["high"] = _counts(pd, [each.estimate.high or 0 for each in figures])
    frame["best_or_low"] = _counts(pd, [each.best_or_low for each in figures])
    return frame


def _counts(pd: Any, values: Any, missing: Any = None) -> Any:
    """Whole counts (a sequence, or a numpy array) as a column of nullable 64-bit integers
    (``missing``: where a count is missing), or of Python integers where one does not fit
    (sums past 2**63 stay exact)."""
    import numpy as np

    dtype = getattr(values, "dtype", None)
    if (dtype is not None and dtype.kind == "i") or all(-(2**63) <= v < 2**63 for v in values):
        whole = np.asarray(values, dtype=np.int64)
        absent = np.zeros(len(whole), dtype=bool) if missing is None else missing
        return pd.arrays.IntegerArray(whole, absent)
    found = list(values)
    for at in [] if missing is None else np.flatnonzero(missing):
        found[at] = None
    return pd.array(found, dtype=object)


def _frame(
    periods: _Periods,
    ds: Dataset,
    table: Mapping[str | None, Estimate],
    spans: Any,
    span: TimeSpan | None,
) -> pandas.DataFrame:
    """The frame of :func:`casualties_over_time` from the rows of :func:`_bounded_spans`:
    each row's figures dated to the period its span lies in, or spread over the periods it
    covers (those meeting ``span``), per actor by name."""
    import numpy as np

    pd, freq = periods.pd, periods.freq
    ordinals = {day: periods.of(day).ordinal for day in {*spans["start"], *spans["end"]}}
    first = spans["start"].map(ordinals).to_numpy(dtype=np.int64)
    last = spans["end"].map(ordinals).to_numpy(dtype=np.int64)
    within = first == last
    named = [actor if isinstance(actor, str) else None for actor in spans["actor"]]
    known = list(dict.fromkeys(named))
    code = {actor: n for n, actor in enumerate(known)}
    spans = spans.assign(code=np.array([code[actor] for actor in named], np.int64))
    dated = spans[within].assign(period=first[within])
    spread = _spread(periods, spans[~within], span)
    shown = {known[n] for n in {*dated["code"], *spread["code"]}}
    actors = [a for a in table if a in shown]
    actors.sort(key=lambda a: (-table[a].best_or_low, a is None, a or ""))
    placed = {*dated["period"], *spread["period"]}
    if placed:
        first_period, last_period = (
            pd.Period(ordinal=o, freq=freq) for o in (min(placed), max(placed))
        )
        index = periods.range(first_period, last_period, "the figures")
    else:
        index = pd.PeriodIndex([], freq=freq, name="period")
    number = {actor: n for n, actor in enumerate(actors)}
    place = np.array([number.get(actor, -1) for actor in known], np.int64)
    shape = (len(index), len(actors))
    origin = index[0].ordinal if len(index) else 0
    sums = dated.groupby(["period", "code", "claimed"], sort=False).agg(
        low=("low", "sum"),
        best=("best", "sum"),
        high=("high", "sum"),
        floorless=("floorless", "any"),
        unknown=("unknown", "any"),
        open=("open", "any"),
    )
    sums = sums.reset_index()
    stated = best_or_low_of(
        sums["low"].mask(sums["floorless"]), sums["best"].mask(sums["unknown"]), _ON_COLUMNS
    )
    sums["best_or_low"] = stated.fillna(0)
    cells: dict[str, Any] = {}
    for measure, claimed, column in (
        ("best", False, "best_or_low"),
        ("low", False, "low"),
        ("high", False, "high"),
        ("claimed", True, "best_or_low"),
    ):
        part = sums[(sums["claimed"] == claimed) & (place[sums["code"]] >= 0)]
        rows = part["period"].to_numpy(dtype=np.int64) - origin
        places = place[part["code"].to_numpy(dtype=np.int64)]
        values = part[column].to_numpy()
        grid = np.zeros(shape, dtype=values.dtype if len(values) else np.int64)
        grid[rows, places] = values
        missing = np.zeros(shape, dtype=bool)
        if measure == "high":
            missing[rows, places] = part["open"].to_numpy(dtype=bool)
        elif measure == "low":
            missing[rows, places] = part["floorless"].to_numpy(dtype=bool)
        cells[measure] = (grid, missing)
    shares = np.zeros(shape)
    totals = spread.groupby(["period", "code"], sort=False)["share"].sum()
    for (period, actor), share in totals.items():
        if place[actor] >= 0:
            shares[period - origin, place[actor]] = share
    labels = _labels(ds, actors)
    data: dict[tuple[str, str], Any] = {}
    for n, actor in enumerate(actors):
        for measure in ("best", "low", "high", "claimed"):
            grid, missing = cells[measure]
            data[(labels[actor], measure)] = _counts(pd, grid[:, n], missing[:, n])
        data[(labels[actor], "spread")] = shares[:, n]
    frame: pandas.DataFrame = pd.DataFrame(data, index=index)
    frame.columns = pd.MultiIndex.from_tuples(list(data), names=["actor", "measure"])
    return frame


def _spread(periods: _Periods, spans: Any, span: TimeSpan | None) -> Any:
    """The best (or low) figures of ``spans`` covering more than one period shared out over
    the periods they cover by days, those meeting ``span`` kept: ``period`` (ordinal),
    ``code`` (the actor's) and ``share``, in the order of the spans (time, then actor and
    source: each period's shares are added in this order, whichever engine summed them)."""
    import numpy as np

    pd = periods.pd
    spans = spans.assign(
        unnamed=spans["actor"].isna(),
        named=spans["actor"].fillna(""),
        record=~spans["claimed"].astype(bool),
    ).sort_values(["start", "end", "unnamed", "named", "record"], kind="stable")
    pair: dict[tuple[datetime.date, datetime.date], int] = {}
    covered: list[tuple[int, int, int, int]] = []
    for start, end in zip(spans["start"], spans["end"], strict=True):
        if (start, end) not in pair:
            number = pair[(start, end)] = len(pair)
            days = (end - start).days + 1
            covered.extend(
                (number, period.ordinal, inside, days)
                for period, inside in periods.days_in(start, end)
                if periods.meets(period, span)
            )
    numbers = [pair[key] for key in zip(spans["start"], spans["end"], strict=True)]
    spans = spans.assign(pair=np.array(numbers, dtype=np.int64))
    parts = pd.DataFrame(
        np.array(covered, dtype=np.int64).reshape(-1, 4),
        columns=["pair", "period", "inside", "days"],
    )
    shared = spans[["pair", "code", "best_or_low"]].merge(parts, on="pair", sort=False)
    share = shared["best_or_low"].astype(float) * shared["inside"] / shared["days"]
    return shared[["period", "code"]].assign(share=share)


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
    period they cover; ``aggregates`` those of them, dated to the period or ongoing in it,
    through an :attr:`~conflictmodel.Event.aggregate` of several incidents (each counted
    once, for one breach or more). Violations without a bounded date are left out. The
    violations are those :func:`~conflictmodel.ceasefire_violations` finds with the same
    ``options`` (:class:`~conflictmodel.queries.ViolationOptions`: ``according_to``,
    ``period``, ``include_parts``, ``min_grade``).

    >>> import conflictmodel as cm
    >>> ds = cm.examples.idlib_2020()
    >>> violations_over_time(ds, "idlib-ceasefire-2020").iloc[-1].to_dict()
    {'observed': 2, 'alleged': 3, 'definite': 5, 'ongoing': 1, 'aggregates': 0}
    >>> camp = violations_over_time(ds, "idlib-ceasefire-2020", according_to=["turkey", "russia"])
    >>> camp.iloc[-1].to_dict()
    {'observed': 2, 'alleged': 2, 'definite': 4, 'ongoing': 1, 'aggregates': 0}
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
                counts[share_period]["aggregates"] += violation.aggregate
            continue
        row = counts[first]
        row["aggregates"] += violation.aggregate
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
    names = ("observed", "alleged", "definite", "ongoing", "aggregates")
    result: pandas.DataFrame = pd.DataFrame(
        {name: [int(counts[p][name]) if p in counts else 0 for p in index] for name in names},
        index=index,
    )
    return result
