"""Time spans: parsing, printing back, and how sure a comparison is."""

from __future__ import annotations

import datetime

import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

import conflictmodel as cm
from conflictmodel.testing import time_spans


@given(time_spans())
def test_generated_spans_are_ordered_and_aligned(span: cm.TimeSpan) -> None:
    if span.start is not None and span.end is not None:
        assert span.start <= span.end
        if span.start_time is not None and span.end_time is not None:
            assert span.until is not None
            assert span.start_time < span.until
    if span.start_time is not None:
        assert span.precision.of_day
        assert span.start_time.date() == span.start
    if span.end_time is not None:
        assert span.end_grain.of_day
        assert span.end_time.date() == span.end
    dates = (cm.Precision.MONTH, cm.Precision.YEAR)
    if span.start is not None and span.precision in dates:
        assert span.start.day == 1
        assert span.precision is cm.Precision.MONTH or span.start.month == 1
    if span.end is not None and span.end_grain in dates:
        assert (span.end + datetime.timedelta(days=1)).day == 1
        assert span.end_grain is cm.Precision.MONTH or span.end.month == 12
    assert span.end_precision is not span.precision


@given(time_spans())
def test_text_round_trip(span: cm.TimeSpan) -> None:
    assert cm.when(str(span)) == span
    assert repr(span) == f"when({str(span)!r})"


@given(time_spans(), time_spans())
def test_relation_is_consistent_with_meets_and_contains(a: cm.TimeSpan, b: cm.TimeSpan) -> None:
    relation = a.relation_to(b)
    assert (relation is cm.SpanRelation.INSIDE) == b.contains(a)
    if relation is cm.SpanRelation.INSIDE:
        assert a.meets(b)
    assert (relation is cm.SpanRelation.DISJOINT) == (not a.meets(b))
    assert a.meets(b) == b.meets(a)


@given(time_spans())
def test_a_span_contains_and_meets_itself(span: cm.TimeSpan) -> None:
    assert span.contains(span)
    assert span.meets(span)
    assert span.relation_to(span) is cm.SpanRelation.INSIDE


@given(time_spans(), time_spans(), time_spans())
def test_containment_is_transitive(a: cm.TimeSpan, b: cm.TimeSpan, c: cm.TimeSpan) -> None:
    if a.contains(b) and b.contains(c):
        assert a.contains(c)


@given(
    time_spans(open_ends=False), st.dates(datetime.date(1900, 1, 1), datetime.date(2100, 12, 31))
)
def test_contains_a_day_iff_the_day_lies_between_the_ends(
    span: cm.TimeSpan, day: datetime.date
) -> None:
    assert span.start is not None
    assert span.end is not None
    midnight, next_midnight = (
        datetime.datetime.combine(d, datetime.time())
        for d in (day, day + datetime.timedelta(days=1))
    )
    starts_by = (
        span.start <= day if span.start_time is None else span.start_time.naive() <= midnight
    )
    ends_after = day <= span.end if span.until is None else span.until.naive() >= next_midnight
    assert span.contains(cm.TimeSpan.day(day)) == (starts_by and ends_after)


@pytest.mark.parametrize(
    ("text", "start", "end", "precision"),
    [
        ("2020-02-06", (2020, 2, 6), (2020, 2, 6), cm.Precision.DAY),
        ("2019-12", (2019, 12, 1), (2019, 12, 31), cm.Precision.MONTH),
        ("2020-02", (2020, 2, 1), (2020, 2, 29), cm.Precision.MONTH),
        ("2019", (2019, 1, 1), (2019, 12, 31), cm.Precision.YEAR),
        ("2020-01-12/..", (2020, 1, 12), None, cm.Precision.DAY),
        ("../2016", None, (2016, 12, 31), cm.Precision.YEAR),
        ("2020-02-03/2020-02-06", (2020, 2, 3), (2020, 2, 6), cm.Precision.DAY),
        ("2011-03/2020-02", (2011, 3, 1), (2020, 2, 29), cm.Precision.MONTH),
        ("2019/2020-01-12", (2019, 1, 1), (2020, 1, 12), cm.Precision.YEAR),
    ],
)
def test_when_reads_the_forms_reports_use(
    text: str,
    start: tuple[int, int, int] | None,
    end: tuple[int, int, int] | None,
    precision: cm.Precision,
) -> None:
    span = cm.when(text)
    assert span.start == (None if start is None else pendulum.Date(*start))
    assert span.end == (None if end is None else pendulum.Date(*end))
    assert span.precision is precision


def test_a_range_of_mixed_precision_keeps_each_ends_precision() -> None:
    mixed = cm.when("2019/2020-01-12")
    assert str(mixed) == "2019/2020-01-12"
    assert (mixed.precision, mixed.end_precision) == (cm.Precision.YEAR, cm.Precision.DAY)
    assert mixed != cm.when("2019-01-01/2020-01-12")
    assert mixed.relation_to(cm.when("2019-01-01/2020-01-12")) is cm.SpanRelation.INSIDE


def test_an_end_precision_equal_to_the_start_is_no_end_precision() -> None:
    span = cm.TimeSpan(cm.when("2019").start, cm.when("2020").end, "year", "year")
    assert span.end_precision is None
    assert span == cm.when("2019/2020")
    with pytest.raises(cm.ValidationError, match="does not end a month"):
        cm.TimeSpan(cm.when("2019").start, cm.when("2020-02-06").end, "year", "month")


