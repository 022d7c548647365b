"""On a dataset held in tables, the overview's counts, the killed per period and the map's rows
come from the engine, building no record, and equal what the records give."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.tables.test_engines import REAL_SYRIA, any_dataset, camps, replaced, spans

import conflictmodel as cm
from conflictmodel import plots, summary, tables
from conflictmodel.io.ucdp import read_ged
from conflictmodel.queries import over_time
from conflictmodel.queries.counts import event_counts
from conflictmodel.queries.options import CasualtyOptions
from conflictmodel.tables import queries as table_queries
from conflictmodel.tables.lazy import LazyRecords
from conflictmodel.timespans import TimeSpan

pa = pytest.importorskip("pyarrow")
pytest.importorskip("ibis")
pytest.importorskip("matplotlib")


def loaded(ds: cm.Dataset, folder: Path) -> cm.Dataset:
    tables.write(ds, folder / "tables")
    return tables.load(folder / "tables")


def built(ds: cm.Dataset) -> int:
    """How many events of ``ds`` (loaded from tables) have been built."""
    held = ds._tables["events"]
    assert isinstance(held, LazyRecords)
    return len(held._built)


def test_the_seed_overview_is_counted_by_the_engine(tmp_path: Path) -> None:
    seed = cm.examples.idlib_2020()
    ds = loaded(seed, tmp_path)
    counts = event_counts(ds)
    assert built(ds) == 0
    assert counts == event_counts(seed)
    assert dict(counts.types) == {"engagement": 12, "toll": 2}
    assert counts.sides["syrian-army"] == 6
    assert (counts.claimants, counts.unattributed) == (4, 1)
    assert summary.overview(ds) == summary.overview(seed)
    assert built(ds) < len(seed.events)


def test_an_actor_on_both_sides_or_a_null_side_counts_as_the_records_do(tmp_path: Path) -> None:
    """An actor on both sides of an engagement is on a side of it once; a side another tool
    left null names no one, as an empty one (the other side still counts)."""
    parquet: Any = pytest.importorskip("pyarrow.parquet")
    seed = cm.examples.idlib_2020()
    offensive = seed.events["idlib-offensive"]
    assert isinstance(offensive, cm.Engagement)
    assert offensive.initiators == ("syrian-army",)
    both = replaced(seed, attrs.evolve(offensive, targets=("hts", "syrian-army")))
    counts = event_counts(loaded(both, tmp_path))
    assert counts == event_counts(both)
    assert counts.sides["syrian-army"] == event_counts(seed).sides["syrian-army"]
    tables.write(seed, tmp_path / "null")
    file = tmp_path / "null" / "events.parquet"
    events = parquet.read_table(file)
    values = [
        None if row == "idlib-offensive" else value
        for row, value in zip(
            events.column("id").to_pylist(), events.column("initiators").to_pylist(), strict=True
        )
    ]
    index = events.column_names.index("initiators")
    typed = pa.array(values, events.schema.field("initiators").type)
    events = events.set_column(index, "initiators", typed)
    parquet.write_table(events, file)
    unknown = replaced(seed, attrs.evolve(offensive, initiators=()))
    assert table_queries.event_counts(tables.open(tmp_path / "null")) == event_counts(unknown)


def test_the_seed_per_period_and_map_rows_build_no_event(tmp_path: Path) -> None:
    seed = cm.examples.idlib_2020()
    ds = loaded(seed, tmp_path)
    for claimant in (None, "syria", "turkey", ("syria", "russia")):
        found = cm.casualties_over_time(ds, according_to=claimant, roll_up=True)
        expected = cm.casualties_over_time(seed, according_to=claimant, roll_up=True)
        assert found.equals(expected)
    frame = plots.events_map_data(ds, period="2020-02")
    assert frame.equals(plots.events_map_data(seed, period="2020-02"))
    assert list(frame["killed"])[:2] == [27, 8]
    assert over_time.undated_killed(ds) == over_time.undated_killed(seed) == 0
    assert built(ds) == 0


@settings(max_examples=6, suppress_health_check=[HealthCheck.too_slow])
@given(any_dataset, st.none() | spans, st.data())
def test_a_dataset_in_tables_counts_and_bins_as_its_records(
    ds: cm.Dataset, period: TimeSpan | None, data: st.DataObject
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        held = loaded(ds, Path(folder))
        assert event_counts(held) == event_counts(ds)
        assert plots.events_map_data(held, period=period).equals(
            plots.events_map_data(ds, period=period)
        )
        places = sorted(ds.locations)
        for claimant in camps(ds, data):
            within = data.draw(st.none() | st.sampled_from(places)) if places else None
            options: CasualtyOptions = {
                "according_to": claimant,
                "period": period,
                "within": within,
                "roll_up": data.draw(st.booleans()),
                "best": data.draw(st.sampled_from([None, "lowest", "highest", "median"])),
                "min_grade": data.draw(st.none() | st.sampled_from(list(cm.Grade))),
            }
            for open_spans in (None, True, False):
                assert over_time.killed_by_span(
                    held, open_spans=open_spans, **options
                ) == over_time.killed_by_span(ds, open_spans=open_spans, **options)
            freq = data.draw(st.sampled_from(["W", "M", "Y"]))
            assert_binned_alike(held, ds, freq, options)
        assert built(held) == 0
        assert summary.overview_data(held) == summary.overview_data(ds)


def assert_binned_alike(
    held: cm.Dataset, ds: cm.Dataset, freq: str, options: CasualtyOptions
) -> None:
    """:func:`~conflictmodel.casualties_over_time` gives the same frame on the tables as on
    the records, or refuses both alike (too many periods)."""
    try:
        expected = cm.casualties_over_time(ds, freq, **options)
    except cm.ValidationError as error:
        with pytest.raises(cm.ValidationError, match=re.escape(str(error))):
            cm.casualties_over_time(held, freq, **options)
        return
    assert cm.casualties_over_time(held, freq, **options).equals(expected)


def test_the_real_syria_file_in_tables_counts_and_bins_alike(tmp_path: Path) -> None:
    if not REAL_SYRIA.exists():
        pytest.skip("real UCDP files not present")
    ds = read_ged(REAL_SYRIA).dataset
    held = loaded(ds, tmp_path)
    counts = event_counts(held)
    assert counts == event_counts(ds)
    assert sum(counts.types.values()) == 16566
    assert str(counts.first_day) == "2016-01-01"
    assert (counts.reported, counts.reporting) == (cm.Estimate(104833, 112337, 119182), 16566)
    assert counts.aggregates == 622
    (line,) = [line for line in summary.overview_lines(held) if line.startswith("Events:")]
    assert line == (
        "Events: 2016-01-01 to 2019-12-01 (by type: engagement 16,566; 622 of them aggregates "
        "of several incidents each)"
    )
    found = cm.casualties_over_time(held, "Y")
    assert found.equals(cm.casualties_over_time(ds, "Y"))
    weekly = cm.casualties_over_time(held, "W", roll_up=True)
    assert weekly.equals(cm.casualties_over_time(ds, "W", roll_up=True))
    assert weekly.xs("spread", axis=1, level="measure").to_numpy().sum() > 0
    assert list(found.index.astype(str)) == ["2016", "2017", "2018", "2019"]
    assert plots.events_map_data(held, period="2018").equals(
        plots.events_map_data(ds, period="2018")
    )
    assert built(held) == 0
