"""The ``conflictmodel`` command (also ``python -m conflictmodel``); :doc:`/cli` is its reference.

Every command reads datasets as ``.json`` or ``.jsonl`` files, or ``-`` for standard input;
``--json`` prints plain JSON for scripts instead of a table. Bad input ends with one line on
standard error and exit status 1; Ctrl-C with one line and status 130.
"""

from __future__ import annotations

import argparse
import atexit
import csv
import datetime
import os
import re
import shutil
import sys
import tempfile
import textwrap
import warnings
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TextIO

import attrs
import orjson

from conflictmodel import __version__
from conflictmodel._words import counted_records
from conflictmodel.assessments import Grade
from conflictmodel.dataset import COLLECTIONS, Dataset
from conflictmodel.errors import (
    ConflictModelError,
    ConflictModelWarning,
    NoAccountWarning,
    ValidationError,
)
from conflictmodel.events import Event
from conflictmodel.examples import idlib_2020
from conflictmodel.io._extras import require
from conflictmodel.io._tables import (
    Row,
    casualty_table,
    events_table,
    violation_table,
)
from conflictmodel.io.json import dump, dumps, load
from conflictmodel.io.report import Errors, ImportResult
from conflictmodel.linkage import cli as linkage_cli
from conflictmodel.places import placed_at_point
from conflictmodel.quantities import ESTIMATE_PARTS, Estimate
from conflictmodel.queries import (
    Violation,
    casualties_by_actor,
    casualty_matrix,
    ceasefire_durability,
    ceasefire_violations,
)
from conflictmodel.queries._arguments import no_account, warn_left_out
from conflictmodel.queries.casualties import period_note
from conflictmodel.queries.over_time import FREQUENCIES
from conflictmodel.queries.perspective import BEST_RULES
from conflictmodel.queries.results import actor_label
from conflictmodel.registry import ENTRY_POINT_GROUP, load_plugins
from conflictmodel.summary import findings, overview_data, overview_lines, summarise
from conflictmodel.tables.store import ENGINES, Settings, Tables

_PROGRAM = "conflictmodel"
STDIO = "-"
"""The file name that stands for standard input or standard output."""

_DATASET_SUFFIXES = (".json", ".jsonl", ".ndjson")

_CLI_WORDS = {
    "load with strict=False": "run with --lenient",
    "read with strict=False": "read with --lenient",
    "pass format='json' or 'jsonl'": "name the file .json or .jsonl",
    "errors='raise'": "--errors raise",
    "according_to": "--according-to",
}
"""Python arguments named in library messages, and the flags that do the same here."""

_CALLED = re.compile(r"^[a-z_]+\(([a-z_]+)=(.*?)\): ")
"""A library message's opening ``function(argument=value): ``, which the command line words
as the option it was given by: ``--argument value: ``."""


class UsageError(ConflictModelError, ValueError):
    """A command-line argument that cannot work (a file type, a missing folder)."""


_GRADES = tuple(grade.value for grade in Grade)


def _one_line(error: BaseException, given_as: Mapping[str, str] | None = None) -> str:
    """``error`` in one line, in the command line's words: a library message's opening
    ``function(argument=value): `` names the argument as the command was given it,
    ``given_as[argument]`` (a positional argument, or an option of another name) or else the
    option of the argument's name."""
    lines = [line.strip().removeprefix("- ") for line in str(error).splitlines() if line.strip()]
    if not lines:
        return type(error).__name__
    text = lines[0] if len(lines) == 1 else f"{lines[0].rstrip(':')}: {lines[1]}"
    text += f" (and {len(lines) - 2} more)" if len(lines) > 2 else ""
    given = given_as or {}
    text = _CALLED.sub(
        lambda call: f"{given.get(call[1], '--' + call[1].replace('_', '-'))} {call[2]}: ", text
    )
    for python, flag in _CLI_WORDS.items():
        text = text.replace(python, flag)
    return text


def _plain(value: object) -> object:
    if isinstance(value, datetime.date):
        return value.isoformat()
    return value


def _print_json(data: object) -> None:
    text = orjson.dumps(data, default=_plain, option=orjson.OPT_INDENT_2)
    print(text.decode("utf-8"))


# Tables ---------------------------------------------------------------------------------------


def _number(value: object) -> str:
    return f"{value:,}" if isinstance(value, int) and not isinstance(value, bool) else ""


def _cell(value: object, width: int = 40) -> str:
    text = "" if value is None else str(_plain(value))
    return text if len(text) <= width else text[: width - 1] + "…"


def _render(headers: Sequence[str], rows: Sequence[Sequence[str]], numeric: set[str]) -> str:
    """Aligned columns: text to the left, numbers (headers in ``numeric``) to the right."""
    widths = [max([len(h), *(len(r[i]) for r in rows)]) for i, h in enumerate(headers)]

    def line(cells: Sequence[str]) -> str:
        placed = [
            c.rjust(w) if h in numeric else c.ljust(w)
            for c, w, h in zip(cells, widths, headers, strict=True)
        ]
        return "  ".join(placed).rstrip()

    return "\n".join([line(headers), "  ".join("-" * w for w in widths), *map(line, rows)])


def _names(ds: Dataset, ids: object) -> str:
    if not isinstance(ids, str):
        return ""
    return ", ".join(actor_label(ds, actor) for actor in ids.split("; "))


def _named_list(ds: Dataset, ids: tuple[str, ...]) -> list[str]:
    return [actor_label(ds, actor) for actor in ids]


# Loading and writing -------------------------------------------------------------------------


