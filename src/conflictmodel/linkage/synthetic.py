"""A second source for one war, made from the first: an ACLED-format file built from UCDP GED.

To measure a matcher one needs two datasets of the same events and the truth about which
record is which. :func:`acled_from_ged` reads a UCDP GED CSV file and writes what a second
coder might have made of the same war, in ACLED's columns, seeded and deterministic:

- some events are dropped (``drop``) and others added (``add``): smaller incidents near real
  ones, a few days and kilometres away, mostly shelling with few or no deaths;
- dates move by a day or two (day precision), or fall somewhere in UCDP's span and get ACLED's
  week or month ``time_precision``;
- points move with UCDP's ``where_prec``: a few kilometres for an exact place, tens for a
  district, a province centroid (``geo_precision`` 3) for a province;
- actors take ACLED-style names ("Military Forces of Syria (2000-)", "QSD: Syrian Democratic
  Forces"); UCDP's umbrella "Syrian insurgents" becomes one of several rebel groups; a
  coalition becomes its first member with the others as associated actors;
- types of violence become ACLED event and sub-event types (an armed clash, shelling, an
  air/drone strike, an attack on civilians); death tolls differ as sources' do.

It returns the truth: each kept UCDP event id with the id of the row made from it, as the two
importers name them (``ucdp-ged-<id>``, ``acled-<event_id_cnty>``).
"""

from __future__ import annotations

import csv
import datetime
import math
import os
import re
from collections.abc import Iterator

import numpy as np

from conflictmodel.actors import Actor
from conflictmodel.dataset import Dataset
from conflictmodel.errors import ValidationError
from conflictmodel.events import Casualties, Engagement
from conflictmodel.places import Location, Point
from conflictmodel.records import Record
from conflictmodel.timespans import TimeSpan

__all__ = ["ACLED_COLUMNS", "acled_from_ged", "random_pair"]

ACLED_COLUMNS = (
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
)

_NAMES = {
    "IS": "Islamic State (Syria)",
    "SDF": "QSD: Syrian Democratic Forces",
    "HTS": "HTS: Hayat Tahrir al Sham",
    "Civilians": "Civilians (Syria)",
    "Jabhat Fateh al-Sham": "JFS: Jabhat Fateh al Sham",
    "SNA": "SNA: Syrian National Army",
}
_INSURGENTS = (
    "Opposition Rebels (Syria)",
    "Free Syrian Army",
    "Jaysh al Islam",
    "Faylaq al Rahman",
    "NLF: National Liberation Front",
)
_GOVERNMENT = re.compile(r"^Government of ([^(]+?)(?: \(.*\))?$")
_CLASH = ("Battles", "Armed clash")
_SHELLING = ("Explosions/Remote violence", "Shelling/artillery/missile attack")
_AIR = ("Explosions/Remote violence", "Air/drone strike")
_IED = ("Explosions/Remote violence", "Remote explosive/landmine/IED")
_TAKEOVER = ("Battles", "Non-state actor overtakes territory")
_ATTACK = ("Violence against civilians", "Attack")
# (event type, sub-event type, weight) for UCDP's types of violence 1, 2 and 3.
_TYPES = {
    "1": ((_CLASH, 0.6), (_SHELLING, 0.2), (_AIR, 0.12), (_IED, 0.04), (_TAKEOVER, 0.04)),
    "2": ((_CLASH, 0.7), (_SHELLING, 0.15), (_IED, 0.1), (_TAKEOVER, 0.05)),
    "3": ((_ATTACK, 0.75), (_IED, 0.15), (_AIR, 0.1)),
}


def _actor(name: str, rng: np.random.Generator) -> tuple[str, str]:
    """The ACLED-style name and inter code of one UCDP side name."""
    government = _GOVERNMENT.match(name)
    if government:
        return f"Military Forces of {government[1].strip()} (2000-)", "1"
    if name == "Syrian insurgents":
        return str(rng.choice(_INSURGENTS)), "2"
    if name == "Civilians":
        return _NAMES[name], "7"
    return _NAMES.get(name, name), "2"


def _side(name: str, rng: np.random.Generator) -> tuple[str, str, str]:
    """Main actor, associated actors ("; "-separated) and inter code of one UCDP side."""
    members = [_actor(part.strip(), rng) for part in name.split(",") if part.strip()]
    return members[0][0], "; ".join(m[0] for m in members[1:]), members[0][1]


def _moved(lat: float, lon: float, km: float, rng: np.random.Generator) -> tuple[float, float]:
    bearing = rng.uniform(0, 2 * math.pi)
    return (
        lat + km * math.cos(bearing) / 111.0,
        lon + km * math.sin(bearing) / (111.32 * math.cos(math.radians(lat))),
    )


