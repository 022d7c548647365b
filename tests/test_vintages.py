"""Vintages: records dated, edited and withdrawn; the dataset as known at a moment."""

from __future__ import annotations

import datetime
import functools
from pathlib import Path

import attrs
import orjson
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.examples import share
from tests.io.ucdp_files import real_data

import conflictmodel as cm
from conflictmodel import testing
from conflictmodel.io.ucdp import read_ged
from conflictmodel.testing.datasets import MOMENTS
from conflictmodel.vintages import RecordKey, known_from, to_moment

half = share(1 / 2)
"""Datasets with histories are slow to draw: half the profile's examples."""

DAY = datetime.timedelta(days=1)


def _moments(ds: cm.Dataset) -> list[datetime.datetime]:
    """Every moment the history names, and the made day of each undated claim or assessment."""
    found = [
        moment
        for listed in ds.history.values()
        for version in listed
        for moment in (version.recorded, version.until)
        if moment is not None
    ]
    for record in ds.records():
        made = getattr(record, "made", None)
        day = made and (made.end or made.start)
        if day is not None and (record.collection, record.id) not in ds.history:
            found.append(to_moment(datetime.date(day.year, day.month, day.day)))
    return found


def _after_everything(ds: cm.Dataset) -> datetime.datetime:
    return max(_moments(ds), default=to_moment("2000-01-01")) + DAY


@half
@given(testing.histories())
def test_as_of_after_everything_is_the_dataset(ds: cm.Dataset) -> None:
    known = ds.as_of(_after_everything(ds))
    assert known == ds
    assert cm.casualties_by_actor(known) == cm.casualties_by_actor(ds)
    assert cm.ceasefire_violations(known) == cm.ceasefire_violations(ds)
    everywhen = cm.when("../..")
    assert known.events_during(everywhen) == ds.events_during(everywhen)


@half
@given(testing.histories())
def test_as_of_before_everything_is_empty(ds: cm.Dataset) -> None:
    first = min(_moments(ds), default=to_moment("2030-12-31"))
    before = ds.as_of(first - datetime.timedelta(microseconds=1))
    assert len(before) == 0
    assert not before.history
    undated = [r for r in ds.records() if (r.collection, r.id) not in ds.history]
    assert all(getattr(r, "made", None) for r in undated)


@half
@given(testing.histories())
def test_the_history_round_trips(tmp_path_factory: pytest.TempPathFactory, ds: cm.Dataset) -> None:
    assert cm.loads(cm.dumps(ds)) == ds
    path = tmp_path_factory.mktemp("history") / "dataset.jsonl"
    cm.dump(ds, path)
    assert cm.load(path) == ds


def _current(ds: cm.Dataset, key: RecordKey, moment: datetime.datetime) -> cm.Record | None:
    return next(
        (v.record for v in ds.versions(*key) if v.known_at(moment) and key in ds.history), None
    )


@half
@given(testing.histories(), MOMENTS, MOMENTS)
def test_diff_between_two_moments_lists_the_edits_between_them(
    ds: cm.Dataset, first: datetime.datetime, second: datetime.datetime
) -> None:
    early, late = sorted([first, second])
    old, new = ds.as_of(early), ds.as_of(late)
    changes = cm.diff(old, new)
    for key, change in changes.changed.items():
        assert change.old == _current(ds, key, early)
        assert change.new == _current(ds, key, late)
        assert any(v.recorded is not None and early < v.recorded <= late for v in ds.versions(*key))
    olds = {(r.collection, r.id): r for r in old.records()}
    for record in new.records():
        key = (record.collection, record.id)
        if key in olds and olds[key] != record:
            assert key in changes.changed
    assert changes.apply(old) == cm.Dataset(new.records())


@half
@given(testing.histories(), MOMENTS)
def test_as_of_holds_the_versions_current_then(ds: cm.Dataset, moment: datetime.datetime) -> None:
    known = ds.as_of(moment)
    for record in known.records():
        key = (record.collection, record.id)
        if key in ds.history:
            assert record == _current(ds, key, moment)
    for key, listed in ds.history.items():
        if listed[-1].withdrawn and listed[-1].until is not None and listed[-1].until <= moment:
            assert key[1] not in getattr(known, key[0])


# Examples ----------------------------------------------------------------------------------