def _warn(text: str) -> None:
    print(f"{_PROGRAM}: warning: {text}", file=sys.stderr)


def _show_warning(message: Warning | str, *_: object, **__: object) -> None:
    """A library warning as one line on standard error, as :func:`_warn` gives it."""
    _warn(_one_line(message if isinstance(message, Warning) else Warning(message)))


def _plugins() -> None:
    for error in load_plugins().values():
        _warn(_one_line(error))


def _check_dataset_name(path: Path, *, reading: bool = False) -> None:
    if str(path) != STDIO and path.suffix.lower() not in _DATASET_SUFFIXES:
        hint = (
            f"; to read a UCDP or ACLED export, import it first: conflictmodel import ucdp|acled "
            f"{path} -o {path.with_suffix('.jsonl')}"
            if reading and path.suffix.lower() == ".csv"
            else ""
        )
        raise UsageError(
            f"{path}: cannot tell the format from the name; name the file .json or .jsonl "
            f"(or - for standard input or output){hint}"
        )


def _check_folder(path: Path) -> None:
    if str(path) != STDIO and not path.parent.is_dir():
        raise UsageError(f"{path}: the folder {str(path.parent)!r} does not exist")


@contextmanager
def _stdin_copy(suffix: str) -> Iterator[Path]:
    """Standard input copied to a temporary file (a CSV or dataset read from a pipe)."""
    with tempfile.TemporaryDirectory(prefix="conflictmodel-") as folder:
        path = Path(folder) / f"stdin{suffix}"
        with path.open("wb") as copy:
            shutil.copyfileobj(sys.stdin.buffer, copy)
        yield path


def _load(args: argparse.Namespace, settings: Settings | None = None) -> Dataset:
    """The dataset FILE holds, as known at ``--as-of`` when given (with a warning when FILE
    says of no record when it was recorded); a JSON Lines FILE read by DuckDB configured by
    ``settings`` (unless ``--no-lazy``)."""
    ds = _read(args, settings)
    if args.as_of is None:
        return ds
    if not ds.history:
        _warn(
            f"{args.file} does not say when its records were recorded: --as-of dates each by "
            "what it shows (an event by its sources' publication or its start, an agreement by "
            "its signing, a claim by when it was made) and keeps every actor and place"
        )
    return ds.as_of(args.as_of)


def _read(args: argparse.Namespace, settings: Settings | None = None) -> Dataset:
    """The dataset in FILE: a dataset file, standard input, or a folder of tables (opened with
    ``conflictmodel.tables.load``: the totals are computed by DuckDB). A command is a process
    of its own, so the records loaded are frozen out of the cyclic collector's walks
    (``gc_freeze``: at a million events, each full collection would walk them again)."""
    _plugins()
    path: Path = args.file
    if path.is_dir():
        from conflictmodel import tables

        return tables.load(path)
    _check_dataset_name(path, reading=True)
    strict = not args.lenient
    lines = path.suffix.lower() in (".jsonl", ".ndjson")
    if args.lazy and not lines:
        raise UsageError("only a JSON Lines file (.jsonl) is read with --lazy")
    if str(path) != STDIO:
        given = settings if settings and lines and args.lazy is not False else None
        return load(path, strict=strict, lazy=args.lazy, gc_freeze=True, settings=given)
    with _stdin_copy(".json") as copy:
        with copy.open("rb") as stream:
            first = stream.readline().strip()
        try:
            header = orjson.loads(first)
        except orjson.JSONDecodeError:
            header = None
        lines = isinstance(header, dict) and set(header) == {"format", "version"}
        return load(copy, strict=strict, format="jsonl" if lines else "json", gc_freeze=True)


def _write_dataset(ds: Dataset, path: Path) -> str:
    if str(path) == STDIO:
        sys.stdout.write(dumps(ds))
        return "standard output"
    dump(ds, path)
    return str(path)


# Commands ------------------------------------------------------------------------------------


def _demo(args: argparse.Namespace) -> int:
    ds = idlib_2020()
    if args.output:
        _check_dataset_name(args.output)
        _check_folder(args.output)
        where = _write_dataset(ds, args.output)
        if where != "standard output":
            print(f"wrote the Idlib seed ({len(ds)} records) to {where}")
        return 0
    print(summarise(ds))
    print()
    print(findings(ds))
    return 0


def _validate(args: argparse.Namespace) -> int:
    ds = _load(args)
    counts = {name: len(getattr(ds, name)) for name in COLLECTIONS}
    if args.json:
        _print_json({"file": str(args.file), "valid": True, "records": counts})
    else:
        made = counted_records(counts) or "no records"
        print(f"{args.file}: valid ({made})")
    return 0


def _import(args: argparse.Namespace) -> int:
    _check_dataset_name(args.output)
    _check_folder(args.output)
    progress = False if args.quiet or str(args.csv) == STDIO else None
    if str(args.csv) == STDIO:
        with _stdin_copy(".csv") as copy:
            result = _read_csv(args.format or _csv_source(copy), copy, args.errors, progress)
        result = attrs.evolve(result, report=attrs.evolve(result.report, source="standard input"))
    else:
        source = args.format or _csv_source(args.csv)
        result = _read_csv(source, args.csv, args.errors, progress)
    where = _write_dataset(result.dataset, args.output)
    report = sys.stderr if where == "standard output" else sys.stdout
    if args.json:
        text = orjson.dumps(
            {"output": where, **result.report.to_dict()}, default=_plain, option=orjson.OPT_INDENT_2
        )
        print(text.decode("utf-8"), file=report)
    else:
        print(result.report, file=report)
        print(f"wrote {len(result.dataset):,} records to {where}", file=report)
    return 0


