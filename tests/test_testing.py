"""The public strategies: what they cover, and records_of for types users add."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Callable

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.examples import share

import conflictmodel as cm
from conflictmodel import testing
from conflictmodel.examples import idlib_2020

fewer = share(1 / 3)
"""Whole datasets are slow to draw: a third of the profile's examples for each such test."""


@attrs.frozen(kw_only=True)
class Displacement(cm.Event):
    """A user's event type: people displaced, perhaps from one population."""

    displaced: cm.Estimate
    population: str | None = attrs.field(default=None, metadata=cm.refers_to("actors"))
    camps: tuple[str, ...] = attrs.field(default=(), metadata=cm.refers_to("locations"))


@attrs.frozen(kw_only=True)
class DroneStrike(cm.Engagement):
    """A user's engagement type with a field of its own."""

    operator_confirmed: bool = False


@attrs.frozen(kw_only=True)
class Opaque(cm.Event):
    payload: complex


def test_importing_the_library_does_not_import_hypothesis() -> None:
    code = "import sys, conflictmodel; print('hypothesis' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def _claims_of(kind: type[cm.Statement]) -> Callable[[cm.Dataset], bool]:
    return lambda ds: any(isinstance(c.statement, kind) for c in ds.claims.values())


FEATURES: dict[str, Callable[[cm.Dataset], bool]] = {
    "an actor part of another": lambda ds: any(a.part_of for a in ds.actors.values()),
    "a location within another": lambda ds: any(p.within for p in ds.locations.values()),
    "an event part of another": lambda ds: any(e.part_of for e in ds.events.values()),
    "a response": lambda ds: any(getattr(e, "responds_to", None) for e in ds.events.values()),
    "casualties": lambda ds: any(getattr(e, "casualties", ()) for e in ds.events.values()),
    "a capture": lambda ds: any(getattr(e, "captured", None) for e in ds.events.values()),
    "a toll": lambda ds: any(isinstance(e, cm.Toll) for e in ds.events.values()),
    "an extension": lambda ds: any(a.extends for a in ds.agreements.values()),
    "a relation": lambda ds: bool(ds.relations),
    "a denial": lambda ds: any(c.stance is cm.Stance.DENIES for c in ds.claims.values()),
    **{
        f"a claim of {kind.__name__}": _claims_of(kind)
        for kind in (cm.Occurred, cm.Attribution, cm.CasualtyFigure, cm.Violated, cm.Controls)
    },
}


def test_datasets_reach_every_feature() -> None:
    """In 100 datasets (whatever types other tests registered, which share the draws),
    every feature appears."""
    seen: set[str] = set()

    @settings(max_examples=max(100, settings().max_examples))
    @given(testing.datasets())
    def collect(ds: cm.Dataset) -> None:
        seen.update(name for name, present in FEATURES.items() if present(ds))

    collect()
    assert sorted(set(FEATURES) - seen) == []


@fewer
@given(testing.datasets(min_events=2, max_events=3, max_actors=2, max_claims=1))
def test_datasets_respect_their_bounds(ds: cm.Dataset) -> None:
    assert 2 <= len(ds.events) <= 3
    assert len(ds.actors) <= 2
    assert len(ds.claims) <= 1


def test_dataset_bounds_are_checked() -> None:
    with pytest.raises(cm.ValidationError, match="min_events <= max_events"):
        testing.datasets(min_events=5, max_events=2)
    with pytest.raises(cm.ValidationError, match="min_year <= max_year"):
        testing.time_spans(min_year=2020, max_year=2019)


@given(testing.time_spans(min_year=2019, max_year=2020, open_ends=False))
def test_closed_spans_stay_within_their_years(span: cm.TimeSpan) -> None:
    assert span.start is not None
    assert span.end is not None
    assert span.start.year >= 2019
    assert span.end.year <= 2020


@given(testing.estimates(max_value=50, open_high=False))
def test_closed_estimates_stay_under_their_bound(estimate: cm.Estimate) -> None:
    assert estimate.high is not None
    assert estimate.high <= 50


@given(testing.ids())
def test_ids_are_valid_record_ids(record_id: str) -> None:
    assert cm.Source(id=record_id, title="T").id == record_id


@fewer
@given(testing.actors(within=idlib_2020()), testing.claims(within=idlib_2020()))
def test_records_within_a_dataset_join_it(actor: cm.Actor, claim: cm.Claim) -> None:
    seed = idlib_2020()
    assert actor.part_of is None or actor.part_of in seed.actors
    fresh = attrs.evolve(actor, id="new-actor")
    joined = seed.with_records([fresh, attrs.evolve(claim, id="new-claim")])
    assert joined.actors["new-actor"] == fresh


@fewer
@given(testing.records_of(Displacement, within=idlib_2020()))
def test_records_of_fills_a_user_type_from_a_dataset(record: Displacement) -> None:
    seed = idlib_2020()
    assert isinstance(record.displaced, cm.Estimate)
    assert isinstance(record.when, cm.TimeSpan)
    assert record.population is None or record.population in seed.actors
    assert set(record.camps) <= set(seed.locations)
    if record.id not in seed.events:
        assert seed.with_records([record]).events[record.id] == record


@fewer
@given(testing.records_of(DroneStrike))
def test_records_of_keeps_the_rules_of_inherited_fields(strike: DroneStrike) -> None:
    actors = [entry.actor for entry in strike.casualties]
    assert len(actors) == len(set(actors))
    assert isinstance(strike.operator_confirmed, bool)
    assert isinstance(strike.kind, cm.EngagementKind)


@given(testing.records_of(Displacement, displaced=st.just(cm.Estimate.exact(7))))
def test_records_of_uses_the_strategies_given(record: Displacement) -> None:
    assert record.displaced == cm.Estimate.exact(7)


def test_records_of_asks_for_what_it_cannot_infer() -> None:
    with pytest.raises(cm.ValidationError) as raised:
        testing.records_of(Opaque)
    assert str(raised.value).startswith("records_of(Opaque).payload: cannot infer a strategy")
    assert "pass payload=<strategy>" in str(raised.value)


@given(testing.records_of(Opaque, payload=st.just(1j)))
def test_records_of_builds_what_it_cannot_infer_from_the_strategy_given(opaque: Opaque) -> None:
    assert opaque.payload == 1j


def test_records_of_refuses_unknown_fields_and_non_attrs_classes() -> None:
    with pytest.raises(cm.ValidationError, match=r"records_of\(Actor\): no field named 'colour'"):
        testing.actors(colour=st.just("red"))
    with pytest.raises(cm.ValidationError, match="records_of\\(\\) takes an attrs class"):
        testing.records_of(dict)
    with pytest.raises(cm.ValidationError, match="within= takes a Dataset"):
        testing.actors(within=[])  # type: ignore[arg-type]
