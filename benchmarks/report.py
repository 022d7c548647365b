"""``docs/performance.md`` from the measured numbers."""

from __future__ import annotations

import os
import platform
import subprocess
import sys
from pathlib import Path
from typing import Any

import duckdb
import orjson
import pandas
import pyarrow

TARGET = 1_000_000
BIG = 10_000_000


def machine() -> dict[str, Any]:
    """What the numbers were measured on."""
    model = ""
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.is_file():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    try:
        import pyspark

        spark = f", pyspark {pyspark.__version__}"
    except ImportError:
        spark = ""
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    commit = subprocess.run(
        ["git", "describe", "--always", "--dirty"], capture_output=True, text=True
    ).stdout.strip()
    return {
        "commit": commit,
        "cpus": os.cpu_count(),
        "cpu": model or platform.processor(),
        "memory_gib": round(memory / 2**30),
        "python": sys.version.split()[0],
        "platform": platform.platform(),
        "versions": (
            f"pandas {pandas.__version__}, duckdb {duckdb.__version__}, "
            f"pyarrow {pyarrow.__version__}, orjson {orjson.__version__}{spark}"
        ),
    }


def seconds(value: float | None) -> str:
    if value is None:
        return "not re-run"
    return f"{value * 1000:.1f} ms" if value < 1 else f"{value:.2f} s"


def once(r: dict[str, Any], key: str) -> str:
    """A measurement made once per process, as the median over fresh processes when the step
    ran in several, with their range."""
    runs = r.get("runs", {}).get(key, [])
    if len(runs) < 2:
        return seconds(r[key])
    return (
        f"{seconds(r[key])} (median of {len(runs)} processes: "
        f"{seconds(min(runs))} to {seconds(max(runs))})"
    )


def met(ok: bool | None) -> str:
    if ok is None:
        return "not measured (first run over 2 minutes)"
    return "met" if ok else "**missed**"


def ratio(ours: float | None, baseline: float) -> str:
    return f"{ours / baseline:.2f}×" if baseline and ours is not None else ""


def at_most(ours: float | None, bound: float) -> bool | None:
    return None if ours is None else ours <= bound


def per_event(value: float, events: int) -> str:
    return f"{value / events:,.0f} B/event"


class Rows:
    """The rows of a table: at, operation, target, ours, baseline, ratio, verdict."""

    header = ("at", "operation", "target", "ours", "baseline", "ratio", "verdict")

    def __init__(self) -> None:
        self.rows: list[tuple[str, ...]] = []

    def add(self, *cells: str) -> None:
        self.rows.append(cells)

    def measured(self, at: str, operation: str, target: str, ours: str, verdict: str) -> None:
        """A row with no baseline to compare with."""
        self.add(at, operation, target, ours, "", "", verdict)

    def lines(self) -> list[str]:
        lines = ["| " + " | ".join(self.header) + " |", "|" + "---|" * len(self.header)]
        return lines + ["| " + " | ".join(row) + " |" for row in self.rows]


def _import_row(
    rows: Rows, imported: dict[str, Any], operation: str, target: float, verdict: str
) -> None:
    """The row of an import against pandas reading the same file, its target ``target``
    seconds."""
    rows.add(
        f"{int(imported['rows']):,} rows",
        operation,
        f"≤ {target:g} s",
        seconds(imported["seconds"]),
        f"pandas.read_csv {seconds(imported['pandas'])}",
        ratio(imported["seconds"], imported["pandas"]),
        verdict,
    )


def _after_import(rows: Rows, imported: dict[str, Any], how: str) -> None:
    """The rows of the first query after an import, and of the memory it left."""
    events = int(imported["events"])
    rows.measured(
        f"{events:,} events",
        f"first `casualties_by_actor` after {how}",
        "≤ 1 s",
        seconds(imported["first_query"]),
        met(imported["first_query"] <= 1),
    )
    rows.measured(
        f"{events:,} events",
        f"resident memory after {how}",
        "≤ 300 B/event",
        per_event(imported["memory_bytes"], events),
        met(imported["memory_bytes"] / events <= 300),
    )