CSV_SOURCES = ("ucdp", "acled")
"""The sources ``conflictmodel import`` reads CSV files of."""


_SOURCE_NAMES = {"ucdp": "UCDP GED", "acled": "ACLED"}
_NAMED_LACKING = 5
"""How many missing columns an import that cannot tell a file's source names."""


def _csv_source(path: Path) -> str:
    """The source whose required columns (``REQUIRED_COLUMNS`` of its importer) the header of
    the CSV file ``path`` names; refused when it names both's or neither's."""
    from conflictmodel.io import acled, ucdp

    try:
        with path.open(newline="", encoding="utf-8-sig") as stream:
            header = set(next(csv.reader(stream), []))
    except (OSError, UnicodeDecodeError, csv.Error) as error:
        raise ValidationError(f"import {str(path)!r}: cannot read its header: {error}") from None
    required = {"ucdp": ucdp.REQUIRED_COLUMNS, "acled": acled.REQUIRED_COLUMNS}
    found = [source for source in CSV_SOURCES if header >= set(required[source])]
    if len(found) == 1:
        return found[0]
    closest = min(CSV_SOURCES, key=lambda source: len(set(required[source]) - header))
    lacking = [column for column in required[closest] if column not in header]
    if found:
        said = "it names the columns of both UCDP GED and ACLED"
    elif len(lacking) <= _NAMED_LACKING:
        said = f"as {_SOURCE_NAMES[closest]} it lacks {', '.join(lacking)}"
    else:
        said = "it names neither UCDP GED's columns nor ACLED's"
    raise ValidationError(
        f"import {str(path)!r}: cannot tell the file's source from its header ({said}); "
        "name it: conflictmodel import ucdp|acled FILE -o OUTPUT"
    )


def _read_csv(kind: str, path: Path, errors: Errors, progress: bool | None) -> ImportResult:
    """The import of ``path``, every record made: ``import`` writes them all to a dataset
    file, which is faster from records than from tables (``lazy=False``)."""
    if kind == "ucdp":
        from conflictmodel.io.ucdp import read_ged

        return read_ged(path, errors=errors, progress=progress, lazy=False)
    from conflictmodel.io.acled import read_acled

    return read_acled(path, errors=errors, progress=progress, lazy=False)


def _summary(args: argparse.Namespace) -> int:
    ds = _load(args)
    if args.lenient:
        warn_left_out(ds, args.command)
    if args.full:
        print(summarise(ds))
    elif args.json:
        _print_json(overview_data(ds, args.top))
    else:
        print("\n".join(overview_lines(ds, args.top)))
    return 0


def _events(args: argparse.Namespace) -> int:
    ds = _load(args)
    if args.near is not None and args.km is None:
        raise UsageError("--near needs --km, the distance in kilometres")
    if args.km is not None and args.near is None:
        raise UsageError("--km needs --near, the place or lat,lon to measure from")
    coarse: list[Event] = []
    if args.near is not None:
        centre = _place_or_point(args.near)
        every = ds.events_near(centre, args.km, period=args.period, coarse=True)
        if args.within is not None:
            inside = {e.id for e in ds.events_within(ds.location(args.within).id)}
            every = [e for e in every if e.id in inside]
        found = [e for e in every if placed_at_point(e.where_precision)]
        coarse = [e for e in every if not placed_at_point(e.where_precision)]
    elif args.within is not None:
        found = ds.events_within(ds.location(args.within).id)
        if args.period is not None:
            from conflictmodel.timespans import when

            span = when(args.period)
            found = [e for e in found if e.when.meets(span)]
    elif args.period is not None:
        from conflictmodel.timespans import when

        found = ds.events_during(when(args.period))
    else:
        found = sorted(ds.events.values(), key=lambda e: e.when.sort_key)
    rows = events_table(ds, found).rows
    if args.json:
        _print_json(_json_rows(rows))
        return 0
    left_out = (
        f"{len(coarse):,} more event{'s' if len(coarse) != 1 else ''} placed only to a region, "
        "a country or a wide area, whose point is the area's, are left out"
        if coarse
        else ""
    )
    if not rows:
        print("no events found" + (f"; {left_out}" if left_out else ""))
        return 0
    headers = ("when", "event", "kind", "place", "killed", "by", "against")
    cells = [
        [
            _cell(row["when"], 24),
            _cell(row["id"]),
            _cell(str(row["kind"] or row["type"]).replace("_", " "), 20),
            _cell(row["where_name"], 30),
            _number(row["killed_total_best"]),
            _cell(str(row["initiators_names"] or "").replace("; ", ", "), 30),
            _cell(str(row["targets_names"] or "").replace("; ", ", "), 30),
        ]
        for row in rows
    ]
    print(_render(headers, cells, {"killed"}))
    if left_out:
        print(f"\n{left_out}.")
    return 0


def _place_or_point(text: str) -> str | tuple[float, float]:
    """``"35.9,36.6"`` as a point; anything else is a place's id, name or alias."""
    parts = text.split(",")
    if len(parts) == 2:
        try:
            return float(parts[0]), float(parts[1])
        except ValueError:
            pass
    return text


