"""The ``conflictmodel`` command (also ``python -m conflictmodel``); :doc:`/cli` is its reference.

Every command reads datasets as ``.json`` or ``.jsonl`` files; ``--json`` prints plain JSON for
scripts instead of a table. Bad input ends with one line on standard error and exit status 1.
"""

from __future__ import annotations

import argparse
import datetime
import os
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path

import orjson

from conflictmodel.dataset import Dataset
from conflictmodel.errors import ConflictModelError
from conflictmodel.examples import idlib_2020
from conflictmodel.io._tables import Row, Table, casualty_table, violation_table
from conflictmodel.io.json import dump, load
from conflictmodel.io.report import ImportResult
from conflictmodel.queries import casualties_by_actor, ceasefire_violations
from conflictmodel.queries.casualties import CasualtyTotals
from conflictmodel.registry import tag_of
from conflictmodel.summary import findings, summarise
from conflictmodel.tables.store import ENGINES, Tables

_PROGRAM = "conflictmodel"


def _one_line(error: BaseException) -> str:
    lines = [line.strip(" -") for line in str(error).splitlines() if line.strip()]
    if not lines:
        return type(error).__name__
    text = lines[0] if len(lines) == 1 else f"{lines[0].rstrip(':')}: {lines[1]}"
    return text + (f" (and {len(lines) - 2} more)" if len(lines) > 2 else "")


def _plain(value: object) -> object:
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _print_json(data: object) -> None:
    text = orjson.dumps(data, default=_plain, option=orjson.OPT_INDENT_2)
    print(text.decode("utf-8"))


def _render(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> str:
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(headers)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in rows]
    return "\n".join(lines)


def _cell(value: object, width: int = 40) -> str:
    text = "" if value is None else str(_plain(value))
    return text if len(text) <= width else text[: width - 1] + "…"


def _table_rows(table: Table) -> list[dict[str, object]]:
    return [{name: _plain(value) for name, value in row.items()} for row in table.rows]


# Commands ------------------------------------------------------------------------------------


def _demo(args: argparse.Namespace) -> int:
    ds = idlib_2020()
    if args.output:
        dump(ds, args.output)
        print(f"wrote the Idlib seed ({len(ds)} records) to {args.output}")
        return 0
    print(summarise(ds))
    print()
    print(findings(ds))
    return 0


def _validate(args: argparse.Namespace) -> int:
    ds = load(args.file)
    counts = {name: len(getattr(ds, name)) for name in _COLLECTIONS}
    if args.json:
        _print_json({"file": str(args.file), "valid": True, "records": counts})
    else:
        made = ", ".join(f"{n} {name}" for name, n in counts.items() if n) or "no records"
        print(f"{args.file}: valid ({made})")
    return 0


_COLLECTIONS = ("actors", "relations", "locations", "agreements", "sources", "events", "claims")


def _import(args: argparse.Namespace) -> int:
    progress = False if args.quiet else None
    result: ImportResult
    if args.format == "ucdp":
        from conflictmodel.io.ucdp import read_ged

        result = read_ged(args.csv, errors=args.errors, progress=progress)
    else:
        from conflictmodel.io.acled import read_acled

        result = read_acled(args.csv, errors=args.errors, progress=progress)
    dump(result.dataset, args.output)
    if args.json:
        _print_json({"output": str(args.output), **result.report.to_dict()})
    else:
        print(result.report)
        print(f"wrote {len(result.dataset)} records to {args.output}")
    return 0


def _summary(args: argparse.Namespace) -> int:
    ds = load(args.file)
    if args.json:
        types: dict[str, int] = {}
        for event in ds.events.values():
            name = tag_of(type(event))
            types[name] = types.get(name, 0) + 1
        spans = [e.when for e in ds.events.values()]
        starts = [s.start for s in spans if s.start is not None]
        ends = [s.end for s in spans if s.end is not None]
        _print_json(
            {
                "records": {name: len(getattr(ds, name)) for name in _COLLECTIONS},
                "event_types": types,
                "first_day": min(starts, default=None),
                "last_day": max(ends, default=None),
            }
        )
    else:
        print(summarise(ds))
    return 0


