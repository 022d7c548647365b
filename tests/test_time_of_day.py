"""Times of day with their zones: exact comparisons, the truce rule, files and bad input."""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import orjson
import pendulum
import pytest
from hypothesis import given
from hypothesis import strategies as st

import conflictmodel as cm
from conflictmodel.io.schema import json_schema
from conflictmodel.testing import time_spans

OFFSETS = st.sampled_from([-12 * 60, -5 * 60, -210, 0, 180, 240, 330, 14 * 60]).map(
    lambda minutes: datetime.timezone(datetime.timedelta(minutes=minutes))
)
INSTANTS = st.datetimes(
    datetime.datetime(1990, 1, 1), datetime.datetime(2030, 12, 31), timezones=st.just(datetime.UTC)
).map(lambda moment: moment.replace(second=0, microsecond=0))


def minute_at(moment: datetime.datetime, zone: datetime.tzinfo) -> cm.TimeSpan:
    return cm.when(moment.astimezone(zone))


@given(INSTANTS, OFFSETS, OFFSETS)
def test_one_instant_in_two_offsets_is_inside_either_and_sorts_alike(
    moment: datetime.datetime, here: datetime.tzinfo, there: datetime.tzinfo
) -> None:
    a, b = minute_at(moment, here), minute_at(moment, there)
    assert a.relation_to(b) is cm.SpanRelation.INSIDE
    assert b.relation_to(a) is cm.SpanRelation.INSIDE
    assert a.sort_key == b.sort_key
    assert cm.when(str(a)) == a


@given(INSTANTS, INSTANTS, OFFSETS, OFFSETS)
def test_minutes_in_any_zones_compare_and_sort_as_their_instants(
    first: datetime.datetime,
    second: datetime.datetime,
    here: datetime.tzinfo,
    there: datetime.tzinfo,
) -> None:
    a, b = minute_at(first, here), minute_at(second, there)
    assert a.meets(b) == (first == second)
    assert (a.sort_key < b.sort_key) == (first < second)
    since = cm.when(f"{a}/..")
    expected = cm.SpanRelation.INSIDE if first <= second else cm.SpanRelation.DISJOINT
    assert b.relation_to(since) is expected


@given(time_spans(), time_spans())
def test_spans_with_times_read_back_and_compare_as_written(a: cm.TimeSpan, b: cm.TimeSpan) -> None:
    again = cm.when(str(a))
    assert again == a
    assert hash(again) == hash(a)
    assert again.relation_to(b) is a.relation_to(b)
    assert b.relation_to(again) is b.relation_to(a)


@given(time_spans(open_ends=False), INSTANTS, OFFSETS)
def test_a_span_contains_a_minute_iff_the_minute_lies_between_its_instants(
    span: cm.TimeSpan, moment: datetime.datetime, zone: datetime.tzinfo
) -> None:
    if span.start_time is None or span.end_time is None:
        return
    minute = minute_at(moment, zone)
    assert span.until is not None
    inside = span.start_time <= moment and moment + datetime.timedelta(minutes=1) <= span.until
    assert span.contains(minute) == inside


@pytest.mark.parametrize(
    ("text", "precision", "start", "instant"),
    [
        ("2020-10-10T12:00+03:00", cm.Precision.MINUTE, (2020, 10, 10), "2020-10-10T09:00:00Z"),
        ("2020-10-10T08:30Z", cm.Precision.MINUTE, (2020, 10, 10), "2020-10-10T08:30:00Z"),
        ("2020-10-10T02-05:00", cm.Precision.HOUR, (2020, 10, 10), "2020-10-10T07:00:00Z"),
        ("2020-10-10T23:59:30-0330", cm.Precision.SECOND, (2020, 10, 10), "2020-10-11T03:29:30Z"),
        (
            "2020-10-10T12:00[Europe/Moscow]",
            cm.Precision.MINUTE,
            (2020, 10, 10),
            "2020-10-10T09:00:00Z",
        ),
    ],
)
def test_when_reads_times_of_day_with_offsets_and_zones(
    text: str, precision: cm.Precision, start: tuple[int, int, int], instant: str
) -> None:
    span = cm.when(text)
    assert span.precision is precision
    assert span.start == span.end == pendulum.Date(*start)
    assert span.start_time is not None
    assert span.start_time == pendulum.parse(instant)


