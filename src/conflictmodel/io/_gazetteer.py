"""Building a location hierarchy (country, regions, districts, places) while rows are read.

Ids are paths of name slugs under the country, so the same place gets the same id in every
import of the same file: ``ucdp-syria/idlib-governorate/ariha-district/ein-laroz-town``.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Mapping
from typing import cast

import attrs

from conflictmodel.places import Location, LocationKind, Point

_NOT_SLUG = re.compile(r"[^a-z0-9]+")


def slug(name: str) -> str:
    """A lower-case ASCII id fragment for a name.

    >>> slug("Ma’arrat al-Nu’man district"), slug("Ḥamāh")
    ('maarrat-al-numan-district', 'hamah')
    """
    folded = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    text = _NOT_SLUG.sub("-", folded.lower()).strip("-")
    return text or hashlib.blake2b(name.encode("utf-8"), digest_size=5).hexdigest()


@attrs.define
class _Place:
    name: str
    kind: LocationKind
    within: str | None
    point: Point | None
    codes: dict[str, str]


class Gazetteer:
    """Locations made so far, found again by their parent and name."""

    def __init__(self, prefix: str) -> None:
        self.prefix = prefix
        self._places: dict[str, _Place] = {}
        self._by_key: dict[tuple[str | None, str, Point | None], str] = {}
        self._taken: dict[str, int] = {}
        """How many ids were made from each base id: the next is ``base~<count + 1>``."""
        self._resolved: dict[tuple[object, ...], tuple[str, bool]] = {}
        self._slugs: dict[str, str] = {}

    def area(
        self,
        parent: str | None,
        name: str,
        kind: LocationKind,
        codes: Mapping[str, str] | None = None,
    ) -> str:
        """The id of the area ``name`` within ``parent`` (a country when ``parent`` is None)."""
        key = (parent, name, None)
        known = self._by_key.get(key)
        if known is not None:
            return known
        base = self._base(parent, name)
        return self._add(key, base, _Place(name, kind, parent, None, dict(codes or {})))

    def place(self, parent: str | None, name: str, kind: LocationKind, point: Point | None) -> str:
        """The id of the place ``name`` at ``point`` within ``parent``.

        Two places of one name under one parent but at different points get distinct ids.
        """
        key = (parent, name, point)
        known = self._by_key.get(key)
        if known is not None:
            return known
        base = self._base(parent, name)
        return self._add(key, base, _Place(name, kind, parent, point, {}))

    def _base(self, parent: str | None, name: str) -> str:
        """The id of ``name`` within ``parent``, before any ``~<number>`` that tells apart two
        locations of one id; each name is slugged once per gazetteer."""
        fragment = self._slugs.get(name)
        if fragment is None:
            fragment = self._slugs[name] = slug(name)
        return f"{self.prefix}-{fragment}" if parent is None else f"{parent}/{fragment}"

    def _add(self, key: tuple[str | None, str, Point | None], base: str, place: _Place) -> str:
        number = self._taken.get(base, 0) + 1
        location_id = base if number == 1 else f"{base}~{number}"
        self._taken[base] = number
        self._places[location_id] = place
        self._by_key[key] = location_id
        return location_id

    def resolve(
        self,
        areas: list[tuple[str, LocationKind, Mapping[str, str] | None]],
        place: str,
        kind: LocationKind,
        point: Point | None,
        *,
        match_areas: bool = True,
    ) -> tuple[str, bool]:
        """Where an event happened, and whether ``point`` is that location's point.

        ``areas`` are the names of nested areas, largest first (empty names are skipped);
        ``place`` is named within the smallest. When ``place`` is empty, or names one of the
        areas and ``match_areas`` is set, the event is at that area, which takes ``point``
        unless it has one already. Asked again, it answers as the first time: a location, once
        made, keeps its id and, once it has one, its point.
        """
        key = (tuple(name for name, _, _ in areas), place, kind, point, match_areas)
        found = self._resolved.get(key)
        if found is None:
            found = self._resolved[key] = self._resolve(areas, place, kind, point, match_areas)
        return found

    def _resolve(
        self,
        areas: list[tuple[str, LocationKind, Mapping[str, str] | None]],
        place: str,
        kind: LocationKind,
        point: Point | None,
        match_areas: bool,
    ) -> tuple[str, bool]:
        node: str | None = None
        chain: list[tuple[str, str]] = []
        for name, area_kind, codes in areas:
            if name:
                node = self.area(node, name, area_kind, codes)
                chain.append((node, name))
        wanted = place.casefold()
        match = next((i for i, name in reversed(chain) if name.casefold() == wanted), None)
        if not match_areas:
            match = None
        if match is None and (place or node is None):
            return self.place(node, place or "unknown place", kind, point), True
        where = match or cast(str, node)
        known = self._places[where]
        if point is not None and known.point is None:
            known.point = point
        return where, point is None or known.point == point

    def locations(self) -> list[Location]:
        return [
            Location(
                id=location_id,
                name=place.name,
                kind=place.kind,
                within=place.within,
                point=place.point,
                codes=place.codes,
            )
            for location_id, place in self._places.items()
        ]