ATTACK = cm.Engagement(
    id="attack", when="2020-02-03", kind="attack", initiators=["syria"], targets=["turkey"]
)
REVISED = cm.Engagement(
    id="attack",
    when="2020-02-03",
    kind="attack",
    initiators=["syria"],
    targets=["turkey"],
    casualties=[cm.Casualties("turkey", killed=8)],
)
STATES = [cm.Actor(id=name, name=name.title(), kind="state") for name in ("syria", "turkey")]


def _edited() -> cm.Dataset:
    first = cm.Dataset(STATES).updated([ATTACK], recorded="2020-02-04", release="daily")
    return first.updated([REVISED], recorded="2020-02-10T08:00:00Z", release="weekly")


def test_an_edit_keeps_the_earlier_version() -> None:
    ds = _edited()
    versions = ds.versions("events", "attack")
    assert [v.release for v in versions] == ["daily", "weekly"]
    assert versions[0].until == versions[1].recorded == to_moment("2020-02-10T08:00:00Z")
    assert ds.as_of("2020-02-09").events["attack"] == ATTACK
    assert ds.as_of("2020-02-10").events["attack"] == REVISED
    assert ds.as_of(datetime.datetime(2020, 2, 10, 7, 59)).events["attack"] == ATTACK
    assert "attack" not in ds.as_of("2020-02-03").events
    assert set(ds.as_of("2020-02-03").actors) == {"syria", "turkey"}


def test_a_withdrawn_record_is_gone_after_its_withdrawal_only() -> None:
    ds = _edited().withdraw([("events", "attack")], at="2020-03-01")
    assert "attack" not in ds.events
    assert ds.history[("events", "attack")][-1].withdrawn
    assert ds.as_of("2020-02-28").events["attack"] == REVISED
    assert "attack" not in ds.as_of("2020-03-01").events
    assert cm.loads(cm.dumps(ds)) == ds


def test_a_claim_counts_from_its_made_day_and_leaves_with_its_subject() -> None:
    claim = cm.Claim(
        id="turkey-says",
        claimant="turkey",
        statement=cm.CasualtyFigure("attack", "turkey", killed=8),
        made="2020-02-05",
    )
    ds = _edited().with_records([claim])
    assert "turkey-says" not in ds.as_of("2020-02-04").claims
    assert "turkey-says" in ds.as_of("2020-02-05").claims
    early = cm.Claim(
        id="early", claimant="turkey", statement=cm.Occurred("attack"), made="2020-02-01"
    )
    assert "early" not in ds.with_records([early]).as_of("2020-02-02").claims


def test_a_broken_history_is_refused_naming_the_record() -> None:
    old = cm.Version(record=ATTACK, recorded="2020-02-04", until="2020-02-10")
    with pytest.raises(cm.DatasetError, match=r"event 'attack'.history: its current version is"):
        cm.Dataset(STATES, history=[cm.Version(record=ATTACK, recorded="2020-02-04")])
    with pytest.raises(cm.DatasetError, match="its last version ended"):
        cm.Dataset([*STATES, ATTACK], history=[old])
    with pytest.raises(cm.DatasetError, match="differs from the record held"):
        cm.Dataset([*STATES, REVISED], history=[cm.Version(record=ATTACK)])
    overlapping = cm.Version(record=REVISED, recorded="2020-02-09")
    with pytest.raises(cm.DatasetError, match="after the next was recorded"):
        cm.Dataset([*STATES, REVISED], history=[old, overlapping])
    with pytest.raises(cm.ValidationError, match=r"until: 2020-02-01T00:00:00\+00:00 is before"):
        cm.Version(record=ATTACK, recorded="2020-02-04", until="2020-02-01")
    with pytest.raises(cm.ValidationError, match="withdrawn needs an until"):
        cm.Version(record=ATTACK, withdrawn=True)
    with pytest.raises(cm.ValidationError, match="not an ISO date"):
        cm.Version(record=ATTACK, recorded="4 February")
    with pytest.raises(cm.ValidationError, match="needs a recorded date"):
        _edited().updated([ATTACK])
    with pytest.raises(cm.ValidationError, match="no such record"):
        _edited().withdraw([("events", "nothing")], at="2020-03-01")