def _opened(args: argparse.Namespace) -> tuple[Dataset | Tables, Dataset]:
    """What the query runs on (the dataset, or its tables in ``--engine``), and the dataset of
    names. With an engine, FILE may be a folder of tables (``conflictmodel.tables.write``) or
    a dataset file: DuckDB holds its tables in memory, Spark reads them from a temporary
    folder, removed when the program ends; so does a folder read with ``--as-of``, as it was
    known then (by the history written beside its tables)."""
    settings = _duckdb_settings(args)
    if args.engine is None:
        ds = _load(args)
        if args.lenient:
            warn_left_out(ds, args.command)
        _warn_no_account(args, ds, None)
        return ds, ds
    from conflictmodel import tables

    spark_sql = None
    if args.engine == "spark":
        spark_sql = require("pyspark.sql", "spark", "the Spark engine")
    folder = Path(args.file)
    if not folder.is_dir() or args.as_of is not None:
        if args.engine == "duckdb":
            held = tables.from_dataset(_load(args, settings), settings=settings)
            _warn_no_account(args, held.dimensions, held)
            return held, held.dimensions
        temporary = tempfile.mkdtemp(prefix="conflictmodel-tables-")
        atexit.register(shutil.rmtree, temporary, True)
        folder = Path(temporary) / "tables"
        tables.write(_load(args), folder)
    spark = None
    if spark_sql is not None:
        spark = spark_sql.SparkSession.builder.appName(_PROGRAM).getOrCreate()
    opened = tables.open(folder, engine=args.engine, spark=spark, settings=settings)
    _warn_no_account(args, opened.dimensions, opened)
    return opened, opened.dimensions


def _duckdb_settings(args: argparse.Namespace) -> dict[str, str | int]:
    """DuckDB's settings that ``--memory-limit`` and ``--threads`` give (with a limit, a
    temporary folder to spill to, removed when the program ends, rather than DuckDB's
    ``.tmp`` in the working folder); refused without ``--engine duckdb``."""
    settings: dict[str, str | int] = {}
    if args.memory_limit is None and args.threads is None:
        return settings
    if args.engine != "duckdb":
        raise UsageError(
            "--memory-limit and --threads set DuckDB's; give --engine duckdb "
            "(Spark takes its memory and cores from spark-submit or its session)"
        )
    if args.memory_limit is not None:
        spill = tempfile.mkdtemp(prefix="conflictmodel-spill-")
        atexit.register(shutil.rmtree, spill, True)
        settings.update(memory_limit=args.memory_limit, temp_directory=spill)
    if args.threads is not None:
        settings["threads"] = args.threads
    return settings


def _warn_no_account(args: argparse.Namespace, ds: Dataset, tables: Tables | None) -> None:
    """Warn when ``--according-to`` names actors who made no claim, so that the answer is
    the default account (:func:`~conflictmodel.queries._arguments.no_account`)."""
    according_to = getattr(args, "according_to", None)
    if according_to is not None:
        message = no_account(args.command, ds, according_to, tables)
        if message is not None:
            warnings.warn(message, NoAccountWarning, stacklevel=2)


def _violations(args: argparse.Namespace) -> int:
    source, ds = _opened(args)
    found = ceasefire_violations(
        source,
        args.agreement,
        according_to=args.according_to,
        period=args.period,
        min_grade=args.min_grade,
    )
    rows = violation_table(found).rows
    if args.json:
        _print_json(
            [
                {
                    **row,
                    "agreement_name": ds.agreements[v.agreement].name,
                    "violator_name": _violator_label(ds, v),
                    "alleged_by_names": _named_list(ds, v.alleged_by),
                    "denied_by_names": _named_list(ds, v.denied_by),
                }
                for row, v in zip(_json_rows(rows), found, strict=True)
            ]
        )
        return 0
    if not found:
        print(found.summary() + (_graded_only(args.min_grade) if found.agreements else ""))
        return 0
    if args.explain:
        print(found)
        return 0
    headers = (
        "when",
        "agreement",
        "violator",
        "event",
        "basis",
        "certainty",
        "alleged by",
        "denied by",
    )
    cells = [
        [
            _cell(row["when"], 24),
            _cell(ds.agreements[v.agreement].name, 30),
            _cell(_violator_label(ds, v), 30),
            _cell(f"{v.event} (aggregate)" if v.aggregate else v.event or "(no event named)"),
            _cell(row["basis"]),
            _cell(row["certainty"]),
            _cell(", ".join(_named_list(ds, v.alleged_by)), 30),
            _cell(", ".join(_named_list(ds, v.denied_by)), 30),
        ]
        for row, v in zip(rows, found, strict=True)
    ]
    print(_render(headers, cells, set()))
    print(found.summary())
    return 0


def _violator_label(ds: Dataset, violation: Violation) -> str:
    """The violator's name, or the parties' names when who broke it is undetermined."""
    if violation.violator is not None:
        return actor_label(ds, violation.violator)
    return "undetermined: " + " or ".join(_named_list(ds, violation.parties))


def _json_rows(rows: list[Row]) -> list[dict[str, object]]:
    return [{name: _plain(value) for name, value in row.items()} for row in rows]


