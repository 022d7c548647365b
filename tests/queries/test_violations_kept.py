"""What ceasefire_violations keeps with a dataset between queries changes no answer."""

from __future__ import annotations

import gc
import weakref

from hypothesis import given, settings
from hypothesis import strategies as st
from tests.queries.strategies import conflicts
from tests.queries.world import CEASEFIRE

import conflictmodel as cm
from conflictmodel import testing

periods = testing.time_spans(min_year=2020, max_year=2022, open_ends=True)


@settings(max_examples=10)
@given(
    conflicts(),
    st.lists(
        st.tuples(st.none() | st.sampled_from(["north", "south"]), st.none() | periods),
        min_size=10,
        max_size=12,
    ),
)
def test_queries_in_turn_on_one_dataset_answer_as_on_a_fresh_one(
    ds: cm.Dataset, asked: list[tuple[str | None, cm.TimeSpan | None]]
) -> None:
    """More periods than the dataset keeps selections for, each asked again after others."""
    for according_to, period in [*asked, *asked]:
        fresh = cm.Dataset(list(ds.records()))
        found = cm.ceasefire_violations(ds, CEASEFIRE, according_to=according_to, period=period)
        expected = cm.ceasefire_violations(
            fresh, CEASEFIRE, according_to=according_to, period=period
        )
        assert found == expected
        assert found.unassessed == expected.unassessed


def test_a_dataset_queried_for_violations_is_freed_when_dropped() -> None:
    ds = cm.Dataset(list(cm.examples.idlib_2020().records()))
    assert cm.ceasefire_violations(ds)
    dropped = weakref.ref(ds)
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        del ds
        assert dropped() is None
    finally:
        if was_enabled:
            gc.enable()
