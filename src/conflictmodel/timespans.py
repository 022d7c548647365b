"""Time spans with a precision: a time of day, a day, a month, a year, a range, an open end.

Reports date things at different grains. "Thursday 6 February" is a day, "December last
year" a month, "last year" a year, and an offensive "since December" an open range; a truce
starts "at 12:00 Moscow time", an hour with its zone (``2020-10-10T12:00+03:00``).
A :class:`TimeSpan` keeps the first and last possible day, the time of day when one was given,
and the grain they were given in.

A time of day is an instant: it always has an offset (``+03:00``, ``Z``) or a zone name
(``[Europe/Moscow]``), and two of them compare exactly, whatever their zones. A date with no time
of day has no zone: against a time of day it is read as that day in the time's own zone.

>>> when("2020-02-06")
when('2020-02-06')
>>> when("2019-12").end
Date(2019, 12, 31)
>>> when("2020-02-06").relation_to(when("2020-01-12/.."))
<SpanRelation.INSIDE: 'inside'>
"""

from __future__ import annotations

import datetime
import enum
import re
from typing import Any, cast

import attrs
import dateutil.parser
import pendulum

from conflictmodel._checks import describe, fail, member
from conflictmodel.errors import ValidationError
from conflictmodel.records import holds_no_references


class Precision(enum.StrEnum):
    """The grain a span's ends were given in: a date, or a time of day with its zone."""

    DAY = "day"
    MONTH = "month"
    YEAR = "year"
    HOUR = "hour"
    MINUTE = "minute"
    SECOND = "second"

    @property
    def of_day(self) -> bool:
        """Whether the grain is a time of day (hour, minute, second) rather than a date.

        >>> Precision.MINUTE.of_day, Precision.DAY.of_day
        (True, False)
        """
        return self in _SECONDS


_SECONDS = {Precision.HOUR: 3600, Precision.MINUTE: 60, Precision.SECOND: 1}
_DAY_SECONDS = 86400


class SpanRelation(enum.StrEnum):
    """How one span lies against another, and so how sure a "during" answer is.

    ``INSIDE``: every possible moment of the first is in the second (definitely during).
    ``OVERLAPS``: some moments are, some are not (possibly during).
    ``DISJOINT``: no moment is (not during).
    """

    INSIDE = "inside"
    OVERLAPS = "overlaps"
    DISJOINT = "disjoint"


_TOKEN = re.compile(
    r"(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2})"
    r"(?:T(?P<hour>\d{2})(?::(?P<minute>\d{2})(?::(?P<second>\d{2}))?)?"
    r"(?P<offset>Z|[+-]\d{2}(?::?\d{2})?)?(?:\[(?P<zone>[^\[\]\s]+)\])?)?)?)?"
)
_OFFSET = re.compile(r"(?P<sign>[+-])(?P<hours>\d{2}):?(?P<minutes>\d{2})?")
_MAX_OFFSET = 18 * 3600
_OPEN = ("..", "")
_RANGE = re.compile(r"/(?![^\[]*\])")
"""The ``/`` between two ends (not the one in a zone name such as ``[Europe/Moscow]``)."""


def _as_pendulum(day: datetime.date) -> pendulum.Date:
    if isinstance(day, pendulum.Date) and not isinstance(day, datetime.datetime):
        return day
    return pendulum.Date(day.year, day.month, day.day)


def _to_date(value: datetime.date | None) -> pendulum.Date | None:
    return _as_pendulum(value) if isinstance(value, datetime.date) else value


def _to_moment(value: datetime.datetime | None) -> pendulum.DateTime | None:
    if isinstance(value, pendulum.DateTime) or not isinstance(value, datetime.datetime):
        return value
    return pendulum.instance(value) if value.tzinfo is not None else cast(Any, value)


def _to_precision(value: Precision | str) -> Precision:
    if isinstance(value, Precision):
        return value
    try:
        return Precision(value)
    except ValueError:
        return cast(Precision, value)


