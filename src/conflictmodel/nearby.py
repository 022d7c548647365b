"""Events within a distance of a place or a point, through an index built once per dataset.

An event is placed at the point of its own location (an event whose place has no point is
never near anything, and one placed only to a wide area is left out unless asked for). The
index keeps the events' points sorted by latitude: a query takes the band of latitudes the
distance allows with a binary search, narrows it by longitude with numpy, and measures only
what remains, first on a sphere and, for points within half a percent of the limit, on the
WGS84 ellipsoid with :func:`~conflictmodel.distance_km`.
"""

from __future__ import annotations

import importlib
import math

import numpy as np
import numpy.typing as npt

from conflictmodel._checks import describe
from conflictmodel.dataset import Dataset
from conflictmodel.errors import ValidationError
from conflictmodel.events import Event
from conflictmodel.places import Location, Point, distance_km, placed_at_point
from conflictmodel.timespans import TimeSpan, to_optional_span

__all__ = ["events_near", "point_of_place"]

_EARTH_KM = 6371.0088
_KM_PER_DEGREE = 110.574
"""The shortest degree of latitude (at the equator), so a band never misses a point."""
_SPHERE_ERROR = 0.005
"""How far a spherical distance can stray from the ellipsoid's, as a share."""

Floats = npt.NDArray[np.float64]


class _Index:
    def __init__(self, ds: Dataset) -> None:
        ids: list[str] = []
        degrees: list[tuple[float, float]] = []
        for where, at in ds._events_at.items():
            point = ds.locations[where].point
            if point is not None:
                ids.extend(at)
                degrees.extend([(point.lat, point.lon)] * len(at))
        table = np.array(degrees, dtype=np.float64).reshape(len(degrees), 2)
        order = np.argsort(table[:, 0], kind="stable")
        self.lats: Floats = table[order, 0]
        self.lons: Floats = table[order, 1]
        self.ids = [ids[i] for i in order.tolist()]

    def within(self, centre: Point, km: float) -> list[str]:
        reach = km / _KM_PER_DEGREE * (1 + _SPHERE_ERROR) + 1e-9
        first = int(np.searchsorted(self.lats, centre.lat - reach, side="left"))
        last = int(np.searchsorted(self.lats, centre.lat + reach, side="right"))
        lats, lons = self.lats[first:last], self.lons[first:last]
        keep = np.ones(len(lats), dtype=bool)
        widest = abs(centre.lat) + reach
        if widest < 89.0:
            spread = reach / math.cos(math.radians(widest))
            keep &= np.abs((lons - centre.lon + 180.0) % 360.0 - 180.0) <= spread
        positions = np.nonzero(keep)[0]
        sphere = _haversine_km(centre, lats[positions], lons[positions])
        found: list[str] = []
        for position, rough in zip(positions.tolist(), sphere.tolist(), strict=True):
            if rough > km * (1 + _SPHERE_ERROR) + 1e-9:
                continue
            near_limit = rough >= km * (1 - _SPHERE_ERROR)
            point = Point(float(lats[position]), float(lons[position]))
            if not near_limit or distance_km(centre, point) <= km:
                found.append(self.ids[first + position])
        return found


def _haversine_km(centre: Point, lats: Floats, lons: Floats) -> Floats:
    lat1, lon1 = math.radians(centre.lat), math.radians(centre.lon)
    lat2, lon2 = np.radians(lats), np.radians(lons)
    half = (
        np.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    )
    distances: Floats = 2 * _EARTH_KM * np.arcsin(np.sqrt(np.clip(half, 0.0, 1.0)))
    return distances


def _index(ds: Dataset) -> _Index:
    found = ds.__dict__.get("_near_index")
    if not isinstance(found, _Index):
        found = ds.__dict__["_near_index"] = _Index(ds)
    return found


def _dataset(function: str, ds: object) -> Dataset:
    """``ds``, a :class:`~conflictmodel.Dataset`, or the queries' refusal of what it is
    (imported by name: the queries sit above the dataset, which calls this module)."""
    if isinstance(ds, Dataset):
        return ds
    arguments = importlib.import_module("conflictmodel.queries._arguments")
    found: Dataset = arguments.dataset(function, ds)
    return found


def point_of_place(ds: Dataset, place: str | Location | Point | tuple[float, float]) -> Point:
    """The point ``place`` names: a point, ``(lat, lon)``, or a located place (or its name).

    >>> import conflictmodel as cm
    >>> point_of_place(cm.examples.idlib_2020(), "Saraqib")
    Point(lat=35.8623, lon=36.8006)
    """
    _dataset("point_of_place", ds)
    if isinstance(place, Point):
        return place
    if isinstance(place, tuple) and len(place) == 2:
        return Point(*place)
    if isinstance(place, str):
        place = ds.location(place)
    if not isinstance(place, Location):
        raise ValidationError(
            f"events_near() takes a place, its name or a Point, got {describe(place)}"
        )
    if place.point is None:
        raise ValidationError(f"events_near(): {place.label} has no point to measure from")
    return place.point


def events_near(
    ds: Dataset,
    place: str | Location | Point | tuple[float, float],
    km: float,
    *,
    period: TimeSpan | str | None = None,
    coarse: bool = False,
) -> list[Event]:
    """Events at most ``km`` kilometres (geodesic) from ``place``, meeting ``period``, by time
    (then id). An event placed only to a region, a country or another wide area (more
    coarsely than :data:`~conflictmodel.places.PLACED_TO`) stands at that area's point, which
    says nothing of how near it took place: it is left out unless ``coarse=True``.

    >>> import conflictmodel as cm
    >>> ds = cm.examples.idlib_2020()
    >>> [e.id for e in events_near(ds, "Saraqeb", 20, period="2020-02")]
    ['idlib-offensive', 'attack-2020-02-03', 'retaliation-2020-02-03', \
'highway-capture-2020-02-06', 'saraqeb-capture-2020-02-06', 'turkish-airstrike-2020-02-06']
    """
    centre = point_of_place(_dataset("events_near", ds), place)
    if isinstance(km, bool) or not isinstance(km, int | float) or not 0 <= km < math.inf:
        raise ValidationError(f"events_near(): km must be a distance of 0 or more, got {km!r}")
    span = to_optional_span(period)
    near = ds.get_many("events", _index(ds).within(centre, float(km))).values()
    found = [event for event in near if isinstance(event, Event)]
    chosen = [
        e
        for e in found
        if (span is None or e.when.meets(span)) and (coarse or placed_at_point(e.where_precision))
    ]
    return sorted(chosen, key=lambda e: (e.when.sort_key, e.id))
