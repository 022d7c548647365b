"""Parquet tables of a synthetic world with millions of events, generated straight in columns.

No record is ever built: the tables :func:`conflictmodel.parquet.write_tables` would write are
made with numpy from the same world (actors, places, agreements) as :mod:`benchmarks.generate`,
and the DuckDB queries of :mod:`conflictmodel.parquet` run over them.
"""

from __future__ import annotations

import datetime
import random
from pathlib import Path
from typing import Any

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from benchmarks.generate import DAYS, START, World

CHUNK = 2_000_000


def _dates(days: np.ndarray[Any, np.dtype[np.int64]]) -> pa.Array:
    epoch = START.toordinal() - datetime.date(1970, 1, 1).toordinal()
    return pa.array((days + epoch).astype("datetime64[D]"))


def _names(names: list[str], picks: np.ndarray[Any, np.dtype[np.int64]]) -> pa.Array:
    return pa.DictionaryArray.from_arrays(pa.array(picks.astype(np.int32)), pa.array(names))


def write(folder: Path, events: int, seed: int = 6) -> Path:
    """Write the tables of ``events`` engagements into ``folder`` (a few at a time)."""
    folder.mkdir(parents=True, exist_ok=True)
    world = World(random.Random(seed))
    rng = np.random.default_rng(seed)
    actors = [a["id"] for a in world.actors]
    fighters = np.array([actors.index(f) for f in world.fighters])
    civilians = np.array([actors.index(c) for c in world.civilians])
    places = [p["id"] for p in world.locations]
    towns = np.array([places.index(t) for t in world.towns])
    writers: dict[str, pq.ParquetWriter] = {}

    def append(name: str, table: pa.Table) -> None:
        if name not in writers:
            writers[name] = pq.ParquetWriter(folder / f"{name}.parquet", table.schema)
        writers[name].write_table(table)

    for first in range(0, events, CHUNK):
        count = min(CHUNK, events - first)
        ids = pa.array(np.char.add("e", np.arange(first, first + count).astype(str)))
        start = rng.integers(0, DAYS, count)
        end = start + np.where(rng.random(count) < 0.1, rng.integers(1, 30, count), 0)
        place = towns[rng.integers(0, len(towns), count)]
        initiator = fighters[rng.integers(0, len(fighters), count)]
        target = fighters[rng.integers(0, len(fighters), count)]
        hostile = rng.random(count) < 0.9
        append(
            "events",
            pa.table(
                {
                    "id": ids,
                    "start": _dates(start),
                    "end": _dates(end),
                    "place": _names(places, place),
                    "hostile": hostile,
                }
            ),
        )
        append("initiators", pa.table({"event": ids, "actor": _names(actors, initiator)}))
        append("targets", pa.table({"event": ids, "actor": _names(actors, target)}))
        for victims in (target, initiator, civilians[rng.integers(0, len(civilians), count)]):
            best = rng.integers(0, 30, count)
            spread = rng.integers(0, 5, count)
            append(
                "figures",
                pa.table(
                    {
                        "event": ids,
                        "actor": _names(actors, victims),
                        "killed": np.ones(count, dtype=bool),
                        "low": np.maximum(best - spread, 0),
                        "best": best,
                        "high": best + spread,
                        "start": _dates(start),
                        "end": _dates(end),
                        "place": _names(places, place),
                    }
                ),
            )
    for writer in writers.values():
        writer.close()
    small = {
        "actors": {
            "id": actors,
            "part_of": [a["part_of"] for a in world.actors],
            "civilians": [a["kind"] == "civilians" for a in world.actors],
        },
        "locations": {"id": places, "within": [p["within"] for p in world.locations]},
        "agreements": {
            "id": [a["id"] for a in world.agreements],
            "start": [_day(a["effective"].split("/")[0]) for a in world.agreements],
            "end": [_day(a["effective"].split("/")[1]) for a in world.agreements],
        },
        "sides": {
            "agreement": [a["id"] for a in world.agreements for s in a["sides"] for _ in s],
            "side": [n for a in world.agreements for n, s in enumerate(a["sides"]) for _ in s],
            "actor": [x for a in world.agreements for s in a["sides"] for x in s],
        },
        "scope": {
            "agreement": [a["id"] for a in world.agreements for _ in a["scope"]],
            "location": [p for a in world.agreements for p in a["scope"]],
        },
    }
    for name, columns in small.items():
        pq.write_table(pa.table(columns), folder / f"{name}.parquet")
    return folder


def _day(text: str) -> datetime.date | None:
    return None if text in ("", "..") else datetime.date.fromisoformat(text)
