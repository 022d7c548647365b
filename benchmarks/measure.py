"""One size's measurements, in a fresh process: ``python -m benchmarks.measure FILE REPEAT``.

Prints one JSON object of medians (seconds unless named otherwise). A fresh process makes the
memory and first-query numbers those of a program that has just loaded the file.
"""

from __future__ import annotations

import datetime
import gc
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import duckdb
import orjson
import pandas as pd

import conflictmodel as cm
from conflictmodel import tables
from conflictmodel.tables import queries

PERIOD = "2017-01/2017-06"
WITHIN = "country-1"
AGREEMENT = "agr-00"


def resident_bytes() -> int:
    """The resident set size of this process."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * 4096


def median_time(action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def parse_only(path: Path) -> list[Any]:
    """The floor: orjson parsing every line of the file (no cyclic GC, as the loader runs)."""
    gc.disable()
    try:
        with path.open("rb") as stream:
            return [orjson.loads(line) for line in stream]
    finally:
        gc.enable()


def figure_frame(opened: tables.Tables) -> pd.DataFrame:
    """The killed figures the default perspective sums, as the long-form table a pandas user
    would have: one row per figure, with the event's first and last day (days since 1970) and
    its place; tolls left out, as the query does."""
    chosen = queries.chosen_events(opened, None, None, None)
    figures = queries.visible_figures(opened, chosen, None)
    figures = figures.filter(figures.measure == "killed")
    events = opened.table("events")
    joined = figures.join(events, figures.event == events.id)
    frame: pd.DataFrame = (
        joined.select(
            actor=joined.actor,
            killed_low=joined.low,
            killed_best=joined.best,
            killed_high=joined.high.cast("float64"),
            when_start=joined.when_start.epoch_days(),
            when_end=joined.when_end.epoch_days(),
            where=joined.where,
        )
        .to_pyarrow()
        .to_pandas()
    )
    return frame


def flat_figures(ds: cm.Dataset) -> pd.DataFrame:
    """:func:`figure_frame` of ``ds``, made with DuckDB over its tables."""
    with tempfile.TemporaryDirectory() as folder:
        tables.write(ds, Path(folder) / "t")
        return figure_frame(tables.open(Path(folder) / "t"))


def pandas_totals(frame: pd.DataFrame, first: int | None, last: int | None, places: Any) -> Any:
    rows = frame
    if first is not None and last is not None:
        rows = rows[(rows["when_end"] >= first) & (rows["when_start"] <= last)]
    if places is not None:
        rows = rows[rows["where"].isin(places)]
    columns = ["killed_low", "killed_best", "killed_high"]
    return rows.groupby("actor", dropna=False)[columns].sum()


def duckdb_totals(connection: Any, first: int | None, last: int | None, places: Any) -> Any:
    filters = ["TRUE"]
    if first is not None and last is not None:
        filters.append(f"when_end >= {first} AND when_start <= {last}")
    if places is not None:
        filters.append('"where" IN (SELECT id FROM places)')
    return connection.execute(
        "SELECT actor, sum(killed_low), sum(killed_best), sum(killed_high) FROM figures "
        f"WHERE {' AND '.join(filters)} GROUP BY actor"
    ).fetchall()


def measure(path: Path, repeat: int) -> dict[str, Any]:
    """Everything for one file; the floor last, once the dataset is gone."""
    results = measure_dataset(path, repeat)
    gc.collect()
    results["orjson"] = median_time(lambda: parse_only(path), repeat)
    return results


def measure_dataset(path: Path, repeat: int) -> dict[str, Any]:
    results: dict[str, Any] = {}
    gc.collect()
    before = resident_bytes()
    started = time.perf_counter()
    ds = cm.load(path, gc_freeze=True)
    results["load"] = time.perf_counter() - started
    results["memory_bytes"] = resident_bytes() - before
    results["events"] = len(ds.events)
    results["records"] = len(ds)
    started = time.perf_counter()
    cm.casualties_by_actor(ds)
    results["first_query"] = time.perf_counter() - started
    started = time.perf_counter()
    cm.ceasefire_violations(ds, AGREEMENT)
    results["first_violations"] = time.perf_counter() - started

    results["casualties"] = median_time(lambda: cm.casualties_by_actor(ds), repeat)
    results["casualties_filtered"] = median_time(
        lambda: cm.casualties_by_actor(ds, period=PERIOD, within=WITHIN), repeat
    )
    results["violations"] = median_time(lambda: cm.ceasefire_violations(ds, AGREEMENT), repeat)
    results["violations_found"] = len(cm.ceasefire_violations(ds, AGREEMENT))
    scope = ds.agreements[AGREEMENT].scope
    inside = {p for area in scope for p in (area, *ds.location_descendants(area))}
    in_scope = sum(event.where in inside for event in ds.events.values())
    results["scope_share"] = in_scope / max(len(ds.events), 1)

    frame = flat_figures(ds)
    results["figure_rows"] = len(frame)
    span = cm.when(PERIOD)
    epoch = datetime.date(1970, 1, 1)
    first, last = ((day - epoch).days for day in (span.start, span.end))  # type: ignore[operator]
    places = [WITHIN, *ds.location_descendants(WITHIN)]
    ours = dict(cm.casualties_by_actor(ds, period=PERIOD, within=WITHIN))
    theirs = pandas_totals(frame, first, last, places)
    assert {k: v.best for k, v in ours.items()} == {
        (None if pd.isna(k) else k): int(v) for k, v in theirs["killed_best"].items()
    }, "pandas and conflictmodel disagree"
    results["pandas"] = median_time(lambda: pandas_totals(frame, None, None, None), repeat)
    results["pandas_filtered"] = median_time(
        lambda: pandas_totals(frame, first, last, places), repeat
    )
    connection = duckdb.connect()
    connection.register("figures", frame)
    connection.register("places", pd.DataFrame({"id": places}))
    results["duckdb"] = median_time(lambda: duckdb_totals(connection, None, None, None), repeat)
    results["duckdb_filtered"] = median_time(
        lambda: duckdb_totals(connection, first, last, places), repeat
    )
    return results


def main() -> None:
    path, repeat = Path(sys.argv[1]), int(sys.argv[2])
    print(json.dumps(measure(path, repeat)))


if __name__ == "__main__":
    main()
