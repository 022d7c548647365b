"""The tables' numbers, in a fresh process: ``python -m benchmarks.engines FOLDER REPEAT [ENGINE]``.

FOLDER holds tables written by :func:`conflictmodel.tables.write`. Prints one JSON object of
medians (seconds unless named otherwise): open, resident memory after open, the first and the
warm ``casualties_by_actor`` (plain, and with ``period`` + ``within`` + ``according_to``),
pandas on the same rows, and the warm ``ceasefire_violations`` of one agreement. With
``spark``, the same queries on Spark in local mode, and whether they answer as DuckDB does.
"""

from __future__ import annotations

import gc
import json
import sys
import time
from pathlib import Path
from typing import Any

import conflictmodel as cm
from benchmarks.measure import (
    AGREEMENT,
    PERIOD,
    WITHIN,
    figure_frame,
    median_time,
    pandas_totals,
    resident_bytes,
)
from conflictmodel import tables

CLAIMANT = "state-00"


def measure(folder: Path, repeat: int, engine: str) -> dict[str, Any]:
    results: dict[str, Any] = {}
    spark = None
    if engine == "spark":
        from pyspark.sql import SparkSession

        spark = (
            SparkSession.builder.master("local[2]")
            .config("spark.ui.enabled", "false")
            .config("spark.sql.shuffle.partitions", "4")
            .getOrCreate()
        )
        spark.sparkContext.setLogLevel("ERROR")
    gc.collect()
    before = resident_bytes()
    started = time.perf_counter()
    opened = tables.open(folder, engine=engine, spark=spark)
    results["open"] = time.perf_counter() - started
    results["memory_bytes"] = resident_bytes() - before
    started = time.perf_counter()
    plain = cm.casualties_by_actor(opened)
    results["first_query"] = time.perf_counter() - started
    options: dict[str, Any] = {"period": PERIOD, "within": WITHIN, "according_to": CLAIMANT}
    results["casualties"] = median_time(lambda: cm.casualties_by_actor(opened), repeat)
    results["casualties_filtered"] = median_time(
        lambda: cm.casualties_by_actor(opened, **options), repeat
    )
    cm.ceasefire_violations(opened, AGREEMENT)
    results["violations"] = median_time(lambda: cm.ceasefire_violations(opened, AGREEMENT), repeat)
    violations = cm.ceasefire_violations(opened, AGREEMENT)
    results["violations_found"] = len(violations)
    results["answers"] = repr(sorted((str(k), str(v)) for k, v in plain.items()))
    results["violation_answers"] = repr([(v.violator, v.event) for v in violations])
    if engine == "duckdb":
        frame = figure_frame(opened)
        results["figure_rows"] = len(frame)
        results["pandas"] = median_time(lambda: pandas_totals(frame, None, None, None), repeat)
    return results


def main() -> None:
    folder, repeat = Path(sys.argv[1]), int(sys.argv[2])
    engine = sys.argv[3] if len(sys.argv) > 3 else "duckdb"
    print(json.dumps(measure(folder, repeat, engine)))


if __name__ == "__main__":
    main()
