"""Seeded synthetic conflict datasets, written straight to the JSON Lines file format.

The records are built as the plain JSON values :func:`conflictmodel.dump` writes (in the
current format version, every field given, so the loader's fast path reads them), so a million
events take seconds to generate; loading the file is what the benchmark measures. The world:

- about 200 actors: 12 states, each with forces and brigades under them (``part_of`` trees
  three deep), 30 rebel groups with factions, civilians of each country, a monitor;
- about 5,000 locations: 5 countries, 30 regions, 240 districts, 4,730 towns;
- 50 agreements with scopes (districts or regions), two sides of states and rebel groups,
  and effective spans (some open-ended);
- engagements from 2016 to 2019, mostly at day precision (some month, year or a range), with
  one to four casualty entries each (``reported_total`` on some);
- claims on about 10 % of the events from several claimants: occurrence (asserted or denied),
  attribution, casualty figures and violations of the agreement whose scope holds the event.

Agreement ``agr-00`` covers three districts, about 1 % of the events.

Beside them: :func:`write_acled`, an ACLED-format CSV file of any length made from the real
UCDP Syria file, and :func:`replicate_tables`, the tables of a world repeated (ten copies of a
million events make ten million without building them as records).
"""

from __future__ import annotations

import csv
import datetime
import random
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import orjson

import conflictmodel as cm

FORMAT_VERSION: int = orjson.loads(cm.dumps(cm.Dataset([])))["version"]
"""The file format version this library writes."""

START = datetime.date(2016, 1, 1)
DAYS = 4 * 365
COUNTRIES = 5
REGIONS_PER_COUNTRY = 6
DISTRICTS_PER_REGION = 8
TOWNS = 4730
STATES = 12
REBELS = 30
AGREEMENTS = 50
KINDS = (
    "armed_clash",
    "attack",
    "airstrike",
    "shelling",
    "drone_strike",
    "bombing",
    "ambush",
    "raid",
    "interception",
)
Json = dict[str, Any]
_AGREEMENT_DEFAULTS: Json = {
    "ceasefire_class": None,
    "declared": None,
    "declared_by": [],
    "ended": None,
    "ends": None,
    "excluded": [],
    "external_ids": {},
    "purposes": [],
    "supersedes": [],
    "written": None,
}


