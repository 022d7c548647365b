"""Strategies for values: ids, names, time spans, estimates and points.

Importing :mod:`conflictmodel.testing` registers them with ``st.register_type_strategy``, so
``st.from_type(cm.TimeSpan)`` (and ``st.builds`` of a class with such fields) draws valid ones.
"""

from __future__ import annotations

import calendar
import datetime
import functools

import pendulum
import pycountry
from hypothesis import strategies as st
from hypothesis.strategies import SearchStrategy

from conflictmodel.errors import ValidationError
from conflictmodel.places import Point
from conflictmodel.quantities import Estimate
from conflictmodel.timespans import Precision, TimeSpan

_TEXT = st.characters(codec="utf-8", categories=("L", "N", "P", "Zs"))


@functools.cache
def ids() -> SearchStrategy[str]:
    """Record ids: short lowercase slugs such as ``'0'``, ``'syrian-army'`` or ``'e.2'``."""
    return st.from_regex(r"[a-z0-9][a-z0-9_.:-]{0,15}", fullmatch=True)


@functools.cache
def names() -> SearchStrategy[str]:
    """Names and aliases: non-blank Unicode text of letters, digits, punctuation and spaces."""
    return st.text(_TEXT, min_size=1, max_size=16).filter(str.strip)


@functools.cache
def descriptions() -> SearchStrategy[str]:
    """Free text, empty included."""
    return st.text(st.characters(codec="utf-8"), max_size=24)


@functools.cache
def urls() -> SearchStrategy[str]:
    """``https://`` addresses."""
    return st.from_regex(r"https://[a-z]{1,12}\.example/[a-z0-9/-]{0,16}", fullmatch=True)


@functools.cache
def country_codes() -> SearchStrategy[str]:
    """ISO 3166-1 alpha-3 country codes."""
    return st.sampled_from(sorted(country.alpha_3 for country in pycountry.countries))


def _month_end(day: datetime.date) -> datetime.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


def _unit(day: datetime.date, precision: Precision) -> tuple[datetime.date, datetime.date]:
    if precision is Precision.YEAR:
        return datetime.date(day.year, 1, 1), datetime.date(day.year, 12, 31)
    if precision is Precision.MONTH:
        return day.replace(day=1), _month_end(day)
    return day, day


_ZONES: tuple[datetime.tzinfo, ...] = (
    *(pendulum.FixedTimezone(hours * 3600) for hours in (0, 3, 4, -5, 14, -12)),
    pendulum.FixedTimezone(5 * 3600 + 1800),
    *(pendulum.timezone(name) for name in ("Europe/Moscow", "Asia/Baku", "America/New_York")),
)


def _moment(draw: st.DrawFn, day: datetime.date, precision: Precision) -> pendulum.DateTime:
    """A time of day on ``day`` at ``precision`` (on a whole hour, minute or second)."""
    hour = draw(st.integers(0, 23))
    minute = 0 if precision is Precision.HOUR else draw(st.sampled_from((0, 30, 59)))
    second = draw(st.integers(0, 59)) if precision is Precision.SECOND else 0
    zone = draw(st.sampled_from(_ZONES))
    return pendulum.datetime(day.year, day.month, day.day, hour, minute, second, tz=zone)


def _end(
    draw: st.DrawFn, day: datetime.date, precision: Precision
) -> tuple[datetime.date, datetime.date, pendulum.DateTime | None]:
    if precision.of_day:
        moment = _moment(draw, day, precision)
        return moment.date(), moment.date(), moment
    return (*_unit(day, precision), None)


@functools.cache
def time_spans(
    *, min_year: int = 1900, max_year: int = 2100, open_ends: bool = True
) -> SearchStrategy[TimeSpan]:
    """Valid spans: a time of day, a day, a month, a year, a range of them, or (``open_ends``)
    an open range.

    A range's end may have a precision of its own (``2019-12/2020-02-06``); a time of day has
    an offset (``+03:00``, ``Z``) or a zone (``Europe/Moscow``); every span drawn prints back to
    itself, ``when(str(span)) == span``; the fully open span ``../..`` has day precision.
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
        start, unit_end, start_time = _end(draw, first, precision)
        if shape == "until":
            return TimeSpan(None, unit_end, precision, None, None, start_time)
        if shape == "from":
            return TimeSpan(start, None, precision, None, start_time)
        unit = TimeSpan(start, unit_end, precision, None, start_time, start_time)
        if shape == "unit":
            return unit
        end_precision = draw(st.sampled_from(Precision))
        _, end, end_time = _end(draw, draw(st.dates(first, last_day)), end_precision)
        try:
            return TimeSpan(start, end, precision, end_precision, start_time, end_time)
        except ValidationError:
            return unit

    return build()


@functools.cache
def estimates(
    *,
    max_value: int = 1_000_000,
    open_high: bool = True,
    unknown_best: bool = True,
    floorless: bool = True,
) -> SearchStrategy[Estimate]:
    """Valid estimates ``low <= best <= high`` up to ``max_value``; ``high=None``,
    ``best=None`` (unknown) and ``low=None`` (a best with no floor stated) when allowed."""

    @st.composite
    def build(draw: st.DrawFn) -> Estimate:
        low = draw(st.integers(0, max_value))
        middle = draw(st.integers(low, max_value))
        best = draw(st.none() | st.just(middle)) if unknown_best else middle
        highs = st.integers(middle, max_value)
        high = draw(st.none() | highs if open_high else highs)
        if floorless and best is not None and draw(st.booleans()):
            return Estimate(None, best, high)
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


st.register_type_strategy(TimeSpan, time_spans())
st.register_type_strategy(Estimate, estimates())
st.register_type_strategy(Point, points())
