"""Run the benchmarks and write ``docs/performance.md``: ``python -m benchmarks [options]``.

``--sizes 10k,100k,1m``: synthetic worlds loaded in memory and written as tables, each measured
in memory and on DuckDB with the pandas and DuckDB baselines; ``--big 10m``: worlds made by
repeating the tables of the largest of ``--sizes`` (never loaded in memory), measured on DuckDB;
``--spark 1m,10m``: those sizes on Spark in local mode too; ``--held 100k``: the largest size
also measured on :func:`conflictmodel.tables.from_dataset`; ``--budget 30``: the minutes a
``--big`` or Spark step may take, estimated linearly from the step before it, over which it is
skipped (and the page says so); ``--acled 1m``: the rows of the ACLED-format CSV file
imported (and the JSON Lines file that import writes, loaded columns first); ``--repeat N``:
how often each warm measurement runs (the median is reported);
``--fresh 3``: how many fresh processes each DuckDB step and each columns-first load runs in
(each number is the median over them); the Spark steps run last, so that no other step
follows their heavy processes;
``--data DIR``: where generated files are kept between runs; ``--prepare``: generate the files
and tables only; ``--render``: write the page again from the raw numbers of the last run.
Every step runs in a fresh process.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks import generate, report
from benchmarks.generate import FORMAT_VERSION
from conflictmodel.tables import ROW_GROUP_ROWS
from conflictmodel.tables.layout import FORMAT_VERSION as TABLES_FORMAT

UCDP = Path(__file__).resolve().parents[2] / "shared" / "data" / "ucdp" / "ged_syria_2016-2019.csv"


def count(text: str) -> int:
    """``10k`` -> 10,000; ``1m`` -> 1,000,000."""
    text = text.strip().lower()
    scale = {"k": 1_000, "m": 1_000_000}.get(text[-1:], 1)
    return int(float(text.rstrip("km")) * scale)


def counts(text: str) -> list[int]:
    return [count(part) for part in text.split(",") if part.strip()]


def load_average() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])


class Run:
    """The results so far, and the machine's load around each step."""

    def __init__(self, data: Path, repeat: int, out: Path) -> None:
        self.data, self.repeat, self.out = data, repeat, out
        self.results: dict[str, Any] = {
            "machine": report.machine(),
            "tables_format": TABLES_FORMAT,
            "row_group_rows": ROW_GROUP_ROWS,
            "repeat": repeat,
            "started": datetime.datetime.now(datetime.UTC).isoformat(timespec="minutes"),
            "loads": [],
            "sizes": {},
            "big": {},
            "problems": [],
            "skipped": [],
            "spark_sizes": [],
        }

    def write(self) -> None:
        """Write the page and the raw numbers with what is measured so far."""
        self.results["finished"] = datetime.datetime.now(datetime.UTC).isoformat(timespec="minutes")
        raw = self.data / "results.json"
        raw.write_text(json.dumps(self.results, indent=1, default=str))
        self.out.write_text(report.render(self.results))

    def step(self, label: str, module: str, *arguments: object) -> dict[str, Any]:
        """Run ``python -m module arguments`` and return the JSON object it prints last."""
        print(f"{time.strftime('%H:%M:%S')} {label}", file=sys.stderr, flush=True)
        before = load_average()
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-m", module, *map(str, arguments)],
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            raise SystemExit(f"{label} failed:\n{done.stderr[-3000:]}")
        self.results["loads"].append(
            {
                "step": label,
                "seconds": round(time.perf_counter() - started, 1),
                "load": [before, load_average()],
            }
        )
        found: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
        return found

    def fresh_step(self, label: str, times: int, module: str, *arguments: object) -> dict[str, Any]:
        """:meth:`step` run ``times`` times, each in a fresh process: the first run's results
        (its answers), each number replaced by its median over the runs (a warm time is
        already the median of a process's repeats), with every run's number under ``runs``."""
        found = [
            self.step(label if number == 0 else f"{label} (run {number + 1})", module, *arguments)
            for number in range(times)
        ]
        first = found[0]
        first["runs"] = {
            key: [run[key] for run in found]
            for key, value in first.items()
            if isinstance(value, int | float)
            and all(isinstance(run.get(key), int | float) for run in found)
        }
        for key, values in first["runs"].items():
            first[key] = statistics.median(values)
        return first

    def wall(self, label: str) -> float:
        """The wall time of the step ``label``."""
        return float(next(s["seconds"] for s in self.results["loads"] if s["step"] == label))

    def fits(self, label: str, basis: str, factor: float, budget: float) -> bool:
        """Whether ``label`` fits in ``budget`` minutes, estimated as ``factor`` times the wall
        time of the step ``basis``; a step that does not is recorded as skipped."""
        estimate = self.wall(basis) * factor / 60
        if estimate <= budget:
            return True
        self.results["skipped"].append(
            f"{label}: not run; estimated at {estimate:.0f} minutes ({factor:g} × the "
            f"{self.wall(basis) / 60:.1f} minutes of {basis}), over the {budget:.0f}-minute budget"
        )
        return False

    def problem(self, text: str) -> None:
        print(f"PROBLEM: {text}", file=sys.stderr, flush=True)
        self.results["problems"].append(text)