def _opened(args: argparse.Namespace) -> tuple[Dataset | Tables, Dataset]:
    """What the query runs on (the dataset, or its tables in ``--engine``), and the dataset of
    names. With an engine, FILE may be a folder of tables (``conflictmodel.tables.write``) or
    a dataset file, whose tables are written to a temporary folder first."""
    if args.engine is None:
        ds = load(args.file)
        return ds, ds
    from conflictmodel import tables

    folder = Path(args.file)
    if not folder.is_dir():
        folder = Path(tempfile.mkdtemp(prefix="conflictmodel-tables-")) / "tables"
        tables.write(load(args.file), folder)
    spark = None
    if args.engine == "spark":
        from pyspark.sql import SparkSession

        spark = SparkSession.builder.appName(_PROGRAM).getOrCreate()
    opened = tables.open(folder, engine=args.engine, spark=spark)
    return opened, opened.dimensions


def _violations(args: argparse.Namespace) -> int:
    source, _ = _opened(args)
    found = ceasefire_violations(
        source, args.agreement, according_to=args.according_to, period=args.period
    )
    table = violation_table(found)
    if args.json:
        _print_json(_table_rows(table))
        return 0
    if not found:
        print(found.summary())
        return 0
    columns = ("when", "agreement", "violator", "event", "basis", "certainty", "alleged_by")
    print(_render(columns, [[_cell(row[c]) for c in columns] for row in table.rows]))
    print(found.summary())
    return 0


def _casualties(args: argparse.Namespace) -> int:
    source, ds = _opened(args)
    result = casualties_by_actor(
        source,
        according_to=args.according_to,
        period=args.period,
        within=args.within,
        roll_up=args.roll_up,
    )
    if isinstance(result, CasualtyTotals):
        return _print_totals(ds, result, args.json)
    table = casualty_table(result)
    if args.json:
        _print_json(_table_rows(table))
        return 0
    if not table.rows:
        print("no casualty figures found")
        return 0
    rows = [_casualty_cells(ds, row) for row in table.rows]
    print(_render(("actor", "name", "killed", "low", "high", "alleged by", "denied by"), rows))
    return 0


def _print_totals(ds: Dataset, result: CasualtyTotals, as_json: bool) -> int:
    """Totals from an engine: killed per actor (the figures behind them stay in the engine)."""
    rows = [
        {"actor": actor, "killed_best": e.best, "killed_low": e.low, "killed_high": e.high}
        for actor, e in result.items()
    ]
    if as_json:
        _print_json(rows)
        return 0
    if not rows:
        print("no casualty figures found")
        return 0
    cells = [_casualty_cells(ds, {**row, "alleged_by": None, "denied_by": None}) for row in rows]
    print(_render(("actor", "name", "killed", "low", "high"), [c[:5] for c in cells]))
    return 0


def _casualty_cells(ds: Dataset, row: Row) -> list[str]:
    actor = row["actor"]
    name = ds.actors[actor].name if isinstance(actor, str) and actor in ds.actors else ""
    killed = row["killed_best"] is not None
    high = row["killed_high"]
    return [
        _cell(actor or "unattributed"),
        _cell(name),
        _cell(row["killed_best"]),
        _cell(row["killed_low"]),
        "open" if killed and high is None else _cell(high),
        _cell(row["alleged_by"]),
        _cell(row["denied_by"]),
    ]


def _export(args: argparse.Namespace) -> int:
    ds = load(args.file)
    source = Path(args.file)
    if args.to == "geojson":
        from conflictmodel.io.geojson import write_geojson

        written = [write_geojson(ds, args.output or source.with_suffix(".geojson"))]
    else:
        directory = args.output or source.with_name(f"{source.stem}-{args.to}")
        if args.to == "csv":
            from conflictmodel.io.csv_export import to_csv

            written = to_csv(ds, directory)
        else:
            from conflictmodel.io.frames import to_parquet

            written = to_parquet(ds, directory)
    if args.json:
        _print_json([str(path) for path in written])
    else:
        for path in written:
            print(f"wrote {path}")
    return 0