def _casualties(args: argparse.Namespace) -> int:
    source, ds = _opened(args)
    result = casualties_by_actor(
        source,
        according_to=args.according_to,
        period=args.period,
        within=args.within,
        roll_up=args.roll_up,
        min_grade=args.min_grade,
        best=args.best,
    )
    rows = _json_rows(casualty_table(result).rows)
    rows.sort(key=lambda row: _by_killed(result.get(_id(row["actor"])), row["actor"]))
    if args.json:
        _print_json(
            [
                {
                    **row,
                    "name": actor_label(ds, _id(row["actor"])),
                    "alleged_by_names": _names(ds, row["alleged_by"]) or None,
                    "denied_by_names": _names(ds, row["denied_by"]) or None,
                }
                for row in rows
            ]
        )
        _print_period_rule(args.period, sys.stderr)
        return 0
    if not rows:
        print(f"no casualty figures found{_graded_only(args.min_grade)}")
        return 0
    headers = ("actor", "killed", "low", "high", "alleged by", "denied by", "id")
    cells = [_casualty_cells(ds, row) for row in rows]
    print(_render(*_ranges_if_stated(headers, cells, rows), {"killed", "low", "high"}))
    _print_best_only(rows)
    _print_period_rule(args.period)
    return 0


def _graded_only(min_grade: str | None) -> str:
    """What a line saying a query found nothing adds with ``--min-grade``: that only events
    graded that well count."""
    if min_grade is None:
        return ""
    return f" in events graded {min_grade} or better (an event nobody has graded does not count)"


def _print_period_rule(period: str | None, stream: TextIO | None = None) -> None:
    """Say, under a table of totals for ``period``, that an event meeting it counts in full;
    on ``stream`` (standard error beside JSON, which holds only the rows)."""
    if period is not None:
        print("\n" + textwrap.fill(period_note(period, "plot --casualties"), 88), file=stream)


def _id(value: object) -> str | None:
    """A row's cell holding an id or ``None`` (unattributed, unknown), typed as such."""
    return value if isinstance(value, str) else None


def _by_killed(killed: Estimate | None, actor: object) -> tuple[int, bool, str]:
    """Most killed first, as :attr:`~conflictmodel.Estimate.best_or_low` ranks them (no
    killed figure last), then by actor, the unattributed last."""
    return (1 if killed is None else -killed.best_or_low, actor is None, str(actor or ""))


def _casualty_cells(ds: Dataset, row: dict[str, object]) -> list[str]:
    actor = _id(row["actor"])
    killed = row["killed_best"] is not None
    high = row["killed_high"]
    return [
        _cell(actor_label(ds, actor)),
        _number(row["killed_best"]),
        _number(row["killed_low"]),
        "open" if killed and high is None and row["killed_low"] is not None else _number(high),
        _cell(_names(ds, row["alleged_by"]), 30),
        _cell(_names(ds, row["denied_by"]), 30),
        _cell(actor or ""),
    ]


def _perpetrators_label(ds: Dataset, perpetrators: str | None) -> str:
    """A matrix's perpetrator key (ids joined by ", ") by name; ``None`` is unknown."""
    if perpetrators is None:
        return "unknown"
    return ", ".join(actor_label(ds, actor) for actor in perpetrators.split(", "))


def _matrix(args: argparse.Namespace) -> int:
    source, ds = _opened(args)
    found = casualty_matrix(
        source,
        according_to=args.according_to,
        period=args.period,
        within=args.within,
        roll_up=args.roll_up,
        min_grade=args.min_grade,
        best=args.best,
        infer_from_sides=args.infer_from_sides,
    )
    rows = [
        {
            "perpetrator": perpetrator,
            "victim": victim,
            "killed_low": killed.low,
            "killed_best": killed.best,
            "killed_high": killed.high,
            "perpetrator_names": _perpetrators_label(ds, perpetrator),
            "victim_name": actor_label(ds, victim),
            "alleged_by": "; ".join(said.alleged_by) if said.rests_on_claims else None,
            "denied_by": "; ".join(said.denied_by) or None,
            **(
                {
                    "inferred_low": None if part is None else part.low,
                    "inferred_best": None if part is None else part.best,
                    "inferred_high": None if part is None else part.high,
                }
                if args.infer_from_sides
                else {}
            ),
        }
        for (perpetrator, victim), killed in found.items()
        for said in [found.claimants((perpetrator, victim))]
        for part in [found.inferred((perpetrator, victim))]
    ]
    rows.sort(
        key=lambda row: (
            *_by_killed(found[_id(row["perpetrator"]), _id(row["victim"])], row["victim"]),
            row["perpetrator_names"],
        )
    )
    if args.json:
        _print_json(rows)
        _print_period_rule(args.period, sys.stderr)
        return 0
    if not rows:
        print(f"no casualty figures found{_graded_only(args.min_grade)}")
        return 0
    headers = ["killed by", "victims", "killed", "low", "high", "alleged by", "denied by"]
    headers += ["inferred"] if args.infer_from_sides else []
    cells = [
        [
            _cell(row["perpetrator_names"], 30),
            _cell(row["victim_name"], 30),
            _number(row["killed_best"]),
            _number(row["killed_low"]),
            "open"
            if row["killed_high"] is None and row["killed_low"] is not None
            else _number(row["killed_high"]),
            _cell(_names(ds, row["alleged_by"]), 30),
            _cell(_names(ds, row["denied_by"]), 30),
            *([_number(row["inferred_best"])] if args.infer_from_sides else []),
        ]
        for row in rows
    ]
    print(_render(*_ranges_if_stated(headers, cells, rows), {"killed", "low", "high"}))
    _print_best_only(rows)
    _print_period_rule(args.period)
    return 0


def _ranges_if_stated(
    headers: Sequence[str], cells: list[list[str]], rows: Sequence[Mapping[str, object]]
) -> tuple[Sequence[str], list[list[str]]]:
    """A table of killed figures without its low and high columns when no figure states a
    range (each is an exact count, or a best given with no range, as UCDP gives each side's),
    so that no range shows that nobody stated."""
    if any(_states_range(row) for row in rows):
        return headers, cells
    kept = [index for index, header in enumerate(headers) if header not in ("low", "high")]
    return [headers[i] for i in kept], [[row[i] for i in kept] for row in cells]


