"""Each fast path against a plain reference on generated datasets.

The bulk structurer against the converter; the columnar casualty totals and violation
candidates against visiting every record; the columns' selections against the Dataset's
look-ups.
"""

from __future__ import annotations

import datetime
from typing import Any
from unittest import mock

from hypothesis import given, settings
from hypothesis import strategies as st
from tests.queries.strategies import CLAIMANTS, PLACES, conflicts

import conflictmodel as cm
from conflictmodel import columnar, testing
from conflictmodel._converter import converter
from conflictmodel.queries import _fast
from conflictmodel.queries.casualties import CasualtyTable, _figures_by_event
from conflictmodel.queries.perspective import Perspective
from conflictmodel.records import Record
from conflictmodel.timespans import TimeSpan

spans = testing.time_spans(min_year=2020, max_year=2022, open_ends=True)
any_dataset = st.one_of(conflicts(), testing.datasets(max_events=10))


def reference_totals(
    ds: cm.Dataset,
    according_to: str | None,
    period: TimeSpan | None,
    within: str | None,
    roll_up: bool,
) -> CasualtyTable:
    """The totals made from every event's figures, one event at a time."""
    view = Perspective(ds, according_to)
    key = (lambda a: None if a is None else ds.top_actor(a)) if roll_up else (lambda a: a)
    return CasualtyTable(_figures_by_event(ds, view, period, within), key)


@st.composite
def questions(draw: st.DrawFn) -> tuple[cm.Dataset, str | None, TimeSpan | None, str | None]:
    ds = draw(any_dataset)
    actors = sorted(ds.actors)
    claimant = draw(st.none() | st.sampled_from(actors)) if actors else None
    places = sorted(ds.locations)
    within = draw(st.none() | st.sampled_from(places)) if places else None
    return ds, claimant, draw(st.none() | spans), within


@given(questions(), st.booleans())
def test_columnar_casualty_totals_equal_the_event_by_event_sums(
    question: tuple[cm.Dataset, str | None, TimeSpan | None, str | None], roll_up: bool
) -> None:
    ds, claimant, period, within = question
    fast = cm.casualties_by_actor(
        ds, according_to=claimant, period=period, within=within, roll_up=roll_up
    )
    plain = reference_totals(ds, claimant, period, within, roll_up)
    assert dict(fast) == dict(plain)
    assert list(fast) == list(plain)
    assert dict(fast.injured) == dict(plain.injured)
    assert fast.by_event == plain.by_event
    assert [fast.figures(k) for k in fast] == [plain.figures(k) for k in plain]


def every_event_candidate(ds: cm.Dataset, agreement: cm.Agreement) -> list[cm.Event]:
    """Every event in the scope that meets the effective span, found by scanning all of them."""
    scope = agreement.scope
    return [
        event
        for event in ds.events.values()
        if event.when.meets(agreement.effective)
        and (
            not scope
            or (event.where is not None and any(ds.is_within(event.where, s) for s in scope))
        )
    ]


@given(any_dataset, st.sampled_from([None, *CLAIMANTS]), st.none() | spans)
def test_violations_from_the_candidates_equal_those_from_every_event(
    ds: cm.Dataset, claimant: str | None, period: TimeSpan | None
) -> None:
    according_to = claimant if claimant in ds.actors else None
    fast = cm.ceasefire_violations(ds, according_to=according_to, period=period)
    with mock.patch.object(_fast, "violation_candidates", every_event_candidate):
        plain = cm.ceasefire_violations(ds, according_to=according_to, period=period)
    assert fast == plain


@given(any_dataset, spans, st.sampled_from(PLACES))
def test_column_selections_equal_the_dataset_look_ups(
    ds: cm.Dataset, span: TimeSpan, place: str
) -> None:
    table = columnar.columns(ds)
    ids = table.event_ids
    assert ids == list(ds.events)
    meeting = {ids[i] for i, flag in enumerate(table.events_meeting(span)) if flag}
    assert meeting == {e.id for e in ds.events.values() if e.when.meets(span)}
    if place in ds.locations:
        inside = {ids[i] for i, flag in enumerate(table.events_within(ds, [place])) if flag}
        assert inside == {e.id for e in ds.events_within(place)}
    assert columnar.columns(ds) is table


# The bulk structurer -------------------------------------------------------------------------

