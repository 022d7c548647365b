"""A map of events: points at their longitude and latitude, sized by the killed, coloured by
kind. No base map is downloaded; the axes are degrees with the local aspect ratio."""

from __future__ import annotations

import datetime
import math
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any

from conflictmodel.dataset import Dataset
from conflictmodel.events import Engagement, Toll
from conflictmodel.io._extras import require
from conflictmodel.io._tables import killed
from conflictmodel.places import PLACED_TO, PlacePrecision, placed_at_point
from conflictmodel.plots._style import (
    OTHERS,
    PALETTE,
    RASTERIZED_FROM,
    ChartError,
    checked_target,
    finish,
    plain_text,
    pyplot,
    save,
)
from conflictmodel.queries import _arguments
from conflictmodel.timespans import TimeSpan

if TYPE_CHECKING:
    import pandas

__all__ = ["events_map", "events_map_data", "events_map_figure"]


def events_map_data(ds: Dataset, *, period: TimeSpan | str | None = None) -> pandas.DataFrame:
    """One row per event whose place has a point of its own: ``id``, ``kind``, ``place``,
    ``lat``, ``lon``, ``killed`` (its casualty entries' sum, the best figure or, with none
    known, the lowest stated: :attr:`~conflictmodel.Estimate.best_or_low`; 0 when no entry
    gives a figure) and ``precision`` (how closely the place is known, ``where_precision``;
    ``None``: as recorded), ``first_day`` and ``last_day`` (when it may have begun and
    ended: a year-long event shows as such on a month's map) and ``aggregate`` (it stands for
    several incidents reported together, :attr:`~conflictmodel.Event.aggregate`), the most
    killed first (then by id). War-level tolls
    (:class:`~conflictmodel.Toll`) are not events at a place and are left out. On a dataset
    held in tables the engine picks and sums them, building no record
    (:func:`conflictmodel.tables.queries.placed_killed`).

    >>> import conflictmodel as cm
    >>> data = events_map_data(cm.examples.idlib_2020(), period="2020-02-03")
    >>> data.set_index("id")["killed"].to_dict()
    {'retaliation-2020-02-03': 27, 'attack-2020-02-03': 8, 'idlib-offensive': 0}
    """
    pd: Any = require("pandas", "frames", "events_map_data()")
    ds = _arguments.dataset("events_map_data", ds)
    span = _arguments.period("events_map_data", period)
    points = {place.id: place for place in ds.locations.values() if place.point is not None}
    engine = _arguments.engine_tables(ds)
    if engine is not None:
        from conflictmodel.tables import queries

        placed = queries.placed_killed(engine, span, points)
    else:
        events = ds.events_during(span) if span is not None else ds.events.values()
        placed = [
            (
                event.id,
                event.kind.value if isinstance(event, Engagement) else None,
                event.where,
                event.where_precision,
                killed(event),
                event.when.start,
                event.when.end,
                event.aggregate,
            )
            for event in events
            if not isinstance(event, Toll) and event.where in points
        ]
    rows: list[dict[str, Any]] = []
    for event_id, kind, where, precision, figure, first_day, last_day, aggregate in placed:
        place = points[where]
        assert place.point is not None
        rows.append(
            {
                "id": event_id,
                "kind": kind or "event",
                "place": place.name,
                "lat": place.point.lat,
                "lon": place.point.lon,
                "killed": 0 if figure is None else figure.best_or_low,
                "precision": None if precision is None else PlacePrecision(precision).value,
                "first_day": _plain(first_day),
                "last_day": _plain(last_day),
                "aggregate": aggregate,
            }
        )
    rows.sort(key=lambda row: (-(row["killed"] or 0), row["id"]))
    columns = [
        "id",
        "kind",
        "place",
        "lat",
        "lon",
        "killed",
        "precision",
        "first_day",
        "last_day",
        "aggregate",
    ]
    frame: pandas.DataFrame = pd.DataFrame(rows, columns=columns)
    for day in ("first_day", "last_day"):
        frame[day] = pd.to_datetime(pd.Series(list(frame[day]), dtype="object"))
    return frame