def _load(rows: Rows, at: str, how: str, r: dict[str, Any], events: int, after: str) -> None:
    """The row of a JSON Lines load against orjson (and pyarrow) parsing the same file;
    ``after`` adds to the load's own numbers."""
    rate = events / r["load"]
    parsed = f"orjson parse only {seconds(r['orjson'])}"
    if "pyarrow_json" in r:
        parsed += f"; pyarrow.json read only {seconds(r['pyarrow_json'])}"
    rows.add(
        at,
        how,
        "≥ 200,000 events/s",
        f"{rate:,.0f} events/s ({seconds(r['load'])}){after}",
        parsed,
        ratio(r["load"], r["orjson"]),
        met(rate >= 200_000),
    )


def _queries(
    rows: Rows, at: str, where: str, r: dict[str, Any], baseline: dict[str, Any] | None
) -> None:
    """The warm casualty rows of one engine against pandas (and DuckDB) on the same rows."""
    for key, label in (
        ("casualties", "plain"),
        ("casualties_filtered", "`period` + `within` + `according_to`"),
    ):
        ours = r[key]
        if baseline is None:
            rows.measured(
                at,
                f"warm `casualties_by_actor`, {label}, {where}",
                "report",
                seconds(ours),
                "reported",
            )
            continue
        suffix = key.removeprefix("casualties")
        panda, duck = baseline[f"pandas{suffix}"], baseline[f"duckdb{suffix}"]
        rows.add(
            at,
            f"warm `casualties_by_actor`, {label}, {where}",
            "≤ 1× pandas",
            seconds(ours),
            f"pandas {seconds(panda)}; DuckDB {seconds(duck)}",
            f"{ratio(ours, panda)} pandas; {ratio(ours, duck)} DuckDB" if ours is not None else "",
            met(at_most(ours, panda)),
        )


