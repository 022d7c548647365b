"""One size in memory, in a fresh process:
``python -m benchmarks.measure FILE TABLES REPEAT [held|-] [lazy[:LIMIT]]``.

Loads the JSON Lines FILE into a :class:`~conflictmodel.Dataset` (every record built; columns
first, ``cm.load(lazy=True)``, with ``lazy``, DuckDB's memory limited to LIMIT when given) and
times the load, the resident memory it added and the peak while it ran, the first and the warm
``casualties_by_actor`` (plain, and with ``period`` + ``within`` + ``according_to``) and the
warm ``ceasefire_violations`` of one agreement, and with ``held`` the same on
:func:`conflictmodel.tables.from_dataset`; then writes the dataset's tables into TABLES (for
:mod:`benchmarks.engines`) unless they are there, and times orjson parsing the same file into
Python values, and pyarrow's multi-threaded JSON reader reading it into Arrow columns: the
floors of any loader, before any check. Prints one JSON object: times in seconds (medians of
REPEAT runs for the warm ones, one run where that would take over a minute) and the answers,
which the engines must give too.
"""

from __future__ import annotations

import gc
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import orjson

import conflictmodel as cm

PERIOD = "2017-01/2017-06"
WITHIN = "country-1"
CLAIMANT = "state-00"
AGREEMENT = "agr-00"


def filtered_totals(ds: Any) -> Any:
    """``casualties_by_actor`` with ``period``, ``within`` and ``according_to``."""
    return cm.casualties_by_actor(ds, period=PERIOD, within=WITHIN, according_to=CLAIMANT)


def resident_bytes() -> int:
    """The resident set size of this process."""
    pages = int(Path("/proc/self/statm").read_text().split()[1])
    return pages * 4096


