"""Datasets larger than memory: Parquet tables of a dataset, and the main queries by DuckDB.

:func:`write_tables` writes a dataset's columns (see :mod:`conflictmodel.columnar`) as Parquet
files: ``figures`` (one row per casualty figure the default perspective counts, with its event's
span and place), ``events``, ``initiators``, ``targets``, ``actors``, ``locations``,
``agreements``, ``sides`` and ``scope``. :func:`casualties_by_actor` and
:func:`observed_violations` answer over such a directory with DuckDB, without building a
record: the same answers as :func:`conflictmodel.casualties_by_actor` and the observed
violations of :func:`conflictmodel.ceasefire_violations`, from the default perspective (the
record's figures; claims only where the record has none). Files written by other tools (or
generated straight in columns) work the same if they have these columns.

Needs the ``arrow`` extra (pyarrow and duckdb).

>>> import tempfile, conflictmodel as cm
>>> from conflictmodel import parquet
>>> ds = cm.examples.idlib_2020()
>>> folder = tempfile.mkdtemp()
>>> _ = parquet.write_tables(ds, folder)
>>> parquet.casualties_by_actor(folder) == dict(cm.casualties_by_actor(ds))
True
>>> parquet.casualties_by_actor(folder, within="idlib-governorate", roll_up=True)["turkey"]
Estimate(low=8, best=8, high=8)
>>> for v in parquet.observed_violations(folder, "idlib-ceasefire-2020", period="2020-02-03"):
...     print(v.violator, v.event, v.certainty.value)
syrian-army idlib-offensive possible
syrian-army attack-2020-02-03 definite
turkish-army retaliation-2020-02-03 definite
"""

from __future__ import annotations

import datetime
import os
from pathlib import Path
from typing import Any

import attrs
import numpy as np

from conflictmodel import columnar
from conflictmodel.dataset import Dataset
from conflictmodel.errors import UnknownNameError, ValidationError
from conflictmodel.io._extras import require
from conflictmodel.quantities import Estimate
from conflictmodel.queries import _arguments
from conflictmodel.queries.violations import Certainty
from conflictmodel.timespans import TimeSpan

TABLES = (
    "figures",
    "events",
    "initiators",
    "targets",
    "actors",
    "locations",
    "agreements",
    "sides",
    "scope",
)
"""The Parquet files :func:`write_tables` writes, each ``<name>.parquet``."""

_EPOCH = datetime.date(1970, 1, 1).toordinal()


@attrs.frozen
class ObservedViolation:
    """``violator`` broke ``agreement`` through ``event``, as the record shows."""

    agreement: str
    violator: str
    event: str
    certainty: Certainty


def _days(numbers: columnar.Ints) -> Any:
    """Day numbers as an Arrow date column; open ends are nulls."""
    arrow: Any = require("pyarrow", "arrow", "write_tables()")
    open_end = (numbers == columnar.OPEN_START) | (numbers == columnar.OPEN_END)
    days = np.where(open_end, 0, numbers - _EPOCH).astype("datetime64[D]")
    return arrow.array(days, mask=open_end)


def _nullable(values: columnar.Ints, unknown: int) -> Any:
    """Numbers with ``unknown`` (an open high, an unknown best) as nulls."""
    arrow: Any = require("pyarrow", "arrow", "write_tables()")
    return arrow.array(values, mask=values == unknown)


def _names(ids: list[str], indexes: columnar.Ints) -> Any:
    """Ids picked by index (``-1``: null)."""
    arrow: Any = require("pyarrow", "arrow", "write_tables()")
    table = arrow.array([*ids, None], type=arrow.string())
    return table.take(arrow.array(np.where(indexes < 0, len(ids), indexes)))


