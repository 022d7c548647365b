"""Tables held in memory (``tables.from_dataset``) answer as the dataset and as its files do."""

from __future__ import annotations

import pickle
import subprocess
import sys
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from tests.queries.strategies import conflicts
from tests.tables.test_engines import assert_same_answers, camps, claim_rules_world, spans

import conflictmodel as cm
from conflictmodel import tables, testing
from conflictmodel.errors import ValidationError
from conflictmodel.queries import _arguments
from conflictmodel.timespans import TimeSpan

pytest.importorskip("ibis")


# Opened tables are checked on many more worlds (test_engines); these differ only in where the
# engine reads the tables from.
@settings(max_examples=2, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(conflicts(), testing.datasets(max_events=10)), st.none() | spans, st.data())
def test_in_memory_tables_answer_as_the_dataset_for_every_perspective(
    ds: cm.Dataset, period: TimeSpan | None, data: st.DataObject
) -> None:
    assert_same_answers(tables.from_dataset(ds), ds, period, data, camps(ds, data))


def test_the_seed_and_the_claim_rules_world_answer_alike_in_memory() -> None:
    for ds in (cm.examples.idlib_2020(), claim_rules_world()):
        in_memory = tables.from_dataset(ds)
        assert in_memory.path is None
        assert in_memory.dimensions.actors == ds.actors
        for claimant in (None, *sorted(ds.actors)):
            found = cm.casualties_by_actor(in_memory, according_to=claimant)
            assert found == cm.casualties_by_actor(ds, according_to=claimant)
            assert pickle.loads(pickle.dumps(found)) == found
        seed_violations = cm.ceasefire_violations(in_memory)
        assert seed_violations == cm.ceasefire_violations(ds)


def test_only_a_dataset_makes_in_memory_tables() -> None:
    with pytest.raises(ValidationError, match=r"from_dataset\(\) takes a Dataset, got list"):
        tables.from_dataset([])  # type: ignore[arg-type]


@attrs.frozen(kw_only=True)
class _Unregistered(cm.Event):
    """An event type never registered, so it has no tag and no columns."""


def test_a_dataset_the_tables_cannot_hold_is_counted_on_its_records(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    seed = cm.examples.idlib_2020()
    expected = cm.casualties_by_actor(seed, roll_up=True)
    ds = cm.Dataset([*seed.records(), _Unregistered(id="odd", when="2020-02")])
    with pytest.raises(ValidationError, match=r"^event 'odd'"):
        tables.from_dataset(ds)
    monkeypatch.setattr(_arguments, "HELD_IN_ENGINE_FROM", 0)
    assert cm.casualties_by_actor(ds, roll_up=True) == expected
    assert ds.cached("tables.from_dataset", lambda _: 0) is None


def test_the_duckdb_databases_of_tables_draw_no_progress_bar(tmp_path: Path) -> None:
    """DuckDB draws a progress bar on standard output for a query over two seconds, even into
    a pipe (``conflictmodel casualties big.jsonl --json > totals.json``); the library's own
    databases do not. (Under pytest DuckDB leaves the bar off itself: the databases are
    asked in a process of their own.)"""
    seed = cm.examples.idlib_2020()
    tables.write(seed, tmp_path / "tables")
    cm.dump(seed, tmp_path / "seed.jsonl")
    script = f"""
import conflictmodel as cm
from conflictmodel import tables
seed = cm.examples.idlib_2020()
lazy = cm.load({str(tmp_path / "seed.jsonl")!r}, lazy=True)._engine
for opened in (tables.from_dataset(seed), tables.open({str(tmp_path / "tables")!r}), lazy):
    print(opened.backend.con.execute("SELECT current_setting('enable_progress_bar')").fetchone())
"""
    found = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True
    ).stdout
    assert found.splitlines() == ["(False,)"] * 3


def test_a_child_table_filled_by_several_inserts_is_held_in_time_order() -> None:
    """Each insert keeps the time order the child tables of events are held in; a table
    filled by several is sorted again when the tables are opened."""
    from conflictmodel.tables.store import Filling

    seed = cm.examples.idlib_2020()
    found = tables.layout.arrow_tables(seed)
    entries = found["events_casualties"]
    half = entries.num_rows // 2
    filling = Filling()
    filling.add({"events": found["events"], "events_casualties": entries.slice(half)})
    filling.add({"events_casualties": entries.slice(0, half)})
    opened = filling.opened(cm.Dataset(seed.actors.values()))
    order = ", ".join(tables.layout.CHILD_ORDER)
    rows = opened.backend.con.execute(
        f"SELECT {order} FROM {opened._names['events_casualties']}"
    ).fetchall()
    assert len(rows) == entries.num_rows
    assert rows == sorted(rows, key=lambda row: (row[0] is None, row))


def test_maps_are_held_as_their_entries_and_read_as_maps() -> None:
    """A map column (an event's source values) is held as the list of its entries, which
    DuckDB takes several times faster, and every view reads it as the map it was: empty and
    missing values, and slices of an Arrow table, included."""
    from conflictmodel.tables.store import Filling

    values = [{"event_type": "Battles", "notes": "-"}, {}, {"fatalities": "3", "notes": "x"}]
    events = [
        cm.Event(id=f"e{number}", when="2020-02-06", source_values=given)
        for number, given in enumerate(values)
    ]
    found = tables.layout.arrow_tables(cm.Dataset(events))["events"]
    filling = Filling()
    filling.add({"events": found.slice(1)})
    filling.add({"events": found.slice(0, 1)})
    opened = filling.opened(cm.Dataset())
    (held,) = filling.connection.execute(
        f"SELECT DISTINCT typeof(source_values) FROM {filling.table('events')}"
    ).fetchone()
    assert held == 'STRUCT("key" VARCHAR, "value" VARCHAR)[]'
    read = opened.backend.con.execute(
        f"SELECT id, typeof(source_values), source_values FROM {opened._names['events']} "
        "ORDER BY id"
    ).fetchall()
    assert read == [(f"e{n}", "MAP(VARCHAR, VARCHAR)", given) for n, given in enumerate(values)]
    over = tables.lazy.over(opened)
    assert [over.events[event.id] for event in events] == events


@given(
    st.lists(
        st.none() | st.dictionaries(st.text(max_size=3), st.none() | st.text(max_size=3)),
        max_size=6,
    ),
    st.integers(0, 6),
    st.integers(0, 6),
)
def test_a_map_array_and_its_entries_hold_the_same_maps(
    maps: list[dict[str, str | None] | None], start: int, size: int
) -> None:
    """Any slice of a map array, with missing maps, keys without values and empty maps."""
    import pyarrow as pa

    from conflictmodel.tables.store import _entries

    given_maps = pa.array(maps, pa.map_(pa.string(), pa.string())).slice(start, size)
    found = [
        None if entries is None else [(pair["key"], pair["value"]) for pair in entries]
        for entries in _entries(given_maps).to_pylist()
    ]
    assert found == given_maps.to_pylist()