def _targets(results: dict[str, Any]) -> tuple[list[str], list[str]]:
    """The targets table, and the notes on what was not measured where the target asks."""
    sizes: dict[int, dict[str, Any]] = {int(k): v for k, v in results["sizes"].items()}
    big: dict[int, dict[str, Any]] = {int(k): v for k, v in results["big"].items()}
    notes: list[str] = []
    rows = Rows()
    if sizes:
        size = TARGET if TARGET in sizes else max(sizes)
        if size != TARGET:
            notes.append(
                f"The targets apply at {TARGET:,} events; this run measured up to {size:,}, so "
                "the rows above are at that size and a met target there says nothing about "
                f"{TARGET:,}."
            )
        at = f"{size:,} events"
        s = sizes[size]
        memory, duck, hold = s["memory"], s["duckdb"], s.get("hold")
        events = int(memory["events"])
        rows.add(
            at,
            "`tables.open` a Parquet dataset (DuckDB), ready to query",
            "≤ 1 s",
            f"{once(duck, 'open')} (+ {seconds(duck['engine_import'])} importing Ibis and "
            "DuckDB, once per process)",
            "",
            "",
            met(duck["open"] <= 1),
        )
        if hold:
            rows.measured(
                at,
                "`tables.open(hold=True)`: the same, its tables copied into DuckDB's memory",
                "report",
                once(hold, "open"),
                "reported",
            )
        lazy = s.get("lazy")
        for r, how in (
            (memory, "`cm.load(lazy=False)` the JSON Lines file (every record built)"),
            *(
                ((lazy, "`cm.load(lazy=True)` the JSON Lines file (no event or claim built)"),)
                if lazy
                else ()
            ),
        ):
            imported = (
                f" (+ {seconds(r['engine_import'])} importing Ibis and DuckDB, once per process)"
                if "engine_import" in r
                else ""
            )
            _load(rows, at, how, r, events, imported)
        for r, after in (
            (duck, "`tables.open` (DuckDB)"),
            *(((hold, "`tables.open(hold=True)`"),) if hold else ()),
            (
                memory,
                "`cm.load(lazy=False)` (from 50,000 events it builds the tables DuckDB counts in)",
            ),
            *(((lazy, "`cm.load(lazy=True)`"),) if lazy else ()),
        ):
            rows.measured(
                at,
                f"first `casualties_by_actor` after {after}",
                "≤ 1 s",
                once(r, "first_query"),
                met(r["first_query"] <= 1),
            )
        loaded = s.get("loaded")
        if loaded:
            rows.add(
                at,
                "`tables.load` a Parquet dataset as a `Dataset` (checked, no record built)",
                "≤ 1 s",
                f"{once(loaded, 'open')} (+ {seconds(loaded['engine_import'])} importing "
                "Ibis and DuckDB, once per process)",
                "",
                "",
                met(loaded["open"] <= 1),
            )
            rows.measured(
                at,
                "first `casualties_by_actor` after `tables.load`",
                "≤ 1 s",
                once(loaded, "first_query"),
                met(loaded["first_query"] <= 1),
            )
        held = s.get("held")
        measured = [n for n, entry in sizes.items() if "held" in entry]
        if not held and measured:
            notes.append(
                f"`tables.from_dataset` was measured up to {max(measured):,} events only "
                "(`--held`); its numbers are in the table of every size."
            )
        if held:
            after = held["from_dataset"] + held["first_query"]
            rows.measured(
                at,
                "first `casualties_by_actor` after `cm.load(lazy=False)`, on `tables.from_dataset`",
                "≤ 1 s",
                f"{seconds(after)} ({seconds(held['from_dataset'])} building the tables)",
                met(after <= 1),
            )
        _queries(rows, at, "DuckDB tables", duck, duck)
        if hold:
            _queries(rows, at, "DuckDB tables held (`tables.open(hold=True)`)", hold, duck)
        _queries(rows, at, "after `cm.load(lazy=False)`", memory, duck)
        if lazy:
            _queries(rows, at, "after `cm.load(lazy=True)`", lazy, duck)
        if loaded:
            _queries(rows, at, "`tables.load` dataset", loaded, duck)
        if held:
            _queries(rows, at, "`tables.from_dataset`", held, duck)
        for r, where in (
            (duck, "DuckDB tables"),
            *(((hold, "DuckDB tables held in memory"),) if hold else ()),
            (memory, "after `cm.load(lazy=False)`"),
            *(((lazy, "after `cm.load(lazy=True)`"),) if lazy else ()),
            *(((loaded, "`tables.load` dataset"),) if loaded else ()),
            *(((held, "`tables.from_dataset`"),) if held else ()),
        ):
            rows.measured(
                at,
                f"warm `ceasefire_violations` of one agreement, {where}",
                "≤ 20 ms",
                seconds(r["violations"]),
                met(r["violations"] <= 0.02),
            )
        for r, after in (
            (duck, "`tables.open` (no record built)"),
            *(
                ((hold, "`tables.open(hold=True)` (the tables copied into memory)"),)
                if hold
                else ()
            ),
            *(((loaded, "`tables.load` (no record built)"),) if loaded else ()),
            (memory, "`cm.load(lazy=False)` (every record built)"),
            *(((lazy, "`cm.load(lazy=True)` (no event or claim built)"),) if lazy else ()),
        ):
            rows.measured(
                at,
                f"resident memory after {after}",
                "≤ 300 B/event",
                per_event(r["memory_bytes"], events),
                met(r["memory_bytes"] / events <= 300),
            )
    acled = results.get("acled")
    if acled:
        acled_rows = int(acled["rows"])
        ok = acled["seconds"] <= 20
        if acled_rows < TARGET:
            notes.append(
                f"The ACLED-format file had {acled_rows:,} rows, not {TARGET:,}"
                + (
                    f"; over 20 s already at {acled_rows:,}, the target is missed."
                    if not ok
                    else "."
                )
            )
        _import_row(
            rows,
            acled,
            "`read_acled` an ACLED-format CSV file (by default columns first at this size: "
            "no event made)",
            20,
            met(ok) if acled_rows >= TARGET or not ok else f"met at {acled_rows:,} rows only",
        )
        _after_import(rows, acled, "`read_acled`")
    records = results.get("acled_records")
    if records:
        _import_row(
            rows,
            records,
            "`read_acled(lazy=False)` the same file (every event made)",
            20,
            met(records["seconds"] <= 20),
        )
        _after_import(rows, records, "`read_acled(lazy=False)`")
    written = results.get("acled_lazy")
    if written:
        events = int(written["events"])
        _load(
            rows,
            f"{events:,} events",
            "`cm.load(lazy=True)` the JSON Lines file that import writes (each event's "
            "unmapped ACLED columns kept as source values, its version dated by its timestamp)",
            written,
            events,
            f"; then {per_event(written['memory_bytes'], events)}, first "
            f"`casualties_by_actor` {seconds(written['first_query'])}",
        )
    ucdp = results.get("ucdp")
    if ucdp:
        _import_row(
            rows, ucdp, "`read_ged` the real UCDP Syria file", 0.5, met(ucdp["seconds"] <= 0.5)
        )
    spark_sizes = sorted(
        [(size, s["spark"]) for size, s in sizes.items() if "spark" in s]
        + [(size, b["spark"]) for size, b in big.items() if "spark" in b]
    )
    for skipped in results.get("skipped", []):
        notes.append(f"{skipped}.")
    largest = max(big) if big else None
    if largest is None:
        rows.measured(
            f"{BIG:,} events",
            "every query on DuckDB over Parquet, memory flat",
            "report times",
            "not run",
            "**missed**",
        )
    else:
        d = big[largest]["duckdb"]
        rows.add(
            f"{largest:,} events",
            "every query on DuckDB over Parquet, memory flat",
            "report times",
            _summary(d, largest),
            "",
            "",
            _flat(d, big[largest]["repeated_from"], sizes)
            if d.get("same_as_scaled")
            else "**answers differ**",
        )
    if spark_sizes and spark_sizes[-1][0] >= BIG:
        size, sp = spark_sizes[-1]
        rows.measured(
            f"{size:,} events",
            "the same on Spark local mode",
            "report times, answers equal to DuckDB",
            _summary(sp, size),
            "reported, answers equal" if sp.get("same_as_duckdb") else "**answers differ**",
        )
    else:
        largest_spark = (
            f"not run at {BIG:,}; at {spark_sizes[-1][0]:,}: "
            f"{_summary(spark_sizes[-1][1], spark_sizes[-1][0])}"
            if spark_sizes
            else "not run"
        )
        rows.measured(
            f"{BIG:,} events",
            "the same on Spark local mode",
            "report times, answers equal to DuckDB",
            largest_spark,
            "**missed**",
        )
    construction = results.get("construction")
    if construction:
        rows.add(
            "1 record",
            "construct a checked `Engagement` (issue 9)",
            "≤ 3× plain attrs",
            f"{construction['engagement_us']:.1f} µs",
            f"plain `attrs.frozen` {construction['plain_attrs_us']:.1f} µs",
            f"{construction['ratio']:.2f}×",
            met(construction["ratio"] <= 3),
        )
    package = results.get("package")
    if package:
        rows.measured(
            "",
            "`import conflictmodel` (issue 9, `-X importtime`)",
            "< 0.2 s",
            seconds(package["seconds"]),
            met(package["seconds"] < 0.2),
        )
    return rows.lines(), notes