def _plot(args: argparse.Namespace) -> int:
    from conflictmodel.plots import casualties_chart, place_timeline

    ds = load(args.file)
    if args.place:
        path = place_timeline(ds, args.place, args.output)
    else:
        path = casualties_chart(
            ds,
            args.output,
            according_to=args.according_to,
            within=args.within,
            roll_up=args.roll_up,
        )
    print(f"wrote {path}")
    return 0


# Arguments -----------------------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=_PROGRAM,
        description="Conflict reporting as typed records: import, check, query and export.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(
        name: str, run: Callable[[argparse.Namespace], int], text: str, *, json: bool = True
    ) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=text, description=text)
        sub.set_defaults(run=run)
        if json:
            sub.add_argument("--json", action="store_true", help="print JSON for scripts")
        return sub

    def dataset_file(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("file", type=Path, help="a dataset as .json or .jsonl")

    def engine(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "--engine",
            choices=ENGINES,
            help="query the tables with this engine (FILE may then be a folder of tables)",
        )

    demo = command("demo", _demo, "print the Idlib 2020 seed and what the queries find", json=False)
    demo.add_argument("-o", "--output", type=Path, help="write the seed to this .json/.jsonl")

    dataset_file(command("validate", _validate, "check that a dataset file loads and is valid"))

    imported = command("import", _import, "import a UCDP GED or ACLED CSV file")
    imported.add_argument("format", choices=("ucdp", "acled"), help="the CSV's source")
    imported.add_argument("csv", type=Path, help="the CSV file")
    imported.add_argument("-o", "--output", type=Path, required=True, help="the .json/.jsonl")
    imported.add_argument(
        "--errors",
        choices=("report", "raise"),
        default="report",
        help="list bad rows in the report (default) or stop at the first",
    )
    imported.add_argument("-q", "--quiet", action="store_true", help="no progress bar")

    dataset_file(command("summary", _summary, "print a readable summary of a dataset"))

    violations = command("violations", _violations, "list ceasefire violations")
    dataset_file(violations)
    violations.add_argument("--agreement", help="only this agreement (id)")
    violations.add_argument("--according-to", help="as this claimant tells it (actor id or name)")
    violations.add_argument("--period", help="only during this span, e.g. 2020-02 or 2020/..")
    engine(violations)

    casualties = command("casualties", _casualties, "killed (and injured) per actor")
    dataset_file(casualties)
    casualties.add_argument("--according-to", help="as this claimant tells it (actor id or name)")
    casualties.add_argument("--roll-up", action="store_true", help="fold actors into their top")
    casualties.add_argument("--period", help="only events during this span, e.g. 2020-02")
    casualties.add_argument("--within", help="only events within this place (id or name)")
    engine(casualties)

    export = command("export", _export, "write a dataset as CSV, Parquet or GeoJSON")
    dataset_file(export)
    export.add_argument("--to", choices=("csv", "parquet", "geojson"), required=True)
    export.add_argument(
        "-o", "--output", type=Path, help="directory (csv, parquet) or file (geojson)"
    )

    plot = command("plot", _plot, "draw a place's timeline or casualties by actor", json=False)
    dataset_file(plot)
    what = plot.add_mutually_exclusive_group(required=True)
    what.add_argument("--place", help="events and control at this place (id or name)")
    what.add_argument("--casualties", action="store_true", help="killed per month by actor")
    plot.add_argument("-o", "--output", type=Path, required=True, help="the PNG to write")
    plot.add_argument("--according-to", help="casualties as this claimant tells them")
    plot.add_argument("--within", help="casualties within this place")
    plot.add_argument("--roll-up", action="store_true", help="fold actors into their top")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; the exit status."""
    parser = _parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as stop:
        return stop.code if isinstance(stop.code, int) else 1
    run: Callable[[argparse.Namespace], int] = args.run
    try:
        return run(args)
    except BrokenPipeError:
        # The reader went away (``| head``): send the rest to /dev/null, as Python's docs advise.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 1
    except (ConflictModelError, OSError) as error:
        print(f"{_PROGRAM}: error: {_one_line(error)}", file=sys.stderr)
        return 1
