"""Records laid out as tables (``tables.layout.arrow_tables``): shared values and batches."""

from __future__ import annotations

import copy
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import conflictmodel as cm
from conflictmodel import tables, testing
from conflictmodel.agreements import Ending, EndingKind
from conflictmodel.io.json import dumps, loads


def assert_same_tables(found: dict[str, Any], expected: dict[str, Any]) -> None:
    assert list(found) == list(expected)
    for name, table in expected.items():
        assert found[name].schema == table.schema, name
        assert found[name].equals(table), name


@settings(max_examples=30)
@given(testing.datasets(max_events=12, max_claims=8))
def test_records_sharing_values_give_the_tables_of_records_sharing_none(ds: cm.Dataset) -> None:
    """The loader shares equal values between records, and each distinct one is laid out once:
    copies of the records that share nothing give the same tables."""
    pytest.importorskip("pyarrow")
    shared = loads(dumps(ds))
    apart = cm.Dataset(copy.deepcopy(record) for record in shared.records())
    assert_same_tables(tables.layout.arrow_tables(shared), tables.layout.arrow_tables(apart))


@settings(max_examples=30)
@given(testing.datasets(max_events=12), st.integers(min_value=1, max_value=5))
def test_records_laid_out_in_batches_give_the_tables_laid_out_at_once(
    ds: cm.Dataset, size: int
) -> None:
    """Each batch's child tables repeat the cells of that batch's events."""
    pytest.importorskip("pyarrow")
    whole = tables.layout.arrow_tables(ds)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(tables.layout, "_BATCH", size)
        assert_same_tables(tables.layout.arrow_tables(ds), whole)


def test_records_sharing_a_value_that_shares_its_own_read_back_each_its_cells() -> None:
    """Agreements share one ending, and two endings share one day: each distinct value is laid
    out once and every row still gets the cells of its own record's values."""
    pytest.importorskip("pyarrow")
    ds = cm.examples.idlib_2020()
    agreement = next(iter(ds.agreements.values()))
    day = cm.when("2020-03-05")
    collapsed = Ending(EndingKind.COLLAPSED, day)
    endings = [collapsed, collapsed, Ending(EndingKind.EXPIRED, day), None, collapsed]
    agreements = [
        attrs.evolve(agreement, id=f"ceasefire-{number}", ended=ending)
        for number, ending in enumerate(endings)
    ]
    ds = cm.Dataset([*ds.records(), *agreements])
    found = tables.layout.arrow_tables(ds)
    rows = {row["id"]: row for row in found["agreements"].to_pylist()}
    assert [(rows[a.id]["ended_how"], rows[a.id]["ended_when"]) for a in agreements] == [
        ("collapsed", "2020-03-05"),
        ("collapsed", "2020-03-05"),
        ("expired", "2020-03-05"),
        (None, None),
        ("collapsed", "2020-03-05"),
    ]
    assert tables.layout.records_from("agreements", found["agreements"]) == list(
        ds.agreements.values()
    )


@settings(max_examples=30)
@given(testing.datasets(max_events=12), st.randoms(use_true_random=False))
def test_events_read_back_from_child_tables_in_any_order(ds: cm.Dataset, shuffle: Any) -> None:
    """An engine returns a child table's rows in any order: each event takes its items back
    in the order of ``position``, as row mappings and as an Arrow table."""
    pa = pytest.importorskip("pyarrow")
    found = tables.layout.arrow_tables(ds)
    children = {}
    for name in tables.layout.child_tables("events"):
        order = list(range(found[name].num_rows))
        shuffle.shuffle(order)
        children[name] = found[name].take(pa.array(order, pa.int64()))
    expected = list(ds.events.values())
    assert tables.layout.records_from("events", found["events"], children) == expected
    rows = {name: table.to_pylist() for name, table in children.items()}
    assert tables.layout.records_from("events", found["events"].to_pylist(), rows) == expected