def _flat(d: dict[str, Any], source: Any, sizes: dict[int, dict[str, Any]]) -> str:
    """Whether the peak memory of the queries stayed flat from the size the tables repeat."""
    small = sizes.get(int(source), {}).get("duckdb")
    if not small:
        return "reported"
    growth = d["query_peak_bytes"] / max(small["query_peak_bytes"], 1)
    verdict = "flat" if growth <= 1.5 else "**not flat**"
    return f"reported; memory {verdict} ({growth:.1f}× the peak at {int(source):,})"


def _summary(r: dict[str, Any], events: int) -> str:
    return (
        f"open {seconds(r['open'])}; first query {once(r, 'first_query')}; warm "
        f"{seconds(r['casualties'])}, filtered {seconds(r['casualties_filtered'])}; violations "
        f"{seconds(r['violations'])}; memory after open {per_event(r['memory_bytes'], events)}, "
        f"peak while querying +{r['query_peak_bytes'] / 2**20:,.0f} MiB"
    )


_DETAIL = (
    ("load", "`cm.load` (`lazy` as the column says)", "loads"),
    ("orjson", "orjson parse of the same file", "loads"),
    ("pyarrow_json", "`pyarrow.json.read_json` of the same file (all cores, no check)", "loads"),
    ("memory_bytes", "resident memory after load", "loads"),
    ("load_peak_bytes", "peak memory added while loading", "loads"),
    ("queries_bytes", "resident memory the queries added (held tables)", "loads"),
    ("write", "`tables.write`", "loads"),
    ("from_dataset", "`tables.from_dataset` of the loaded dataset", "held"),
    ("first_query", "first `casualties_by_actor`", "*"),
    ("casualties", "warm `casualties_by_actor`", "*"),
    ("casualties_filtered", "warm, `period` + `within` + `according_to`", "*"),
    ("first_over_time", "first `casualties_over_time` by week (a dataset)", "*"),
    ("over_time", "warm `casualties_over_time` by week", "*"),
    ("first_violations", "first `ceasefire_violations` of one agreement", "*"),
    ("violations", "warm `ceasefire_violations` of one agreement", "*"),
    (
        "engine_import",
        "importing Ibis and the engine (before `tables.open` or `cm.load(lazy=True)`)",
        "*",
    ),
    ("open", "`tables.open` (`tables.load`, `hold=True` in their columns)", "engines"),
    ("memory_bytes", "resident memory after `tables.open` (or `tables.load`)", "engines"),
    ("query_peak_bytes", "peak memory added by open and the queries", "engines"),
    ("pandas", "pandas: group the figure rows, plain", "duckdb"),
    ("pandas_filtered", "pandas: filter and group, `according_to`'s rows", "duckdb"),
    ("duckdb", "DuckDB SQL over the same Arrow rows, plain", "duckdb"),
    ("duckdb_filtered", "DuckDB SQL, filtered", "duckdb"),
    ("export", "exporting the default perspective's rows once", "duckdb"),
)


