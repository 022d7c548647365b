"""DuckDB over the Parquet tables answers as the in-memory queries do."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.queries.strategies import conflicts

import conflictmodel as cm
from conflictmodel import parquet, testing
from conflictmodel.timespans import TimeSpan

pytest.importorskip("duckdb")
pytest.importorskip("pyarrow")

spans = testing.time_spans(min_year=2020, max_year=2022, open_ends=True)
any_dataset = st.one_of(conflicts(), testing.datasets(max_events=10))


@settings(max_examples=25)
@given(any_dataset, st.none() | spans, st.data())
def test_both_paths_give_the_same_totals_and_observed_violations(
    ds: cm.Dataset, period: TimeSpan | None, data: st.DataObject
) -> None:
    places = sorted(ds.locations)
    within = data.draw(st.none() | st.sampled_from(places)) if places else None
    roll_up = data.draw(st.booleans())
    with tempfile.TemporaryDirectory() as folder:
        parquet.write_tables(ds, folder)
        totals = parquet.casualties_by_actor(folder, period=period, within=within, roll_up=roll_up)
        expected = cm.casualties_by_actor(ds, period=period, within=within, roll_up=roll_up)
        assert totals == dict(expected)
        assert list(totals) == list(expected)
        for agreement in ds.agreements:
            found = parquet.observed_violations(folder, agreement, period=period)
            observed = [
                (v.violator, v.event, v.certainty)
                for v in cm.ceasefire_violations(ds, agreement, period=period)
                if v.observed
            ]
            assert [(v.violator, v.event, v.certainty) for v in found] == observed


def test_missing_tables_and_unknown_ids_are_named(tmp_path: Path) -> None:
    with pytest.raises(cm.ValidationError, match=r"lacks figures\.parquet"):
        parquet.casualties_by_actor(tmp_path)
    parquet.write_tables(cm.examples.idlib_2020(), tmp_path)
    with pytest.raises(cm.UnknownNameError, match="within='nowhere'"):
        parquet.casualties_by_actor(tmp_path, within="nowhere")
    with pytest.raises(cm.UnknownNameError, match="agreement='none'"):
        parquet.observed_violations(tmp_path, "none")
    with pytest.raises(cm.ValidationError, match="period='2020-13'"):
        parquet.casualties_by_actor(tmp_path, period="2020-13")
