"""Run the benchmarks and write ``docs/performance.md``: ``python -m benchmarks [options]``.

``--sizes 10k,100k,1m`` picks the synthetic sizes, ``--repeat N`` how often each measurement
runs (the median is reported; load, memory and first query each get N fresh processes),
``--parquet 10m`` adds the DuckDB-over-Parquet run at that many events (off by default: it
takes minutes), ``--data DIR`` where the generated files are kept between runs.
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


def run_parquet(folder: Path, events: int, repeat: int) -> dict[str, Any]:
    from benchmarks import bigparquet, measure
    from conflictmodel import parquet

    if not (folder / "scope.parquet").is_file():
        started = time.perf_counter()
        bigparquet.write(folder, events)
        generated = time.perf_counter() - started
    else:
        generated = float("nan")
    before = measure.resident_bytes()
    results: dict[str, Any] = {"events": events, "generated": generated}
    results["casualties"] = measure.median_time(lambda: parquet.casualties_by_actor(folder), repeat)
    results["casualties_filtered"] = measure.median_time(
        lambda: parquet.casualties_by_actor(folder, period=measure.PERIOD, within=measure.WITHIN),
        repeat,
    )
    results["violations"] = measure.median_time(
        lambda: parquet.observed_violations(folder, measure.AGREEMENT), repeat
    )
    results["memory_bytes"] = measure.resident_bytes() - before
    results["bytes_on_disk"] = sum(p.stat().st_size for p in folder.glob("*.parquet"))
    return results


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--sizes", default="10k,100k,1m")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--parquet", default=None, help="events in the Parquet run, e.g. 10m")
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
    if options.parquet:
        events = count(options.parquet)
        print(f"Parquet: {events:,} events", file=sys.stderr)
        results["parquet"] = run_parquet(options.data / f"parquet-{events}", events, options.repeat)
    raw = options.data / "results.json"
    raw.write_text(json.dumps(results, indent=2, default=str))
    options.out.write_text(report.render(results, options.repeat))
    print(f"wrote {options.out} (raw numbers in {raw})", file=sys.stderr)


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