def test_a_range_keeps_each_ends_time_and_zone() -> None:
    span = cm.when("2020-10-10T12:00+04:00/2020-10-17T23:59+03:00[Europe/Moscow]")
    assert str(span) == "2020-10-10T12:00+04:00/2020-10-17T23:59+03:00[Europe/Moscow]"
    assert (span.precision, span.end_precision) == (cm.Precision.MINUTE, None)
    assert str(cm.when("2020-10-10T12:00+04:00/..")) == "2020-10-10T12:00+04:00/.."
    assert str(cm.when("2020-10/2020-10-26T08+04:00")) == "2020-10/2020-10-26T08+04:00"


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("2020-10-10T25:00Z", "hour must be in 0..23"),
        ("2020-10-10T12:61Z", "minute must be in 0..59"),
        ("2020-10-10T12:00", "a time of day needs its offset or zone"),
        ("2020-10-10T12:00+24:00", "offset +24:00 is not one of -18:00 to +18:00"),
        ("2020-10-10T12:00[Europe/Atlantis]", "unknown time zone 'Europe/Atlantis'"),
        ("2020-10-10T12:00+04:00[Europe/Moscow]", "+04:00 is not the offset of Europe/Moscow"),
        ("2020-03-29T02:30[Europe/Berlin]", "does not exist in Europe/Berlin"),
        ("2020-10-10T12:00+03:00/2020-10-10T08:00Z", "the end is before the start"),
        ("2020-10-11T01:00+03:00/2020-10-10T23:00-05:00", "falls on a day before start"),
        ("2020-10-10+03:00", "expected YYYY"),
        ("2020-10-10T12:00:00.5Z", "expected YYYY"),
    ],
)
def test_bad_times_are_refused_saying_why(text: str, reason: str) -> None:
    with pytest.raises(cm.ValidationError) as raised:
        cm.when(text)
    assert f"cannot read {text!r} as a time span" in str(raised.value)
    assert reason in str(raised.value)


def test_a_naive_datetime_is_refused_naming_the_record_and_field() -> None:
    def attack(at: datetime.date) -> cm.Engagement:
        return cm.Engagement(id="e", when=at, kind="attack", initiators=[], targets=[])

    with pytest.raises(cm.ValidationError, match=r"Engagement 'e'\.when: .*needs a time zone"):
        attack(datetime.datetime(2020, 10, 10, 2))
    moscow = datetime.timezone(datetime.timedelta(hours=3))
    assert str(attack(datetime.datetime(2020, 10, 10, 2, tzinfo=moscow)).when) == (
        "2020-10-10T02:00+03:00"
    )
    assert attack(datetime.date(2020, 10, 10)).when == cm.when("2020-10-10")


def test_a_timespan_refuses_times_that_disagree_with_its_days_or_grain() -> None:
    moment = pendulum.datetime(2020, 10, 10, 12, 30, tz="UTC")
    day = moment.date()
    with pytest.raises(cm.ValidationError, match="start at minute precision needs its time"):
        cm.TimeSpan(day, day, "minute")
    with pytest.raises(cm.ValidationError, match="is not on a whole hour"):
        cm.TimeSpan(day, day, "hour", None, moment, moment)
    with pytest.raises(cm.ValidationError, match="the start is at day precision"):
        cm.TimeSpan(day, day, "day", None, moment, moment)
    with pytest.raises(cm.ValidationError, match="is not the day of start_time"):
        cm.TimeSpan(day.add(days=1), day.add(days=1), "minute", None, moment, moment)
    naive = datetime.datetime(2020, 10, 10, 12, 30)
    with pytest.raises(cm.ValidationError, match="has no time zone"):
        cm.TimeSpan(day, day, "minute", None, naive, naive)
    assert cm.TimeSpan.at(moment) == cm.when("2020-10-10T12:30Z")


def test_a_date_against_a_time_is_read_in_the_times_zone() -> None:
    truce = cm.when("2020-10-10T12:00+03:00/..")
    assert cm.when("2020-10-10").relation_to(truce) is cm.SpanRelation.OVERLAPS
    assert cm.when("2020-10-11").relation_to(truce) is cm.SpanRelation.INSIDE
    assert cm.when("2020-10-09").relation_to(truce) is cm.SpanRelation.DISJOINT
    assert cm.when("2020-10").relation_to(truce) is cm.SpanRelation.OVERLAPS
    midnight = cm.when("2020-10-10T00:00+03:00/..")
    assert cm.when("2020-10-10").relation_to(midnight) is cm.SpanRelation.INSIDE
    assert cm.when("2020-10-09T23:59+03:00").relation_to(midnight) is cm.SpanRelation.DISJOINT


