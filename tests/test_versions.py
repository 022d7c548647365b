"""diff(): what changed between two datasets, on generated data and on two real UCDP releases."""

from __future__ import annotations

import functools
import pickle
import re

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.examples import share
from tests.io.ucdp_files import real_data

import conflictmodel as cm
from conflictmodel import testing
from conflictmodel.io.ucdp import read_ged
from conflictmodel.versions import Diff, FieldChange, diff

half = share(1 / 2)
"""Pairs of datasets are slow to draw: half the profile's examples."""


@given(testing.datasets(max_events=4))
def test_a_dataset_has_no_differences_with_itself(ds: cm.Dataset) -> None:
    assert not diff(ds, ds)
    assert len(diff(ds, ds)) == 0


@half
@given(testing.datasets(max_events=4), testing.datasets(max_events=4))
def test_applying_the_diff_to_old_gives_new(old: cm.Dataset, new: cm.Dataset) -> None:
    changes = diff(old, new)
    assert changes.apply(old) == new
    assert diff(new, old).apply(new) == old


@half
@given(testing.datasets(max_events=4), testing.datasets(max_events=4))
def test_every_listed_change_is_a_real_difference(old: cm.Dataset, new: cm.Dataset) -> None:
    changes = diff(old, new)
    for (collection, record_id), change in changes.changed.items():
        assert change.fields
        for field in change.fields:
            if field.field != "type":
                assert getattr(change.old, field.field, None) == field.old
                assert getattr(change.new, field.field, None) == field.new
        assert old.get(collection, record_id) is change.old
    assert {(r.collection, r.id) for r in changes.added}.isdisjoint(
        (r.collection, r.id) for r in old.records()
    )


def test_a_changed_type_is_named() -> None:
    old = cm.Dataset([cm.Event(id="e", when="2020-02-06")])
    new = cm.Dataset(
        [
            cm.Actor(id="a", name="A", kind="state"),
            cm.Engagement(id="e", when="2020-02-06", kind="attack", initiators=["a"], targets=[]),
        ]
    )
    changes = diff(old, new)
    fields = changes.changed[("events", "e")].fields
    assert fields[0] == FieldChange("type", cm.Event, cm.Engagement)
    assert [r.id for r in changes.added] == ["a"]
    assert "type: Event -> Engagement" in str(changes)
    assert changes.apply(old) == new


def test_ignored_fields_are_not_compared() -> None:
    old = cm.Dataset([cm.Event(id="e", when="2020-02-06", source_values={"x": "1"})])
    new = cm.Dataset([cm.Event(id="e", when="2020-02-06", source_values={"x": "2"})])
    assert diff(old, new)
    assert not diff(old, new, ignore={"source_values"})


values = st.dictionaries(st.sampled_from("abcde"), st.sampled_from(["1", "2", ""]))


@given(values, values)
def test_a_changed_mapping_prints_each_key_whose_value_changed(
    old: dict[str, str], new: dict[str, str]
) -> None:
    lines = FieldChange("source_values", old, new).lines()
    changed = sorted(key for key in old.keys() | new.keys() if old.get(key) != new.get(key))
    assert [line.split("]")[0] for line in lines] == [f'source_values["{key}"' for key in changed]
    for key, line in zip(changed, lines, strict=True):
        before = f'"{old[key]}"' if key in old else "(absent)"
        after = f'"{new[key]}"' if key in new else "(absent)"
        assert line == f'source_values["{key}"]: {before} -> {after}'


def test_a_printed_diff_names_records_beside_their_ids() -> None:
    old = cm.Dataset(
        [
            cm.Actor(id="a1", name="North Army", kind="state"),
            cm.Event(id="e", when="2020-02-06", source_values={"x": "1", "y": "2"}),
        ]
    )
    new = cm.Dataset(
        [
            cm.Actor(id="a2", name="South Army", kind="state"),
            cm.Event(id="e", when="2020-02-06", source_values={"x": "1", "y": "3"}),
        ]
    )
    assert str(diff(old, new)).splitlines() == [
        "1 changed, 1 added, 1 removed",
        "  event 'e'",
        '    source_values["y"]: "2" -> "3"',
        "  added actor 'a2' (South Army)",
        "  removed actor 'a1' (North Army)",
    ]
    assert [row["new"] for row in diff(old, new).rows() if row["change"] == "changed"] == [
        '{"x":"1","y":"3"}'
    ]
    assert repr(diff(old, new)) == "<Diff: 1 changed, 1 added, 1 removed>"
    html = diff(old, new)._repr_html_()
    assert html.startswith("<table><caption>Diff: 1 changed, 1 added, 1 removed</caption>")
    cells = re.findall(r"<td>(.*?)</td>", html)
    assert cells == [
        *["changed", "event &#x27;e&#x27;", "source_values[&quot;y&quot;]", "&quot;2&quot;"],
        *["&quot;3&quot;", "added", "actor &#x27;a2&#x27; (South Army)", "", "", ""],
        *["removed", "actor &#x27;a1&#x27; (North Army)", "", "", ""],
    ]