def write_tables(ds: Dataset, directory: str | os.PathLike[str]) -> dict[str, Path]:
    """Write the Parquet tables of ``ds`` into ``directory``; the path of each table."""
    arrow: Any = require("pyarrow", "arrow", "write_tables()")
    parquet: Any = require("pyarrow.parquet", "arrow", "write_tables()")
    if not isinstance(ds, Dataset):
        raise ValidationError(f"write_tables() takes a Dataset, got {type(ds).__name__}")
    table = columnar.columns(ds)
    events = table.event_ids
    figures = [table.figures, table.claim_figures]
    event = np.concatenate([f.event for f in figures])
    kept = ~table.toll[event]
    event = event[kept]
    tables: dict[str, Any] = {
        "figures": {
            "event": _names(events, event),
            "actor": _names(table.actor_ids, np.concatenate([f.actor for f in figures])[kept]),
            "killed": np.concatenate([f.killed for f in figures])[kept],
            "low": np.concatenate([f.low for f in figures])[kept],
            "best": _nullable(
                np.concatenate([f.best for f in figures])[kept], columnar.UNKNOWN_BEST
            ),
            "high": _nullable(np.concatenate([f.high for f in figures])[kept], columnar.OPEN_HIGH),
            "start": _days(table.start[event]),
            "end": _days(table.end[event]),
            "place": _names(table.location_ids, table.place[event]),
        },
        "events": {
            "id": arrow.array(events, type=arrow.string()),
            "start": _days(table.start),
            "end": _days(table.end),
            "place": _names(table.location_ids, table.place),
            "hostile": table.hostile,
        },
        "initiators": {
            "event": _names(events, table.initiator_event),
            "actor": _names(table.actor_ids, table.initiator_actor),
        },
        "targets": {
            "event": _names(events, table.target_event),
            "actor": _names(table.actor_ids, table.target_actor),
        },
        "actors": {
            "id": list(ds.actors),
            "part_of": [a.part_of for a in ds.actors.values()],
            "civilians": [a.kind.value == "civilians" for a in ds.actors.values()],
        },
        "locations": {
            "id": list(ds.locations),
            "within": [place.within for place in ds.locations.values()],
        },
        **_agreement_tables(ds),
    }
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    written = {}
    for name, columns in tables.items():
        path = folder / f"{name}.parquet"
        parquet.write_table(arrow.table(columns), path)
        written[name] = path
    return written


def _agreement_tables(ds: Dataset) -> dict[str, dict[str, Any]]:
    arrow: Any = require("pyarrow", "arrow", "write_tables()")
    agreements = list(ds.agreements.values())

    def day(value: datetime.date | None) -> datetime.date | None:
        return None if value is None else datetime.date(value.year, value.month, value.day)

    return {
        "agreements": {
            "id": arrow.array([a.id for a in agreements], type=arrow.string()),
            "start": arrow.array([day(a.effective.start) for a in agreements], type=arrow.date32()),
            "end": arrow.array([day(a.effective.end) for a in agreements], type=arrow.date32()),
        },
        "sides": {
            "agreement": arrow.array(
                [a.id for a in agreements for side in a.sides for _ in side], type=arrow.string()
            ),
            "side": arrow.array(
                [n for a in agreements for n, side in enumerate(a.sides) for _ in side],
                type=arrow.int64(),
            ),
            "actor": arrow.array(
                [actor for a in agreements for side in a.sides for actor in side],
                type=arrow.string(),
            ),
        },
        "scope": {
            "agreement": arrow.array(
                [a.id for a in agreements for _ in a.scope], type=arrow.string()
            ),
            "location": arrow.array(
                [place for a in agreements for place in a.scope], type=arrow.string()
            ),
        },
    }


def _connect(directory: str | os.PathLike[str], feature: str) -> Any:
    duckdb: Any = require("duckdb", "arrow", feature)
    folder = Path(directory)
    missing = [name for name in TABLES if not (folder / f"{name}.parquet").is_file()]
    if missing:
        raise ValidationError(
            f"{feature}: {str(folder)!r} lacks {', '.join(f'{m}.parquet' for m in missing)}; "
            "write the tables with write_tables()"
        )
    connection = duckdb.connect()
    for name in TABLES:
        path = str(folder / f"{name}.parquet").replace("'", "''")
        connection.execute(f"CREATE VIEW {name} AS SELECT * FROM read_parquet('{path}')")
    return connection


def _known(connection: Any, table: str, value: str, function: str, argument: str) -> None:
    found = connection.execute(f"SELECT count(*) FROM {table} WHERE id = ?", [value]).fetchone()
    if not found[0]:
        raise UnknownNameError(f"{function}({argument}={value!r}): no such id in {table}.parquet")


_TOTALS = """
    WITH RECURSIVE inside(id) AS (
        SELECT id FROM locations WHERE id = $within
        UNION SELECT locations.id FROM locations JOIN inside ON locations.within = inside.id
    ),
    up(id, top) AS (
        SELECT id, id FROM actors WHERE part_of IS NULL
        UNION ALL SELECT actors.id, up.top FROM actors JOIN up ON actors.part_of = up.id
    )
    SELECT CASE WHEN $roll_up THEN up.top ELSE figures.actor END AS who,
        sum(low), sum(best), sum(high), bool_or(best IS NULL), bool_or(high IS NULL)
    FROM figures LEFT JOIN up ON up.id = figures.actor
    WHERE killed
      AND ($first::DATE IS NULL OR figures."end" IS NULL OR figures."end" >= $first::DATE)
      AND ($last::DATE IS NULL OR figures.start IS NULL OR figures.start <= $last::DATE)
      AND ($within IS NULL OR figures.place IN (SELECT id FROM inside))
    GROUP BY who
"""