def _cell(key: str, value: Any, events: int) -> str:
    if value is None:
        return "not re-run"
    if key.endswith("bytes"):
        return per_event(value, events) if key == "memory_bytes" else f"{value / 2**20:,.0f} MiB"
    return seconds(value)


def _detail(results: dict[str, Any]) -> list[str]:
    """One column per size and engine, one row per measurement."""
    columns: list[tuple[str, int, dict[str, Any], str]] = []
    for size, s in sorted(((int(k), v) for k, v in results["sizes"].items())):
        for engine in ("memory", "lazy", "capped", "held", "loaded", "duckdb", "hold", "spark"):
            if engine in s:
                name = _engine_name(engine, s[engine])
                columns.append((f"{size:,} {name}", size, s[engine], engine))
    for size, b in sorted(((int(k), v) for k, v in results["big"].items())):
        for engine in ("duckdb", "spark"):
            if engine in b:
                name = _engine_name(engine, b[engine])
                columns.append((f"{size:,} {name}", size, b[engine], engine))
    lines = [
        "| measurement | " + " | ".join(c[0] for c in columns) + " |",
        "|---|" + "---|" * len(columns),
    ]
    for key, label, where in _DETAIL:
        cells = []
        for _, size, r, engine in columns:
            loads = engine in ("memory", "lazy", "capped")
            applies = (
                where in ("*", engine)
                or (where == "loads" and loads)
                or (where == "engines" and not loads)
            )
            cells.append(_cell(key, r[key], size) if applies and key in r else "")
        if any(cells):
            lines.append(f"| {label} | " + " | ".join(cells) + " |")
    rows = [str(r.get("figure_rows", "")) for _, _, r, _ in columns]
    lines.append(
        "| killed-figure rows the baselines group | "
        + " | ".join(f"{int(n):,}" if n else "" for n in rows)
        + " |"
    )
    found = [str(len(r["answers"]["violations"])) for _, _, r, _ in columns]
    lines.append("| violations of the agreement found | " + " | ".join(found) + " |")
    return lines