def _place(row: dict[str, str], rng: np.random.Generator) -> tuple[float, float, str]:
    """Point and geo_precision the second coder gives the UCDP row's place."""
    lat, lon = float(row["latitude"]), float(row["longitude"])
    code = row["where_prec"].strip()
    if code == "1":
        km = rng.uniform(4, 12) if rng.random() < 0.1 else rng.exponential(1.0)
        precision = "1"
    elif code == "2":
        km, precision = rng.uniform(0, 12), str(rng.choice(["1", "2"], p=[0.4, 0.6]))
    elif code == "3":
        km, precision = rng.uniform(5, 35), "2"
    elif code in ("4", "5"):
        km, precision = rng.uniform(15, 70), "3"
    else:
        km, precision = rng.uniform(40, 150), "3"
    lat, lon = _moved(lat, lon, km, rng)
    return lat, lon, precision


def _date(row: dict[str, str], rng: np.random.Generator) -> tuple[datetime.date, str]:
    start = datetime.date.fromisoformat(row["date_start"][:10])
    end = datetime.date.fromisoformat(row["date_end"][:10])
    length = (end - start).days
    if length == 0:
        shift = int(rng.choice([0, 1, -1, 2, -2], p=[0.7, 0.13, 0.12, 0.03, 0.02]))
        return start + datetime.timedelta(days=shift), "1"
    day = start + datetime.timedelta(days=int(rng.integers(0, length + 1)))
    return day, "2" if length <= 7 else "3"


def _toll(best: int, rng: np.random.Generator) -> int:
    draw = rng.random()
    if draw < 0.55:
        return best
    if draw < 0.9:
        return max(0, round(best * float(rng.uniform(0.6, 1.5))))
    return max(0, round(best * float(rng.choice([0, 0.5, 2]))))


def _names(row: dict[str, str]) -> tuple[str, str, str]:
    admin1 = row["adm_1"].removesuffix(" governorate").removesuffix(" Governorate")
    admin2 = row["adm_2"].removesuffix(" district")
    location = re.sub(r" (village|town|city)$", "", row["where_coordinates"].strip())
    return admin1, admin2, location


def _row(
    number: int,
    row: dict[str, str],
    day: datetime.date,
    time_precision: str,
    kind: tuple[str, str],
    place: tuple[float, float, str],
    fatalities: int,
    rng: np.random.Generator,
) -> dict[str, str]:
    one, two = _side(row["side_a"], rng), _side(row["side_b"], rng)
    striking = kind[1] == "Air/drone strike" and one[2] != "1" and two[2] == "1"
    if striking or (kind[0] == "Battles" and rng.random() < 0.5):
        one, two = two, one
    (actor1, assoc1, inter1), (actor2, assoc2, inter2) = one, two
    admin1, admin2, location = _names(row)
    lat, lon, precision = place
    civilians = "7" in (inter1, inter2)
    return {
        "event_id_cnty": f"SYR{number}",
        "event_date": day.isoformat(),
        "year": str(day.year),
        "time_precision": time_precision,
        "disorder_type": "Political violence",
        "event_type": kind[0],
        "sub_event_type": kind[1],
        "actor1": actor1,
        "assoc_actor_1": assoc1,
        "inter1": inter1,
        "actor2": actor2,
        "assoc_actor_2": assoc2,
        "inter2": inter2,
        "interaction": "".join(sorted(inter1 + inter2)),
        "civilian_targeting": "Civilian targeting" if civilians else "",
        "iso": "760",
        "region": "Middle East",
        "country": row["country"],
        "admin1": admin1,
        "admin2": admin2,
        "admin3": "",
        "location": location or admin2 or admin1 or row["country"],
        "latitude": f"{lat:.4f}",
        "longitude": f"{lon:.4f}",
        "geo_precision": precision,
        "source": row.get("source_office", "").replace(";", "; ") or "Unknown",
        "source_scale": "National",
        "notes": "Synthetic row made by conflictmodel.linkage.synthetic.",
        "fatalities": str(fatalities),
        "tags": "",
        "timestamp": "",
    }


def _kind(row: dict[str, str], rng: np.random.Generator) -> tuple[str, str]:
    options = _TYPES[row["type_of_violence"].strip()]
    weights = np.array([w for _, w in options])
    return options[int(rng.choice(len(options), p=weights / weights.sum()))][0]


def _read(path: str | os.PathLike[str], limit: int | None) -> Iterator[dict[str, str]]:
    with open(path, newline="", encoding="utf-8") as file:
        for n, row in enumerate(csv.DictReader(file)):
            if limit is not None and n >= limit:
                return
            yield row