def test_bad_arguments_are_refused() -> None:
    ds = cm.Dataset()
    with pytest.raises(cm.ValidationError, match="old: expected a Dataset"):
        diff([], ds)  # type: ignore[arg-type]
    with pytest.raises(cm.ValidationError, match="collection of field names"):
        diff(ds, ds, ignore="source_values")
    with pytest.raises(cm.ValidationError, match="'source_value' is not a field of any record"):
        diff(ds, ds, ignore={"source_value"})


def test_a_diff_pickles() -> None:
    ds = cm.examples.idlib_2020()
    smaller = cm.Dataset(r for r in ds.records() if r.collection not in ("claims", "events"))
    changes = diff(ds, smaller)
    assert pickle.loads(pickle.dumps(changes)) == changes


# Two real releases: GED 19.1 (the Syria file) and a sample of GED 23.1 -------------------------

GED191 = real_data() / "ged_syria_2016-2019.csv"
GED231 = real_data() / "ged231_sample_1000.csv"
needs_real_data = pytest.mark.skipif(
    not (GED191.exists() and GED231.exists()), reason="the real UCDP files are not beside the clone"
)


@functools.cache
def _release_diff() -> Diff:
    return diff(read_ged(GED191).dataset, read_ged(GED231).dataset, ignore={"source_values"})


def _changed_rows(columns: list[str]) -> set[str]:
    """Ids of the events both releases hold whose value differs in any of ``columns`` (pandas)."""
    old = pd.read_csv(GED191, dtype=str, keep_default_na=False).set_index("id")
    new = pd.read_csv(GED231, dtype=str, keep_default_na=False).set_index("id")
    both = old.index.intersection(new.index)
    assert len(both) == 42
    differs = (old.loc[both, columns] != new.loc[both, columns]).any(axis=1)
    return {f"ucdp-ged-{i}" for i in both[differs.to_numpy()]}


def _events_changing(field: str) -> set[str]:
    return {
        record_id
        for (collection, record_id), change in _release_diff().changed.items()
        if collection == "events" and any(f.field == field for f in change.fields)
    }


@needs_real_data
@pytest.mark.parametrize(
    ("field", "columns"),
    [
        ("when", ["date_start", "date_end"]),
        ("kind", ["type_of_violence"]),
        ("targets", ["side_a_new_id", "side_b_new_id"]),
        ("casualties", ["deaths_a", "deaths_b", "deaths_civilians", "deaths_unknown"]),
        ("reported_total", ["low", "best", "high"]),
    ],
)
def test_ucdp_release_revisions_match_pandas(field: str, columns: list[str]) -> None:
    assert _events_changing(field) == _changed_rows(columns)


@needs_real_data
def test_ucdp_release_diff_counts() -> None:
    changes = _release_diff()
    events_in_both = 42
    old_events, new_events = 16_566, 1_000
    added = [r for r in changes.added if r.collection == "events"]
    removed = [r for r in changes.removed if r.collection == "events"]
    assert len(added) == new_events - events_in_both
    assert len(removed) == old_events - events_in_both
    assert repr(changes) == (
        f"<Diff: {len(changes.changed)} changed, {len(changes.added):,} added, "
        f"{len(changes.removed):,} removed>"
    )
    html = changes._repr_html_()
    frame = changes.to_frame()
    assert html.count("<tr><td>") == 10
    assert f"<tfoot><tr><td colspan=5>… {len(frame) - 10:,} more</td></tr></tfoot>" in html
    assert set(frame["change"]) == {"added", "removed", "changed"}
    assert (frame["change"] == "changed").sum() == sum(
        len(c.fields) for c in changes.changed.values()
    )
