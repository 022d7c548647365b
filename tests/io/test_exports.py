"""DataFrame, Arrow/Parquet, CSV and GeoJSON exports of datasets and query results."""

from __future__ import annotations

import csv
import sys
from pathlib import Path

import orjson
import pandas as pd
import pyarrow.parquet as pq
import pytest
from tests.io.ucdp_files import ACLED_SAMPLE, GED231_SAMPLE

import conflictmodel as cm
from conflictmodel.errors import MissingExtraError
from conflictmodel.io import _tables
from conflictmodel.io.acled import read_acled
from conflictmodel.io.csv_export import to_csv, unescape_formula
from conflictmodel.io.frames import (
    KINDS,
    casualties_frame,
    to_arrow,
    to_frame,
    to_parquet,
    violations_frame,
)
from conflictmodel.io.geojson import dumps_geojson, to_geojson, write_geojson
from conflictmodel.io.ucdp import read_ged


@pytest.fixture(scope="module")
def ged() -> cm.Dataset:
    return read_ged(GED231_SAMPLE).dataset


def test_events_frame_has_one_typed_row_per_event(ged: cm.Dataset) -> None:
    frame = to_frame(ged, "events")
    assert len(frame) == len(ged.events)
    assert set(frame["id"]) == set(ged.events)
    assert str(frame["killed_total_best"].dtype) == "Int64"
    assert str(frame["when_start"].dtype).startswith("datetime64")
    row = frame.set_index("id").loc["ucdp-ged-300380"]
    assert row["kind"] == "armed_clash"
    assert row["targets"] == "ucdp-actor-118; ucdp-actor-4456"
    assert row["targets_names"] == "; ".join(
        ged.actors[actor].name for actor in ("ucdp-actor-118", "ucdp-actor-4456")
    )
    assert row["where_lat"] == pytest.approx(35.763369)
    event = ged.events["ucdp-ged-300380"]
    for column, value in event.source_values.items():
        assert row[f"source_values.{column}"] == value


def test_events_frame_has_the_columns_of_every_field_of_its_event_types(
    ged: cm.Dataset,
) -> None:
    from conflictmodel.io._tables import field_columns
    from conflictmodel.spec import fields_of

    columns = set(to_frame(ged, "events").columns)
    for field in fields_of(cm.Engagement):
        if field.kind.value != "text_mapping":
            assert set(field_columns(field)) <= columns, field.name


def test_casualties_frame_is_long_form_and_sums_to_the_events(ged: cm.Dataset) -> None:
    frame = to_frame(ged, "casualties")
    sums = frame.groupby("event")["killed_best"].sum()
    for event in ged.events.values():
        assert isinstance(event, cm.Engagement)
        total = event.killed_total
        assert total is not None
        assert sums[event.id] == total.best
    assert frame["actor"].isna().sum() == sum(
        1 for e in ged.events.values() for c in getattr(e, "casualties", ()) if c.actor is None
    )


def test_actor_and_location_frames_spread_ids_and_codes(ged: cm.Dataset) -> None:
    actors = to_frame(ged, "actors").set_index("id")
    assert actors.loc["ucdp-actor-118", "external_ids.ucdp"] == "118"
    locations = to_frame(ged, "locations")
    assert "codes.gleditsch-ward" in locations.columns
    assert len(locations) == len(ged.locations)


def test_source_values_frame_holds_every_kept_value(ged: cm.Dataset) -> None:
    frame = to_frame(ged, "source_values")
    assert len(frame) == sum(len(e.source_values) for e in ged.events.values())


def test_events_say_who_asserts_and_who_denies_that_they_took_place() -> None:
    ds = cm.examples.idlib_2020()
    denial = cm.Claim(
        id="turkey-no-airstrike",
        claimant="turkey",
        statement=cm.Occurred("turkish-airstrike-2020-02-06"),
        stance="denies",
        made="2020-02-07",
    )
    frame = to_frame(ds.with_records([denial]), "events").set_index("id")
    said = frame[["occurrence_asserted_by", "occurrence_denied_by"]].fillna("")
    assert list(said.loc["turkish-airstrike-2020-02-06"]) == ["syria", "turkey"]
    assert list(said.loc["israeli-missiles-2020-02-06"]) == ["syria", ""]
    assert list(said.loc["attack-2020-02-03"]) == ["", ""]
    rows = _tables.table(ds, "events").rows
    assert sum(row["occurrence_asserted_by"] is not None for row in rows) == 2


