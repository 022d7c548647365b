"""Run the benchmarks and write ``docs/performance.md``: ``python -m benchmarks [options]``.

``--sizes 10k,100k,1m`` picks the synthetic sizes, ``--repeat N`` how often each measurement
runs (the median is reported; load, memory and first query each get N fresh processes),
``--tables 1m`` the size whose tables are measured on DuckDB (``--spark`` adds Spark in local
mode), ``--data DIR`` where the generated files are kept between runs.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks import generate, report

UCDP = Path(__file__).resolve().parents[2] / "shared" / "data" / "ucdp" / "ged_syria_2016-2019.csv"


def count(text: str) -> int:
    """``10k`` -> 10,000; ``1m`` -> 1,000,000."""
    text = text.strip().lower()
    scale = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    return int(float(text.rstrip("km")) * scale)


def run_size(path: Path, repeat: int) -> dict[str, Any]:
    runs = []
    for _ in range(repeat):
        output = subprocess.run(
            [sys.executable, "-m", "benchmarks.measure", str(path), str(repeat)],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        runs.append(json.loads(output))
    return {key: statistics.median(run[key] for run in runs) for key in runs[0]}


def run_ucdp(repeat: int) -> float | None:
    if not UCDP.is_file():
        return None
    from conflictmodel.io.ucdp import read_ged

    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        read_ged(UCDP, errors="raise", progress=lambda done, expected: None)
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def run_engines(path: Path, folder: Path, repeat: int, spark: bool) -> dict[str, Any]:
    """Write the tables of the synthetic file once, then measure each engine in a fresh process."""
    import conflictmodel as cm
    from conflictmodel import tables

    results: dict[str, Any] = {}
    if not (folder / "events.parquet").is_file():
        ds = cm.load(path)
        started = time.perf_counter()
        tables.write(ds, folder)
        results["write"] = time.perf_counter() - started
        results["events"] = len(ds.events)
        del ds
    else:
        results["write"] = float("nan")
        results["events"] = int(path.stem.rsplit("-", 1)[-1])
    results["bytes_on_disk"] = sum(p.stat().st_size for p in folder.glob("*.parquet"))
    for engine in ("duckdb", "spark") if spark else ("duckdb",):
        output = subprocess.run(
            [sys.executable, "-m", "benchmarks.engines", str(folder), str(repeat), engine],
            check=True,
            capture_output=True,
            text=True,
        ).stdout
        results[engine] = json.loads(output.strip().splitlines()[-1])
    return results


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--sizes", default="10k,100k,1m")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--tables", default="1m", help="events in the tables run, e.g. 1m")
    parser.add_argument("--spark", action="store_true", help="also run the tables on Spark")
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "cm-bench")
    parser.add_argument("--out", type=Path, default=Path("docs/performance.md"))
    options = parser.parse_args(argv)
    sizes = [count(size) for size in options.sizes.split(",")]
    results: dict[str, Any] = {"sizes": {}, "machine": report.machine()}
    for size in sizes:
        path = options.data / f"synthetic-{size}.jsonl"
        if not path.is_file():
            print(f"generating {size:,} events -> {path}", file=sys.stderr)
            generate.write_jsonl(path, size)
        print(f"measuring {size:,} events", file=sys.stderr)
        results["sizes"][size] = run_size(path, options.repeat)
        results["sizes"][size]["file_bytes"] = path.stat().st_size
    results["ucdp"] = run_ucdp(options.repeat)
    if options.tables:
        events = count(options.tables)
        path = options.data / f"synthetic-{events}.jsonl"
        if not path.is_file():
            generate.write_jsonl(path, events)
        print(f"tables: {events:,} events", file=sys.stderr)
        results["tables"] = run_engines(
            path, options.data / f"tables-{events}", options.repeat, options.spark
        )
    raw = options.data / "results.json"
    raw.write_text(json.dumps(results, indent=2, default=str))
    options.out.write_text(report.render(results, options.repeat))
    print(f"wrote {options.out} (raw numbers in {raw})", file=sys.stderr)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