def _states_range(row: Mapping[str, object]) -> bool:
    """Whether a row's killed figure states a low or a high beside its best."""
    low, best, high = (row[f"killed_{part}"] for part in ESTIMATE_PARTS)
    return not low == best == high and not (low is None and high is None)


def _print_best_only(rows: Sequence[Mapping[str, object]]) -> None:
    """Say, under a table of killed figures, how many are best figures stated with no range
    (``Estimate.best_only``), which the table shows as one number."""
    alone = sum(row["killed_low"] is None and row["killed_best"] is not None for row in rows)
    if alone:
        figures = "figure is a best estimate" if alone == 1 else "figures are best estimates"
        print(f"\n{alone:,} killed {figures} with no range stated.")


def _durability(args: argparse.Namespace) -> int:
    source, ds = _opened(args)
    found = ceasefire_durability(
        source, args.agreement, according_to=args.according_to, min_grade=args.min_grade
    )
    shares = {actor_label(ds, side): share for side, share in found.shares.items()}
    if args.json:
        _print_json(
            {
                "agreement": found.agreement,
                "start": found.start.isoformat(),
                "end": None if found.end is None else found.end.isoformat(),
                "days_held": found.days_held,
                "first_violation": None
                if found.first_violation is None
                else found.first_violation.event,
                "first_possible": None
                if found.first_possible is None
                else found.first_possible.event,
                "first_alleged": None if found.first_alleged is None else found.first_alleged.event,
                "per_week": {day.isoformat(): n for day, n in found.per_week.items()},
                "before": {day.isoformat(): n for day, n in found.before.items()},
                "rate": found.rate,
                "rate_before": found.rate_before,
                "possible_per_week": {
                    day.isoformat(): n for day, n in found.possible_per_week.items()
                },
                "possible_before": {day.isoformat(): n for day, n in found.possible_before.items()},
                "possible_rate": found.possible_rate,
                "possible_rate_before": found.possible_rate_before,
                "shares": shares,
                "attributed": found.attributed,
                "undetermined": found.undetermined,
                "spread": found.spread,
                "min_grade": None if found.min_grade is None else found.min_grade.value,
            }
        )
        return 0
    print("\n".join(found.lines()))
    return 0


def _diff(args: argparse.Namespace) -> int:
    from conflictmodel.versions import diff

    found = diff(load(args.old), load(args.new), ignore=args.ignore or ())
    if args.json:
        _print_json(list(found.rows()))
    elif args.csv:
        columns = ["change", "collection", "id", "field", "old", "new"]
        writer = csv.DictWriter(sys.stdout, columns, lineterminator="\n")
        writer.writeheader()
        writer.writerows(found.rows())
    else:
        print(found)
    return 0


def _export(args: argparse.Namespace) -> int:
    if args.to == "parquet":
        require("pandas", "frames", "export --to parquet")
    if args.output is not None:
        if args.to == "geojson":
            _check_folder(args.output)
        elif str(args.output) == STDIO:
            raise UsageError(f"--to {args.to} writes a folder of files; - works with geojson")
    ds = _load(args)
    source = Path("stdin" if str(args.file) == STDIO else args.file)
    if args.to == "geojson":
        from conflictmodel.io.geojson import iter_geojson, write_geojson

        if args.output is not None and str(args.output) == STDIO:
            for chunk in iter_geojson(ds):
                sys.stdout.write(chunk.decode("utf-8"))
            sys.stdout.write("\n")
            return 0
        written = [write_geojson(ds, args.output or source.with_suffix(".geojson"))]
    else:
        directory = args.output or source.with_name(f"{source.stem}-{args.to}")
        if args.to == "csv":
            from conflictmodel.io.csv_export import to_csv

            written = to_csv(ds, directory)
        elif args.to == "tables":
            from conflictmodel import tables

            written = list(tables.write(ds, directory).values())
        else:
            from conflictmodel.io.frames import to_parquet

            written = to_parquet(ds, directory)
    if args.json:
        _print_json([str(path) for path in written])
    else:
        for path in written:
            print(f"wrote {path}")
    return 0


_CHART_OPTIONS = {
    "casualties": ("freq", "according-to", "period", "within", "roll-up", "min-grade", "best"),
    "violations": ("freq", "according-to", "period", "min-grade"),
    "map": ("period",),
    "place": (),
}
"""The options each chart of ``plot`` takes; it refuses the others rather than ignore them."""


def _plot(args: argparse.Namespace) -> int:
    from conflictmodel import plots

    target: Path = args.output
    if str(target) != STDIO:
        plots.checked_target(target)
    freq = (args.freq or ("W" if args.violations else "M")).upper()
    if freq not in FREQUENCIES:
        raise UsageError(f"--freq: expected one of {', '.join(FREQUENCIES)}, got {args.freq!r}")
    chart = next(chart for chart in _CHART_OPTIONS if getattr(args, chart.replace("-", "_")))
    for option in _CHART_OPTIONS["casualties"]:
        if getattr(args, option.replace("-", "_")) and option not in _CHART_OPTIONS[chart]:
            takes = ", ".join(f"--{o}" for o in _CHART_OPTIONS[chart]) or "no other option"
            raise UsageError(f"--{option} does not apply to --{chart}, which takes {takes}")
    ds = _load(args)
    if args.lenient:
        warn_left_out(ds, args.command)
    _warn_no_account(args, ds, None)
    figure: Any
    if args.place:
        figure, what = plots.place_figure(ds, args.place), f"events and control at {args.place}"
    elif args.violations:
        figure = plots.violations_figure(
            ds,
            args.violations,
            freq,
            according_to=args.according_to,
            period=args.period,
            min_grade=args.min_grade,
        )
        what = f"violations of {args.violations} per {FREQUENCIES[freq]}"
    elif args.map:
        figure, what = plots.events_map_figure(ds, period=args.period), "a map of events"
    else:
        figure = plots.casualties_figure(
            ds,
            freq,
            according_to=args.according_to,
            period=args.period,
            within=args.within,
            roll_up=args.roll_up,
            min_grade=args.min_grade,
            best=args.best,
        )
        what = f"killed per {FREQUENCIES[freq]} by actor"
    if str(target) == STDIO:
        plots.write(figure, sys.stdout.buffer)
        return 0
    plots.write(figure, target)
    print(f"wrote {what} to {target}")
    return 0


