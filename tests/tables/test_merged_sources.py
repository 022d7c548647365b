"""Dataset claimants (merged sources) give whole accounts on the engines as in memory."""

from __future__ import annotations

import tempfile
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.examples import share
from tests.io.ucdp_files import GED191_SAMPLE
from tests.tables.test_engines import REAL_SYRIA, any_dataset, assert_same_answers, spans

import conflictmodel as cm
from conflictmodel import tables
from conflictmodel.io.acled import read_acled
from conflictmodel.io.ucdp import read_ged
from conflictmodel.linkage.examples import two_sources
from conflictmodel.linkage.synthetic import acled_from_ged
from conflictmodel.timespans import TimeSpan

pytest.importorskip("ibis")


def as_datasets(ds: cm.Dataset, ids: set[str]) -> cm.Dataset:
    """``ds`` with the actors ``ids`` turned into dataset claimants."""
    return cm.Dataset(
        attrs.evolve(r, kind=cm.ActorKind.DATASET) if isinstance(r, cm.Actor) and r.id in ids else r
        for r in ds.records()
    )


@share(1 / 6, at_least=5)
@given(any_dataset, st.none() | spans, st.data())
def test_duckdb_answers_as_the_dataset_when_claimants_are_datasets(
    drawn: cm.Dataset, period: TimeSpan | None, data: st.DataObject
) -> None:
    claimants = sorted({c.claimant for c in drawn.claims.values() if c.claimant is not None})
    some = st.sets(st.sampled_from(claimants), min_size=1) if claimants else st.just(set[str]())
    ds = as_datasets(drawn, data.draw(some))
    with tempfile.TemporaryDirectory() as folder:
        tables.write(ds, Path(folder) / "tables")
        opened = tables.open(Path(folder) / "tables")
        assert_same_answers(opened, ds, period, data, [None, *sorted(ds.actors)])


def test_each_source_of_a_merge_gives_its_own_totals_on_duckdb(tmp_path: Path) -> None:
    ucdp, acled = two_sources()
    merged = cm.merge({"ucdp": ucdp, "acled": acled}, cm.match(ucdp, acled))
    tables.write(merged, tmp_path / "merged")
    opened = tables.open(tmp_path / "merged")
    assert dict(cm.casualties_by_actor(opened)) == dict(cm.casualties_by_actor(ucdp))
    for key, source in (("ucdp", ucdp), ("acled", acled)):
        found = cm.casualties_by_actor(opened, according_to=key)
        assert dict(found) == dict(cm.casualties_by_actor(source))
        assert found == cm.casualties_by_actor(merged, according_to=key)


def test_a_merge_of_real_events_gives_the_same_totals_on_duckdb(tmp_path: Path) -> None:
    acled_from_ged(GED191_SAMPLE, tmp_path / "acled.csv", seed=11, drop=0.2, add=0.3)
    a, b = read_ged(GED191_SAMPLE).dataset, read_acled(tmp_path / "acled.csv").dataset
    merged = cm.merge({"ucdp": a, "acled": b}, cm.match(a, b))
    tables.write(merged, tmp_path / "merged")
    opened = tables.open(tmp_path / "merged")
    for claimant in (None, "ucdp", "acled"):
        for roll_up in (False, True):
            found = cm.casualties_by_actor(opened, according_to=claimant, roll_up=roll_up)
            expected = cm.casualties_by_actor(merged, according_to=claimant, roll_up=roll_up)
            assert found == expected
            assert found.injured == expected.injured
            for actor in {*expected, *expected.injured}:
                assert found.claimants(actor) == expected.claimants(actor)
    assert dict(cm.casualties_by_actor(opened, according_to="acled")) == dict(
        cm.casualties_by_actor(b)
    )


def test_what_names_a_record_keeps_the_order_of_a_real_merge_in_tables(tmp_path: Path) -> None:
    """Over 131,072 claims the table has two row groups, which DuckDB reads in parallel: the
    claims naming an actor still come in the order of the dataset."""
    if not REAL_SYRIA.exists():
        pytest.skip("real UCDP files not present")
    acled_from_ged(REAL_SYRIA, tmp_path / "acled.csv", seed=11, drop=0.2, add=0.3)
    a, b = read_ged(REAL_SYRIA).dataset, read_acled(tmp_path / "acled.csv").dataset
    merged = cm.merge({"ucdp": a, "acled": b}, cm.match(a, b))
    assert len(merged.claims) > tables.ROW_GROUP_ROWS
    tables.write(merged, tmp_path / "merged")
    loaded = tables.load(tmp_path / "merged")
    busiest = sorted(merged.actors, key=lambda actor: -len(merged.claims_about("actors", actor)))
    for actor in busiest[:5]:
        assert loaded.claims_about("actors", actor) == merged.claims_about("actors", actor)
        assert loaded.events_involving(actor) == merged.events_involving(actor)