def jsonl(data: Path, events: int) -> Path:
    path = data / f"synthetic-v{FORMAT_VERSION}-{events}.jsonl"
    if not path.is_file():
        print(f"generating {events:,} events -> {path}", file=sys.stderr, flush=True)
        generate.write_jsonl(path, events)
    return path


def tables_of(data: Path, events: int) -> Path:
    """The folder of the tables of ``events`` events, named by both format versions (a new
    table layout writes them again)."""
    return data / f"tables-v{FORMAT_VERSION}-t{TABLES_FORMAT}-{events}"


def write_tables(path: Path, folder: Path) -> None:
    import conflictmodel as cm
    from conflictmodel import tables

    if not folder.is_dir():
        print(f"writing the tables of {path} -> {folder}", file=sys.stderr, flush=True)
        tables.write(cm.load(path, gc_freeze=True), folder)


def big_tables(data: Path, events: int, largest: int) -> Path:
    folder = tables_of(data, events)
    if folder.is_dir() and not grouped_as_written(folder):
        print(f"{folder} has row groups unlike tables.write's: repeating again", file=sys.stderr)
        shutil.rmtree(folder)
    if not folder.is_dir():
        if events % largest:
            raise SystemExit(f"--big {events:,} is not a multiple of the largest size {largest:,}")
        source = tables_of(data, largest)
        print(f"repeating {source} {events // largest} times -> {folder}", file=sys.stderr)
        partial = folder.with_name(folder.name + ".partial")
        generate.replicate_tables(source, partial, events // largest)
        partial.replace(folder)
    return folder


def grouped_as_written(folder: Path) -> bool:
    """Whether the events of the tables in ``folder`` are in row groups of the rows
    :func:`conflictmodel.tables.write` writes (tables repeated before 2026-11-27 were not)."""
    import pyarrow.parquet as pq

    metadata = pq.ParquetFile(folder / "events.parquet").metadata
    return metadata.num_row_groups == 0 or int(metadata.row_group(0).num_rows) <= ROW_GROUP_ROWS


def acled_file(data: Path, rows: int) -> Path:
    path = data / f"acled-{rows}.csv"
    if not path.is_file():
        print(f"generating {rows:,} ACLED rows -> {path}", file=sys.stderr, flush=True)
        generate.write_acled(path, rows, UCDP)
    return path


def acled_jsonl(data: Path, rows: int) -> Path:
    """The JSON Lines file the import of the ACLED-format file of ``rows`` rows writes
    (imported in a process of its own)."""
    path = data / f"acled-{rows}-v{FORMAT_VERSION}.jsonl"
    if not path.is_file():
        source = acled_file(data, rows)
        print(f"importing {source} -> {path}", file=sys.stderr, flush=True)
        command = ["-m", "benchmarks.imports", "write-jsonl", str(source), str(path)]
        subprocess.run([sys.executable, *command], check=True, capture_output=True)
    return path


def scaled(answers: dict[str, Any], copies: int) -> dict[str, Any]:
    """The answers of a world repeated ``copies`` times: every count times ``copies``."""

    def times(numbers: list[int | None]) -> list[int | None]:
        return [None if n is None else n * copies for n in numbers]

    return {
        "plain": {k: times(v) for k, v in answers["plain"].items()},
        "filtered": {k: times(v) for k, v in answers["filtered"].items()},
        "violations": len(answers["violations"]) * copies,
    }


def compare(run: Run, what: str, ours: dict[str, Any], expected: dict[str, Any]) -> bool:
    """Whether two sets of answers agree; a disagreement is recorded as a problem."""
    same = True
    for key in ("plain", "filtered", "violations"):
        mine, theirs = ours[key], expected[key]
        if isinstance(theirs, int):
            mine = len(mine)
        if mine != theirs:
            same = False
            if isinstance(mine, dict):
                keys = mine.keys() | theirs.keys()
                differ = sorted(k for k in keys if mine.get(k) != theirs.get(k))
                shown = ", ".join(f"{k}: {mine.get(k)} vs {theirs.get(k)}" for k in differ[:5])
                run.problem(f"{what}: {key} differs for {len(differ)} actors ({shown})")
            else:
                run.problem(f"{what}: {key} differs ({str(mine)[:300]} vs {str(theirs)[:300]})")
    return same


def on_spark(run: Run, size: int, folder: Path, entry: dict[str, Any], budget: float) -> None:
    """Run ``size`` on Spark if the estimate from the last size run on Spark fits ``budget``."""
    label = f"{size:,} on Spark"
    done = run.results["spark_sizes"]
    if done and not run.fits(label, f"{done[-1]:,} on Spark", size / done[-1], budget):
        return
    entry["spark"] = run.step(label, "benchmarks.engines", folder, run.repeat, "spark")
    done.append(size)
    entry["spark"]["same_as_duckdb"] = compare(
        run, f"{size:,} Spark vs DuckDB", entry["spark"]["answers"], entry["duckdb"]["answers"]
    )
    run.write()


LAZY_FROM = 100_000
"""The smallest size also loaded columns first (``cm.load(lazy=True)``)."""

CAPPED = "512MB"
"""DuckDB's memory limit for one more columns-first load of the largest size."""


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m benchmarks", description=__doc__)
    parser.add_argument("--sizes", default="10k,100k,1m")
    parser.add_argument("--big", default="10m", help="sizes on DuckDB only")
    parser.add_argument("--spark", default="100k,1m,10m", help="sizes also run on Spark")
    parser.add_argument("--acled", default="1m", help="rows of the ACLED-format file")
    parser.add_argument("--held", default="100k", help="largest size run on from_dataset")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--fresh", type=int, default=3, help="processes per DuckDB or lazy step")
    parser.add_argument("--data", type=Path, default=Path(tempfile.gettempdir()) / "cm-bench")
    parser.add_argument("--out", type=Path, default=Path("docs/performance.md"))
    parser.add_argument("--prepare", action="store_true", help="only generate files and tables")
    parser.add_argument("--render", action="store_true", help="rewrite the page from the last run")
    parser.add_argument("--budget", type=float, default=30, help="minutes a big step may take")
    options = parser.parse_args(argv)
    sizes, big, spark = counts(options.sizes), counts(options.big), set(counts(options.spark))
    data: Path = options.data
    data.mkdir(parents=True, exist_ok=True)
    if options.prepare:
        for size in sizes:
            write_tables(jsonl(data, size), tables_of(data, size))
        for size in big:
            big_tables(data, size, max(sizes))
        acled_jsonl(data, count(options.acled))
        return
    if options.render:
        raw = json.loads((data / "results.json").read_text())
        options.out.write_text(report.render(raw))
        return
    run = Run(data, options.repeat, options.out)
    results = run.results
    results["package"] = run.step("import conflictmodel", "benchmarks.imports", "package", 7)
    results["construction"] = run.step("construction", "benchmarks.construction")
    if UCDP.is_file():
        results["ucdp"] = run.step("UCDP", "benchmarks.imports", "ucdp", UCDP, options.repeat)
    for size in sizes:
        path, folder = jsonl(data, size), tables_of(data, size)
        entry: dict[str, Any] = {"file_bytes": path.stat().st_size}
        held = "held" if size <= count(options.held) else "-"
        entry["memory"] = run.step(
            f"{size:,} in memory", "benchmarks.measure", path, folder, options.repeat, held
        )
        if size >= LAZY_FROM:
            entry["lazy"] = run.fresh_step(
                f"{size:,} cm.load(lazy=True)",
                options.fresh,
                "benchmarks.measure",
                path,
                folder,
                options.repeat,
                "-",
                "lazy",
            )
            entry["lazy"]["same_as_memory"] = compare(
                run,
                f"{size:,} cm.load(lazy=True) vs cm.load(lazy=False)",
                entry["lazy"]["answers"],
                entry["memory"]["answers"],
            )
        if size >= LAZY_FROM and size == max(sizes):
            entry["capped"] = run.step(
                f"{size:,} cm.load(lazy=True) in {CAPPED}",
                "benchmarks.measure",
                path,
                folder,
                options.repeat,
                "-",
                f"lazy:{CAPPED}",
            )
            entry["capped"]["same_as_memory"] = compare(
                run,
                f"{size:,} cm.load(lazy=True) in {CAPPED} vs cm.load(lazy=False)",
                entry["capped"]["answers"],
                entry["memory"]["answers"],
            )
        for engine, label in (
            ("duckdb", "on DuckDB"),
            ("hold", "tables.open(hold=True)"),
            ("loaded", "tables.load"),
        ):
            entry[engine] = run.fresh_step(
                f"{size:,} {label}",
                options.fresh,
                "benchmarks.engines",
                folder,
                options.repeat,
                engine,
            )
            entry[engine]["same_as_memory"] = compare(
                run,
                f"{size:,} {label.removeprefix('on ')} vs in memory",
                entry[engine]["answers"],
                entry["memory"]["answers"],
            )
        if "held" in entry["memory"]:
            entry["held"] = entry["memory"].pop("held")
            entry["held"]["same_as_memory"] = compare(
                run,
                f"{size:,} from_dataset vs in memory",
                entry["held"]["answers"],
                entry["memory"]["answers"],
            )
        results["sizes"][size] = entry
        run.write()
    rows = count(options.acled)
    results["acled"] = run.step(
        f"ACLED {rows:,}", "benchmarks.imports", "acled", acled_file(data, rows), 1
    )
    results["acled_records"] = run.step(
        f"ACLED {rows:,} lazy=False",
        "benchmarks.imports",
        "acled-records",
        acled_file(data, rows),
        1,
    )
    results["acled_lazy"] = run.fresh_step(
        f"ACLED {rows:,} cm.load(lazy=True)",
        options.fresh,
        "benchmarks.imports",
        "lazy",
        acled_jsonl(data, rows),
    )
    run.write()
    for size in big:
        largest = max(sizes)
        copies = size // largest
        if not run.fits(f"{size:,} on DuckDB", f"{largest:,} on DuckDB", copies, options.budget):
            continue
        folder = big_tables(data, size, largest)
        expected = scaled(results["sizes"][largest]["duckdb"]["answers"], copies)
        entry = {"repeated_from": largest}
        results["big"][size] = entry
        entry["duckdb"] = run.fresh_step(
            f"{size:,} on DuckDB",
            options.fresh,
            "benchmarks.engines",
            folder,
            options.repeat,
            "duckdb",
        )
        entry["duckdb"]["same_as_scaled"] = compare(
            run,
            f"{size:,} DuckDB vs {size // largest} × {largest:,}",
            entry["duckdb"]["answers"],
            expected,
        )
        run.write()
    for size in sorted(spark):
        entry = results["sizes"].get(size) or results["big"].get(size)
        if entry is not None and "duckdb" in entry:
            on_spark(run, size, tables_of(data, size), entry, options.budget)
    run.write()
    print(f"wrote {options.out} (raw numbers in {data / 'results.json'})", file=sys.stderr)
    if results["problems"]:
        raise SystemExit("answers differ:\n" + "\n".join(results["problems"]))


if __name__ == "__main__":
    os.environ.setdefault("PYTHONHASHSEED", "0")
    main()
