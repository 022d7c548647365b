"""Find the events two datasets both record: candidates by time and place, scores, assignment.

MELTT (Donnay et al., Journal of Conflict Resolution 2019) matches event datasets within a
fixed spatio-temporal window and by user taxonomies. :func:`match` widens the window with what
each record says of its own precision, and scores what the records hold:

- **candidates**: events whose spans come within ``days`` of each other (a span known only to
  the month meets any day of it) and whose points lie within ``km`` plus both events' place
  uncertainty (:attr:`~conflictmodel.PlacePrecision.radius_km`: 2 km for an exact place, 100 km
  for a province centroid). Events are indexed by day and grid cell; events known only coarsely
  (a region, a country, no coordinates) by time alone. No loop runs over all pairs.
- **score** (0 to 1), a weighted sum (:data:`WEIGHTS`) of: closeness in time (halved by each
  day apart; lower for a long span, which meets many events, unless both count many dead),
  closeness in place (or
  similarity of place names where there are no coordinates), agreement of kinds through a
  :class:`~conflictmodel.linkage.taxonomy.Taxonomy`, shared actors through a
  :class:`~conflictmodel.linkage.crosswalk.Crosswalk`, and closeness of killed figures
  (``(smaller + 2) / (larger + 2)``: small counts are noisy, so 1 against 2 dead costs less
  than a day apart). Two events under the same id (two releases of one dataset, or a record
  a merged event reports) are one event, scored 1, whatever the windows say. Two events that
  both name actors, share none (a mere counterpart of the same sort does not count) and lie
  more than ``km`` apart are never one event; nor are two events placed in two countries, nor
  two that both state a UCDP type of violence (GED's ``type_of_violence`` in
  :attr:`~conflictmodel.Event.source_values`: 1 state-based, 2 non-state, 3 one-sided) and
  state different ones. A dataset that states none (ACLED) is matched as before.
- **assignment**: one-to-one by an optimal assignment maximising the summed scores (SciPy's
  sparse bipartite matching; needs the ``linkage`` extra), or, with ``aggregate="a"``, each event
  of ``b`` joins its best event of ``a`` (a dataset of month-long episodes against daily events);
  with ``aggregate="flagged"``, an event flagged :attr:`~conflictmodel.Event.aggregate` (UCDP's
  lower clarity) may take several single events of the other dataset.

:func:`match_fixed_window` is the plain matcher to compare with: a fixed window, first come
first served. :func:`evaluate` scores a matching against the known truth.

>>> from conflictmodel.linkage.examples import two_sources
>>> ucdp, acled = two_sources()
>>> found = match(ucdp, acled)
>>> [(pair.a, pair.b) for pair in found.pairs], found.unmatched_a
([('ucdp-ged-1', 'acled-SYR1')], ('ucdp-ged-2',))
>>> print(found.pairs[0].why)
1 day apart; 4.5 km apart (window 14 km); same kind (state_based, battles, armed_clash); \
shared actors: Government of Syria = Military Forces of Syria (2000-); killed 10 vs 8
"""

from __future__ import annotations

import csv
import difflib
import functools
import math
import os
from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, get_args

import attrs
import numpy as np
from numpy.typing import NDArray

from conflictmodel._checks import describe
from conflictmodel.actors import ActorKind
from conflictmodel.dataset import Dataset
from conflictmodel.errors import ValidationError
from conflictmodel.events import Engagement, Event, Toll
from conflictmodel.io._extras import require
from conflictmodel.linkage.crosswalk import (
    Crosswalk,
    actor_keys,
    crosswalk,
    name_keys,
    same_as_groups,
)
from conflictmodel.linkage.merge import Reported
from conflictmodel.linkage.taxonomy import DEFAULT_TAXONOMY, UCDP_TYPES, Taxonomy
from conflictmodel.places import Location, LocationKind, Point
from conflictmodel.timespans import TimeSpan

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["Matches", "Pair", "Score", "evaluate", "match", "match_fixed_window"]

WEIGHTS = {"time": 0.2, "place": 0.25, "kind": 0.15, "actors": 0.15, "figures": 0.25}
"""How much each part of the evidence counts in a pair's score."""

_AREA_RADIUS_KM = {LocationKind.COUNTRY: 500.0, LocationKind.REGION: 100.0}
_FINE_RADIUS_KM = 25.0
_LONG_SPAN_DAYS = 31
_SPAN_PENALTY = 0.25
_EARTH_KM = 6371.0088

Aggregate = Literal["a", "b", "flagged"] | None
AGGREGATES: tuple[str, ...] = get_args(get_args(Aggregate)[0])
"""The values of :func:`match`'s ``aggregate`` besides ``None``."""


@attrs.frozen
class Pair:
    """Event ``a`` of the first dataset and event ``b`` of the second are one event."""

    a: str
    b: str
    score: float
    why: str


