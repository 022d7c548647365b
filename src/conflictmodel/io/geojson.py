"""GeoJSON (RFC 7946) of a dataset's events and locations, for QGIS, kepler.gl and web maps.

Each event is a Point feature at its location's point, or at the point of the nearest location
it lies within; each location a Point feature at its own point. A record without any point is a
feature with ``"geometry": null``. Properties are the columns of
:func:`~conflictmodel.io.frames.to_frame` (dates as ISO text) plus ``"record"``: ``"event"`` or
``"location"``.

>>> import conflictmodel as cm
>>> from conflictmodel.io.geojson import to_geojson
>>> collection = to_geojson(cm.examples.idlib_2020(), include=("events",))
>>> saraqeb = next(f for f in collection["features"] if f["id"] == "saraqeb-capture-2020-02-06")
>>> saraqeb["geometry"], saraqeb["properties"]["when_start"]
({'type': 'Point', 'coordinates': [36.8006, 35.8623]}, '2020-02-06')
"""

from __future__ import annotations

import datetime
import os
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import orjson

from conflictmodel.dataset import Dataset
from conflictmodel.errors import ValidationError
from conflictmodel.io._atomic import atomic_file
from conflictmodel.io._tables import Row, table_parts

__all__ = ["dumps_geojson", "iter_geojson", "to_geojson", "write_geojson"]

_LAYERS = {"events": ("event", "where"), "locations": ("location", "point")}
"""Each layer's record noun and the field whose ``_lat`` and ``_lon`` columns place it."""


def _properties(row: Row, record: str, placed_by: str) -> dict[str, Any]:
    properties: dict[str, Any] = {"record": record}
    for name, value in row.items():
        if name in (f"{placed_by}_lat", f"{placed_by}_lon"):
            continue
        properties[name] = value.isoformat() if isinstance(value, datetime.date) else value
    return properties


def _feature(row: Row, record: str, placed_by: str) -> dict[str, Any]:
    lat, lon = row[f"{placed_by}_lat"], row[f"{placed_by}_lon"]
    geometry = None
    if isinstance(lat, float) and isinstance(lon, float):
        geometry = {"type": "Point", "coordinates": [lon, lat]}
    return {
        "type": "Feature",
        "id": row["id"],
        "geometry": geometry,
        "properties": _properties(row, record, placed_by),
    }


def to_geojson(ds: Dataset, *, include: Sequence[str] = ("events", "locations")) -> dict[str, Any]:
    """A GeoJSON FeatureCollection of the events and/or locations of ``ds``."""
    features = [feature for part in _feature_parts(ds, include) for feature in part]
    return {"type": "FeatureCollection", "features": features}


def _feature_parts(ds: Dataset, include: Sequence[str]) -> Iterator[list[dict[str, Any]]]:
    unknown = [layer for layer in include if layer not in _LAYERS]
    if unknown or isinstance(include, str):
        raise ValidationError(
            f"to_geojson(include=...): expected a sequence of 'events' and 'locations', "
            f"got {include!r}"
        )
    for layer in include:
        for part in table_parts(ds, layer).parts:
            yield [_feature(row, *_LAYERS[layer]) for row in part]


def iter_geojson(
    ds: Dataset, *, include: Sequence[str] = ("events", "locations")
) -> Iterator[bytes]:
    """The text of :func:`dumps_geojson` in pieces, a part of the features at a time (20,000
    rows), for a stream: the features of a million events are never all held at once.

    >>> import conflictmodel as cm
    >>> from conflictmodel.io.geojson import dumps_geojson, iter_geojson
    >>> seed = cm.examples.idlib_2020()
    >>> b"".join(iter_geojson(seed)) == dumps_geojson(seed)
    True
    """
    yield b'{"type":"FeatureCollection","features":['
    separator = b""
    for part in _feature_parts(ds, include):
        yield separator + b",".join(orjson.dumps(feature) for feature in part)
        separator = b","
    yield b"]}"


def dumps_geojson(ds: Dataset, *, include: Sequence[str] = ("events", "locations")) -> bytes:
    """The GeoJSON text of :func:`to_geojson`, UTF-8 encoded."""
    return b"".join(iter_geojson(ds, include=include))


def write_geojson(
    ds: Dataset,
    path: str | os.PathLike[str],
    *,
    include: Sequence[str] = ("events", "locations"),
) -> Path:
    """Write :func:`to_geojson` to ``path`` (atomically, as :func:`~conflictmodel.dump`)."""
    target = Path(path)
    chunks = iter_geojson(ds, include=include)
    with atomic_file(target) as stream:
        for chunk in chunks:
            stream.write(chunk)
    return target