def _engine_name(engine: str, result: dict[str, Any]) -> str:
    names = {
        "memory": "cm.load(lazy=False)",
        "lazy": "cm.load(lazy=True)",
        "capped": f"cm.load(lazy=True), DuckDB in {result.get('memory_limit')}",
        "held": "from_dataset",
        "loaded": "tables.load",
        "duckdb": "DuckDB",
        "hold": "DuckDB held",
        "spark": "Spark",
    }
    return names[engine]


def _checks(results: dict[str, Any]) -> list[str]:
    lines = []
    for size, s in sorted(((int(k), v) for k, v in results["sizes"].items())):
        same = "yes" if s["duckdb"]["same_as_memory"] else "**no**"
        lines.append(f"- {size:,} events: DuckDB's answers equal the in-memory ones: {same}.")
        if "lazy" in s:
            same = "yes" if s["lazy"]["same_as_memory"] else "**no**"
            lines.append(
                f"- {size:,} events: `cm.load(lazy=True)` gives the answers of "
                f"`cm.load(lazy=False)`: {same}."
            )
        if "capped" in s:
            same = "yes" if s["capped"]["same_as_memory"] else "**no**"
            lines.append(
                f"- {size:,} events: `cm.load(lazy=True)` with DuckDB in "
                f"{s['capped']['memory_limit']} gives the answers of `cm.load(lazy=False)`: "
                f"{same}."
            )
        if "held" in s:
            same = "yes" if s["held"]["same_as_memory"] else "**no**"
            lines.append(
                f"- {size:,} events: `tables.from_dataset`'s answers equal the in-memory ones: "
                f"{same}."
            )
        if "loaded" in s:
            same = "yes" if s["loaded"]["same_as_memory"] else "**no**"
            lines.append(
                f"- {size:,} events: the `tables.load` dataset's answers equal the in-memory "
                f"ones: {same}."
            )
        if "spark" in s:
            same = "yes" if s["spark"]["same_as_duckdb"] else "**no**"
            lines.append(f"- {size:,} events: Spark's answers equal DuckDB's: {same}.")
    for size, b in sorted(((int(k), v) for k, v in results["big"].items())):
        copies = size // int(b["repeated_from"])
        same = "yes" if b["duckdb"]["same_as_scaled"] else "**no**"
        lines.append(
            f"- {size:,} events: DuckDB's totals and violations are {copies} × those at "
            f"{int(b['repeated_from']):,}: {same}."
        )
        if "spark" in b:
            same = "yes" if b["spark"]["same_as_duckdb"] else "**no**"
            lines.append(f"- {size:,} events: Spark's answers equal DuckDB's: {same}.")
    for problem in results["problems"]:
        lines.append(f"- **{problem}**")
    return lines


def _load_lines(results: dict[str, Any]) -> list[str]:
    loads = results["loads"]
    values = [v for step in loads for v in step["load"]]
    lines = [
        f"The run started at {results['started']} and finished at {results['finished']} UTC. "
        f"This machine is shared: other work ran beside the benchmark, and the 1-minute load "
        f"average on the {results['machine']['cpus']} CPUs was between {min(values):.1f} and "
        f"{max(values):.1f} across the steps (a load of 2 already keeps both cores busy), so "
        "the times are those of a busy machine, not a quiet one. Steps:",
        "",
        "| step | wall time | load average before → after |",
        "|---|---|---|",
    ]
    lines += [
        f"| {s['step']} | {seconds(s['seconds'])} | {s['load'][0]:.1f} → {s['load'][1]:.1f} |"
        for s in loads
    ]
    return lines