def test_claims_frame_of_the_seed() -> None:
    ds = cm.examples.idlib_2020()
    frame = to_frame(ds, "claims")
    assert len(frame) == len(ds.claims)
    assert set(frame["statement"]) <= {
        "occurred",
        "attribution",
        "casualty_figure",
        "violated",
        "controls",
    }


def test_every_kind_on_an_empty_dataset_has_its_columns() -> None:
    for kind in KINDS:
        assert len(to_frame(cm.Dataset(), kind)) == 0
    with pytest.raises(cm.ValidationError, match="no table 'battles'"):
        to_frame(cm.Dataset(), "battles")


def test_query_results_convert_to_frames() -> None:
    ds = cm.examples.idlib_2020()
    table = cm.casualties_by_actor(ds)
    frame = casualties_frame(table)
    bests = [None if best is pd.NA else best for best in frame["killed_best"]]
    assert dict(zip(frame["actor"], bests, strict=True)) == {
        actor: estimate.best for actor, estimate in table.items()
    }
    assert None in bests
    violations = cm.ceasefire_violations(ds)
    vframe = violations_frame(violations)
    assert len(vframe) == len(violations)
    assert list(vframe["violator"]) == [v.violator for v in violations]
    assert set(vframe["certainty"]) <= {"definite", "possible"}


def test_casualty_frames_keep_sums_past_64_bits_exact() -> None:
    """A total of counts each within 64 bits may pass them: both frames of the result keep it
    as a Python integer (the export frame had raised OverflowError), the others as Int64."""
    huge = 2**62
    ds = cm.Dataset(
        [
            cm.Actor(id="a", name="A", kind="state"),
            cm.Actor(id="b", name="B", kind="state"),
            *(
                cm.Engagement(
                    id=f"e{n}",
                    when="2020-01-01",
                    kind="attack",
                    initiators=[],
                    targets=["a", "b"],
                    casualties=[cm.Casualties("a", killed=huge), cm.Casualties("b", killed=n)],
                )
                for n in range(4)
            ),
        ]
    )
    table = cm.casualties_by_actor(ds)
    for frame in (casualties_frame(table), table.to_frame()):
        killed = dict(zip(frame["actor"], frame["killed_best"], strict=True))
        assert killed == {"a": 4 * huge, "b": 6}
        assert str(frame["killed_best"].dtype) == "object"
        assert str(frame["injured_best"].dtype) == "Int64"


def test_parquet_round_trips_the_frames(ged: cm.Dataset, tmp_path: Path) -> None:
    paths = to_parquet(ged, tmp_path / "out", kinds=("events", "casualties"))
    assert [p.name for p in paths] == ["events.parquet", "casualties.parquet"]
    back = pq.read_table(paths[0]).to_pandas()
    assert list(back["id"]) == list(to_frame(ged, "events")["id"])
    assert to_arrow(ged, "actors").num_rows == len(ged.actors)


def test_csv_export_writes_one_file_per_kind(ged: cm.Dataset, tmp_path: Path) -> None:
    paths = to_csv(ged, tmp_path)
    assert sorted(p.stem for p in paths) == sorted(KINDS)
    with (tmp_path / "events.csv").open(encoding="utf-8", newline="") as handle:
        events = list(csv.DictReader(handle))
    assert len(events) == len(ged.events)
    assert events[0]["when_start"][:4].isdigit()