def test_relations_of_the_seed_spans() -> None:
    ceasefire = cm.when("2020-01-12/..")
    assert cm.when("2020-02-06").relation_to(ceasefire) is cm.SpanRelation.INSIDE
    assert cm.when("2019-12/..").relation_to(ceasefire) is cm.SpanRelation.OVERLAPS
    assert cm.when("2019").relation_to(ceasefire) is cm.SpanRelation.DISJOINT
    assert cm.when("2020-01").relation_to(ceasefire) is cm.SpanRelation.OVERLAPS


def test_python_dates_are_accepted() -> None:
    span = cm.TimeSpan(datetime.date(2020, 2, 3), datetime.datetime(2020, 2, 6, 12, 30))
    assert span == cm.when("2020-02-03/2020-02-06")
    assert cm.TimeSpan.day(datetime.date(2020, 2, 6)) == cm.when("2020-02-06")


@given(st.text(max_size=30))
def test_when_reads_any_text_or_refuses_it_with_a_validation_error(text: str) -> None:
    message = ""
    try:
        span = cm.when(text)
    except cm.ValidationError as error:
        message = str(error)
    if message:
        assert f"cannot read {text!r} as a time span" in message
    else:
        assert str(cm.when(str(span))) == str(span)


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2020-02-06/2020-01-01", "the end is before the start"),
        ("yesterday", "expected YYYY, YYYY-MM or YYYY-MM-DD"),
        ("", "expected YYYY"),
        ("2020-13", "month must be in 1..12"),
        ("2020-02-30", "day is out of range for month"),
        ("0000", "year 0 is out of range"),
        ("2020/2021/2022", "more than one '/'"),
        ("..", "expected YYYY"),
    ],
)
def test_when_refuses_bad_text_saying_why(text: str, reason: str) -> None:
    with pytest.raises(cm.ValidationError) as raised:
        cm.when(text)
    assert f"cannot read {text!r} as a time span" in str(raised.value)
    assert reason in str(raised.value)


@pytest.mark.parametrize("value", [2020, None, b"2020"])
def test_when_refuses_what_is_not_text(value: object) -> None:
    with pytest.raises(cm.ValidationError, match=r"when\(\) expects text"):
        cm.when(value)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("start", "end", "precision", "message"),
    [
        ((2020, 2, 6), (2020, 1, 6), "day", "TimeSpan.end: 2020-01-06 is before start 2020-02-06"),
        ((2020, 2, 6), None, "month", "TimeSpan.start: 2020-02-06 does not begin a month"),
        (None, (2020, 2, 6), "year", "TimeSpan.end: 2020-02-06 does not end a year"),
        (None, None, "week", "TimeSpan.precision: 'week' is not a valid Precision; expected"),
    ],
)
def test_timespan_refuses_inconsistent_parts(
    start: tuple[int, int, int] | None,
    end: tuple[int, int, int] | None,
    precision: str,
    message: str,
) -> None:
    with pytest.raises(cm.ValidationError) as raised:
        cm.TimeSpan(
            None if start is None else datetime.date(*start),
            None if end is None else datetime.date(*end),
            precision,
        )
    assert message in str(raised.value)


@pytest.mark.parametrize("value", ["2020-01-01", 20200101, 2020.0])
def test_timespan_refuses_ends_that_are_not_dates(value: object) -> None:
    with pytest.raises(cm.ValidationError, match=r"TimeSpan\.start: expected a date or None"):
        cm.TimeSpan(value, None)  # type: ignore[arg-type]


@pytest.mark.parametrize("method", ["meets", "contains", "relation_to"])
@pytest.mark.parametrize("other", ["2020", None, datetime.date(2020, 1, 1)])
def test_comparisons_refuse_what_is_not_a_span(method: str, other: object) -> None:
    with pytest.raises(cm.ValidationError, match=rf"TimeSpan.{method}\(\) takes a TimeSpan"):
        getattr(cm.when("2020"), method)(other)


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("10 October 2020", "2020-10-10"),
        ("October 10, 2020", "2020-10-10"),
        ("Oct 2020", "2020-10"),
        ("december 2019/6 February 2020", "2019-12/2020-02-06"),
        ("10 Oct 2020/..", "2020-10-10/.."),
    ],
)
def test_when_reads_dates_in_words_at_the_precision_they_give(text: str, iso: str) -> None:
    assert cm.when(text) == cm.when(iso)


@pytest.mark.parametrize("text", ["October", "10 October", "sometime", "10 October 2020 12:00"])
def test_when_refuses_words_that_give_no_year_or_a_time_of_day(text: str) -> None:
    with pytest.raises(cm.ValidationError, match="cannot read"):
        cm.when(text)


def test_when_takes_a_date_as_its_day_and_a_datetime_with_a_zone_as_its_minute() -> None:
    assert cm.when(datetime.date(2020, 2, 6)) == cm.when("2020-02-06")
    moscow = datetime.timezone(datetime.timedelta(hours=3))
    assert cm.when(datetime.datetime(2020, 10, 10, 12, tzinfo=moscow)) == cm.when(
        "2020-10-10T12:00+03:00"
    )
    assert str(cm.when(datetime.datetime(2020, 10, 10, 12, 0, 30, tzinfo=moscow))) == (
        "2020-10-10T12:00:30+03:00"
    )
    assert str(cm.when(pendulum.datetime(2020, 10, 10, 12, tz="Asia/Baku"))) == (
        "2020-10-10T12:00+04:00[Asia/Baku]"
    )


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (datetime.datetime(2020, 2, 6, 23, 59), "needs a time zone"),
        (datetime.datetime(2020, 2, 6, 23, 59, 1, 5, tzinfo=datetime.UTC), "fraction"),
    ],
)
def test_when_refuses_a_naive_datetime_or_a_fraction_of_a_second(
    value: datetime.datetime, reason: str
) -> None:
    with pytest.raises(cm.ValidationError, match=reason):
        cm.when(value)
