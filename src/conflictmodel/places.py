"""Where things happen: places in a ``within`` hierarchy, points, and geodesic distance."""

from __future__ import annotations

import enum
import math
from collections.abc import Mapping
from typing import Any, ClassVar

import attrs
from geographiclib.geodesic import Geodesic
from immutabledict import immutabledict

from conflictmodel._checks import (
    coerce_enum,
    describe,
    fail,
    instance,
    member,
    optional_text,
    refers_to,
    text,
    text_mapping,
    texts,
    to_frozen_mapping,
    to_texts,
)
from conflictmodel.errors import ValidationError
from conflictmodel.records import Record, holds_no_references


class LocationKind(enum.StrEnum):
    """What sort of place a location is."""

    COUNTRY = "country"
    REGION = "region"
    DISTRICT = "district"
    CITY = "city"
    TOWN = "town"
    VILLAGE = "village"
    ROAD = "road"
    SITE = "site"
    AREA = "area"


class PlacePrecision(enum.StrEnum):
    """How closely a record's place is known, from a point to a whole country.

    UCDP GED codes it as ``where_prec`` 1–7, ACLED as ``geo_precision`` 1–3; the importers map
    both here. :attr:`radius_km` is how far the true place may lie from the coordinates given.

    >>> PlacePrecision.REGION.radius_km
    100.0
    """

    EXACT = "exact"
    NEAR = "near"
    DISTRICT = "district"
    REGION = "region"
    WIDE_AREA = "wide_area"
    COUNTRY = "country"
    INTERNATIONAL = "international"

    @property
    def radius_km(self) -> float:
        """How far from the given point the event may have taken place, in kilometres."""
        return _PRECISION_RADIUS_KM[self]

    @property
    def rank(self) -> int:
        """0 for an exact place, rising as the place is known less closely."""
        return list(PlacePrecision).index(self)


PLACED_TO = PlacePrecision.DISTRICT
"""The coarsest precision at which an event's point stands for where it took place (UCDP
``where_prec`` 1 to 3): the events map draws, and
:func:`~conflictmodel.nearby.events_near` finds, only events placed this closely. A coarser
event's point is its region's or its country's."""


def placed_at_point(precision: PlacePrecision | str | None) -> bool:
    """Whether an event placed with ``precision`` (``None``: as closely as its place is
    recorded) is placed :data:`PLACED_TO` or more closely.

    >>> from conflictmodel.places import PlacePrecision, placed_at_point
    >>> placed_at_point("near"), placed_at_point(PlacePrecision.REGION), placed_at_point(None)
    (True, False, True)
    """
    return precision is None or PlacePrecision(precision).rank <= PLACED_TO.rank


_PRECISION_RADIUS_KM = {
    PlacePrecision.EXACT: 2.0,
    PlacePrecision.NEAR: 25.0,
    PlacePrecision.DISTRICT: 40.0,
    PlacePrecision.REGION: 100.0,
    PlacePrecision.WIDE_AREA: 200.0,
    PlacePrecision.COUNTRY: 500.0,
    PlacePrecision.INTERNATIONAL: 500.0,
}
# The finest precision at which an event located within an area of this kind surely lies in it.
_AREA_RANK = {
    LocationKind.COUNTRY: PlacePrecision.COUNTRY.rank,
    LocationKind.REGION: PlacePrecision.REGION.rank,
    LocationKind.DISTRICT: PlacePrecision.DISTRICT.rank,
}
"""By kind of area, the rank of the coarsest precision that places an event located within
it surely inside (exact for a place smaller than a district, which
:attr:`PlacePrecision.NEAR` places it only possibly in)."""


class Placement(enum.StrEnum):
    """Whether an event lies within an area: surely, possibly (its place is known too coarsely
    to tell), or not at all."""

    INSIDE = "inside"
    POSSIBLY = "possibly"
    OUTSIDE = "outside"


