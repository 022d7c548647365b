"""Invariants of the queries on generated datasets."""

from __future__ import annotations

import datetime
import random

from hypothesis import assume, given, settings
from hypothesis import strategies as st
from tests.queries.strategies import conflicts
from tests.queries.world import CEASEFIRE

import conflictmodel as cm
from conflictmodel import testing

ZERO = cm.Estimate.zero()


def everything(ds: cm.Dataset, according_to: str | None = None) -> tuple[object, ...]:
    table = cm.casualties_by_actor(ds, according_to=according_to)
    return (
        cm.ceasefire_violations(ds, according_to=according_to),
        table,
        table.injured,
        table.by_event,
        cm.disputes(ds),
        [cm.control_timeline(ds, place) for place in sorted(ds.locations)],
    )


@given(conflicts(), st.randoms(use_true_random=False))
def test_results_do_not_depend_on_the_order_of_the_records(
    ds: cm.Dataset, shuffler: random.Random
) -> None:
    records = list(ds.records())
    shuffler.shuffle(records)
    assert everything(cm.Dataset(records)) == everything(ds)


def test_the_seeds_violations_name_their_parts_alike_in_any_order() -> None:
    seed = cm.examples.idlib_2020()
    violations = cm.ceasefire_violations(cm.Dataset(reversed(list(seed.records()))))
    assert violations == cm.ceasefire_violations(seed)
    assert any(len(violation.parts) > 1 for violation in violations)


@settings(max_examples=30)
@given(testing.datasets(max_events=8, max_claims=8))
def test_generated_datasets_answer_the_same_in_any_order(ds: cm.Dataset) -> None:
    assert everything(cm.Dataset(reversed(list(ds.records())))) == everything(ds)


@settings(max_examples=30)
@given(testing.datasets(max_events=8, max_claims=8))
def test_a_claimant_without_claims_sees_the_default_view(ds: cm.Dataset) -> None:
    silent = _silent(ds)
    assume(silent)
    assert everything(ds, according_to=silent[0]) == everything(ds)


@given(conflicts())
def test_a_claimant_without_claims_sees_the_default_view_in_the_world(ds: cm.Dataset) -> None:
    silent = _silent(ds)
    assume(silent)
    assert everything(ds, according_to=silent[0]) == everything(ds)


def _silent(ds: cm.Dataset) -> list[str]:
    """Actors who made no claim, nor did any of their parts."""
    return [
        actor
        for actor in ds.actors
        if not any(ds.claims_by(a) for a in (actor, *ds.actor_descendants(actor)))
    ]


def _unrelated(ds: cm.Dataset, count: int) -> list[cm.Record]:
    records: list[cm.Record] = [
        cm.Actor(id="x-a", name="X A", kind="rebel_group"),
        cm.Actor(id="x-b", name="X B", kind="militia", part_of="x-a"),
        cm.Location(id="x-land", name="X Land", kind="country"),
    ]
    for index in range(count):
        event = f"x-e{index}"
        records.append(
            cm.Engagement(
                id=event,
                when="2021-04",
                where="x-land",
                kind="attack",
                initiators=["x-b"],
                targets=["x-a"],
                casualties=[cm.Casualties("x-a", killed=1)],
            )
        )
        statement = cm.Attribution(event, ["x-a"]) if index % 2 else cm.Occurred(event)
        records.append(cm.Claim(id=f"x-c{index}", claimant="x-a", statement=statement))
    return records


@given(conflicts(), st.integers(1, 4))
def test_unrelated_records_do_not_change_the_violations(ds: cm.Dataset, count: int) -> None:
    bigger = ds.with_records(_unrelated(ds, count))
    assert cm.ceasefire_violations(bigger, CEASEFIRE) == cm.ceasefire_violations(ds, CEASEFIRE)


@given(conflicts())
def test_no_violation_lies_outside_the_effective_span_or_the_scope(ds: cm.Dataset) -> None:
    truce = ds.agreements[CEASEFIRE]
    for violation in cm.ceasefire_violations(ds, CEASEFIRE):
        if violation.event is None:
            continue
        event = ds.events[violation.event]
        assert event.when.meets(truce.effective)
        assert event.where is not None
        placed = {ds.placement(event.id, place) for place in truce.scope}
        assert placed != {cm.Placement.OUTSIDE}
        inside = event.when.relation_to(truce.effective) is cm.SpanRelation.INSIDE
        surely_placed = cm.Placement.INSIDE in placed
        assert (violation.certainty is cm.Certainty.DEFINITE) == (inside and surely_placed)
        assert isinstance(event, cm.Engagement)
        assert event.kind.is_hostile
        assert violation.parties
        assert violation.violator is None or violation.parties == (violation.violator,)
        for party in violation.parties:
            assert ds.is_part_of(party, "north") or ds.is_part_of(party, "south")


@given(conflicts())
def test_observed_violations_are_kept_in_every_view_that_does_not_deny_them(
    ds: cm.Dataset,
) -> None:
    default = {(v.violator, v.event) for v in cm.ceasefire_violations(ds) if v.observed}
    for claimant in ("monitor", "outsider"):
        seen = {(v.violator, v.event) for v in cm.ceasefire_violations(ds, according_to=claimant)}
        denied = {
            (v.violator, v.event) for v in cm.ceasefire_violations(ds) if claimant in v.denied_by
        }
        attributed = {
            c.statement.event
            for c in ds.claims_by(claimant)
            if isinstance(c.statement, cm.Attribution)
        } | {
            part
            for c in ds.claims_by(claimant)
            if isinstance(c.statement, cm.Violated) and c.stance is cm.Stance.ASSERTS
            for named in c.statement.events
            for part in (named, *ds.event_parts(named))
        }
        assert {k for k in default - denied if k[1] not in attributed} <= seen