def acled_from_ged(
    source: str | os.PathLike[str],
    target: str | os.PathLike[str],
    *,
    seed: int = 2019,
    drop: float = 0.1,
    add: float = 0.15,
    limit: int | None = None,
) -> dict[str, str]:
    """Write an ACLED-format CSV made from the UCDP GED file ``source``; return the truth.

    ``drop`` and ``add`` are shares of the source's events left out and added; ``limit`` reads
    only the first rows. The same arguments always write the same file.
    """
    for name, share in (("drop", drop), ("add", add)):
        if not 0 <= share < 1:
            raise ValidationError(
                f"acled_from_ged({name}=...): expected a share in [0, 1), got {share!r}"
            )
    rng = np.random.default_rng(seed)
    rows = list(_read(source, limit))
    made: list[tuple[datetime.date, dict[str, str], str | None]] = []
    for row in rows:
        if rng.random() < drop:
            continue
        day, precision = _date(row, rng)
        kind = _kind(row, rng)
        made.append(
            (
                day,
                _row(
                    0,
                    row,
                    day,
                    precision,
                    kind,
                    _place(row, rng),
                    _toll(int(row["best"]), rng),
                    rng,
                ),
                row["id"],
            )
        )
    for _ in range(round(add * len(rows))):
        row = rows[int(rng.integers(len(rows)))]
        day, _precision = _date(row, rng)
        day += datetime.timedelta(days=int(rng.integers(-2, 3)))
        lat, lon = _moved(float(row["latitude"]), float(row["longitude"]), rng.uniform(3, 30), rng)
        kind = _SHELLING if rng.random() < 0.6 else _CLASH
        deaths = 0 if rng.random() < 0.6 else int(rng.integers(1, 5))
        made.append((day, _row(0, row, day, "1", kind, (lat, lon, "1"), deaths, rng), None))
    order = sorted(range(len(made)), key=lambda n: (made[n][0], n))
    truth: dict[str, str] = {}
    with open(target, "w", newline="", encoding="utf-8") as file:
        writer = csv.DictWriter(file, fieldnames=ACLED_COLUMNS)
        writer.writeheader()
        for number, n in enumerate(order, start=1):
            _, out, origin = made[n]
            out["event_id_cnty"] = f"SYR{number}"
            writer.writerow(out)
            if origin is not None:
                truth[f"ucdp-ged-{origin}"] = f"acled-SYR{number}"
    return truth


def random_pair(count: int, *, seed: int = 0) -> tuple[Dataset, Dataset, dict[str, str]]:
    """Two datasets of ``count`` invented events each over four years of a 500 km square, the
    second a perturbed copy of about nine tenths of the first plus new events, and the true
    pairs.

    For measuring speed at sizes the real files do not reach.

    >>> a, b, truth = random_pair(100)
    >>> len(a.events), len(b.events), len(truth)
    (100, 100, 93)
    """
    rng = np.random.default_rng(seed)
    sides = [
        [Actor(id=f"{p}-state", name="Government of Syria", kind="state")]
        + [Actor(id=f"{p}-group-{n}", name=f"Group {n}", kind="rebel_group") for n in range(1, 9)]
        for p in ("a", "b")
    ]
    first = datetime.date(2016, 1, 1).toordinal()
    lat = rng.uniform(33.0, 37.5, count)
    lon = rng.uniform(36.0, 41.0, count)
    day = rng.integers(first, first + 4 * 365, count)
    killed = rng.poisson(3, count)
    group = rng.integers(1, 9, count)
    kinds = rng.choice(["armed_clash", "shelling", "airstrike"], count)
    copied = rng.random(count) < 0.9
    records: list[list[Record]] = [list(sides[0]), list(sides[1])]
    truth: dict[str, str] = {}
    for n in range(count):
        for side, prefix in enumerate(("a", "b")):
            if side == 1 and not copied[n]:
                at = (rng.uniform(33.0, 37.5), rng.uniform(36.0, 41.0))
                when, deaths = int(rng.integers(first, first + 4 * 365)), int(rng.poisson(3))
            elif side == 1:
                at = _moved(float(lat[n]), float(lon[n]), float(rng.exponential(2.0)), rng)
                when, deaths = int(day[n] + rng.choice([0, 0, 0, 1, -1])), int(killed[n])
            else:
                at, when, deaths = (float(lat[n]), float(lon[n])), int(day[n]), int(killed[n])
            place = Location(
                id=f"{prefix}-place-{n}", name=f"Place {n}", kind="town", point=Point(*at)
            )
            event = Engagement(
                id=f"{prefix}-{n}",
                when=TimeSpan.day(datetime.date.fromordinal(when)),
                where=place.id,
                where_precision="exact",
                kind=str(kinds[n]),
                initiators=(),
                targets=(f"{prefix}-state", f"{prefix}-group-{group[n]}"),
                casualties=(Casualties(None, killed=deaths),),
            )
            records[side] += [place, event]
        if copied[n]:
            truth[f"a-{n}"] = f"b-{n}"
    return Dataset(records[0]), Dataset(records[1]), truth