@attrs.frozen
class Matches:
    """The pairs found (best first within each event of ``a``) and the events left unmatched."""

    pairs: tuple[Pair, ...]
    unmatched_a: tuple[str, ...]
    unmatched_b: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.pairs)

    def __iter__(self) -> Iterator[Pair]:
        return iter(self.pairs)

    def groups(self) -> dict[str, tuple[str, ...]]:
        """Each matched event of ``a`` with its events of ``b``."""
        found: dict[str, list[str]] = {}
        for pair in self.pairs:
            found.setdefault(pair.a, []).append(pair.b)
        return {a: tuple(b) for a, b in found.items()}

    def to_frame(self) -> pd.DataFrame:
        """One row per pair (``a``, ``b``, ``score``, ``why``), then each unmatched event with
        the other side empty. Needs pandas (the ``frames`` extra)."""
        pandas: Any = require("pandas", "frames", "Matches.to_frame()")
        frame: pd.DataFrame = pandas.DataFrame(
            list(self._rows()), columns=["a", "b", "score", "why"]
        )
        return frame

    def _rows(self) -> Iterator[tuple[str | None, str | None, float | None, str]]:
        for pair in self.pairs:
            yield (pair.a, pair.b, pair.score, pair.why)
        for a in self.unmatched_a:
            yield (a, None, None, "no match")
        for b in self.unmatched_b:
            yield (None, b, None, "no match")

    def to_csv(self, path: str | os.PathLike[str]) -> None:
        """Write :meth:`to_frame`'s rows as CSV (without pandas)."""
        with open(path, "w", newline="", encoding="utf-8") as file:
            writer = csv.writer(file)
            writer.writerow(["a", "b", "score", "why"])
            for a, b, score, why in self._rows():
                writer.writerow([a or "", b or "", "" if score is None else f"{score:.4f}", why])


@attrs.frozen
class _Side:
    """The columns matching reads from one dataset's events."""

    ds: Dataset
    ids: list[str]
    start: NDArray[np.int64]
    end: NDArray[np.int64]
    lat: NDArray[np.float64]
    lon: NDArray[np.float64]
    radius: NDArray[np.float64]
    labels: list[tuple[str, str, str]]
    actors: list[tuple[str, ...]]
    killed: NDArray[np.float64]
    place: list[str]
    names: list[tuple[str, ...]]
    country: list[str]
    violence: list[str]
    aggregate: NDArray[np.bool_]

    def __len__(self) -> int:
        return len(self.ids)


def _point(ds: Dataset, event: Event) -> tuple[Point | None, Location | None]:
    values = event.source_values
    location = ds.locations.get(event.where) if event.where is not None else None
    try:
        if "latitude" in values and "longitude" in values:
            return Point(float(values["latitude"]), float(values["longitude"])), location
    except (ValueError, ValidationError):
        pass
    place = location
    while place is not None and place.point is None:
        place = ds.locations.get(place.within) if place.within is not None else None
    return (place.point if place is not None else None), location


def _killed(event: Event) -> float:
    if not isinstance(event, Engagement):
        return math.nan
    killed = event.killed_total or event.reported_total
    return math.nan if killed is None else float(killed.best_or_low)


def _days(span: TimeSpan) -> tuple[int, int] | None:
    """A span's first and last day as ordinals (an open end: a year past the start), or
    ``None`` when neither end is known: such an event has no window to match in."""
    first, last = span.start, span.end
    if first is not None:
        return first.toordinal(), first.toordinal() + 365 if last is None else last.toordinal()
    if last is not None:
        return last.toordinal(), last.toordinal()
    return None


def _listed(ds: Dataset) -> list[str]:
    """The ids of the events matching considers (every event but tolls), in order."""
    return [e.id for e in ds.events.values() if not isinstance(e, Toll)]


def _records(ds: Dataset) -> dict[str, list[str]]:
    """The source records each event of a merged dataset stands for (from its
    :class:`~conflictmodel.linkage.merge.Reported` claims)."""
    found: dict[str, list[str]] = {}
    for claim in ds.claims.values():
        if isinstance(claim.statement, Reported):
            found.setdefault(claim.statement.event, []).append(claim.statement.record)
    return found


def _side(ds: Dataset, taxonomy: Taxonomy, flagged: bool = False) -> _Side:
    """The columns of ``ds``'s events; ``flagged``: read which are aggregates of several
    incidents (:attr:`~conflictmodel.Event.aggregate`; else none is)."""
    dated = [
        (e, days)
        for e in ds.events.values()
        if not isinstance(e, Toll) and (days := _days(e.when)) is not None
    ]
    events = [e for e, _ in dated]
    count = len(events)
    start = np.empty(count, np.int64)
    end = np.empty(count, np.int64)
    lat = np.full(count, np.nan)
    lon = np.full(count, np.nan)
    radius = np.empty(count)
    killed = np.empty(count)
    labels, actors, place, names, country, violence = [], [], [], [], [], []
    records = _records(ds)
    for i, (event, days) in enumerate(dated):
        start[i], end[i] = days
        point, location = _point(ds, event)
        if point is not None:
            lat[i], lon[i] = point.lat, point.lon
        if event.where_precision is not None:
            radius[i] = event.where_precision.radius_km
        else:
            kind = location.kind if location is not None else LocationKind.COUNTRY
            radius[i] = _AREA_RADIUS_KM.get(kind, 2.0)
        killed[i] = _killed(event)
        labels.append(taxonomy.labels(ds, event))
        named = (*event.initiators, *event.targets) if isinstance(event, Engagement) else ()
        actors.append(tuple(dict.fromkeys(named)))
        place.append(location.name if location is not None else "")
        names.append((event.id, *records.get(event.id, ())))
        country.append(_country_code(ds, location))
        violence.append(_violence_type(event))
    return _Side(
        ds,
        [e.id for e in events],
        start,
        end,
        lat,
        lon,
        radius,
        labels,
        actors,
        killed,
        place,
        names,
        country,
        violence,
        np.array([flagged and e.aggregate for e in events], bool),
    )