def _sums(table: cm.CasualtyTable, measure: str) -> dict[str | None, cm.Estimate]:
    keys = {k for k in [*table, *table.injured]}
    sums = {
        key: cm.total(f.estimate for f in table.figures(key) if f.measure == measure)
        for key in keys
    }
    return {k: v for k, v in sums.items() if any(f.measure == measure for f in table.figures(k))}


@given(conflicts(), st.booleans())
def test_totals_are_exact_sums_of_the_per_event_figures(ds: cm.Dataset, roll_up: bool) -> None:
    table = cm.casualties_by_actor(ds, roll_up=roll_up)
    assert dict(table) == _sums(table, "killed")
    assert dict(table.injured) == _sums(table, "injured")
    listed = [f for figures in table.by_event.values() for f in figures]
    assert sorted(map(repr, listed)) == sorted(
        repr(f) for key in {*table, *table.injured} for f in table.figures(key)
    )
    assert not any(isinstance(ds.events[e], cm.Toll) for e in table.by_event)


@given(conflicts(), st.sampled_from([None, "north", "south", "monitor"]))
def test_roll_up_totals_are_the_sums_of_their_members(ds: cm.Dataset, view: str | None) -> None:
    plain = cm.casualties_by_actor(ds, according_to=view)
    rolled = cm.casualties_by_actor(ds, according_to=view, roll_up=True)
    tops: dict[str | None, list[cm.Estimate]] = {}
    for actor, estimate in plain.items():
        tops.setdefault(None if actor is None else ds.top_actor(actor), []).append(estimate)
    assert dict(rolled) == {top: cm.total(members) for top, members in tops.items()}


@given(conflicts(), st.dates(datetime.date(2020, 1, 1), datetime.date(2022, 12, 30)))
def test_totals_over_a_partition_of_the_period_add_up(ds: cm.Dataset, cut: datetime.date) -> None:
    whole = cm.TimeSpan(datetime.date(2020, 1, 1), datetime.date(2022, 12, 31))
    first = cm.TimeSpan(whole.start, cut)
    second = cm.TimeSpan(cut + datetime.timedelta(days=1), whole.end)
    tables = [cm.casualties_by_actor(ds, period=span) for span in (whole, first, second)]
    total, before, after = tables
    straddling = before.by_event.keys() & after.by_event.keys()
    assert before.by_event.keys() | after.by_event.keys() == total.by_event.keys()
    for key in {*total, *before, *after}:
        twice = cm.total(
            f.estimate
            for event in straddling
            for f in before.by_event[event]
            if f.actor == key and f.measure == "killed"
        )
        assert before.get(key, ZERO) + after.get(key, ZERO) == total.get(key, ZERO) + twice


NORTH_SIDE = ["north", "north-army", "north-brigade"]
SOUTH_SIDE = ["south", "south-army"]


@st.composite
def successive_truces(draw: st.DrawFn) -> list[cm.Agreement]:
    """One to four truces over 2022, each perhaps superseding one drawn before it."""
    truces: list[cm.Agreement] = []
    for index in range(draw(st.integers(1, 4))):
        start = draw(st.dates(datetime.date(2022, 1, 1), datetime.date(2022, 12, 31)))
        earlier = [t.id for t in truces]
        truces.append(
            cm.Agreement(
                id=f"t{index}",
                name=f"Truce {index}",
                kind="truce",
                signed=None,
                effective=cm.TimeSpan(start, None),
                signatories=["north", "south"],
                sides=[["north"], ["south"]],
                scope=draw(st.sampled_from([(), ("province",)])),
                supersedes=draw(st.lists(st.sampled_from(earlier), max_size=1)) if earlier else (),
            )
        )
    return truces


@given(
    conflicts(),
    successive_truces(),
    st.dates(datetime.date(2021, 12, 1), datetime.date(2023, 1, 31)),
    st.sampled_from(NORTH_SIDE),
    st.sampled_from(SOUTH_SIDE),
)
def test_a_clash_between_bound_opposing_parties_is_one_violation_per_agreement_in_force(
    ds: cm.Dataset, truces: list[cm.Agreement], day: datetime.date, north: str, south: str
) -> None:
    fight = cm.Engagement(
        id="fight",
        when=cm.TimeSpan.day(day),
        where="town",
        kind="armed_clash",
        initiators=[],
        targets=[north, south],
    )
    ds = ds.with_records([*truces, fight])
    in_force = {t.id for t in truces if (span := cm.in_force(ds, t)) and span.meets(fight.when)}
    superseded = {old for t in truces if t.id in in_force for old in t.supersedes}
    found = [v for v in cm.ceasefire_violations(ds) if v.event == "fight"]
    assert sorted(v.agreement for v in found) == sorted(in_force - superseded)
    assert all(v.violator is None and v.parties == tuple(sorted((north, south))) for v in found)
    assert all(v.certainty is cm.Certainty.DEFINITE for v in found)


@given(conflicts(), successive_truces())
def test_no_event_violates_two_agreements_where_one_supersedes_the_other(
    ds: cm.Dataset, truces: list[cm.Agreement]
) -> None:
    ds = ds.with_records(truces)
    agreements = {v.event: set[str]() for v in cm.ceasefire_violations(ds)}
    for violation in cm.ceasefire_violations(ds):
        agreements[violation.event].add(violation.agreement)
    for event, broken in agreements.items():
        if event is None:
            continue
        for agreement in broken:
            assert not broken & set(ds.agreements[agreement].supersedes)
