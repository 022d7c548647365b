"""One size's tables on one engine, in a fresh process:
``python -m benchmarks.engines FOLDER REPEAT ENGINE``.

FOLDER holds tables written by :func:`conflictmodel.tables.write`; ENGINE is ``duckdb``,
``spark`` (local mode, two cores), ``hold`` (DuckDB, the tables copied into memory:
``tables.open(hold=True)``) or ``loaded`` (:func:`conflictmodel.tables.load`: the
folder as a dataset over DuckDB, timed in place of ``open``). Times importing Ibis and the
engine, then
:func:`conflictmodel.tables.open` and the resident memory it added, the first and the warm
``casualties_by_actor`` (plain, and with ``period`` + ``within`` + ``according_to``), the
first and warm ``ceasefire_violations`` of one agreement, and the peak memory the queries
added. On DuckDB, the baselines too: the figure rows each perspective sees
(:func:`conflictmodel.tables.queries.visible_figures`) exported once as a long table (one row
per killed figure, with its event's first and last day and place), then grouped by actor and
summed in pandas and in DuckDB; their answers must equal the query's.
Prints one JSON object.
"""

from __future__ import annotations

import datetime
import gc
import json
import math
import sys
from pathlib import Path
from typing import Any, Literal

import duckdb
import pandas as pd

import conflictmodel as cm
from benchmarks.measure import (
    CLAIMANT,
    PERIOD,
    WITHIN,
    import_engine,
    median_time,
    over_time_times,
    peak_resident_bytes,
    query_times,
    resident_bytes,
    timed,
)
from conflictmodel import tables
from conflictmodel.tables import queries

_EPOCH = datetime.date(1970, 1, 1)
COUNTS = ["low", "best", "high"]


def figure_rows(opened: tables.Tables, camp: frozenset[str] | None) -> Any:
    """The killed figures ``camp`` (``None``: the default perspective) sees, one row each, with
    the event's first and last day (days since 1970) and its place, as an Arrow table."""
    chosen = queries.chosen_events(opened, camp, None, None)
    figures = queries.visible_figures(opened, chosen, camp)
    figures = figures.filter(figures.measure == "killed")
    events = opened.table("events")
    joined = figures.join(events, figures.event == events.id)
    return joined.select(
        actor=joined.actor,
        low=joined.low.cast("float64"),
        best=joined.best.cast("float64"),
        high=joined.high.cast("float64"),
        when_start=joined.when_start.epoch_days(),
        when_end=joined.when_end.epoch_days(),
        where=joined.where,
    ).to_pyarrow()


def pandas_totals(frame: pd.DataFrame, first: int | None, last: int | None, places: Any) -> Any:
    """Sum the figures per actor as the query does: a best (or high) is unknown when one of the
    figures summed has none."""
    rows = frame
    if first is not None and last is not None:
        rows = rows[(rows["when_end"] >= first) & (rows["when_start"] <= last)]
    if places is not None:
        rows = rows[rows["where"].isin(places)]
    return rows.groupby("actor", dropna=False)[COUNTS].sum(skipna=False)


def duckdb_totals(connection: Any, first: int | None, last: int | None, filtered: bool) -> Any:
    """The same sums in DuckDB, over the Arrow table registered as ``figures``."""
    source, conditions = ("mine", ["TRUE"]) if filtered else ("figures", ["TRUE"])
    if first is not None and last is not None:
        conditions.append(f"when_end >= {first} AND when_start <= {last}")
    if filtered:
        conditions.append('"where" IN (SELECT id FROM places)')
    return connection.execute(
        "SELECT actor, sum(low), "
        "CASE WHEN count(best) = count(*) THEN sum(best) END, "
        "CASE WHEN count(high) = count(*) THEN sum(high) END "
        f"FROM {source} WHERE {' AND '.join(conditions)} GROUP BY actor"
    ).fetchall()


def _number(value: float | None) -> int | None:
    """A sum as an exact count (sums of counts below 2**53 are exact in float64)."""
    return None if value is None or math.isnan(value) else int(value)


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def frame_totals(frame: pd.DataFrame) -> dict[str, list[int | None]]:
    """:func:`pandas_totals`' answer in the form of :func:`benchmarks.measure.totals`."""
    return {
        json.dumps(_text(actor)): [_number(row[c]) for c in COUNTS]
        for actor, row in frame.iterrows()
    }


