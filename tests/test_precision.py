"""Place precision as data: the importers fill it and ``Dataset.placement`` answers with it."""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest
from tests.io.ucdp_files import ACLED_SAMPLE, GED191_SAMPLE, rows

import conflictmodel as cm
from conflictmodel.io.acled import read_acled
from conflictmodel.io.ucdp import read_ged

UCDP_CODES = {
    "1": "exact",
    "2": "near",
    "3": "district",
    "4": "region",
    "5": "wide_area",
    "6": "country",
    "7": "international",
}


def test_ucdp_where_prec_becomes_precision_and_stays_a_source_value() -> None:
    ds = read_ged(GED191_SAMPLE).dataset
    seen = set()
    for row in rows(GED191_SAMPLE):
        event = ds.events[f"ucdp-ged-{row['id']}"]
        assert event.where_precision == UCDP_CODES[row["where_prec"]]
        assert event.source_values["where_prec"] == row["where_prec"]
        seen.add(row["where_prec"])
    assert len(seen) > 1


def test_acled_geo_precision_becomes_precision() -> None:
    ds = read_acled(ACLED_SAMPLE).dataset
    codes = {"1": "exact", "2": "near", "3": "region"}
    checked = 0
    for row in rows(ACLED_SAMPLE):
        event = ds.events.get(f"acled-{row['event_id_cnty']}")
        if event is not None and row["geo_precision"]:
            assert event.where_precision == codes[row["geo_precision"]]
            assert event.source_values["geo_precision"] == row["geo_precision"]
            checked += 1
    assert checked >= 10


def test_unknown_precision_codes_are_refused_with_the_column(tmp_path: Path) -> None:
    text = ACLED_SAMPLE.read_text(encoding="utf-8").splitlines()
    header = text[0].split(",")
    column = header.index("geo_precision")
    cells = text[1].split(",")
    cells[column] = "9"
    (tmp_path / "bad.csv").write_text("\n".join([text[0], ",".join(cells)]) + "\n")
    report = read_acled(tmp_path / "bad.csv").report
    assert [r.reason for r in report.refused] == ["geo_precision: '9' is not 1, 2 or 3"]


@pytest.fixture(scope="module")
def idlib() -> cm.Dataset:
    return cm.examples.idlib_2020()


def _moved(ds: cm.Dataset, event_id: str, where: str, precision: str | None) -> cm.Dataset:
    event = ds.events[event_id]
    changed = attrs.evolve(event, where=where, where_precision=precision)
    return cm.Dataset(changed if r.id == event_id else r for r in ds.records())


def test_placement_is_inside_for_exact_places_and_possibly_for_coarse_ones(
    idlib: cm.Dataset,
) -> None:
    event = "saraqeb-capture-2020-02-06"
    assert idlib.placement(event, "idlib-governorate") is cm.Placement.INSIDE
    assert idlib.placement(event, "saraqeb") is cm.Placement.INSIDE
    coarse = _moved(idlib, event, "saraqeb", "region")
    assert coarse.placement(event, "syria") is cm.Placement.INSIDE
    assert coarse.placement(event, "idlib-governorate") is cm.Placement.INSIDE
    assert coarse.placement(event, "saraqeb") is cm.Placement.POSSIBLY
    at_province = _moved(idlib, event, "idlib-governorate", "region")
    assert at_province.placement(event, "saraqeb") is cm.Placement.POSSIBLY
    assert at_province.placement(event, "idlib-governorate") is cm.Placement.INSIDE
    assert at_province.placement(event, "damascus") is cm.Placement.OUTSIDE


def test_precision_radius_grows_with_rank() -> None:
    radii = [p.radius_km for p in cm.PlacePrecision]
    assert radii == sorted(radii)
    assert [p.rank for p in cm.PlacePrecision] == list(range(len(radii)))