def _to_optional_precision(value: Precision | str | None) -> Precision | None:
    return None if value is None else _to_precision(value)


def _optional_precision(instance: TimeSpan, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        member(Precision)(instance, attribute, value)


def _date_or_none(instance: TimeSpan, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None and not isinstance(value, pendulum.Date):
        fail(instance, attribute, f"expected a date or None, got {describe(value)}")


def _moment_or_none(instance: TimeSpan, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        return
    if not isinstance(value, datetime.datetime):
        fail(
            instance,
            attribute,
            f"expected a datetime with a time zone or None, got {describe(value)}",
        )
    if value.tzinfo is None or value.utcoffset() is None:
        fail(instance, attribute, f"{value.isoformat()} has no time zone: an instant needs one")
    if _offset(value) % 60 and not isinstance(value.tzinfo, pendulum.Timezone):
        fail(instance, attribute, f"{value.isoformat()} has an offset that is not a whole minute")
    if value.microsecond:
        fail(
            instance,
            attribute,
            f"{value.isoformat()} has a fraction of a second; times are kept to the second",
        )


def zone_text(moment: datetime.datetime) -> str:
    """How a time's zone is written: ``Z`` for UTC, an offset, or the offset and the zone's name
    (the name alone where the zone's offset then was not a whole minute, as in local mean time).

    >>> zone_text(pendulum.datetime(2020, 10, 10, 12, tz="Europe/Moscow"))
    '+03:00[Europe/Moscow]'
    >>> zone_text(pendulum.datetime(2020, 10, 10, 8, 30, tz="UTC"))
    'Z'
    """
    offset = int(cast(datetime.timedelta, moment.utcoffset()).total_seconds())
    name = getattr(moment.tzinfo, "name", None)
    named = isinstance(moment.tzinfo, pendulum.Timezone) and name not in (None, "UTC")
    if offset == 0 and not named:
        return "Z"
    sign = "-" if offset < 0 else "+"
    hours, minutes = divmod(abs(offset) // 60, 60)
    written = f"{sign}{hours:02d}:{minutes:02d}"
    if not named:
        return written
    return f"[{name}]" if offset % 60 else f"{written}[{name}]"


def _written(moment: pendulum.DateTime | None) -> tuple[str, str] | None:
    """A time as written (wall clock and zone): two spans are equal when written the same."""
    return None if moment is None else (moment.replace(tzinfo=None).isoformat(), zone_text(moment))


def _wall(moment: datetime.datetime) -> int:
    """Seconds from 0001-01-01 00:00 to the wall-clock time of ``moment`` in its own zone."""
    clock = moment.hour * 3600 + moment.minute * 60 + moment.second
    return moment.toordinal() * _DAY_SECONDS + clock


def _offset(moment: datetime.datetime) -> int:
    return int(cast(datetime.timedelta, moment.utcoffset()).total_seconds())


# A bound of a span: wall-clock seconds, and UTC seconds when the bound is an instant.
_Bound = tuple[int, int | None]


def _before(a: _Bound, b: _Bound, *, or_equal: bool = False) -> bool:
    """Whether ``a`` comes before ``b``: exactly when both are instants, else by the wall clock
    (a date read in the zone of the time it is compared with)."""
    x, y = (a[1], b[1]) if a[1] is not None and b[1] is not None else (a[0], b[0])
    return x <= y if or_equal else x < y


def unit_start(day: datetime.date, precision: Precision) -> pendulum.Date:
    """The first day of the year, month or day holding ``day`` (a time of day: the day itself).

    >>> unit_start(pendulum.Date(2020, 2, 6), Precision.MONTH)
    Date(2020, 2, 1)
    """
    date = _as_pendulum(day)
    return (
        date if precision is Precision.DAY or precision.of_day else date.start_of(precision.value)
    )


def unit_end(day: datetime.date, precision: Precision) -> pendulum.Date:
    """The last day of the year, month or day holding ``day`` (a time of day: the day itself).

    >>> unit_end(pendulum.Date(2020, 2, 6), Precision.MONTH)
    Date(2020, 2, 29)
    """
    date = _as_pendulum(day)
    return date if precision is Precision.DAY or precision.of_day else date.end_of(precision.value)


def _render(day: pendulum.Date, precision: Precision, moment: pendulum.DateTime | None) -> str:
    if precision is Precision.YEAR:
        return f"{day.year:04d}"
    if precision is Precision.MONTH:
        return f"{day.year:04d}-{day.month:02d}"
    text = f"{day.year:04d}-{day.month:02d}-{day.day:02d}"
    if moment is None:
        return text
    clock = {
        Precision.HOUR: f"{moment.hour:02d}",
        Precision.MINUTE: f"{moment.hour:02d}:{moment.minute:02d}",
        Precision.SECOND: f"{moment.hour:02d}:{moment.minute:02d}:{moment.second:02d}",
    }
    return f"{text}T{clock[precision]}{zone_text(moment)}"


def _check_span(method: str, other: object) -> None:
    if not isinstance(other, TimeSpan):
        raise ValidationError(f"TimeSpan.{method}() takes a TimeSpan, got {describe(other)}")


_FIRST_KEY = -(2**63)
_LAST_KEY = 2**63


@holds_no_references
@attrs.frozen(repr=False)
class TimeSpan:
    """The moments at which something may have happened, with the grain it was reported in.

    ``start`` and ``end`` are the first and last possible day, both inclusive (``start <= end``);
    ``None`` is an open end. With ``Precision.MONTH`` or ``YEAR`` the ends fall on the bounds of
    months or years.
    ``end_precision`` is the end's grain when it differs from the start's (``"2019-12/2020-02-06"``
    starts at month and ends at day precision); ``None`` means the same as ``precision``.
    An end at a time of day (``HOUR``, ``MINUTE``, ``SECOND``) also has its time, with its zone:
    ``start_time`` is the first possible hour, minute or second, ``end_time`` the last one
    (the span runs to the end of it), and ``start`` and ``end`` are their days in their zones.
    Build spans with :func:`when`; ``str(span)`` gives the text back.

    >>> span = when("2019-12/..")
    >>> span.start, span.end, span.precision
    (Date(2019, 12, 1), None, <Precision.MONTH: 'month'>)
    >>> str(span)
    '2019-12/..'
    >>> when("2019-12/2020-02-06").end_precision
    <Precision.DAY: 'day'>
    >>> truce = when("2020-10-10T12:00+03:00/..")
    >>> truce.start, truce.precision
    (Date(2020, 10, 10), <Precision.MINUTE: 'minute'>)
    >>> truce.start_time
    DateTime(2020, 10, 10, 12, 0, 0, tzinfo=FixedTimezone(10800, name="+03:00"))
    """

    start: pendulum.Date | None = attrs.field(converter=_to_date, validator=_date_or_none)
    end: pendulum.Date | None = attrs.field(converter=_to_date, validator=_date_or_none)
    precision: Precision = attrs.field(
        default=Precision.DAY, converter=_to_precision, validator=member(Precision)
    )
    end_precision: Precision | None = attrs.field(
        default=None, converter=_to_optional_precision, validator=_optional_precision
    )
    start_time: pendulum.DateTime | None = attrs.field(
        default=None, converter=_to_moment, validator=_moment_or_none, eq=_written
    )
    end_time: pendulum.DateTime | None = attrs.field(
        default=None, converter=_to_moment, validator=_moment_or_none, eq=_written
    )

    def __attrs_post_init__(self) -> None:
        start, end, precision = self.start, self.end, self.precision
        if self.end_precision is precision or end is None:
            object.__setattr__(self, "end_precision", None)
        end_grain = self.end_grain
        self._check_end("start", start, self.start_time, precision)
        self._check_end("end", end, self.end_time, end_grain)
        if start is not None and unit_start(start, precision) != start:
            raise ValidationError(f"TimeSpan.start: {start} does not begin a {precision.value}")
        if end is not None and unit_end(end, end_grain) != end:
            raise ValidationError(f"TimeSpan.end: {end} does not end a {end_grain.value}")
        lower, upper = self._lower, self._upper
        if lower is not None and upper is not None and not _before(lower, upper):
            raise ValidationError(
                f"TimeSpan.end: {self._end_text()} is before start {self._start_text()}"
            )
        if start is not None and end is not None and end < start:
            raise ValidationError(
                f"TimeSpan.end: {self._end_text()} falls on a day before start "
                f"{self._start_text()}; write both ends in one zone"
            )

    @staticmethod
    def _check_end(
        name: str, day: pendulum.Date | None, moment: pendulum.DateTime | None, grain: Precision
    ) -> None:
        if day is None or not grain.of_day:
            if moment is not None:
                raise ValidationError(
                    f"TimeSpan.{name}_time: {moment.isoformat()} given, but the {name} is "
                    f"{'open' if day is None else f'at {grain.value} precision'}"
                )
            return
        if moment is None:
            raise ValidationError(
                f"TimeSpan.{name}_time: a {name} at {grain.value} precision needs its time"
            )
        if moment.date() != day:
            raise ValidationError(
                f"TimeSpan.{name}: {day} is not the day of {name}_time {moment.isoformat()}"
            )
        if (moment.minute * 60 + moment.second) % _SECONDS[grain]:
            raise ValidationError(
                f"TimeSpan.{name}_time: {moment.isoformat()} is not on a whole {grain.value}"
            )

    @property
    def end_grain(self) -> Precision:
        """The grain of the end: ``end_precision``, or ``precision`` when the two are one."""
        return self.end_precision or self.precision

    @classmethod
    def day(cls, day: datetime.date) -> TimeSpan:
        """The span of one day.

        >>> TimeSpan.day(datetime.date(2020, 2, 3))
        when('2020-02-03')
        """
        return cls(day, day, Precision.DAY)

    @classmethod
    def at(cls, moment: datetime.datetime, precision: Precision = Precision.MINUTE) -> TimeSpan:
        """The span of one hour, minute or second, beginning at ``moment`` (which needs a zone).

        >>> TimeSpan.at(pendulum.datetime(2020, 10, 10, 12, tz="Europe/Moscow"))
        when('2020-10-10T12:00+03:00[Europe/Moscow]')
        """
        if not precision.of_day:
            raise ValidationError(
                f"TimeSpan.at(): expected a time-of-day precision, got {precision.value!r}"
            )
        found = _to_moment(moment)
        day = found.date() if isinstance(found, datetime.datetime) else None
        return cls(day, day, precision, None, found, found)

    @property
    def is_open(self) -> bool:
        """Whether either end is open."""
        return self.start is None or self.end is None

    @property
    def is_range(self) -> bool:
        """Whether the span covers more than one unit of its precision (or is open)."""
        if self.start is None or self.end is None or self.end_precision is not None:
            return True
        if self.precision.of_day:
            return _written(self.start_time) != _written(self.end_time)
        return unit_end(self.start, self.precision) != self.end

    @property
    def until(self) -> pendulum.DateTime | None:
        """The instant the span ends (exclusive) when its end is a time of day, else ``None``.

        >>> when("2020-10-10T12:00+03:00").until
        DateTime(2020, 10, 10, 12, 1, 0, tzinfo=FixedTimezone(10800, name="+03:00"))
        """
        if self.end_time is None:
            return None
        return self.end_time + datetime.timedelta(seconds=_SECONDS[self.end_grain])

    @property
    def _lower(self) -> _Bound | None:
        if self.start is None:
            return None
        if self.start_time is None:
            return self.start.toordinal() * _DAY_SECONDS, None
        wall = _wall(self.start_time)
        return wall, wall - _offset(self.start_time)

    @property
    def _upper(self) -> _Bound | None:
        if self.end is None:
            return None
        if self.end_time is None:
            return (self.end.toordinal() + 1) * _DAY_SECONDS, None
        wall = _wall(self.end_time) + _SECONDS[self.end_grain]
        return wall, wall - _offset(self.end_time)

    @property
    def sort_key(self) -> tuple[int, int]:
        """A key that orders spans by their first, then last possible moment; open ends sort
        outermost. Times order exactly across zones; a date counts from 00:00 UTC.

        >>> spans = [when("2020-10-09T22:00Z"), when("2020-10-10T02:00+05:00")]
        >>> sorted(spans, key=lambda span: span.sort_key)
        [when('2020-10-10T02:00+05:00'), when('2020-10-09T22:00Z')]
        """
        lower, upper = self._lower, self._upper
        first = _FIRST_KEY if lower is None else lower[0] if lower[1] is None else lower[1]
        last = _LAST_KEY if upper is None else upper[0] if upper[1] is None else upper[1]
        return first, last

    def meets(self, other: TimeSpan) -> bool:
        """Whether the two spans share at least one possible moment.

        >>> when("2019-12/..").meets(when("2020-01-12"))
        True
        >>> when("2020-10-10T02:00+03:00").meets(when("2020-10-10T12:00+03:00/.."))
        False
        """
        _check_span("meets", other)
        mine, theirs = (self._lower, self._upper), (other._lower, other._upper)
        for (lower, _), (_, upper) in ((mine, theirs), (theirs, mine)):
            if lower is not None and upper is not None and not _before(lower, upper):
                return False
        return True

    def contains(self, other: TimeSpan) -> bool:
        """Whether every possible moment of ``other`` lies in this span."""
        _check_span("contains", other)
        lower, upper = self._lower, self._upper
        if lower is not None and (
            other._lower is None or not _before(lower, other._lower, or_equal=True)
        ):
            return False
        if upper is not None:
            return other._upper is not None and _before(other._upper, upper, or_equal=True)
        return True

    def relation_to(self, other: TimeSpan) -> SpanRelation:
        """How this span lies against ``other``: inside it, overlapping it, or apart.

        >>> when("2019-12/..").relation_to(when("2020-01-12/.."))
        <SpanRelation.OVERLAPS: 'overlaps'>
        >>> when("2019").relation_to(when("2020-01-12/.."))
        <SpanRelation.DISJOINT: 'disjoint'>
        >>> when("2020-10-10T13:00+03:00").relation_to(when("2020-10-10T12:00+03:00/.."))
        <SpanRelation.INSIDE: 'inside'>
        >>> when("2020-10-10").relation_to(when("2020-10-10T12:00+03:00/.."))
        <SpanRelation.OVERLAPS: 'overlaps'>
        """
        _check_span("relation_to", other)
        if other.contains(self):
            return SpanRelation.INSIDE
        if self.meets(other):
            return SpanRelation.OVERLAPS
        return SpanRelation.DISJOINT

    def ending_before(self, other: TimeSpan) -> TimeSpan | None:
        """This span, ended where ``other`` begins: at the day, or the hour, minute or second,
        before its start (``None``: nothing of this span is left).

        >>> when("2020-10-10T12:00+03:00/..").ending_before(when("2020-10-18T00:00+04:00/.."))
        when('2020-10-10T12:00+03:00/2020-10-17T23:59+04:00')
        >>> when("2020-10-10/..").ending_before(when("2020-10-17"))
        when('2020-10-10/2020-10-16')
        """
        _check_span("ending_before", other)
        if other.start is None:
            return None
        if other.start_time is not None:
            step = datetime.timedelta(seconds=_SECONDS[other.precision])
            last = other.start_time - step
            return self._ending(last.date(), other.precision, last)
        return self._ending(other.start.subtract(days=1), Precision.DAY, None)

    def ending_with(self, other: TimeSpan) -> TimeSpan | None:
        """This span, ended no later than ``other`` ends (``None``: nothing of it is left).

        >>> when("2020-10-10/..").ending_with(when("2020-10-12T08:00+04:00"))
        when('2020-10-10/2020-10-12T08:00+04:00')
        """
        _check_span("ending_with", other)
        if other.end is None:
            return self
        grain = other.end_grain if other.end_grain.of_day else Precision.DAY
        return self._ending(other.end, grain, other.end_time)

    def _ending(
        self, day: pendulum.Date, grain: Precision, moment: pendulum.DateTime | None
    ) -> TimeSpan | None:
        candidate = _end_bound(day, grain, moment)
        if self._upper is not None and _before(self._upper, candidate, or_equal=True):
            return self
        if self._lower is not None and not _before(self._lower, candidate):
            return None
        return TimeSpan(self.start, day, self.precision, grain, self.start_time, moment)

    def _start_text(self) -> str:
        return ".." if self.start is None else _render(self.start, self.precision, self.start_time)

    def _end_text(self) -> str:
        return ".." if self.end is None else _render(self.end, self.end_grain, self.end_time)

    def __str__(self) -> str:
        if self.start is not None and self.end is not None and not self.is_range:
            return self._start_text()
        return f"{self._start_text()}/{self._end_text()}"

    def __repr__(self) -> str:
        return f"when({str(self)!r})"


def _end_bound(day: pendulum.Date, grain: Precision, moment: pendulum.DateTime | None) -> _Bound:
    if moment is None:
        return (day.toordinal() + 1) * _DAY_SECONDS, None
    wall = _wall(moment) + _SECONDS[grain]
    return wall, wall - _offset(moment)


# Two defaults that differ in every date field: a field the text gives comes out the same.
_DEFAULTS = (datetime.datetime(1, 1, 1), datetime.datetime(2, 2, 2))


def _refused(text: str) -> ValidationError:
    return ValidationError(
        f"cannot read {text!r} as a time span: expected YYYY, YYYY-MM or YYYY-MM-DD, a time of "
        "day with its zone (YYYY-MM-DDTHH:MM+03:00, ...Z or ...[Europe/Moscow]), or a date in "
        "words such as '10 October 2020' or 'Oct 2020'; or two of them joined by '/', with '..' "
        "for an open end"
    )


def _parse_words(token: str, text: str) -> tuple[pendulum.Date, Precision]:
    """A date in words ("10 October 2020", "Oct 2020"), with the precision the text gives."""
    if token.isdigit() or not any(c.isalpha() for c in token):
        raise _refused(text)
    try:
        first, second = (dateutil.parser.parse(token, default=d) for d in _DEFAULTS)
    except (ValueError, OverflowError):
        raise _refused(text) from None
    if first.year != second.year or first.tzinfo is not None or first.time() != datetime.time():
        raise _refused(text)
    if first.month != second.month:
        return pendulum.Date(first.year, 1, 1), Precision.YEAR
    if first.day != second.day:
        return pendulum.Date(first.year, first.month, 1), Precision.MONTH
    return pendulum.Date(first.year, first.month, first.day), Precision.DAY


def _fixed_zone(offset: str, text: str) -> datetime.tzinfo:
    if offset == "Z":
        return pendulum.UTC
    parts = cast(re.Match[str], _OFFSET.fullmatch(offset))
    hours, minutes = int(parts["hours"]), int(parts["minutes"] or 0)
    seconds = (hours * 60 + minutes) * 60
    if minutes >= 60 or seconds > _MAX_OFFSET:
        raise ValidationError(
            f"cannot read {text!r} as a time span: offset {offset} is not one of -18:00 to +18:00"
        )
    return pendulum.FixedTimezone(-seconds if parts["sign"] == "-" else seconds)


def _named_zone(name: str, text: str) -> pendulum.Timezone:
    try:
        return pendulum.timezone(name)
    except ValueError:
        raise ValidationError(
            f"cannot read {text!r} as a time span: unknown time zone {name!r}"
        ) from None


def _parse_time(match: re.Match[str], text: str) -> tuple[pendulum.DateTime, Precision]:
    """A time of day in its zone: the zone's name (whose offset must agree with the offset
    written next to it), else the offset; a time with neither is refused."""
    offset, name = match["offset"], match["zone"]
    if offset is None and name is None:
        raise ValidationError(
            f"cannot read {text!r} as a time span: a time of day needs its offset or zone, "
            "such as 'Z', '+03:00' or '[Europe/Moscow]'"
        )
    fixed = None if offset is None else _fixed_zone(offset, text)
    zone = fixed if name is None else _named_zone(name, text)
    minute, second = match["minute"], match["second"]
    precision = Precision.SECOND if second else Precision.MINUTE if minute else Precision.HOUR
    year, month, day, hour = (int(match[part]) for part in ("year", "month", "day", "hour"))
    clock = (hour, int(minute or 0), int(second or 0))
    try:
        moments = [
            pendulum.datetime(year, month, day, *clock, tz=zone, fold=fold) for fold in (1, 0)
        ]
    except ValueError as error:
        raise ValidationError(f"cannot read {text!r} as a time span: {error}") from None
    if fixed is not None and name is not None:
        wanted = fixed.utcoffset(None)
        moments = [m for m in moments if m.utcoffset() == wanted]
        if not moments:
            raise ValidationError(
                f"cannot read {text!r} as a time span: {offset} is not the offset of {name} "
                "at that time"
            )
    moment = moments[0]
    if (moment.hour, moment.minute, moment.second) != clock:
        raise ValidationError(
            f"cannot read {text!r} as a time span: that time does not exist in {name} "
            "(the clocks went forward)"
        )
    return moment, precision


def _parse_token(
    token: str, text: str
) -> tuple[pendulum.Date, Precision, pendulum.DateTime | None]:
    match = _TOKEN.fullmatch(token)
    if match is None:
        return (*_parse_words(token, text), None)
    if match["hour"] is not None:
        moment, precision = _parse_time(match, text)
        return moment.date(), precision, moment
    if match["offset"] is not None or match["zone"] is not None:
        raise _refused(text)
    year, month, day = match["year"], match["month"], match["day"]
    precision = Precision.DAY if day else Precision.MONTH if month else Precision.YEAR
    try:
        parsed = pendulum.Date(int(year), int(month or 1), int(day or 1))
    except ValueError as error:
        raise ValidationError(f"cannot read {text!r} as a time span: {error}") from None
    return parsed, precision, None


def _from_datetime(moment: datetime.datetime) -> TimeSpan:
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValidationError(
            f"when() needs a time zone on {moment.isoformat()}: a time of day is an instant "
            "only with its offset or zone (give the datetime a tzinfo)"
        )
    if moment.microsecond:
        raise ValidationError(
            f"when() keeps times to the second; {moment.isoformat()} has a fraction of one"
        )
    return TimeSpan.at(moment, Precision.SECOND if moment.second else Precision.MINUTE)


def when(text: str | datetime.date) -> TimeSpan:
    """Parse a span from its text: a time of day, a day, a month, a year or a range with ``/``.

    ``..`` (or nothing) marks an open end. Each end keeps its own precision, so the span
    prints back as it was written. A time of day (``T12``, ``T12:00``, ``T12:00:30``) needs its
    offset (``Z``, ``+03:00``) or zone name (``[Europe/Moscow]``, written back with its offset).
    Dates in words read too, at the precision they give; a :class:`datetime.date` is its day
    and a :class:`datetime.datetime` with a zone its minute (or second).

    >>> when("10 October 2020"), when("Oct 2020"), when("Oct 2020/..")
    (when('2020-10-10'), when('2020-10'), when('2020-10/..'))
    >>> when(datetime.date(2020, 10, 10))
    when('2020-10-10')
    >>> when(datetime.datetime(2020, 10, 10, 9, tzinfo=datetime.timezone.utc))
    when('2020-10-10T09:00Z')
    >>> when("2020-10-10T12:00+04:00/.."), when("2020-10-10T12[Europe/Moscow]")
    (when('2020-10-10T12:00+04:00/..'), when('2020-10-10T12+03:00[Europe/Moscow]'))

    >>> when("2019")
    when('2019')
    >>> when("2020-02-03/2020-02-06").precision
    <Precision.DAY: 'day'>
    >>> str(when("2019-12/2020-02-06"))
    '2019-12/2020-02-06'
    >>> when("2020-13")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    conflictmodel.errors.ValidationError: cannot read '2020-13' as a time span: month must be ...
    >>> when("2020-10-10T12:00")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    conflictmodel.errors.ValidationError: cannot read '2020-10-10T12:00' as a time span: ...
    """
    if isinstance(text, datetime.datetime):
        return _from_datetime(text)
    if isinstance(text, datetime.date):
        return TimeSpan.day(text)
    if not isinstance(text, str):
        raise ValidationError(f"when() expects text such as '2020-02-06', got {describe(text)}")
    parts = _RANGE.split(text.strip())
    if len(parts) == 1:
        day, precision, moment = _parse_token(parts[0], text)
        return TimeSpan(
            unit_start(day, precision), unit_end(day, precision), precision, None, moment, moment
        )
    if len(parts) > 2:
        raise ValidationError(f"cannot read {text!r} as a time span: more than one '/'")
    first, last = (part.strip() for part in parts)
    start = None if first in _OPEN else _parse_token(first, text)
    end = None if last in _OPEN else _parse_token(last, text)
    grains = [parsed[1] for parsed in (start, end) if parsed is not None]
    precision = grains[0] if grains else Precision.DAY
    end_precision = end[1] if start is not None and end is not None else None
    try:
        return TimeSpan(
            None if start is None else unit_start(start[0], start[1]),
            None if end is None else unit_end(end[0], end[1]),
            precision,
            end_precision,
            None if start is None else start[2],
            None if end is None else end[2],
        )
    except ValidationError as error:
        reason = str(error).partition(": ")[2] if "falls on a day" in str(error) else ""
        raise ValidationError(
            f"cannot read {text!r} as a time span: {reason or 'the end is before the start'}"
        ) from None


def to_span(value: TimeSpan | str | datetime.date) -> TimeSpan:
    """A span from its text or a date or datetime; a value that fails to read is left for
    :func:`span_field` to report."""
    if type(value) is TimeSpan:
        return value
    if isinstance(value, (str, datetime.date)):
        try:
            return when(value)
        except ValidationError:
            return cast(TimeSpan, value)
    return value


def to_optional_span(value: TimeSpan | str | datetime.date | None) -> TimeSpan | None:
    """Like :func:`to_span`, with ``None`` for an unknown time."""
    return None if value is None else to_span(value)


def span_field(owner: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Validator: a :class:`TimeSpan`; unreadable text or dates are refused with the reason."""
    if type(value) is TimeSpan:
        return
    if isinstance(value, (str, datetime.date)):
        try:
            when(value)
        except ValidationError as error:
            fail(owner, attribute, str(error))
    if not isinstance(value, TimeSpan):
        fail(owner, attribute, f"expected a TimeSpan or its text, got {describe(value)}")


def optional_span_field(owner: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Validator: a :class:`TimeSpan` or ``None``."""
    if value is not None:
        span_field(owner, attribute, value)