def _plain(day: datetime.date | None) -> datetime.date | None:
    """``day`` as a plain date (a pendulum date is one, but prints otherwise)."""
    return None if day is None else datetime.date(day.year, day.month, day.day)


DRAWN_TO = PLACED_TO
"""The coarsest precision of a place the map draws an event at
(:data:`~conflictmodel.places.PLACED_TO`)."""


def _too_coarse(precision: str | None) -> bool:
    return not placed_at_point(precision)


def events_map_figure(ds: Dataset, *, period: TimeSpan | str | None = None) -> Any:
    """The matplotlib figure of :func:`events_map`, not yet written: one dot per place and
    kind, sized by the killed in its events there (events at one point would hide each other),
    coloured by kind. Events placed no closer than a region (:data:`DRAWN_TO`) are not drawn
    at the region's or the country's point, where they would pile up as one false hot spot: a
    note counts them and their dead."""
    plt = pyplot("events_map()")
    every = events_map_data(ds, period=period)
    if every.empty:
        raise ChartError("no event has a place with a point to draw")
    coarse = every["precision"].map(_too_coarse).astype(bool)
    data, left_out = every[~coarse], every[coarse]
    if data.empty:
        raise ChartError(
            f"every event with a point is placed only to a region or more coarsely "
            f"({len(left_out):,} events): nothing to draw"
        )
    dots = data.groupby(["place", "lon", "lat", "kind"], as_index=False, sort=False).agg(
        killed=("killed", "sum"), events=("id", "size")
    )
    kinds = list(dots.groupby("kind")["killed"].sum().sort_values(ascending=False).index)
    largest = max(int(dots["killed"].max()), 1)
    with plain_text(plt):
        figure, axes = plt.subplots(figsize=(8, 7))
        for number, kind in enumerate(kinds):
            rows = dots[dots["kind"] == kind]
            colour = PALETTE[number] if number < len(PALETTE) else OTHERS
            sizes = 6 + 400 * (rows["killed"] / largest) ** 0.5
            axes.scatter(
                rows["lon"],
                rows["lat"],
                s=sizes,
                color=colour,
                alpha=0.5,
                edgecolors="none",
                label=kind.replace("_", " "),
                rasterized=len(dots) >= RASTERIZED_FROM,
            )
        for size in sorted({largest, max(largest // 10, 1)}, reverse=True):
            axes.scatter(
                [],
                [],
                s=6 + 400 * (size / largest) ** 0.5,
                color="#BBBBBB",
                label=f"{size:,} killed",
            )
        middle = math.radians(float(dots["lat"].mean()))
        axes.set_aspect(1 / max(math.cos(middle), 0.1))
        axes.set_xlabel("longitude (°E)")
        axes.set_ylabel("latitude (°N)")
        axes.margins(0.08)
        legend = axes.legend(fontsize="small", frameon=False, loc="best")
        for handle in legend.legend_handles[: len(kinds)]:
            handle.set_sizes([40])
        places = dots["place"].nunique()
        aggregates = int(data["aggregate"].sum())
        among = f" ({aggregates:,} of them aggregates of several incidents)" if aggregates else ""
        axes.set_title(
            f"{len(data):,} events{among} at {places:,} places, sized by the number killed\n"
            "one dot per place and kind of event"
        )
        dead = int(left_out["killed"].sum())
        note = (
            f"Not drawn: {len(left_out):,} events ({dead:,} killed) placed only to a region, "
            "a wide area or a country."
            if len(left_out)
            else None
        )
        finish(figure, ds, note)
    return figure


def events_map(
    ds: Dataset, path: str | os.PathLike[str], *, period: TimeSpan | str | None = None
) -> Path:
    """Draw every event with a point as a dot sized by its dead to ``path`` (.png, .svg, .pdf)."""
    target = checked_target(path)
    plt = pyplot("events_map()")
    return save(plt, events_map_figure(ds, period=period), target)