@pytest.mark.parametrize(
    ("change", "words"),
    [
        ({"recorded": "2020-02-04"}, r"history\[0\].recorded: '2020-02-04' has no time zone"),
        ({"recorded": 5}, r"history\[0\].recorded: expected an ISO date and time"),
        ({"collection": "rumours"}, r"history\[0\].collection: expected one of actors"),
        ({"colour": "red"}, r"history\[0\]: unexpected fields \['colour'\]"),
        ({"record": {"type": "event", "id": "other", "when": "2020"}}, "holds event 'other'"),
        ({"id": "gone", "record": None}, "events has no record 'gone'"),
    ],
)
def test_a_bad_history_entry_is_reported_at_its_path(change: dict[str, object], words: str) -> None:
    document = orjson.loads(cm.dumps(_edited()))
    entry = document["history"][0]
    entry.update(change)
    if entry.get("record", "") is None:
        del entry["record"], entry["until"]
    with pytest.raises(cm.LoadError, match=words):
        cm.loads(orjson.dumps(document))


def test_json_lines_hold_the_history_after_the_records(tmp_path: Path) -> None:
    path = tmp_path / "edited.jsonl"
    cm.dump(_edited(), path)
    lines = [orjson.loads(line) for line in path.read_bytes().splitlines()]
    assert [sorted(line) for line in lines[-2:]] == [["history"], ["history"]]
    assert lines[-2]["history"]["record"]["casualties"] == []
    assert [r.id for r in cm.iter_records(path)] == ["syria", "turkey", "attack"]


# Two real UCDP releases, combined --------------------------------------------------------------

GED191 = real_data() / "ged_syria_2016-2019.csv"
GED231 = real_data() / "ged231_sample_1000.csv"
needs_real_data = pytest.mark.skipif(
    not (GED191.exists() and GED231.exists()), reason="the real UCDP files are not beside the clone"
)


@functools.cache
def _releases() -> tuple[cm.Dataset, cm.Dataset, cm.Dataset]:
    old = read_ged(GED191, release="GED 19.1", released="2019-06-01").dataset
    new = read_ged(GED231, release="GED 23.1", released="2023-06-01").dataset
    return old, new, old.updated(new)


@needs_real_data
def test_between_two_releases_the_dataset_is_the_first() -> None:
    old, new, combined = _releases()
    shared = old.events.keys() & new.events.keys()
    assert len(shared) == 42
    between = combined.as_of("2021-01-01")
    assert between == old
    assert {between.events[e] for e in shared} == {old.events[e] for e in shared}
    latest = combined.as_of("2024-01-01")
    assert latest == combined
    assert {latest.events[e] for e in shared} == {new.events[e] for e in shared}
    assert len(combined.as_of("2019-05-31")) == 0
    assert {v.release for e in shared for v in combined.versions("events", e)} == {
        "GED 19.1",
        "GED 23.1",
    }


@needs_real_data
def test_the_diff_between_two_moments_is_the_release_diff() -> None:
    old, new, combined = _releases()
    between = cm.diff(combined.as_of("2021-01-01"), combined.as_of("2024-01-01"))
    assert between == cm.diff(old, combined)
    revised = {key[1] for key in between.changed if key[0] == "events"}
    shared = old.events.keys() & new.events.keys()
    assert revised == {e for e in shared if old.events[e] != new.events[e]}
    assert len([r for r in between.added if r.collection == "events"]) == 1_000 - 42


@given(MOMENTS)
def test_dates_are_read_as_utc(moment: datetime.datetime) -> None:
    naive = moment.replace(tzinfo=None)
    assert to_moment(naive) == moment == to_moment(moment.isoformat())


def test_a_union_keeps_both_histories_and_refuses_differing_ones() -> None:
    edited = _edited()
    other = cm.Dataset(STATES).updated([cm.Event(id="other", when="2020")], recorded="2020-01-01")
    both = edited | other
    assert both.history.keys() == edited.history.keys() | other.history.keys()
    assert both.as_of("2020-02-09").events.keys() == {"attack", "other"}
    retold = cm.Dataset(STATES).updated([REVISED], recorded="2020-02-10T08:00:00Z")
    with pytest.raises(cm.DatasetError, match=r"event 'attack'.history: differs"):
        edited | retold


SEED_DAYS = ("2020-01-01", "2020-02-04", "2020-02-07")