def render(results: dict[str, Any]) -> str:
    """The page: setup, the targets, every size, the checks and the machine's load."""
    info = results["machine"]
    targets, notes = _targets(results)
    repeat = results["repeat"]
    group_rows = results.get("row_group_rows")
    lines = [
        "# Performance",
        "",
        "Written by `make bench` (`python -m benchmarks`); do not edit by hand. The targets are "
        "those of issue 14 (at 1,000,000 events unless the row says otherwise) and issue 9.",
        "",
        f"Machine: {info['cpus']} CPUs ({info['cpu']}), {info['memory_gib']} GiB, Python "
        f"{info['python']}, {info['platform']}; {info['versions']}."
        + (f" Code measured: commit `{info['commit']}`." if info.get("commit") else ""),
        "",
        "## Targets",
        "",
        *targets,
        "",
        *(f"{note}\n" for note in notes),
        "How each number is made:",
        "",
        f"- Every step runs in a fresh process. Warm queries are the median of {repeat} runs "
        "(one run where that would take over a minute); the first query, the load and the "
        "resident memory are measured once, right after loading or opening. The peak while "
        "querying (and while loading) is the step's own process's highest resident set size "
        "(`VmHWM`) less what it held before opening (loading).",
        "- Data: seeded synthetic worlds (`benchmarks/generate.py`): 186 actors in `part_of` "
        "trees, 5,005 places (country / region / district / town), 50 agreements, one to four "
        "casualty entries per engagement, claims on about 10 % of the events from several "
        "claimants that disagree, deny and revise (`made`), mixed time precision. The file is "
        "in the current format version. Its tables are written by `tables.write` in table "
        f"format {results.get('tables_format', '?')} (casualty entries repeat their event's "
        f"type, time and place and are sorted by time; row groups of "
        f"{'?' if group_rows is None else f'{group_rows:,}'} rows). Sizes above "
        "the largest loaded in memory repeat its tables with new event and claim ids, each "
        "copy in time order and in row groups of the same size (`generate.replicate_tables`).",
        "- The baselines work on the same rows: the killed figures each perspective sees, as "
        "`conflictmodel.tables.queries.visible_figures` selects them on DuckDB (the claims' "
        "spans, superseded claims left out, denied events dropped), exported once as a long "
        "table with each event's first and last day and its place. pandas (and DuckDB SQL over "
        "the same Arrow table) filters them by day and by the precomputed set of places and "
        "sums them by actor; a best or high is unknown when one of the figures summed has none, "
        "as in the query. Their answers must equal the query's, or the run stops. The baselines "
        "sum the killed only; the query also sums the injured (`CasualtyTotals.injured`) in the "
        "same pass.",
        "- `according_to` is `state-00`, `period` 2017-01/2017-06, `within` `country-1`; the "
        "agreement is `agr-00`, whose scope holds about 1 % of the events.",
        "- Every step runs in a fresh process; each DuckDB, `tables.load` and "
        "`cm.load(lazy=True)` step runs in several (`--fresh`: the resident memory after a "
        "columns-first load is about 210 bytes per event in most processes and about 450 in "
        "some), and each of its numbers is the median over them (a warm time "
        "being a process's median already), the range beside a first time. The Spark steps "
        "run last.",
        "- The load's baseline is orjson parsing every line of the same file into Python values "
        "(one core). `pyarrow.json.read_json` reading the same records into Arrow columns, on "
        "every core and with nothing checked, is the fastest parser here; the load is checked "
        "and laid out on top of a parse. "
        "The importers' baseline is `pandas.read_csv` of the same file. The ACLED-format file "
        "repeats, under new ids, the rows `conflictmodel.linkage.synthetic.acled_from_ged` makes "
        "from the UCDP Syria file, each with a `timestamp` as ACLED's weekly upload would give "
        "it. Its import, written as JSON Lines, is loaded columns first too: unlike the "
        "synthetic events (which have none), each of its events keeps eleven source values, as "
        "every import keeps the columns it does not map, and its version dated by its "
        "`timestamp` (the file's history, a line per event).",
        "- The construction's baseline is a plain `attrs.frozen` class made from `Engagement`'s "
        "fields (names, order, defaults) without converters or validators; the two are timed in "
        "turn 21 times from the same arguments, and the ratio is the median of the rounds'.",
        "",
        "## Every size",
        "",
        *_detail(results),
        "",
        "## Checks",
        "",
        *_checks(results),
        "",
        "## The machine while it ran",
        "",
        *_load_lines(results),
        "",
    ]
    return "\n".join(lines)