JUNK: list[Any] = [
    None,
    "",
    " ",
    "x",
    "2020-13",
    "2020-02-30",
    0,
    -1,
    5,
    2.5,
    True,
    [],
    ["a", "a"],
    ["a", ""],
    [1],
    {},
    {"low": 1, "best": 2, "high": 3},
    {"low": 3, "best": 2, "high": 1},
    {"low": True, "best": 1, "high": 1},
    {"low": 1.0, "best": 1, "high": 1},
    {"low": 1, "best": 1},
    {"low": 1, "best": 1, "high": None, "x": 1},
    [{"actor": "a", "killed": None, "injured": None}],
    [{"actor": "a", "killed": {"low": 1, "best": 1, "high": 1}}] * 2,
    [{"actor": None, "killed": {"low": 1, "best": 1, "high": None}}],
    [{"killed": {"low": 1, "best": 1, "high": 1}}],
    {"type": "occurred", "event": "e"},
    {"type": "attribution", "event": "e", "perpetrators": []},
    {"type": "casualty_figure", "event": "e", "actor": None, "killed": None},
    {"type": "casualty_figure", "event": "e", "actor": None},
    {"type": "violated", "agreement": "g", "violators": ["a"], "events": ["e", "e"]},
    {"type": "controls", "location": "p", "actor": "a", "since": "2020-02"},
    {"type": "nonsense"},
    "denies",
    "attack",
    "engagement",
    "claim",
    "toll",
]


def outcome(value: object) -> Record | type[Exception]:
    try:
        record: Record = converter.structure(value, Record)
    except Exception as error:
        return type(error)
    return record


@st.composite
def json_records(draw: st.DrawFn) -> dict[str, Any]:
    """A valid engagement or claim as JSON, sometimes with a field changed, added or removed."""
    ds = draw(testing.datasets(max_events=4, max_claims=4))
    records = [r for r in ds.records() if isinstance(r, cm.Engagement | cm.Claim)]
    fallback = cm.Engagement(id="e", when="2020", kind="attack", initiators=[], targets=[])
    value: dict[str, Any] = converter.unstructure(draw(st.sampled_from(records or [fallback])))
    for _ in range(draw(st.integers(0, 2))):
        action = draw(st.sampled_from(["replace", "remove", "add", "nested"]))
        key = draw(st.sampled_from(sorted(value)))
        if action == "replace":
            value[key] = draw(st.sampled_from(JUNK))
        elif action == "remove":
            del value[key]
        elif action == "add":
            value[draw(st.sampled_from(["extra", "tag", "kind", "stance"]))] = "attack"
        elif isinstance(value[key], dict) and value[key]:
            inner = dict(value[key])
            inner[draw(st.sampled_from(sorted(inner)))] = draw(st.sampled_from(JUNK))
            value[key] = inner
    return value


@given(json_records())
def test_the_structurer_builds_what_the_converter_builds_or_leaves_it_to_it(
    value: dict[str, Any],
) -> None:
    fast = _bulk_structurer()(value)
    expected = outcome(value)
    if fast is not None:
        assert fast == expected
        assert type(fast) is type(expected)
        assert repr(fast) == repr(expected)


@given(testing.datasets(max_events=6, max_claims=6))
def test_the_structurer_takes_every_valid_engagement_and_claim(ds: cm.Dataset) -> None:
    structurer = _bulk_structurer()
    for record in ds.records():
        if isinstance(record, cm.Claim) or (
            type(record) is cm.Engagement and record.captured is None
        ):
            built = structurer(converter.unstructure(record))
            assert built == record
            assert type(built) is type(record)


def _bulk_structurer() -> Any:
    from conflictmodel.io._bulk import Structurer

    return Structurer()


def test_a_loaded_file_shares_equal_values_and_equals_the_dataset(tmp_path: Any) -> None:
    records: list[cm.Record] = [
        cm.Actor(id="a", name="A", kind="state"),
        cm.Actor(id="b", name="B", kind="state"),
    ]
    for index in range(3):
        records.append(
            cm.Engagement(
                id=f"e{index}",
                when="2020-02-03",
                kind="attack",
                initiators=["a"],
                targets=["b"],
                casualties=[cm.Casualties("b", killed=8)],
            )
        )
    ds = cm.Dataset(records)
    cm.dump(ds, tmp_path / "ds.jsonl")
    loaded = cm.load(tmp_path / "ds.jsonl")
    assert loaded == ds
    events = [e for e in loaded.events.values() if isinstance(e, cm.Engagement)]
    assert len({id(e.when) for e in events}) == 1
    assert len({id(e.casualties[0]) for e in events}) == 1


@settings(max_examples=5)
@given(st.dates(datetime.date(2000, 1, 1), datetime.date(2030, 1, 1)))
def test_day_numbers_order_like_dates(day: datetime.date) -> None:
    span = cm.TimeSpan.day(day)
    assert columnar.span_numbers(span) == (day.toordinal(), day.toordinal())
    unbounded = cm.TimeSpan(None, None)
    assert columnar.span_numbers(unbounded) == (columnar.OPEN_START, columnar.OPEN_END)