def _every_query_takes(ds: cm.Dataset) -> None:
    """Run the queries over ``ds``: each takes it as it takes any dataset."""
    cm.casualties_by_actor(ds)
    cm.casualties_over_time(ds, "M")
    cm.casualty_matrix(ds)
    cm.ceasefire_violations(ds)
    list(cm.disputes(ds))
    for agreement in ds.agreements:
        span = cm.in_force(ds, agreement)
        if span is not None and span.start is not None:
            cm.violations_over_time(ds, agreement)
            cm.ceasefire_durability(ds, agreement)
    for place in ds.locations:
        cm.control_at(ds, place, "2020-03")


def test_the_seed_knows_nothing_of_an_event_before_the_report_of_it() -> None:
    """The seed records no dates: its events all rest on the report of 6 February, the
    agreement was signed on 12 January, the claims were made by 6 February."""
    ds = cm.examples.idlib_2020()
    known = {day: ds.as_of(day) for day in SEED_DAYS}
    for held in known.values():
        assert held.actors == ds.actors
        assert held.locations == ds.locations
        assert held == cm.Dataset(held.records())
        _every_query_takes(held)
    early, before, after = known.values()
    assert (len(early.events), len(early.agreements), len(early.claims)) == (0, 0, 0)
    assert set(early.sources) == {"sana"}
    assert (len(before.events), set(before.agreements), len(before.claims)) == (
        0,
        {"idlib-ceasefire-2020"},
        0,
    )
    assert not cm.ceasefire_violations(before, "idlib-ceasefire-2020")
    assert str(cm.control_at(before, "Saraqeb", "2020-03")) == "Saraqeb on 2020-03: unknown"
    assert after == ds == ds.as_of("2020-02-06")
    assert len(ds.as_of("2020-02-05")) == len(before)


def test_an_undated_event_of_an_undated_source_counts_from_its_start() -> None:
    ds = cm.examples.idlib_2020()
    report = ds.sources["report-2020-02-06"]
    undated = cm.Dataset(
        attrs.evolve(r, published=None) if r == report else r for r in ds.records()
    )
    assert set(undated.as_of("2020-01-01").events) == {
        "idlib-offensive",
        "syrian-war-displacement",
        "syrian-war-toll",
        "turkish-invasion-2019",
    }
    on_the_4th = undated.as_of("2020-02-04")
    assert set(on_the_4th.events) - set(undated.as_of("2020-01-01").events) == {
        "attack-2020-02-03",
        "retaliation-2020-02-03",
    }
    assert {v.event for v in cm.ceasefire_violations(on_the_4th)} >= {"attack-2020-02-03"}
    _every_query_takes(on_the_4th)
    assert undated.as_of("2020-02-06").events == undated.events


def test_the_earliest_moment_a_record_shows() -> None:
    ds = cm.examples.idlib_2020()
    day = functools.partial(to_moment, end_of_day=False)
    assert known_from(ds.events["attack-2020-02-03"]) == day("2020-02-03")
    assert known_from(ds.events["attack-2020-02-03"], ds.sources) == day("2020-02-06")
    assert known_from(ds.events["turkish-invasion-2019"], ds.sources) == day("2020-02-06")
    assert known_from(ds.sources["report-2020-02-06"]) == day("2020-02-06")
    assert known_from(ds.sources["sana"]) is None
    assert known_from(ds.agreements["idlib-ceasefire-2020"]) == day("2020-01-12")
    assert known_from(ds.claims["turkey-offensive-violates"]) == day("2020-02-06")
    assert known_from(ds.actors["syria"]) is None
    assert known_from(next(iter(ds.locations.values()))) is None
    unsigned = attrs.evolve(ds.agreements["idlib-ceasefire-2020"], signed=None)
    assert known_from(unsigned) == day("2020-01-12")
    later = attrs.evolve(unsigned, effective="2020-03-05T12:00+03:00/..")
    assert known_from(later) == day("2020-03-05T09:00:00Z")
    early = cm.Source(id="early", title="Forecast", published="2020-01-20")
    late = cm.Source(id="late", title="Later report", published="2020-02-20")
    cited = attrs.evolve(ds.events["attack-2020-02-03"], sources=("early", "late"))
    assert known_from(cited, {"early": early, "late": late}) == day("2020-02-03")
    assert known_from(cited, {"late": late}) == day("2020-02-20")
    assert known_from(attrs.evolve(cited, when="../2020-02")) is None
    assert known_from(attrs.evolve(cited, when="../2020-02"), {"late": late}) == day("2020-02-20")


