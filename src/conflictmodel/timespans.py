"""Time spans with a precision: a day, a month, a year, a range, an open end.

Reports date things at different grains. "Thursday 6 February" is a day, "December last
year" a month, "last year" a year, and an offensive "since December" an open range.
A :class:`TimeSpan` keeps the first and last possible day and the grain they were given in.

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
    """The grain a span's ends were given in."""

    DAY = "day"
    MONTH = "month"
    YEAR = "year"


class SpanRelation(enum.StrEnum):
    """How one span lies against another, and so how sure a "during" answer is.

    ``INSIDE``: every possible day of the first is in the second (definitely during).
    ``OVERLAPS``: some days are, some are not (possibly during).
    ``DISJOINT``: no day is (not during).
    """

    INSIDE = "inside"
    OVERLAPS = "overlaps"
    DISJOINT = "disjoint"


_TOKEN = re.compile(r"(?P<year>\d{4})(?:-(?P<month>\d{2})(?:-(?P<day>\d{2}))?)?")
_OPEN = ("..", "")


def _as_pendulum(day: datetime.date) -> pendulum.Date:
    if isinstance(day, pendulum.Date) and not isinstance(day, datetime.datetime):
        return day
    return pendulum.Date(day.year, day.month, day.day)


def _to_date(value: datetime.date | None) -> pendulum.Date | None:
    return _as_pendulum(value) if isinstance(value, datetime.date) else value


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


def unit_start(day: datetime.date, precision: Precision) -> pendulum.Date:
    """The first day of the year, month or day holding ``day``.

    >>> unit_start(pendulum.Date(2020, 2, 6), Precision.MONTH)
    Date(2020, 2, 1)
    """
    date = _as_pendulum(day)
    return date if precision is Precision.DAY else date.start_of(precision.value)


def unit_end(day: datetime.date, precision: Precision) -> pendulum.Date:
    """The last day of the year, month or day holding ``day``.

    >>> unit_end(pendulum.Date(2020, 2, 6), Precision.MONTH)
    Date(2020, 2, 29)
    """
    date = _as_pendulum(day)
    return date if precision is Precision.DAY else date.end_of(precision.value)


def _render(day: pendulum.Date, precision: Precision) -> str:
    if precision is Precision.YEAR:
        return f"{day.year:04d}"
    if precision is Precision.MONTH:
        return f"{day.year:04d}-{day.month:02d}"
    return f"{day.year:04d}-{day.month:02d}-{day.day:02d}"


def _check_span(method: str, other: object) -> None:
    if not isinstance(other, TimeSpan):
        raise ValidationError(f"TimeSpan.{method}() takes a TimeSpan, got {describe(other)}")


@holds_no_references
@attrs.frozen(repr=False)
class TimeSpan:
    """The days on which something may have happened, with the grain it was reported in.

    ``start`` and ``end`` are the first and last possible day, both inclusive; ``None`` is an
    open end. With ``Precision.MONTH`` or ``YEAR`` the ends fall on the bounds of months or years.
    ``end_precision`` is the end's grain when it differs from the start's (``"2019-12/2020-02-06"``
    starts at month and ends at day precision); ``None`` means the same as ``precision``.
    Build spans with :func:`when`; ``str(span)`` gives the text back.

    >>> span = when("2019-12/..")
    >>> span.start, span.end, span.precision
    (Date(2019, 12, 1), None, <Precision.MONTH: 'month'>)
    >>> str(span)
    '2019-12/..'
    >>> when("2019-12/2020-02-06").end_precision
    <Precision.DAY: 'day'>
    """

    start: pendulum.Date | None = attrs.field(converter=_to_date, validator=_date_or_none)
    end: pendulum.Date | None = attrs.field(converter=_to_date, validator=_date_or_none)
    precision: Precision = attrs.field(
        default=Precision.DAY, converter=_to_precision, validator=member(Precision)
    )
    end_precision: Precision | None = attrs.field(
        default=None, converter=_to_optional_precision, validator=_optional_precision
    )

    def __attrs_post_init__(self) -> None:
        start, end, precision = self.start, self.end, self.precision
        if self.end_precision is precision or end is None:
            object.__setattr__(self, "end_precision", None)
        end_grain = self.end_grain
        if start is not None and end is not None and end < start:
            raise ValidationError(f"TimeSpan.end: {end} is before start {start}")
        if start is not None and unit_start(start, precision) != start:
            raise ValidationError(f"TimeSpan.start: {start} does not begin a {precision.value}")
        if end is not None and unit_end(end, end_grain) != end:
            raise ValidationError(f"TimeSpan.end: {end} does not end a {end_grain.value}")

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

    @property
    def is_open(self) -> bool:
        """Whether either end is open."""
        return self.start is None or self.end is None

    @property
    def is_range(self) -> bool:
        """Whether the span covers more than one unit of its precision (or is open)."""
        if self.start is None or self.end is None or self.end_precision is not None:
            return True
        return unit_end(self.start, self.precision) != self.end

    @property
    def sort_key(self) -> tuple[datetime.date, datetime.date]:
        """A key that orders spans by start, then end; open ends sort outermost."""
        return (self.start or datetime.date.min, self.end or datetime.date.max)

    def meets(self, other: TimeSpan) -> bool:
        """Whether the two spans share at least one possible day.

        >>> when("2019-12/..").meets(when("2020-01-12"))
        True
        """
        _check_span("meets", other)
        if self.end is not None and other.start is not None and self.end < other.start:
            return False
        return not (other.end is not None and self.start is not None and other.end < self.start)

    def contains(self, other: TimeSpan) -> bool:
        """Whether every possible day of ``other`` lies in this span."""
        _check_span("contains", other)
        if self.start is not None and (other.start is None or other.start < self.start):
            return False
        return not (self.end is not None and (other.end is None or other.end > self.end))

    def relation_to(self, other: TimeSpan) -> SpanRelation:
        """How this span lies against ``other``: inside it, overlapping it, or apart.

        >>> when("2019-12/..").relation_to(when("2020-01-12/.."))
        <SpanRelation.OVERLAPS: 'overlaps'>
        >>> when("2019").relation_to(when("2020-01-12/.."))
        <SpanRelation.DISJOINT: 'disjoint'>
        """
        _check_span("relation_to", other)
        if other.contains(self):
            return SpanRelation.INSIDE
        if self.meets(other):
            return SpanRelation.OVERLAPS
        return SpanRelation.DISJOINT

    def __str__(self) -> str:
        start, end, precision = self.start, self.end, self.precision
        if start is not None and end is not None and not self.is_range:
            return _render(start, precision)
        first = ".." if start is None else _render(start, precision)
        last = ".." if end is None else _render(end, self.end_grain)
        return f"{first}/{last}"

    def __repr__(self) -> str:
        return f"when({str(self)!r})"


