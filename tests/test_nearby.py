"""Events near a place: the index finds exactly what measuring every event finds."""

from __future__ import annotations

import time

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.io.ucdp_files import GED191_SAMPLE

import conflictmodel as cm
from conflictmodel import testing
from conflictmodel.io.ucdp import read_ged
from conflictmodel.places import placed_at_point


def _measured(ds: cm.Dataset, centre: cm.Point, km: float) -> set[str]:
    found = set()
    for event in ds.events.values():
        place = ds.locations[event.where] if event.where is not None else None
        if place is None or place.point is None:
            continue
        if cm.distance_km(centre, place.point) <= km:
            found.add(event.id)
    return found


@given(
    testing.datasets(max_events=10),
    st.floats(-90, 90),
    st.floats(-180, 180),
    st.floats(0, 25_000),
)
def test_index_agrees_with_measuring_every_event(
    ds: cm.Dataset, lat: float, lon: float, km: float
) -> None:
    centre = cm.Point(lat, lon)
    found = ds.events_near(centre, km, coarse=True)
    assert {e.id for e in found} == _measured(ds, centre, km)
    assert [e.when.sort_key for e in found] == sorted(e.when.sort_key for e in found)
    placed = [e for e in found if placed_at_point(e.where_precision)]
    assert ds.events_near(centre, km) == placed


def test_ucdp_events_near_a_town_by_period() -> None:
    ds = read_ged(GED191_SAMPLE, progress=False).dataset
    where = ds.events["ucdp-ged-215936"].where
    assert where is not None
    town = ds.locations[where]
    assert town.point is not None
    near = ds.events_near(town.name, 30, period="2016", coarse=True)
    assert {e.id for e in near} == {
        e.id
        for e in ds.events.values()
        if e.id in _measured(ds, town.point, 30) and e.when.meets(cm.when("2016"))
    }
    assert {"ucdp-ged-215936", "ucdp-ged-313671"} <= {e.id for e in near}
    assert ds.events["ucdp-ged-313671"].where_precision is cm.PlacePrecision.REGION
    placed = ds.events_near(town.name, 30, period="2016")
    assert {e.id for e in near} - {e.id for e in placed} == {
        e.id for e in near if e.where_precision is not None and e.where_precision.rank > 2
    }
    assert "ucdp-ged-313671" not in {e.id for e in placed}
    started = time.perf_counter()
    for _ in range(100):
        ds.events_near((town.point.lat, town.point.lon), 50)
    assert time.perf_counter() - started < 2


def test_bad_places_and_distances_are_named() -> None:
    ds = cm.examples.idlib_2020()
    with pytest.raises(cm.UnknownNameError, match="Atlantis"):
        ds.events_near("Atlantis", 10)
    with pytest.raises(cm.ValidationError, match="km"):
        ds.events_near("Saraqeb", -1)
    with pytest.raises(cm.ValidationError, match="km"):
        ds.events_near("Saraqeb", float("nan"))
    nowhere = ds.with_records([cm.Location(id="nowhere", name="Nowhere", kind="area")])
    with pytest.raises(cm.ValidationError, match="no point"):
        nowhere.events_near("Nowhere", 10)