def duckdb_answer(rows: list[tuple[Any, ...]]) -> dict[str, list[int | None]]:
    return {json.dumps(row[0]): [_number(v) for v in row[1:]] for row in rows}


def check(name: str, baseline: dict[str, Any], ours: dict[str, Any]) -> None:
    """Stop when a baseline does not give the query's answer: then it did not do the same work."""
    if baseline != ours:
        differ = sorted(k for k in baseline.keys() | ours.keys() if baseline.get(k) != ours.get(k))
        shown = ", ".join(f"{k}: {baseline.get(k)} vs {ours.get(k)}" for k in differ[:5])
        raise SystemExit(
            f"{name} and conflictmodel disagree on {len(differ)} of {len(ours)} actor totals "
            f"(baseline vs ours): {shown}"
        )


def baselines(opened: tables.Tables, repeat: int, answers: dict[str, Any]) -> dict[str, Any]:
    """pandas and DuckDB summing the rows each perspective sees; checked against ``answers``."""
    results: dict[str, Any] = {}
    results["export"], everyone = timed(lambda: figure_rows(opened, None))
    mine = figure_rows(opened, frozenset({CLAIMANT}))
    results["figure_rows"] = everyone.num_rows
    span = cm.when(PERIOD)
    first, last = ((day - _EPOCH).days for day in (span.start, span.end))  # type: ignore[operator]
    places = [WITHIN, *opened.dimensions.location_descendants(WITHIN)]
    frames = everyone.to_pandas(), mine.to_pandas()
    check("pandas", frame_totals(pandas_totals(frames[0], None, None, None)), answers["plain"])
    check(
        "pandas",
        frame_totals(pandas_totals(frames[1], first, last, places)),
        answers["filtered"],
    )
    results["pandas"] = median_time(lambda: pandas_totals(frames[0], None, None, None), repeat)
    results["pandas_filtered"] = median_time(
        lambda: pandas_totals(frames[1], first, last, places), repeat
    )
    connection = duckdb.connect()
    connection.register("figures", everyone)
    connection.register("mine", mine)
    connection.register("places", pd.DataFrame({"id": places}))
    plain = duckdb_answer(duckdb_totals(connection, None, None, False))
    check("DuckDB", plain, answers["plain"])
    filtered = duckdb_answer(duckdb_totals(connection, first, last, True))
    check("DuckDB", filtered, answers["filtered"])
    results["duckdb"] = median_time(lambda: duckdb_totals(connection, None, None, False), repeat)
    results["duckdb_filtered"] = median_time(
        lambda: duckdb_totals(connection, first, last, True), repeat
    )
    return results


def spark_session() -> Any:
    from pyspark.sql import SparkSession

    spark = (
        SparkSession.builder.master("local[2]")
        .config("spark.ui.enabled", "false")
        .config("spark.sql.shuffle.partitions", "4")
        .config("spark.driver.memory", "4g")
        .getOrCreate()
    )
    spark.sparkContext.setLogLevel("ERROR")
    return spark


def measure(folder: Path, repeat: int, engine: str) -> dict[str, Any]:
    results: dict[str, Any] = {}
    spark = spark_session() if engine == "spark" else None
    results["engine_import"], _ = timed(import_engine)
    gc.collect()
    before = resident_bytes()
    if engine == "loaded":
        results["open"], loaded = timed(lambda: tables.load(folder))
        results["memory_bytes"] = resident_bytes() - before
        results.update(query_times(loaded, repeat))
        results["query_peak_bytes"] = peak_resident_bytes() - before
        results.update(over_time_times(loaded, repeat))
        results["events"] = len(loaded.events)
        return results
    on: Literal["duckdb", "spark"] = "spark" if engine == "spark" else "duckdb"
    hold = engine == "hold"
    results["open"], opened = timed(lambda: tables.open(folder, engine=on, spark=spark, hold=hold))
    results["memory_bytes"] = resident_bytes() - before
    results.update(query_times(opened, repeat))
    results["query_peak_bytes"] = peak_resident_bytes() - before
    results["events"] = opened.run(opened.table("events").count().name("n").as_table())[0]["n"]
    if engine == "duckdb":
        results.update(baselines(opened, repeat, results["answers"]))
    return results


def main() -> None:
    folder, repeat, engine = Path(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    print(json.dumps(measure(folder, repeat, engine)))


if __name__ == "__main__":
    main()