def peak_resident_bytes() -> int:
    """The largest resident set size of this process so far (Linux's ``VmHWM``). Not
    ``ru_maxrss``: that keeps the peak of the process that started this one across the
    ``exec`` (a benchmark run that had just generated its data passed its 0.5 GiB on to
    every step it started)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    raise RuntimeError("/proc/self/status has no VmHWM line")


def median_time(action: Callable[[], object], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        action()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def warm_time(action: Callable[[], object], first: float, repeat: int) -> float | None:
    """The median of ``repeat`` warm runs of a query whose first run took ``first`` seconds;
    one run when that would take over a minute, none (``None``) when the first took over two."""
    if first > 120:
        return None
    return median_time(action, repeat if first * repeat <= 60 else 1)


def timed(action: Callable[[], object]) -> tuple[float, Any]:
    """The seconds ``action`` took, and what it returned."""
    started = time.perf_counter()
    found = action()
    return time.perf_counter() - started, found


def totals(answer: Any) -> dict[str, list[int | None]]:
    """A ``casualties_by_actor`` answer as JSON: actor (``"null"``: unattributed) to
    ``[low, best, high]``."""
    return {
        json.dumps(actor): [total.low, total.best, total.high] for actor, total in answer.items()
    }


def violations(found: Any) -> list[list[str]]:
    """A ``ceasefire_violations`` answer as JSON, in a stable order."""
    return sorted(
        [
            str(v.violator),
            str(v.event),
            "+".join(b.value for b in v.basis),
            v.certainty.value,
            ",".join(v.alleged_by),
            ",".join(v.denied_by),
        ]
        for v in found
    )


def parse_only(path: Path) -> list[Any]:
    """The floor: orjson parsing every line of the file (no cyclic GC, as the loader runs)."""
    gc.disable()
    try:
        with path.open("rb") as stream:
            return [orjson.loads(line) for line in stream]
    finally:
        gc.enable()


def arrow_parse_only(path: Path) -> Any:
    """The other floor: pyarrow's JSON reader (C++, on every core) reading the file's records
    into Arrow columns, the types inferred, nothing checked."""
    import pyarrow.json

    with path.open("rb") as stream:
        stream.readline()
        return pyarrow.json.read_json(stream)


def measure(
    path: Path, folder: Path, repeat: int, held: bool, lazy: bool, limit: str | None = None
) -> dict[str, Any]:
    """Everything for one file; the floors last, once the dataset is gone."""
    results = in_memory(path, folder, repeat, held, lazy, limit)
    gc.unfreeze()
    gc.collect()
    results["orjson"] = median_time(lambda: parse_only(path), 1)
    results["pyarrow_json"] = median_time(lambda: arrow_parse_only(path), 1)
    return results


def query_times(source: Any, repeat: int) -> dict[str, Any]:
    """The first and warm times of each query on ``source`` (a dataset or tables), and the
    answers, for the checks that every engine gives the same."""
    results: dict[str, Any] = {}
    results["first_query"], plain = timed(lambda: cm.casualties_by_actor(source))
    results["casualties"] = warm_time(
        lambda: cm.casualties_by_actor(source), results["first_query"], repeat
    )
    first, filtered = timed(lambda: filtered_totals(source))
    results["casualties_filtered"] = warm_time(lambda: filtered_totals(source), first, repeat)
    results["first_violations"], found = timed(lambda: cm.ceasefire_violations(source, AGREEMENT))
    results["violations"] = warm_time(
        lambda: cm.ceasefire_violations(source, AGREEMENT), results["first_violations"], repeat
    )
    results["answers"] = {
        "plain": totals(plain),
        "filtered": totals(filtered),
        "violations": violations(found),
    }
    return results


def over_time_times(ds: cm.Dataset, repeat: int) -> dict[str, float | None]:
    """The first and warm ``casualties_over_time`` by week, timed after the memory the other
    queries take is measured (its frame is not part of it)."""
    first, _ = timed(lambda: cm.casualties_over_time(ds, "W"))
    return {
        "first_over_time": first,
        "over_time": warm_time(lambda: cm.casualties_over_time(ds, "W"), first, repeat),
    }


def held_tables(ds: cm.Dataset, repeat: int) -> dict[str, Any]:
    """The same queries on :func:`conflictmodel.tables.from_dataset` (DuckDB over the loaded
    dataset's tables in memory), with the time it takes to build them."""
    from conflictmodel import tables

    results: dict[str, Any] = {}
    results["from_dataset"], held = timed(lambda: tables.from_dataset(ds))
    results.update(query_times(held, repeat))
    return results


def import_engine() -> None:
    """Import what :func:`conflictmodel.tables.open` and ``cm.load(lazy=True)`` need, so that
    their time and memory are those of the tables (the import is timed on its own)."""
    import ibis  # type: ignore[import-untyped]
    import pyarrow.dataset

    ibis.duckdb.connect().disconnect()
    del pyarrow.dataset


def in_memory(
    path: Path, folder: Path, repeat: int, held: bool, lazy: bool, limit: str | None = None
) -> dict[str, Any]:
    """The load (DuckDB's memory limited to ``limit``, spilling to a temporary folder, when
    given) and the queries on the dataset, then its tables written."""
    from conflictmodel import tables

    results: dict[str, Any] = {}
    if lazy:
        results["engine_import"], _ = timed(import_engine)
    settings = None
    if limit is not None:
        results["memory_limit"] = limit
        spill = tempfile.TemporaryDirectory(prefix="conflictmodel-bench-spill-")
        settings = {"memory_limit": limit, "temp_directory": spill.name}
    gc.collect()
    before = resident_bytes()
    results["load"], ds = timed(lambda: cm.load(path, gc_freeze=True, lazy=lazy, settings=settings))
    results["memory_bytes"] = resident_bytes() - before
    results["load_peak_bytes"] = peak_resident_bytes() - before
    results["events"] = len(ds.events)
    results["records"] = len(ds)
    results.update(query_times(ds, repeat))
    results["queries_bytes"] = resident_bytes() - before - results["memory_bytes"]
    results.update(over_time_times(ds, repeat))
    if held:
        results["held"] = held_tables(ds, repeat)
    if not folder.is_dir():
        results["write"], _ = timed(lambda: tables.write(ds, folder))
    return results


def main() -> None:
    path, folder, repeat = Path(sys.argv[1]), Path(sys.argv[2]), int(sys.argv[3])
    held = len(sys.argv) > 4 and sys.argv[4] == "held"
    how = sys.argv[5] if len(sys.argv) > 5 else ""
    lazy = how.split(":")[0] == "lazy"
    limit = how.split(":", 1)[1] if ":" in how else None
    print(json.dumps(measure(path, folder, repeat, held, lazy, limit)))


if __name__ == "__main__":
    main()
