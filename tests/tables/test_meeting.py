"""Choosing rows by their span in an engine meets as :meth:`TimeSpan.meets` does."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.examples import share

import conflictmodel as cm
from conflictmodel import testing
from conflictmodel.tables import layout
from conflictmodel.tables import queries as table_queries
from conflictmodel.timespans import TimeSpan

ibis: Any = pytest.importorskip("ibis")
arrow: Any = pytest.importorskip("pyarrow")

spans = testing.time_spans(min_year=2020, max_year=2020, open_ends=True)


def span_rows(found: list[TimeSpan]) -> Any:
    """The spans as rows of ``when`` columns (as the layout writes them), numbered."""
    schema = layout.schemas()["events"]
    columns = {"row": arrow.array(range(len(found)), arrow.int64())}
    for index, suffix in enumerate(("_start", "_end", "_from", "_until"), start=1):
        name = f"when{suffix}"
        cells = [layout._span_cells(span)[index] for span in found]
        columns[name] = arrow.array(cells, schema.field(name).type)
    return ibis.memtable(arrow.table(columns))


def rows_meeting(found: list[TimeSpan], period: TimeSpan) -> set[int]:
    """The rows meeting ``period``, chosen every way (the same on DuckDB): in one part, and in
    parts with or without being told which day columns hold no null."""
    rows = span_rows(found)
    days = {"when_start": [s.start for s in found], "when_end": [s.end for s in found]}
    known = [name for name, values in days.items() if None not in values]
    chosen = [
        set(table_queries.meeting_rows(rows, "when", period, **options).row.to_list())
        for options in (
            {"in_parts": False},
            {"in_parts": True},
            {"in_parts": True, "has_null": lambda column: column not in known},
        )
    ]
    assert chosen[0] == chosen[1] == chosen[2]
    return chosen[0]


@share(1, at_least=50)
@given(st.lists(spans, max_size=20), spans)
def test_rows_meeting_are_those_whose_span_meets(found: list[TimeSpan], period: TimeSpan) -> None:
    expected = {row for row, span in enumerate(found) if span.meets(period)}
    assert rows_meeting(found, period) == expected


def test_times_of_day_meet_across_the_widest_gap_between_zones() -> None:
    # 23:59 at UTC-12 on the 9th is 11:59 UTC on the 10th, after midnight at UTC+14 on the
    # 11th (10:00 UTC on the 10th): the days written differ by two.
    late = cm.when("2020-10-09T23:59-12:00")
    early = cm.when("2020-10-09T09:00-12:00")
    period = cm.when("2020-10-11T00:00+14:00/..")
    assert late.meets(period)
    assert not early.meets(period)
    assert rows_meeting([late, early], period) == {0}
    until = cm.when("../2020-10-09T23:59-12:00")
    assert rows_meeting([cm.when("2020-10-11T00:00+14:00")], until) == {0}
    assert rows_meeting([cm.when("2020-10-11T12:00+14:00")], until) == set()


def test_rows_whose_days_are_unknown_meet_every_period() -> None:
    found = [cm.when("../2020-03"), cm.when("2021-01/.."), cm.when("../.."), cm.when("2019")]
    assert rows_meeting(found, cm.when("2020-06")) == {2}
    assert rows_meeting(found, cm.when("2020-02")) == {0, 2}
    assert rows_meeting(found, cm.when("2020-06/..")) == {1, 2}