def _violence_type(event: Event) -> str:
    """The UCDP type of violence the event's own record states (GED's ``type_of_violence``:
    ``"1"`` state-based, ``"2"`` non-state, ``"3"`` one-sided), or ``""`` when it states none
    of them."""
    code = event.source_values.get("type_of_violence", "").strip()
    return code if code in UCDP_TYPES else ""


def _country_code(ds: Dataset, location: Location | None) -> str:
    """The ISO 3166 code of the country ``location`` lies in, read from the country's name
    (``""`` when it lies in none, or the name is not one ISO knows)."""
    while location is not None and location.kind is not LocationKind.COUNTRY:
        location = ds.locations.get(location.within) if location.within is not None else None
    return "" if location is None else _iso_code(location.name)


@functools.cache
def _iso_code(name: str) -> str:
    """The ISO 3166 alpha-3 code of a country's name, a gloss in brackets left out (UCDP's
    "Yemen (North Yemen)"); ``""`` when ISO knows no such country."""
    import pycountry

    try:
        return str(pycountry.countries.lookup(name.split(" (")[0].strip()).alpha_3)
    except LookupError:
        return ""


def _expand(
    first: NDArray[np.int64], last: NDArray[np.int64]
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Each index repeated once for every day from ``first`` to ``last``, with that day."""
    lengths = last - first + 1
    index = np.repeat(np.arange(len(first)), lengths)
    offsets = np.arange(len(index)) - np.repeat(np.cumsum(lengths) - lengths, lengths)
    return index, first[index] + offsets


def _haversine(
    lat1: NDArray[np.float64],
    lon1: NDArray[np.float64],
    lat2: NDArray[np.float64],
    lon2: NDArray[np.float64],
) -> NDArray[np.float64]:
    p1, p2 = np.radians(lat1), np.radians(lat2)
    half = (
        np.sin((p2 - p1) / 2) ** 2
        + np.cos(p1) * np.cos(p2) * np.sin(np.radians(lon2 - lon1) / 2) ** 2
    )
    distance: NDArray[np.float64] = 2 * _EARTH_KM * np.arcsin(np.sqrt(np.clip(half, 0, 1)))
    return distance


def _grid_pairs(
    a: _Side, b: _Side, ia: NDArray[np.int64], ib: NDArray[np.int64], days: int, reach: float
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Pairs of the fine events ``ia`` and ``ib`` sharing a day bucket and neighbouring cells."""
    if not len(ia) or not len(ib):
        empty = np.empty(0, np.int64)
        return empty, empty
    lats = np.concatenate([a.lat[ia], b.lat[ib]])
    widest = min(float(np.max(np.abs(lats))), 85.0)
    cell_lat = reach / 111.0
    cell_lon = reach / (111.32 * math.cos(math.radians(widest)))
    lat0, lon0 = float(np.min(lats)), float(np.min(np.concatenate([a.lon[ia], b.lon[ib]])))

    def cells(side: _Side, rows: NDArray[np.int64]) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
        return (
            ((side.lat[rows] - lat0) // cell_lat).astype(np.int64) + 1,
            ((side.lon[rows] - lon0) // cell_lon).astype(np.int64) + 1,
        )

    bx, by = cells(b, ib)
    ax, ay = cells(a, ia)
    width = int(max(bx.max(), ax.max())) + 2
    height = int(max(by.max(), ay.max())) + 2
    day0 = int(min(a.start[ia].min(), b.start[ib].min())) - days - 1

    def key(day: NDArray[np.int64], x: NDArray[np.int64], y: NDArray[np.int64]) -> Any:
        return ((day - day0) * width + x) * height + y

    rows_b, day_b = _expand(b.start[ib], b.end[ib])
    keys_b = key(day_b, bx[rows_b], by[rows_b])
    order = np.argsort(keys_b, kind="stable")
    keys_b, rows_b = keys_b[order], rows_b[order]
    rows_a, day_a = _expand(a.start[ia] - days, a.end[ia] + days)
    found_a, found_b = [], []
    for dx in (-1, 0, 1):
        for dy in (-1, 0, 1):
            keys_a = key(day_a, ax[rows_a] + dx, ay[rows_a] + dy)
            lo = np.searchsorted(keys_b, keys_a, "left")
            hi = np.searchsorted(keys_b, keys_a, "right")
            counts = hi - lo
            which = np.repeat(np.arange(len(keys_a)), counts)
            at = np.arange(len(which)) - np.repeat(np.cumsum(counts) - counts, counts)
            found_a.append(ia[rows_a[which]])
            found_b.append(ib[rows_b[lo[which] + at]])
    return np.concatenate(found_a), np.concatenate(found_b)


def _time_pairs(
    a: _Side, rows_a: NDArray[np.int64], b: _Side, days: int
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Every event of ``b`` whose span comes within ``days`` of each event ``rows_a`` of ``a``."""
    order = np.argsort(b.start, kind="stable")
    starts = b.start[order]
    longest = int((b.end - b.start).max()) if len(b) else 0
    found_a, found_b = [], []
    for i in rows_a:
        lo = np.searchsorted(starts, a.start[i] - days - longest, "left")
        hi = np.searchsorted(starts, a.end[i] + days, "right")
        near = order[lo:hi]
        near = near[b.end[near] >= a.start[i] - days]
        found_a.append(np.full(len(near), i, np.int64))
        found_b.append(near)
    if not found_a:
        empty = np.empty(0, np.int64)
        return empty, empty
    return np.concatenate(found_a), np.concatenate(found_b)


def _candidates(
    a: _Side, b: _Side, days: int, km: float, radius_a: Any, radius_b: Any
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Index pairs within the windows, each once."""

    def fine(side: _Side, radius: Any) -> NDArray[np.bool_]:
        flags: NDArray[np.bool_] = (
            np.isfinite(side.lat)
            & (radius <= _FINE_RADIUS_KM)
            & (side.end - side.start <= _LONG_SPAN_DAYS)
        )
        return flags

    fine_a, fine_b = fine(a, radius_a), fine(b, radius_b)
    reach = km + 2 * _FINE_RADIUS_KM
    parts = [
        _grid_pairs(a, b, np.flatnonzero(fine_a), np.flatnonzero(fine_b), days, reach),
        _time_pairs(a, np.flatnonzero(~fine_a), b, days),
    ]
    coarse_b, all_a = _time_pairs(b, np.flatnonzero(~fine_b), a, days)
    parts.append((all_a, coarse_b))
    ia = np.concatenate([p[0] for p in parts])
    ib = np.concatenate([p[1] for p in parts])
    unique = np.unique(ia * max(len(b), 1) + ib)
    ia, ib = unique // max(len(b), 1), unique % max(len(b), 1)
    gap = np.maximum(0, np.maximum(a.start[ia] - b.end[ib], b.start[ib] - a.end[ia]))
    distance = _haversine(a.lat[ia], a.lon[ia], b.lat[ib], b.lon[ib])
    allowed = km + radius_a[ia] + radius_b[ib]
    keep = (gap <= days) & ~(distance > allowed)
    return ia[keep], ib[keep]


@attrs.frozen
class _Evidence:
    """The parts of each candidate pair's score, as columns; ``same_id`` marks the pairs under
    one id, whose total is 1, ``ruled_out`` those that cannot be one event, and ``whole_a``
    (``whole_b``) those whose event of ``a`` (``b``) is an aggregate of several incidents and
    the other a single event (:func:`_one_aggregate`)."""

    gap: NDArray[np.int64]
    distance: NDArray[np.float64]
    allowed: NDArray[np.float64]
    parts: dict[str, NDArray[np.float64]]
    total: NDArray[np.float64]
    same_id: NDArray[np.bool_]
    ruled_out: NDArray[np.bool_]
    whole_a: NDArray[np.bool_]
    whole_b: NDArray[np.bool_]


_SIDES = {
    ActorKind.STATE: "state",
    ActorKind.STATE_FORCES: "state",
    ActorKind.CIVILIANS: "civilians",
    ActorKind.REBEL_GROUP: "armed_group",
    ActorKind.MILITIA: "armed_group",
}


def _actor_groups(a: Dataset, b: Dataset, walk: Crosswalk) -> dict[str, frozenset[str]]:
    """Each actor's keys: its names' and ids' keys, its coalition members', its crosswalk group,
    and (prefixed ``kind:``) the sort of side it is, which alone earns half credit."""
    groups = same_as_groups(walk.links)
    keys: dict[str, frozenset[str]] = {}
    for ds in (a, b):
        for actor in ds.actors.values():
            found = set(actor_keys(actor))
            members = actor.name.split(", ")
            if len(members) > 1:
                found.update(k for member in members for k in name_keys(member))
            if actor.id in groups:
                found.add("group:" + groups[actor.id])
            found.add("kind:" + _SIDES.get(actor.kind, "other"))
            keys[actor.id] = frozenset(found)
    return keys


def _same_actor(first: frozenset[str], second: frozenset[str]) -> float:
    shared = first & second
    if not shared:
        return 0.0
    return 0.5 if all(key.startswith("kind:") for key in shared) else 1.0


def _shared_actors(
    first: Sequence[str], second: Sequence[str], keys: Mapping[str, frozenset[str]]
) -> tuple[float, list[tuple[str, str]]]:
    """The share of the smaller side's actors found on the other side (half for a mere
    counterpart of the same sort), and the pairs found to be one actor."""
    if not first or not second:
        return 0.5, []
    small, large = (first, second) if len(first) <= len(second) else (second, first)
    credit = 0.0
    same = []
    for x in small:
        best = max(_same_actor(keys[x], keys[y]) for y in large)
        credit += best
        if best == 1.0:
            y = next(y for y in large if _same_actor(keys[x], keys[y]) == 1.0)
            same.append((x, y) if small is first else (y, x))
    return credit / len(small), same


def _actor_scores(
    a: _Side,
    b: _Side,
    ia: NDArray[np.int64],
    ib: NDArray[np.int64],
    keys: Mapping[str, frozenset[str]],
) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """:func:`_shared_actors` of each pair, and whether the pair shares an actor (not a mere
    counterpart), worked out once per distinct pair of actor lists."""
    groups: dict[tuple[str, ...], int] = {}
    code_a = np.array([groups.setdefault(t, len(groups)) for t in a.actors], np.int64)
    code_b = np.array([groups.setdefault(t, len(groups)) for t in b.actors], np.int64)
    if not len(ia):
        return np.zeros(0), np.zeros(0, bool)
    lists = list(groups)
    pairs = code_a[ia] * len(lists) + code_b[ib]
    distinct, where = np.unique(pairs, return_inverse=True)
    found = [
        _shared_actors(lists[p // len(lists)], lists[p % len(lists)], keys)
        for p in distinct.tolist()
    ]
    scores = np.array([score for score, _ in found])[where.reshape(-1)]
    shared = np.array([bool(same) for _, same in found])[where.reshape(-1)]
    return scores, shared


def _name_similarity(first: str, second: str) -> float:
    if not first or not second:
        return 0.5
    return difflib.SequenceMatcher(None, first.casefold(), second.casefold()).ratio()


def _one_aggregate(
    a: _Side, b: _Side, ia: NDArray[np.int64], ib: NDArray[np.int64]
) -> tuple[NDArray[np.bool_], NDArray[np.bool_]]:
    """Of each candidate pair, whether the event of ``a`` is an aggregate of several
    incidents and that of ``b`` is not, and the other way round: then the single event may
    be one of the aggregate's incidents."""
    of_a, of_b = a.aggregate[ia], b.aggregate[ib]
    return of_a & ~of_b, of_b & ~of_a


def _time_closeness(
    gap: NDArray[np.int64], longest: NDArray[np.int64], killed: NDArray[np.float64], days: int
) -> NDArray[np.float64]:
    """How close two spans are: halved by every ``days / 2`` days between them (every day
    with the default window), and less the longer the longer span is, for such a span meets
    many events (a year is 0.32 of a day, a month 0.45), unless both count many dead
    (``killed``, the smaller toll; unknown counts none), for few events of a span kill that
    many: the span counts as ``longest / (1 + killed)`` days, so a year in which both count
    1,000 dead is 0.9 of a day."""
    span = longest / (1 + np.nan_to_num(killed))
    closeness: NDArray[np.float64] = 0.5 ** (2 * gap / max(days, 1)) / (
        1 + _SPAN_PENALTY * np.log2(1 + span)
    )
    return closeness


def _toll_closeness(ka: NDArray[np.float64], kb: NDArray[np.float64]) -> NDArray[np.float64]:
    """How alike two death tolls are: ``(smaller + 2) / (larger + 2)``. Small counts are
    noisy, so 1 against 2 dead is 0.75 (less than a day apart costs); larger ones differ by
    their ratio (54 against 66: 0.82; 10 against 100: 0.12)."""
    closeness: NDArray[np.float64] = (np.minimum(ka, kb) + 2) / (np.maximum(ka, kb) + 2)
    return closeness


def _evidence(
    a: _Side,
    b: _Side,
    ia: NDArray[np.int64],
    ib: NDArray[np.int64],
    days: int,
    km: float,
    taxonomy: Taxonomy,
    keys: Mapping[str, frozenset[str]],
    same_id: NDArray[np.bool_],
) -> _Evidence:
    gap = np.maximum(0, np.maximum(a.start[ia] - b.end[ib], b.start[ib] - a.end[ia]))
    longest = np.maximum(a.end[ia] - a.start[ia], b.end[ib] - b.start[ib])
    whole_a, whole_b = _one_aggregate(a, b, ia, ib)
    ka, kb = a.killed[ia], b.killed[ib]
    time = _time_closeness(gap, longest, np.minimum(ka, kb), days)
    distance = _haversine(a.lat[ia], a.lon[ia], b.lat[ib], b.lon[ib])
    allowed = km + a.radius[ia] + b.radius[ib]
    place = np.exp(-4 * distance / allowed)
    for n in np.flatnonzero(np.isnan(distance)):
        place[n] = _name_similarity(a.place[ia[n]], b.place[ib[n]])
    kind = np.zeros(len(ia))
    for level, weight in enumerate(taxonomy.weights):
        codes: dict[str, int] = {}
        la = np.array([codes.setdefault(x[level], len(codes)) for x in a.labels], np.int64)
        lb = np.array([codes.setdefault(x[level], len(codes)) for x in b.labels], np.int64)
        if len(ia):
            kind += weight * (la[ia] == lb[ib])
    actors, shared = _actor_scores(a, b, ia, ib, keys)
    within = (whole_a & (kb <= ka)) | (whole_b & (ka <= kb))
    figures = np.where(
        np.isnan(ka) | np.isnan(kb), 0.5, np.where(within, 1.0, _toll_closeness(ka, kb))
    )
    parts = {"time": time, "place": place, "kind": kind, "actors": actors, "figures": figures}
    total = sum((WEIGHTS[name] * values for name, values in parts.items()), np.zeros(len(ia)))
    total[same_id] = 1.0
    named = (
        np.array([bool(x) for x in a.actors], bool)[ia]
        & np.array([bool(x) for x in b.actors], bool)[ib]
    )
    ca, cb = np.array(a.country, object)[ia], np.array(b.country, object)[ib]
    abroad = (ca != "") & (cb != "") & (ca != cb)
    va, vb = np.array(a.violence, object)[ia], np.array(b.violence, object)[ib]
    other_violence = (va != "") & (vb != "") & (va != vb)
    ruled_out = ((named & ~shared & (distance > km)) | abroad | other_violence) & ~same_id
    return _Evidence(gap, distance, allowed, parts, total, same_id, ruled_out, whole_a, whole_b)


def _why(
    a: _Side,
    b: _Side,
    i: int,
    j: int,
    n: int,
    evidence: _Evidence,
    keys: Mapping[str, frozenset[str]],
) -> str:
    gap = int(evidence.gap[n])
    words = [f"same id {min(set(a.names[i]) & set(b.names[j]))}"] if evidence.same_id[n] else []
    words.append(
        "same day"
        if gap == 0 and a.start[i] == a.end[i] == b.start[j] == b.end[j]
        else "spans meet"
        if gap == 0
        else f"{gap} day{'s' * (gap > 1)} apart"
    )
    distance = float(evidence.distance[n])
    if math.isnan(distance):
        words.append(f"places named {a.place[i]!r} and {b.place[j]!r}")
    elif distance < 0.05:
        words.append("same place")
    else:
        words.append(f"{distance:.1f} km apart (window {evidence.allowed[n]:.0f} km)")
    first, second = a.labels[i], b.labels[j]
    if first == second:
        words.append(f"same kind ({', '.join(first)})")
    else:
        words.append(f"kinds {'/'.join(first)} vs {'/'.join(second)}")
    if a.violence[i] and b.violence[j] and a.violence[i] != b.violence[j]:
        words.append(f"type_of_violence {a.violence[i]} vs {b.violence[j]}")
    share, same = _shared_actors(a.actors[i], b.actors[j], keys)
    names = [
        (x == y and a.ds.actors[x].name) or f"{a.ds.actors[x].name} = {b.ds.actors[y].name}"
        for x, y in same
    ]
    if same and all(x == y for x, y in same) and share == 1:
        words.append("same actors")
    elif same:
        words.append("shared actors: " + "; ".join(names))
    elif a.actors[i] and b.actors[j]:
        words.append("no shared actors")
    ka, kb = a.killed[i], b.killed[j]
    if not (math.isnan(ka) or math.isnan(kb)):
        words.append("same toll" if ka == kb else f"killed {ka:.0f} vs {kb:.0f}")
    if evidence.whole_a[n] or evidence.whole_b[n]:
        whole = a.ids[i] if evidence.whole_a[n] else b.ids[j]
        words.append(f"{whole} is an aggregate of several incidents, this one among them")
    return "; ".join(words)


def _check(function: str, name: str, value: object, default: float) -> float:
    if value is None:
        return default
    if isinstance(value, bool) or not isinstance(value, int | float) or not value >= 0:
        raise ValidationError(
            f"{function}({name}=...): expected a number >= 0, got {describe(value)}"
        )
    return float(value)


def match(
    a: Dataset,
    b: Dataset,
    *,
    days: int | None = None,
    km: float | None = None,
    taxonomy: Taxonomy | None = None,
    actors: Crosswalk | None = None,
    aggregate: Aggregate = None,
    min_score: float = 0.6,
    same_id: bool = True,
) -> Matches:
    """The events of ``a`` and ``b`` that are one event, with each pair's score and why.

    ``days`` (default 2) and ``km`` (default 10) are the base windows, widened by each event's
    span and place precision; ``taxonomy`` scores kinds (:data:`DEFAULT_TAXONOMY`); ``actors``
    links actors (by default :func:`~conflictmodel.linkage.crosswalk.crosswalk` of ``a`` and
    ``b``); ``aggregate="a"`` lets one event of ``a`` take several of ``b`` (``"b"``: the other
    way), and ``aggregate="flagged"`` lets each event of either that is an
    :attr:`~conflictmodel.Event.aggregate` of several incidents take several single events of
    the other (each scored as one of its incidents: a toll no more than the aggregate's counts
    as alike); pairs scoring below ``min_score`` are not matched. With ``same_id`` (the
    default) an event of ``a`` and one of ``b`` under the same id (two releases of one
    dataset) are one event, whatever their windows and scores; ``same_id=False`` scores them
    like any other pair, for datasets whose ids are not their source's own.
    """
    for name, ds in (("a", a), ("b", b)):
        if not isinstance(ds, Dataset):
            raise ValidationError(f"match({name}=...): expected a Dataset, got {describe(ds)}")
    window_days = int(_check("match", "days", days, 2))
    window_km = _check("match", "km", km, 10.0)
    if aggregate is not None and aggregate not in AGGREGATES:
        expected = ", ".join(map(repr, AGGREGATES[:-1])) + f" or {AGGREGATES[-1]!r}"
        raise ValidationError(f"match(aggregate=...): expected None, {expected}, got {aggregate!r}")
    taxonomy = DEFAULT_TAXONOMY if taxonomy is None else taxonomy
    walk = crosswalk(a, b) if actors is None else actors
    flagged = aggregate == "flagged"
    first, second = _side(a, taxonomy, flagged), _side(b, taxonomy, flagged)
    ia, ib = _candidates(first, second, window_days, window_km, first.radius, second.radius)
    ia, ib, same = _with_same_ids(first, second, ia, ib, same_id)
    keys = _actor_groups(a, b, walk)
    evidence = _evidence(first, second, ia, ib, window_days, window_km, taxonomy, keys, same)
    good = ((evidence.total >= min_score) & ~evidence.ruled_out) | same
    good &= ~_settled(ia, ib, same, aggregate)
    ka, kb = _partner_keys(first, second, ia, ib, evidence, aggregate)
    chosen = _assign(ka, kb, evidence.total, good, aggregate)
    pairs = [
        Pair(
            first.ids[ia[n]],
            second.ids[ib[n]],
            round(float(evidence.total[n]), 4),
            _why(first, second, int(ia[n]), int(ib[n]), int(n), evidence, keys),
        )
        for n in chosen
    ]
    return _matches(pairs, _listed(a), _listed(b))


def _with_same_ids(
    a: _Side, b: _Side, ia: NDArray[np.int64], ib: NDArray[np.int64], wanted: bool
) -> tuple[NDArray[np.int64], NDArray[np.int64], NDArray[np.bool_]]:
    """The candidate pairs with every pair under one id added, and which pairs those are."""
    index: dict[str, list[int]] = {}
    for j, names in enumerate(b.names if wanted else ()):
        for name in names:
            index.setdefault(name, []).append(j)
    found = {
        (i, j) for i, names in enumerate(a.names) for name in names for j in index.get(name, ())
    }
    width = max(len(b), 1)
    same_keys = np.array(sorted(i * width + j for i, j in found), np.int64)
    keys = np.union1d(ia * width + ib, same_keys)
    return keys // width, keys % width, np.isin(keys, same_keys)


def _settled(
    ia: NDArray[np.int64], ib: NDArray[np.int64], same: NDArray[np.bool_], aggregate: Aggregate
) -> NDArray[np.bool_]:
    """The pairs ruled out because one of their events is under one id with another event,
    on each side whose events take one partner."""
    ruled: NDArray[np.bool_] = np.zeros(len(ia), bool)
    if aggregate != "a":
        ruled |= np.isin(ia, ia[same]) & ~same
    if aggregate != "b":
        ruled |= np.isin(ib, ib[same]) & ~same
    return ruled


def _matches(pairs: list[Pair], ids_a: list[str], ids_b: list[str]) -> Matches:
    order = {event: n for n, event in enumerate(ids_a)}
    pairs.sort(key=lambda p: (order[p.a], -p.score, p.b))
    seen_a = {p.a for p in pairs}
    seen_b = {p.b for p in pairs}
    return Matches(
        tuple(pairs),
        tuple(e for e in ids_a if e not in seen_a),
        tuple(e for e in ids_b if e not in seen_b),
    )


def _partner_keys(
    a: _Side,
    b: _Side,
    ia: NDArray[np.int64],
    ib: NDArray[np.int64],
    evidence: _Evidence,
    aggregate: Aggregate,
) -> tuple[NDArray[np.int64], NDArray[np.int64]]:
    """Per candidate pair, the keys under which its two events take one partner each: their
    positions, but for an aggregate of several incidents paired with a single event, which
    gets a key of its own for that pair (past every position), so that it may take several
    single events while each of those takes one. Two aggregates pair one to one. With
    ``aggregate="a"`` or ``"b"`` the whole side is so, and the positions are kept."""
    if aggregate in ("a", "b"):
        return ia, ib
    own = len(a) + len(b) + np.arange(len(ia), dtype=np.int64)
    return np.where(evidence.whole_a, own, ia), np.where(evidence.whole_b, own, ib)


def _assign(
    ia: NDArray[np.int64],
    ib: NDArray[np.int64],
    score: NDArray[np.float64],
    good: NDArray[np.bool_],
    aggregate: Aggregate,
) -> list[int]:
    """The indices of the candidate pairs chosen: each key of ``ia`` and of ``ib`` in one
    pair at most (:func:`_partner_keys`), or with ``aggregate="a"`` (``"b"``) each of the
    other side's."""
    candidates = np.flatnonzero(good)
    if not len(candidates):
        return []
    if aggregate in ("a", "b"):
        many = ib if aggregate == "a" else ia
        order = candidates[np.lexsort((-score[candidates], many[candidates]))]
        first = np.ones(len(order), bool)
        first[1:] = many[order][1:] != many[order][:-1]
        return sorted(int(n) for n in order[first])
    sparse = require("scipy.sparse", "linkage", "match()")
    graph = require("scipy.sparse.csgraph", "linkage", "match()")
    rows, row_of = np.unique(ia[candidates], return_inverse=True)
    cols, col_of = np.unique(ib[candidates], return_inverse=True)
    floor = float(score[candidates].min())
    # Each row may also take a dummy column of its own, costing what staying unmatched costs.
    cost = np.concatenate([2 - score[candidates], np.full(len(rows), 2 - floor + 1e-6)])
    r = np.concatenate([row_of, np.arange(len(rows))])
    c = np.concatenate([col_of, len(cols) + np.arange(len(rows))])
    matrix = sparse.csr_matrix((cost, (r, c)), shape=(len(rows), len(cols) + len(rows)))
    row_ind, col_ind = graph.min_weight_full_bipartite_matching(matrix)
    real = col_ind < len(cols)
    width = int(cols.max()) + 1
    chosen = rows[row_ind[real]] * width + cols[col_ind[real]]
    picked = np.isin(ia[candidates] * width + ib[candidates], chosen)
    return [int(n) for n in candidates[picked]]


def match_fixed_window(a: Dataset, b: Dataset, *, days: int = 1, km: float = 3.0) -> Matches:
    """The plain matcher: each event of ``a``, in order, takes the nearest free event of ``b``
    whose first day lies within ``days`` and whose point lies within ``km``.

    Precision, kinds, actors and figures are ignored, as in a fixed-window run of MELTT.
    """
    window_days = int(_check("match_fixed_window", "days", days, 1))
    window_km = _check("match_fixed_window", "km", km, 3.0)
    first, second = _side(a, DEFAULT_TAXONOMY), _side(b, DEFAULT_TAXONOMY)
    point_a = attrs.evolve(first, end=first.start)
    point_b = attrs.evolve(second, end=second.start)
    zero_a, zero_b = np.zeros(len(first)), np.zeros(len(second))
    ia, ib = _candidates(point_a, point_b, window_days, window_km, zero_a, zero_b)
    gap = np.abs(first.start[ia] - second.start[ib])
    distance = _haversine(first.lat[ia], first.lon[ia], second.lat[ib], second.lon[ib])
    taken: set[int] = set()
    pairs: list[Pair] = []
    done: set[int] = set()
    for n in np.lexsort((distance, gap, ia)):
        i, j = int(ia[n]), int(ib[n])
        if i in done or j in taken:
            continue
        done.add(i)
        taken.add(j)
        pairs.append(Pair(first.ids[i], second.ids[j], 1.0, f"{gap[n]} days, {distance[n]:.1f} km"))
    return _matches(pairs, _listed(a), _listed(b))


@attrs.frozen
class Score:
    """How a matching compares with the truth: pairs found, right, expected."""

    found: int
    correct: int
    expected: int

    @property
    def precision(self) -> float:
        """Share of the pairs found that are right."""
        return self.correct / self.found if self.found else 1.0

    @property
    def recall(self) -> float:
        """Share of the true pairs found."""
        return self.correct / self.expected if self.expected else 1.0

    @property
    def f1(self) -> float:
        """Harmonic mean of precision and recall."""
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0

    def __str__(self) -> str:
        return f"precision {self.precision:.2f}, recall {self.recall:.2f}, F1 {self.f1:.2f}"


def evaluate(matches: Matches, truth: Mapping[str, str] | Sequence[tuple[str, str]]) -> Score:
    """Score ``matches`` against the true pairs (event of ``a`` to event of ``b``).

    >>> found = Matches((Pair("a1", "b1", 1.0, ""), Pair("a2", "b3", 1.0, "")), (), ())
    >>> print(evaluate(found, {"a1": "b1", "a2": "b2"}))
    precision 0.50, recall 0.50, F1 0.50
    """
    true = set(truth.items()) if isinstance(truth, Mapping) else set(truth)
    found = {(p.a, p.b) for p in matches.pairs}
    return Score(len(found), len(found & true), len(true))