def _bounds(period: TimeSpan | None) -> list[datetime.date | None]:
    if period is None:
        return [None, None]
    return [
        None if end is None else datetime.date(end.year, end.month, end.day)
        for end in (period.start, period.end)
    ]


def casualties_by_actor(
    directory: str | os.PathLike[str],
    *,
    period: TimeSpan | str | None = None,
    within: str | None = None,
    roll_up: bool = False,
) -> dict[str | None, Estimate]:
    """Killed per actor over the tables in ``directory``, as ``conflictmodel.casualties_by_actor``.

    ``within`` is a location id here (the tables keep no names); the answer is a plain dict.
    """
    function = "parquet.casualties_by_actor"
    span = _arguments.period(function, period)
    connection = _connect(directory, function)
    if within is not None:
        _known(connection, "locations", within, function, "within")
    first, last = _bounds(span)
    parameters = {"within": within, "roll_up": roll_up, "first": first, "last": last}
    rows = connection.execute(_TOTALS, parameters).fetchall()
    connection.close()
    totals = {
        who: Estimate(int(low), None if any_unknown else int(best), None if any_open else int(high))
        for who, low, best, high, any_unknown, any_open in rows
    }
    return dict(sorted(totals.items(), key=lambda item: (item[0] is None, item[0] or "")))


def observed_violations(
    directory: str | os.PathLike[str],
    agreement: str,
    *,
    period: TimeSpan | str | None = None,
) -> list[ObservedViolation]:
    """The observed violations of ``agreement``, as :func:`~conflictmodel.ceasefire_violations`.

    A hostile engagement in the scope whose span meets the effective span, by an initiator
    bound by the agreement (through itself or a group it is part of, civilians never), against
    at least one target not on its side. Sorted as ``ceasefire_violations`` sorts.
    """
    function = "parquet.observed_violations"
    span = _arguments.period(function, period)
    connection = _connect(directory, function)
    _known(connection, "agreements", agreement, function, "agreement")
    first, last = _bounds(span)
    query = """
        WITH RECURSIVE chain(actor, member, depth) AS (
            SELECT id, id, 0 FROM actors WHERE NOT civilians
            UNION ALL SELECT chain.actor, actors.part_of, chain.depth + 1
            FROM chain JOIN actors ON actors.id = chain.member WHERE actors.part_of IS NOT NULL
        ),
        bound AS (
            SELECT chain.actor, arg_min(sides.side, chain.depth) AS side
            FROM chain JOIN sides ON sides.actor = chain.member AND sides.agreement = $agreement
            GROUP BY chain.actor
        ),
        inside(id) AS (
            SELECT location FROM scope WHERE agreement = $agreement
            UNION SELECT locations.id FROM locations JOIN inside ON locations.within = inside.id
        ),
        deal AS (SELECT * FROM agreements WHERE id = $agreement),
        chosen AS (
            SELECT events.* FROM events, deal
            WHERE events.hostile
              AND (deal."end" IS NULL OR events.start IS NULL OR events.start <= deal."end")
              AND (deal.start IS NULL OR events."end" IS NULL OR events."end" >= deal.start)
              AND ($first::DATE IS NULL OR events."end" IS NULL OR events."end" >= $first::DATE)
              AND ($last::DATE IS NULL OR events.start IS NULL OR events.start <= $last::DATE)
              AND (NOT EXISTS (SELECT 1 FROM scope WHERE agreement = $agreement)
                   OR events.place IN (SELECT id FROM inside))
        )
        SELECT DISTINCT chosen.id, initiators.actor, chosen.start, chosen."end",
            (deal.start IS NULL OR (chosen.start IS NOT NULL AND chosen.start >= deal.start))
            AND (deal."end" IS NULL OR (chosen."end" IS NOT NULL AND chosen."end" <= deal."end"))
        FROM chosen, deal
        JOIN initiators ON initiators.event = chosen.id
        JOIN bound AS mine ON mine.actor = initiators.actor
        WHERE EXISTS (
            SELECT 1 FROM targets LEFT JOIN bound AS theirs ON theirs.actor = targets.actor
            WHERE targets.event = chosen.id
              AND (theirs.side IS NULL OR theirs.side <> mine.side)
        )
    """
    rows = connection.execute(
        query, {"agreement": agreement, "first": first, "last": last}
    ).fetchall()
    connection.close()
    low, high = datetime.date.min, datetime.date.max
    ordered = sorted(rows, key=lambda row: (row[2] or low, row[3] or high, row[0], row[1]))
    return [
        ObservedViolation(
            agreement, actor, event, Certainty.DEFINITE if inside else Certainty.POSSIBLE
        )
        for event, actor, _, _, inside in ordered
    ]