def placement(
    precision: PlacePrecision | None,
    located_within: bool,
    area_within_place: bool,
    area: LocationKind,
) -> Placement:
    """Where an event stands to an area, given how closely its place is known.

    ``located_within``: the event's location is the area or lies within it;
    ``area_within_place``: the area lies within the event's location (a district in the
    province an event is only known by). An event whose record states no ``precision`` is
    placed as closely as its location: one recorded at a province is an event of the province
    as a whole (a toll, strikes across it), not possibly one in a district of it.

    >>> placement(PlacePrecision.EXACT, True, False, LocationKind.DISTRICT)
    <Placement.INSIDE: 'inside'>
    >>> placement(PlacePrecision.REGION, True, False, LocationKind.DISTRICT)
    <Placement.POSSIBLY: 'possibly'>
    >>> placement(PlacePrecision.REGION, False, True, LocationKind.DISTRICT)
    <Placement.POSSIBLY: 'possibly'>

    An event geocoded near a point (UCDP ``where_prec`` 2: within about 25 km of it) lies in
    the district of the point, but only possibly in the town or village itself:

    >>> placement(PlacePrecision.NEAR, True, False, LocationKind.DISTRICT)
    <Placement.INSIDE: 'inside'>
    >>> placement(PlacePrecision.NEAR, True, False, LocationKind.TOWN)
    <Placement.POSSIBLY: 'possibly'>
    """
    if located_within:
        rank = 0 if precision is None else precision.rank
        if precision is PlacePrecision.NEAR:
            return Placement.INSIDE if area in _AREA_RANK else Placement.POSSIBLY
        return Placement.INSIDE if rank <= _AREA_RANK.get(area, 0) else Placement.POSSIBLY
    coarse = area_within_place and precision is not None
    return Placement.POSSIBLY if coarse else Placement.OUTSIDE


def to_place_precision(value: PlacePrecision | str | None) -> PlacePrecision | None:
    return None if value is None else coerce_enum(PlacePrecision, value)


def optional_place_precision(owner: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Validator: a :class:`PlacePrecision` or ``None``."""
    if value is not None:
        _place_precision(owner, attribute, value)


_place_precision = member(PlacePrecision)


def _to_location_kind(value: LocationKind | str) -> LocationKind:
    return coerce_enum(LocationKind, value)


def _to_degrees(value: float) -> float:
    """A float; ``-0.0`` becomes ``0.0``, so that equal points are written the same."""
    if isinstance(value, int) and not isinstance(value, bool):
        return float(value)
    if isinstance(value, float):
        return value + 0.0
    return value


def _degrees(limit: float) -> Any:
    def check(owner: Point, attribute: attrs.Attribute[Any], value: object) -> None:
        if not isinstance(value, float) or not math.isfinite(value):
            fail(owner, attribute, f"expected a finite number of degrees, got {describe(value)}")
        if not -limit <= value <= limit:
            fail(owner, attribute, f"{value} is outside -{limit:g}..{limit:g}")

    return check


@holds_no_references
@attrs.frozen
class Point:
    """A WGS84 position in decimal degrees.

    >>> Point(35.79, 36.72)
    Point(lat=35.79, lon=36.72)
    >>> Point(95, 0)
    Traceback (most recent call last):
    ...
    conflictmodel.errors.ValidationError: Point.lat: 95.0 is outside -90..90
    """

    lat: float = attrs.field(converter=_to_degrees, validator=_degrees(90))
    lon: float = attrs.field(converter=_to_degrees, validator=_degrees(180))


@attrs.frozen(kw_only=True)
class Location(Record):
    """A named place, optionally ``within`` a larger one and with a representative ``point``.

    ``codes`` keeps codes from gazetteers and datasets (``{"iso3166-2": "SY-ID"}``).

    >>> Location(id="saraqeb", name="Saraqeb", kind="town", within="idlib-governorate",
    ...          point=Point(35.8623, 36.8006), aliases=["Saraqib"]).aliases
    ('Saraqib',)
    """

    collection: ClassVar[str] = "locations"
    kind_label: ClassVar[str] = "location"

    name: str = attrs.field(validator=text)
    kind: LocationKind = attrs.field(converter=_to_location_kind, validator=member(LocationKind))
    within: str | None = attrs.field(
        default=None, validator=optional_text, metadata=refers_to("locations")
    )
    point: Point | None = attrs.field(default=None, validator=instance(Point, optional=True))
    aliases: tuple[str, ...] = attrs.field(default=(), converter=to_texts, validator=texts)
    codes: Mapping[str, str] = attrs.field(
        factory=immutabledict, converter=to_frozen_mapping, validator=text_mapping
    )

    @property
    def names(self) -> tuple[str, ...]:
        """The name followed by every alias."""
        return (self.name, *self.aliases)


def _point_of(value: object) -> Point:
    if isinstance(value, Point):
        return value
    point = getattr(value, "point", None)
    if isinstance(point, Point):
        return point
    if isinstance(value, Record):
        raise ValidationError(f"{value.label}.point: has no coordinates to measure from")
    raise ValidationError(f"distance_km() takes points or located records, got {describe(value)}")


def distance_km(a: Point | Location, b: Point | Location) -> float:
    """The geodesic distance on the WGS84 ellipsoid between two points or located records.

    >>> round(distance_km(Point(35.8623, 36.8006), Point(35.9306, 36.6339)), 1)
    16.9
    """
    first, second = _point_of(a), _point_of(b)
    line = Geodesic.WGS84.Inverse(first.lat, first.lon, second.lat, second.lon)
    return float(line["s12"]) / 1000.0