# Two defaults that differ in every date field: a field the text gives comes out the same.
_DEFAULTS = (datetime.datetime(1, 1, 1), datetime.datetime(2, 2, 2))


def _parse_words(token: str, text: str) -> tuple[pendulum.Date, Precision]:
    """A date in words ("10 October 2020", "Oct 2020"), with the precision the text gives."""
    refused = ValidationError(
        f"cannot read {text!r} as a time span: expected YYYY, YYYY-MM or YYYY-MM-DD (or a "
        "date in words such as '10 October 2020' or 'Oct 2020'), or two of them joined by "
        "'/', with '..' for an open end"
    )
    if token.isdigit() or not any(c.isalpha() for c in token):
        raise refused
    try:
        first, second = (dateutil.parser.parse(token, default=d) for d in _DEFAULTS)
    except (ValueError, OverflowError):
        raise refused from None
    if first.year != second.year or first.tzinfo is not None or first.time() != datetime.time():
        raise refused
    if first.month != second.month:
        return pendulum.Date(first.year, 1, 1), Precision.YEAR
    if first.day != second.day:
        return pendulum.Date(first.year, first.month, 1), Precision.MONTH
    return pendulum.Date(first.year, first.month, first.day), Precision.DAY


def _parse_token(token: str, text: str) -> tuple[pendulum.Date, Precision]:
    match = _TOKEN.fullmatch(token)
    if match is None:
        return _parse_words(token, text)
    year, month, day = match["year"], match["month"], match["day"]
    precision = Precision.DAY if day else Precision.MONTH if month else Precision.YEAR
    try:
        parsed = pendulum.Date(int(year), int(month or 1), int(day or 1))
    except ValueError as error:
        raise ValidationError(f"cannot read {text!r} as a time span: {error}") from None
    return parsed, precision


def when(text: str | datetime.date) -> TimeSpan:
    """Parse a span from its text: a day, a month, a year or a range with ``/``.

    ``..`` (or nothing) marks an open end. Each end keeps its own precision, so the span
    prints back as it was written. Dates in words read too, at the precision they give, and a
    :class:`datetime.date` (or ``datetime``) is its day.

    >>> when("10 October 2020"), when("Oct 2020"), when("Oct 2020/..")
    (when('2020-10-10'), when('2020-10'), when('2020-10/..'))
    >>> when(datetime.date(2020, 10, 10))
    when('2020-10-10')

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
    """
    if isinstance(text, datetime.date):
        return TimeSpan.day(text)
    if not isinstance(text, str):
        raise ValidationError(f"when() expects text such as '2020-02-06', got {describe(text)}")
    stripped = text.strip()
    if "/" not in stripped:
        day, precision = _parse_token(stripped, text)
        return TimeSpan(unit_start(day, precision), unit_end(day, precision), precision)
    first, _, last = stripped.partition("/")
    first, last = first.strip(), last.strip()
    if "/" in last:
        raise ValidationError(f"cannot read {text!r} as a time span: more than one '/'")
    start = None if first in _OPEN else _parse_token(first, text)
    end = None if last in _OPEN else _parse_token(last, text)
    grains = [parsed[1] for parsed in (start, end) if parsed is not None]
    precision = grains[0] if grains else Precision.DAY
    end_precision = end[1] if start is not None and end is not None else None
    span_start = None if start is None else unit_start(start[0], start[1])
    span_end = None if end is None else unit_end(end[0], end[1])
    if span_start is not None and span_end is not None and span_end < span_start:
        raise ValidationError(f"cannot read {text!r} as a time span: the end is before the start")
    return TimeSpan(span_start, span_end, precision, end_precision)


def to_span(value: TimeSpan | str) -> TimeSpan:
    """A span from its text; text that fails to parse is left for :func:`span_field` to report."""
    if isinstance(value, str):
        try:
            return when(value)
        except ValidationError:
            return cast(TimeSpan, value)
    return value


def to_optional_span(value: TimeSpan | str | None) -> TimeSpan | None:
    """Like :func:`to_span`, with ``None`` for an unknown time."""
    return None if value is None else to_span(value)


def span_field(owner: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Validator: a :class:`TimeSpan`; unreadable text is refused with the reason."""
    if isinstance(value, str):
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