def test_geojson_places_events_at_their_points(tmp_path: Path) -> None:
    ds = read_acled(ACLED_SAMPLE).dataset
    collection = to_geojson(ds)
    features = collection["features"]
    assert collection["type"] == "FeatureCollection"
    assert len(features) == len(ds.events) + len(ds.locations)
    first = next(f for f in features if f["id"] == "acled-SYR900001")
    assert first["geometry"] == {"type": "Point", "coordinates": [36.8006, 35.8623]}
    assert first["properties"]["record"] == "event"
    assert first["properties"]["when_start"] == "2020-02-03"
    path = write_geojson(ds, tmp_path / "map.geojson", include=("locations",))
    assert orjson.loads(path.read_bytes()) == orjson.loads(dumps_geojson(ds, include=["locations"]))
    with pytest.raises(cm.ValidationError, match="include"):
        to_geojson(ds, include="events")


def test_files_written_a_part_at_a_time_hold_the_whole_tables(
    ged: cm.Dataset, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    whole = {kind: to_frame(ged, kind) for kind in KINDS}
    geojson = dumps_geojson(ged)
    monkeypatch.setattr(_tables, "PART_ROWS", 7)
    assert len(list(_tables.table_parts(ged, "events").parts)) == -(-len(ged.events) // 7)
    for path in to_parquet(ged, tmp_path / "parquet"):
        back = pq.read_table(path)
        assert back.num_rows == len(whole[path.stem])
        written_whole = tmp_path / f"{path.stem}-whole.parquet"
        pq.write_table(to_arrow(ged, path.stem), written_whole)
        assert back.equals(pq.read_table(written_whole))
        parts = len(list(_tables.table_parts(ged, path.stem).parts))
        assert pq.ParquetFile(path).metadata.num_row_groups == parts
    for path in to_csv(ged, tmp_path / "csv", spreadsheet_safe=False):
        frame = whole[path.stem]
        with path.open(encoding="utf-8", newline="") as handle:
            header, *rows = list(csv.reader(handle))
        assert header == list(frame.columns)
        assert len(rows) == len(frame)
        if "id" in frame:
            assert [row[header.index("id")] for row in rows] == list(frame["id"])
    assert write_geojson(ged, tmp_path / "map.geojson").read_bytes() == geojson
    assert orjson.loads(geojson) == to_geojson(ged)


def test_missing_pandas_is_a_one_line_hint(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(MissingExtraError, match=r"pip install 'conflictmodel\[frames\]'"):
        to_frame(cm.examples.idlib_2020(), "events")


def _formula_dataset() -> cm.Dataset:
    place = cm.Location(id="p", name="@home", kind="town", point=cm.Point(-33.5, -70.25))
    texts = ['=HYPERLINK("http://x","click")', "+1", "-2 killed", "@SUM(A1)", "'quoted", "plain"]
    events = [
        cm.Event(id=f"e{n}", when="2020-02-06", where="p", description=text)
        for n, text in enumerate(texts)
    ]
    return cm.Dataset([place, *events])


def _cells(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def test_csv_cells_that_spreadsheets_would_run_are_escaped_and_reversible(tmp_path: Path) -> None:
    ds = _formula_dataset()
    to_csv(ds, tmp_path, kinds=["events", "locations"])
    descriptions = [row["description"] for row in _cells(tmp_path / "events.csv")]
    assert descriptions == [
        '\'=HYPERLINK("http://x","click")',
        "'+1",
        "'-2 killed",
        "'@SUM(A1)",
        "''quoted",
        "plain",
    ]
    assert [unescape_formula(d) for d in descriptions] == [
        ds.events[f"e{n}"].description for n in range(6)
    ]
    (location,) = _cells(tmp_path / "locations.csv")
    assert (location["name"], location["point_lat"], location["point_lon"]) == (
        "'@home",
        "-33.5",
        "-70.25",
    )


def test_csv_export_writes_exact_values_when_asked(tmp_path: Path) -> None:
    ds = _formula_dataset()
    to_csv(ds, tmp_path, kinds=["events"], spreadsheet_safe=False)
    descriptions = [row["description"] for row in _cells(tmp_path / "events.csv")]
    assert descriptions == [ds.events[f"e{n}"].description for n in range(6)]