def _plugins_command(args: argparse.Namespace) -> int:
    import importlib.metadata

    from conflictmodel import registry

    failed = load_plugins()
    found = sorted(importlib.metadata.entry_points(group=ENTRY_POINT_GROUP), key=lambda e: e.name)
    if args.json:
        _print_json(
            {
                "plugins": [{"name": e.name, "value": e.value} for e in found],
                "failed": {name: str(error) for name, error in failed.items()},
                "record_types": sorted(registry.record_types()),
                "statement_types": sorted(registry.statement_types()),
            }
        )
        return 0
    if not found:
        print(f"no plug-ins installed (entry-point group {ENTRY_POINT_GROUP!r})")
    for entry in found:
        state = f"failed: {_one_line(failed[entry.name])}" if entry.name in failed else "loaded"
        print(f"{entry.name}  {entry.value}  {state}")
    print(f"record types: {', '.join(sorted(registry.record_types()))}")
    print(f"statement types: {', '.join(sorted(registry.statement_types()))}")
    return 0


# Arguments -----------------------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog=_PROGRAM,
        description="Conflict reporting as typed records: import, check, query, chart and export.",
    )
    parser.add_argument("--version", action="version", version=f"%(prog)s {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    def command(
        name: str, run: Callable[[argparse.Namespace], int], text: str, *, json: bool = True
    ) -> argparse.ArgumentParser:
        sub = commands.add_parser(name, help=text, description=text)
        sub.set_defaults(run=run, command_parser=sub, given_as={})
        if json:
            sub.add_argument("--json", action="store_true", help="print JSON for scripts")
        return sub

    def dataset_file(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "file",
            type=Path,
            help="a dataset as .json or .jsonl (- reads stdin), or a folder of tables written "
            "by conflictmodel export --to tables or conflictmodel.tables.write",
        )
        sub.add_argument(
            "--lenient",
            action="store_true",
            help="keep events and claims of unknown types instead of refusing the file",
        )
        sub.add_argument(
            "--lazy",
            action=argparse.BooleanOptionalAction,
            help="read a .jsonl FILE columns first into DuckDB (by default from 48 MiB): the "
            "totals, matrix, violations and durability answer at once, records are built only "
            "where shown; --no-lazy builds every record",
        )
        sub.add_argument(
            "--as-of",
            metavar="WHEN",
            help="the dataset as known then (a day, or an ISO date and time): each record's "
            "version then, without records recorded later or withdrawn by then",
        )

    def perspective(sub: argparse.ArgumentParser, what: str) -> None:
        sub.add_argument("--according-to", help=f"{what} as this claimant tells it (actor)")

    def period_and_place(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "--period", help="only events meeting (overlapping) this span, e.g. 2020-02"
        )
        sub.add_argument("--within", help="only events within this place (id or name)")

    def min_grade(sub: argparse.ArgumentParser) -> None:
        sub.add_argument("--min-grade", choices=_GRADES, help="only events graded this or better")

    def best(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "--best",
            choices=BEST_RULES,
            help="where claims disagree and the record has no figure, the best figure to take "
            "(by default none: the total shows the range)",
        )

    def engine(sub: argparse.ArgumentParser) -> None:
        sub.add_argument(
            "--engine",
            choices=ENGINES,
            help="query the tables with this engine (FILE may then be a folder of tables)",
        )
        sub.add_argument(
            "--memory-limit",
            metavar="SIZE",
            help="with --engine duckdb: the memory DuckDB may use (such as 4GB); past it, it "
            "spills to a temporary folder",
        )
        sub.add_argument(
            "--threads",
            type=int,
            metavar="N",
            help="with --engine duckdb: how many threads DuckDB runs on",
        )

    demo = command("demo", _demo, "print the Idlib 2020 seed and what the queries find", json=False)
    demo.add_argument("-o", "--output", type=Path, help="write the seed to this .json/.jsonl or -")

    dataset_file(command("validate", _validate, "check that a dataset file loads and is valid"))

    imported = command("import", _import, "import a UCDP GED or ACLED CSV file")
    imported.add_argument(
        "format",
        nargs="?",
        choices=CSV_SOURCES,
        help="the CSV's source (by default, told from the columns its header names)",
    )
    imported.add_argument("csv", type=Path, help="the CSV file (- reads stdin)")
    imported.add_argument(
        "-o", "--output", type=Path, required=True, help="the .json/.jsonl to write, or -"
    )
    imported.add_argument(
        "--errors",
        choices=("report", "raise"),
        default="report",
        help="list bad rows in the report (default) or stop at the first",
    )
    imported.add_argument("-q", "--quiet", action="store_true", help="no progress bar")

    summary = command("summary", _summary, "print an overview of a dataset (--full lists it)")
    dataset_file(summary)
    summary.add_argument("--full", action="store_true", help="list every record instead")
    summary.add_argument("--top", type=int, default=5, help="how many actors and places to name")

    events = command("events", _events, "list events by time, near a place or within one")
    dataset_file(events)
    events.add_argument("--period", help="only events meeting this span, e.g. 2020-02")
    events.add_argument("--within", help="only events within this place (id or name)")
    events.add_argument("--near", help="only events near this place (id or name) or lat,lon")
    events.add_argument("--km", type=float, help="with --near: the distance in kilometres")

    violations = command("violations", _violations, "list ceasefire violations")
    dataset_file(violations)
    violations.add_argument("--agreement", help="only this agreement (id)")
    perspective(violations, "violations")
    violations.add_argument("--period", help="only during this span, e.g. 2020-02 or 2020/..")
    violations.add_argument(
        "--explain",
        action="store_true",
        help="instead of the table, say why each is a violation, in one sentence by name",
    )
    min_grade(violations)
    engine(violations)

    casualties = command("casualties", _casualties, "killed (and injured) per actor")
    dataset_file(casualties)
    perspective(casualties, "figures")
    casualties.add_argument(
        "--roll-up",
        action="store_true",
        help="count each actor under the outermost actor it is part of (an army under its state)",
    )
    period_and_place(casualties)
    min_grade(casualties)
    best(casualties)
    engine(casualties)

    matrix = command("matrix", _matrix, "killed per perpetrator and victim")
    dataset_file(matrix)
    perspective(matrix, "figures and perpetrators")
    matrix.add_argument(
        "--roll-up", action="store_true", help="fold perpetrators and victims into outermost actors"
    )
    matrix.add_argument(
        "--infer-from-sides",
        action="store_true",
        help="give dead no one names a perpetrator of to the side that fought them, "
        "marked as inferred",
    )
    period_and_place(matrix)
    min_grade(matrix)
    best(matrix)
    engine(matrix)

    durability = command("durability", _durability, "how long a ceasefire held, week by week")
    dataset_file(durability)
    durability.add_argument("agreement", help="the agreement (id)")
    durability.set_defaults(given_as={"agreement": "agreement"})
    perspective(durability, "violations")
    min_grade(durability)
    engine(durability)

    changes = command("diff", _diff, "what changed between two datasets (or releases)")
    changes.add_argument("old", type=Path, help="the older dataset (.json or .jsonl)")
    changes.add_argument("new", type=Path, help="the newer dataset (.json or .jsonl)")
    changes.add_argument("--csv", action="store_true", help="print CSV rows, one per change")
    changes.add_argument(
        "--ignore", action="append", metavar="FIELD", help="do not compare this field (repeat)"
    )

    export = command(
        "export", _export, "write a dataset as CSV, Parquet, GeoJSON or the engines' tables"
    )
    dataset_file(export)
    export.add_argument("--to", choices=("csv", "parquet", "geojson", "tables"), required=True)
    export.add_argument(
        "-o", "--output", type=Path, help="folder (csv, parquet, tables) or file (geojson, or -)"
    )

    plot = command(
        "plot", _plot, "draw a chart: casualties, violations, a place or a map", json=False
    )
    dataset_file(plot)
    what = plot.add_mutually_exclusive_group(required=True)
    what.add_argument("--casualties", action="store_true", help="killed per month by actor")
    what.add_argument("--violations", metavar="AGREEMENT", help="violations per week (id)")
    what.add_argument("--place", help="events and who held this place (id or name)")
    what.add_argument("--map", action="store_true", help="events on a map, sized by killed")
    plot.add_argument(
        "-o", "--output", type=Path, required=True, help="the .png, .svg or .pdf to write, or -"
    )
    plot.add_argument(
        "--freq", help="period length: D, W, M, Q or Y (default M; W for --violations)"
    )
    perspective(plot, "casualties or violations")
    plot.add_argument("--within", help="casualties within this place")
    plot.add_argument(
        "--period", help="casualties, violations or map: only events meeting this span"
    )
    plot.add_argument("--roll-up", action="store_true", help="casualties under the outermost actor")
    plot.set_defaults(given_as={"agreement": "--violations"})
    min_grade(plot)
    best(plot)

    command("plugins", _plugins_command, "list the plug-ins found and the event types known")
    linkage_cli.register(command)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; the exit status."""
    parser = _parser()
    try:
        args, unknown = parser.parse_known_args(argv)
        if unknown:
            # Under the usage of the command they were given to, not the top-level one.
            command_parser: argparse.ArgumentParser = args.command_parser
            command_parser.error(f"unrecognized arguments: {' '.join(unknown)}")
    except SystemExit as stop:
        return stop.code if isinstance(stop.code, int) else 1
    run: Callable[[argparse.Namespace], int] = args.run
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("always", ConflictModelWarning)
            warnings.showwarning = _show_warning
            status = run(args)
        sys.stdout.flush()
        return status
    except BrokenPipeError:
        # The reader went away (``| head``): send the rest to /dev/null, as Python's docs advise.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return 0
    except KeyboardInterrupt:
        print(f"\n{_PROGRAM}: interrupted", file=sys.stderr)
        return 130
    except (ConflictModelError, OSError) as error:
        print(f"{_PROGRAM}: error: {_one_line(error, args.given_as)}", file=sys.stderr)
        return 1