def test_a_recorded_date_wins_over_what_the_record_shows() -> None:
    """An event recorded before it began, or before its source was published, is known from
    its recorded date; an undated first version counts from its own dates, and ends when the
    next version is recorded."""
    ahead = cm.Event(id="ahead", when="2020-03")
    ds = cm.Dataset(STATES).updated([ahead], recorded="2020-02-01")
    assert "ahead" in ds.as_of("2020-02-01").events
    assert "ahead" not in ds.as_of("2020-01-31").events
    undated_first = cm.Dataset([*STATES, ATTACK]).updated([REVISED], recorded="2020-02-10")
    assert undated_first.versions("events", "attack")[0].recorded is None
    assert "attack" not in undated_first.as_of("2020-02-02").events
    assert undated_first.as_of("2020-02-03").events["attack"] == ATTACK
    assert undated_first.as_of("2020-02-10").events["attack"] == REVISED
    assert undated_first.as_of("2020-02-10").history == undated_first.history
    assert ("events", "attack") not in undated_first.as_of("2020-02-03").history
    assert not undated_first.as_of("2020-02-02").history
    late = cm.Event(id="late", when="2020-05")
    superseded = cm.Dataset([*STATES, late]).updated(
        [attrs.evolve(late, when="2020-04")], recorded="2020-04-15"
    )
    assert "late" not in superseded.as_of("2020-04-14").events
    assert str(superseded.as_of("2020-04-15").events["late"].when) == "2020-04"
    versions = superseded.as_of("2020-04-15").versions("events", "late")
    assert [v.record for v in versions] == [attrs.evolve(late, when="2020-04")]


def _begins(span: cm.TimeSpan | None) -> datetime.datetime | None:
    """The first instant of ``span``: its first time of day, or its first day at midnight UTC."""
    if span is None or span.start is None:
        return None
    if span.start_time is not None:
        moment = span.start_time.astimezone(datetime.UTC)
        return datetime.datetime.combine(moment.date(), moment.timetz())
    return datetime.datetime.combine(span.start, datetime.time(), datetime.UTC)


def _named_moments(ds: cm.Dataset) -> list[datetime.datetime]:
    """The first instants the events, agreements and sources of ``ds`` name."""
    spans = [
        *(e.when for e in ds.events.values()),
        *(a.signed or a.effective for a in ds.agreements.values()),
        *(s.published for s in ds.sources.values()),
    ]
    return [moment for span in spans if (moment := _begins(span)) is not None]


@half
@given(testing.datasets(), st.data())
def test_nothing_in_a_vintage_begins_after_it(ds: cm.Dataset, data: st.DataObject) -> None:
    """As of any moment, no event began, no agreement was signed (or, unsigned, took effect)
    and no source was published after it; the vintage is valid and every query takes it."""
    named = _named_moments(ds)
    nudge = st.sampled_from([datetime.timedelta(0), -datetime.timedelta(microseconds=1)])
    near = st.tuples(st.sampled_from(named), nudge).map(lambda pair: pair[0] + pair[1])
    near = near if named else st.nothing()
    anywhen = st.datetimes(
        datetime.datetime(1900, 1, 1),
        datetime.datetime(2100, 12, 31),
        timezones=st.just(datetime.UTC),
    )
    moment = data.draw(near | anywhen)
    known = ds.as_of(moment)
    for event in known.events.values():
        begins = _begins(event.when)
        assert begins is None or begins <= moment, event.id
        published = [_begins(ds.sources[s].published) for s in event.sources]
        assert all(p is None or p <= moment for p in published), event.id
    for agreement in known.agreements.values():
        begins = _begins(agreement.signed or agreement.effective)
        assert begins is None or begins <= moment, agreement.id
    for source in known.sources.values():
        begins = _begins(source.published)
        assert begins is None or begins <= moment, source.id
    undated = [r for r in ds.records() if known_from(r, ds.sources) is None]
    assert all((r.collection, r.id) in _keys(known) for r in undated if not _refers_out(r, known))
    assert known == cm.Dataset(known.records())
    made = [since for r in ds.records() if (since := known_from(r)) is not None]
    assert ds.as_of(max([*named, *made], default=moment) + DAY) == ds
    _every_query_takes(known)


def _keys(ds: cm.Dataset) -> set[RecordKey]:
    return {(r.collection, r.id) for r in ds.records()}


def _refers_out(record: cm.Record, known: cm.Dataset) -> bool:
    from conflictmodel.records import referenced_ids

    return any(key not in _keys(known) for key in referenced_ids(record))