# The truce rule ---------------------------------------------------------------------------


def truce_dataset(*times: str) -> cm.Dataset:
    """A truce from 12:00 (UTC+3) on 10 October 2020 between two forces, and one clash
    initiated by the first at each of ``times``."""
    actors = [cm.Actor(id=i, name=i, kind="state_forces") for i in ("north", "south")]
    truce = cm.Agreement(
        id="truce",
        name="Truce",
        kind="truce",
        signed="2020-10-09",
        effective="2020-10-10T12:00+03:00/..",
        signatories=["north", "south"],
        sides=[["north"], ["south"]],
    )
    clashes = [
        cm.Engagement(
            id=f"clash-{n}", when=at, kind="shelling", initiators=["north"], targets=["south"]
        )
        for n, at in enumerate(times)
    ]
    return cm.Dataset([*actors, truce, *clashes])


@pytest.mark.parametrize(
    ("at", "certainty"),
    [
        ("2020-10-10T02:00+03:00", None),
        ("2020-10-10T11:59+03:00", None),
        ("2020-10-10T08:59Z", None),
        ("2020-10-10", cm.Certainty.POSSIBLE),
        ("2020-10-10T12+03:00", cm.Certainty.DEFINITE),
        ("2020-10-10T13:00+03:00", cm.Certainty.DEFINITE),
        ("2020-10-10T09:00Z", cm.Certainty.DEFINITE),
        ("2020-10-10T12:00+04:00", None),
        ("2020-10-10T12:00[Europe/Moscow]", cm.Certainty.DEFINITE),
        ("2020-10-11", cm.Certainty.DEFINITE),
        ("2020-10-10T11:00+03:00/2020-10-10T13:00+03:00", cm.Certainty.POSSIBLE),
    ],
)
def test_a_strike_violates_a_truce_that_starts_at_noon_only_after_noon(
    at: str, certainty: cm.Certainty | None
) -> None:
    found = list(cm.ceasefire_violations(truce_dataset(at)))
    assert [v.certainty for v in found] == ([] if certainty is None else [certainty])


def test_the_moscow_truce_of_10_october_starts_at_noon_moscow_time() -> None:
    ds = cm.examples.karabakh_2020()
    moscow = ds.agreements["moscow-truce-2020-10-10"]
    assert str(moscow.effective) == "2020-10-10T12:00+03:00/.."
    on_the_day = [
        v
        for v in cm.ceasefire_violations(ds, "moscow-truce-2020-10-10")
        if v.event == "front-clashes-2020-10-10" and v.observed
    ]
    assert [v.certainty for v in on_the_day] == [cm.Certainty.POSSIBLE]
    second = str(cm.in_force(ds, "moscow-truce-2020-10-10"))
    assert second == "2020-10-10T12:00+03:00/2020-10-17"


# Files ------------------------------------------------------------------------------------


def test_times_of_day_round_trip_through_json_and_validate_against_the_schema(
    tmp_path: Path,
) -> None:
    jsonschema = pytest.importorskip("jsonschema")
    ds = truce_dataset("2020-10-10T02:00+03:00", "2020-10-10T12+03:00[Europe/Moscow]")
    document: dict[str, Any] = orjson.loads(cm.dumps(ds))
    assert document["agreements"][0]["effective"] == "2020-10-10T12:00+03:00/.."
    jsonschema.validate(document, json_schema())
    for suffix in (".json", ".jsonl"):
        path = tmp_path / f"truce{suffix}"
        cm.dump(ds, path)
        assert cm.load(path) == ds


@pytest.mark.parametrize(
    ("when", "reason"),
    [
        ("2020-10-10T25:00Z", "hour must be in 0..23"),
        ("2020-10-10T02:00", "a time of day needs its offset or zone"),
    ],
)
def test_a_bad_time_in_a_file_names_the_record_and_field(
    tmp_path: Path, when: str, reason: str
) -> None:
    document: dict[str, Any] = orjson.loads(cm.dumps(truce_dataset("2020-10-10")))
    document["events"][0]["when"] = when
    path = tmp_path / "bad.json"
    path.write_bytes(orjson.dumps(document))
    with pytest.raises(cm.ConflictModelError) as raised:
        cm.load(path)
    message = str(raised.value)
    assert "events[0].when" in message
    assert "'clash-0'" in message
    assert reason in message