def _estimate(rng: random.Random, low: int, high: int) -> Json:
    best = rng.randint(low, high)
    if rng.random() < 0.6:
        return {"low": best, "best": best, "high": best}
    spread = rng.randint(0, best // 2 + 1)
    top = None if rng.random() < 0.05 else best + spread
    return {"low": max(best - spread, 0), "best": best, "high": top}


def _day(offset: int) -> datetime.date:
    return START + datetime.timedelta(days=offset)


class World:
    """The actors, places and agreements that events happen among."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.actors: list[Json] = []
        self.locations: list[Json] = []
        self.agreements: list[Json] = []
        self.sources: list[Json] = []
        self.fighters: list[str] = []
        self.civilians: list[str] = []
        self.tops: list[str] = []
        self.claimants: list[str] = []
        self.towns: list[str] = []
        self.districts: list[str] = []
        self.regions: list[str] = []
        self.town_district: dict[str, str] = {}
        self.district_region: dict[str, str] = {}
        self._actors()
        self._locations()
        self._agreements()
        self.sources = [
            {
                "type": "source",
                "id": f"src-{index:03d}",
                "title": f"Report {index}",
                "publisher": None,
                "url": None,
                "published": None,
                "kind": None,
                "affiliation": None,
            }
            for index in range(100)
        ]

    def _actor(self, actor_id: str, kind: str, part_of: str | None) -> None:
        self.actors.append(
            {
                "type": "actor",
                "id": actor_id,
                "name": actor_id.replace("-", " ").title(),
                "kind": kind,
                "aliases": [],
                "part_of": part_of,
                "country": None,
                "external_ids": {},
            }
        )

    def _actors(self) -> None:
        for state in range(STATES):
            top = f"state-{state:02d}"
            self._actor(top, "state", None)
            self.tops.append(top)
            self.claimants.append(top)
            for branch in range(3):
                forces = f"{top}-forces-{branch}"
                self._actor(forces, "state_forces", top)
                self.fighters.append(forces)
                for unit in range(2):
                    brigade = f"{forces}-brigade-{unit}"
                    self._actor(brigade, "state_forces", forces)
                    self.fighters.append(brigade)
        for rebel in range(REBELS):
            top = f"rebels-{rebel:02d}"
            self._actor(top, "rebel_group", None)
            self.tops.append(top)
            self.fighters.append(top)
            for faction in range(rebel % 3):
                name = f"{top}-faction-{faction}"
                self._actor(name, "militia", top)
                self.fighters.append(name)
        for country in range(COUNTRIES):
            name = f"civilians-{country}"
            self._actor(name, "civilians", None)
            self.civilians.append(name)
        self._actor("monitor", "international_organisation", None)
        self.claimants.append("monitor")

    def _location(self, location_id: str, kind: str, within: str | None) -> None:
        rng = self.rng
        self.locations.append(
            {
                "type": "location",
                "id": location_id,
                "name": location_id.replace("-", " ").title(),
                "kind": kind,
                "within": within,
                "point": {
                    "lat": round(rng.uniform(30, 40), 4),
                    "lon": round(rng.uniform(35, 45), 4),
                },
                "aliases": [],
                "codes": {},
            }
        )

    def _locations(self) -> None:
        for country in range(COUNTRIES):
            country_id = f"country-{country}"
            self._location(country_id, "country", None)
            for region in range(REGIONS_PER_COUNTRY):
                region_id = f"{country_id}-region-{region}"
                self._location(region_id, "region", country_id)
                self.regions.append(region_id)
                for district in range(DISTRICTS_PER_REGION):
                    district_id = f"{region_id}-district-{district}"
                    self._location(district_id, "district", region_id)
                    self.districts.append(district_id)
                    self.district_region[district_id] = region_id
        for town in range(TOWNS):
            district_id = self.districts[town % len(self.districts)]
            town_id = f"town-{town:04d}"
            self._location(town_id, "town", district_id)
            self.towns.append(town_id)
            self.town_district[town_id] = district_id

    def _agreements(self) -> None:
        rng = self.rng
        for index in range(AGREEMENTS):
            if index == 0:
                scope = self.districts[:3]
            elif index % 3 == 0:
                scope = rng.sample(self.regions, 1)
            else:
                scope = rng.sample(self.districts, rng.randint(1, 4))
            first, second = rng.sample(self.tops, 2)
            third = rng.choice([t for t in self.tops if t not in (first, second)])
            begin = rng.randrange(0, DAYS - 60)
            length = rng.randrange(30, 2 * 365)
            open_ended = rng.random() < 0.2
            start = _day(begin).isoformat()
            effective = f"{start}/.." if open_ended else f"{start}/{_day(begin + length)}"
            if index == 0:
                effective = f"{_day(0).isoformat()}/.."
            self.agreements.append(
                {
                    "type": "agreement",
                    "id": f"agr-{index:02d}",
                    "name": f"Agreement {index}",
                    "kind": rng.choice(["ceasefire", "truce", "de_escalation", "memorandum"])
                    if index
                    else "ceasefire",
                    "signed": start,
                    "effective": effective,
                    "signatories": [first, second],
                    "sides": [[first, third], [second]],
                    "guarantors": [],
                    "mediators": [],
                    "scope": scope,
                    "extends": [],
                    **_AGREEMENT_DEFAULTS,
                }
            )

    def scope_agreements(self, place: str | None) -> list[str]:
        """Agreements whose scope holds ``place`` (by town, district or region)."""
        if place is None:
            return []
        district = self.town_district.get(place, place)
        region = self.district_region.get(district, district)
        return [
            a["id"]
            for a in self.agreements
            if place in a["scope"] or district in a["scope"] or region in a["scope"]
        ]


def _when(rng: random.Random) -> str:
    offset = rng.randrange(DAYS)
    draw = rng.random()
    day = _day(offset)
    if draw < 0.82:
        return day.isoformat()
    if draw < 0.95:
        return f"{day.year:04d}-{day.month:02d}"
    if draw < 0.97:
        return f"{day.year:04d}"
    return f"{day.isoformat()}/{_day(min(offset + rng.randint(1, 20), DAYS)).isoformat()}"


def _engagement(world: World, rng: random.Random, index: int) -> Json:
    draw = rng.random()
    if draw < 0.9:
        where: str | None = rng.choice(world.towns)
    elif draw < 0.98:
        where = rng.choice(world.districts)
    else:
        where = None
    initiators = rng.sample(world.fighters, rng.choice((0, 1, 1, 1, 1, 1, 2)))
    others = [f for f in rng.sample(world.fighters, 3) if f not in initiators]
    targets = others[: rng.randint(1, 2)]
    if rng.random() < 0.25:
        targets.append(rng.choice(world.civilians))
    victims = [*targets, *initiators]
    entries = []
    for victim in rng.sample(victims, min(len(victims), rng.randint(1, 3))):
        entries.append(
            {
                "actor": victim,
                "killed": _estimate(rng, 0, 30),
                "injured": _estimate(rng, 0, 50) if rng.random() < 0.3 else None,
            }
        )
    if rng.random() < 0.15:
        entries.append({"actor": None, "killed": _estimate(rng, 0, 10), "injured": None})
    return {
        "type": "engagement",
        "id": f"e{index:08d}",
        "when": _when(rng),
        "where": where,
        "description": "",
        "sources": [f"src-{rng.randrange(100):03d}"] if rng.random() < 0.5 else [],
        "part_of": None,
        "source_values": {},
        "kind": rng.choice(KINDS),
        "initiators": initiators,
        "targets": targets,
        "casualties": entries,
        "captured": None,
        "responds_to": None,
        "reported_total": _estimate(rng, 0, 60) if rng.random() < 0.1 else None,
        "associates": [],
        "where_precision": None,
    }


def _claims(world: World, rng: random.Random, event: Json, serial: int) -> Iterator[Json]:
    claimants = rng.sample(world.claimants, rng.randint(1, 3))
    agreements = world.scope_agreements(event["where"])
    for offset, claimant in enumerate(claimants):
        draw = rng.random()
        victim = rng.choice([*event["targets"], None])
        if draw < 0.35:
            statement: Json = {
                "type": "casualty_figure",
                "event": event["id"],
                "actor": victim,
                "killed": _estimate(rng, 0, 40),
                "injured": None,
            }
        elif draw < 0.6:
            statement = {
                "type": "attribution",
                "event": event["id"],
                "perpetrators": rng.sample(world.fighters, 1),
            }
        elif draw < 0.8 or not agreements:
            statement = {"type": "occurred", "event": event["id"]}
        else:
            statement = {
                "type": "violated",
                "agreement": rng.choice(agreements),
                "violators": event["initiators"] or rng.sample(world.fighters, 1),
                "events": [event["id"]],
            }
        yield {
            "type": "claim",
            "id": f"c{serial:08d}-{offset}",
            "claimant": claimant,
            "statement": statement,
            "stance": "denies" if rng.random() < 0.15 else "asserts",
            "made": event["when"] if rng.random() < 0.7 else None,
            "sources": [f"src-{rng.randrange(100):03d}"] if rng.random() < 0.5 else [],
        }


def records(events: int, seed: int = 6) -> Iterator[Json]:
    """The JSON value of every record of a world with ``events`` engagements."""
    rng = random.Random(seed)
    world = World(rng)
    yield from world.actors
    yield from world.locations
    yield from world.agreements
    yield from world.sources
    for index in range(events):
        event = _engagement(world, rng, index)
        yield event
        if rng.random() < 0.1:
            yield from _claims(world, rng, event, index)


def write_jsonl(path: Path, events: int, seed: int = 6) -> Path:
    """Write the dataset with ``events`` engagements as a JSON Lines file; the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_suffix(".partial")
    with partial.open("wb") as stream:
        stream.write(orjson.dumps({"format": "conflictmodel", "version": FORMAT_VERSION}) + b"\n")
        for record in records(events, seed):
            stream.write(orjson.dumps(record, option=orjson.OPT_SORT_KEYS) + b"\n")
    partial.replace(path)
    return path


def write_acled(path: Path, rows: int, ged: Path) -> Path:
    """Write an ACLED-format CSV file of ``rows`` rows: the rows
    :func:`conflictmodel.linkage.synthetic.acled_from_ged` makes from the UCDP GED file ``ged``,
    repeated under new ``event_id_cnty`` values until there are enough, each dated
    (``timestamp``) as ACLED dates a row it publishes in its weekly upload: 14:00 UTC on the
    first day of the week after the event's (the synthetic rows have no date of their own)."""
    from conflictmodel.linkage.synthetic import ACLED_COLUMNS, acled_from_ged

    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as folder:
        made = Path(folder) / "acled.csv"
        acled_from_ged(ged, made)
        with made.open(newline="", encoding="utf-8") as stream:
            template = list(csv.DictReader(stream))
    partial = path.with_suffix(".partial")
    with partial.open("w", newline="", encoding="utf-8") as stream:
        writer = csv.DictWriter(stream, fieldnames=ACLED_COLUMNS)
        writer.writeheader()
        for number in range(rows):
            row = template[number % len(template)]
            uploaded = _weekly_upload(row["event_date"])
            writer.writerow({**row, "event_id_cnty": f"SYN{number + 1}", "timestamp": uploaded})
    partial.replace(path)
    return path


def _weekly_upload(day: str) -> str:
    """The Unix time of 14:00 UTC on the first day of the week after ``day`` (ISO)."""
    week = datetime.date.fromisoformat(day).toordinal() // 7 + 1
    start = datetime.datetime.combine(datetime.date.fromordinal(week * 7), datetime.time(14))
    return str(int(start.replace(tzinfo=datetime.UTC).timestamp()))


# The columns that hold an event's or a claim's id, per table; copies rename these.
_IDS = {
    "events": ("id", "part_of", "responds_to"),
    "claims": ("id", "statement_event", "statement_events"),
    "assessments": ("id", "event", "claim"),
}


def _suffixed(values: Any, suffix: str) -> Any:
    """The text column ``values`` (or list-of-text column) with ``suffix`` on every id."""
    import pyarrow as pa
    import pyarrow.compute as pc

    if not pa.types.is_list(values.type):
        return pc.binary_join_element_wise(values, suffix, "")
    chunks = []
    for chunk in values.chunks:
        flat = chunk.flatten()
        offsets = pc.subtract(chunk.offsets, chunk.offsets[0])
        chunks.append(
            pa.ListArray.from_arrays(
                offsets,
                pc.binary_join_element_wise(flat, suffix, ""),
                type=values.type,
                mask=chunk.is_null(),
            )
        )
    return pa.chunked_array(chunks, values.type)


def replicate_tables(source: Path, target: Path, copies: int) -> Path:
    """Write into ``target`` the tables in ``source`` with their events, casualty entries,
    claims and assessments ``copies`` times over, each copy's ids suffixed (``e00000001~3``);
    the small tables (actors, places, agreements, sources) once. Each query's counts are then
    ``copies`` times the source's. Each copy is in time order, in row groups of
    :data:`~conflictmodel.tables.ROW_GROUP_ROWS` rows as :func:`conflictmodel.tables.write`
    writes them."""
    import pyarrow.parquet as pq

    from conflictmodel.tables import ROW_GROUP_ROWS, layout

    target.mkdir(parents=True, exist_ok=True)
    for name, schema in layout.schemas().items():
        file = source / f"{name}.parquet"
        if not file.is_file():
            continue
        table = pq.read_table(file, schema=schema)
        collection = name.split("_", 1)[0]
        if collection not in _IDS:
            pq.write_table(table, target / file.name)
            continue
        renamed = _IDS[collection] if name == collection else ("owner",)
        with pq.ParquetWriter(target / file.name, schema) as writer:
            for copy in range(copies):
                part = table
                for column in renamed if copy else ():
                    index = part.column_names.index(column)
                    part = part.set_column(index, column, _suffixed(part[column], f"~{copy}"))
                writer.write_table(part, row_group_size=ROW_GROUP_ROWS)
    return target
